"""`cepa applications create|submit|review|withdraw|attach|show|list`: designation applications."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from cepa.cli import cli_actor
from cepa.designation import selectors, services
from cepa.designation.management.commands._workflow import (
    WorkflowCommand,
    act,
    acting_user,
    actor,
    numbered_record,
    reader,
)
from cepa.errors import EXIT_BAD_INPUT


class Command(WorkflowCommand):
    help = (
        "Designation applications: `applications create ORGANISATION PRODUCT_TYPE... --as USERNAME`, "
        "`applications submit ID`, `applications review ID start|request_information|approve|refuse "
        "[--reason TEXT]`, `applications withdraw ID`, `applications attach ID FILE.pdf`, "
        "`applications show ID`, `applications list`, `applications refresh-periods`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = self.add_actions(parser)
        create = actions.add_parser("create", help="draft an application for your organisation")
        create.add_argument("organisation")
        create.add_argument("product_types", nargs="+", metavar="PRODUCT_TYPE")
        self.as_option(create)

        submit = actions.add_parser("submit", help="submit a draft, or answer a request for information")
        submit.add_argument("id")
        self.as_option(submit)

        review = actions.add_parser("review", help="a CNCA officer's step")
        review.add_argument("id")
        review.add_argument("review_action", metavar="ACTION", choices=list(services.REVIEW_ACTIONS))
        review.add_argument("--reason", default="")
        self.as_option(review)

        withdraw = actions.add_parser("withdraw", help="withdraw an application")
        withdraw.add_argument("id")
        withdraw.add_argument("--reason", default="")
        self.as_option(withdraw)

        attach = actions.add_parser("attach", help="add a supporting PDF")
        attach.add_argument("id")
        attach.add_argument("file", type=Path)
        self.as_option(attach)

        show = actions.add_parser("show", help="an application with its history")
        show.add_argument("id")
        self.as_option(show, required=False)

        actions.add_parser(
            "refresh-periods",
            help="count again provisional objection periods now that the holiday schedule may be announced",
        )

        listing = actions.add_parser("list", help="applications")
        listing.add_argument("--status")
        listing.add_argument("--organisation")
        self.as_option(listing, required=False)

    def _record(self, user: Any, application_id: Any) -> dict[str, Any]:
        return numbered_record(selectors.application, "application", user, application_id)

    def _create(self, options: dict[str, Any]) -> Any:
        user, application = act(
            options,
            services.create_application,
            organisation=options["organisation"],
            product_types=options["product_types"],
        )
        return self._record(user, application.pk)

    def _submit(self, options: dict[str, Any]) -> Any:
        user, _application = act(options, services.submit_application, application_id=options["id"])
        return self._record(user, options["id"])

    def _review(self, options: dict[str, Any]) -> Any:
        user, _application = act(
            options,
            services.review_application,
            application_id=options["id"],
            action=options["review_action"],
            reason=options["reason"],
        )
        return self._record(user, options["id"])

    def _withdraw(self, options: dict[str, Any]) -> Any:
        user, _application = act(
            options, services.withdraw_application, application_id=options["id"], reason=options["reason"]
        )
        return self._record(user, options["id"])

    def _attach(self, options: dict[str, Any]) -> Any:
        user = acting_user(options["as_user"])
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(
                f"FILE: cannot read {path}: {error.strerror}", returncode=EXIT_BAD_INPUT
            ) from error
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        document = services.add_document(
            actor=actor(user),
            user=user,
            application_id=options["id"],
            filename=path.name,
            content_type=content_type,
            data=data,
            channel="cli",
        )
        return selectors.document_record(document)

    def _refresh_periods(self, options: dict[str, Any]) -> Any:
        moved = services.refresh_provisional_periods(actor=cli_actor())
        return selectors.application_summaries([application.pk for application in moved])

    def _show(self, options: dict[str, Any]) -> Any:
        return self._record(reader(options["as_user"]), options["id"])

    def _list(self, options: dict[str, Any]) -> Any:
        user = reader(options["as_user"])
        queryset = selectors.applications(
            user, status=options["status"], organisation=options["organisation"]
        )
        return selectors.application_summaries(list(queryset.values_list("pk", flat=True)))
