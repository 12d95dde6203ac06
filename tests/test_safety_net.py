"""Warnings, scope and coverage: what a curator and an analyst rely on beyond the schema."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

from conftest import Invoke

DATA = """\
sectors:
  - slug: ai
    name: Artificial intelligence
    name_zh: 人工智能
bodies:
  - {id: dpo, name: Digital Policy Office, name_zh: 數字政策辦公室, abbreviation: DPO}
  - {id: hhb, name: Health Bureau, name_zh: 醫務衞生局}
sources:
  - id: budget-2025
    title: The 2025-26 Budget speech
    publisher: Financial Secretary
    date: 2025-02-26
    kind: official
    url: https://www.budget.gov.hk/2025/eng/budget06.html
    covers: 2025-26
  - id: budget-2026
    title: The 2026-27 Budget speech
    publisher: Financial Secretary
    date: 2026-02-25
    kind: official
    url: https://www.budget.gov.hk/2026/eng/budget07.html
    covers: 2026-27
  - id: pa-2027
    title: The 2027 Policy Address
    publisher: Chief Executive
    date: 2027-10
    kind: official
    url: https://www.budget.gov.hk/
    covers: 2027-28
initiatives:
  - id: medicine-fund
    name: Chinese Medicine Development Fund
    sector: ai
    lead_body: hhb
    status: in-operation
    announced_in: 2025-26 Budget
    description: A fund for Chinese medicine, next to I&T.
    allocations:
      - id: fund-2025
        amount: HK$500 million
        kind: injection
        fiscal_year: 2025-26
        scope: adjacent
        sources: [{id: budget-2025, locator: para 9}]
      - id: fund-2026
        amount: HK$500 million
        kind: injection
        fiscal_year: 2026-27
        scope: adjacent
        sources: [{id: budget-2026, locator: para 7}]
  - id: ai-institute
    name: AI Institute
    sector: ai
    lead_body: dpo
    status: approved
    announced_in: 2025-26 Budget
    description: A research institute.
    allocations:
      - id: ai-institute-setup
        amount: HK$1 billion
        kind: allocation
        fiscal_year: 2025-26
        sources: [{id: budget-2025, locator: para 39}]
"""

Write = Callable[..., Path]

WARNING = (
    "{path}:46:17: warning: initiatives[medicine-fund].allocations[fund-2026].amount: "
    "counted twice? HK$500,000,000 in 2026-27 is the same amount as `fund-2025` in 2025-26 "
    "(line 40) (hint: if it is the same money announced again, cite this document on "
    "`fund-2025` and remove this allocation; if it is new money, add `repeat_of: fund-2025` "
    "and a note saying why)"
)


def test_warnings_pass_unless_strict(hkit: Invoke, write: Write) -> None:
    path = write(DATA)
    run = hkit("validate", str(path))
    assert run.exit_code == 0
    assert run.stderr == WARNING.format(path=path) + "\n"
    assert run.stdout.startswith(f"{path}: 1 warning\n2 initiatives, 3 allocations")
    strict = hkit("validate", str(path), "--strict")
    assert strict.exit_code == 1
    assert strict.stdout == ""
    assert strict.stderr.splitlines()[1].startswith(
        f"hkit: error: {path}: failed with --strict: 1 warning"
    )
    problems = json.loads(hkit("validate", str(path), "--format", "json").stdout)
    assert [(p["level"], p["line"]) for p in problems] == [("warning", 46)]
    assert hkit("validate", str(path), "--format", "json", "--strict").exit_code == 1
    # Warnings never stop other commands.
    assert hkit("--data", str(path), "list").exit_code == 0


def test_a_repeat_acknowledged_with_a_note_is_not_warned(hkit: Invoke, write: Write) -> None:
    acknowledged = DATA.replace(
        "        sources: [{id: budget-2026, locator: para 7}]",
        "        repeat_of: fund-2025\n"
        "        note: A second injection, approved separately.\n"
        "        sources: [{id: budget-2026, locator: para 7}]",
    )
    run = hkit("validate", "--strict", str(write(acknowledged)))
    assert (run.exit_code, run.stderr) == (0, "")
    without_note = DATA.replace(
        "        sources: [{id: budget-2026, locator: para 7}]",
        "        repeat_of: fund-2024\n        sources: [{id: budget-2026, locator: para 7}]",
    )
    path = write(without_note)
    lines = hkit("validate", str(path)).stderr.splitlines()
    assert lines[1:3] == [
        f"{path}:50:20: initiatives[medicine-fund].allocations[fund-2026].repeat_of: unknown "
        "allocation `fund-2024` (hint: did you mean `fund-2025`?)",
        f"{path}:50:20: initiatives[medicine-fund].allocations[fund-2026].repeat_of: a repeat "
        "needs a note saying why it is new money, not the same money again (hint: add `note:`, "
        "e.g. a second injection approved separately by the Finance Committee)",
    ]


def test_adjacent_money_counts_only_with_scope_all(hkit: Invoke, write: Write) -> None:
    path = str(write(DATA))

    def total(*extra: str) -> str:
        run = hkit("--data", path, "totals", "-f", "csv", *extra)
        return list(csv.DictReader(io.StringIO(run.stdout)))[-1]["amount_hkd"]

    assert total() == "1000000000"
    assert total("--scope", "all") == "2000000000"
    export = list(
        csv.DictReader(io.StringIO(hkit("--data", path, "export", "--all-figures").stdout))
    )
    assert [(r["allocation_id"], r["scope"], r["counted"]) for r in export] == [
        ("fund-2025", "adjacent", "false"),
        ("fund-2026", "adjacent", "false"),
        ("ai-institute-setup", "core", "true"),
    ]
    table = hkit("--data", path, "totals").stdout
    assert table.splitlines()[-1] == (
        "Core I&T only: 2 adjacent allocations (digital government, Chinese medicine, general "
        "parks and campuses, regional funds) left out; `--scope all` adds them."
    )
    assert "adjacent" not in hkit("--data", path, "totals", "--scope", "all").stdout
    # The scope of one command does not leak into the next.
    assert total("--scope", "all") == "2000000000"
    assert total() == "1000000000"


def test_coverage_says_what_each_year_gave(hkit: Invoke, write: Write) -> None:
    run = hkit("--data", str(write(DATA)), "coverage", "-f", "csv")
    assert run.exit_code == 0
    assert run.stdout.splitlines() == [
        "fiscal_year,status,source,allocations,amount_hkd,approximate,year_hkd",
        "2025-26,reviewed,budget-2025,fund-2025;ai-institute-setup,1000000000,false,1000000000",
        "2026-27,nothing new,budget-2026,fund-2026,0,false,0",
        "2027-28,nothing new,pa-2027,,0,false,0",
    ]
    wide = hkit("--data", str(write(DATA)), "coverage", "--scope", "all", "-f", "json")
    years = {r["fiscal_year"]: r["year_hkd"] for r in json.loads(wide.stdout)}
    assert years == {"2025-26": 1_500_000_000, "2026-27": 500_000_000, "2027-28": 0}


def test_coverage_shows_a_gap_as_not_reviewed(hkit: Invoke, write: Write) -> None:
    gap = DATA.replace("    covers: 2026-27\n", "")
    rows = list(
        csv.DictReader(io.StringIO(hkit("--data", str(write(gap)), "coverage", "-f", "csv").stdout))
    )
    assert [(r["fiscal_year"], r["status"]) for r in rows] == [
        ("2025-26", "reviewed"),
        ("2026-27", "not reviewed"),
        ("2027-28", "nothing new"),
    ]
