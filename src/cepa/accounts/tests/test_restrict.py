"""`Model.objects.restrict(user, "view")` for every persona: anonymous, an applicant of the record's
organisation and one of another, each officer role, an administrator."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from cepa.accounts.services import create_user
from cepa.bodies.models import Accreditation, Agreement, Designation, Organisation
from cepa.designation.models import (
    Application,
    ApplicationDocument,
    ExpressionOfInterest,
    Objection,
    Plan,
)
from cepa.filings.models import AgreementFiling
from cepa.personnel.models import Inspector, Transfer
from cepa.rules.facts import BEIJING
from cepa.testing.registries import make_registry

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 5, 1, 10, tzinfo=BEIJING)
PERSONAS = ("anonymous", "own", "other", "hkas", "cnca", "ccaa", "admin")


@pytest.fixture
def users() -> dict[str, Any]:
    make_registry()
    return {
        "anonymous": AnonymousUser(),
        "own": create_user(actor="t", username="own", role="applicant", organisation="cn-lab-pearl"),
        "other": create_user(actor="t", username="other", role="applicant", organisation="cn-cb-east"),
        "hkas": create_user(actor="t", username="hkas", role="hkas_officer"),
        "cnca": create_user(actor="t", username="cnca", role="cnca_officer"),
        "ccaa": create_user(actor="t", username="ccaa", role="ccaa_registrar"),
        "admin": create_user(actor="t", username="root", role="admin"),
    }


def seen(users: dict[str, Any], model: Any) -> dict[str, list[Any]]:
    return {
        name: sorted(model.objects.restrict(users[name], "view").values_list("pk", flat=True))
        for name in PERSONAS
    }


def test_the_public_registry_is_seen_by_everyone(users: dict[str, Any]) -> None:
    for model in (Organisation, Accreditation, Designation, Agreement, Inspector):
        everything = sorted(model.objects.values_list("pk", flat=True))
        assert everything
        assert set(map(tuple, seen(users, model).values())) == {tuple(everything)}


def test_only_view_is_an_action(users: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="unknown action 'change'"):
        Organisation.objects.restrict(users["admin"], "change")


def test_plans(users: dict[str, Any]) -> None:
    published, both = ["2026-1"], ["2026-1", "2027-draft"]
    assert seen(users, Plan) == {
        "anonymous": published,
        "own": published,
        "other": published,
        "hkas": published,
        "cnca": both,
        "ccaa": published,
        "admin": both,
    }


def test_expressions_of_interest(users: dict[str, Any]) -> None:
    every = ["EOI-2026-0031", "EOI-2026-0040"]
    assert seen(users, ExpressionOfInterest) == {
        "anonymous": [],
        "own": ["EOI-2026-0031"],
        "other": ["EOI-2026-0040"],
        "hkas": every,
        "cnca": every,
        "ccaa": every,
        "admin": every,
    }


def _application(status: str) -> Application:
    return Application.objects.create(
        organisation_id="cn-lab-pearl", product_types=["0915"], status=status, route="plan", created=NOW
    )


def test_applications_documents_and_objections(users: dict[str, Any]) -> None:
    draft, approved = _application("draft"), _application("approved")
    document = ApplicationDocument.objects.create(
        application=approved,
        file="x.pdf",
        filename="x.pdf",
        size=1,
        sha256="0" * 64,
        uploaded=NOW,
        uploaded_by="own",
    )
    ApplicationDocument.objects.create(
        application=draft,
        file="y.pdf",
        filename="y.pdf",
        size=1,
        sha256="1" * 64,
        uploaded=NOW,
        uploaded_by="own",
    )
    objection = Objection.objects.create(
        application=approved, grounds="no", lodged=NOW, lodged_by="other", status="pending"
    )
    both, published = sorted([draft.pk, approved.pk]), [approved.pk]
    assert seen(users, Application) == {
        "anonymous": published,
        "own": both,
        "other": published,
        "hkas": published,
        "cnca": published,
        "ccaa": published,
        "admin": both,
    }
    documents = seen(users, ApplicationDocument)
    assert (
        documents["own"]
        == documents["admin"]
        == sorted(ApplicationDocument.objects.values_list("pk", flat=True))
    )
    assert documents["anonymous"] == documents["other"] == []
    assert documents["hkas"] == documents["cnca"] == documents["ccaa"] == [document.pk]
    objections = seen(users, Objection)
    assert objections["anonymous"] == []
    # The organisation objected against, the one who lodged it, officers and administrators.
    assert all(objections[name] == [objection.pk] for name in PERSONAS if name != "anonymous")


def test_filings(users: dict[str, Any]) -> None:
    AgreementFiling.objects.create(
        id="AGF-2026-0001",
        kind="testing",
        party_id="hk-lab-harbour",
        counterparty_id="cn-cb-east",
        product_types=["0701"],
        valid_from=dt.date(2026, 7, 1),
        status="filed",
        filed_at=NOW,
        filed_by="user:x",
    )
    one = ["AGF-2026-0001"]
    assert seen(users, AgreementFiling) == {
        "anonymous": [],
        "own": [],
        "other": one,  # the counterparty
        "hkas": one,
        "cnca": one,
        "ccaa": one,
        "admin": one,
    }


def test_transfers(users: dict[str, Any]) -> None:
    transfer = Transfer.objects.create(
        inspector_id="2023/CCC/0001",
        to_organisation_id="cn-cb-east",
        effective=dt.date(2026, 7, 1),
        requested_by="user:other",
        requested_at=NOW,
    )
    one = [transfer.pk]
    assert seen(users, Transfer) == {
        "anonymous": [],
        "own": [],
        "other": one,
        "hkas": [],
        "cnca": [],
        "ccaa": one,
        "admin": one,
    }
