"""`cepa plans create|update|publish|close|show|list`: designation plans (CNCA officers)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from cepa.designation import selectors, services
from cepa.designation.management.commands._workflow import (
    WorkflowCommand,
    act,
    acting_user,
    actor,
    reader,
)
from cepa.errors import EXIT_BAD_INPUT

LANGUAGES = (
    ("en", "requirements_en"),
    ("zh-Hant", "requirements_zh_hant"),
    ("zh-Hans", "requirements_zh_hans"),
)


def _requirement_options(parser: CommandParser) -> None:
    for lang, dest in LANGUAGES:
        parser.add_argument(
            f"--requirements-{lang.lower()}",
            dest=dest,
            metavar="TEXT",
            help=f"what applicants must meet ({lang})",
        )


def _requirements(options: dict[str, Any]) -> dict[str, str] | None:
    texts = {lang: options[dest] for lang, dest in LANGUAGES if options.get(dest) is not None}
    return texts or None


class Command(WorkflowCommand):
    help = (
        "Designation plans: `plans create ID --year YEAR --role ROLE --product-types CODE... --opens TIME "
        "--closes TIME --as USERNAME`, `plans update ID ...`, `plans publish ID`, `plans close ID --reason "
        "TEXT`, `plans show ID`, `plans list`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = self.add_actions(parser)
        create = actions.add_parser("create", help="draft a plan")
        create.add_argument("id")
        create.add_argument("--year", type=int, required=True)
        create.add_argument("--role", required=True, choices=["laboratory", "certification_body"])
        create.add_argument("--product-types", nargs="+", required=True, metavar="CODE")
        create.add_argument("--opens", required=True, help="ISO 8601; without an offset, Beijing time")
        create.add_argument("--closes", required=True)
        # None required unless the publisher says so (contract rev. 2); the negative form stays accepted.
        interest = create.add_mutually_exclusive_group()
        interest.add_argument(
            "--expression-of-interest",
            dest="requires_expression_of_interest",
            action="store_true",
            help="the plan requires an expression of interest (by default it does not)",
        )
        interest.add_argument(
            "--no-expression-of-interest",
            dest="requires_expression_of_interest",
            action="store_false",
            help="the plan does not require an expression of interest (the default)",
        )
        _requirement_options(create)
        self.as_option(create)

        update = actions.add_parser(
            "update", help="change a plan (window and product types only while draft)"
        )
        update.add_argument("id")
        update.add_argument("--year", type=int)
        update.add_argument("--role", choices=["laboratory", "certification_body"])
        update.add_argument("--product-types", nargs="+", metavar="CODE")
        update.add_argument("--opens")
        update.add_argument("--closes")
        update.add_argument("--requires-expression-of-interest", choices=["yes", "no"])
        _requirement_options(update)
        update.add_argument("--reason", default="")
        self.as_option(update)

        publish = actions.add_parser("publish", help="publish a draft plan today")
        publish.add_argument("id")
        self.as_option(publish)

        close = actions.add_parser("close", help="close a published plan's window early")
        close.add_argument("id")
        close.add_argument("--reason", required=True)
        self.as_option(close)

        show = actions.add_parser("show", help="a plan with its history")
        show.add_argument("id")
        self.as_option(show, required=False)

        listing = actions.add_parser("list", help="plans")
        listing.add_argument("--year", type=int)
        listing.add_argument("--status", choices=["draft", "published", "closed"])
        self.as_option(listing, required=False)

    def _show_plan(self, user: Any, plan_id: str) -> dict[str, Any]:
        found = selectors.plan(user, plan_id)
        if found is None:
            raise CommandError(f"no plan with id {plan_id!r}", returncode=EXIT_BAD_INPUT)
        return found

    def _create(self, options: dict[str, Any]) -> Any:
        user = acting_user(options["as_user"])
        plan = services.create_plan(
            actor=actor(user),
            user=user,
            id=options["id"],
            year=options["year"],
            role=options["role"],
            product_types=options["product_types"],
            window={"opens": options["opens"], "closes": options["closes"]},
            requires_expression_of_interest=options["requires_expression_of_interest"],
            requirements=_requirements(options),
            channel="cli",
        )
        return self._show_plan(user, plan.id)

    def _update(self, options: dict[str, Any]) -> Any:
        user = acting_user(options["as_user"])
        changes: dict[str, Any] = {}
        for name in ("year", "role", "product_types"):
            if options[name] is not None:
                changes[name] = options[name]
        if options["opens"] is not None or options["closes"] is not None:
            plan = services.find_plan(user=user, plan_id=options["id"])
            changes["window"] = {
                "opens": options["opens"] or plan.opens.isoformat(),
                "closes": options["closes"] or plan.closes.isoformat(),
            }
        if options["requires_expression_of_interest"] is not None:
            changes["requires_expression_of_interest"] = options["requires_expression_of_interest"] == "yes"
        if _requirements(options):
            changes["requirements"] = _requirements(options)
        if not changes:
            raise CommandError("name at least one field to change", returncode=EXIT_BAD_INPUT)
        services.update_plan(
            actor=actor(user),
            user=user,
            plan_id=options["id"],
            changes=changes,
            reason=options["reason"],
            channel="cli",
        )
        return self._show_plan(user, options["id"])

    def _publish(self, options: dict[str, Any]) -> Any:
        user, _plan = act(options, services.publish_plan, plan_id=options["id"])
        return self._show_plan(user, options["id"])

    def _close(self, options: dict[str, Any]) -> Any:
        user, _plan = act(options, services.close_plan, plan_id=options["id"], reason=options["reason"])
        return self._show_plan(user, options["id"])

    def _show(self, options: dict[str, Any]) -> Any:
        return self._show_plan(reader(options["as_user"]), options["id"])

    def _list(self, options: dict[str, Any]) -> Any:
        user = reader(options["as_user"])
        ids = list(
            selectors.plans(user, year=options["year"], status=options["status"]).values_list("pk", flat=True)
        )
        return selectors.plan_records(ids)
