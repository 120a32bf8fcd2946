"""`cepa plan-reminders`: schedules the reminders the registry's dates call for (idempotent)."""

from __future__ import annotations

import getpass
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from cepa.cli import parse_moment
from cepa.reminders.planner import plan_reminders


class Command(BaseCommand):
    help = (
        "Schedules reminders of 1 April deadlines, plan windows, agreement expiries and accreditation "
        "changes; cancels pending ones no longer called for. Safe to run any number of times."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--now", help="plan as of this timestamp (default: now)")

    def handle(self, *args: Any, **options: Any) -> None:
        now = parse_moment(options["now"]) if options["now"] else None
        report = plan_reminders(actor=f"cli:{getpass.getuser()}", now=now)
        self.stdout.write(report.line())
