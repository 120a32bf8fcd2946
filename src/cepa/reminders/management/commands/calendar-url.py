"""`cepa calendar-url ORGANISATION [--base URL] [--rotate]`: the secret address of an organisation's
calendar feed, for calendar programs (which cannot send an API token). `--rotate` gives the feed a new
key first, so the address given out before stops working."""

from __future__ import annotations

import getpass
from argparse import ArgumentParser
from typing import Any
from urllib.parse import quote, urlencode

from django.core.management.base import BaseCommand, CommandError

from cepa.bodies.models import Organisation
from cepa.errors import InvalidInput
from cepa.reminders.calendar import feed_key
from cepa.reminders.services import rotate_feed_key

EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = "Prints the address of an organisation's iCalendar feed, with its key."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("organisation")
        parser.add_argument("--base", default="http://127.0.0.1:8000", help="the site's address")
        parser.add_argument("--lang", default="en", choices=["en", "zh-Hant", "zh-Hans"])
        parser.add_argument(
            "--rotate",
            action="store_true",
            help="give the feed a new key first: the address given out before stops working",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = options["organisation"]
        if not Organisation.objects.filter(pk=organisation).exists():
            raise CommandError(f"no organisation with id {organisation!r}", returncode=EXIT_BAD_INPUT)
        if options["rotate"]:
            try:
                version = rotate_feed_key(actor=f"cli:{getpass.getuser()}", organisation_id=organisation)
            except InvalidInput as error:
                raise CommandError(str(error.message), returncode=EXIT_BAD_INPUT) from error
            self.stderr.write(
                f"the calendar feed key of {organisation} is rotated (version {version}): "
                "the address given out before no longer works"
            )
        query = urlencode({"key": feed_key(organisation), "lang": options["lang"]})
        path = f"/api/v1/organisations/{quote(organisation, safe='')}/calendar.ics"
        self.stdout.write(f"{options['base'].rstrip('/')}{path}?{query}")
