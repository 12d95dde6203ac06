"""Amounts are parsed exactly, never through a float, and shown in short form."""

from __future__ import annotations

import pytest

from hkit_cli.domain.money import exact_hkd, parse_amount, short_hkd, split_qualifier


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("HK$1.5 billion", 1_500_000_000),
        ("HK$220 million", 220_000_000),
        ("$250,000", 250_000),
        ("HK$250,000", 250_000),
        ("HK$10 billion", 10_000_000_000),
        ("$1.5 billion", 1_500_000_000),
        ("HK$2.84 billion", 2_840_000_000),
        ("1000000000", 1_000_000_000),
        ("HK$ 134 million", 134_000_000),
        ("1.5bn", 1_500_000_000),
        ("500m", 500_000_000),
        ("HKD 30 million", 30_000_000),
        ("100億元", 10_000_000_000),
        ("5,000萬元", 50_000_000),
        # A float would give 1234567889.9999998 here; Decimal keeps it exact.
        ("HK$1.23456789 billion", 1_234_567_890),
        (7, 7),
    ],
)
def test_amounts_parse_exactly(text: str | int, expected: int) -> None:
    assert parse_amount(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ten billion", "`ten billion` is not an amount; write it like HK$10 billion"),
        ("-5", "amount must be more than zero, got -5"),
        ("HK$-5 million", "is not an amount"),
        ("0", "amount must be more than zero, got 0"),
        ("HK$0", "amount must be more than zero"),
        ("1_000", "`1_000` is not an amount"),
        ("0777", "`0777` has a leading zero"),
        ("1e9", "`1e9` is not an amount"),
        ("1,00", "`1,00` is not an amount"),
        ("HK$1.2345678 million", "is not a whole number of HK dollars"),
        ("US$5 million", "is in US dollars"),
        ("", "is not an amount"),
    ],
)
def test_bad_amounts_are_rejected(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("$", r"\$").replace("(", r"\(")):
        parse_amount(text)


def test_booleans_and_floats_are_not_amounts() -> None:
    for value in (True, 1.5):
        with pytest.raises(ValueError, match="expected an amount"):
            parse_amount(value)


@pytest.mark.parametrize(
    ("text", "word", "rest"),
    [
        ("about HK$220 million", "about", "HK$220 million"),
        ("Over HK$1 billion", "over", "HK$1 billion"),
        ("not more than HK$10 million", "up-to", "HK$10 million"),
        ("up to  HK$200 million", "up-to", "HK$200 million"),
        ("nearly HK$2 billion", "nearly", "HK$2 billion"),
        ("HK$2 billion", None, "HK$2 billion"),
    ],
)
def test_qualifier_words_are_split_off(text: str, word: str | None, rest: str) -> None:
    assert split_qualifier(text) == (word, rest)


@pytest.mark.parametrize(
    ("amount", "short"),
    [
        (10_000_000_000, "HK$10.0bn"),
        (2_840_000_000, "HK$2.84bn"),
        (1_500_000_000, "HK$1.5bn"),
        (220_000_000, "HK$220m"),
        (2_500_000, "HK$2.5m"),
        (250_000, "HK$250,000"),
        (999, "HK$999"),
    ],
)
def test_short_form(amount: int, short: str) -> None:
    assert short_hkd(amount) == short


def test_exact_form() -> None:
    assert exact_hkd(2_840_000_000) == "HK$2,840,000,000"
