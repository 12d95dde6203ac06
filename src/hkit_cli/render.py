"""Rich output for people: the only module that imports rich. Data text is never markup."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from decimal import Decimal

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from hkit_cli.currency import HKD, Currency
from hkit_cli.report import Totals
from hkit_cli.views import HEADINGS, Grid, InitiativeView, money, share


class _Console(Console):
    def on_broken_pipe(self) -> None:
        # The reader went away (`hkit list | head`): that is not a failure. rich's own
        # handler exits with status 1; the command line turns this into a quiet exit 0.
        self.quiet = True
        raise BrokenPipeError


def console(stderr: bool = False) -> Console:
    stream = sys.stderr if stderr else sys.stdout
    width = None
    if not stream.isatty() and "COLUMNS" not in os.environ:
        width = 200  # a pipe or a file: don't squeeze tables into 80 columns
    return _Console(file=stream, width=width, highlight=False, emoji=False, markup=False)


def grid(out: Console, view: Grid) -> None:
    if view.title:  # printed apart, so a long title is never wrapped to the table's width
        out.print(Text(view.title, style="bold"))
    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    for column in view.columns:
        table.add_column(
            Text(column.name),
            justify="right" if column.numeric else "left",
            # Cut long prose with an ellipsis, but fold ids and amounts: never lose a digit.
            overflow="fold" if column.whole or column.numeric else "ellipsis",
        )
    for row in view.rows:
        table.add_row(*(Text(cell) for cell in row))
    if view.total is not None:
        if table.rows:
            table.rows[-1].end_section = True
        table.add_row(*(Text(cell) for cell in view.total), style="bold")
    out.print(table)
    for note in view.notes:
        out.print(Text(note))


def grids(out: Console, views: Sequence[Grid]) -> None:
    for index, view in enumerate(views):
        if index:
            out.print()
        grid(out, view)


def initiative(out: Console, view: InitiativeView) -> None:
    out.print(Text(view.name, style="bold"))
    if view.name_zh:
        out.print(Text(view.name_zh))
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim")
    facts.add_column()
    for key, value in view.facts:
        facts.add_row(Text(key), Text(value))
    out.print(facts)
    out.print()
    out.print(Text(view.description))
    if view.notes:
        out.print()
        out.print(Text(f"Notes: {view.notes}"))
    for item in view.grids:
        out.print()
        grid(out, item)


def chart(out: Console, report: Totals, currency: Currency = HKD) -> None:
    """Horizontal bars labelled with amount and share; '#' bars when not on a terminal."""
    whole = report.total.amount
    labels = [g.label for g in report.groups]
    amounts = [money(g.sum, currency) for g in report.groups]
    shares = [share(g.sum.amount, whole) for g in report.groups]
    label_width = max([len(HEADINGS[report.by]), *(len(x) for x in labels)], default=0)
    amount_width = max([len(x) for x in amounts], default=0)
    share_width = max([len(x) for x in shares], default=0)
    room = max(10, min(60, out.width - label_width - amount_width - share_width - 6))
    largest = max((g.sum.amount for g in report.groups), default=0)
    fancy = out.is_terminal
    out.print(Text(f"{HEADINGS[report.by]}: counted government money", style="bold"))
    for label, amount, part, group in zip(labels, amounts, shares, report.groups, strict=True):
        bar = _bar(group.sum.amount, largest, room, fancy)
        line = Text(f"{label:<{label_width}}  ")
        line.append(f"{bar:<{room}}", style="cyan" if fancy else "")
        line.append(f"  {amount:>{amount_width}}  {part:>{share_width}}")
        out.print(line)
    total = money(report.total, currency)
    out.print(Text(f"{'Total':<{label_width}}  {'':<{room}}  {total:>{amount_width}}"))
    for note in _chart_notes(report, currency):
        out.print(Text(note))


def _bar(amount: int, largest: int, room: int, fancy: bool) -> str:
    if largest <= 0:
        return ""
    eighths = int(Decimal(amount) * room * 8 / largest)
    if not fancy:
        return "#" * max(1 if amount else 0, (eighths + 4) // 8)
    full, rest = divmod(eighths, 8)
    partial = " ▏▎▍▌▋▊▉"[rest].strip()
    text = "█" * full + partial
    return text or "▏"


def _chart_notes(report: Totals, currency: Currency) -> list[str]:
    from hkit_cli.views import approx_note, not_counted_note

    notes = approx_note(report.total) + not_counted_note(report.not_counted, report.adjacent)
    return notes + ([currency.note] if currency.note else [])
