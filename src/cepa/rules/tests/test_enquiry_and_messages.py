from __future__ import annotations

import re
import string

import pytest

from cepa.rules import facts, messages
from cepa.rules.decision import UnknownFact
from cepa.rules.enquiry import decide_enquiry
from cepa.rules.tests.builders import D, world


def test_enquiry_electrical() -> None:
    decision = decide_enquiry(world(), product_type="0701")
    assert decision.allowed is True
    assert decision.to_json() == {
        "question": "enquiry",
        "subject": None,
        "product_type": "0701",
        "allowed": True,
        "reasons": [],
        "sector": "electrical_electronic",
        "contact": {
            "sector": "electrical_electronic",
            "name": "Mr A",
            "organisation": "CNCA",
            "phone": "+86-10-1",
            "email": "",
        },
    }


def test_enquiry_non_electrical_in_chinese() -> None:
    out = decide_enquiry(world(), product_type="2401", lang="zh-Hans").to_json()
    assert out["sector"] == "non_electrical_electronic"
    # The source gives the name only romanised: the title is said in Chinese and the note says so.
    assert (out["contact"]["name"], out["contact"]["name_note"]) == ("B 先生", "来源未提供中文姓名")
    assert (
        decide_enquiry(world(), product_type="0701", lang="zh-Hant").to_json()["contact"]["organisation"]
        == "國家認監委"
    )


def test_a_contact_name_given_in_chinese_is_used_without_a_note() -> None:
    named = facts.Contact(
        "electrical_electronic", facts.Name("Mr A", "甲先生", "甲先生"), facts.Name("CNCA"), "+86-10-1"
    )
    answer = decide_enquiry(world(contacts=[named]), product_type="0701", lang="zh-Hant")
    contact = answer.to_json()["contact"]
    assert (contact["name"], "name_note" in contact) == ("甲先生", False)
    english = decide_enquiry(world(), product_type="0701", lang="en").to_json()["contact"]
    assert (english["name"], "name_note" in english) == ("Mr A", False)


def test_a_name_without_a_known_title_stays_as_the_source_gives_it() -> None:
    assert messages.person_name("QIU Lei", "", "zh-Hant") == ("QIU Lei", False)
    assert messages.person_name("Mr. GUAN Jun-wen", "", "zh-Hans") == ("GUAN Jun-wen 先生", False)


def test_enquiry_for_a_removed_type_still_answers() -> None:
    assert decide_enquiry(world(), product_type="0801").sector == "electrical_electronic"


def test_enquiry_without_contact_row() -> None:
    assert decide_enquiry(world(contacts=[]), product_type="0701").to_json()["contact"] is None


def test_enquiry_unknown_code() -> None:
    with pytest.raises(UnknownFact):
        decide_enquiry(world(), product_type="9999")


# --- messages --------------------------------------------------------------------------------------


def test_every_code_has_held_and_failed_messages_in_every_language() -> None:
    for code in messages.CODES:
        held = [key for key in messages.MESSAGES if key == f"{code}.held"]
        failed = [key for key in messages.MESSAGES if key.startswith(f"{code}.failed")]
        assert held, code
        assert failed, code
        for key in held + failed:
            assert set(messages.MESSAGES[key]) == set(messages.LANGUAGES), key
            assert all(messages.MESSAGES[key][lang] for lang in messages.LANGUAGES), key


def test_every_message_key_belongs_to_a_code_and_languages_share_placeholders() -> None:
    formatter = string.Formatter()
    for key, texts in messages.MESSAGES.items():
        assert key.split(".")[0] in (*messages.CODES, *messages.NOTICE_CODES), key
        fields = {
            lang: {name for _, name, _, _ in formatter.parse(text) if name} for lang, text in texts.items()
        }
        assert fields["zh-Hant"] <= fields["en"] | {"code"}, key
        assert fields["zh-Hans"] == fields["zh-Hant"], key


