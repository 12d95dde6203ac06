"""CSV and JSON output with the standard library, and safe (atomic, no-clobber) file writing."""

from __future__ import annotations

import json
import os
import re
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hkit_cli.domain.errors import HkitError
from hkit_cli.domain.vocab import SCOPES
from hkit_cli.reports.tables import RIGHT, Report, Table, human_cell
from hkit_cli.reports.tables.core import heading, notes, title

if TYPE_CHECKING:
    from hkit_cli.domain.records import Dataset

# Spreadsheets run a cell that starts with one of these as a formula (OWASP: CSV injection),
# also after leading spaces, tabs or line breaks, which they skip.
FORMULA_STARTS = ("=", "+", "-", "@")
_LEADING = " \t\r\n"
_BROKEN_FORMULA = re.compile(r"([\r\n])(?=[ \t]*[=+\-@])")


def csv_cell(value: object, sanitize: bool) -> object:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = ";".join(str(v) for v in value)
    if isinstance(value, str) and sanitize:
        # A reader that starts a new line at a CR or LF inside a cell must not see a formula
        # there either: an apostrophe goes after such a break too.
        value = _BROKEN_FORMULA.sub("\\1'", value)
        if value[:1] in ("\t", "\r") or value.lstrip(_LEADING).startswith(FORMULA_STARTS):
            return "'" + value
    return value


def _csv_field(value: object) -> str:
    # Quoted where it holds a comma, a quote, or a line break of any kind: Python's csv module
    # leaves a bare CR unquoted when lines end in LF, and readers that break lines at CR
    # (Excel, Python's csv) would start a new row there.
    text = str(value)
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_text(
    columns: Sequence[str], rows: Iterable[Mapping[str, object]], sanitize: bool = True
) -> str:
    """Rows as CSV with a header; text cells that a spreadsheet would run are neutralised."""
    lines = [",".join(_csv_field(c) for c in columns)]
    for row in rows:
        lines.append(",".join(_csv_field(csv_cell(row.get(c), sanitize)) for c in columns))
    return "\n".join(lines) + "\n"


def _json_default(value: object) -> object:
    if isinstance(value, Decimal):
        # 400 stays 400 and 92.0 stays 92.0, as in CSV.
        exponent = value.as_tuple().exponent
        return float(value) if isinstance(exponent, int) and exponent < 0 else int(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def json_text(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n"


def _folder(output: Path) -> Path:
    return output.parent if str(output.parent) else Path(".")


def _check_target(output: Path, force: bool) -> None:
    folder = _folder(output)
    if output.is_dir():
        raise HkitError(f"{output} is a directory", hint="give a file name with --output")
    if output.exists() and not output.is_file():
        # A device, FIFO or socket (or a link to one): replacing it with a file, as --force
        # would, could break the system (`-o /dev/null --force` run as root).
        raise HkitError(
            f"{output} is not a regular file; hkit writes only files",
            hint="give the name of a new or existing file; `-` writes to standard output",
        )
    if output.exists() and not force:
        raise HkitError(f"{output} already exists", hint="use --force to overwrite it")
    if folder.exists() and not folder.is_dir():
        raise HkitError(f"cannot write {output}: {folder} is a file, not a folder")
    if not folder.is_dir():
        raise HkitError(f"cannot write {output}: the folder {folder} does not exist")


def _mode_for(output: Path) -> int:
    """The permissions a new file would get from the umask, or those of the file replaced."""
    try:
        return stat.S_IMODE(output.stat().st_mode)
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def write_output(text: str, output: Path | None, force: bool = False, bom: bool = False) -> None:
    """Write to stdout, or atomically to ``output`` (never over a file without ``force``)."""
    data = ("\ufeff" if bom else "") + text
    if output is None:
        sys.stdout.write(data)
        sys.stdout.flush()
        return

    def fill(tmp_name: str) -> None:
        with open(tmp_name, "w", encoding="utf-8", newline="") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())

    write_atomically(output, force, fill)


def write_atomically(output: Path, force: bool, fill: Callable[[str], None]) -> None:
    """Have ``fill`` write a temporary file beside ``output``, then rename it into place.

    An existing file is kept unless ``force`` (and then keeps its permissions); a new file
    gets the permissions the umask gives. Any failure of the file system is one HkitError,
    and no partial file is left behind.
    """
    _check_target(output, force)
    tmp_name = ""
    try:
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{output.name}.", suffix=".tmp", dir=_folder(output)
        )
        os.close(fd)
        fill(tmp_name)
        os.chmod(tmp_name, _mode_for(output))
        os.replace(tmp_name, output)
        tmp_name = ""
    except OSError as exc:
        raise HkitError(f"cannot write {output}: {exc.strerror or exc}") from None
    finally:
        if tmp_name:
            Path(tmp_name).unlink(missing_ok=True)


_MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\|*_[]<>`#"})


def _md(cell: str) -> str:
    return " ".join(cell.split()).translate(_MARKDOWN_SPECIAL)


def markdown(table: Table) -> str:
    """A table as GitHub-flavoured Markdown; data text is escaped, never markup."""
    shown = table.grid if table.grid is not None else table
    columns = [c for c in shown.columns if c.human]
    lines = []
    if title(shown):
        lines += [f"**{_md(title(shown))}**", ""]
    if shown.layout == "record":
        row = shown.rows[0]
        lines += [f"**{_md(str(row.get('name', '')))}**", "", "| | |", "|---|---|"]
        for column in columns:
            value = human_cell(shown, column, row)
            if value:
                lines.append(f"| {_md(heading(shown, column))} | {_md(value)} |")
        lines += ["", _md(str(row.get("description") or ""))]
    elif shown.rows:
        lines.append("| " + " | ".join(_md(heading(shown, c)) for c in columns) + " |")
        lines.append("|" + "|".join("---:" if c.kind in RIGHT else "---" for c in columns) + "|")
        for row in shown.rows:
            lines.append("| " + " | ".join(_md(human_cell(shown, c, row)) for c in columns) + " |")
        if shown.total is not None:
            cells = [human_cell(shown, c, shown.total) for c in columns]
            lines.append("| " + " | ".join(f"**{_md(c)}**" if c else "" for c in cells) + " |")
    if notes(shown):
        lines.append("")
        lines += [_md(note) for note in notes(shown)]
    return "\n".join(lines) + "\n"


def markdown_report(report: Report) -> str:
    shown = [t for t in report.tables if t.rows or t.notes or t.layout == "record"]
    return "\n".join(markdown(t) for t in shown)


def csv_table(table: Table, sanitize: bool = True) -> str:
    """The table's machine columns and rows as CSV: empty for missing, lists joined by `;`."""
    columns = [c.key for c in table.machine_columns()]
    return csv_text(columns, table.machine_rows(), sanitize)


def json_data(report: Report) -> object:
    """A one-table report is a list of rows (one object for a record); a report of several
    tables is an object with one key per table. Missing values are null."""

    def data(table: Table) -> object:
        rows = table.machine_rows()
        return rows[0] if table.layout == "record" else rows

    if len(report.tables) == 1:
        return data(report.tables[0])
    return {table.name: data(table) for table in report.tables}


SQL_SCHEMA = """
CREATE TABLE sectors (
    slug TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_zh TEXT NOT NULL
);
CREATE TABLE bodies (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    abbreviation TEXT,
    aliases TEXT
);
CREATE TABLE sources (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    publisher TEXT NOT NULL,
    date TEXT NOT NULL,
    kind TEXT NOT NULL,
    url TEXT,
    locator TEXT
);
CREATE TABLE initiatives (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_zh TEXT,
    sector TEXT NOT NULL REFERENCES sectors (slug),
    lead_body TEXT NOT NULL REFERENCES bodies (id),
    status TEXT NOT NULL,
    announced_in TEXT NOT NULL,
    description TEXT NOT NULL,
    notes TEXT,
    aliases TEXT
);
CREATE TABLE initiative_sectors (
    initiative_id TEXT NOT NULL REFERENCES initiatives (id),
    sector TEXT NOT NULL REFERENCES sectors (slug),
    is_primary INTEGER NOT NULL CHECK (is_primary IN (0, 1)),
    PRIMARY KEY (initiative_id, sector)
);
CREATE TABLE initiative_partners (
    initiative_id TEXT NOT NULL REFERENCES initiatives (id),
    body_id TEXT NOT NULL REFERENCES bodies (id),
    PRIMARY KEY (initiative_id, body_id)
);
CREATE TABLE initiative_sources (
    initiative_id TEXT NOT NULL REFERENCES initiatives (id),
    source_id TEXT NOT NULL REFERENCES sources (id),
    locator TEXT,
    PRIMARY KEY (initiative_id, source_id)
);
CREATE TABLE allocations (
    id TEXT PRIMARY KEY,
    initiative_id TEXT NOT NULL REFERENCES initiatives (id),
    amount_hkd INTEGER NOT NULL CHECK (amount_hkd > 0),
    qualifier TEXT NOT NULL,
    kind TEXT NOT NULL,
    -- 1: government money counted once (not a cap, private money or part of a pot) in the
    -- total of its scope; `core` totals take scope 'core', `--scope all` totals take both.
    counted INTEGER NOT NULL CHECK (counted IN (0, 1)),
    scope TEXT NOT NULL CHECK (scope IN ('core', 'adjacent')),
    fiscal_year TEXT,
    period TEXT,
    part_of TEXT REFERENCES allocations (id),
    applies_to TEXT REFERENCES allocations (id),
    repeat_of TEXT,
    note TEXT
);
CREATE TABLE allocation_sources (
    allocation_id TEXT NOT NULL REFERENCES allocations (id),
    source_id TEXT NOT NULL REFERENCES sources (id),
    locator TEXT,
    PRIMARY KEY (allocation_id, source_id)
);
-- The money `hkit totals` counts: core I&T (the default) and every scope (`--scope all`).
CREATE VIEW counted_core AS
    SELECT * FROM allocations WHERE counted = 1 AND scope = 'core';
CREATE VIEW counted_all AS
    SELECT * FROM allocations WHERE counted = 1;
CREATE VIEW totals_by_year AS
    SELECT fiscal_year,
        SUM(CASE WHEN scope = 'core' THEN amount_hkd ELSE 0 END) AS core_hkd,
        SUM(amount_hkd) AS all_hkd
    FROM allocations WHERE counted = 1 GROUP BY fiscal_year ORDER BY fiscal_year;
CREATE TABLE milestones (
    id INTEGER PRIMARY KEY,
    initiative_id TEXT NOT NULL REFERENCES initiatives (id),
    date TEXT NOT NULL,
    event TEXT NOT NULL,
    sources TEXT NOT NULL
);
CREATE TABLE figures (
    id INTEGER PRIMARY KEY,
    initiative_id TEXT NOT NULL REFERENCES initiatives (id),
    metric TEXT NOT NULL,
    value NUMERIC NOT NULL,
    unit TEXT NOT NULL,
    qualifier TEXT NOT NULL,
    as_of TEXT,
    sources TEXT NOT NULL
);
CREATE INDEX allocations_by_year ON allocations (fiscal_year);
CREATE INDEX allocations_by_initiative ON allocations (initiative_id);
"""


def write_sqlite(dataset: Dataset, output: Path, force: bool = False) -> None:
    """The whole dataset as SQLite tables with keys, written atomically."""
    import sqlite3

    def fill(tmp_name: str) -> None:
        connection = sqlite3.connect(tmp_name)
        try:
            _fill(connection, dataset)
            connection.commit()
        except sqlite3.Error as exc:
            raise OSError(str(exc)) from exc
        finally:
            connection.close()

    write_atomically(output, force, fill)


def _fill(db: Any, dataset: Dataset) -> None:
    db.execute("PRAGMA foreign_keys = ON")
    db.executescript(SQL_SCHEMA)
    db.executemany(
        "INSERT INTO sectors VALUES (?, ?, ?)",
        [(s.slug, s.name, s.name_zh) for s in dataset.sectors],
    )
    db.executemany(
        "INSERT INTO bodies VALUES (?, ?, ?, ?, ?)",
        [
            (b.id, b.name, b.name_zh, b.abbreviation, ";".join(b.aliases) or None)
            for b in dataset.bodies
        ],
    )
    db.executemany(
        "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(s.id, s.title, s.publisher, s.date, s.kind, s.url, s.locator) for s in dataset.sources],
    )
    for i in dataset.initiatives:
        db.execute(
            "INSERT INTO initiatives VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                i.id,
                i.name,
                i.official_name_zh,
                i.sector,
                i.lead_body,
                i.status,
                i.announced_in,
                i.description,
                i.notes,
                ";".join(i.aliases) or None,
            ),
        )
        db.executemany(
            "INSERT OR IGNORE INTO initiative_sectors VALUES (?, ?, ?)",
            [(i.id, slug, int(slug == i.sector)) for slug in i.sectors],
        )
        db.executemany(
            "INSERT INTO initiative_partners VALUES (?, ?)", [(i.id, p) for p in i.partners]
        )
        db.executemany(
            "INSERT OR IGNORE INTO initiative_sources VALUES (?, ?, ?)",
            [(i.id, c.id, c.locator) for c in i.sources],
        )
        db.executemany(
            "INSERT INTO milestones (initiative_id, date, event, sources) VALUES (?, ?, ?, ?)",
            [(i.id, m.date, m.event, ";".join(c.id for c in m.sources)) for m in i.milestones],
        )
        db.executemany(
            "INSERT INTO figures (initiative_id, metric, value, unit, qualifier, as_of, sources)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    i.id,
                    f.metric,
                    str(f.value),
                    f.unit,
                    f.qualifier,
                    f.as_of,
                    ";".join(c.id for c in f.sources),
                )
                for f in i.figures
            ],
        )
    # Parents first would need a topological order; deferring the key check is simpler.
    db.execute("PRAGMA defer_foreign_keys = ON")
    for i in dataset.initiatives:
        for a in i.allocations:
            db.execute(
                "INSERT INTO allocations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    a.id,
                    i.id,
                    a.amount,
                    a.qualifier,
                    a.kind,
                    int(a.counted_in(SCOPES)),
                    a.scope,
                    a.fiscal_year,
                    a.period,
                    a.part_of,
                    a.applies_to,
                    a.repeat_of,
                    a.note,
                ),
            )
            db.executemany(
                "INSERT OR IGNORE INTO allocation_sources VALUES (?, ?, ?)",
                [(a.id, c.id, c.locator) for c in a.sources],
            )


def datapackage(csv_name: str, table: Table, bom: bool) -> dict[str, object]:
    """A Frictionless Data package describing an allocations CSV written by `hkit export`."""
    types = {"amount": "integer", "change": "integer", "count": "integer", "flag": "boolean"}
    fields: list[dict[str, object]] = []
    for column in table.machine_columns():
        name = column.key
        kind = types.get(column.kind, "string")
        spec: dict[str, object] = {"name": name, "type": kind, "description": column.heading}
        if name == "amount_hkd":
            spec["description"] = "Exact amount in HK dollars"
        elif name.startswith("amount_") and kind == "integer":
            spec["description"] = "Amount converted at the stated rate"
        if kind == "boolean":
            spec["trueValues"] = ["true"]
            spec["falseValues"] = ["false"]
        if name in ("id", "name", "sector", "kind", "allocation_id", "amount_hkd", "counted"):
            spec["constraints"] = {"required": True}
        if name == "fiscal_year":
            spec["constraints"] = {"pattern": "[0-9]{4}-[0-9]{2}"}
        fields.append(spec)
    return {
        "profile": "tabular-data-package",
        "name": "hkit-allocations",
        "title": "Hong Kong public funding for innovation and technology: allocations",
        "resources": [
            {
                "name": "allocations",
                "path": csv_name,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig" if bom else "utf-8",
                "schema": {
                    "fields": fields,
                    "primaryKey": ["allocation_id"],
                    "missingValues": [""],
                },
            }
        ],
    }
