"""The cascade: current certificates whose chain holds a link no longer eligible, since when and by
what; the issuer is told once."""

from __future__ import annotations

import datetime as dt

import pytest

from cepa.certificates.cascade import affected
from cepa.certificates.models import Certificate
from cepa.certificates.tests.conftest import NUMBER, certificate, report
from cepa.reminders.emails import render
from cepa.reminders.models import Reminder
from cepa.reminders.planner import plan_reminders

DAY = dt.date(2026, 12, 6)
NOW = dt.datetime(2026, 12, 6, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def test_the_issuer_sees_what_is_affected_since_when_and_by_what(chain: Certificate) -> None:
    found = affected(DAY, issuer="cn-cb-east")
    assert [(a.certificate, a.code, a.refs, a.since) for a in found] == [
        (NUMBER, "LABORATORY_NO_LONGER_ELIGIBLE", ("HV-2025-0001", "hk-lab-harbour"), dt.date(2026, 3, 1)),
        (NUMBER, "INSPECTOR_NO_LONGER_ELIGIBLE", ("FI-2025-0001", "2024-CCC-HK-0007"), dt.date(2025, 7, 1)),
    ]
    assert [code for code, _, _ in found[0].by] == ["AGREEMENT_IN_FORCE"]
    assert [code for code, _, _ in found[1].by] == ["ORG_AGREEMENT"]
    assert affected(DAY, issuer="hk-cb-lionrock") == []


def test_a_certificate_not_current_or_with_an_eligible_chain_is_not_listed(chain: Certificate) -> None:
    report("HV-2020-0001", "hk-lab-harbour", "2021-06-01")
    # Valid today, its laboratory no longer eligible, but suspended: not current.
    certificate(
        "2021570701000001", "2021-07-01", "2027-06-30", ["HV-2020-0001"], events=[("2026-01-05", "suspended")]
    )
    # Expired before the agreement ended.
    certificate("2021570701000002", "2021-07-01", "2025-12-31", ["HV-2020-0001"])
    assert [a.certificate for a in affected(DAY)] == [NUMBER, NUMBER]
    # Before the agreement ended only the inspector's notice stands.
    assert [a.code for a in affected(dt.date(2026, 2, 28))] == ["INSPECTOR_NO_LONGER_ELIGIBLE"]


def test_the_issuer_is_told_once(chain: Certificate) -> None:
    plan_reminders(actor="test:cron", now=NOW)
    plan_reminders(actor="test:cron", now=NOW + dt.timedelta(days=1))
    told = list(
        Reminder.objects.filter(kind="certificate_chain")
        .order_by("key")
        .values_list("key", "organisation_id")
    )
    assert told == [
        (
            "certificate-chain:cn-cb-east:INSPECTOR_NO_LONGER_ELIGIBLE:2024-CCC-HK-0007:2025-07-01",
            "cn-cb-east",
        ),
        (
            "certificate-chain:cn-cb-east:LABORATORY_NO_LONGER_ELIGIBLE:hk-lab-harbour:2026-03-01",
            "cn-cb-east",
        ),
    ]
    context = Reminder.objects.get(key__contains="hk-lab-harbour").context
    assert context["certificates"] == [NUMBER]


def test_one_certificates_notices(chain: Certificate) -> None:
    assert [a.code for a in affected(DAY, number=NUMBER)] == [
        "LABORATORY_NO_LONGER_ELIGIBLE",
        "INSPECTOR_NO_LONGER_ELIGIBLE",
    ]
    assert affected(DAY, number="2025570701000002") == []


@pytest.mark.parametrize(
    ("lang", "subject", "line"),
    [
        (
            "en",
            "Certificates resting on a link that is no longer eligible",
            "hk-lab-harbour is no longer eligible since 1 March 2026.",
        ),
        ("zh-Hant", "證書所依據的環節已不再符合資格", "hk-lab-harbour自 2026年3月1日 起已不再符合資格。"),
        ("zh-Hans", "证书所依据的环节已不再符合资格", "hk-lab-harbour自 2026年3月1日 起已不再符合资格。"),
    ],
)
def test_the_reminder_reads_in_three_languages(
    chain: Certificate, lang: str, subject: str, line: str
) -> None:
    plan_reminders(actor="test:cron", now=NOW)
    reminder = Reminder.objects.get(key__contains="hk-lab-harbour")
    title, body = render(reminder.kind, lang, reminder.context, reminder.organisation)
    assert title == subject
    assert line in body
    assert NUMBER in body
