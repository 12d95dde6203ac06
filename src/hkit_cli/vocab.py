"""The fixed vocabularies of the dataset, kept free of heavy imports so the CLI can offer them."""

from __future__ import annotations

import re

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
SHOWN_KINDS = ("per-recipient-cap", "private-investment", "project-total", "non-government")
ALLOCATION_KINDS = COUNTED_KINDS + SHOWN_KINDS

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FISCAL_YEAR = re.compile(r"^(\d{4})-(\d{2})$")


def fiscal_year_problem(text: str) -> str | None:
    """Why ``text`` is not a fiscal year like ``2026-27``, or None when it is one."""
    match = FISCAL_YEAR.match(text)
    if match is None:
        return f"`{text}` is not a fiscal year; write it like 2026-27"
    start, end = int(match.group(1)), int(match.group(2))
    if (start + 1) % 100 != end:
        return (
            f"`{text}` is not a fiscal year: the two years must be consecutive "
            f"(did you mean {start}-{(start + 1) % 100:02d}?)"
        )
    return None
