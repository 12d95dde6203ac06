"""The layers under the command line, called directly: dates, vocabulary, query and report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import MINI, Invoke
from hkit_cli.domain.dates import parse_partial_date
from hkit_cli.domain.errors import UsageError
from hkit_cli.domain.records import Dataset
from hkit_cli.domain.vocab import SORTS, suggest
from hkit_cli.reading.loader import load
from hkit_cli.reports import query, report
from hkit_cli.reports.query import Filters, YearSpan
from hkit_cli.reports.tables.core import nothing_found


@pytest.fixture
def dataset(write: Callable[[str], Path]) -> Dataset:
    return load(write(MINI))


# --- Dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "label", "first_month", "width"),
    [
        ("2026", "2026", 1, 12),
        ("2026-H2", "2026 H2", 7, 6),
        ("2026-Q3", "2026 Q3", 7, 3),
        ("2026-07", "Jul 2026", 7, 1),
        ("2026-07-15", "15 Jul 2026", 7, 0),
    ],
)
def test_partial_dates_keep_their_precision(
    text: str, label: str, first_month: int, width: int
) -> None:
    when = parse_partial_date(text)
    assert (when.label, when.first_month, when.width, when.text) == (
        label,
        first_month,
        width,
        text,
    )


def test_partial_dates_sort_by_start_with_the_wider_first() -> None:
    texts = ["2026-07-15", "2026-07", "2026-H2", "2026", "2025-12", "2026-Q3"]
    ordered = sorted(texts, key=lambda t: parse_partial_date(t).sort_key)
    assert ordered == ["2025-12", "2026", "2026-H2", "2026-Q3", "2026-07", "2026-07-15"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-13", "`2026-13` has no month 13"),
        ("2026-02-30", "`2026-02-30` is not a day of February 2026"),
        (
            "26-07",
            "`26-07` is not a date; write it like 2026, 2026-H2, 2026-Q3, 2026-07 or 2026-07-15",
        ),
    ],
)
def test_bad_dates_say_why(text: str, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_partial_date(text)
    assert str(raised.value) == message


# --- Suggestions -----------------------------------------------------------------------------


def test_suggest_prefers_a_case_difference_then_the_closest() -> None:
    assert suggest("AI", ["ai", "aii"]) == ["ai"]
    assert suggest("reserch", ["research", "talent"]) == ["research"]
    assert suggest("zzz", ["research", "talent"]) == []
    assert sorted(suggest("ai-lob", ["ai-lab", "ai-lib", "x"], n=2)) == ["ai-lab", "ai-lib"]


# --- Query -----------------------------------------------------------------------------------


def test_year_spans_contain_and_overlap() -> None:
    span = YearSpan("2023-24", None)
    assert "2023-24" in span and "2030-31" in span and "2022-23" not in span
    assert None not in span and "" not in span
    assert span.text == "2023-24.." and YearSpan("2025-26", "2025-26").text == "2025-26"
    # 2025-26 runs from April 2025 to March 2026.
    fiscal = YearSpan("2025-26", "2025-26")
    assert fiscal.overlaps(parse_partial_date("2026-03"))
    assert not fiscal.overlaps(parse_partial_date("2026-04"))
    assert fiscal.overlaps(parse_partial_date("2026"))  # January to December 2026
    assert not fiscal.overlaps(parse_partial_date("2025-Q1"))


def test_parse_years_and_split_values() -> None:
    assert query.split_values(["ai, research", "ai", "", " talent "]) == [
        "ai",
        "research",
        "talent",
    ]
    assert query.parse_years(["2023-24..2026-27", "..2016-17"]) == (
        YearSpan("2023-24", "2026-27"),
        YearSpan(None, "2016-17"),
    )
    with pytest.raises(UsageError) as raised:
        query.parse_years(["2026-27..2023-24"])
    assert raised.value.hint == "write the earlier year first: 2023-24..2026-27"
    assert raised.value.exit_code == 2


def test_matcher_reads_english_from_word_starts_and_chinese_anywhere() -> None:
    assert query.matcher("AI").search("an ai-powered lab")
    assert not query.matcher("AI").search("mainland training")
    assert query.matcher("半導體").search("微電子及半導體")
    assert query.matcher("ＡＩ").search("ai lab")  # full-width letters fold to ASCII


def test_select_and_totals_agree_on_sectors(dataset: Dataset) -> None:
    everything = query.select(dataset, Filters())
    by_sector = report.totals(dataset, everything, "sector")
    assert [(g.key, g.sum.amount) for g in by_sector.groups] == [
        ("life-health", 10_000_000_000),
        ("ai", 1_000_000_000),
        ("industry", 220_000_000),
    ]
    assert by_sector.total.amount == sum(g.sum.amount for g in by_sector.groups)
    # Money drawn from the earmark and the per-enterprise cap are accounted for, not summed.
    assert (by_sector.not_counted, by_sector.adjacent) == (2, 0)
    ai = query.select(dataset, Filters(sectors=("ai",)))
    assert [s.initiative.id for s in ai] == ["ai-institute"]
    both = query.select(dataset, Filters(sectors=("ai",), secondary=True))
    assert [(s.initiative.id, s.secondary) for s in both] == [
        ("ai-institute", ()),
        ("lht", ("ai",)),
    ]


def test_pivot_cells_add_up(dataset: Dataset) -> None:
    grid = report.pivot(dataset, query.select(dataset, Filters()), "year", "sector")
    assert {k: v.amount for k, v in grid.cells.items()} == {
        ("life-health", "2022-23"): 10_000_000_000,
        ("ai", "2025-26"): 1_000_000_000,
        ("industry", "2025-26"): 220_000_000,
    }
    assert sum(c.sum.amount for c in grid.columns) == grid.total.amount


def test_initiative_rows_sort(dataset: Dataset) -> None:
    selections = query.select(dataset, Filters())
    by = {
        sort: [r.initiative.id for r in report.initiative_rows(selections, sort)]
        for sort in (None, *SORTS)
    }
    assert by == {
        None: ["ai-institute", "lht", "upgrade"],
        "amount": ["lht", "ai-institute", "upgrade"],
        "year": ["lht", "ai-institute", "upgrade"],
        "name": ["upgrade", "ai-institute", "lht"],  # "[bold]Upgrade…" sorts first
    }


def test_lead_bodies_and_lookups(dataset: Dataset) -> None:
    assert query.choose_bodies(dataset, ["DPO", "Innovation and Technology Commission"]) == (
        "dpo",
        "itc",
    )
    assert query.find_initiative(dataset, "AIRDI").id == "ai-institute"
    use = report.body_usage(dataset)
    assert (use["itc"].leads, use["itc"].counted.amount) == (2, 10_220_000_000)


def test_nothing_found_names_the_filters_or_the_years(dataset: Dataset) -> None:
    asked = Filters(years=(YearSpan("2035-36", "2035-36"),), asked=("--year 2035-36",))
    assert nothing_found(dataset, asked, "counted money") == (
        "no counted money in 2035-36; the data covers 2022-23 to 2025-26",
        "`hkit coverage` lists the documents read for each year",
    )
    status = Filters(statuses=("completed",), asked=("--status completed",))
    assert nothing_found(dataset, status, "initiative")[0] == (
        "no initiative matches --status completed"
    )


def test_the_library_gives_the_command_line_figures(hkit: Invoke) -> None:
    import csv
    import io

    import hkit_cli

    groupings = ((None, []), ("year", ["--by", "year"]), ("sector", ["--by", "sector"]))
    for by, args in (*groupings, ("form", ["--by", "form"])):
        table = hkit_cli.totals(hkit_cli.load(), by=by, scope="all", year="2018-19..")
        cli = hkit("totals", *args, "--scope", "all", "--year", "2018-19..", "-f", "csv")
        expected = list(csv.DictReader(io.StringIO(cli.stdout)))
        assert [str(r["amount_hkd"]) for r in table.rows] == [r["amount_hkd"] for r in expected]


def test_the_library_raises_located_problems() -> None:
    import hkit_cli

    with pytest.raises(hkit_cli.DataError) as raised:
        hkit_cli.loads(MINI.replace("kind: news", "kind: blog"), name="mine.yaml")
    (problem,) = raised.value.problems
    assert (problem.file, problem.line) == (
        "mine.yaml",
        MINI.splitlines().index("    kind: news") + 1,
    )
    assert "`blog` is not one of" in problem.message
    with pytest.raises(hkit_cli.HkitError, match="cannot group by `colour`"):
        hkit_cli.totals(hkit_cli.loads(MINI), by="colour")


@pytest.mark.parametrize(
    ("call", "args"),
    [
        (
            lambda h, ds: h.progress(ds, "sector", year="2018-19.."),
            ["progress", "--by", "sector", "--year", "2018-19.."],
        ),
        (
            lambda h, ds: h.compare(ds, "2023-24", "2024-25", scope="all"),
            ["compare", "2023-24", "2024-25", "--scope", "all"],
        ),
        (
            lambda h, ds: h.initiative(ds, "INNOHK-RESEARCH-CLUSTERS"),
            ["show", "innohk-research-clusters"],
        ),
        (
            lambda h, ds: h.timeline(ds, year="2025-26..", sector="ai"),
            ["timeline", "--year", "2025-26..", "--sector", "ai"],
        ),
        (lambda h, ds: h.timeline(ds, calendar_year=2026), ["timeline", "--calendar-year", "2026"]),
        (lambda h, ds: h.figures(ds, "laborator"), ["figures", "--metric", "laborator"]),
        (lambda h, ds: h.claims(ds), ["claims"]),
        (lambda h, ds: h.coverage(ds, scope="all"), ["coverage", "--scope", "all"]),
        (lambda h, ds: h.sectors(ds), ["sectors"]),
        (lambda h, ds: h.bodies(ds), ["bodies"]),
        (lambda h, ds: h.sources(ds), ["sources"]),
    ],
    ids=[
        "progress",
        "compare",
        "show",
        "timeline",
        "calendar",
        "figures",
        "claims",
        "coverage",
        "sectors",
        "bodies",
        "sources",
    ],
)
def test_every_report_of_the_library_is_the_command_lines(
    hkit: Invoke, call: Callable[..., object], args: list[str]
) -> None:
    import json

    import hkit_cli
    from hkit_cli.rendering.export import json_data, json_text
    from hkit_cli.reports.tables import Report, single

    result = call(hkit_cli, hkit_cli.load())
    report = result if isinstance(result, Report) else single(result)  # type: ignore[arg-type]
    assert report.tables and any(t.rows for t in report.tables)
    cli = hkit(*args, "-f", "json")
    assert json.loads(json_text(json_data(report))) == json.loads(cli.stdout)


def test_the_library_says_what_is_wrong_with_a_request() -> None:
    import hkit_cli

    shipped = hkit_cli.load()
    with pytest.raises(UsageError, match="2024-25 is not earlier than 2023-24"):
        hkit_cli.compare(shipped, "2024-25", "2023-24")
    with pytest.raises(UsageError, match="no counted money in 1999-00"):
        hkit_cli.compare(shipped, "1999-00", "2024-25")
    with pytest.raises(UsageError, match="cannot show progress by `colour`"):
        hkit_cli.progress(shipped, "colour")
    with pytest.raises(UsageError, match="no-such-thing"):
        hkit_cli.initiative(shipped, "no-such-thing")
    with pytest.raises(UsageError, match="sector"):
        hkit_cli.figures(shipped, sector="quantum-gravity")
    with pytest.raises(UsageError, match="cannot sort by `colour`"):
        hkit_cli.initiatives(shipped, sort="colour")
    with pytest.raises(UsageError, match="scope `everything` is not core or all"):
        hkit_cli.coverage(shipped, scope="everything")
    with pytest.raises(UsageError, match="no filter called `colour`") as raised:
        hkit_cli.totals(shipped, colour="red")
    assert "sector, year, status" in raised.value.hint
