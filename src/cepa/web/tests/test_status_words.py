"""Every status word of the workflows, in three languages (issue 11, point 5): a refused application reads
「已拒絕」/「已拒绝」, not the decision's 「不可以」; each status has its own word in each language."""

from __future__ import annotations

import pytest
from django.db import models
from django.utils import translation

from cepa.designation.models import ApplicationStatus, ObjectionStatus, PlanStatus
from cepa.enquiries.models import EnquiryStatus
from cepa.filings.models import FilingStatus
from cepa.personnel.models import TransferStatus

WORDS: dict[type[models.Choices], dict[str, tuple[str, str, str]]] = {
    ApplicationStatus: {
        "draft": ("Draft", "草稿", "草稿"),
        "submitted": ("Submitted", "已提交", "已提交"),
        "under_review": ("Under review", "審查中", "审查中"),
        "information_requested": ("Information requested", "已要求補充資料", "已要求补充资料"),
        "approved": ("Approved", "已批准", "已批准"),
        "refused": ("Refused", "已拒絕", "已拒绝"),
        "withdrawn": ("Withdrawn", "已撤回", "已撤回"),
    },
    ObjectionStatus: {
        "pending": ("Waiting for a decision", "等待決定", "等待决定"),
        "upheld": ("Upheld", "成立", "成立"),
        "dismissed": ("Dismissed", "駁回", "驳回"),
    },
    PlanStatus: {
        "draft": ("Draft", "草稿", "草稿"),
        "published": ("Published", "已公布", "已公布"),
        "closed": ("Closed early", "已提前截止", "已提前截止"),
    },
    TransferStatus: {
        "requested": ("Requested", "已申請", "已申请"),
        "approved": ("Approved", "已批准", "已批准"),
        "refused": ("Refused", "已拒絕", "已拒绝"),
    },
    FilingStatus: {
        "filed": ("Filed", "已備案", "已备案"),
        "returned": ("Returned", "已退回", "已退回"),
        "accepted": ("Accepted", "已接納", "已接受"),
        "terminated": ("Terminated", "已終止", "已终止"),
        "expired": ("Expired", "已屆滿", "已到期"),
    },
    EnquiryStatus: {
        "new": ("New", "未回覆", "未回复"),
        "answered": ("Answered", "已回覆", "已回复"),
        "closed": ("Closed", "已結案", "已结案"),
    },
}


@pytest.mark.parametrize("table", list(WORDS), ids=lambda table: table.__name__)
def test_every_status_word_in_three_languages(table: type[models.Choices]) -> None:
    found = {}
    for value, label in table.choices:
        words = []
        for language in ("en", "zh-hant", "zh-hans"):
            with translation.override(language):
                words.append(str(label))
        found[value] = tuple(words)
    assert found == WORDS[table]


def test_a_decision_still_says_may_not() -> None:
    with translation.override("zh-hant"):
        assert translation.gettext("Refused") == "不可以"
