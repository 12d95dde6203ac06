"""Rich tables for people: the only module that imports rich. Data text is never markup."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from hkit_cli.models import Citation, Dataset, Initiative
from hkit_cli.money import exact_hkd, short_hkd
from hkit_cli.report import InitiativeRow, Sum, Totals

APPROX = "≈"


def console(stderr: bool = False) -> Console:
    stream = sys.stderr if stderr else sys.stdout
    width = None
    if not stream.isatty() and "COLUMNS" not in os.environ:
        width = 200  # a pipe or a file: don't squeeze tables into 80 columns
    return Console(file=stream, width=width, highlight=False, emoji=False, markup=False)


def money(total: Sum) -> str:
    if total.allocations == 0:
        return "—"
    text = short_hkd(total.amount)
    return f"{APPROX} {text}" if total.approximate else text


def _table(*columns: str, title: str | None = None, caption: str | None = None) -> Table:
    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        title=Text(title) if title else None,
        caption=Text(caption) if caption else None,
        title_justify="left",
        caption_justify="left",
    )
    for column in columns:
        numeric = column in ("Counted", "Amount", "Allocations", "Initiatives", "Value")
        table.add_column(Text(column), justify="right" if numeric else "left")
    return table


def _row(table: Table, *cells: str, style: str = "") -> None:
    table.add_row(*(Text(cell) for cell in cells), style=style or None)


def _total_row(table: Table, *cells: str) -> None:
    if table.rows:
        table.rows[-1].end_section = True
    _row(table, *cells, style="bold")


def initiatives(out: Console, rows: Sequence[InitiativeRow], dataset: Dataset) -> None:
    table = _table("ID", "Name", "Sector", "Status", "Counted")
    total = Sum()
    for row in rows:
        i = row.initiative
        _row(table, i.id, i.name, i.sector, i.status, money(row.counted))
        total.amount += row.counted.amount
        total.allocations += row.counted.allocations
        total.approximate += row.counted.approximate
    _total_row(table, "", f"{len(rows)} initiatives", "", "", money(total))
    out.print(table)
    _approx_note(out, total)


def _approx_note(out: Console, total: Sum) -> None:
    if total.approximate:
        n = total.approximate
        out.print(Text(f"{APPROX} includes {n} approximate allocation{'s' if n != 1 else ''}"))


def totals(out: Console, report: Totals) -> None:
    heading = {"year": "Fiscal year", "sector": "Sector", "lead-body": "Lead body", "kind": "Kind"}
    table = _table(heading[report.by], "Counted", "Allocations", "Approximate")
    for group in report.groups:
        s = group.sum
        _row(table, group.label, money(s), str(s.allocations), str(s.approximate or ""))
    t = report.total
    _total_row(table, "Total", money(t), str(t.allocations), str(t.approximate or ""))
    out.print(table)
    _approx_note(out, t)
    if report.not_counted:
        out.print(
            Text(
                f"Government money only: {report.not_counted} other figures (caps, private "
                "money, parts of earlier pots) are shown by `hkit show` and `hkit export`, "
                "never summed."
            )
        )


def initiative(out: Console, item: Initiative, dataset: Dataset) -> None:
    sectors = {s.slug: s for s in dataset.sectors}
    sources = {s.id: s for s in dataset.sources}
    out.print(Text(item.name, style="bold"))
    if item.name_zh:
        out.print(Text(item.name_zh))
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim")
    facts.add_column()
    sector = sectors.get(item.sector)
    pairs = [
        ("id", item.id),
        ("sector", f"{item.sector} ({sector.name})" if sector else item.sector),
        ("also in", ", ".join(item.secondary_sectors)),
        ("status", item.status),
        ("lead body", item.lead_body),
        ("announced in", item.announced_in),
        ("aliases", ", ".join(item.aliases)),
    ]
    for key, value in pairs:
        if value:
            facts.add_row(Text(key), Text(value))
    out.print(facts)
    out.print()
    out.print(Text(item.description))
    if item.notes:
        out.print()
        out.print(Text(f"Notes: {item.notes}"))

    if item.allocations:
        table = _table(
            "Allocation",
            "Amount",
            "Qualifier",
            "Kind",
            "Year",
            "Counted",
            "Sources",
            title="Allocations",
        )
        for a in item.allocations:
            counted = "yes" if a.counted else (f"no (part of {a.part_of})" if a.part_of else "no")
            kind = a.kind + (f" of {a.applies_to}" if a.applies_to else "")
            year = a.fiscal_year or "—"
            if a.period:
                year += f" ({a.period})"
            _row(
                table,
                a.id,
                exact_hkd(a.amount),
                a.qualifier,
                kind,
                year,
                counted,
                _cites(a.sources),
            )
        out.print()
        out.print(table)
    if item.milestones:
        table = _table("Date", "Milestone", "Sources", title="Milestones")
        for m in sorted(item.milestones, key=lambda m: m.when.sort_key):
            _row(table, m.when.label, m.event, _cites(m.sources))
        out.print()
        out.print(table)
    if item.figures:
        table = _table("Figure", "Value", "Unit", "As of", "Sources", title="Key figures")
        for f in item.figures:
            value = _number(f.value)
            if f.qualifier != "exact":
                value = f"{f.qualifier} {value}"
            _row(table, f.metric, value, f.unit, f.as_of or "", _cites(f.sources))
        out.print()
        out.print(table)
    table = _table("Source", "Kind", "Date", "Publisher", "Title", "URL", title="Sources")
    for source_id in item.cited_source_ids():
        s = sources.get(source_id)
        if s is not None:
            _row(table, s.id, s.kind, s.date, s.publisher, s.title, s.url or "")
    out.print()
    out.print(table)


def _cites(citations: Sequence[Citation]) -> str:
    return ", ".join(c.id + (f" ({c.locator})" if c.locator else "") for c in citations)


def _number(value: object) -> str:
    text = f"{value:,}" if not isinstance(value, str) else value
    return text


def sectors(out: Console, dataset: Dataset, usage: dict[str, tuple[int, int]]) -> None:
    table = _table("Sector", "Name", "中文", "Initiatives", "Allocations")
    for s in dataset.sectors:
        n, m = usage.get(s.slug, (0, 0))
        _row(table, s.slug, s.name, s.name_zh, str(n), str(m))
    out.print(table)


def sources(out: Console, dataset: Dataset, usage: dict[str, tuple[int, int]]) -> None:
    table = _table("Source", "Kind", "Date", "Publisher", "Title", "Initiatives", "Allocations")
    for s in dataset.sources:
        n, m = usage.get(s.id, (0, 0))
        _row(table, s.id, s.kind, s.date, s.publisher, s.title, str(n), str(m))
    out.print(table)
