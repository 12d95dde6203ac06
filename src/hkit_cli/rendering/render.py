"""Rich output for people: the only module that imports rich. Data text is never markup.

A Table is drawn as a table when its ids, codes and amounts fit the terminal unsplit; when they
do not, each row becomes a block of "heading: value" lines, so nothing is ever cut mid-word.
"""

from __future__ import annotations

import os
import sys
from decimal import Decimal

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from hkit_cli.domain.messages import N_
from hkit_cli.domain.textrules import visible
from hkit_cli.reading.catalogue import say
from hkit_cli.reports.tables import RIGHT, UNSPLIT, Column, Report, Table, human_cell
from hkit_cli.reports.tables.core import CURATORS_NOTES, heading, notes, title


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


def text(item: Report, width: int | None = None) -> str:
    """A report for people as plain text (no colour, no trailing spaces), for a file or a
    pipe: ``width`` columns, else COLUMNS when set, else 100."""
    import io

    if width is None:
        columns = os.environ.get("COLUMNS", "")
        width = int(columns) if columns.isdigit() else 100
    buffer = io.StringIO()
    out = _Console(
        file=buffer, width=width, highlight=False, emoji=False, markup=False, color_system=None
    )
    report(out, item)
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


# On a pipe, a table takes its natural width (unless COLUMNS says otherwise) and no line
# carries padding: what `grep`, `diff` and a README need.
PIPE_WIDTH = 1000


def show(item: Report) -> None:
    """Print a report for people: drawn for the terminal, or plain text on a pipe."""
    out = console()
    if out.is_terminal:  # rich also honours FORCE_COLOR and TTY_COMPATIBLE here
        report(out, item)
        return
    columns = os.environ.get("COLUMNS", "")
    sys.stdout.write(text(item, int(columns) if columns.isdigit() else PIPE_WIDTH))
    sys.stdout.flush()


def report(out: Console, item: Report) -> None:
    first = True
    for table in item.tables:
        if not table.rows and not table.notes and table.layout != "record":
            continue  # an empty part of a report (no milestones, say) is left out
        if not first:
            out.print()
        first = False
        draw(out, table)


def draw(out: Console, table: Table) -> None:
    if table.layout == "record":
        _record(out, table)
        return
    if table.layout == "bars":
        _bars(out, table)
        return
    shown = table.grid if table.grid is not None else table
    if title(shown):  # printed apart, so a long title is never wrapped to the table's width
        out.print(Text(title(shown), style="bold"))
    columns = [c for c in shown.columns if c.human]
    cells = [[human_cell(shown, c, row) for c in columns] for row in shown.rows]
    total = [human_cell(shown, c, shown.total) for c in columns] if shown.total else None
    headings = [heading(shown, c) for c in columns]
    if cells:
        if _fits(columns, headings, cells + ([total] if total else []), out.width):
            _table(out, columns, headings, cells, total)
        else:
            _blocks(out, columns, headings, cells, total, table.lang)
    for note in notes(shown):
        _paragraph(out, note)


def _paragraph(out: Console, text: str) -> None:
    """Text for people, wrapped between words or between two CJK characters (not before
    closing punctuation); each of its own lines is kept."""
    wrapped = "\n".join(_wrap(line, out.width, "", "") for line in text.split("\n"))
    out.print(Text(wrapped), no_wrap=True, overflow="ignore", crop=False)


def _longest_word(text: str) -> int:
    return max((cell_len(word) for word in text.split()), default=0)


def _widths(columns: list[Column], headings: list[str], cells: list[list[str]]) -> list[int]:
    """The narrowest each column can be: unsplit kinds their widest value, text a few words."""
    widths = []
    for k, column in enumerate(columns):
        values = [row[k] for row in cells]
        if column.kind in UNSPLIT:
            width = max((cell_len(v) for v in values), default=0)
        elif column.kind == "list":  # ids and citations: no word may be cut
            width = max((_longest_word(v) for v in values), default=0)
        else:
            width = max(6, min(16, max((_longest_word(v) for v in values), default=0)))
        widths.append(max(width, _longest_word(headings[k])))
    return widths


