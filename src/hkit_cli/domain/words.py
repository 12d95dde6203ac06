"""Chinese conventions for --lang zh that are rules rather than words: how Hong Kong writes
the names of Budgets and Policy Addresses and the paragraph numbers of a citation, and which
context of the message catalogue holds the words of each vocabulary of the data.

The words themselves (statuses, kinds, headings, notes...) are in the message catalogue,
locale/zh_Hant/LC_MESSAGES/hkit.po; see domain/messages.py.
"""

from __future__ import annotations

import functools
import re

from hkit_cli.domain.vocab import (
    ALLOCATION_KINDS,
    APPROVAL_STAGES,
    APPROVAL_UNKNOWN,
    FORMS,
    NOT_APPROVED,
    NOT_RECORDED,
    QUALIFIERS,
    SCOPES,
    SOURCE_KINDS,
    STATUSES,
)

# How far a fiscal year's documents were read (`hkit coverage`).
COVERAGE_STATUSES = ("reviewed", "nothing new", "not reviewed")

# Each vocabulary of the data and the catalogue context that holds its words: a test holds
# the catalogue to these, so that no value can be added without its Chinese word.
VOCABULARIES: tuple[tuple[tuple[str, ...], str], ...] = (
    (tuple(STATUSES), "status"),
    (tuple(QUALIFIERS), "qualifier"),
    (tuple(q for q in QUALIFIERS if q != "exact"), "qualifier before a number"),
    (tuple(ALLOCATION_KINDS), "kind"),
    (tuple(FORMS), "form"),
    ((*APPROVAL_STAGES, NOT_RECORDED), "approval stage"),
    (tuple(SCOPES), "scope"),
    (tuple(SOURCE_KINDS), "source kind"),
    (COVERAGE_STATUSES, "coverage"),
    (("yes", "no", "error", "warning"), "word"),
    ((NOT_APPROVED, APPROVAL_UNKNOWN), "year view"),
)

# Column keys whose values are vocabulary words, and the contexts to look them up in.
CONTEXTS_OF_COLUMN: dict[str, tuple[str, ...]] = {
    "status": ("status",),
    "qualifier": ("qualifier",),
    "kind": ("kind", "source kind"),  # an allocation's kind, or a source's
    "kind_shown": ("kind",),
    "form": ("form",),
    "approval_stage": ("approval stage",),
    "stage": ("approval stage",),
    "scope": ("scope",),
    "level": ("word",),
    "counted": ("word",),
    "publisher": ("publisher",),
    "period": ("period",),
    "approved_by": ("approved by",),
}

# Patterns are compiled on first use (re keeps them), not at import: most commands need none.
_BUDGET = r"^([0-9]{4}-[0-9]{2}) Budget(?: \((enhancement)\))?\Z"
_ADDRESS = r"^([0-9]{4}) Policy Address(?: \((January|October|enhancement)\))?\Z"
_SUFFIX_ZH = {"enhancement": "（優化措施）", "January": "（1月）", "October": "（10月）"}


def zh_document(name: str) -> str | None:
    """The Chinese name of a Budget or Policy Address as Hong Kong writes it, or None:
    `2025-26 Budget` is 《2025-26年度財政預算案》, `2024 Policy Address` 《2024年施政報告》."""
    found = re.match(_BUDGET, name)
    if found:
        return f"《{found[1]}年度財政預算案》" + _SUFFIX_ZH.get(found[2] or "", "")
    found = re.match(_ADDRESS, name)
    if found:
        return f"《{found[1]}年施政報告》" + _SUFFIX_ZH.get(found[2] or "", "")
    return None


