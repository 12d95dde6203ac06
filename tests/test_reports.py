"""Pivots, comparisons, charts, US$, amount filters, Markdown, SQLite and data packages."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import MINI, Invoke

MORE = (
    MINI
    + """\
  - id: new-2026
    name: New fund
    sector: ai
    lead_body: dpo
    status: proposed
    announced_in: 2026-27 Budget
    description: A fund first given money in 2026-27.
    allocations:
      - id: new-2026-money
        amount: HK$300 million
        kind: allocation
        fiscal_year: 2026-27
        sources: [{id: budget-2025, locator: para 2}, paper]
    milestones:
      - date: 2026
        event: Fund opens
        sources: [paper]
      - date: 2025-12
        event: Plan published
        sources: [paper]
  - id: ai-institute-2026
    name: AI Institute top-up
    sector: ai
    lead_body: dpo
    status: proposed
    announced_in: 2026-27 Budget
    description: More money in 2026-27 for a sector that had money in 2025-26.
    allocations:
      - id: top-up
        amount: HK$1.5 billion
        kind: allocation
        fiscal_year: 2025-26
        sources: [{id: budget-2025, locator: para 2}, paper]
      - id: top-up-2
        amount: HK$200 million
        kind: allocation
        fiscal_year: 2026-27
        sources: [{id: budget-2025, locator: para 2}, paper]
