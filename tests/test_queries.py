"""Analyst queries: one figure per sector, filters that never drop a value, year ranges,
word-start search, the lead-body registry, sorting, and empty results that explain themselves."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Invoke
from hkit_cli.cli import BUNDLED_DATA

# AI Lab is AI; the chip centre is microelectronics with AI as a secondary sector; the research
# links mention "Mainland", "training" and "remaining" (none of which is AI); the talent scheme's
# money is adjacent, not core I&T.
Q = """\
sectors:
  - slug: ai
    name: Artificial intelligence
    name_zh: 人工智能
  - slug: microelectronics
    name: Microelectronics and semiconductors
    name_zh: 微電子及半導體
  - slug: research
    name: Research
    name_zh: 科研
  - slug: talent
    name: Talent
    name_zh: 人才
bodies:
  - id: itib
    name: Innovation, Technology and Industry Bureau
    name_zh: 創新科技及工業局
    abbreviation: ITIB
    aliases: [Innovation and Technology Bureau, ITB]
  - id: itc
    name: Innovation and Technology Commission
    name_zh: 創新科技署
    abbreviation: ITC
  - id: dpo
    name: Digital Policy Office
    name_zh: 數字政策辦公室
    abbreviation: DPO
sources:
  - id: budget-2016
    title: The 2016-17 Budget speech
    publisher: Financial Secretary
    date: 2016-02-24
    kind: official
    url: https://www.budget.gov.hk/
    locator: para 1
  - id: budget-2023
    title: The 2023-24 Budget speech
    publisher: Financial Secretary
    date: 2023-02-22
    kind: official
    url: https://www.budget.gov.hk/
    locator: para 2
  - id: budget-2026
    title: The 2026-27 Budget speech
    publisher: Financial Secretary
    date: 2026-02-25
    kind: official
    url: https://www.budget.gov.hk/
    locator: para 3
  - id: paper
    title: A news story
    publisher: A paper
    date: 2026-03
    kind: news
initiatives:
  - id: ai-lab
    name: AI Lab
    aliases: [AIL, Lab]
    sector: ai
    lead_body: itc
    status: approved
    announced_in: 2023-24 Budget
    description: Computing power for AI-powered research.
    allocations:
      - id: ai-lab-2023
        amount: HK$1 billion
        kind: allocation
        fiscal_year: 2023-24
        sources: [budget-2023, paper]
      - id: ai-lab-2026
        amount: HK$500 million
        kind: injection
        fiscal_year: 2026-27
        sources: [budget-2026]
  - id: chip-centre
    name: Semiconductor Pilot Centre
    aliases: [Lab]
    sector: microelectronics
    secondary_sectors: [ai]
    lead_body: itib
    partners: [itc]
    status: launched
    announced_in: 2023-24 Budget
    description: Pilot lines for third-generation chips.
    allocations:
      - id: chip-centre-2023
        amount: about HK$2.8 billion
        kind: allocation
        fiscal_year: 2023-24
        sources: [budget-2023]
  - id: mainland-links
    name: Research links
    sector: research
    secondary_sectors: [talent]
    lead_body: itib
    status: completed
    announced_in: 2016-17 Budget
    description: Training and remaining exchange places with the Mainland.
    allocations:
      - id: mainland-links-2016
        amount: HK$200 million
        kind: earmark
        fiscal_year: 2016-17
        sources: [budget-2016]
      - id: mainland-links-private
        amount: HK$50 million
        kind: private-investment
        fiscal_year: 2016-17
        sources: [paper]
  - id: talent-scheme
    name: Talent scheme
    aliases: [TS]
    sector: talent
    lead_body: dpo
    status: proposed
    announced_in: 2026-27 Budget
    description: Places for digital skills.
    allocations:
      - id: talent-scheme-2026
        amount: HK$100 million
        kind: allocation
        scope: adjacent
        fiscal_year: 2026-27
        sources: [budget-2026]
