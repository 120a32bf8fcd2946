"""`cepa send-reminders`: sends the reminders that are due, each at most once. Run it every minute."""

from __future__ import annotations

import datetime as dt
import getpass
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cepa.cli import parse_moment
from cepa.reminders.sweep import LEASE, requeue_uncertain, send_reminders

EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = (
        "Sends the reminders that are due (idempotent: safe to run every minute and after a crash; "
        "a delivery interrupted while being handed to the mail server is marked uncertain, not resent)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--now", help="act as of this timestamp (default: now)")
        parser.add_argument("--limit", type=int, help="send at most this many emails in this run")
        parser.add_argument(
            "--lease",
            type=int,
            default=int(LEASE.total_seconds()),
            help="seconds after which a delivery left by a dead sweep is looked at again (default 600)",
        )
        parser.add_argument(
            "--requeue-uncertain",
            nargs="*",
            type=int,
            metavar="DELIVERY",
            help="send these uncertain deliveries again (all of them without ids), at the risk of a copy",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["requeue_uncertain"] is not None:
            ids = requeue_uncertain(
                actor=f"cli:{getpass.getuser()}", ids=options["requeue_uncertain"] or None
            )
            self.stdout.write(f"requeued {len(ids)} uncertain deliveries: {', '.join(map(str, ids)) or '-'}")
        if options["lease"] <= 0 or (options["limit"] is not None and options["limit"] <= 0):
            raise CommandError("--lease and --limit must be positive", returncode=EXIT_BAD_INPUT)
        now = parse_moment(options["now"]) if options["now"] else None
        report = send_reminders(now=now, lease=dt.timedelta(seconds=options["lease"]), limit=options["limit"])
        for line in report.lines():
            self.stdout.write(line)
        if report.unavailable:
            # Nothing is lost (the rest waits for the next run), but monitoring should hear of it.
            raise CommandError(f"email backend unavailable: {report.unavailable}", returncode=1)
