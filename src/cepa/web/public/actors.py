"""Who made a change, in words (issue 11, point 8): "CNCA officer, on the website", not
`user:cnca (web)`. A history names accounts and processes by the actor strings the services record
(`user:NAME`, `system:…`, `public:…`); pages say which role acted, never the account's name."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cepa.accounts.models import Profile
from cepa.web.public.text import local_name

ROLES: dict[str, Promise] = {
    "cnca_officer": gettext_lazy("CNCA officer"),
    "hkas_officer": gettext_lazy("HKAS officer"),
    "ccaa_registrar": gettext_lazy("CCAA registrar"),
    "admin": gettext_lazy("Registry administrator"),
}
CHANNELS: dict[str, Promise] = {
    "web": gettext_lazy("on the website"),
    "api": gettext_lazy("through the API"),
    "cli": gettext_lazy("on the command line"),
}


def _account(actor: str) -> str | None:
    """The username an actor string names, or None for a process or the public."""
    kind, _sep, rest = actor.partition(":")
    if not _sep:
        return None if actor in ("public", "system") else actor  # histories that keep bare usernames
    return rest if kind == "user" else None


def describe(actors: Iterable[str]) -> dict[str, str]:
    """Each actor in words, in the active language (one query for all the accounts among them)."""
    actors = set(actors)
    names = {name for actor in actors if (name := _account(actor))}
    profiles = (
        {
            p.user.get_username(): p
            for p in Profile.objects.filter(user__username__in=names).select_related("user", "organisation")
        }
        if names
        else {}
    )
    words = {}
    for actor in actors:
        kind = actor.partition(":")[0]
        name = _account(actor)
        if name is not None:
            profile = profiles.get(name)
            if profile is None:
                words[actor] = _("an account")
            elif profile.role == "applicant" and profile.organisation is not None:
                words[actor] = _("staff of %(body)s") % {"body": local_name(profile.organisation).text}
            else:
                words[actor] = str(ROLES.get(profile.role, gettext_lazy("an account")))
        elif kind == "public" or actor == "public":
            words[actor] = _("a member of the public")
        else:
            words[actor] = _("the registry (data import)") if kind == "system" else _("the registry")
    return words


def with_channel(who: str, channel: str) -> str:
    how = CHANNELS.get(channel)
    if not how:
        return who
    return _("%(who)s, %(how)s") % {"who": who, "how": how}
