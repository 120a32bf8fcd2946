"""Names by language for the values reminders mention (kept in a reminder's context as written)."""

from __future__ import annotations

from typing import Any

AGREEMENT_KINDS = {
    "testing": {"en": "testing", "zh-Hant": "檢測", "zh-Hans": "检测"},
    "factory_inspection": {"en": "factory inspection", "zh-Hant": "工廠檢查", "zh-Hans": "工厂检查"},
    "sampling": {"en": "sampling", "zh-Hant": "抽樣", "zh-Hans": "抽样"},
}
ROLES = {
    "laboratory": {"en": "laboratory", "zh-Hant": "實驗室", "zh-Hans": "实验室"},
    "certification_body": {"en": "certification body", "zh-Hant": "認證機構", "zh-Hans": "认证机构"},
}
ACCREDITATION_STATUSES = {
    "suspended": {"en": "suspended", "zh-Hant": "暫停", "zh-Hans": "暂停"},
    "withdrawn": {"en": "withdrawn", "zh-Hant": "撤銷", "zh-Hans": "撤销"},
}


def label(table: dict[str, dict[str, str]], value: str) -> dict[str, str]:
    return table.get(value, {"en": value})


def names(organisation: Any) -> dict[str, str]:
    """An organisation's name by language, falling back to English."""
    return {
        "en": organisation.name_en,
        "zh-Hant": organisation.name_zh_hant or organisation.name_en,
        "zh-Hans": organisation.name_zh_hans or organisation.name_en,
    }