_LOCATOR_ZH = [  # (pattern, replacement)
    (r"\bparas (\d+)\s*(?:-|–|to|and)\s*(\d+)", r"第\1至\2段"),
    (r"\b(\d+)(?:st|nd|rd|th) paragraph", r"第\1段"),
    (r"'([^']+)' paragraph", r"「\1」一段"),
    (r"\blines (\d+)\s*(?:-|–)\s*(\d+) and (\d+)", r"第\1至\2行及第\3行"),
    (r"\blines (\d+), (\d+) and (\d+)", r"第\1、\2及\3行"),
    (r"\bpara (\d+)", r"第\1段"),
    (r"\blines (\d+)\s*(?:-|–|and)\s*(\d+)", r"第\1至\2行"),
    (r"\bline (\d+)", r"第\1行"),
    (r"\bitems (\d+)\s*(?:-|–|and)\s*(\d+)", r"第\1至\2項"),
    (r"\bitem (\d+)", r"第\1項"),
    (r"\bbullet (\d+)", r"第\1點"),
    (r"\bp\. (\d+)", r"第\1頁"),
    (r"\bchapter IV\b", "第四章"),
    (r"\bitem \(([一二三四五六七八九十]+)\)", r"第\1項"),
    (r"\bpart (\([a-z]\)(?:\([ivx]+\))?)", r"\1部分"),
]
# The words curators use around those numbers (the names they give the parts of a document),
# longest first; what is not here stays as written.
_LOCATOR_WORDS_ZH = {
    "the Finance Committee chairman's remarks, approved non-works items": (
        "財務委員會主席的發言，獲批的非工務項目"
    ),
    "the paragraph inviting approval": "請委員批准的一段",
    "Chinese name: paragraph on the digital transformation pilot": "中文名稱：數碼轉型先導計劃一段",
    "Chinese name: title and reply": "中文名稱：標題及答覆",
    "Driving AI+ Development: Empowering public services": "推動「人工智能+」發展：賦能公共服務",
    "Driving AI+ Development: Enhancing AI literacy": "推動「人工智能+」發展：提升人工智能素養",
    "contents: Innovation and Technology Fund for Better Living": "目錄：創科生活基金",
    "Innovation and Technology section (para not seen)": "創新科技部分（段落未讀）",
    # Headings of pages that have no Chinese version are quoted as they stand.
    "Implementation of the Recommendations": "「Implementation of the Recommendations」部分",
    "Results of Proposal Evaluation table": "「Results of Proposal Evaluation」表",
    "What Is It?": "「What Is It?」部分",
    "funding overview table, total row": "撥款概覽表，總計一行",
    "the answer's fifth point": "答案第五點",
    "(nothing carried over)": "（沒有結轉）",
    "Life and Health Technology": "生命健康科技部分",
    "Cyberport 5 page": "數碼港第五期網頁",
    "Digital Economy list": "數字經濟清單",
    "opening paragraph": "首段",
    "paragraph on the scheme's funding, near the end": "計劃撥款一段，近文末",
    "(the money paragraph not yet read)": "（載有款項的段落未讀）",
    "(exact paragraph not seen)": "（未見確切段落）",
    "video note counted as": "影片說明計作",
    "section on the Hetao park company": "河套園區公司部分",
    "section on the Hetao park": "河套園區部分",
    "section on the San Tin company": "新田公司部分",
    "new industrialisation section": "新型工業化部分",
    "emerging industries section": "新興產業部分",
    "Mainland and world section": "內地及國際部分",
    "life and health section": "生命健康部分",
    "Innovation and Technology list": "創新科技清單",
    "talent section": "人才部分",
    "I&T section": "創科部分",
    "AI+ section": "「人工智能+」部分",
    "opening remarks": "開場發言",
    "press release": "新聞稿",
    "highlights": "重點",
    "question": "提問",
    "article": "文章",
    "section": "部分",
}
# Round brackets holding Chinese, which Chinese writes full-width.
_ROUND_ZH = r"\(([^()]*[^\x00-\x7f][^()]*)\)"


@functools.cache
def _locator_words() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in _LOCATOR_WORDS_ZH))


def zh_locator(text: str) -> str:
    """Paragraph, line and item numbers in a citation as Chinese writes them: `para 39` is
    第39段, `lines 103-105` 第103至105行; any other words of the locator stay as written."""
    for pattern, replacement in _LOCATOR_ZH:
        text = re.sub(pattern, replacement, text)
    text = _locator_words().sub(lambda m: _LOCATOR_WORDS_ZH[m.group()], text)
    # Chinese punctuation around Chinese words, with no spaces.
    text = re.sub(_ROUND_ZH, r"（\1）", text)
    text = re.sub(r"(?<=[^\x00-\x7f]), ", "，", text)
    return re.sub(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])", "", text)
