"""`cepa eoi create ORGANISATION YEAR PRODUCT_TYPE... --as USERNAME` and `cepa eoi list`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from cepa.designation import selectors, services
from cepa.designation.management.commands._workflow import WorkflowCommand, act, reader


class Command(WorkflowCommand):
    help = (
        "Expressions of interest in a year's designation plans: `eoi create ORGANISATION YEAR "
        "PRODUCT_TYPE... --as USERNAME` (before 1 April 00:00 Beijing time), `eoi list [--year YEAR] "
        "[--by-product-type]`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = self.add_actions(parser)
        create = actions.add_parser("create", help="express interest for a Mainland body (its applicant)")
        create.add_argument("organisation")
        create.add_argument("year", type=int)
        create.add_argument("product_types", nargs="+", metavar="PRODUCT_TYPE")
        self.as_option(create)
        listing = actions.add_parser("list", help="expressions of interest, or grouped by product type")
        listing.add_argument("--year", type=int)
        listing.add_argument("--by-product-type", action="store_true")
        self.as_option(listing, required=False)

    def _create(self, options: dict[str, Any]) -> Any:
        user, created = act(
            options,
            services.express_interest,
            organisation=options["organisation"],
            year=options["year"],
            product_types=options["product_types"],
        )
        return selectors.expression_of_interest(user, created.id)

    def _list(self, options: dict[str, Any]) -> Any:
        user = reader(options["as_user"])
        if options["by_product_type"]:
            return selectors.expressions_by_product_type(user, year=options["year"])
        ids = list(selectors.expressions_of_interest(user, year=options["year"]).values_list("pk", flat=True))
        return selectors.expression_of_interest_records(ids)
