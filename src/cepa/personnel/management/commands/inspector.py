"""`cepa inspector ACTION ...`: the inspector register from the command line.

    cepa inspector register NUMBER --name-en NAME --grade GRADE --specialties 07,0915 --registered DATE
                            [--expires DATE] [--organisation ID] [--date-of-birth DATE] ...
    cepa inspector show NUMBER [--on DATE]          the public record with its history (JSON)
    cepa inspector lookup [NUMBER] [--name NAME --organisation ID] [--on DATE] [--lang LANG]
    cepa inspector renew NUMBER [--applied-on DATE]
    cepa inspector confirm NUMBER [--year YEAR] [--confirmed-on DATE]
    cepa inspector status NUMBER suspended|active|cancelled --on DATE --reason TEXT
    cepa inspector grade NUMBER GRADE --on DATE --evidence TEXT
    cepa inspector personal NUMBER [--email ...]    personal data (the read is logged)
    cepa inspector access-log NUMBER
    cepa inspector transfer NUMBER --to ORG --effective DATE
    cepa inspector review-transfer ID approve|refuse [--reason TEXT]
    cepa inspector show-transfer ID
    cepa inspector plan-reminders [--on DATE]

Output is JSON on stdout. Exit 0 done; 1 refused by a rule or the record's status (the reasons on
stderr; `lookup`: nobody registered); 2 bad input or an unknown record.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cepa.decisions.terms import BEIJING
from cepa.errors import EXIT_BAD_INPUT, EXIT_REFUSED, CepaError, InvalidInput, Refused, command_errors
from cepa.personnel import notify, selectors
from cepa.personnel.models import Grade, InspectorStatus
from cepa.personnel.services import personal_data, registration, transfers


def _date(value: str) -> dt.date:
    try:
        if len(value) != 10:
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date (YYYY-MM-DD)", returncode=EXIT_BAD_INPUT) from None


def _print(command: BaseCommand, value: Any) -> None:
    command.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str))


class Command(BaseCommand):
    help = "The CCC inspector register: registration, renewal, confirmation, status, grade, transfers."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        register = actions.add_parser("register", help="register an inspector")
        register.add_argument("number")
        register.add_argument("--name-en", required=True)
        register.add_argument("--name-zh-hant", default="")
        register.add_argument("--name-zh-hans", default="")
        register.add_argument("--grade", required=True, choices=Grade.values)
        register.add_argument("--specialties", required=True, help="families or types, comma-separated")
        register.add_argument("--registered", required=True, type=_date)
        register.add_argument("--expires", type=_date)
        register.add_argument("--organisation")
        register.add_argument("--date-of-birth", type=_date)
        register.add_argument("--identity-document", default="")
        register.add_argument("--email", default="")
        register.add_argument("--phone", default="")

        show = actions.add_parser("show", help="the public record and its history")
        show.add_argument("number")
        show.add_argument("--on", type=_date)

        lookup = actions.add_parser("lookup", help="is this person a registered inspector?")
        lookup.add_argument("number", nargs="?")
        lookup.add_argument("--name")
        lookup.add_argument("--organisation")
        lookup.add_argument("--on", type=_date)
        lookup.add_argument("--lang", default="en", choices=["en", "zh-Hant", "zh-Hans"])

        renew = actions.add_parser("renew", help="renew a registration")
        renew.add_argument("number")
        renew.add_argument("--applied-on", type=_date)
        renew.add_argument("--reason", default="")

        confirm = actions.add_parser("confirm", help="record an annual confirmation")
        confirm.add_argument("number")
        confirm.add_argument("--year", type=int)
        confirm.add_argument("--confirmed-on", type=_date)

        status = actions.add_parser("status", help="suspend, reinstate or cancel")
        status.add_argument("number")
        status.add_argument("status", choices=InspectorStatus.values)
        status.add_argument("--on", required=True, type=_date)
        status.add_argument("--reason", required=True)

        grade = actions.add_parser("grade", help="record a grade change with its evidence")
        grade.add_argument("number")
        grade.add_argument("grade", choices=Grade.values)
        grade.add_argument("--on", required=True, type=_date)
        grade.add_argument("--evidence", required=True)

        personal = actions.add_parser("personal", help="show (and optionally correct) personal data; logged")
        personal.add_argument("number")
        personal.add_argument("--date-of-birth", type=_date)
        personal.add_argument("--identity-document")
        personal.add_argument("--email")
        personal.add_argument("--phone")

        log = actions.add_parser("access-log", help="who read this inspector's personal data")
        log.add_argument("number")

        transfer = actions.add_parser("transfer", help="request a change of institution")
        transfer.add_argument("number")
        transfer.add_argument("--to", required=True, dest="to_organisation")
        transfer.add_argument("--effective", required=True, type=_date)

        review = actions.add_parser("review-transfer", help="approve or refuse a transfer")
        review.add_argument("transfer", type=int)
        review.add_argument("decision", choices=["approve", "refuse"])
        review.add_argument("--reason", default="")

        show_transfer = actions.add_parser("show-transfer", help="a transfer with its history")
        show_transfer.add_argument("transfer", type=int)

        plan = actions.add_parser("plan-reminders", help="schedule expiry and confirmation reminders")
        plan.add_argument("--on", type=_date)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = f"cli:{getpass.getuser()}"
        action = options["action"]
        handler = getattr(self, "_" + action.replace("-", "_"))
        with command_errors(say=self._say):
            handler(actor, options)

    def _say(self, error: CepaError) -> str:
        """A refusal lists its reasons as JSON on stderr; the rest is one line."""
        if isinstance(error, Refused):
            self.stderr.write(json.dumps(error.body(), ensure_ascii=False, default=str))
            return "refused: " + ", ".join(error.failing)
        if isinstance(error, InvalidInput):
            return error.message
        return f"{error.code}: {error.message}"

    def _show_record(self, number: str, on: dt.date | None = None) -> None:
        found = selectors.inspector(None, number, on)
        if found is None:
            raise CommandError(f"no inspector with registration number {number!r}", returncode=EXIT_BAD_INPUT)
        _print(self, found)

    def _register(self, actor: str, o: dict[str, Any]) -> None:
        names = {"en": o["name_en"], "zh-Hant": o["name_zh_hant"], "zh-Hans": o["name_zh_hans"]}
        registration.register_inspector(
            actor=actor,
            channel="cli",
            id=o["number"],
            name={k: v for k, v in names.items() if v},
            grade=o["grade"],
            specialties=[c.strip() for c in o["specialties"].split(",") if c.strip()],
            registered=o["registered"],
            expires=o["expires"],
            organisation=o["organisation"],
            date_of_birth=o["date_of_birth"],
            identity_document=o["identity_document"],
            email=o["email"],
            phone=o["phone"],
        )
        self._show_record(o["number"])

    def _show(self, actor: str, o: dict[str, Any]) -> None:
        self._show_record(o["number"], o["on"])

    def _lookup(self, actor: str, o: dict[str, Any]) -> None:
        if not o["number"] and not (o["name"] and o["organisation"]):
            raise CommandError(
                "give a registration number, or --name with --organisation", returncode=EXIT_BAD_INPUT
            )
        items = selectors.lookup(
            number=o["number"], name=o["name"], organisation=o["organisation"], on=o["on"], lang=o["lang"]
        )
        _print(self, items)
        if not any(item["registered"] for item in items):
            raise CommandError("not a registered inspector on that date", returncode=EXIT_REFUSED)

    def _renew(self, actor: str, o: dict[str, Any]) -> None:
        registration.renew_registration(
            actor=actor,
            channel="cli",
            inspector_id=o["number"],
            applied_on=o["applied_on"],
            reason=o["reason"],
        )
        self._show_record(o["number"])

    def _confirm(self, actor: str, o: dict[str, Any]) -> None:
        registration.confirm_annual(
            actor=actor,
            channel="cli",
            inspector_id=o["number"],
            year=o["year"],
            confirmed_on=o["confirmed_on"],
        )
        _print(self, selectors.confirmations(o["number"]))

    def _status(self, actor: str, o: dict[str, Any]) -> None:
        registration.change_status(
            actor=actor,
            channel="cli",
            inspector_id=o["number"],
            status=o["status"],
            on=o["on"],
            reason=o["reason"],
        )
        self._show_record(o["number"])

    def _grade(self, actor: str, o: dict[str, Any]) -> None:
        registration.change_grade(
            actor=actor,
            channel="cli",
            inspector_id=o["number"],
            grade=o["grade"],
            on=o["on"],
            evidence=o["evidence"],
        )
        self._show_record(o["number"])

    def _personal(self, actor: str, o: dict[str, Any]) -> None:
        values = {name: o[name] for name in personal_data.PERSONAL_FIELDS if o[name] is not None}
        if values:
            personal_data.update_personal_data(
                actor=actor, channel="cli", inspector_id=o["number"], values=values
            )
        _print(
            self, personal_data.disclose_personal_data(actor=actor, channel="cli", inspector_id=o["number"])
        )

    def _access_log(self, actor: str, o: dict[str, Any]) -> None:
        if selectors.inspector(None, o["number"]) is None:
            raise CommandError(
                f"no inspector with registration number {o['number']!r}", returncode=EXIT_BAD_INPUT
            )
        _print(self, selectors.access_log(o["number"]))

    def _transfer(self, actor: str, o: dict[str, Any]) -> None:
        transfer = transfers.request_transfer(
            actor=actor,
            channel="cli",
            inspector_id=o["number"],
            to_organisation=o["to_organisation"],
            effective=o["effective"],
        )
        _print(self, selectors.transfer_records([transfer.pk])[0])

    def _review_transfer(self, actor: str, o: dict[str, Any]) -> None:
        transfer = transfers.review_transfer(
            actor=actor, channel="cli", transfer_id=o["transfer"], action=o["decision"], reason=o["reason"]
        )
        _print(self, selectors.transfer_records([transfer.pk])[0])

    def _show_transfer(self, actor: str, o: dict[str, Any]) -> None:
        found = selectors.transfer_records([o["transfer"]])
        if not found:
            raise CommandError(f"no transfer with id {o['transfer']}", returncode=EXIT_BAD_INPUT)
        _print(self, found[0])

    def _plan_reminders(self, actor: str, o: dict[str, Any]) -> None:
        day = o["on"] or selectors.beijing_today()
        now = dt.datetime.combine(day, dt.time(0, 0), tzinfo=BEIJING) if o["on"] else None
        wanted, scheduled = notify.schedule_inspector_reminders(actor=actor, now=now)
        _print(self, {"wanted": wanted, "scheduled": scheduled})
