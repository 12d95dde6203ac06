"""One contract for machine output, and tables that read at 80 and 60 columns.

Every command that prints a table builds one Table; its CSV header, its JSON keys and its
Markdown all come from it. People's tables never split an id, a code or an amount.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import MINI, Invoke

# MINI plus an initiative with a long id, a long URL and a long title, to test narrow output.
WIDE = MINI.replace(
    "\nsources:\n",
    "\nsources:\n"
    "  - id: a-source-with-a-rather-long-identifier-2025\n"
    "    title: A report whose title goes on for quite a few words before it stops\n"
    "    publisher: Innovation, Technology and Industry Bureau\n"
    "    date: 2025-03-01\n"
    "    kind: official\n"
    "    url: https://www.itib.gov.hk/en/publications/a/very/long/path/to/a/report-2025.html\n",
    1,
) + (
    "  - id: new-industrialisation-acceleration-scheme-extension\n"
    "    name: New Industrialisation Acceleration Scheme extension for smart production lines\n"
    "    sector: industry\n"
    "    lead_body: itc\n"
    "    status: seeking-approval\n"
    "    announced_in: 2025-26 Budget\n"
    "    description: More money for factories that set up smart production lines here.\n"
    "    allocations:\n"
    "      - id: new-industrialisation-acceleration-scheme-extension-money\n"
    "        amount: HK$1,234,567,891\n"
    "        kind: allocation\n"
    "        fiscal_year: 2025-26\n"
    "        sources: [{id: a-source-with-a-rather-long-identifier-2025, locator: para 7}]\n"
)

COMMANDS = [
    ["list"],
    ["list", "--sector", "ai", "--secondary"],
    ["show", "upgrade"],
    ["totals"],
    ["totals", "--by", "year"],
    ["totals", "--by", "lead-body"],
    ["totals", "--by", "year", "--by", "sector"],
    ["compare", "2022-23", "2025-26"],
    ["chart", "--by", "sector"],
    ["timeline"],
    ["figures"],
    ["sectors"],
    ["bodies"],
    ["sources"],
    ["coverage"],
    ["export"],
    ["list", "--currency", "usd"],
]


@pytest.fixture
def wide(write: Callable[..., Path]) -> Path:
    return write(WIDE)


def _rows(data: object) -> list[dict[str, object]]:
    """The main rows of a JSON output: a list, or the main table of a several-table object."""
    if isinstance(data, list):
        return data  # type: ignore[return-value]
    assert isinstance(data, dict)
    for key in ("allocations", "by_sector"):
        if key in data:
            return data[key]  # type: ignore[no-any-return]
    return [data]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_csv_and_json_agree_on_keys_and_values(
    hkit: Invoke, wide: Path, command: list[str]
) -> None:
    as_csv = hkit("--data", str(wide), *command, "--format", "csv")
    as_json = hkit("--data", str(wide), *command, "--format", "json")
    assert (as_csv.exit_code, as_json.exit_code) == (0, 0), as_csv.stderr + as_json.stderr
    table = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    rows = _rows(json.loads(as_json.stdout))
    header = next(csv.reader(io.StringIO(as_csv.stdout)))
    assert rows and len(rows) == len(table)
    for row, line in zip(rows, table, strict=True):
        assert list(row) == header  # the same keys, in the same order
        for key, value in row.items():
            assert value != ""  # missing is null in JSON, empty only in CSV
            if value is None:
                assert line[key] == ""
            elif isinstance(value, bool):
                assert line[key] == ("true" if value else "false")
            elif isinstance(value, int):
                assert line[key] == str(value)
        # No pseudo-rows: a grand total is its own output.
        assert "Total" not in row.values()
    # Money is exact HK$ under one name everywhere.
    assert not [k for k in header if k in ("amount", "counted_hkd", "hkd")]
    if command[0] != "export":  # export writes files: CSV, JSON or SQLite
        markdown = hkit("--data", str(wide), *command, "--format", "markdown")
        assert markdown.exit_code == 0 and markdown.stdout.startswith(("|", "**"))


def test_json_of_several_tables_has_fixed_keys(hkit: Invoke, wide: Path) -> None:
    show = json.loads(hkit("--data", str(wide), "show", "lht", "-f", "json").stdout)
    assert list(show) == ["initiative", "allocations", "stages", "milestones", "figures", "sources"]
    compare = json.loads(
        hkit("--data", str(wide), "compare", "2022-23", "2025-26", "-f", "json").stdout
    )
    assert list(compare) == ["by_sector", "new"]


# --- Widths ----------------------------------------------------------------------------------

NARROW = [
    ("list", ["list"]),
    ("show", ["show", "new-industrialisation-acceleration-scheme-extension"]),
    ("totals", ["totals", "--by", "sector"]),
    ("chart", ["chart", "--by", "lead-body"]),
    ("compare", ["compare", "2022-23", "2025-26"]),
]
GOLDEN = Path(__file__).parent / "widths"
UPDATE = os.environ.get("HKIT_UPDATE_GOLDEN") == "1"


@pytest.mark.parametrize("columns", [80, 60])
@pytest.mark.parametrize(("name", "command"), NARROW, ids=[n for n, _ in NARROW])
def test_tables_read_at_80_and_60_columns(
    hkit: Invoke, wide: Path, name: str, command: list[str], columns: int
) -> None:
    run = hkit("--data", str(wide), *command, env={"COLUMNS": str(columns)})
    assert run.exit_code == 0, run.stderr
    golden = GOLDEN / f"{name}-{columns}.txt"
    if UPDATE:
        golden.write_text(run.stdout, encoding="utf-8")
    assert run.stdout == golden.read_text(encoding="utf-8")
    # Ids, amounts and URLs appear whole, never split across lines or cut with an ellipsis.
    text = run.stdout
    if name == "show":
        assert "new-industrialisation-acceleration-scheme-extension-money" in text
        assert "HK$1,234,567,891" in text
        assert (
            "https://www.itib.gov.hk/en/publications/a/very/long/path/to/a/report-2025.html" in text
        )
    if name == "list":
        assert "new-industrialisation-acceleration-scheme-extension" in text
        assert "HK$1.23bn" in text
    if name == "chart":
        for line in text.splitlines()[1:-1]:
            if "HK$" in line and not line.startswith(("≈", "Government", "Core", "Money")):
                assert line.rstrip().endswith("%") or line.startswith("Total")
    for line in text.splitlines():
        # Only a word longer than the whole line (a URL) may run past it.
        if len(line) > columns:
            assert len(line.split()) <= 3 and "https://" in line, line


WIDE_CHECK = [
    ["list"],
    ["show", "ai-rd-institute"],
    ["totals", "--by", "sector"],
    ["totals", "--by", "year", "--by", "sector"],
    ["progress"],
    ["chart"],
    ["compare", "2024-25", "2025-26"],
    ["timeline"],
    ["figures"],
    ["sources"],
    ["bodies"],
    ["sectors"],
    ["coverage"],
    ["claims"],
]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("columns", [60, 80, 120])
def test_no_line_is_wider_than_the_terminal_in_cells(hkit: Invoke, lang: str, columns: int) -> None:
    from rich.cells import cell_len

    for command in WIDE_CHECK:
        run = hkit("--lang", lang, *command, env={"COLUMNS": str(columns)})
        assert run.exit_code == 0, (command, run.stderr)
        for line in run.stdout.splitlines():
            if cell_len(line) > columns:
                # Only a line that is little more than a URL may run past the edge.
                assert "://" in line and len(line.split()) <= 3, (command, line)
