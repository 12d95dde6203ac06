"""Showing HK$ amounts in another currency at a stated rate; the data stays in exact HK$."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from hkit_cli.domain.messages import Msg
from hkit_cli.domain.money import exact_hkd, exact_zh, short_hkd, short_zh

# The Linked Exchange Rate System keeps HK$ within 7.75-7.85 to the US dollar.
LINKED_RATE = Decimal("7.8")


@dataclass(frozen=True, slots=True)
class Currency:
    code: str
    symbol: str
    rate: Decimal  # HK$ per unit of this currency

    def convert(self, hkd: int) -> int:
        if self.rate == 1:
            return hkd
        return int((Decimal(hkd) / self.rate).quantize(Decimal(1), ROUND_HALF_UP))

    def short(self, hkd: int) -> str:
        return short_hkd(self.convert(hkd)).replace("HK$", self.symbol, 1)

    def exact(self, hkd: int) -> str:
        return exact_hkd(self.convert(hkd)).replace("HK$", self.symbol, 1)

    def exact_zh(self, hkd: int) -> str | None:
        """The exact amount in Chinese (2,840,000,000元) when in HK$; None otherwise."""
        return exact_zh(hkd) if self.code == "hkd" else None

    @property
    def note(self) -> str:
        """How amounts were converted, for the foot of a report ("" for HK$)."""
        if self.code == "hkd":
            return ""
        symbol = self.symbol
        return Msg(
            "Amounts in {symbol} at HK${rate} = {symbol}1; the data is in exact HK$.",
            symbol=symbol,
            rate=self.rate,
        )


HKD = Currency("hkd", "HK$", Decimal(1))


@dataclass(frozen=True, slots=True)
class ShortAmount:
    """An amount inside a message: HK$72.2bn in English; 722億元 in Chinese when in HK$."""

    hkd: int
    currency: Currency = HKD

    def __str__(self) -> str:
        return self.currency.short(self.hkd)

    def in_language(self, lang: str) -> str:
        if lang == "zh" and self.currency.code == "hkd":
            return short_zh(self.hkd)
        return str(self)


# A rate outside this band is almost surely a typo (78 for 7.8) unless the user insists.
PLAUSIBLE_RATES = (Decimal("7.0"), Decimal("8.5"))


def currency(code: str, rate: str | None, any_rate: bool = False) -> Currency:
    """The currency for ``--currency`` and ``--rate``; raises ValueError for a bad rate, or
    for one far from the linked rate unless ``any_rate``."""
    if rate is not None and any(c.isdigit() and not c.isascii() for c in rate):
        raise ValueError(f"--rate `{rate}` has digits of another script; type the digits 0-9")
    if code == "hkd":
        if rate is not None:
            raise ValueError("--rate applies only with --currency usd")
        return HKD
    value = LINKED_RATE
    if rate is not None:
        try:
            value = Decimal(rate)
        except InvalidOperation:
            raise ValueError(f"`{rate}` is not a rate; give HK$ per US$, like 7.8") from None
        if not value.is_finite() or value <= 0:
            raise ValueError(f"`{rate}` is not a rate; give HK$ per US$, like 7.8")
        low, high = PLAUSIBLE_RATES
        if not any_rate and not low <= value <= high:
            raise ValueError(
                f"`{rate}` is far from the linked rate of about 7.8 HK$ per US$; rates from "
                f"{low} to {high} are taken as given, others only with --any-rate"
            )
    return Currency("usd", "US$", value)
