"""Forms of money, approval and spending stages, dating, progress and claims."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Invoke

Write = Callable[..., Path]

# Policy Address money (October 2024) provided with the 2025-26 Budget; an endowment approved
# by the Finance Committee; company capital still to go to LegCo; an investment fund whose
# approval is not recorded; a claim by the government for 2024-25 and 2025-26.
DATA = """\
sectors:
  - {slug: research, name: Research, name_zh: 科研}
bodies:
  - {id: itc, name: Innovation and Technology Commission, name_zh: 創新科技署}
sources:
  - id: pa-2024
    title: The 2024 Policy Address
    publisher: Chief Executive
    date: 2024-10-16
    kind: official
    url: https://www.policyaddress.gov.hk/2024/en/p1.html
  - id: fcr-2025-26-1
    title: Finance Committee paper FCR(2025-26)1
    publisher: Legislative Council Finance Committee
    date: 2025-05-09
    kind: official
    url: https://www.legco.gov.hk/yr2025/english/fc/fc/papers/f25-01e.pdf
  - id: budget-2026
    title: The 2026-27 Budget speech
    publisher: Financial Secretary
    date: 2026-02-25
    kind: official
    url: https://www.budget.gov.hk/2026/eng/budget10.html
initiatives:
  - id: fund
    name: Research fund
    sector: research
    lead_body: itc
    status: approved
    announced_in: 2024 Policy Address
    description: A fund whose income pays for research.
    allocations:
      - id: fund-endowment
        amount: HK$3 billion
        kind: injection
        form: endowment
        fiscal_year: 2024-25
        budget_year: 2025-26
        approval:
          stage: approved
          by: FCR(2025-26)1
          date: 2025-05-09
          amount: HK$3 billion
          sources: [{id: fcr-2025-26-1, locator: para 2}]
        spent:
          amount: HK$1 billion
          as_of: 2026-03-31
          measure: committed to projects
          sources: [{id: budget-2026, locator: para 9}]
        sources: [{id: pa-2024, locator: para 10}]
      - id: fund-grants
        amount: HK$500 million
        kind: allocation
        fiscal_year: 2024-25
        budget_year: 2025-26
        sources: [{id: pa-2024, locator: para 11}]
  - id: park-company
    name: Park company
    sector: research
    lead_body: itc
    status: proposed
    announced_in: 2026-27 Budget
    description: Capital for the company that runs a park.
    allocations:
      - id: park-capital
        amount: HK$10 billion
        kind: injection
        form: capital
        fiscal_year: 2026-27
        approval:
          stage: pending
          note: To go to the Finance Committee after the Budget.
        sources: [{id: budget-2026, locator: para 20}]
  - id: venture
    name: Venture fund
    sector: research
    lead_body: itc
    status: launched
    announced_in: 2026-27 Budget
    description: Invests in start-ups beside private funds.
    allocations:
      - id: venture-capital
        amount: HK$2 billion
        kind: allocation
        form: investment
        fiscal_year: 2026-27
        sources: [{id: budget-2026, locator: para 21}]
claims:
  - id: two-years
    who: Financial Secretary
    date: 2026-02-25
    words: over $20 billion
    window_from: 2024-25
    window_to: 2025-26
    amount: over HK$20 billion
    covers: Money committed to I&T in the two years before the 2026-27 Budget.
    sources: [{id: budget-2026, locator: para 5}]
