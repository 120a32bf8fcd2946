"""`cepa user create USERNAME --role ROLE [--organisation ID] [--password PASSWORD]`, and
`cepa user totp USERNAME`: a new authenticator key for an officer or administrator (printed once)."""

from __future__ import annotations

import base64
import getpass
import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cepa.accounts.models import Role
from cepa.accounts.services import create_user, enrol_totp
from cepa.cli import cli_actor
from cepa.errors import EXIT_BAD_INPUT, InvalidInput


class Command(BaseCommand):
    help = (
        "Manages accounts: `cepa user create USERNAME --role ROLE [--organisation ID]`; "
        "`cepa user totp USERNAME` enrols an authenticator app (officers and administrators)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = actions.add_parser("create", help="create a user with a role")
        create.add_argument("username")
        create.add_argument("--role", required=True, choices=Role.values)
        create.add_argument("--organisation", help="the organisation's id (required for applicants)")
        create.add_argument("--email", default="")
        create.add_argument(
            "--password",
            help="the password for the web sign-in (else CEPA_PASSWORD, else asked on a terminal; optional)",
        )
        totp = actions.add_parser(
            "totp", help="give an officer or administrator a new authenticator key (replaces the old one)"
        )
        totp.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "totp":
            self._totp(options["username"])
            return
        password = options["password"] or os.environ.get("CEPA_PASSWORD") or self._ask_password()
        try:
            user = create_user(
                actor=cli_actor(),
                username=options["username"],
                role=options["role"],
                organisation=options["organisation"],
                password=password or None,
                email=options["email"],
            )
        except InvalidInput as error:
            flag = error.field if error.field == "username" else f"--{error.field}"
            raise CommandError(f"{flag}: {error.errors[error.field]}", returncode=EXIT_BAD_INPUT) from error
        of = f" of {options['organisation']}" if options["organisation"] else ""
        self.stdout.write(f"Created user {user.get_username()} with role {options['role']}{of}")

    def _totp(self, username: str) -> None:
        try:
            device, uri = enrol_totp(actor=cli_actor(), username=username)
        except InvalidInput as error:
            raise CommandError(
                f"{username}: {error.errors[error.field]}", returncode=EXIT_BAD_INPUT
            ) from error
        key = base64.b32encode(device.bin_key).decode("ascii")
        self.stdout.write(
            f"A new authenticator key for {username} (shown once; any earlier key no longer works).\n"
            "Open this link on the phone with the authenticator app, or enter the key by hand:\n"
            f"  {uri}\n"
            f"  key: {key}  (time-based, 6 digits, every 30 seconds)"
        )

    def _ask_password(self) -> str:
        if not sys.stdin.isatty():
            return ""  # no password: the account signs in with API tokens only
        return getpass.getpass("Password (empty for none): ")
