"""Exact HK$ amounts: parse the forms curators write, and format them for people."""

from __future__ import annotations

import functools
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_SCALES: dict[str, int] = {
    "": 1,
    "thousand": 1_000,
    "k": 1_000,
    "million": 1_000_000,
    "mn": 1_000_000,
    "m": 1_000_000,
    "billion": 1_000_000_000,
    "bn": 1_000_000_000,
    "b": 1_000_000_000,
    "萬": 10_000,
    "万": 10_000,
    "億": 100_000_000,
    "亿": 100_000_000,
}

# A number is either plain digits, or digits grouped by commas in threes, with an optional
# decimal part; a scale word may follow. Anything else ("ten billion", "1e9", "1_000") fails.
_AMOUNT = r"""^\s*
    (?:HK\$|HKD\s*|US\$(?P<usd>)|\$)?\s*
    (?P<number>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<fraction>\d+))?
    \s*(?P<scale>thousand|billion|million|bn|mn|k|m|b|萬|万|億|亿)?
    \s*元?\s*$"""

_QUALIFIER_WORDS = {
    "about": "about",
    "around": "about",
    "approximately": "about",
    "some": "about",
    "over": "over",
    "more than": "over",
    "above": "over",
    "up to": "up-to",
    "not more than": "up-to",
    "no more than": "up-to",
    "at most": "up-to",
    "nearly": "nearly",
    "almost": "nearly",
    "at least": "at-least",
}
_QUALIFIER = (
    r"^\s*(" + "|".join(sorted(map(re.escape, _QUALIFIER_WORDS), key=len, reverse=True)) + r")\s+"
)
# Both patterns are compiled on first use (re keeps them): a cache hit reads no amounts.

EXAMPLES = "HK$10 billion, HK$220 million, HK$250,000 or 1000000000"

# No I&T allocation comes near this (a few years of Hong Kong's whole GDP): an amount above it
# is a slip of the zeros, and would dwarf every total it went into.
MAX_HKD = 10**13


@functools.lru_cache(maxsize=4096)
def split_qualifier(text: str) -> tuple[str | None, str]:
    """``"about HK$220 million"`` -> ``("about", "HK$220 million")``; else ``(None, text)``."""
    match = re.match(_QUALIFIER, text, re.IGNORECASE)
    if match is None:
        return None, text
    return _QUALIFIER_WORDS[" ".join(match.group(1).lower().split())], text[match.end() :]


def parse_amount(value: object) -> int:
    """Return the exact number of HK dollars that ``value`` states.

    Raises ValueError with a message fit for a user when the text is not an amount,
    or when it is zero, negative, not a whole number of dollars or implausibly large.
    """
    if value is None:
        raise ValueError(f"is empty; expected an amount such as {EXAMPLES}")
    if isinstance(value, bool):
        raise ValueError(f"expected an amount such as {EXAMPLES}")
    if isinstance(value, int):
        amount = value
    elif isinstance(value, str):
        amount = _parse_text(value)
    else:
        raise ValueError(f"expected an amount such as {EXAMPLES}")
    if amount <= 0:
        raise ValueError(f"amount must be more than zero, got {value!s}")
    if amount > MAX_HKD:
        raise ValueError(
            f"`{_short(value)}` is more than HK$10 trillion; check the number of zeros"
        )
    return amount


def _short(value: object) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


@functools.lru_cache(maxsize=4096)  # the same few amounts recur throughout a large file
def _parse_text(text: str) -> int:
    stripped = text.strip()
    if any(c.isdigit() and not c.isascii() for c in stripped):
        raise ValueError(f"`{stripped}` has digits of another script; type the digits 0-9")
    if stripped.startswith("-"):
        raise ValueError(f"amount must be more than zero, got {stripped}")
    match = re.match(_AMOUNT, stripped, re.VERBOSE | re.IGNORECASE)
    if match is None:
        raise ValueError(f"`{stripped}` is not an amount; write it like {EXAMPLES}")
    if match.group("usd") is not None:
        raise ValueError(f"`{stripped}` is in US dollars; amounts are recorded in HK dollars")
    number = match.group("number").replace(",", "")
    if len(number) > 20:
        # Too long to be money, and int() refuses strings of thousands of digits anyway.
        raise ValueError(
            f"`{_short(stripped)}` is more than HK$10 trillion; check the number of zeros"
        )
    if len(number) > 1 and number.startswith("0"):
        raise ValueError(f"`{stripped}` has a leading zero; write the number without it")
    fraction = match.group("fraction") or ""
    scale = _SCALES[(match.group("scale") or "").lower()]
    try:
        exact = Decimal(f"{number}.{fraction or '0'}") * scale
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only digits
        raise ValueError(f"`{stripped}` is not an amount") from exc
    if exact != exact.to_integral_value():
        raise ValueError(f"`{stripped}` is not a whole number of HK dollars")
    return int(exact)


def exact_hkd(amount: int) -> str:
    """``2840000000`` -> ``HK$2,840,000,000``."""
    return f"HK${amount:,}"


def exact_zh(amount: int) -> str:
    """``2840000000`` -> ``2,840,000,000元``: the exact dollars, as Chinese writes them."""
    return f"{amount:,}元"


def short_hkd(amount: int) -> str:
    """A short form for tables: ``HK$10.0bn``, ``HK$2.84bn``, ``HK$220m``, ``HK$250,000``."""
    sign = "-" if amount < 0 else ""
    size = abs(amount)
    if size >= 1_000_000_000:
        value = (Decimal(size) / 1_000_000_000).quantize(Decimal("0.01"), ROUND_HALF_UP)
        text = f"{value:f}"
        if text.endswith("0"):
            text = text[:-1]
        return f"{sign}HK${text}bn"
    if size >= 1_000_000:
        value = (Decimal(size) / 1_000_000).quantize(Decimal("0.1"), ROUND_HALF_UP)
        text = f"{value:f}".removesuffix(".0")
        return f"{sign}HK${text}m"
    return f"{sign}HK${size:,}"


def short_zh(amount: int) -> str:
    """How Hong Kong's official Chinese texts write an amount: 30億元, 2.84億元, 5,000萬元."""
    sign = "-" if amount < 0 else ""
    size = abs(amount)
    if size >= 100_000_000:
        value = (Decimal(size) / 100_000_000).quantize(Decimal("0.01"), ROUND_HALF_UP)
        return f"{sign}{value.normalize():,f}億元"
    if size >= 10_000:
        value = (Decimal(size) / 10_000).quantize(Decimal("0.1"), ROUND_HALF_UP)
        return f"{sign}{value.normalize():,f}萬元"
    return f"{sign}{size:,}元"
