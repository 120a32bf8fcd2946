"""Reads of the inspector register.

Public reads (`public_records`, `inspector`, `lookup`) build on the interchange record, which has no
personal data: date of birth, identity document, email and phone never leave the registry through them.
Personal data is read only through cepa.personnel.services.personal_data.disclose_personal_data, which
logs the read.
Transfers are scoped to the user (Transfer.objects.restrict).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import (
    Case,
    CharField,
    Expression,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from cepa.accounts import permissions
from cepa.bodies.models import Organisation
from cepa.dates import day_after, day_before
from cepa.decisions.selectors import InspectorStanding, in_force_filter, inspector_standing
from cepa.decisions.terms import INSPECTOR_STATUS_ORDER
from cepa.filters import filtered
from cepa.history.models import Change
from cepa.personnel import messages
from cepa.personnel.filters import InspectorFilter, TransferFilter
from cepa.personnel.models import (
    Affiliation,
    AnnualConfirmation,
    Inspector,
    InspectorEvent,
    InspectorStatus,
    PersonalDataAccess,
    Renewal,
    Transfer,
)
from cepa.personnel.records import INSPECTORS

BEIJING = ZoneInfo("Asia/Shanghai")
# The record's fields that are public (events show in the history instead).
PUBLIC_FIELDS = ("id", "name", "grade", "specialties", "registered", "expires", "affiliations")
# Order of history entries of the same day.
_HISTORY_ORDER = {
    "registered": 0,
    "left": 1,
    "transferred": 2,
    "affiliated": 2,
    "grade": 3,
    "status": 4,
    "renewed": 5,
    "expired": 6,
}


def beijing_today() -> dt.date:
    return timezone.localdate(timezone=BEIJING)


def public_record(record: dict[str, Any], day: dt.date) -> dict[str, Any]:
    """The public fields of an interchange inspector record, with status, grade and body on `day`."""
    return _public_record(record, day, inspector_standing(record, day))


def _public_record(record: dict[str, Any], day: dt.date, standing: InspectorStanding) -> dict[str, Any]:
    return {
        **{key: record[key] for key in PUBLIC_FIELDS},
        "status": standing.status,
        "current_grade": standing.grade,
        "registration_valid": standing.registration_valid,
        "organisation": standing.organisation,
        "as_of": day.isoformat(),
    }


def public_records(ids: Sequence[str], day: dt.date | None = None) -> list[dict[str, Any]]:
    """Public records of these inspectors on `day` (default today), in the given order. Three queries."""
    today = day or beijing_today()
    return [public_record(record, today) for record in INSPECTORS.in_order(ids)]


def inspectors(
    user: Any, *, status: str | None = None, on: dt.date | None = None, **filters: Any
) -> QuerySet[Inspector]:
    """Inspectors, narrowed by InspectorFilter (`organisation`: those affiliated with it today) and, in
    the database, to those of `status` on `on` (default today in Beijing; see `status_on`)."""
    found = filtered(InspectorFilter, Inspector.objects.restrict(user, "view"), filters)
    if status:
        found = found.alias(status_on_day=status_on(on or beijing_today())).filter(status_on_day=status)
    return found.order_by("id")


def status_on(day: dt.date) -> Expression:
    """An inspector's status on `day` as an SQL expression (one correlated subquery), the rule of
    cepa.rules.status.inspector_status: active from registration; each status event dated on or before
    `day` (dates are Beijing dates, the range inclusive) sets the status, the latest last and, of one
    day's, the highest in INSPECTOR_STATUS_ORDER; a cancellation is final, so any cancellation by `day`
    wins over whatever follows it. Events without a status (grade changes) do not count."""
    events = InspectorEvent.objects.filter(inspector_id=OuterRef("pk"), on__lte=day).exclude(status="")
    rank = Case(
        *(When(status=value, then=Value(order)) for value, order in INSPECTOR_STATUS_ORDER.items()),
        default=Value(0),
        output_field=IntegerField(),
    )
    final = Case(
        When(status=InspectorStatus.CANCELLED, then=Value(1)), default=Value(0), output_field=IntegerField()
    )
    deciding = events.annotate(final=final, rank=rank).order_by("-final", "-on", "-rank").values("status")[:1]
    return Coalesce(Subquery(deciding), Value(InspectorStatus.ACTIVE.value), output_field=CharField())


def career(
    record: dict[str, Any], renewals: Iterable[Renewal], day: dt.date, *, reasons: bool = False
) -> list[dict[str, Any]]:
    """The registration's history up to `day`, across bodies: registration, each affiliation begun or
    ended (a move the day after leaving is a transfer), status and grade changes, renewals, and the
    expiry once passed. Each entry: on, event, from, to; with `reasons`, the reasons of status and grade
    changes too (personal matters: not for the public, as in the open data)."""
    date = dt.date.fromisoformat
    entries: list[dict[str, Any]] = [
        {"on": date(record["registered"]), "event": "registered", "from": None, "to": record["grade"]}
    ]
    # (organisation, from, until) of each affiliation, by start
    affiliations = sorted(
        (
            (a["organisation"], date(a["from"]), date(a["until"]) if a.get("until") else None)
            for a in record["affiliations"]
        ),
        key=lambda a: a[1],
    )
    ended = {until: organisation for organisation, _, until in affiliations if until is not None}
    starts = {valid_from for _, valid_from, _ in affiliations}
    for organisation, valid_from, until in affiliations:
        previous = ended.get(day_before(valid_from))
        entries.append(
            {
                "on": valid_from,
                "event": "transferred" if previous else "affiliated",
                "from": previous,
                "to": organisation,
            }
        )
        if until is not None and until < dt.date.max and day_after(until) not in starts:
            entries.append(
                {
                    "on": day_after(until),
                    "event": "left",
                    "from": organisation,
                    "to": None,
                }
            )
    status, grade = "active", record["grade"]
    precedence = {"active": 0, "suspended": 1, "cancelled": 2}
    events = sorted(record.get("events", []), key=lambda e: (e["on"], precedence.get(e.get("status", ""), 0)))
    for event in events:
        on = dt.date.fromisoformat(event["on"])
        why = {"reason": event.get("reason", "")} if reasons else {}
        if event.get("grade") and event["grade"] != grade:
            entries.append({"on": on, "event": "grade", "from": grade, "to": event["grade"], **why})
            grade = event["grade"]
        if event.get("status") and event["status"] != status and status != "cancelled":
            entries.append({"on": on, "event": "status", "from": status, "to": event["status"], **why})
            status = event["status"]
    for renewal in renewals:
        entries.append(
            {
                "on": renewal.applied_on,
                "event": "renewed",
                "from": renewal.previous_expires,
                "to": renewal.expires,
            }
        )
    expires = date(record["expires"])
    if expires < day:
        entries.append({"on": day_after(expires), "event": "expired", "from": None, "to": None})
    entries = [entry for entry in entries if entry["on"] <= day]
    entries.sort(key=lambda entry: (entry["on"], _HISTORY_ORDER[entry["event"]]))
    return [{**entry, "on": entry["on"].isoformat(), **_iso(entry)} for entry in entries]


def _iso(entry: dict[str, Any]) -> dict[str, Any]:
    return {key: entry[key].isoformat() for key in ("from", "to") if isinstance(entry.get(key), dt.date)}


def inspector(user: Any, record_id: str, day: dt.date | None = None) -> dict[str, Any] | None:
    """The public record of a visible inspector, with its history (the reasons of its status and grade
    changes only for the registrar and the inspector's own body). Five queries for the public."""
    ids = list(inspectors(user).filter(pk=record_id).values_list("pk", flat=True))
    today = day or beijing_today()
    records = INSPECTORS.in_order(ids)
    if not records:
        return None
    record = records[0]
    renewals = Renewal.objects.filter(inspector_id=record["id"]).order_by("applied_on", "id")
    reasons = user is None or permissions.can(user, "inspectors.view_personal_data", record["id"])
    return {**public_record(record, today), "history": career(record, renewals, today, reasons=reasons)}


# The parts of an inspector's status and grade events that are personal matters (left out of the open data
# and of the public history alike).
PRIVATE_EVENT_FIELDS = ("reason", "note", "basis", "source")


def _without_private_parts(record: dict[str, Any] | None) -> dict[str, Any] | None:
    if not record or not record.get("events"):
        return record
    events = [{k: v for k, v in event.items() if k not in PRIVATE_EVENT_FIELDS} for event in record["events"]]
    return {**record, "events": events}


def _public_change(
    before: dict[str, Any] | None, after: dict[str, Any] | None, reason: str
) -> tuple[dict[str, Any] | None, dict[str, Any] | None, str]:
    """An inspector's change as the public sees it: no event reasons, and no reason for the change (a
    status change's reason is the event's)."""
    return _without_private_parts(before), _without_private_parts(after), ""


def history_redaction(user: Any, record_id: str) -> Any:
    """How `user` sees an inspector's changes in the history: whole for the registrar and the
    inspector's own body (as its page shows them the reasons), else without the personal matters."""
    if user is not None and permissions.can(user, "inspectors.view_personal_data", record_id):
        return None
    return _public_change


def current_organisations(ids: Sequence[str], day: dt.date) -> dict[str, str]:
    """The body each of these inspectors is affiliated with on `day` (one query)."""
    rows = Affiliation.objects.filter(in_force_filter(day), inspector_id__in=list(ids)).values_list(
        "inspector_id", "organisation_id"
    )
    return dict(rows)


def confirmations(inspector_id: str) -> list[dict[str, Any]]:
    return [
        {
            "year": c.year,
            "due": c.due.isoformat(),
            "confirmed_on": c.confirmed_on.isoformat(),
            "recorded_by": c.recorded_by,
        }
        for c in AnnualConfirmation.objects.filter(inspector_id=inspector_id).order_by("year")
    ]


def access_log(inspector_id: str) -> list[dict[str, Any]]:
    """Who read this inspector's personal data, when, which fields (oldest first)."""
    return [
        {
            "at": row.at.astimezone(BEIJING).isoformat(),
            "actor": row.actor,
            "fields": list(row.fields),
            "channel": row.channel,
        }
        for row in PersonalDataAccess.objects.filter(inspector_id=inspector_id).order_by("id")
    ]


# --- public lookup ------------------------------------------------------------------------------------


def fold(text: str) -> str:
    """A form for comparing names: NFKC, case-folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text or "").casefold().split())


def name_matches(query: str, names: Sequence[str]) -> bool:
    """Every word of `query` occurs in one of the names."""
    words = fold(query).split()
    haystack = "\n".join(fold(name) for name in names if name)
    return bool(words) and all(word in haystack for word in words)


def _names(row: Mapping[str, Any]) -> dict[str, str]:
    """{"en", "zh-Hant", "zh-Hans"} of a row with name_en, name_zh_hant, name_zh_hans (any prefix)."""

    def pick(suffix: str) -> str:
        return next((str(v or "") for k, v in row.items() if k.endswith(suffix)), "")

    return {"en": pick("name_en"), "zh-Hant": pick("name_zh_hant"), "zh-Hans": pick("name_zh_hans")}


def _local(names: dict[str, str], lang: str) -> str:
    """The name in `lang`, else the other Chinese form, else English."""
    hant, hans, english = names.get("zh-Hant", ""), names.get("zh-Hans", ""), names.get("en", "")
    if lang == "zh-Hant":
        return hant or hans or english
    if lang == "zh-Hans":
        return hans or hant or english
    return english


def _specialty_names(codes: set[str]) -> dict[str, dict[str, str]]:
    """Names of specialties: a type's own name, a family's category name(s). One query."""
    from cepa.catalogue.models import ProductType

    if not codes:
        return {}
    families = {code for code in codes if len(code) == 2}
    condition = Q(code__in=[code for code in codes if len(code) == 4])
    for family in families:
        condition |= Q(code__startswith=family)
    rows = ProductType.objects.filter(condition).values(
        "code",
        "name_en",
        "name_zh_hant",
        "name_zh_hans",
        "category__name_en",
        "category__name_zh_hant",
        "category__name_zh_hans",
    )
    names: dict[str, dict[str, str]] = {}
    for row in rows:
        code = row["code"] or ""
        own = _names({k: v for k, v in row.items() if not k.startswith("category__")})
        if code in codes:
            names[code] = {lang: _local(own, lang) for lang in messages.LANGUAGES}
        if code[:2] in families:
            category = _names({k: v for k, v in row.items() if k.startswith("category__")})
            names.setdefault(code[:2], {lang: _local(category, lang) for lang in messages.LANGUAGES})
    return names


def lookup(
    *,
    number: str | None = None,
    name: str | None = None,
    organisation: str | None = None,
    on: dt.date | None = None,
    lang: str = "en",
    match: Callable[[str, Sequence[str]], bool] = name_matches,
) -> list[dict[str, Any]]:
    """Is this person a registered CCC factory inspector on `on` (default today), for which body and
    product families? By registration number (exact, any case), or by name (any language; `match` may
    fold more, as the web's Traditional/Simplified folding does) among those ever affiliated with
    `organisation`. Public fields only; the answer in `lang`. A fixed few queries."""
    day = on or beijing_today()
    lang = messages.language(lang)
    if number:
        ids = list(Inspector.objects.filter(id__iexact=number.strip()).values_list("id", flat=True))
    elif name and organisation:
        affiliated = Affiliation.objects.filter(organisation_id=organisation).values("inspector_id")
        rows = Inspector.objects.filter(pk__in=affiliated).values(
            "id", "name_en", "name_zh_hant", "name_zh_hans"
        )
        ids = [r["id"] for r in rows if match(name, [r["name_en"], r["name_zh_hant"], r["name_zh_hans"]])]
    else:
        return []
    raw = INSPECTORS.in_order(sorted(ids)) if ids else []
    standings = [inspector_standing(record, day) for record in raw]
    records = [_public_record(record, day, standing) for record, standing in zip(raw, standings, strict=True)]
    bodies = {
        row["id"]: _names(row)
        for row in Organisation.objects.filter(
            pk__in={r["organisation"] for r in records if r["organisation"]}
            | ({organisation} if organisation else set())
        ).values("id", "name_en", "name_zh_hant", "name_zh_hans")
    }
    specialty_names = _specialty_names({code for r in records for code in r["specialties"]})
    return [
        _answer(record, standing, day, lang, bodies, specialty_names, organisation)
        for record, standing in zip(records, standings, strict=True)
    ]


def _answer(
    record: dict[str, Any],
    standing: InspectorStanding,
    day: dt.date,
    lang: str,
    bodies: dict[str, dict[str, Any]],
    specialty_names: dict[str, dict[str, str]],
    asked: str | None,
) -> dict[str, Any]:
    status, since = standing.status, standing.since
    registered_on = dt.date.fromisoformat(record["registered"])
    expires = dt.date.fromisoformat(record["expires"])
    body_id = record["organisation"]
    body = bodies.get(body_id) if body_id else None
    registered = standing.registration_valid and status == "active"
    specialties = [
        {"code": code, "name": specialty_names.get(code, {}).get(lang, "")} for code in record["specialties"]
    ]
    params = {
        "name": _local(record["name"], lang),
        "id": record["id"],
        "on": day,
        "since": since,
        "expires": expires,
        "registered": registered_on,
        "org": _local(body, lang) if body else "",
        "grade": messages.grade_label(record["current_grade"], lang),
        "specialties": ", ".join(f"{s['code']} {s['name']}".strip() for s in specialties),
    }
    if status == "cancelled":
        key = "LOOKUP.cancelled"
    elif day < registered_on:
        key = "LOOKUP.not_yet"
    elif day > expires:
        key = "LOOKUP.expired"
    elif status == "suspended":
        key = "LOOKUP.suspended"
    elif body is None:
        key = "LOOKUP.unaffiliated"
    else:
        key = "LOOKUP.registered"
    answer = [messages.message(key, lang, **params)]
    with_body = None
    if asked:
        with_body = record["organisation"] == asked
        if not with_body:
            asked_name = _local(bodies.get(asked, {"en": asked}), lang)
            answer.append(
                messages.message("LOOKUP.other_body", lang, org=params["org"], asked=asked_name, on=day)
                if body
                else messages.message("LOOKUP.not_with_body", lang, asked=asked_name, on=day)
            )
    return {
        "id": record["id"],
        "name": record["name"],
        "on": day.isoformat(),
        "registered": registered,
        "status": status,
        "grade": record["current_grade"],
        "registration": {"registered": record["registered"], "expires": record["expires"]},
        "organisation": {"id": body_id, "name": _local(body, lang)} if body else None,
        "with_organisation": with_body,
        "specialties": specialties,
        "answer": " ".join(answer),
    }


# --- transfers ----------------------------------------------------------------------------------------


def transfers(user: Any, **filters: Any) -> QuerySet[Transfer]:
    return filtered(TransferFilter, Transfer.objects.restrict(user, "view"), filters).order_by("id")


def transfer_history(ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """Each transfer's history from the change log: who, when, from, to (statuses), reason. One query."""
    history: dict[int, list[dict[str, Any]]] = {transfer_id: [] for transfer_id in ids}
    if not ids:
        return history
    rows = (
        Change.objects.filter(record_type="transfers", record_id__in=[str(i) for i in ids])
        .select_related("changeset")
        .order_by("changeset__at", "id")
    )
    for change in rows:
        before, after = change.before or {}, change.after or {}
        history[int(change.record_id)].append(
            {
                "who": change.changeset.actor,
                "when": change.changeset.at.astimezone(BEIJING).isoformat(),
                "from": before.get("status"),
                "to": after.get("status"),
                "reason": change.changeset.reason,
                "event": "transition",
            }
        )
    return history


def transfer_record(transfer: Transfer, history: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": transfer.pk,
        "inspector": transfer.inspector_id,
        "from_organisation": transfer.from_organisation_id,
        "to_organisation": transfer.to_organisation_id,
        "effective": transfer.effective.isoformat(),
        "status": transfer.status,
        "requested_by": transfer.requested_by,
        "requested_at": transfer.requested_at.astimezone(BEIJING).isoformat(),
        "decided_by": transfer.decided_by or None,
        "decided_at": transfer.decided_at.astimezone(BEIJING).isoformat() if transfer.decided_at else None,
        "reason": transfer.reason,
        "history": history,
    }


def transfer_records(ids: Sequence[int]) -> list[dict[str, Any]]:
    """Transfers with their histories, in the given order. Two queries."""
    found = {t.pk: t for t in Transfer.objects.filter(pk__in=list(ids))}
    history = transfer_history([i for i in ids if i in found])
    return [transfer_record(found[i], history[i]) for i in ids if i in found]


def transfer(user: Any, transfer_id: int) -> dict[str, Any] | None:
    ids = list(transfers(user).filter(pk=transfer_id).values_list("pk", flat=True))
    records = transfer_records(ids)
    return records[0] if records else None
