"""`cepa user create USERNAME --role ROLE [--organisation ID] [--password PASSWORD]`."""

from __future__ import annotations

import getpass
import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cepa.accounts.models import Role
from cepa.accounts.services import create_user
from cepa.cli import cli_actor
from cepa.errors import EXIT_BAD_INPUT, InvalidInput


class Command(BaseCommand):
    help = "Manages accounts: `cepa user create USERNAME --role ROLE [--organisation ID]`."

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

    def handle(self, *args: Any, **options: Any) -> None:
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

    def _ask_password(self) -> str:
        if not sys.stdin.isatty():
            return ""  # no password: the account signs in with API tokens only
        return getpass.getpass("Password (empty for none): ")
