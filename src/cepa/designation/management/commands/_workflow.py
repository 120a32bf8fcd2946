"""What the workflow commands (`cepa eoi`, `plans`, `applications`, `objections`) share: acting as
an account, printing records as JSON, and the exit codes.

Exit codes (cepa.errors.command_errors): 0 done; 1 the record's status or a rule refuses it (the
API's 409 and 422); 2 bad input, no such record or account, or the account's role or organisation
may not do it (400, 404, 403). The refusal is on stderr with its code (and the failing rule codes);
nothing on stdout.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cepa.designation import services
from cepa.errors import EXIT_BAD_INPUT, command_errors


def acting_user(username: str | None) -> Any:
    """The account named by --as (required for writes)."""
    if not username:
        raise CommandError(
            "--as: name the account to act as (cepa user create ...)", returncode=EXIT_BAD_INPUT
        )
    user = (
        get_user_model().objects.select_related("profile").filter(username=username, is_active=True).first()
    )
    if user is None:
        raise CommandError(f"--as: no active account {username!r}", returncode=EXIT_BAD_INPUT)
    return user


def reader(username: str | None) -> Any:
    """Who reads: the account named by --as, else the operator, who sees everything."""
    if username:
        return acting_user(username)
    return get_user_model()(username="cli", is_superuser=True, is_active=True)


def actor(user: Any) -> str:
    return f"user:{user.get_username()}"


def act(options: dict[str, Any], service: Callable[..., Any], **arguments: Any) -> tuple[Any, Any]:
    """Runs a service from the command line as the account --as names: (that account, the result)."""
    user = acting_user(options["as_user"])
    return user, service(actor=actor(user), user=user, channel="cli", **arguments)


def numbered_record(
    read: Callable[[Any, int], dict[str, Any] | None], what: str, user: Any, record_id: Any
) -> dict[str, Any]:
    """The record with this number as `read` shows it to `user`, or exit 2 (no such record)."""
    number = services.parse_id(str(record_id))
    found = read(user, number) if number else None
    if found is None:
        raise CommandError(f"no {what} with id {record_id!r}", returncode=EXIT_BAD_INPUT)
    return found


class WorkflowCommand(BaseCommand):
    """A command with ACTION subcommands, each handled by `_<action>`."""

    def add_actions(self, parser: CommandParser) -> Any:
        return parser.add_subparsers(dest="action", required=True, metavar="ACTION")

    @staticmethod
    def as_option(parser: CommandParser, *, required: bool = True) -> None:
        parser.add_argument(
            "--as",
            dest="as_user",
            metavar="USERNAME",
            required=required,
            help="the account to act as (its role and organisation are checked)"
            + ("" if required else "; without it, everything is shown"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        handler: Callable[[dict[str, Any]], Any] = getattr(self, "_" + options["action"].replace("-", "_"))
        with command_errors():
            result = handler(options)
        if result is not None:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
