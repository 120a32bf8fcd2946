"""`cepa token create USERNAME` (prints the token as the last word) and `cepa token revoke PREFIX`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cepa.accounts.models import ApiToken
from cepa.accounts.services import create_token, revoke_token
from cepa.cli import cli_actor
from cepa.errors import EXIT_BAD_INPUT, CepaError, InvalidInput


class Command(BaseCommand):
    help = "Manages API tokens: `cepa token create USERNAME`, `cepa token revoke PREFIX`, `cepa token list`."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = actions.add_parser("create", help="issue a token; it is shown once, as the last word")
        create.add_argument("username")
        revoke = actions.add_parser("revoke", help="revoke a token by its prefix (cepa_xxxxxxxx)")
        revoke.add_argument("prefix")
        listing = actions.add_parser("list", help="list tokens (prefixes and dates, never secrets)")
        listing.add_argument("username", nargs="?")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except CepaError as error:
            # A token that is already revoked is the operator's input too: every refusal here exits 2.
            text = error.message if isinstance(error, InvalidInput) else f"prefix: {error.message}"
            raise CommandError(text, returncode=EXIT_BAD_INPUT) from error

    def _create(self, options: dict[str, Any]) -> None:
        token, raw = create_token(actor=cli_actor(), username=options["username"])
        self.stdout.write(f"Token {token.prefix} for {options['username']} (shown only once): {raw}")

    def _revoke(self, options: dict[str, Any]) -> None:
        token = revoke_token(actor=cli_actor(), prefix=options["prefix"])
        self.stdout.write(f"Revoked token {token.prefix} of {token.user.get_username()}")

    def _list(self, options: dict[str, Any]) -> None:
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "created_at")
        if options["username"]:
            tokens = tokens.filter(user__username=options["username"])
        for token in tokens:
            state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
            used = f"last used {token.last_used:%Y-%m-%d %H:%M}" if token.last_used else "never used"
            created = f"created {token.created_at:%Y-%m-%d}"
            self.stdout.write(f"{token.prefix}  {token.user.get_username()}  {created}  {used}  {state}")