def _fits(columns: list[Column], headings: list[str], cells: list[list[str]], width: int) -> bool:
    # Each column has one space of padding on each side and one between it and the next.
    return sum(_widths(columns, headings, cells)) + 3 * len(columns) - 1 <= width


def _shares(
    widths: list[int],
    columns: list[Column],
    headings: list[str],
    cells: list[list[str]],
    width: int,
) -> list[int | None]:
    """Each column's width where the table would not fit at its natural width: every column
    gets its narrowest (so no id or citation is cut), and the room left goes to the columns
    that wrap, in proportion to what more they would take. None: rich's natural widths."""
    natural = [
        max([cell_len(row[k]) for row in cells] + [cell_len(headings[k]), widths[k]])
        for k in range(len(columns))
    ]
    padding = 3 * len(columns) - 1
    if sum(natural) + padding <= width:
        return [None] * len(columns)
    room = max(0, width - padding - sum(widths))
    wants = [
        n - w if c.kind not in UNSPLIT else 0
        for c, n, w in zip(columns, natural, widths, strict=True)
    ]
    wanted = sum(wants)
    shares = list(widths)
    if wanted:
        given = [room * want // wanted for want in wants]
        for k, extra in enumerate(given):
            shares[k] += extra
        left = room - sum(given)
        for k in sorted(range(len(columns)), key=lambda k: -wants[k]):
            if left <= 0:
                break
            if wants[k] > given[k]:
                shares[k] += 1
                left -= 1
    return list(shares)


def _table(
    out: Console,
    columns: list[Column],
    headings: list[str],
    cells: list[list[str]],
    total: list[str] | None,
) -> None:
    table = RichTable(box=box.SIMPLE_HEAD, show_edge=False)
    every = cells + ([total] if total else [])
    widths = _widths(columns, headings, every)
    fixed = _shares(widths, columns, headings, every, out.width)
    for column, name, width, share in zip(columns, headings, widths, fixed, strict=True):
        table.add_column(
            Text(name),
            justify="right" if column.kind in RIGHT else "left",
            no_wrap=column.kind in UNSPLIT,
            min_width=width,
            width=share,
            overflow="fold",  # wraps at spaces; only a word longer than the column is folded
        )

    def fitted(row: list[str]) -> list[Text]:
        # rich wraps at spaces, and folds a run without one that is wider than its column at
        # the column's edge: `香港數碼港管理有限公司（Cyberport）` would lose `ort` to the next
        # line. Such a cell is wrapped here instead, between two Chinese characters.
        return [
            Text(
                _wrap(cell, share, "", "")
                if share is not None and column.kind not in UNSPLIT and _longest_word(cell) > share
                else cell
            )
            for cell, column, share in zip(row, columns, fixed, strict=True)
        ]

    for row in cells:
        table.add_row(*fitted(row))
    if total is not None:
        if table.rows:
            table.rows[-1].end_section = True
        table.add_row(*fitted(total), style="bold")
    out.print(table)


# Chinese punctuation that never starts a line, and that never ends one.
_NO_LINE_START = frozenset("，。；：、！？）」』》〉】")
_NO_LINE_END = frozenset("（「『《〈【")


def _tokens(text: str) -> list[str]:
    """Words, and each wide (CJK) character on its own: a line may break between two wide
    characters as well as at a space, but not before closing punctuation nor after opening
    punctuation (`（Cyberport）` is one token). A space is kept as its own token."""
    tokens: list[str] = []
    word = ""
    for char in text:
        if char.isspace():
            if word:
                tokens.append(word)
                word = ""
            if not tokens or tokens[-1] != " ":
                tokens.append(" ")
        elif char in _NO_LINE_START and (word or (tokens and tokens[-1] != " ")):
            if word:  # closing punctuation ends the word it follows
                tokens.append(word + char)
                word = ""
            else:
                tokens[-1] += char  # closing punctuation stays with the character before it
        elif char in _NO_LINE_END:
            if word.strip("".join(_NO_LINE_END)):
                tokens.append(word)
                word = ""
            word += char  # opening punctuation stays with what follows it
        elif cell_len(char) == 2:
            if word and word.strip("".join(_NO_LINE_END)):
                tokens.append(word)
                word = ""
            tokens.append(word + char)
            word = ""
        else:
            word += char
    if word:
        tokens.append(word)
    return tokens


def _wrap(text: str, width: int, first: str, rest: str) -> str:
    """``text`` wrapped to ``width`` terminal cells after a heading, between words or between
    two CJK characters; ids and URLs are words with hyphens and slashes and are never broken
    (a word longer than the line overflows it whole). A first word too long to follow the
    heading starts the next line instead, where it has more room."""
    tokens = _tokens(text)
    words = [t for t in tokens if t != " "]
    if words and first.strip() and cell_len(first) + cell_len(words[0]) > width:
        indent = rest if cell_len(rest) + cell_len(words[0]) <= width else "  "
        return first.rstrip() + "\n" + _wrap(text, width, indent, indent)
    lines: list[str] = []
    line, fresh, space = first, True, False
    for token in tokens:
        if token == " ":
            space = not fresh
            continue
        gap = " " if space else ""
        if not fresh and cell_len(line + gap + token) > width:
            lines.append(line.rstrip())
            line, gap = rest, ""
        line += gap + token
        fresh, space = False, False
    lines.append(line.rstrip())
    return "\n".join(lines)


def _blocks(
    out: Console,
    columns: list[Column],
    headings: list[str],
    cells: list[list[str]],
    total: list[str] | None,
    lang: str = "en",
) -> None:
    """Each row as a block: its first value (and its amount) on a line, then the rest."""
    colon = "：" if lang == "zh" else ": "  # Chinese puts a full-width colon, no space
    amount = next((k for k, c in enumerate(columns) if c.kind == "amount"), None)
    for index, row in enumerate(cells):
        if index:
            out.print()
        # The amount goes beside the first value when both fit on the line.
        beside = amount if amount not in (None, 0) else None
        if beside is not None and cell_len(f"{row[0]}  {row[beside]}") > out.width:
            beside = None
        head = row[0] + (f"  {row[beside]}" if beside is not None else "")
        if cell_len(head) > out.width:
            head = _wrap(head, out.width, "", "")
        out.print(Text(head, style="bold"), no_wrap=True, overflow="ignore", crop=False)
        lines: list[str] = []
        short: list[str] = []  # ids, codes, numbers: several to a line, joined by " · "
        for k, column in enumerate(columns):
            if k == 0 or k == beside or not row[k]:
                continue
            if column.kind in UNSPLIT and "://" in row[k]:
                # An address too long for its line gets a line of its own, uncut.
                if cell_len(f"  {headings[k]}{colon}{row[k]}") > out.width:
                    lines += _joined(short, out.width)
                    short = []
                    lines += [f"  {headings[k]}{colon.rstrip()}", f"    {row[k]}"]
                    continue
            if column.kind in UNSPLIT:
                short.append(f"{headings[k]}{colon}{row[k]}")
                continue
            lines += _joined(short, out.width)
            short = []
            # Wrapped here, between words; a word longer than the line (a URL) overflows it
            # whole rather than being cut.
            lines.append(_wrap(row[k], out.width, f"  {headings[k]}{colon}", "    "))
        lines += _joined(short, out.width)
        for line in lines:
            out.print(Text(line), no_wrap=True, overflow="ignore", crop=False)
    if total is not None:
        label = next((cell for k, cell in enumerate(total) if cell and k != amount), "Total")
        value = total[amount] if amount is not None else ""
        out.print()
        out.print(Text(f"{label}  {value}".rstrip(), style="bold"))


def _joined(items: list[str], width: int) -> list[str]:
    """Short "heading: value" items, as many to an indented line as fit, never split."""
    lines: list[str] = []
    for item in items:
        if lines and cell_len(f"{lines[-1]} · {item}") <= width:
            lines[-1] += f" · {item}"
        else:
            lines.append(f"  {item}")
    return lines


def _record(out: Console, table: Table) -> None:
    """One row as a heading and facts, then its description and notes (`hkit show`)."""
    row = table.rows[0]
    names = [row.get("name"), row.get("name_zh_shown") or row.get("name_zh")]
    if table.lang == "zh" and names[1]:
        names.reverse()  # in Chinese the Chinese name heads the record, the English one below
    out.print(Text(visible(str(names[0] or "")), style="bold"))
    if names[1]:
        out.print(Text(visible(str(names[1]))))
    facts = [
        (heading(table, column), human_cell(table, column, row))
        for column in table.columns
        if column.human
    ]
    facts = [(key, value) for key, value in facts if value and value != "—"]
    width = max((cell_len(key) for key, _ in facts), default=0) + 2
    for key, value in facts:
        first = key + " " * (width - cell_len(key))
        text = _wrap(value, out.width, first, " " * width)
        out.print(Text(text), no_wrap=True, overflow="ignore", crop=False)
    zh = table.lang == "zh"
    description = row.get("description_zh") if zh else None
    description = description or row.get("description")
    if description:
        out.print()
        _paragraph(out, visible(str(description), multiline=True))
    if row.get("notes"):
        out.print()
        # A curator's notes stay in English; in Chinese output they say so.
        label = say(table.lang, CURATORS_NOTES)
        _paragraph(out, visible(f"{label}{row['notes']}", multiline=True))
    for note in notes(table):
        _paragraph(out, note)


def _bars(out: Console, table: Table) -> None:
    """Horizontal bars, each with its amount and share on the same line; long labels are
    shortened, numbers never. Bars are '#' when not on a terminal."""
    label_column = next(c for c in table.columns if c.human and c.kind not in RIGHT)
    amount_column = next(c for c in table.columns if c.kind == "amount")
    share_column = next(c for c in table.columns if c.kind == "share")
    labels = [human_cell(table, label_column, r) for r in table.rows]
    amounts = [human_cell(table, amount_column, r) for r in table.rows]
    shares = [human_cell(table, share_column, r) for r in table.rows]
    total = human_cell(table, amount_column, table.total) if table.total else ""
    amount_width = max([cell_len(x) for x in [*amounts, total]], default=0)
    share_width = max([cell_len(x) for x in shares], default=0)
    longest = max([cell_len(x) for x in [*labels, "Total"]], default=0)
    # At least 10 cells of bar; the label takes what is left, up to its full length.
    label_width = max(8, min(longest, out.width - amount_width - share_width - 6 - 10))
    room = max(10, min(60, out.width - label_width - amount_width - share_width - 6))
    values = [r.get(amount_column.key) or 0 for r in table.rows]
    total_label = say(table.lang, N_("Total"))
    largest = max(values, default=0)
    fancy = out.is_terminal
    if title(table):
        out.print(Text(title(table), style="bold"))
    for label, amount, part, value in zip(labels, amounts, shares, values, strict=True):
        bar = _bar(value, largest, room, fancy)
        line = Text(f"{_fit(label, label_width)}  ")
        line.append(f"{bar:<{room}}", style="cyan" if fancy else "")
        line.append(f"  {_right(amount, amount_width)}  {_right(part, share_width)}")
        out.print(line, no_wrap=True, overflow="ignore", crop=False)
    out.print(
        Text(f"{_fit(total_label, label_width)}  {'':<{room}}  {_right(total, amount_width)}"),
        no_wrap=True,
        overflow="ignore",
    )
    for note in notes(table):
        out.print(Text(note))


def _right(text: str, width: int) -> str:
    """``text`` right-aligned in ``width`` terminal cells."""
    return " " * max(0, width - cell_len(text)) + text


def _fit(text: str, width: int) -> str:
    """``text`` padded to ``width`` cells, or shortened with an ellipsis."""
    if cell_len(text) <= width:
        return text + " " * (width - cell_len(text))
    out = ""
    for char in text:
        if cell_len(out + char) > width - 1:
            break
        out += char
    return out + "…" + " " * (width - 1 - cell_len(out))


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
