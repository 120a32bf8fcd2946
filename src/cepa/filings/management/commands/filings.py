"""`cepa filings show ID | list [--status S] | expire [--now TIME]
| correct-termination ID (--on DATE | --undo) --reason TEXT`."""

from __future__ import annotations

import datetime as dt
import getpass
import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cepa.cli import parse_moment
from cepa.errors import command_errors
from cepa.filings import selectors
from cepa.filings.models import AgreementFiling, FilingStatus
from cepa.filings.services import ending

EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = "Agreement filings: show one, list them, or mark those whose range has ended as expired."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        show = actions.add_parser("show", help="a filing with its history, as JSON")
        show.add_argument("filing_id")
        listing = actions.add_parser("list", help="filings, one a line")
        listing.add_argument("--status", choices=FilingStatus.values)
        expire = actions.add_parser("expire", help="mark filings past their range expired (idempotent)")
        expire.add_argument("--now", help="as of this timestamp (default: now)")
        correct = actions.add_parser(
            "correct-termination",
            help="correct the day a terminated filing's agreement ends, or undo the termination",
        )
        correct.add_argument("filing_id")
        day = correct.add_mutually_exclusive_group(required=True)
        day.add_argument("--on", help="the right first day the agreement is no longer in force (YYYY-MM-DD)")
        day.add_argument("--undo", action="store_true", help="the agreement was not terminated after all")
        correct.add_argument("--reason", required=True, help="why (kept in the history)")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "show":
            found = selectors.filing_detail(options["filing_id"])
            if found is None:
                raise CommandError(
                    f"no agreement filing with id {options['filing_id']!r}", returncode=EXIT_BAD_INPUT
                )
            self.stdout.write(json.dumps(found, ensure_ascii=False, indent=2))
        elif action == "list":
            queryset = AgreementFiling.objects.order_by("id")
            if options["status"]:
                queryset = queryset.filter(status=options["status"])
            for filing in queryset:
                until = filing.valid_until or "open"
                codes = ",".join(filing.product_types)
                self.stdout.write(
                    f"{filing.id}  {filing.status:<10}  {filing.kind}  {filing.party_id} → "
                    f"{filing.counterparty_id}  {filing.valid_from}..{until}  {codes}"
                )
        elif action == "correct-termination":
            on = None
            if options["on"] is not None:
                try:
                    on = dt.date.fromisoformat(options["on"])
                except ValueError:
                    raise CommandError(
                        f"--on: {options['on']!r} is not a date (YYYY-MM-DD)", returncode=EXIT_BAD_INPUT
                    ) from None
            with command_errors():
                filing = ending.correct_termination(
                    actor=f"cli:{getpass.getuser()}",
                    filing_id=options["filing_id"],
                    on=on,
                    reason=options["reason"],
                )
            ends = f"terminated from {filing.terminated_on}" if filing.terminated_on else "in force again"
            self.stdout.write(f"{filing.id}: {filing.status}, the agreement {ends}")
        else:
            now = parse_moment(options["now"]) if options["now"] else None
            changed = ending.expire_filings(actor=f"cli:{getpass.getuser()}", now=now)
            self.stdout.write(f"{len(changed)} filings changed: {', '.join(changed) or '-'}")
