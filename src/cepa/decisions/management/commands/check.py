"""`cepa check QUESTION ...` answers a question of the rules engine; plain `cepa check` is Django's.

Exit codes (contract §3): 0 allowed (designation: may apply now; enquiry: always), 1 refused,
2 bad input with the message on stderr and nothing on stdout.
"""

from __future__ import annotations

import json
from typing import Any, NoReturn

from django.core.management.base import CommandParser
from django.core.management.commands.check import Command as SystemCheckCommand

from cepa.decisions.services import QUESTIONS, DecisionInputError, decide

EXIT_REFUSED = 1
EXIT_BAD_INPUT = 2

# The positional arguments after the question, in order.
POSITIONALS: dict[str, tuple[str, ...]] = {
    "testing": ("subject", "product_type"),
    "inspection": ("subject", "org", "product_type"),
    "designation": ("subject", "product_type"),
    "enquiry": ("product_type",),
    "certificate": ("subject",),
}
# How a positional argument is named in usage and messages, where not its upper-cased name.
DISPLAY = {("certificate", "subject"): "NUMBER"}
OPTION_NAMES = {"on": "--on", "at": "--at", "lang": "--lang"}


class Command(SystemCheckCommand):
    help = (
        "Checks the project (Django's system check), or answers a rules question: "
        "check testing SUBJECT PRODUCT_TYPE [--on DATE] | check inspection SUBJECT ORG PRODUCT_TYPE "
        "[--on DATE] | check designation SUBJECT PRODUCT_TYPE [--at TIME] | check enquiry PRODUCT_TYPE | "
        "check certificate NUMBER [--on DATE]; "
        "--lang en|zh-Hant|zh-Hans."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--on", help="Date YYYY-MM-DD (testing, inspection, certificate); default today in Beijing."
        )
        parser.add_argument("--at", help="ISO 8601 timestamp (designation); default now.")
        parser.add_argument("--lang", help="Language of the messages: en, zh-Hant or zh-Hans.")

    def handle(self, *args: Any, **options: Any) -> None:
        if args and args[0] in QUESTIONS:
            self.answer(args[0], list(args[1:]), options)
            return
        for name, flag in OPTION_NAMES.items():
            if options.get(name) is not None:
                self.fail(f"{flag} is only for a question ({', '.join(QUESTIONS)})")
        super().handle(*args, **options)

    def fail(self, message: str) -> NoReturn:
        self.stderr.write(f"cepa check: {message}")
        raise SystemExit(EXIT_BAD_INPUT)

    def answer(self, question: str, values: list[str], options: dict[str, Any]) -> None:
        if (
            options.get("tags")
            or options.get("list_tags")
            or options.get("deploy")
            or options.get("databases")
        ):
            self.fail(f"the {question} question takes no system check options")
        names = POSITIONALS[question]
        shown = [DISPLAY.get((question, name), name.upper()) for name in names]
        usage = f"usage: check {question} {' '.join(shown)}"
        if len(values) > len(names):
            extra = " ".join(values[len(names) :])
            self.fail(f"{question}: extra argument {extra!r} ({usage})")
        if len(values) < len(names):
            missing = " ".join(shown[len(values) :])
            self.fail(f"{question}: missing argument {missing} ({usage})")
        arguments: dict[str, Any] = dict(zip(names, values, strict=True))
        try:
            decision = decide(
                question, on=options.get("on"), at=options.get("at"), lang=options.get("lang"), **arguments
            )
        except DecisionInputError as error:
            name = OPTION_NAMES.get(error.field) or DISPLAY.get((question, error.field), error.field.upper())
            self.fail(f"{question}: {name}: {error.message}")
        self.stdout.write(json.dumps(decision.to_json(), indent=2, ensure_ascii=False))
        if not decision.allowed:
            raise SystemExit(EXIT_REFUSED)
