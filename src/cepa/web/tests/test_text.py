from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from cepa.web.public.text import fold, format_day, format_moment, matches, pick
from cepa.web.templatetags.public import anchor


@pytest.mark.parametrize("typed,stored", [
    ("海景測試", "海景测试实验所有限公司"),
    ("海景测试", "海景測試實驗所有限公司"),
    ("電線電纜", "电线电缆"),
    ("綫", "线"),
    ("ＨＯＫＬＡＳ", "hoklas"),
])
def test_fold_makes_traditional_simplified_and_widths_compare_equal(typed: str, stored: str) -> None:
    assert fold(typed) in fold(stored)


def test_fold_is_idempotent_and_collapses_spaces() -> None:
    assert fold("  Harbour   VIEW 測試 ") == "harbour view 测试"
    assert fold(fold("後臺發髮")) == fold("後臺發髮") == "后台发发"


def test_matches_needs_every_word_in_some_text() -> None:
    assert matches("harbour 海景", ["Harbourview Testing", "海景測試"])
    assert not matches("harbour kowloon", ["Harbourview Testing", "海景測試"])
    assert not matches("   ", ["anything"])


def test_pick_falls_back_to_the_other_chinese_then_english() -> None:
    assert pick("Name", "名稱", "名称", "zh-Hant").text == "名稱"
    assert pick("Name", "", "名称", "zh-Hant").lang == "zh-Hans"
    assert pick("Name", "名稱", "", "zh-hans").lang == "zh-Hant"
    assert pick("Name", "", "", "zh-Hans").lang == "en"
    assert pick("Name", "名稱", "名称", "en").text == "Name"


def test_a_text_given_only_in_chinese_is_shown_to_an_english_reader_in_chinese() -> None:
    assert (pick("", "要求", "要求", "en").text, pick("", "要求", "要求", "en").lang) == ("要求", "zh-Hant")
    assert (pick("", "", "要求", "en").text, pick("", "", "要求", "en").lang) == ("要求", "zh-Hans")
    assert (pick("", "", "", "en").text, pick("", "", "", "en").lang) == ("", "en")


def test_dates_are_formatted_for_the_language() -> None:
    day = dt.date(2026, 11, 26)
    assert format_day(day, "en") == "26 November 2026"
    assert format_day(day, "zh-Hant") == "2026年11月26日"
    moment = dt.datetime(2026, 6, 16, 1, 0, tzinfo=dt.UTC)
    assert format_moment(moment, "en") == "16 June 2026, 09:00"
    with translation.override("zh-hans"):
        assert format_moment(moment) == "2026年6月16日 09:00"


def test_anchor_of_an_id_with_spaces() -> None:
    assert anchor("HOKLAS 901") == "r-hoklas-901"
    assert anchor("CNCA-D-2017/081") == "r-cnca-d-2017-081"