"""


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def data(write: Write) -> Path:
    return write(DATA)


def test_totals_by_form_has_the_four_forms_and_sums_to_the_total(hkit: Invoke, data: Path) -> None:
    rows = csv_rows(hkit("--data", str(data), "totals", "--by", "form", "-f", "csv").stdout)
    assert [(r["form"], r["amount_hkd"]) for r in rows] == [
        ("capital", "10000000000"),
        ("endowment", "3000000000"),
        ("investment", "2000000000"),
        ("spending", "500000000"),
    ]
    total = csv_rows(hkit("--data", str(data), "totals", "-f", "csv").stdout)[0]
    assert sum(int(r["amount_hkd"]) for r in rows) == int(total["amount_hkd"]) == 15_500_000_000
    table = hkit("--data", str(data), "totals").stdout
    assert "Not all of it is spending: HK$15.0bn is endowment, investment or capital" in table
    only = csv_rows(hkit("--data", str(data), "list", "--form", "investment", "-f", "csv").stdout)
    assert [r["id"] for r in only] == ["venture"]
    bad = hkit("--data", str(data), "totals", "--form", "loan")
    assert bad.exit_code == 2 and "form" in bad.stderr


@pytest.mark.parametrize(
    ("dated", "years"),
    [
        ("announced", [("2024-25", "3500000000"), ("2026-27", "12000000000")]),
        ("budget", [("2025-26", "3500000000"), ("2026-27", "12000000000")]),
        (
            "approved",
            [
                ("2025-26", "3000000000"),
                ("not known", "2500000000"),
                ("not yet approved", "10000000000"),
            ],
        ),
    ],
)
def test_each_dating_gives_its_years(
    hkit: Invoke, data: Path, dated: str, years: list[tuple[str, str]]
) -> None:
    run = hkit("--data", str(data), "totals", "--by", "year", "--dated", dated, "-f", "csv")
    assert [(r["fiscal_year"], r["amount_hkd"]) for r in csv_rows(run.stdout)] == years
    table = hkit("--data", str(data), "totals", "--by", "year", "--dated", dated).stdout
    assert {"announced": "Dated as announced", "budget": "Dated by Budget"}.get(
        dated, "Dated by approval"
    ) in table
    picked = hkit("--data", str(data), "totals", "--year", "2025-26", "--dated", dated, "-f", "csv")
    expected = dict(years).get("2025-26", "")
    assert csv_rows(picked.stdout)[0]["amount_hkd"] == (expected or "0")


def test_progress_shows_each_stage_and_announced_sums_to_the_total(
    hkit: Invoke, data: Path
) -> None:
    rows = csv_rows(hkit("--data", str(data), "progress", "-f", "csv").stdout)
    assert [
        (r["fiscal_year"], r["announced_hkd"], r["approved_hkd"], r["pending_hkd"])
        + (r["approval_unknown_hkd"], r["spent_hkd"], r["spent_unknown_hkd"])
        for r in rows
    ] == [
        ("2024-25", "3500000000", "3000000000", "0", "500000000", "1000000000", "500000000"),
        ("2026-27", "12000000000", "0", "10000000000", "2000000000", "0", "12000000000"),
    ]
    by_form = csv_rows(hkit("--data", str(data), "progress", "--by", "form", "-f", "csv").stdout)
    assert [r["form"] for r in by_form] == ["capital", "endowment", "investment", "spending"]
    assert hkit("--data", str(data), "progress", "--by", "sector").exit_code == 0


def test_show_prints_the_stages(hkit: Invoke, data: Path) -> None:
    out = hkit("--data", str(data), "show", "fund").stdout
    assert "Stages (LegCo approval and spending)" in out
    assert "FCR(2025-26)1" in out and "2025-05-09" in out
    assert "HK$1.0bn committed to projects, as of 2026-03-31" in out
    stages = json.loads(hkit("--data", str(data), "show", "fund", "-f", "json").stdout)["stages"]
    assert [(s["allocation_id"], s["approval_stage"]) for s in stages] == [
        ("fund-endowment", "approved"),
        ("fund-grants", "not recorded"),
    ]


def test_claims_stand_beside_hkit_counts(hkit: Invoke, data: Path) -> None:
    (claim,) = json.loads(hkit("--data", str(data), "claims", "-f", "json").stdout)
    assert claim["claimed_hkd"] == 20_000_000_000 and claim["qualifier"] == "over"
    assert claim["core_hkd"] == 3_500_000_000  # 2024-25 and 2025-26 as announced
    assert claim["not_spending_hkd"] == 3_000_000_000
    assert claim["beyond_hkit_hkd"] == 16_500_000_000
    assert claim["urls"] == ["https://www.budget.gov.hk/2026/eng/budget10.html"]
    assert "over $20 billion" in hkit("--data", str(data), "claims").stdout


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "          by: FCR(2025-26)1\n",
            "",
            "fund-endowment].approval: an approval at stage `approved` needs by",
        ),
        (
            "          note: To go to the Finance Committee after the Budget.\n",
            "",
            "park-capital].approval: an approval at stage `pending` needs a note",
        ),
        ("          stage: pending\n", "          stage: waiting\n", "`waiting` is not one of"),
        ("        form: capital\n", "        form: loan\n", "`loan` is not one of"),
        (
            "    sources: [{id: budget-2026, locator: para 5}]\n",
            "    sources: [{id: budget-2062, locator: para 5}]\n",
            "claims[0].sources[0]: unknown source `budget-2062`",
        ),
        (
            "        sources: [{id: budget-2026, locator: para 9}]\n",
            "        sources: [{id: budget-2062, locator: para 9}]\n",
            "spent.sources[0]: unknown source `budget-2062`",
        ),
    ],
)
def test_stages_are_checked(hkit: Invoke, write: Write, old: str, new: str, message: str) -> None:
    assert old in DATA
    run = hkit("--data", str(write(DATA.replace(old, new))), "validate")
    assert run.exit_code == 1
    assert message in run.stderr


def test_a_cap_has_no_form(hkit: Invoke, write: Write) -> None:
    text = DATA.replace(
        "      - id: fund-grants\n",
        "      - id: fund-cap\n"
        "        amount: HK$1 million\n"
        "        kind: per-recipient-cap\n"
        "        form: spending\n"
        "        applies_to: fund-grants\n"
        "        sources: [pa-2024]\n"
        "      - id: fund-grants\n",
    )
    run = hkit("--data", str(write(text)), "validate")
    assert run.exit_code == 1
    assert "fund-cap].form: `form` is for government money" in run.stderr


def test_year_keys_read_in_chinese(hkit: Invoke, data: Path) -> None:
    run = hkit("--data", str(data), "--lang", "zh", "totals", "--by", "year", "--dated", "approved")
    assert "2025-26年度" in run.stdout and "批准情況不明" in run.stdout and "未獲批准" in run.stdout
    assert "not known" not in run.stdout and "年度年度" not in run.stdout
