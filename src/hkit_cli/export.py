"""CSV and JSON output with the standard library, and safe (atomic, no-clobber) file writing."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path

from hkit_cli.errors import HkitError

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


def write_output(text: str, output: Path | None, force: bool = False, bom: bool = False) -> None:
    """Write to stdout, or atomically to ``output`` (never over a file without ``force``)."""
    data = ("\ufeff" if bom else "") + text
    if output is None:
        sys.stdout.write(data)
        sys.stdout.flush()
        return
    if output.is_dir():
        raise HkitError(f"{output} is a directory", hint="give a file name with --output")
    if output.exists() and not force:
        raise HkitError(f"{output} already exists", hint="use --force to overwrite it")
    directory = output.parent if str(output.parent) else Path(".")
    if not directory.is_dir():
        raise HkitError(f"cannot write {output}: the folder {directory} does not exist")
    tmp_name = ""
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=directory)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, output)
        tmp_name = ""
    except OSError as exc:
        raise HkitError(f"cannot write {output}: {exc.strerror or exc}") from None
    finally:
        if tmp_name:
            Path(tmp_name).unlink(missing_ok=True)
