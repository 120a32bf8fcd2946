"""`cepa reminder-language USERNAME LANG`: the language a user receives reminders in."""

from __future__ import annotations

import getpass
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cepa.reminders.models import Language
from cepa.reminders.services import ReminderInvalid, set_language

EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = "Sets the language (en, zh-Hant, zh-Hans) a user receives reminders in."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")
        parser.add_argument("language", choices=Language.values)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            set_language(
                actor=f"cli:{getpass.getuser()}", username=options["username"], language=options["language"]
            )
        except ReminderInvalid as error:
            raise CommandError(str(error), returncode=EXIT_BAD_INPUT) from error
        self.stdout.write(f"{options['username']} receives reminders in {options['language']}")