"""
)


@pytest.fixture
def more(write: Callable[..., Path]) -> Path:
    return write(MORE)


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_pivot_tidy_csv_and_table(hkit: Invoke, more: Path) -> None:
    run = hkit("--data", str(more), "totals", "--by", "year", "--by", "sector", "-f", "csv")
    assert run.exit_code == 0, run.stderr
    assert run.stdout == (
        "fiscal_year,sector,amount_hkd,allocations,approximate_allocations,approximate\n"
        "2022-23,life-health,10000000000,1,0,false\n"
        "2025-26,ai,2500000000,2,0,false\n"
        "2025-26,industry,220000000,1,1,true\n"
        "2026-27,ai,500000000,2,0,false\n"
    )
    table = hkit("--data", str(more), "totals", "--by", "year", "--by", "sector").stdout
    lines = table.splitlines()
    assert lines[0].split() == ["Sector", "2022-23", "2025-26", "2026-27", "Total"]
    assert lines[2].split() == ["life-health", "HK$10.0bn", "—", "—", "HK$10.0bn"]
    assert lines[3].split() == ["ai", "—", "HK$2.5bn", "HK$500m", "HK$3.0bn"]
    assert lines[6].split() == [
        "Total",
        "HK$10.0bn",
        "≈",
        "HK$2.72bn",
        "HK$500m",
        "≈",
        "HK$13.22bn",
    ]


def test_pivot_rejects_three_groupings(hkit: Invoke, more: Path) -> None:
    run = hkit("--data", str(more), "totals", "--by", "year", "--by", "sector", "--by", "kind")
    assert run.exit_code == 2


def test_compare_two_years(hkit: Invoke, more: Path) -> None:
    run = hkit("--data", str(more), "compare", "2025-26", "2026-27", "-f", "csv")
    assert run.exit_code == 0, run.stderr
    assert run.stdout == (
        "sector,before_year,before_hkd,before_allocations,before_approximate,"
        "after_year,after_hkd,after_allocations,after_approximate,change_hkd\n"
        "ai,2025-26,2500000000,2,false,2026-27,500000000,2,false,-2000000000\n"
        "industry,2025-26,220000000,1,true,2026-27,0,0,false,-220000000\n"
    )
    data = json.loads(
        hkit("--data", str(more), "compare", "2025-26", "2026-27", "-f", "json").stdout
    )
    # The top-up had money in 2025-26, so only the new fund is new in 2026-27.
    assert data["new"] == [
        {
            "id": "new-2026",
            "name": "New fund",
            "sector": "ai",
            "fiscal_year": "2026-27",
            "amount_hkd": 300_000_000,
            "allocations": 1,
            "approximate_allocations": 0,
            "approximate": False,
        }
    ]
    table = hkit("--data", str(more), "compare", "2025-26", "2026-27").stdout
    assert "Counted money provided in 2025-26 and 2026-27, by sector" in table
    assert "−HK$2.0bn" in table
    assert "New in 2026-27: initiatives whose first counted money is in 2026-27" in table


def test_compare_errors(hkit: Invoke, more: Path) -> None:
    run = hkit("--data", str(more), "compare", "2026-27", "2025-26")
    assert run.exit_code == 2
    run = hkit("--data", str(more), "compare", "2019-20", "2026-27")
    assert run.exit_code == 2
    assert run.stderr == (
        "hkit: error: no counted money in 2019-20; the data covers 2022-23 to 2026-27\n"
        "hint: years with counted money: 2022-23, 2025-26, 2026-27\n"
    )
    assert hkit("--data", str(more), "compare", "2025-26", "2026-28").exit_code == 2


def test_chart_plain_text(hkit: Invoke, more: Path) -> None:
    run = hkit("--data", str(more), "chart", "--by", "sector")
    assert run.exit_code == 0
    lines = run.stdout.splitlines()
    assert lines[0] == "Sector: counted government money"
    assert lines[1].startswith("Life and health technology  " + "#" * 60)
    assert lines[1].endswith("HK$10.0bn  75.6%")
    assert lines[2].startswith("Artificial intelligence     " + "#" * 18 + " ")
    assert lines[2].endswith("HK$3.0bn  22.7%")
    assert lines[3].endswith("≈ HK$220m   1.7%")
    assert lines[4].startswith("Total") and lines[4].endswith("≈ HK$13.22bn")
    assert "█" not in run.stdout  # plain text when not a terminal


def test_currency_usd(hkit: Invoke, more: Path) -> None:
    run = hkit("--data", str(more), "totals", "--by", "year", "--currency", "usd")
    assert "US$1.28bn" in run.stdout.splitlines()[2]  # 10bn / 7.8
    assert run.stdout.rstrip().endswith(
        "Amounts in US$ at HK$7.8 = US$1; the data is in exact HK$."
    )
    run = hkit(
        "--data",
        str(more),
        "totals",
        "--by",
        "year",
        "--currency",
        "usd",
        "--rate",
        "8",
        "-f",
        "csv",
    )
    assert rows(run.stdout)[0] == {
        "fiscal_year": "2022-23",
        "amount_hkd": "10000000000",
        "amount_usd": "1250000000",
        "share": "75.6",
        "allocations": "1",
        "approximate_allocations": "0",
        "approximate": "false",
    }
    plain = hkit("--data", str(more), "export").stdout
    assert "amount_usd" not in plain
    usd = rows(hkit("--data", str(more), "export", "--currency", "usd").stdout)
    assert usd[0]["amount_hkd"] == "1000000000" and usd[0]["amount_usd"] == "128205128"
    assert hkit("--data", str(more), "totals", "--rate", "7.8").exit_code == 2
    assert hkit("--data", str(more), "totals", "--currency", "usd", "--rate", "0").exit_code == 2
    show = hkit("--data", str(more), "show", "lht", "--currency", "usd").stdout
    assert "US$1,282,051,282" in show


def test_amount_filters(hkit: Invoke, more: Path) -> None:
    def ids(*args: str) -> list[str]:
        run = hkit("--data", str(more), "export", "--all-figures", *args)
        assert run.exit_code == 0, run.stderr
        return [r["allocation_id"] for r in rows(run.stdout)]

    assert ids("--min", "1bn") == ["ai-institute-setup", "lht-earmark", "lht-institutes", "top-up"]
    assert ids("--min", "HK$200 million", "--max", "500m") == [
        "upgrade-total",
        "new-2026-money",
        "top-up-2",
    ]
    assert ids("--max", "250000") == ["upgrade-cap"]
    run = hkit("--data", str(more), "list", "--min", "lots")
    assert run.exit_code == 2
    assert "`lots` is not an amount" in run.stderr


def test_markdown_tables_escape_data(hkit: Invoke, more: Path) -> None:
    run = hkit("--data", str(more), "list", "--sector", "industry", "-f", "markdown")
    assert run.stdout == (
        "| ID | Name | Sector | Status | Counted |\n"
        "|---|---|---|---|---:|\n"
        "| upgrade | \\[bold\\]Upgrade\\[/bold\\] scheme | industry | proposed | ≈ HK$220m |\n"
        "|  | **1 initiative** |  |  | **≈ HK$220m** |\n"
        "\n"
        "≈ includes 1 approximate allocation\n"
    )
    totals = hkit("--data", str(more), "totals", "--by", "year", "-f", "markdown").stdout
    assert totals.splitlines()[0] == "| Fiscal year | Counted | Share | Allocations | Approximate |"
    compare = hkit("--data", str(more), "compare", "2025-26", "2026-27", "-f", "markdown").stdout
    assert compare.startswith("**Counted money provided in 2025-26 and 2026-27, by sector**\n")
    figures = hkit("--data", str(more), "figures", "-f", "markdown").stdout
    assert (
        "| upgrade | enterprises to benefit | about 400 | enterprises |  | budget-2025: para 1 |"
        in figures
    )


def test_timeline_sorts_partial_dates(hkit: Invoke, more: Path) -> None:
    run = hkit("--data", str(more), "timeline", "-f", "csv")
    assert run.stdout == (
        "date,label,id,event,sources\n"
        "2025-12,Dec 2025,new-2026,Plan published,paper\n"
        "2026,2026,new-2026,Fund opens,paper\n"
        "2026-H2,2026 H2,ai-institute,Starts operating,paper\n"
    )
    run = hkit("--data", str(more), "timeline", "--calendar-year", "2025")
    assert "Dec 2025" in run.stdout and "2026 H2" not in run.stdout
    # A fiscal year runs from April to March: a date given only as 2026 may fall in 2025-26.
    run = hkit("--data", str(more), "timeline", "--year", "2025-26", "-f", "csv")
    assert run.stdout == (
        "date,label,id,event,sources\n"
        "2025-12,Dec 2025,new-2026,Plan published,paper\n"
        "2026,2026,new-2026,Fund opens,paper\n"
    )
    run = hkit("--data", str(more), "timeline", "--year", "2026-27..", "-f", "csv")
    assert run.stdout.splitlines()[1:] == [
        "2026,2026,new-2026,Fund opens,paper",
        "2026-H2,2026 H2,ai-institute,Starts operating,paper",
    ]


def test_figures_filters(hkit: Invoke, more: Path) -> None:
    data = json.loads(
        hkit("--data", str(more), "figures", "--metric", "enterprise", "-f", "json").stdout
    )
    assert data == [
        {
            "id": "upgrade",
            "metric": "enterprises to benefit",
            "value": 400,
            "unit": "enterprises",
            "qualifier": "about",
            "as_of": None,
            "sources": ["budget-2025"],
        }
    ]
    assert (
        json.loads(hkit("--data", str(more), "figures", "--sector", "ai", "-f", "json").stdout)
        == []
    )


def test_sqlite_export_sums_match_totals(hkit: Invoke, more: Path, tmp_path: Path) -> None:
    db = tmp_path / "hkit.db"
    run = hkit("--data", str(more), "export", "--format", "sqlite", "--output", str(db))
    assert run.exit_code == 0, run.stderr
    totals = rows(hkit("--data", str(more), "totals", "--by", "year", "-f", "csv").stdout)
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA foreign_keys = ON")
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        sums = connection.execute(
            "SELECT fiscal_year, SUM(amount_hkd), COUNT(*) FROM allocations "
            "WHERE counted = 1 GROUP BY fiscal_year ORDER BY fiscal_year"
        ).fetchall()
        tables = {
            r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        joined = connection.execute(
            "SELECT a.id, s.kind FROM allocations a"
            " JOIN allocation_sources x ON x.allocation_id = a.id"
            " JOIN sources s ON s.id = x.source_id"
            " WHERE a.id = 'ai-institute-setup' ORDER BY s.id"
        ).fetchall()
        led = connection.execute(
            "SELECT b.abbreviation, COUNT(*) FROM initiatives i"
            " JOIN bodies b ON b.id = i.lead_body GROUP BY b.id ORDER BY b.id"
        ).fetchall()
    assert [(y, str(a), str(n)) for y, a, n in sums] == [
        (r["fiscal_year"], r["amount_hkd"], r["allocations"]) for r in totals
    ]
    assert {"initiatives", "allocations", "sources", "sectors", "milestones", "figures"} <= tables
    assert {"bodies", "initiative_partners"} <= tables
    assert led == [("DPO", 3), ("ITC", 2)]
    assert joined == [("ai-institute-setup", "official"), ("ai-institute-setup", "news")]
    again = hkit("--data", str(more), "export", "--format", "sqlite", "--output", str(db))
    assert again.exit_code == 1 and "already exists" in again.stderr
    assert hkit("--data", str(more), "export", "--format", "sqlite").exit_code == 2
    assert (
        hkit(
            "--data",
            str(more),
            "export",
            "-f",
            "sqlite",
            "-o",
            str(db),
            "--force",
            "--sector",
            "ai",
        ).exit_code
        == 2
    )


def test_datapackage_describes_the_csv(hkit: Invoke, more: Path, tmp_path: Path) -> None:
    out = tmp_path / "allocations.csv"
    run = hkit("--data", str(more), "export", "--output", str(out), "--datapackage")
    assert run.exit_code == 0, run.stderr
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    resource = package["resources"][0]
    assert resource["path"] == "allocations.csv"
    fields = resource["schema"]["fields"]
    header = out.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert [f["name"] for f in fields] == header
    types = {f["name"]: f["type"] for f in fields}
    assert types["amount_hkd"] == "integer" and types["counted"] == "boolean"
    assert types["fiscal_year"] == "string"
    assert hkit("--data", str(more), "export", "--datapackage").exit_code == 2


def test_completion_offers_data_values(more: Path) -> None:
    from typer.testing import CliRunner

    from hkit_cli.cli import app

    def complete(words: str) -> list[str]:
        env = {
            "_HKIT_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
            "HKIT_DATA": str(more),
        }
        result = CliRunner().invoke(app, [], env=env, prog_name="hkit")
        return result.stdout.split()

    assert complete("hkit list --sector ") == ["ai", "life-health", "industry"]
    assert complete("hkit list --sector li") == ["life-health"]
    assert complete("hkit totals --year 2025") == ["2025-26"]
    assert complete("hkit show ai-") == ["ai-institute", "ai-institute-2026"]


def test_sqlite_holds_every_scope_and_recomputes_both_totals(hkit: Invoke, tmp_path: Path) -> None:
    # The shipped data has core and adjacent money: one file must answer for both totals,
    # whichever --scope the export was asked with.
    core = rows(hkit("totals", "-f", "csv").stdout)[0]["amount_hkd"]
    everything = rows(hkit("totals", "--scope", "all", "-f", "csv").stdout)[0]["amount_hkd"]
    by_year = rows(hkit("totals", "--by", "year", "-f", "csv").stdout)
    for scope in ("core", "all"):
        db = tmp_path / f"{scope}.sqlite"
        run = hkit("export", "--scope", scope, "-o", str(db))
        assert run.exit_code == 0, run.stderr
        with sqlite3.connect(db) as connection:
            scopes = connection.execute("SELECT DISTINCT scope FROM allocations ORDER BY 1")
            assert [s for (s,) in scopes] == ["adjacent", "core"]
            assert connection.execute("SELECT SUM(amount_hkd) FROM counted_core").fetchone() == (
                int(core),
            )
            assert connection.execute("SELECT SUM(amount_hkd) FROM counted_all").fetchone() == (
                int(everything),
            )
            years = connection.execute("SELECT fiscal_year, core_hkd FROM totals_by_year")
            assert [(y, str(a)) for y, a in years] == [
                (r["fiscal_year"], r["amount_hkd"]) for r in by_year
            ]
            columns = [c[1] for c in connection.execute("PRAGMA table_info(allocations)")]
            assert {"scope", "counted", "repeat_of", "part_of"} <= set(columns)


def test_export_rows_are_the_counted_money(hkit: Invoke, more: Path) -> None:
    # A spreadsheet user who sums the amount column gets hkit totals, for any selection.
    for args in ([], ["--scope", "all"], ["--sector", "ai"], ["--year", "2025-26.."]):
        total = rows(hkit("--data", str(more), "totals", "-f", "csv", *args).stdout)[-1]
        exported = rows(hkit("--data", str(more), "export", *args).stdout)
        assert sum(int(r["amount_hkd"]) for r in exported) == int(total["amount_hkd"]), args
        assert {r["counted"] for r in exported} <= {"true"}
    everything = rows(hkit("--data", str(more), "export", "--all-figures").stdout)
    assert {r["counted"] for r in everything} == {"true", "false"}