def test_chinese_messages_are_not_english() -> None:
    for key, texts in messages.MESSAGES.items():
        assert re.search(r"[\u4e00-\u9fff]", texts["zh-Hant"]), key
        assert re.search(r"[\u4e00-\u9fff]", texts["zh-Hans"]), key


def test_every_code_has_a_basis_in_every_language() -> None:
    for code in messages.CODES:
        for lang in messages.LANGUAGES:
            assert messages.basis(code, lang)
    assert messages.basis("ROUTINE_SCOPE", "en") == (
        "CNCA PN No. 34 of 2015, No. 1 and No. 28 of 2017: routine designation of CCC laboratories"
    )
    assert messages.basis("PLAN_PUBLISHED", "en").startswith("Art 12 of the CCC bodies measures")
    assert messages.basis("REGISTERED", "en").startswith("CCAA-107")
    assert messages.basis("EXPRESSION_OF_INTEREST", "en").endswith(
        "FAQ: written request to CNCA before 1 April each year"
    )


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("en", "en"),
        ("EN", "en"),
        ("zh-Hant", "zh-Hant"),
        ("zh-hant", "zh-Hant"),
        ("ZH-HANS", "zh-Hans"),
        ("zh_hans", "zh-Hans"),
        ("fr", None),
        ("", None),
        ("zh", None),
    ],
)
def test_normalise_language(given: str, expected: str | None) -> None:
    assert messages.normalise_language(given) == expected


def test_beijing_date_and_name_fallback() -> None:
    from cepa.rules.tests.builders import T

    assert facts.beijing_date(T("2026-03-31T16:00:00+00:00")) == D("2026-04-01")
    assert facts.beijing_date(T("2026-03-31T15:59:59+00:00")) == D("2026-03-31")
    with pytest.raises(ValueError):
        facts.beijing_date(T("2026-03-31T16:00:00").replace(tzinfo=None))
    name = facts.Name("Harbour", zh_hant="海港")
    assert (name.in_lang("en"), name.in_lang("zh-Hant"), name.in_lang("zh-Hans")) == (
        "Harbour",
        "海港",
        "海港",
    )
    assert facts.Name("Only").in_lang("zh-Hans") == "Only"


def test_reason_renders_its_message_in_its_language_when_read() -> None:
    from cepa.rules.decision import Reason

    reason = Reason(
        "DESIGNATED", False, (), "DESIGNATED.failed", {"subject": "x", "code": "0701", "on": D("2026-01-01")}
    )
    assert reason.message == "x is not designated as a CCC laboratory for 0701 on 2026-01-01"
    chinese = reason._replace(lang="zh-Hant")
    assert chinese.message == "x於2026-01-01未獲指定為0701的CCC實驗室"
    assert chinese.basis == "《強制性產品認證機構和實驗室管理辦法》：CCC實驗室的指定"
    assert reason.to_json() == {
        "code": "DESIGNATED",
        "holds": False,
        "message": "x is not designated as a CCC laboratory for 0701 on 2026-01-01",
        "basis": "CCC bodies measures: designation of CCC laboratories",
        "refs": [],
    }


def test_lines_inside_a_message_are_rendered_in_its_language_when_read() -> None:
    items = [
        ("CHAIN_BEFORE_ISSUE.failed.item", {"record": "TR-1", "day": D("2026-01-02")}),
        ("CHAIN_BEFORE_ISSUE.failed.item", {"record": "FI-1", "day": D("2026-01-03")}),
    ]
    english, chinese = messages.Lines(items, "en"), messages.Lines(items, "zh-Hant")
    assert str(english) == "TR-1 (2026-01-02), FI-1 (2026-01-03)"
    assert str(chinese) == "TR-1（2026-01-02日）、FI-1（2026-01-03日）"
    assert (
        messages.render(
            "CHAIN_BEFORE_ISSUE.failed", "en", issued=D("2026-01-01"), certificate="C1", records=english
        )
        == "Dated after 2026-01-01, the day certificate C1 was issued: TR-1 (2026-01-02), FI-1 (2026-01-03)"
    )
    assert english == messages.Lines(list(items), "en")
    assert english != chinese
    assert english != str(english)
