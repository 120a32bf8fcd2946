"""`cepa filings show ID | list [--status S] | expire [--now TIME]`."""

from __future__ import annotations

import getpass
import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cepa.cli import parse_moment
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
        else:
            now = parse_moment(options["now"]) if options["now"] else None
            changed = ending.expire_filings(actor=f"cli:{getpass.getuser()}", now=now)
            self.stdout.write(f"{len(changed)} filings changed: {', '.join(changed) or '-'}")
