"""CSV and JSON output with the standard library, and safe (atomic, no-clobber) file writing."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hkit_cli.errors import HkitError

if TYPE_CHECKING:
    from hkit_cli.records import Dataset
    from hkit_cli.views import Grid

# Spreadsheets run a cell that starts with one of these as a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object, sanitize: bool) -> object:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = ";".join(str(v) for v in value)
    if isinstance(value, str) and sanitize and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(
    columns: Sequence[str], rows: Iterable[Mapping[str, object]], sanitize: bool = True
) -> str:
    """Rows as CSV with a header; text cells that a spreadsheet would run are neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(row.get(column), sanitize) for column in columns])
    return buffer.getvalue()


def _json_default(value: object) -> object:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def json_text(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n"


def _folder(output: Path) -> Path:
    return output.parent if str(output.parent) else Path(".")


def _check_target(output: Path, force: bool) -> None:
    if output.is_dir():
        raise HkitError(f"{output} is a directory", hint="give a file name with --output")
    if output.exists() and not force:
        raise HkitError(f"{output} already exists", hint="use --force to overwrite it")
    if not _folder(output).is_dir():
        raise HkitError(f"cannot write {output}: the folder {_folder(output)} does not exist")


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

    An existing file is kept unless ``force``; after any failure no partial file is left.
    """
    _check_target(output, force)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=_folder(output))
    os.close(fd)
    try:
        fill(tmp_name)
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


def markdown(grid: Grid) -> str:
    """A grid as a GitHub-flavoured Markdown table; data text is escaped, never markup."""
    lines = []
    if grid.title:
        lines += [f"**{_md(grid.title)}**", ""]
    lines.append("| " + " | ".join(_md(c.name) for c in grid.columns) + " |")
    lines.append("|" + "|".join("---:" if c.numeric else "---" for c in grid.columns) + "|")
    for row in grid.rows:
        lines.append("| " + " | ".join(_md(cell) for cell in row) + " |")
    if grid.total is not None:
        cells = [f"**{_md(cell)}**" if cell else "" for cell in grid.total]
        lines.append("| " + " | ".join(cells) + " |")
    if grid.notes:
        lines.append("")
        lines += [_md(note) for note in grid.notes]
    return "\n".join(lines) + "\n"


def markdown_all(grids: Sequence[Grid]) -> str:
    return "\n".join(markdown(g) for g in grids)


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
    counted INTEGER NOT NULL CHECK (counted IN (0, 1)),
    fiscal_year TEXT,
    period TEXT,
    part_of TEXT REFERENCES allocations (id),
    applies_to TEXT REFERENCES allocations (id),
    note TEXT
);
CREATE TABLE allocation_sources (
    allocation_id TEXT NOT NULL REFERENCES allocations (id),
    source_id TEXT NOT NULL REFERENCES sources (id),
    locator TEXT,
    PRIMARY KEY (allocation_id, source_id)
);
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
                i.name_zh,
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
                "INSERT INTO allocations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    a.id,
                    i.id,
                    a.amount,
                    a.qualifier,
                    a.kind,
                    int(a.counted),
                    a.fiscal_year,
                    a.period,
                    a.part_of,
                    a.applies_to,
                    a.note,
                ),
            )
            db.executemany(
                "INSERT OR IGNORE INTO allocation_sources VALUES (?, ?, ?)",
                [(a.id, c.id, c.locator) for c in a.sources],
            )


def datapackage(csv_name: str, columns: Sequence[str], bom: bool) -> dict[str, object]:
    """A Frictionless Data package describing an allocations CSV written by `hkit export`."""
    types = {
        "amount_hkd": ("integer", "Exact amount in HK dollars"),
        "amount_usd": ("integer", "Amount converted to US dollars at the stated rate"),
        "counted": ("boolean", "Whether the amount counts toward government totals"),
    }
    fields: list[dict[str, object]] = []
    for name in columns:
        kind, description = types.get(name, ("string", ""))
        spec: dict[str, object] = {"name": name, "type": kind}
        if description:
            spec["description"] = description
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