"""

COLUMNS = (
    "id,name,name_zh,sector,status,lead_body,announced_in,counted_hkd,counted_allocations,"
    "approximate_allocations,other_allocations,secondary_match"
)


@pytest.fixture
def q(write: Callable[..., Path]) -> Path:
    return write(Q)


def ids(hkit: Invoke, data: Path, *args: str) -> list[str]:
    run = hkit("--data", str(data), "list", "-f", "csv", *args)
    assert run.exit_code == 0, run.stderr
    return [row["id"] for row in csv.DictReader(io.StringIO(run.stdout))]


def totals(hkit: Invoke, data: Path, *args: str) -> dict[str, int]:
    """Counted money by the grouping in ``args`` (by year if none), and the grand total, which
    `hkit totals` gives on its own without --by."""
    grouped = list(args) if "--by" in args else ["--by", "year", *args]
    run = hkit("--data", str(data), "totals", "-f", "json", *grouped)
    assert run.exit_code == 0, run.stderr
    out = {next(iter(r.values())): r["amount_hkd"] for r in json.loads(run.stdout)}
    plain = [a for k, a in enumerate(grouped) if "--by" not in (a, grouped[k - 1] if k else "")]
    grand = json.loads(hkit("--data", str(data), "totals", "-f", "json", *plain).stdout)
    assert len(grand) == 1
    return {**out, "Total": grand[0]["amount_hkd"]}


# --- One figure per sector -------------------------------------------------------------------


def test_a_sector_total_is_its_row_of_the_sector_totals(hkit: Invoke, q: Path) -> None:
    by_sector = totals(hkit, q, "--by", "sector")
    assert by_sector == {
        "microelectronics": 2_800_000_000,
        "ai": 1_500_000_000,
        "research": 200_000_000,
        "Total": 4_500_000_000,
    }
    # The chip centre has AI as a secondary sector: its money is not counted toward AI.
    assert totals(hkit, q, "--sector", "ai") == {
        "2023-24": 1_000_000_000,
        "2026-27": 500_000_000,
        "Total": 1_500_000_000,
    }
    for sector, amount in by_sector.items():
        if sector != "Total":
            assert totals(hkit, q, "--sector", sector)["Total"] == amount


def test_secondary_matches_are_listed_only_when_asked_and_marked(hkit: Invoke, q: Path) -> None:
    assert ids(hkit, q, "--sector", "ai") == ["ai-lab"]
    run = hkit("--data", str(q), "list", "--sector", "ai", "--secondary")
    assert run.exit_code == 0
    lines = run.stdout.splitlines()
    assert [line.split() for line in lines[2:4] + lines[5:6]] == [
        ["ai-lab", "AI", "Lab", "ai", "approved", "HK$1.5bn"],
        [
            "chip-centre",
            "Semiconductor",
            "Pilot",
            "Centre",
            "microelectronics",
            "+ai",
            "launched",
            "≈",
            "HK$2.8bn",
        ],
        ["2", "initiatives", "HK$1.5bn"],  # the chip centre's money is not AI money
    ]
    assert lines[6:] == [
        "+ai: listed for a secondary sector only. Money counts toward each initiative's "
        "primary sector, so these rows are left out of the total."
    ]
    csv_run = hkit("--data", str(q), "list", "--sector", "ai", "--secondary", "-f", "csv")
    assert csv_run.stdout.splitlines()[2].endswith(",2800000000,1,1,true,0,ai")


def test_totals_by_sector_says_how_money_is_attributed(hkit: Invoke, q: Path) -> None:
    run = hkit("--data", str(q), "totals", "--by", "sector")
    assert "Money counts toward each initiative's primary sector only." in run.stdout


# --- Repeated and comma-separated filters ----------------------------------------------------


def test_values_of_one_filter_are_alternatives(hkit: Invoke, q: Path) -> None:
    both = ["ai-lab", "mainland-links"]
    assert ids(hkit, q, "--sector", "ai", "--sector", "research") == both
    assert ids(hkit, q, "--sector", "ai,research") == both
    assert ids(hkit, q, "--sector", "ai, research") == both
    assert ids(hkit, q, "--status", "approved,completed") == both
    assert ids(hkit, q, "--lead-body", "ITC", "--lead-body", "DPO") == ["ai-lab", "talent-scheme"]


def test_different_filters_must_all_match(hkit: Invoke, q: Path) -> None:
    assert ids(hkit, q, "--sector", "ai,research", "--status", "approved") == ["ai-lab"]
    assert ids(hkit, q, "--sector", "ai,research", "--year", "2016-17") == ["mainland-links"]


def test_a_bound_given_twice_is_refused(hkit: Invoke, q: Path) -> None:
    run = hkit("--data", str(q), "list", "--min", "1bn", "--min", "2bn")
    assert (run.exit_code, run.stderr) == (
        2,
        "hkit: error: --min is given 2 times\nhint: give it once\n",
    )


# --- Fiscal years and ranges -----------------------------------------------------------------


def test_year_ranges_are_inclusive_and_may_be_open(hkit: Invoke, q: Path) -> None:
    recent = ["ai-lab", "chip-centre", "talent-scheme"]
    assert ids(hkit, q, "--year", "2023-24..2026-27") == recent
    assert ids(hkit, q, "--year", "..2020-21") == ["mainland-links"]
    assert ids(hkit, q, "--year", "2026-27..") == ["ai-lab", "talent-scheme"]
    assert ids(hkit, q, "--year", "2016-17,2026-27") == [
        "ai-lab",
        "mainland-links",
        "talent-scheme",
    ]
    assert totals(hkit, q, "--year", "2023-24..") == {
        "2023-24": 3_800_000_000,
        "2026-27": 500_000_000,
        "Total": 4_300_000_000,
    }


@pytest.mark.parametrize(
    ("value", "message", "hint"),
    [
        (
            "2026-27..2023-24",
            "--year: `2026-27..2023-24` runs backwards",
            "write the earlier year first: 2023-24..2026-27",
        ),
        (
            "2023..2026",
            "--year: in `2023..2026`: `2023` is not a fiscal year; write it like 2026-27",
            "write it like 2023-24..2026-27, ..2020-21 or 2022-23..",
        ),
        (
            "..",
            "--year: `..` is not a range of fiscal years",
            "write it like 2023-24..2026-27, ..2020-21 or 2022-23..",
        ),
        (
            "2025/26",
            "--year: `2025/26` is not a fiscal year; write it as 2025-26",
            "a range is written 2023-24..2026-27, ..2020-21 or 2022-23..",
        ),
    ],
)
def test_a_bad_year_or_range_says_how_to_write_it(
    hkit: Invoke, q: Path, value: str, message: str, hint: str
) -> None:
    for command in ("list", "totals", "chart", "export"):
        run = hkit("--data", str(q), command, "--year", value)
        assert (run.exit_code, run.stdout) == (2, ""), command
        assert run.stderr == f"hkit: error: {message}\nhint: {hint}\n"


def test_timeline_year_is_a_fiscal_year_and_calendar_year_has_its_own_option(
    hkit: Invoke, write: Callable[..., Path]
) -> None:
    data = write(
        Q.replace(
            "    allocations:\n      - id: ai-lab-2023",
            "    milestones:\n"
            "      - {date: 2026-03, event: Opens, sources: [paper]}\n"
            "      - {date: 2026-04-01, event: First users, sources: [paper]}\n"
            "    allocations:\n      - id: ai-lab-2023",
        )
    )

    def events(*args: str) -> list[str]:
        run = hkit("--data", str(data), "timeline", "-f", "csv", *args)
        assert run.exit_code == 0, run.stderr
        return [r["event"] for r in csv.DictReader(io.StringIO(run.stdout))]

    assert events("--year", "2025-26") == ["Opens"]
    assert events("--year", "2026-27") == ["First users"]
    assert events("--calendar-year", "2026") == ["Opens", "First users"]
    assert events("--year", "2020-21..") == ["Opens", "First users"]


# --- Search ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("needle", "expected"),
    [
        ("AI", ["ai-lab"]),  # not "Mainland", "training", "remaining" or "aimed"
        ("ai", ["ai-lab"]),
        ("semicon", ["chip-centre"]),  # the start of a word in a sector name
        ("半導體", ["chip-centre"]),  # Chinese matches inside words
        ("科研", ["mainland-links"]),
        ("train", ["mainland-links"]),
        ("raining", []),
        ("ai-lab", ["ai-lab"]),
        ("ail", ["ai-lab"]),  # an alias
        ("mainland,digital", ["mainland-links", "talent-scheme"]),
    ],
)
def test_search_matches_english_at_word_starts(
    hkit: Invoke, q: Path, needle: str, expected: list[str]
) -> None:
    assert ids(hkit, q, "--search", needle) == expected


# --- Lead bodies -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "itib",
        "ITIB",
        "Innovation, Technology and Industry Bureau",
        "創新科技及工業局",
        "innovation and technology bureau",
        "ITB",
    ],
)
def test_lead_body_by_id_abbreviation_name_or_former_name(hkit: Invoke, q: Path, name: str) -> None:
    assert ids(hkit, q, "--lead-body", name) == ["chip-centre", "mainland-links"]


@pytest.mark.parametrize(
    ("value", "hint"),
    [("ITX", "did you mean `ITC`?"), ("police", "`hkit bodies` lists them: ITIB, ITC, DPO")],
)
def test_an_unknown_lead_body_is_a_usage_error(
    hkit: Invoke, q: Path, value: str, hint: str
) -> None:
    run = hkit("--data", str(q), "totals", "--lead-body", value)
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == f"hkit: error: --lead-body: unknown body `{value}`\nhint: {hint}\n"


def test_totals_by_lead_body_give_one_row_per_body(hkit: Invoke, q: Path) -> None:
    assert totals(hkit, q, "--by", "lead-body") == {
        "itib": 3_000_000_000,
        "itc": 1_500_000_000,
        "Total": 4_500_000_000,
    }


def test_bodies_lists_the_registry(hkit: Invoke, q: Path) -> None:
    run = hkit("--data", str(q), "bodies", "-f", "csv")
    assert run.stdout == (
        "id,abbreviation,name,name_zh,aliases,leads,partners,amount_hkd,allocations,approximate\n"
        'itib,ITIB,"Innovation, Technology and Industry Bureau",創新科技及工業局,'
        "Innovation and Technology Bureau;ITB,2,0,3000000000,2,true\n"
        "itc,ITC,Innovation and Technology Commission,創新科技署,,1,1,1500000000,2,false\n"
        "dpo,DPO,Digital Policy Office,數字政策辦公室,,1,0,0,0,false\n"
    )
    table = hkit("--data", str(q), "bodies").stdout
    assert " itc    ITC     Innovation and Technology Commission 創新科技署 " in table


# --- Other groupings, source kinds, sorting and limits ---------------------------------------


def test_totals_by_status_and_scope(hkit: Invoke, q: Path) -> None:
    assert totals(hkit, q, "--by", "status") == {
        "launched": 2_800_000_000,
        "approved": 1_500_000_000,
        "completed": 200_000_000,
        "Total": 4_500_000_000,
    }
    assert totals(hkit, q, "--by", "scope", "--scope", "all") == {
        "core": 4_500_000_000,
        "adjacent": 100_000_000,
        "Total": 4_600_000_000,
    }


def test_source_kind_keeps_allocations_citing_such_a_source(hkit: Invoke, q: Path) -> None:
    # Only the 2023-24 AI Lab money also cites the news story; the private money cites only it.
    assert totals(hkit, q, "--source-kind", "news") == {
        "2023-24": 1_000_000_000,
        "Total": 1_000_000_000,
    }
    assert ids(hkit, q, "--source-kind", "news") == ["ai-lab", "mainland-links"]
    assert totals(hkit, q, "--source-kind", "official")["Total"] == 4_500_000_000
    run = hkit("--data", str(q), "list", "--source-kind", "offical")
    assert (run.exit_code, run.stderr) == (
        2,
        "hkit: error: --source-kind: unknown source kind `offical`\n"
        "hint: did you mean `official`?\n",
    )


def test_list_sort_and_limit(hkit: Invoke, q: Path) -> None:
    assert ids(hkit, q, "--sort", "amount") == [
        "chip-centre",
        "ai-lab",
        "mainland-links",
        "talent-scheme",
    ]
    assert ids(hkit, q, "--sort", "year") == [
        "mainland-links",
        "ai-lab",
        "chip-centre",
        "talent-scheme",
    ]
    assert ids(hkit, q, "--sort", "name") == [
        "ai-lab",
        "mainland-links",
        "chip-centre",
        "talent-scheme",
    ]
    run = hkit("--data", str(q), "list", "--sort", "name", "--limit", "2")
    assert run.stdout.splitlines()[-2:] == [
        "                  2 of 4                                  HK$1.7bn",
        "Showing 2 of the 4 initiatives that match.",
    ]
    assert hkit("--data", str(q), "list", "--limit", "0").exit_code == 2


# --- Curator forms ---------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["ai-lab", "AI-LAB", "AIL", "ail"])
def test_show_takes_an_id_in_any_case_or_a_unique_alias(hkit: Invoke, q: Path, typed: str) -> None:
    run = hkit("--data", str(q), "show", typed, "-f", "json")
    assert (run.exit_code, json.loads(run.stdout)["initiative"]["id"]) == (0, "ai-lab")


def test_show_refuses_a_shared_alias_and_suggests(hkit: Invoke, q: Path) -> None:
    run = hkit("--data", str(q), "show", "lab")
    assert (run.exit_code, run.stderr) == (
        2,
        "hkit: error: `lab` is an alias of 2 initiatives\nhint: use an id: `ai-lab`, `chip-centre`\n",
    )
    run = hkit("--data", str(q), "show", "ai-lob")
    assert run.exit_code == 2
    assert run.stderr.endswith("hint: did you mean `ai-lab`?\n")


def test_validate_takes_a_file(hkit: Invoke, q: Path) -> None:
    run = hkit("validate", str(q))
    assert run.exit_code == 0
    assert run.stdout.startswith(f"{q}: OK\n4 initiatives, 6 allocations (4 counted)")


def test_compare_says_what_new_means(hkit: Invoke, q: Path) -> None:
    run = hkit("--data", str(q), "compare", "2016-17", "2023-24", "-f", "json")
    new = json.loads(run.stdout)["new"]
    assert [(r["id"], r["sector"], r["fiscal_year"], r["amount_hkd"]) for r in new] == [
        ("chip-centre", "microelectronics", "2023-24", 2_800_000_000),
        ("ai-lab", "ai", "2023-24", 1_000_000_000),
    ]
    # AI Lab's 2026-27 money is a second provision, not something new.
    run = hkit("--data", str(q), "compare", "2023-24", "2026-27")
    assert "New in 2026-27: initiatives whose first counted money is in 2026-27" in run.stdout
    assert "(none)" in run.stdout


# --- Empty results ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message", "hint"),
    [
        (
            ["list", "--year", "2035-36"],
            "no counted money in 2035-36; the data covers 2016-17 to 2026-27",
            "`hkit coverage` lists the documents read for each year",
        ),
        (
            ["totals", "--year", "2030-31.."],
            "no counted money in 2030-31..; the data covers 2016-17 to 2026-27",
            "`hkit coverage` lists the documents read for each year",
        ),
        (
            ["list", "--status", "completed", "--sector", "ai"],
            "no initiative matches --sector ai --status completed",
            "try fewer filters; each one narrows the result",
        ),
        (
            ["chart", "--status", "proposed"],
            "no counted money matches --status proposed",
            "try fewer filters; each one narrows the result",
        ),
        (
            ["timeline", "--calendar-year", "2030"],
            "no milestone matches --calendar-year 2030",
            "try fewer filters; each one narrows the result",
        ),
    ],
)
def test_empty_results_explain_themselves(
    hkit: Invoke, q: Path, args: list[str], message: str, hint: str
) -> None:
    run = hkit("--data", str(q), *args)
    assert (run.exit_code, run.stdout) == (0, "")
    assert run.stderr == f"hkit: {message}\nhint: {hint}\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["list", "--sector", "aii"], "--sector: unknown sector `aii`"),
        (["totals", "--status", "done"], "--status: unknown status `done`"),
        (["list", "--secondary"], "--secondary needs --sector"),
        (
            ["totals", "--by", "year", "--by", "year"],
            "give --by once, or twice with two different groupings",
        ),
        (["compare", "2026-27", "2023-24"], "2026-27 is not earlier than 2023-24"),
    ],
)
def test_bad_filter_values_are_usage_errors(
    hkit: Invoke, q: Path, args: list[str], message: str
) -> None:
    run = hkit("--data", str(q), *args)
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr.splitlines()[0] == f"hkit: error: {message}"
    assert run.stderr.splitlines()[1].startswith("hint: ")


# --- Property: sector rows add up, whatever the filters --------------------------------------

FILTERS = st.fixed_dictionaries(
    {},
    optional={
        "--year": st.sampled_from(["2016-17", "2023-24", "2023-24..", "..2023-24", "2035-36"]),
        "--status": st.lists(
            st.sampled_from(["approved", "launched", "completed", "proposed"]),
            min_size=1,
            max_size=3,
            unique=True,
        ).map(",".join),
        "--lead-body": st.sampled_from(["ITC", "itib", "DPO", "ITC,ITIB"]),
        "--search": st.sampled_from(["ai", "research", "半導體", "pilot", "zzz"]),
        "--source-kind": st.sampled_from(["official", "news"]),
        "--min": st.sampled_from(["100m", "1bn", "2bn"]),
        "--scope": st.sampled_from(["core", "all"]),
    },
)


@pytest.mark.slow
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(chosen=FILTERS)
def test_sector_rows_add_up_to_the_total_under_any_filters(
    hkit: Invoke, q: Path, chosen: dict[str, str]
) -> None:
    args = [part for option, value in chosen.items() for part in (option, value)]
    by_sector = totals(hkit, q, "--by", "sector", *args)
    grand = by_sector.pop("Total")
    assert sum(by_sector.values()) == grand
    assert grand == totals(hkit, q, "--by", "year", *args)["Total"]
    for sector in ("ai", "microelectronics", "research", "talent"):
        alone = totals(hkit, q, "--sector", sector, *args)["Total"]
        assert alone == by_sector.get(sector, 0)


def test_a_short_term_matches_whole_words_only(hkit: Invoke) -> None:
    # These never mention AI, but their text holds "aimed" or "aims".
    found = ids(hkit, BUNDLED_DATA, "--search", "AI")
    assert not {"co-investment-fund", "rd-tax-arrangements-review", "strategic-tech-fund"} & set(
        found
    )
    assert {"ai-rd-institute", "ai-subsidy-scheme"} <= set(found)
    assert "ai-rd-institute" in ids(hkit, BUNDLED_DATA, "--search", "artif")  # 4 or more: prefix
