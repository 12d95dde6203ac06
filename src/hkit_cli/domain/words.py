"""One catalogue of the words hkit shows in Traditional Chinese (--lang zh): the dataset's
vocabularies (statuses, kinds, qualifiers, forms, approval stages, scopes, source kinds) and
the names of the official documents money is announced in.

Kept as one Python mapping, not a gettext catalogue: the words are values of the data's
vocabularies, which a test holds to the vocabularies in vocab.py, so that no value can be
added without its Chinese word; column headings sit beside their English in each Table.
"""

from __future__ import annotations

import re

from hkit_cli.domain.vocab import (
    ALLOCATION_KINDS,
    APPROVAL_STAGES,
    FORMS,
    FORMS_ZH,
    QUALIFIERS,
    SCOPES,
    SOURCE_KINDS,
    STATUSES,
)

STATUS_ZH = {
    "planned": "規劃中",
    "proposed": "已提出",
    "seeking-approval": "尋求批准中",
    "approved": "已獲批准",
    "launched": "已推出",
    "in-operation": "運作中",
    "completed": "已完成",
}
QUALIFIER_ZH = {
    "exact": "確數",
    "about": "約數",
    "over": "超過",
    "up-to": "最多",
    "nearly": "接近",
    "at-least": "至少",
}
# Before a number: 約30, 超過8,000.
QUALIFIER_PREFIX_ZH = {
    "exact": "",
    "about": "約",
    "over": "超過",
    "up-to": "最多",
    "nearly": "接近",
    "at-least": "至少",
}
KIND_ZH = {
    "allocation": "撥款",
    "earmark": "預留款項",
    "injection": "注資",
    "per-recipient-cap": "每名受資助者上限",
    "private-investment": "私人投資",
    "project-total": "項目總額",
    "non-government": "非政府資金",
}
STAGE_ZH = {
    "approved": "已獲財委會批准",
    "voted": "隨預算撥款通過",
    "pending": "待立法會審批",
    "unknown": "不詳",
}
SCOPE_ZH = {"core": "核心創科", "adjacent": "相關範疇"}
SOURCE_KIND_ZH = {
    "official": "官方",
    "repost": "轉載",
    "news": "新聞",
    "opinion": "評論",
    "feature": "專題",
}
# How far a fiscal year's documents were read (`hkit coverage`).
COVERAGE_ZH = {"reviewed": "已審閱", "nothing new": "沒有新撥款", "not reviewed": "未審閱"}
OTHER_ZH = {"yes": "是", "no": "否", "error": "錯誤", "warning": "警告"}

# The government publishers most sources name, as Chinese writes them; others stay as given.
PUBLISHER_ZH = {
    "Financial Secretary, HKSAR Government": "香港特區政府財政司司長",
    "Financial Secretary, HKSAR Government (via info.gov.hk)": (
        "香港特區政府財政司司長（政府新聞網）"
    ),
    "Chief Executive, HKSAR Government": "香港特區政府行政長官",
    "Chief Executive, HKSAR Government (via info.gov.hk)": "香港特區政府行政長官（政府新聞網）",
    "Chief Executive's Office, HKSAR Government": "香港特區政府行政長官辦公室",
    "news.gov.hk, HKSAR Government": "香港政府新聞網",
    "news.gov.hk, HKSAR Government (ISD mirror)": "香港政府新聞網（政府新聞處鏡像）",
    "Information Services Department, HKSAR Government": "香港特區政府新聞處",
    "Information Services Department, HKSAR Government (news.gov.hk)": (
        "香港特區政府新聞處（香港政府新聞網）"
    ),
    "Secretary for Innovation and Technology, HKSAR Government (via info.gov.hk)": (
        "香港特區政府創新及科技局局長（政府新聞網）"
    ),
    "Secretary for Innovation, Technology and Industry, HKSAR Government (via info.gov.hk)": (
        "香港特區政府創新科技及工業局局長（政府新聞網）"
    ),
    "Innovation and Technology Commission, HKSAR Government": "香港特區政府創新科技署",
    "Innovation, Technology and Industry Bureau, HKSAR Government": "香港特區政府創新科技及工業局",
    "Legislative Council Finance Committee": "立法會財務委員會",
    "Legislative Council question and Government reply (via info.gov.hk)": (
        "立法會質詢及政府答覆（政府新聞網）"
    ),
    "Research Grants Council": "研究資助局",
}

# Column keys whose values are vocabulary words, and the words for each.
BY_COLUMN: dict[str, dict[str, str]] = {
    "status": STATUS_ZH,
    "qualifier": QUALIFIER_ZH,
    "kind": KIND_ZH | SOURCE_KIND_ZH,  # an allocation's kind, or a source's
    "kind_shown": KIND_ZH,
    "form": FORMS_ZH,
    "approval_stage": STAGE_ZH,
    "stage": STAGE_ZH,
    "scope": SCOPE_ZH,
    "level": OTHER_ZH,
    "counted": OTHER_ZH,
    "publisher": PUBLISHER_ZH,
}

VOCABULARIES = (
    (STATUSES, STATUS_ZH),
    (QUALIFIERS, QUALIFIER_ZH),
    (ALLOCATION_KINDS, KIND_ZH),
    (FORMS, FORMS_ZH),
    (APPROVAL_STAGES, STAGE_ZH),
    (SCOPES, SCOPE_ZH),
    (SOURCE_KINDS, SOURCE_KIND_ZH),
)

_BUDGET = re.compile(r"^([0-9]{4}-[0-9]{2}) Budget(?: \((enhancement)\))?\Z")
_ADDRESS = re.compile(r"^([0-9]{4}) Policy Address(?: \((January|October|enhancement)\))?\Z")
_SUFFIX_ZH = {"enhancement": "（優化措施）", "January": "（1月）", "October": "（10月）"}


def zh_document(name: str) -> str | None:
    """The Chinese name of a Budget or Policy Address as Hong Kong writes it, or None:
    `2025-26 Budget` is 《2025-26年度財政預算案》, `2024 Policy Address` 《2024年施政報告》."""
    found = _BUDGET.match(name)
    if found:
        return f"《{found[1]}年度財政預算案》" + _SUFFIX_ZH.get(found[2] or "", "")
    found = _ADDRESS.match(name)
    if found:
        return f"《{found[1]}年施政報告》" + _SUFFIX_ZH.get(found[2] or "", "")
    return None


def zh_value(column: str, value: str) -> str | None:
    """The Chinese word for a value of the column ``column``, if it is a vocabulary word or a
    document's name."""
    words = BY_COLUMN.get(column)
    if words is not None and value in words:
        return words[value]
    if column in ("announced_in", "announced"):
        return zh_document(value)
    return None


_LOCATOR_ZH = [
    (re.compile(r"\bparas (\d+)\s*(?:-|–|to|and)\s*(\d+)"), r"第\1至\2段"),
    (re.compile(r"\bpara (\d+)"), r"第\1段"),
    (re.compile(r"\blines (\d+)\s*(?:-|–|and)\s*(\d+)"), r"第\1至\2行"),
    (re.compile(r"\bline (\d+)"), r"第\1行"),
    (re.compile(r"\bitems (\d+)\s*(?:-|–|and)\s*(\d+)"), r"第\1至\2項"),
    (re.compile(r"\bitem (\d+)"), r"第\1項"),
]


def zh_locator(text: str) -> str:
    """Paragraph, line and item numbers in a citation as Chinese writes them: `para 39` is
    第39段, `lines 103-105` 第103至105行; any other words of the locator stay as written."""
    for pattern, replacement in _LOCATOR_ZH:
        text = pattern.sub(replacement, text)
    return text
