"""The fixed vocabularies of the dataset, kept free of heavy imports so the CLI can offer them."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable

SOURCE_KINDS = ("official", "repost", "news", "opinion", "feature")
STATUSES = (
    "planned",
    "proposed",
    "seeking-approval",
    "approved",
    "launched",
    "in-operation",
    "completed",
)
QUALIFIERS = ("exact", "about", "over", "up-to", "nearly", "at-least")
COUNTED_KINDS = ("allocation", "earmark", "injection")
# The form of counted money (CURATION.md): spending is paid out; an endowment's capital is
# kept and its income spent; an investment is capital put into companies or funds, expected
# back; capital is put into a government-owned company or statutory body.
FORMS = ("spending", "endowment", "investment", "capital")
# How far LegCo has dealt with counted money: approved (a Finance Committee item), voted (in
# the Appropriation Ordinance with the Estimates), pending (before LegCo or not yet put to it),
# unknown (searched for, not found).
APPROVAL_STAGES = ("approved", "voted", "pending", "unknown")
# How a year view dates money (CURATION.md): by the document that announced it (the default),
# by the Budget that provides it, or by LegCo's approval.
DATINGS = ("announced", "budget", "approved")
# How `list --sort` orders initiatives.
SORTS = ("amount", "year", "name")
# What `totals --by` and `chart --by` group counted money by, and the field of each.
GROUPINGS = {
    "year": "fiscal_year",
    "sector": "sector",
    "lead-body": "lead_body",
    "status": "status",
    "scope": "scope",
    "kind": "kind",
    "form": "form",
}
# What `progress --by` groups by.
PROGRESS_GROUPINGS = ("year", "sector", "form")
# The year keys, under approval dating, of money not approved (pending) and of money whose
# approval is unknown or not yet recorded; they sort after every fiscal year.
NOT_APPROVED = "not yet approved"
APPROVAL_UNKNOWN = "not known"
# An allocation with no approval stage recorded, as export and `show` give it.
NOT_RECORDED = "not recorded"


def fiscal_year_of(date: str | None) -> str | None:
    """The April-March fiscal year of a date written YYYY-MM[-DD] (None without a month)."""
    if date is None or len(date) < 7 or not date[5:7].isdigit():
        return None
    year, month = int(date[:4]), int(date[5:7])
    start = year if month >= 4 else year - 1
    return f"{start}-{(start + 1) % 100:02d}"


# core: innovation and technology proper, in the totals; adjacent: digital government, smart
# city, Chinese medicine, general campus facilities, general industry or logistics parks,
# regional investment funds: recorded and shown, in the totals only with `--scope all`.
SCOPES = ("core", "adjacent")

# The scopes the totals take by default: core I&T money only.
CORE = ("core",)


def scopes_for(choice: str) -> tuple[str, ...]:
    """The scopes counted for a `--scope` choice: core only, or core and adjacent (`all`).
    UsageError for anything else."""
    if choice not in ("core", "all"):
        from hkit_cli.domain.errors import UsageError

        raise UsageError(f"scope `{choice}` is not core or all")
    return SCOPES if choice == "all" else CORE


def is_government_money(kind: str, part_of: str | None) -> bool:
    """Government money, not already counted through a parent pot."""
    return kind in COUNTED_KINDS and part_of is None


def is_counted(
    kind: str, part_of: str | None, scope: str = "core", scopes: tuple[str, ...] = CORE
) -> bool:
    """The counting rule: government money, not already counted through a parent pot, in one
    of the ``scopes`` that the totals take (core I&T unless `--scope all`)."""
    return is_government_money(kind, part_of) and scope in scopes


# The top-level keys of a data file, as the messages name them.
TOP_KEYS = "sectors, bodies, sources and initiatives"

SHOWN_KINDS = ("per-recipient-cap", "private-investment", "project-total", "non-government")
ALLOCATION_KINDS = COUNTED_KINDS + SHOWN_KINDS

# \Z, not $: "$" also matches before a final newline, and a block scalar (`|`) ends with one;
# ASCII digits only, so "２０２６-２７" cannot become a fiscal year of its own in the totals.
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
FISCAL_YEAR = re.compile(r"^([0-9]{4})-([0-9]{2})\Z")


# Ways of writing a fiscal year that are clear but not ours (2025/26, 2025-2026, 2025–26, 25-26,
# full-width digits), to suggest the right form; \d on purpose: it takes any script's digits.
_FISCAL_YEAR_LIKE = re.compile(r"^(\d{4}|\d{2})\s*[-/–—]\s*(\d{4}|\d{2})$")
_DATE_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}")


@functools.lru_cache(maxsize=256)  # a file holds a few dozen fiscal years, many times over
def fiscal_year_problem(text: str) -> str | None:
    """Why ``text`` is not a fiscal year like ``2026-27``, or None when it is one."""
    match = FISCAL_YEAR.match(text)
    if match is None:
        if _DATE_LIKE.match(text):
            return f"`{text}` is a date, not a fiscal year; write the fiscal year like 2026-27"
        like = _FISCAL_YEAR_LIKE.match(text.strip())
        if like:
            first = like.group(1)
            start = (
                int(first) if len(first) == 4 else int(first) + (2000 if int(first) < 50 else 1900)
            )
            return f"`{text}` is not a fiscal year; write it as {start}-{(start + 1) % 100:02d}"
        return f"`{text}` is not a fiscal year; write it like 2026-27"
    start, end = int(match.group(1)), int(match.group(2))
    if (start + 1) % 100 != end:
        return (
            f"`{text}` is not a fiscal year: the two years must be consecutive "
            f"(did you mean {start}-{(start + 1) % 100:02d}?)"
        )
    return None


# The largest data file read; a synthetic dataset of 100,000 initiatives is about 130 MiB.
MAX_BYTES = 512 * 2**20


def suggest(value: str, known: Iterable[str], n: int = 1) -> list[str]:
    """The known values closest to ``value``, best first, for a "did you mean" hint.

    One that differs only in case or surrounding spaces wins; otherwise the closest by
    difflib's ratio (0.6 or more), compared without regard to case.
    """
    choices = list(dict.fromkeys(known))
    folded = value.strip().casefold()
    same = [k for k in choices if k.casefold() == folded]
    if same:
        return same[:n]
    by_folded: dict[str, str] = {}
    for choice in choices:
        by_folded.setdefault(choice.casefold(), choice)
    return [by_folded[c] for c in difflib.get_close_matches(folded, list(by_folded), n=n)]
