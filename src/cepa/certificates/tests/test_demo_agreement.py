"""`cepa check certificate`, the API and the page agree on every demo certificate, on the days its cases
ask about and today."""

from __future__ import annotations

import html
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connections
from django.test import Client

from cepa.certificates.models import CertificateStatus
from cepa.cli import main as cepa
from cepa.decisions.services import today_in_beijing
from cepa.demo.registry import demo_cases, demo_document

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def keep_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(connections, "close_all", lambda: None)  # `cepa` closes them when done


def check(number: str, day: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    capsys.readouterr()  # what came before (the access log of the API and page requests) is not the command's
    try:
        cepa(["cepa", "check", "certificate", number, "--on", day])
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out = capsys.readouterr()
    assert out.err == ""
    return code, json.loads(out.out)


def asked() -> list[tuple[str, str]]:
    days = {(c["argv"][2], c["argv"][4]) for c in demo_cases() if c["argv"][1] == "certificate"}
    today = today_in_beijing().isoformat()
    days |= {(c["id"], today) for c in demo_document()["certificates"]}
    return sorted(days)


def test_the_command_the_api_and_the_page_agree(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("load-demo")
    capsys.readouterr()
    client = Client()
    pairs = asked()
    assert len({number for number, _ in pairs}) == len(demo_document()["certificates"]) == 15
    for number, day in pairs:
        code, decision = check(number, day, capsys)
        assert code == (0 if decision["allowed"] else 1)
        api = client.get("/api/v1/decisions/certificate", {"subject": number, "on": day}).json()
        detail = client.get(f"/api/v1/certificates/{number}", {"on": day}).json()
        assert api == decision, number
        assert detail["decision"] == decision, number
        assert detail["status"] == decision["status"], number
        page = client.get(f"/certificates/{number}/", {"on": day}).content.decode()
        label = str(dict(CertificateStatus.choices)[decision["status"]])
        shown = f"Status today: {label}." in page or f": {label}." in page
        assert shown, (number, day)
        for reason in decision["reasons"]:
            assert html.escape(reason["message"]) in page, (number, reason["code"])
        for notice in decision["notices"]:
            assert html.escape(notice["message"]) in page, (number, notice["code"])
        crosses = page.count("✗</span>")
        failing_links = {
            ref
            for reason in decision["reasons"]
            if not reason["holds"] and reason["code"] not in ("CERTIFICATE_VALID", "PRODUCT_IN_CATALOGUE")
            for ref in reason["refs"]
        }
        links = detail["test_reports"] + [
            {"id": i["id"], "inspector": name}
            for i in detail["factory_inspections"]
            for name in i["inspectors"]
        ]
        assert crosses == sum(1 for link in links if link["id"] in failing_links), (number, day)
