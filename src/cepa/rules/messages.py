"""Messages (en, zh-Hant, zh-Hans) and basis citations for every reason code.

A message key is the reason code, a dot, then `held` or `failed` and sometimes a variant
(`REGISTERED.failed.expired`). Codes never change; messages may be reworded freely.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

LANGUAGES = ("en", "zh-Hant", "zh-Hans")
_BY_LOWER = {lang.lower(): lang for lang in LANGUAGES}

# Every code the engine can list; gates first.
GATES = ("KIND_NOT_ELIGIBLE", "MAINLAND_ESTABLISHED")
CODES = (
    *GATES,
    "PRODUCT_IN_CATALOGUE",
    "ACCREDITED",
    "ACCREDITATION_SCOPE",
    "ACCREDITATION_ACTIVE",
    "ACCREDITATION_SUSPENDED",
    "ACCREDITATION_WITHDRAWN",
    "AGREEMENT_IN_FORCE",
    "PARTNER_DESIGNATED",
    "DESIGNATED",
    "REGISTERED",
    "GRADE",
    "SPECIALTY",
    "AFFILIATED",
    "ORG_ACCREDITED",
    "ORG_AGREEMENT",
    "ORG_DESIGNATED",
    "ROUTINE_SCOPE",
    "PLAN_PUBLISHED",
    "WINDOW_OPEN",
    "EXPRESSION_OF_INTEREST",
    "CERTIFICATE_VALID",
    "ISSUER_DESIGNATED",
    "CHAIN_BEFORE_ISSUE",
    "REPORTS_ELIGIBLE",
    "REPORTS_FOR_ISSUER",
    "INSPECTORS_ELIGIBLE",
    "INSPECTION_FOR_ISSUER",
)
# The notices of the `certificate` question (rev. 2): links no longer eligible on the date asked.
NOTICE_CODES = (
    "ISSUER_NO_LONGER_DESIGNATED",
    "LABORATORY_NO_LONGER_ELIGIBLE",
    "INSPECTOR_NO_LONGER_ELIGIBLE",
)


def normalise_language(value: str) -> str | None:
    """`en`, `zh-Hant` or `zh-Hans` for any casing (also `zh_hant`), else None."""
    return _BY_LOWER.get(value.strip().lower().replace("_", "-"))


Trilingual = Mapping[str, str]

_IG2020 = {
    "en": "CEPA Implementation Guide (May 2020)",
    "zh-Hant": "《CEPA實施指南》（2020年5月）",
    "zh-Hans": "《CEPA实施指南》（2020年5月）",
}
_IG2025 = {
    "en": "CEPA Implementation Guide (Feb 2025)",
    "zh-Hant": "《CEPA實施指南》（2025年2月）",
    "zh-Hans": "《CEPA实施指南》（2025年2月）",
}
_CCAA107 = {
    "en": "CCAA-107 CCC Inspector Registration Criteria (v3, 2015)",
    "zh-Hant": "CCAA-107《強制性產品認證檢查員註冊準則》（第3版，2015年）",
    "zh-Hans": "CCAA-107《强制性产品认证检查员注册准则》（第3版，2015年）",
}
_ART12 = {
    "en": "Art 12 of the CCC bodies measures",
    "zh-Hant": "《強制性產品認證機構和實驗室管理辦法》第十二條",
    "zh-Hans": "《强制性产品认证机构和实验室管理办法》第十二条",
}
_MEASURES = {
    "en": "CCC bodies measures",
    "zh-Hant": "《強制性產品認證機構和實驗室管理辦法》",
    "zh-Hans": "《强制性产品认证机构和实验室管理办法》",
}

_ORDER117 = {
    "en": "Provisions for the Administration of Compulsory Product Certification (AQSIQ Order No. 117)",
    "zh-Hant": "《強制性產品認證管理規定》（國家質檢總局令第117號）",
    "zh-Hans": "《强制性产品认证管理规定》（国家质检总局令第117号）",
}


def _cite(instrument: Trilingual, en: str, zh_hant: str, zh_hans: str) -> dict[str, str]:
    return {
        "en": f"{instrument['en']}: {en}",
        "zh-Hant": f"{instrument['zh-Hant']}：{zh_hant}",
        "zh-Hans": f"{instrument['zh-Hans']}：{zh_hans}",
    }


_HOKLAS_BASIS = _cite(
    _IG2020,
    "HOKLAS accreditation for CCC testing",
    "香港認可處HOKLAS認可的CCC檢測能力",
    "香港认可处HOKLAS认可的CCC检测能力",
)
_AGREEMENT_BASIS = _cite(
    _IG2020,
    "cooperation agreement with a designated CCC certification body",
    "與指定CCC認證機構簽訂合作協議",
    "与指定CCC认证机构签订合作协议",
)
_PLAN_BASIS = _cite(
    _ART12, "designation plans and their application windows", "指定計劃及其申請期", "指定计划及其申请期"
)

# The instrument each condition comes from; (code, question) overrides (code, "").
BASIS: dict[tuple[str, str], dict[str, str]] = {
    ("KIND_NOT_ELIGIBLE", ""): _cite(
        _IG2020,
        "CCC testing by laboratories in Hong Kong",
        "香港檢測機構承擔CCC檢測",
        "香港检测机构承担CCC检测",
    ),
    ("KIND_NOT_ELIGIBLE", "inspection"): _cite(
        _IG2025,
        "CCC factory inspection commissioned by certification bodies",
        "受認證機構委託實施CCC工廠檢查",
        "受认证机构委托实施CCC工厂检查",
    ),
    ("MAINLAND_ESTABLISHED", ""): {
        "en": "CEPA Agreement on Economic and Technical Cooperation, Art 23(8); FAQ: Hong Kong-invested "
        "bodies in the Mainland",
        "zh-Hant": "CEPA《經濟技術合作協議》第二十三條第八款；常見問題：港資內地機構",
        "zh-Hans": "CEPA《经济技术合作协议》第二十三条第八款；常见问题：港资内地机构",
    },
    ("PRODUCT_IN_CATALOGUE", ""): {
        "en": "CCC product catalogue (SAMR PN 2023 No.36 and later SAMR notices)",
        "zh-Hant": "《強制性產品認證目錄》（市場監管總局公告2023年第36號及其後公告）",
        "zh-Hans": "《强制性产品认证目录》（市场监管总局公告2023年第36号及其后公告）",
    },
    ("ACCREDITED", ""): _HOKLAS_BASIS,
    ("ACCREDITATION_SCOPE", ""): _HOKLAS_BASIS,
    ("ACCREDITATION_ACTIVE", ""): _HOKLAS_BASIS,
    ("ACCREDITATION_SUSPENDED", ""): _HOKLAS_BASIS,
    ("ACCREDITATION_WITHDRAWN", ""): _HOKLAS_BASIS,
    ("AGREEMENT_IN_FORCE", ""): _AGREEMENT_BASIS,
    ("PARTNER_DESIGNATED", ""): _AGREEMENT_BASIS,
    ("DESIGNATED", ""): _cite(
        _MEASURES, "designation of CCC laboratories", "CCC實驗室的指定", "CCC实验室的指定"
    ),
    ("REGISTERED", ""): _CCAA107,
    ("GRADE", ""): _CCAA107,
    ("SPECIALTY", ""): _CCAA107,
    ("AFFILIATED", ""): {
        "en": f"{_CCAA107['en']}; FAQ: change of institution",
        "zh-Hant": f"{_CCAA107['zh-Hant']}；常見問題：轉換機構申請",
        "zh-Hans": f"{_CCAA107['zh-Hans']}；常见问题：转换机构申请",
    },
    ("ORG_ACCREDITED", ""): _cite(
        _IG2025,
        "HKCAS accreditation for CCC product certification",
        "香港認可處HKCAS認可的CCC產品認證能力",
        "香港认可处HKCAS认可的CCC产品认证能力",
    ),
    ("ORG_AGREEMENT", ""): _cite(
        _IG2025,
        "factory inspection agreement with a designated CCC certification body (filing)",
        "與指定CCC認證機構簽訂並備案的工廠檢查合作協議",
        "与指定CCC认证机构签订并备案的工厂检查合作协议",
    ),
    ("ORG_DESIGNATED", ""): _cite(
        _MEASURES, "designation of CCC certification bodies", "CCC認證機構的指定", "CCC认证机构的指定"
    ),
    ("ROUTINE_SCOPE", ""): {
        "en": "CNCA PN No. 34 of 2015, No. 1 and No. 28 of 2017: routine designation of CCC laboratories",
        "zh-Hant": "國家認監委公告2015年第34號、2017年第1號及第28號：CCC實驗室日常指定",
        "zh-Hans": "国家认监委公告2015年第34号、2017年第1号及第28号：CCC实验室日常指定",
    },
    ("PLAN_PUBLISHED", ""): _PLAN_BASIS,
    ("WINDOW_OPEN", ""): _PLAN_BASIS,
    ("CERTIFICATE_VALID", ""): _cite(
        _ORDER117,
        "validity, suspension, cancellation and revocation of CCC certificates",
        "認證證書的有效期及暫停、註銷和撤銷",
        "认证证书的有效期及暂停、注销和撤销",
    ),
    ("ISSUER_DESIGNATED", ""): _cite(
        _MEASURES, "designation of CCC certification bodies", "CCC認證機構的指定", "CCC认证机构的指定"
    ),
    ("CHAIN_BEFORE_ISSUE", ""): _cite(
        _ORDER117,
        "certification decided on type testing and initial factory inspection",
        "依據型式試驗和初始工廠檢查結果作出認證決定",
        "依据型式试验和初始工厂检查结果作出认证决定",
    ),
    ("REPORTS_ELIGIBLE", ""): _cite(
        _IG2020,
        "CCC testing by HOKLAS-accredited Hong Kong laboratories; designated Mainland laboratories",
        "HOKLAS認可的香港檢測機構承擔CCC檢測；獲指定的內地實驗室",
        "HOKLAS认可的香港检测机构承担CCC检测；获指定的内地实验室",
    ),
    ("REPORTS_FOR_ISSUER", ""): _AGREEMENT_BASIS,
    ("INSPECTORS_ELIGIBLE", ""): {
        "en": f"{_CCAA107['en']}; {_IG2025['en']}: "
        "CCC factory inspection commissioned by certification bodies",
        "zh-Hant": f"{_CCAA107['zh-Hant']}；{_IG2025['zh-Hant']}：受認證機構委託實施CCC工廠檢查",
        "zh-Hans": f"{_CCAA107['zh-Hans']}；{_IG2025['zh-Hans']}：受认证机构委托实施CCC工厂检查",
    },
    ("INSPECTION_FOR_ISSUER", ""): _cite(
        _IG2025,
        "factory inspection agreement with a designated CCC certification body (filing)",
        "與指定CCC認證機構簽訂並備案的工廠檢查合作協議",
        "与指定CCC认证机构签订并备案的工厂检查合作协议",
    ),
    ("EXPRESSION_OF_INTEREST", ""): {
        "en": f"{_ART12['en']}; FAQ: written request to CNCA before 1 April each year",
        "zh-Hant": f"{_ART12['zh-Hant']}；常見問題：每年4月1日前向國家認監委書面提出",
        "zh-Hans": f"{_ART12['zh-Hans']}；常见问题：每年4月1日前向国家认监委书面提出",
    },
}


# --- citations by date -------------------------------------------------------------------------------
# Which instrument a condition comes from can depend on the date asked: the catalogue in force, and the
# CEPA measure under which Hong Kong certification bodies inspect factories.

# The catalogue tables of the shipped versions SAMR-2020-18 and SAMR-2023-36, from their effective days.
_CATALOGUE_2020 = dt.date(2020, 4, 21)
_CATALOGUE_2023 = dt.date(2023, 8, 10)
_CATALOGUE = {
    "en": "CCC product catalogue",
    "zh-Hant": "《強制性產品認證目錄》",
    "zh-Hans": "《强制性产品认证目录》",
}
_CATALOGUE_BASIS_2020 = {
    "en": "CCC product catalogue (SAMR PN 2020 No.18 and later SAMR notices)",
    "zh-Hant": "《強制性產品認證目錄》（市場監管總局公告2020年第18號及其後公告）",
    "zh-Hans": "《强制性产品认证目录》（市场监管总局公告2020年第18号及其后公告）",
}
_CATALOGUE_BASIS_2001 = {
    "en": "CCC product catalogue (AQSIQ/CNCA PN 2001 No.33 and later notices)",
    "zh-Hant": "《強制性產品認證目錄》（國家質檢總局、國家認監委2001年第33號公告及其後公告）",
    "zh-Hans": "《强制性产品认证目录》（国家质检总局、国家认监委2001年第33号公告及其后公告）",
}

# Agreement II (in force 1 March 2025) and the guide of February 2025: cooperation agreements between
# Hong Kong and Mainland certification bodies are filed with CNCA; before, under the Amendment Agreement
# of 2019 and the guide of May 2020, they were approved.
_FILING_FROM = dt.date(2025, 3, 1)
_APPROVAL_BASIS: dict[str, dict[str, str]] = {
    "KIND_NOT_ELIGIBLE": _cite(
        _IG2020,
        "CCC factory inspection commissioned by certification bodies",
        "受認證機構委託實施CCC工廠檢查",
        "受认证机构委托实施CCC工厂检查",
    ),
    "ORG_ACCREDITED": _cite(
        _IG2020,
        "HKCAS accreditation for CCC product certification",
        "香港認可處HKCAS認可的CCC產品認證能力",
        "香港认可处HKCAS认可的CCC产品认证能力",
    ),
    "ORG_AGREEMENT": _cite(
        _IG2020,
        "factory inspection agreement with a designated CCC certification body (approval)",
        "與指定CCC認證機構簽訂並經批准的工廠檢查合作協議",
        "与指定CCC认证机构签订并经批准的工厂检查合作协议",
    ),
}


def _catalogue_basis(lang: str, params: Mapping[str, Any]) -> str | None:
    """The catalogue in force on the date asked; before the 2020 table, the instrument of the type's
    period (`instrument`: see rules.status.catalogue_reason)."""
    on = params.get("on")
    if not isinstance(on, dt.date) or on >= _CATALOGUE_2023:
        return None
    if on >= _CATALOGUE_2020:
        return _CATALOGUE_BASIS_2020[lang]
    instrument = params.get("instrument")
    if instrument is None:
        return _CATALOGUE_BASIS_2001[lang]
    separator = ": " if lang == "en" else "："
    return f"{_CATALOGUE[lang]}{separator}{instrument.in_lang(lang)}"


def basis(code: str, lang: str, question: str = "", params: Mapping[str, Any] | None = None) -> str:
    """The instrument the condition `code` comes from; with the reason's `params`, the one in force on
    the date it was judged for (their `on`)."""
    if params:
        if code == "PRODUCT_IN_CATALOGUE":
            dated = _catalogue_basis(lang, params)
            if dated is not None:
                return dated
        elif question == "inspection" and code in _APPROVAL_BASIS:
            on = params.get("on")
            if isinstance(on, dt.date) and on < _FILING_FROM:
                return _APPROVAL_BASIS[code][lang]
    entry = BASIS.get((code, question)) or BASIS[(code, "")]
    return entry[lang]


# Terms used inside messages.
TERMS: dict[str, dict[str, str]] = {
    "laboratory": {"en": "a laboratory", "zh-Hant": "實驗室", "zh-Hans": "实验室"},
    "certification_body": {"en": "a certification body", "zh-Hant": "認證機構", "zh-Hans": "认证机构"},
    "inspection_body": {"en": "an inspection body", "zh-Hant": "檢驗機構", "zh-Hans": "检验机构"},
    "plural:laboratory": {"en": "laboratories", "zh-Hant": "實驗室", "zh-Hans": "实验室"},
    "plural:certification_body": {"en": "certification bodies", "zh-Hant": "認證機構", "zh-Hans": "认证机构"},
    "plural:inspection_body": {"en": "inspection bodies", "zh-Hant": "檢驗機構", "zh-Hans": "检验机构"},
    "HK": {"en": "Hong Kong", "zh-Hant": "香港", "zh-Hans": "香港"},
    "MAINLAND": {"en": "the Mainland", "zh-Hant": "內地", "zh-Hans": "内地"},
    "OVERSEAS": {"en": "overseas", "zh-Hant": "海外", "zh-Hans": "海外"},
    "provisional": {"en": "provisional inspector", "zh-Hant": "實習檢查員", "zh-Hans": "实习检查员"},
    "inspector": {"en": "inspector", "zh-Hant": "檢查員", "zh-Hans": "检查员"},
    "senior": {"en": "senior inspector", "zh-Hant": "高級檢查員", "zh-Hans": "高级检查员"},
    "active": {"en": "active", "zh-Hant": "有效", "zh-Hans": "有效"},
    "suspended": {"en": "suspended", "zh-Hant": "暫停", "zh-Hans": "暂停"},
    "withdrawn": {"en": "withdrawn", "zh-Hant": "撤銷", "zh-Hans": "撤销"},
    "cancelled": {"en": "cancelled", "zh-Hant": "註銷", "zh-Hans": "注销"},
    # A contact whose name the source gives only in English (catalogue/data/contacts.json).
    "name_not_given": {
        "en": "",
        "zh-Hant": "來源未提供中文姓名",
        "zh-Hans": "来源未提供中文姓名",
    },
}
# Titles before a romanised name, said after it in Chinese ("Mr QIU Lei" is "QIU Lei 先生").
HONORIFICS: dict[str, dict[str, str]] = {
    "Mr": {"zh-Hant": "先生", "zh-Hans": "先生"},
    "Ms": {"zh-Hant": "女士", "zh-Hans": "女士"},
    "Mrs": {"zh-Hant": "女士", "zh-Hans": "女士"},
}


def person_name(en: str, zh: str, lang: str) -> tuple[str, bool]:
    """A person's name in `lang` and whether the source gives it in that language. Without a Chinese
    name, a Chinese reader gets the romanised name as the source writes it, with its title in Chinese;
    nothing is transliterated."""
    if lang == "en" or zh:
        return (zh if lang != "en" else en), True
    title, _sep, rest = en.partition(" ")
    said = HONORIFICS.get(title.rstrip("."), {}).get(lang)
    return (f"{rest} {said}" if said and rest else en), False


def term(key: str, lang: str) -> str:
    entry = TERMS.get(key)
    return entry[lang] if entry else key


def join(items: Iterable[str], lang: str) -> str:
    return (", " if lang == "en" else "、").join(items)


class Lines:
    """A list inside a message whose items are messages of their own, given as (key, params): rendered
    and joined in `lang` when the message holding it is read, like the message itself (a refused
    certificate lists a line per failing link)."""

    __slots__ = ("items", "lang")

    def __init__(self, items: list[tuple[str, dict[str, Any]]], lang: str) -> None:
        self.items = items
        self.lang = lang

    def __str__(self) -> str:
        lang = self.lang
        return join([render(key, lang, **params) for key, params in self.items], lang)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Lines) and (self.items, self.lang) == (other.items, other.lang)

    __hash__ = None  # type: ignore[assignment]  # equal by value, and its items are mutable

    def __repr__(self) -> str:
        return f"Lines({self.items!r}, {self.lang!r})"


def _m(en: str, zh_hant: str, zh_hans: str) -> dict[str, str]:
    return {"en": en, "zh-Hant": zh_hant, "zh-Hans": zh_hans}


MESSAGES: dict[str, dict[str, str]] = {
    # Gates: listed only when they fail; the held forms exist for completeness.
    "KIND_NOT_ELIGIBLE.held": _m(
        "{subject} is eligible to ask this question",
        "{subject}符合資格",
        "{subject}符合资格",
    ),
    "KIND_NOT_ELIGIBLE.failed.not_laboratory": _m(
        "{subject} is {kind}, not a laboratory: only laboratories carry out CCC testing",
        "{subject}是{kind}，並非實驗室：只有實驗室可承擔CCC檢測",
        "{subject}是{kind}，并非实验室：只有实验室可承担CCC检测",
    ),
    "KIND_NOT_ELIGIBLE.failed.overseas": _m(
        "{subject} is a laboratory seated overseas: only laboratories in Hong Kong or the Mainland take part",
        "{subject}是設於海外的實驗室：只有香港或內地的實驗室可參與",
        "{subject}是设于海外的实验室：只有香港或内地的实验室可参与",
    ),
    "KIND_NOT_ELIGIBLE.failed.not_certification_body": _m(
        "{org} is {kind}, not a certification body: factory inspections are done for certification bodies",
        "{org}是{kind}，並非認證機構：工廠檢查須為認證機構實施",
        "{org}是{kind}，并非认证机构：工厂检查须为认证机构实施",
    ),
    "MAINLAND_ESTABLISHED.held": _m(
        "{subject} is established in the Mainland",
        "{subject}設於內地",
        "{subject}设于内地",
    ),
    "MAINLAND_ESTABLISHED.failed": _m(
        "{subject} is seated in {seat}, not the Mainland: bodies outside the Mainland take part through "
        "cooperation agreements, not designation",
        "{subject}設於{seat}而非內地：內地以外的機構透過合作協議參與，而非申請指定",
        "{subject}设于{seat}而非内地：内地以外的机构通过合作协议参与，而非申请指定",
    ),
    "PRODUCT_IN_CATALOGUE.held": _m(
        "{code} is in the CCC catalogue on {on}",
        "{code}於{on}在CCC目錄內",
        "{code}于{on}在CCC目录内",
    ),
    "PRODUCT_IN_CATALOGUE.failed": _m(
        "{code} is not in the CCC catalogue on {on}",
        "{code}於{on}不在CCC目錄內",
        "{code}于{on}不在CCC目录内",
    ),
    "PRODUCT_IN_CATALOGUE.failed.not_yet": _m(
        "{code} is not in the CCC catalogue on {on}: applications for it open on {opens}",
        "{code}於{on}不在CCC目錄內：其申請自{opens}起受理",
        "{code}于{on}不在CCC目录内：其申请自{opens}起受理",
    ),
    "PRODUCT_IN_CATALOGUE.failed.between": _m(
        "{code} is not in the CCC catalogue on {on}: it was removed on {removed}, and applications for it "
        "open again on {opens}",
        "{code}於{on}不在CCC目錄內：已於{removed}移出目錄，其申請自{opens}起再次受理",
        "{code}于{on}不在CCC目录内：已于{removed}移出目录，其申请自{opens}起再次受理",
    ),
    "PRODUCT_IN_CATALOGUE.failed.removed": _m(
        "{code} is not in the CCC catalogue on {on}: it was removed on {removed}",
        "{code}於{on}不在CCC目錄內：已於{removed}移出目錄",
        "{code}于{on}不在CCC目录内：已于{removed}移出目录",
    ),
    "ACCREDITED.held": _m(
        "{subject} holds HOKLAS accreditation {accreditation}, granted on {granted}",
        "{subject}持有HOKLAS認可{accreditation}，於{granted}批出",
        "{subject}持有HOKLAS认可{accreditation}，于{granted}批出",
    ),
    "ACCREDITED.failed": _m(
        "{subject} holds no HOKLAS accreditation granted on or before {on}",
        "{subject}於{on}或之前未獲任何HOKLAS認可",
        "{subject}于{on}或之前未获任何HOKLAS认可",
    ),
    "ACCREDITED.failed.not_yet": _m(
        "{subject} holds no HOKLAS accreditation granted on or before {on}: {accreditation} is granted "
        "only on {granted}",
        "{subject}於{on}或之前未獲任何HOKLAS認可：{accreditation}於{granted}方獲批",
        "{subject}于{on}或之前未获任何HOKLAS认可：{accreditation}于{granted}方获批",
    ),
    "ACCREDITATION_SCOPE.held": _m(
        "The scope of {accreditation} covers {code}",
        "{accreditation}的認可範圍涵蓋{code}",
        "{accreditation}的认可范围涵盖{code}",
    ),
    "ACCREDITATION_SCOPE.failed": _m(
        "The scope of {accreditations} does not cover {code}",
        "{accreditations}的認可範圍不涵蓋{code}",
        "{accreditations}的认可范围不涵盖{code}",
    ),
    "ACCREDITATION_ACTIVE.held": _m(
        "{accreditation} is active for {code} on {on}",
        "{accreditation}於{on}就{code}有效",
        "{accreditation}于{on}就{code}有效",
    ),
    "ACCREDITATION_ACTIVE.failed": _m(
        "{accreditation} is not active for {code} on {on}",
        "{accreditation}於{on}就{code}並非有效",
        "{accreditation}于{on}就{code}并非有效",
    ),
    "ACCREDITATION_SUSPENDED.held": _m(
        "{accreditation} is not suspended for {code} on {on}",
        "{accreditation}於{on}就{code}未被暫停",
        "{accreditation}于{on}就{code}未被暂停",
    ),
    "ACCREDITATION_SUSPENDED.failed": _m(
        "{accreditation} is suspended for {code} from {since}",
        "{accreditation}就{code}自{since}起暫停",
        "{accreditation}就{code}自{since}起暂停",
    ),
    "ACCREDITATION_WITHDRAWN.held": _m(
        "{accreditation} is not withdrawn for {code} on {on}",
        "{accreditation}於{on}就{code}未被撤銷",
        "{accreditation}于{on}就{code}未被撤销",
    ),
    "ACCREDITATION_WITHDRAWN.failed": _m(
        "{accreditation} is withdrawn for {code} from {since}",
        "{accreditation}就{code}自{since}起撤銷",
        "{accreditation}就{code}自{since}起撤销",
    ),
    "AGREEMENT_IN_FORCE.held": _m(
        "Testing agreement {agreement} with {counterparty} covers {code} and is in force on {on}",
        "與{counterparty}的檢測合作協議{agreement}涵蓋{code}，於{on}有效",
        "与{counterparty}的检测合作协议{agreement}涵盖{code}，于{on}有效",
    ),
    "AGREEMENT_IN_FORCE.failed": _m(
        "{subject} is party to no testing agreement covering {code} in force on {on}",
        "{subject}於{on}沒有涵蓋{code}的有效檢測合作協議",
        "{subject}于{on}没有涵盖{code}的有效检测合作协议",
    ),
    "AGREEMENT_IN_FORCE.failed.lapsed": _m(
        "{subject} is party to no testing agreement covering {code} in force on {on} ({agreements} not in "
        "force on that day)",
        "{subject}於{on}沒有涵蓋{code}的有效檢測合作協議（{agreements}當日無效）",
        "{subject}于{on}没有涵盖{code}的有效检测合作协议（{agreements}当日无效）",
    ),
    "PARTNER_DESIGNATED.held": _m(
        "{counterparty} is designated as a CCC certification body for {code} on {on} ({designation})",
        "{counterparty}於{on}獲指定為{code}的CCC認證機構（{designation}）",
        "{counterparty}于{on}获指定为{code}的CCC认证机构（{designation}）",
    ),
    "PARTNER_DESIGNATED.failed": _m(
        "{counterparties} is not designated as a CCC certification body for {code} on {on}",
        "{counterparties}於{on}未獲指定為{code}的CCC認證機構",
        "{counterparties}于{on}未获指定为{code}的CCC认证机构",
    ),
    "DESIGNATED.held": _m(
        "{subject} is designated as a CCC laboratory for {code} on {on} ({designation})",
        "{subject}於{on}獲指定為{code}的CCC實驗室（{designation}）",
        "{subject}于{on}获指定为{code}的CCC实验室（{designation}）",
    ),
    "DESIGNATED.failed": _m(
        "{subject} is not designated as a CCC laboratory for {code} on {on}",
        "{subject}於{on}未獲指定為{code}的CCC實驗室",
        "{subject}于{on}未获指定为{code}的CCC实验室",
    ),
    "REGISTERED.held": _m(
        "Registration {subject} is valid from {registered} to {expires} and active on {on}",
        "註冊{subject}有效期為{registered}至{expires}，於{on}有效",
        "注册{subject}有效期为{registered}至{expires}，于{on}有效",
    ),
    "REGISTERED.failed.not_yet": _m(
        "Registration {subject} is valid only from {registered}",
        "註冊{subject}自{registered}起方有效",
        "注册{subject}自{registered}起方有效",
    ),
    "REGISTERED.failed.expired": _m(
        "Registration {subject} expired after {expires}",
        "註冊{subject}已於{expires}後屆滿",
        "注册{subject}已于{expires}后届满",
    ),
    "REGISTERED.failed.suspended": _m(
        "Registration {subject} is suspended from {since}",
        "註冊{subject}自{since}起暫停",
        "注册{subject}自{since}起暂停",
    ),
    "REGISTERED.failed.cancelled": _m(
        "Registration {subject} is cancelled from {since}",
        "註冊{subject}自{since}起註銷",
        "注册{subject}自{since}起注销",
    ),
    "GRADE.held": _m(
        "The grade of {subject} on {on} is {grade}",
        "{subject}於{on}的級別為{grade}",
        "{subject}于{on}的级别为{grade}",
    ),
    "GRADE.failed": _m(
        "The grade of {subject} on {on} is {grade}: a provisional inspector may not carry out CCC factory "
        "inspections",
        "{subject}於{on}的級別為{grade}：實習檢查員不可實施CCC工廠檢查",
        "{subject}于{on}的级别为{grade}：实习检查员不可实施CCC工厂检查",
    ),
    "SPECIALTY.held": _m(
        "The registered specialty {specialty} covers {code}",
        "註冊專業{specialty}涵蓋{code}",
        "注册专业{specialty}涵盖{code}",
    ),
    "SPECIALTY.failed": _m(
        "No registered specialty ({specialties}) covers {code}",
        "註冊專業（{specialties}）均不涵蓋{code}",
        "注册专业（{specialties}）均不涵盖{code}",
    ),
    "AFFILIATED.held": _m(
        "{subject} is affiliated with {org} on {on}",
        "{subject}於{on}隸屬{org}",
        "{subject}于{on}隶属{org}",
    ),
    "AFFILIATED.failed": _m(
        "{subject} is not affiliated with {org} on {on}",
        "{subject}於{on}並非隸屬{org}",
        "{subject}于{on}并非隶属{org}",
    ),
    "ORG_ACCREDITED.held": _m(
        "{org} holds HKCAS accreditation {accreditation} covering {code}, active on {on}",
        "{org}持有涵蓋{code}的HKCAS認可{accreditation}，於{on}有效",
        "{org}持有涵盖{code}的HKCAS认可{accreditation}，于{on}有效",
    ),
    "ORG_ACCREDITED.failed": _m(
        "{org} holds no HKCAS accreditation covering {code} on {on}",
        "{org}於{on}沒有涵蓋{code}的HKCAS認可",
        "{org}于{on}没有涵盖{code}的HKCAS认可",
    ),
    "ORG_ACCREDITED.failed.inactive": _m(
        "{org} holds no HKCAS accreditation active for {code} on {on}: {accreditation} is {status} for it "
        "from {since}",
        "{org}於{on}沒有就{code}有效的HKCAS認可：{accreditation}自{since}起{status}",
        "{org}于{on}没有就{code}有效的HKCAS认可：{accreditation}自{since}起{status}",
    ),
    "ORG_AGREEMENT.held": _m(
        "Factory inspection agreement {agreement} with {counterparty}, designated as a CCC certification "
        "body for {code} ({designation}), is in force on {on}",
        "與{counterparty}（{designation}，獲指定為{code}的CCC認證機構）的工廠檢查合作協議{agreement}於{on}有效",
        "与{counterparty}（{designation}，获指定为{code}的CCC认证机构）的工厂检查合作协议{agreement}于{on}有效",
    ),
    "ORG_AGREEMENT.failed": _m(
        "{org} is party to no factory inspection agreement covering {code} in force on {on} with a "
        "certification body designated for it",
        "{org}於{on}沒有與獲指定為{code}的認證機構簽訂、涵蓋{code}的有效工廠檢查合作協議",
        "{org}于{on}没有与获指定为{code}的认证机构签订、涵盖{code}的有效工厂检查合作协议",
    ),
    "ORG_DESIGNATED.held": _m(
        "{org} is designated as a CCC certification body for {code} on {on} ({designation})",
        "{org}於{on}獲指定為{code}的CCC認證機構（{designation}）",
        "{org}于{on}获指定为{code}的CCC认证机构（{designation}）",
    ),
    "ORG_DESIGNATED.failed": _m(
        "{org} is not designated as a CCC certification body for {code} on {on}",
        "{org}於{on}未獲指定為{code}的CCC認證機構",
        "{org}于{on}未获指定为{code}的CCC认证机构",
    ),
    "ROUTINE_SCOPE.held": _m(
        "{code} is in the routine designation scope for laboratories on {on} ({instrument}): {subject} may "
        "apply at any time",
        "{code}於{on}屬實驗室日常指定範圍（{instrument}）：{subject}可隨時申請",
        "{code}于{on}属实验室日常指定范围（{instrument}）：{subject}可随时申请",
    ),
    "ROUTINE_SCOPE.failed": _m(
        "{code} is not in the routine designation scope for laboratories on {on}",
        "{code}於{on}不屬實驗室日常指定範圍",
        "{code}于{on}不属实验室日常指定范围",
    ),
    "PLAN_PUBLISHED.held": _m(
        "Designation plan {plan} for {role} covering {code} was published on {published}",
        "涵蓋{code}的{role}指定計劃{plan}於{published}公布",
        "涵盖{code}的{role}指定计划{plan}于{published}公布",
    ),
    "PLAN_PUBLISHED.failed": _m(
        "No designation plan for {role} covering {code} has been published by {on}; expressions of "
        "interest for the {year} plans are due before {deadline}",
        "截至{on}未有涵蓋{code}的{role}指定計劃公布；{year}年計劃的意向須於{deadline}前提出",
        "截至{on}未有涵盖{code}的{role}指定计划公布；{year}年计划的意向须于{deadline}前提出",
    ),
    "WINDOW_OPEN.held": _m(
        "The application window of plan {plan} is open from {opens} to {closes}",
        "計劃{plan}的申請期由{opens}至{closes}，現正開放",
        "计划{plan}的申请期由{opens}至{closes}，现正开放",
    ),
    "WINDOW_OPEN.failed.not_yet": _m(
        "The application window of plan {plan} opens at {opens}",
        "計劃{plan}的申請期於{opens}開始",
        "计划{plan}的申请期于{opens}开始",
    ),
    "WINDOW_OPEN.failed.closed": _m(
        "The application window of plan {plan} closed at {closes}",
        "計劃{plan}的申請期已於{closes}結束",
        "计划{plan}的申请期已于{closes}结束",
    ),
    "EXPRESSION_OF_INTEREST.held": _m(
        "{subject} expressed interest in {code} for {year} ({eoi}, submitted {submitted}), before {deadline}",
        "{subject}已於{deadline}前就{year}年的{code}提出意向（{eoi}，{submitted}提交）",
        "{subject}已于{deadline}前就{year}年的{code}提出意向（{eoi}，{submitted}提交）",
    ),
    "EXPRESSION_OF_INTEREST.failed": _m(
        "Plan {plan} requires an expression of interest: {subject} has none for {year} covering {code} "
        "submitted before {deadline}",
        "計劃{plan}要求事先提出意向：{subject}未有於{deadline}前就{year}年的{code}提出意向",
        "计划{plan}要求事先提出意向：{subject}未有于{deadline}前就{year}年的{code}提出意向",
    ),
    "EXPRESSION_OF_INTEREST.failed.late": _m(
        "Plan {plan} requires an expression of interest submitted before {deadline}, that is by 31 March "
        "{year} Beijing time ('before 1 April' excludes 1 April itself): {eoi} of {subject} was "
        "submitted at {submitted}",
        "計劃{plan}要求於{deadline}前，即北京時間{year}年3月31日或之前提出意向（「4月1日前」不包括4月1日）："
        "{subject}的{eoi}於{submitted}方提交",
        "计划{plan}要求于{deadline}前，即北京时间{year}年3月31日或之前提出意向（“4月1日前”不包括4月1日）："
        "{subject}的{eoi}于{submitted}方提交",
    ),
    # certificate (rev. 2)
    "CERTIFICATE_VALID.held": _m(
        "Certificate {certificate} is valid on {on} (issued {issued}, expires {expires})",
        "證書{certificate}於{on}有效（{issued}發出，{expires}屆滿）",
        "证书{certificate}于{on}有效（{issued}颁发，{expires}到期）",
    ),
    "CERTIFICATE_VALID.failed.not_yet_valid": _m(
        "Certificate {certificate} is not yet valid on {on}: it was issued on {issued}",
        "證書{certificate}於{on}尚未生效：其發出日期為{issued}",
        "证书{certificate}于{on}尚未生效：其颁发日期为{issued}",
    ),
    "CERTIFICATE_VALID.failed.expired": _m(
        "Certificate {certificate} has expired on {on}: it was valid through {expires}",
        "證書{certificate}於{on}已屆滿：有效期至{expires}",
        "证书{certificate}于{on}已过期：有效期至{expires}",
    ),
    "CERTIFICATE_VALID.failed.suspended": _m(
        "Certificate {certificate} is suspended from {since}",
        "證書{certificate}自{since}起暫停",
        "证书{certificate}自{since}起暂停",
    ),
    "CERTIFICATE_VALID.failed.revoked": _m(
        "Certificate {certificate} was revoked on {since}",
        "證書{certificate}已於{since}撤銷",
        "证书{certificate}已于{since}撤销",
    ),
    "CERTIFICATE_VALID.failed.cancelled": _m(
        "Certificate {certificate} was cancelled on {since}",
        "證書{certificate}已於{since}註銷",
        "证书{certificate}已于{since}注销",
    ),
    "ISSUER_DESIGNATED.held": _m(
        "{issuer} was designated as a CCC certification body for {code} on {issued}, the day it issued "
        "certificate {certificate} ({designation})",
        "{issuer}於發出證書{certificate}當日（{issued}）獲指定為{code}的CCC認證機構（{designation}）",
        "{issuer}于颁发证书{certificate}当日（{issued}）获指定为{code}的CCC认证机构（{designation}）",
    ),
    "ISSUER_DESIGNATED.failed": _m(
        "{issuer} was not designated as a CCC certification body for {code} on {issued}, the day it "
        "issued certificate {certificate}",
        "{issuer}於發出證書{certificate}當日（{issued}）未獲指定為{code}的CCC認證機構",
        "{issuer}于颁发证书{certificate}当日（{issued}）未获指定为{code}的CCC认证机构",
    ),
    "CHAIN_BEFORE_ISSUE.held": _m(
        "Every test report and factory inspection of certificate {certificate} is dated on or before "
        "{issued}, the day it was issued",
        "證書{certificate}的所有檢測報告及工廠檢查均在其發出日期（{issued}）或之前",
        "证书{certificate}的所有检测报告及工厂检查均在其颁发日期（{issued}）或之前",
    ),
    "CHAIN_BEFORE_ISSUE.failed": _m(
        "Dated after {issued}, the day certificate {certificate} was issued: {records}",
        "日期在證書{certificate}發出日期（{issued}）之後：{records}",
        "日期在证书{certificate}颁发日期（{issued}）之后：{records}",
    ),
    "CHAIN_BEFORE_ISSUE.failed.item": _m("{record} ({day})", "{record}（{day}日）", "{record}（{day}日）"),
    "REPORTS_ELIGIBLE.held": _m(
        "The laboratory of every test report ({reports}) was eligible to test {code} on the day of its "
        "report",
        "所有檢測報告（{reports}）的實驗室於報告當日均符合承擔{code}檢測的資格",
        "所有检测报告（{reports}）的实验室于报告当日均符合承担{code}检测的资格",
    ),
    "REPORTS_ELIGIBLE.failed": _m(
        "Not eligible to test {code} on the day of the report: {reports}",
        "於報告當日不符合承擔{code}檢測的資格：{reports}",
        "于报告当日不符合承担{code}检测的资格：{reports}",
    ),
    "REPORTS_ELIGIBLE.failed.item": _m(
        "{report} ({laboratory} on {day}: {failing})",
        "{report}（{laboratory}於{day}：{failing}）",
        "{report}（{laboratory}于{day}：{failing}）",
    ),
    "REPORTS_FOR_ISSUER.held": _m(
        "Every test report ({reports}) was made for {issuer}, by a Hong Kong laboratory under a testing "
        "agreement with it",
        "所有檢測報告（{reports}）均為{issuer}出具，香港實驗室的報告均依據與其簽訂的檢測合作協議",
        "所有检测报告（{reports}）均为{issuer}出具，香港实验室的报告均依据与其签订的检测合作协议",
    ),
    "REPORTS_FOR_ISSUER.failed": _m(
        "Not made for {issuer}: {reports}",
        "並非為{issuer}出具：{reports}",
        "并非为{issuer}出具：{reports}",
    ),
    "REPORTS_FOR_ISSUER.failed.other_body": _m(
        "{report} was made for {body}",
        "{report}為{body}出具",
        "{report}为{body}出具",
    ),
    "REPORTS_FOR_ISSUER.failed.no_agreement": _m(
        "{report}: {laboratory} had no testing agreement with {issuer} covering {code} in force on {day}",
        "{report}：{laboratory}於{day}沒有與{issuer}簽訂、涵蓋{code}的有效檢測合作協議",
        "{report}：{laboratory}于{day}没有与{issuer}签订、涵盖{code}的有效检测合作协议",
    ),
    "INSPECTORS_ELIGIBLE.held": _m(
        "Every inspector of every factory inspection ({inspections}) was eligible to inspect for {code} "
        "on the day of the inspection",
        "所有工廠檢查（{inspections}）的檢查員於檢查當日均符合實施{code}工廠檢查的資格",
        "所有工厂检查（{inspections}）的检查员于检查当日均符合实施{code}工厂检查的资格",
    ),
    "INSPECTORS_ELIGIBLE.failed": _m(
        "Not eligible to inspect for {code} on the day of the inspection: {inspections}",
        "於檢查當日不符合實施{code}工廠檢查的資格：{inspections}",
        "于检查当日不符合实施{code}工厂检查的资格：{inspections}",
    ),
    "INSPECTORS_ELIGIBLE.failed.item": _m(
        "{inspector} in {inspection} ({org} on {day}: {failing})",
        "{inspection}的{inspector}（{org}於{day}：{failing}）",
        "{inspection}的{inspector}（{org}于{day}：{failing}）",
    ),
    "INSPECTION_FOR_ISSUER.held": _m(
        "Every factory inspection ({inspections}) was made on behalf of {issuer}, by it or under a factory "
        "inspection agreement with it",
        "所有工廠檢查（{inspections}）均代表{issuer}實施，由其本身或依據與其簽訂的工廠檢查合作協議實施",
        "所有工厂检查（{inspections}）均代表{issuer}实施，由其本身或依据与其签订的工厂检查合作协议实施",
    ),
    "INSPECTION_FOR_ISSUER.failed": _m(
        "Not made for {issuer}: {inspections}",
        "並非為{issuer}實施：{inspections}",
        "并非为{issuer}实施：{inspections}",
    ),
    "INSPECTION_FOR_ISSUER.failed.other_body": _m(
        "{inspection} was made on behalf of {body}",
        "{inspection}代表{body}實施",
        "{inspection}代表{body}实施",
    ),
    "INSPECTION_FOR_ISSUER.failed.no_agreement": _m(
        "{inspection}: {org} had no factory inspection agreement with {issuer} covering {code} in force "
        "on {day}",
        "{inspection}：{org}於{day}沒有與{issuer}簽訂、涵蓋{code}的有效工廠檢查合作協議",
        "{inspection}：{org}于{day}没有与{issuer}签订、涵盖{code}的有效工厂检查合作协议",
    ),
    # Notices (not reasons): links no longer eligible on the date asked.
    "ISSUER_NO_LONGER_DESIGNATED.notice": _m(
        "{issuer} is no longer designated as a CCC certification body for {code} on {on} (it was under "
        "{designation} when it issued the certificate)",
        "{issuer}於{on}已不再獲指定為{code}的CCC認證機構（發出證書時依據{designation}獲指定）",
        "{issuer}于{on}已不再获指定为{code}的CCC认证机构（颁发证书时依据{designation}获指定）",
    ),
    "LABORATORY_NO_LONGER_ELIGIBLE.notice": _m(
        "{laboratory}, which made test report {report}, is no longer eligible to test {code} on {on} "
        "({failing})",
        "出具檢測報告{report}的{laboratory}於{on}已不再符合承擔{code}檢測的資格（{failing}）",
        "出具检测报告{report}的{laboratory}于{on}已不再符合承担{code}检测的资格（{failing}）",
    ),
    "INSPECTOR_NO_LONGER_ELIGIBLE.notice": _m(
        "{inspector}, an inspector of factory inspection {inspection}, is no longer eligible to inspect "
        "for {code} for {org} on {on} ({failing})",
        "工廠檢查{inspection}的檢查員{inspector}於{on}已不再符合為{org}實施{code}工廠檢查的資格（{failing}）",
        "工厂检查{inspection}的检查员{inspector}于{on}已不再符合为{org}实施{code}工厂检查的资格（{failing}）",
    ),
    # Not a reason: why the workflow refuses an expression of interest on or after the deadline (422).
    "EXPRESSION_OF_INTEREST.deadline_passed": _m(
        "Expressions of interest in the {year} designation plans are due before {deadline}, that is by "
        "31 March {year} Beijing time ('before 1 April' excludes 1 April itself); this one was "
        "sent at {submitted} ({basis})",
        "{year}年指定計劃的意向須於{deadline}前，即北京時間{year}年3月31日或之前提出（「4月1日前」不包括"
        "4月1日）；此意向於{submitted}提交（{basis}）",
        "{year}年指定计划的意向须于{deadline}前，即北京时间{year}年3月31日或之前提出（“4月1日前”不包括"
        "4月1日）；此意向于{submitted}提交（{basis}）",
    ),
}


def render(key: str, lang: str, **params: object) -> str:
    return MESSAGES[key][lang].format(**params)
