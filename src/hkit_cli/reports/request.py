"""What a report asks for, as one value: the filters as typed, the scope and dating, the
currency, the language, and the output format and destination.

The command line builds one Request from options declared once (cli.options.request_options);
the library takes the same words as keywords. Nothing here is process-wide state.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hkit_cli.domain.currency import Currency
    from hkit_cli.domain.records import Dataset
    from hkit_cli.reports.query import Filters

# The filters, by their keyword (the option without its dashes, `min` and `max` spelt out).
FILTERS = (
    "sector",
    "year",
    "status",
    "lead_body",
    "search",
    "source_kind",
    "minimum",
    "maximum",
    "form",
)


@dataclass(frozen=True)
class Request:
    """One report request. ``filters`` holds the filter values as the user typed them."""

    filters: dict[str, Any] = field(default_factory=dict)
    secondary: bool = False
    scope: str = "core"
    dated: str = "announced"
    currency: str = "hkd"
    rate: str | None = None
    any_rate: bool = False
    lang: str = "en"
    format: str = "table"
    output: Path | None = None  # None: standard output
    force: bool = False

    def with_filters(self, **values: Any) -> Request:
        return replace(self, filters={**self.filters, **values})

    def keywords(self) -> dict[str, Any]:
        """The filters, scope and dating as the library's keywords (see hkit_cli.api)."""
        given = {k: v for k, v in self.filters.items() if v is not None}
        return {"secondary": self.secondary, "scope": self.scope, "dated": self.dated, **given}

    def select(self, dataset: Dataset, also: tuple[str, ...] = ()) -> Filters:
        """The filters, each value checked against ``dataset`` (UsageError names a bad one)."""
        from hkit_cli.reports.query import filters_from

        return filters_from(dataset, also=also, **self.keywords())

    def money(self) -> Currency:
        """The currency amounts are shown in (UsageError for a bad rate)."""
        from hkit_cli.domain.currency import currency
        from hkit_cli.domain.errors import UsageError

        try:
            return currency(self.currency, self.rate, self.any_rate)
        except ValueError as exc:
            raise UsageError(str(exc)) from None

    @property
    def filtered(self) -> bool:
        return any(v for v in self.filters.values())
