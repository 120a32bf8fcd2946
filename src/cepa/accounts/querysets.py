"""The base of every model's QuerySet that scopes rows to a user (NetBox's pattern).

`Model.objects.restrict(user, "view")` is the starting point of every list and detail, in the API,
the web and exports, so they cannot disagree. Each domain's QuerySet, next to its model, says which
rows a user may see (`visible_to`), using the role predicates of cepa.accounts.permissions; the
default is every row (the public registry). A user is a Django user, or an AnonymousUser.
"""

from __future__ import annotations

from typing import Any, Self, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)

ACTIONS = ("view",)


class RestrictedQuerySet(models.QuerySet[M]):
    def restrict(self, user: Any, action: str = "view") -> Self:
        """The rows `user` may `action`. Only "view" is scoped here: who may change a row is each
        service's own check."""
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}; one of {', '.join(ACTIONS)}")
        return self.visible_to(user)

    def visible_to(self, user: Any) -> Self:
        return self.all()
