"""`cepa objections lodge|review|show`: objections to approved designation applications."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from cepa.designation import selectors, services
from cepa.designation.management.commands._workflow import (
    WorkflowCommand,
    act,
    numbered_record,
    reader,
)


class Command(WorkflowCommand):
    help = (
        "Objections: `objections lodge APPLICATION_ID --grounds TEXT [--on-behalf-of NAME] --as USERNAME` "
        "(during the objection period), `objections review ID uphold|dismiss --reason TEXT --as USERNAME` "
        "(CNCA officer), `objections show ID`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = self.add_actions(parser)
        lodge = actions.add_parser("lodge", help="object to an approved application")
        lodge.add_argument("application")
        lodge.add_argument("--grounds", required=True)
        lodge.add_argument(
            "--on-behalf-of", default="", help="the member of the public an officer lodges it for"
        )
        self.as_option(lodge)

        review = actions.add_parser("review", help="uphold or dismiss an objection")
        review.add_argument("id")
        review.add_argument("review_action", metavar="ACTION", choices=list(services.OBJECTION_ACTIONS))
        review.add_argument("--reason", required=True)
        self.as_option(review)

        show = actions.add_parser("show", help="an objection with its history")
        show.add_argument("id")
        self.as_option(show, required=False)

    def _record(self, user: Any, objection_id: Any) -> dict[str, Any]:
        return numbered_record(selectors.objection, "objection", user, objection_id)

    def _lodge(self, options: dict[str, Any]) -> Any:
        user, objection = act(
            options,
            services.lodge_objection,
            application_id=options["application"],
            grounds=options["grounds"],
            on_behalf_of=options["on_behalf_of"],
        )
        return self._record(user, objection.pk)

    def _review(self, options: dict[str, Any]) -> Any:
        user, _objection = act(
            options,
            services.review_objection,
            objection_id=options["id"],
            action=options["review_action"],
            reason=options["reason"],
        )
        return self._record(user, options["id"])

    def _show(self, options: dict[str, Any]) -> Any:
        return self._record(reader(options["as_user"]), options["id"])
