"""`cepa reminder-language USERNAME LANG`: the language a user receives reminders in."""

from __future__ import annotations

import getpass
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from cepa.errors import command_errors
from cepa.reminders.models import Language
from cepa.reminders.services import set_language


class Command(BaseCommand):
    help = "Sets the language (en, zh-Hant, zh-Hans) a user receives reminders in."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")
        parser.add_argument("language", choices=Language.values)

    def handle(self, *args: Any, **options: Any) -> None:
        with command_errors(say=str):
            set_language(
                actor=f"cli:{getpass.getuser()}", username=options["username"], language=options["language"]
            )
        self.stdout.write(f"{options['username']} receives reminders in {options['language']}")
