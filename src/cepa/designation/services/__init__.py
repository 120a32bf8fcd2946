"""The write path of the designation workflows: expressions of interest, plans, applications,
their supporting documents and objections.

Every function takes keyword arguments only, an `actor` (written to the change log) and the acting
`user` (whose role and organisation are checked here, so the API and the command line cannot
disagree), runs in one transaction, and checks in the contract's order (cepa.errors): the role may not do it
(NotAllowed), no such record (NotFound), bad input (InvalidInput), the status does not allow it
(Conflict), a rule refuses it (Refused). Nothing is written before every check passed.
Status changes are compare-and-swap updates; each step is kept in the record's history.
"""

from __future__ import annotations

from cepa.designation.services.applications import (
    REVIEW_ACTIONS,
    Route,
    application_state,
    check_may_apply,
    check_review_action,
    create_application,
    find_application,
    parse_id,
    refresh_provisional_periods,
    review_application,
    submit_application,
    withdraw_application,
)
from cepa.designation.services.base import (
    APPLICATIONS,
    CODE,
    DEFAULT_MAX_DOCUMENT_BYTES,
    DOCUMENTS,
    FIXED_WHEN_PUBLISHED,
    OBJECTION_WORKING_DAYS,
    OBJECTIONS,
    PDF_MAGIC,
    PLAN_ID,
    PLANS_WORKFLOW,
    REQUIREMENT_LANGUAGES,
)
from cepa.designation.services.documents import (
    DOCUMENT_STATUSES,
    add_document,
    check_document,
    max_document_bytes,
)
from cepa.designation.services.interest import (
    check_may_express_interest,
    express_interest,
)
from cepa.designation.services.objections import (
    OBJECTION_ACTIONS,
    check_objection_action,
    find_application_to_object,
    find_objection,
    lodge_objection,
    objection_state,
    review_objection,
)
from cepa.designation.services.plans import (
    check_may_manage_plans,
    close_plan,
    create_plan,
    find_plan,
    plan_state,
    publish_plan,
    update_plan,
)

__all__ = [
    "APPLICATIONS",
    "CODE",
    "DEFAULT_MAX_DOCUMENT_BYTES",
    "DOCUMENTS",
    "DOCUMENT_STATUSES",
    "FIXED_WHEN_PUBLISHED",
    "OBJECTIONS",
    "OBJECTION_ACTIONS",
    "OBJECTION_WORKING_DAYS",
    "PDF_MAGIC",
    "PLANS_WORKFLOW",
    "PLAN_ID",
    "REQUIREMENT_LANGUAGES",
    "REVIEW_ACTIONS",
    "Route",
    "add_document",
    "application_state",
    "check_document",
    "check_may_apply",
    "check_may_express_interest",
    "check_may_manage_plans",
    "check_objection_action",
    "check_review_action",
    "close_plan",
    "create_application",
    "create_plan",
    "express_interest",
    "find_application",
    "find_application_to_object",
    "find_objection",
    "find_plan",
    "lodge_objection",
    "max_document_bytes",
    "objection_state",
    "parse_id",
    "plan_state",
    "publish_plan",
    "refresh_provisional_periods",
    "review_application",
    "review_objection",
    "submit_application",
    "update_plan",
    "withdraw_application",
]
