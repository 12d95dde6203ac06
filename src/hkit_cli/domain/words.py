"""Chinese conventions for --lang zh that are rules rather than words: how Hong Kong writes
the names of Budgets and Policy Addresses and the paragraph numbers of a citation, and which
context of the message catalogue holds the words of each vocabulary of the data.

The words themselves (statuses, kinds, headings, notes...) are in the message catalogue,
locale/zh_Hant/LC_MESSAGES/hkit.po; see domain/messages.py.
"""

from __future__ import annotations

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
