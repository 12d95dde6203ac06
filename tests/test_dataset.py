"""Checks over the shipped dataset: it validates, adds up, cites, and changes only on purpose."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter

import pytest

from conftest import Edit, Invoke
from hkit_cli.cli import BUNDLED_DATA
from hkit_cli.domain.textrules import SIMPLIFIED_ONLY
from hkit_cli.reading.loader import load
from hkit_cli.reading.models import Dataset

# Counted government money by fiscal year, in exact HK$. A change here must be deliberate:
# say in the commit which allocation was added, removed or corrected, and why.
# Core I&T money only (the default scope); PINNED_ALL_SCOPES adds adjacent money.
PINNED_BY_YEAR = {
    "2015-16": 4_500_000_000,
    "2016-17": 13_100_000_000,
    "2017-18": 13_000_000_000,
    "2018-19": 77_390_000_000,
    "2019-20": 6_800_000_000,
    "2020-21": 5_040_000_000,
    "2021-22": 9_700_000_000,
    "2022-23": 25_000_000_000,
    "2023-24": 13_310_000_000,
    "2024-25": 14_814_000_000,
    "2025-26": 1_100_000_000,
    "2026-27": 20_270_000_000,
}
PINNED_ALL_SCOPES = 271_459_000_000


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load(BUNDLED_DATA)


def test_shipped_data_validates(hkit: Invoke) -> None:
    run = hkit("validate", env={"HKIT_DATA": ""})
    assert run.exit_code == 0, run.stderr
    assert ": OK\n" in run.stdout


def test_counted_totals_by_year_are_pinned(hkit: Invoke) -> None:
    run = hkit("totals", "--by", "year", "--format", "csv", env={"HKIT_DATA": ""})
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert {r["fiscal_year"]: int(r["amount_hkd"]) for r in rows} == PINNED_BY_YEAR
    total = hkit("totals", "--format", "csv", env={"HKIT_DATA": ""})
    assert int(next(csv.DictReader(io.StringIO(total.stdout)))["amount_hkd"]) == sum(
        PINNED_BY_YEAR.values()
    )
    wide = hkit("totals", "--scope", "all", "-f", "csv", env={"HKIT_DATA": ""})
    assert int(next(csv.DictReader(io.StringIO(wide.stdout)))["amount_hkd"]) == PINNED_ALL_SCOPES


def test_shipped_data_passes_strict_validation(hkit: Invoke) -> None:
    run = hkit("validate", "--strict", env={"HKIT_DATA": ""})
    assert (run.exit_code, run.stderr) == (0, "")


def test_every_fiscal_year_is_reviewed(hkit: Invoke) -> None:
    run = hkit("coverage", "-f", "csv", env={"HKIT_DATA": ""})
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    status = {r["fiscal_year"]: r["status"] for r in rows}
    for start in range(2015, 2027):
        year = f"{start}-{(start + 1) % 100:02d}"
        assert status.get(year) in ("reviewed", "nothing new"), year
    assert "not reviewed" not in status.values()


def test_counted_money_cites_an_official_text_with_a_locator(dataset: Dataset) -> None:
    sources = {s.id: s for s in dataset.sources}
    for initiative in dataset.initiatives:
        for allocation in initiative.allocations:
            if allocation.kind in ("allocation", "earmark", "injection") and not allocation.part_of:
                assert any(
                    sources[c.id].kind == "official" and (c.locator or sources[c.id].locator)
                    for c in allocation.sources
                ), allocation.id


def test_traditional_names_have_no_simplified_only_characters(dataset: Dataset) -> None:
    for initiative in dataset.initiatives:
        for text in (initiative.name_zh or "", *initiative.aliases):
            assert not set(text) & SIMPLIFIED_ONLY, (initiative.id, text)
    for sector in dataset.sectors:
        assert not set(sector.name_zh) & SIMPLIFIED_ONLY, sector.slug


def test_every_initiative_is_described_in_chinese_too(dataset: Dataset) -> None:
    for initiative in dataset.initiatives:
        text = initiative.description_zh or ""
        assert len(text) >= 20, initiative.id
        assert not set(text) & SIMPLIFIED_ONLY, (initiative.id, set(text) & SIMPLIFIED_ONLY)
        for milestone in initiative.milestones:
            event = milestone.event_zh or ""
            assert event and not set(event) & SIMPLIFIED_ONLY, (initiative.id, milestone.date)
        for figure in initiative.figures:
            for words in (figure.metric_zh or "", figure.unit_zh or ""):
                assert words and not set(words) & SIMPLIFIED_ONLY, (initiative.id, figure.metric)
        # Folded YAML lines join without a space between Chinese characters.
        assert not re.search(r"[\u4e00-\u9fff\uff0c\u3001\u3002] | [\u4e00-\u9fff]", text), (
            initiative.id
        )


@pytest.mark.parametrize("by", ["year", "sector", "lead-body", "kind"])
def test_totals_add_up_to_the_export(hkit: Invoke, by: str) -> None:
    env = {"HKIT_DATA": ""}
    export = list(csv.DictReader(io.StringIO(hkit("export", env=env).stdout)))
    counted = sum(int(r["amount_hkd"]) for r in export if r["counted"] == "true")
    rows = list(
        csv.DictReader(io.StringIO(hkit("totals", "--by", by, "-f", "csv", env=env).stdout))
    )
    total = next(csv.DictReader(io.StringIO(hkit("totals", "-f", "csv", env=env).stdout)))
    assert sum(int(r["amount_hkd"]) for r in rows) == int(total["amount_hkd"]) == counted


def test_every_counted_allocation_has_a_year_and_a_source(dataset: Dataset) -> None:
    sources = {s.id for s in dataset.sources}
    for initiative in dataset.initiatives:
        assert initiative.cited_source_ids(), initiative.id
        for allocation in initiative.allocations:
            assert allocation.sources and {c.id for c in allocation.sources} <= sources
            if allocation.counted_in():
                assert allocation.fiscal_year, allocation.id


def test_ids_and_names_are_unique(dataset: Dataset) -> None:
    def repeated(values: list[str]) -> list[str]:
        return [v for v, n in Counter(values).items() if n > 1]

    assert repeated([i.id for i in dataset.initiatives]) == []
    assert repeated([i.name.casefold() for i in dataset.initiatives]) == []
    assert repeated([a.id for i in dataset.initiatives for a in i.allocations]) == []
    assert repeated([s.id for s in dataset.sources]) == []


def test_every_reference_resolves(dataset: Dataset) -> None:
    sectors = {s.slug for s in dataset.sectors}
    allocations = {a.id for i in dataset.initiatives for a in i.allocations}
    for initiative in dataset.initiatives:
        assert set(initiative.sectors) <= sectors, initiative.id
        for allocation in initiative.allocations:
            assert allocation.part_of is None or allocation.part_of in allocations
            assert allocation.applies_to is None or allocation.applies_to in allocations


def test_re_announced_funds_are_counted_once(dataset: Dataset) -> None:
    # The AI R&D Institute's HK$1 billion appears in several documents: one allocation.
    institute = next(i for i in dataset.initiatives if i.id == "ai-rd-institute")
    money = [a for a in institute.allocations if a.counted_in()]
    assert [(a.amount, a.fiscal_year) for a in money] == [(1_000_000_000, "2025-26")]
    assert len(money[0].sources) >= 3
    # The Industry-Oriented Fund: announced in the 2024 Policy Address, restated later.
    fund = next(i for i in dataset.initiatives if i.id == "i-and-t-industry-oriented-fund")
    assert [(a.amount, a.fiscal_year) for a in fund.allocations if a.counted_in()] == [
        (10_000_000_000, "2024-25")
    ]


def test_money_from_earlier_pots_is_linked_not_added(dataset: Dataset) -> None:
    allocations = {a.id: a for i in dataset.initiatives for a in i.allocations}
    institutes = allocations["lhtri-subsidy"]
    assert institutes.amount == 6_000_000_000
    assert institutes.part_of == "lht-earmark-2022" and not institutes.counted_in()
    assert allocations["lht-earmark-2022"].amount == 10_000_000_000
    itvf = allocations["itvf-redeployment-2024"]
    assert itvf.part_of == "itvf-original" and not itvf.counted_in()
    assert allocations["itvf-original"].amount == 2_000_000_000


def test_money_that_is_not_the_governments_is_never_counted(dataset: Dataset) -> None:
    allocations = {a.id: a for i in dataset.initiatives for a in i.allocations}
    assert allocations["manufacturing-plus-enterprise-cap"].amount == 250_000
    assert allocations["redbird-fund"].kind == "non-government"
    for allocation in allocations.values():
        if allocation.kind in (
            "per-recipient-cap",
            "private-investment",
            "project-total",
            "non-government",
        ):
            assert not allocation.counted_in()


def test_approximate_figures_keep_their_qualifier(dataset: Dataset) -> None:
    allocations = {a.id: a for i in dataset.initiatives for a in i.allocations}
    centre = allocations["nmic-earmark"]
    assert (centre.amount, centre.qualifier) == (220_000_000, "about")


def test_search_finds_chinese_names(hkit: Invoke) -> None:
    run = hkit("list", "--search", "新型工業加速計劃", "-f", "csv", env={"HKIT_DATA": ""})
    ids = [r["id"] for r in csv.DictReader(io.StringIO(run.stdout))]
    assert ids == ["new-industrialisation-acceleration-scheme"]


def test_initiatives_named_in_the_bilingual_document_carry_chinese_names(dataset: Dataset) -> None:
    for initiative_id, name_zh in [
        ("ai-rd-institute", "香港人工智能研發院"),
        ("hetao-hong-kong-park", None),
        ("raise-plus", None),
    ]:
        initiative = next(i for i in dataset.initiatives if i.id == initiative_id)
        assert initiative.name_zh, initiative_id
        if name_zh:
            assert initiative.name_zh == name_zh


# AI money by fiscal year, counted toward the primary sector only (initiatives with AI as a
# secondary sector, such as InnoHK or the New Industrialisation Acceleration Scheme, count
# toward their own primary sectors).
PINNED_AI_BY_YEAR = {"2024-25": 3_000_000_000, "2025-26": 1_000_000_000, "2026-27": 50_000_000}


def test_one_figure_for_ai(hkit: Invoke) -> None:
    def table(*args: str) -> dict[str, int]:
        run = hkit("totals", "-f", "csv", *args, env={"HKIT_DATA": ""})
        return {
            r[next(iter(r))]: int(r["amount_hkd"]) for r in csv.DictReader(io.StringIO(run.stdout))
        }

    assert table("--by", "year", "--sector", "ai") == PINNED_AI_BY_YEAR
    alone = hkit("totals", "-f", "json", "--sector", "ai", env={"HKIT_DATA": ""})
    assert json.loads(alone.stdout) == [
        {
            "amount_hkd": 4_050_000_000,
            "allocations": 3,
            "approximate_allocations": 0,
            "approximate": False,
        }
    ]
    by_sector = table("--by", "sector")
    assert by_sector["ai"] == sum(PINNED_AI_BY_YEAR.values())
    assert sum(by_sector.values()) == sum(PINNED_BY_YEAR.values())


def test_each_lead_body_is_one_row(dataset: Dataset) -> None:
    # Former names are aliases of today's body, never a body of their own.
    names = Counter(n.casefold() for b in dataset.bodies for n in (b.name, *b.aliases))
    assert [n for n, k in names.items() if k > 1] == []
    itib = next(b for b in dataset.bodies if b.id == "itib")
    assert "Innovation and Technology Bureau" in itib.aliases
    assert {i.lead_body for i in dataset.initiatives} <= {b.id for b in dataset.bodies}


def test_show_in_chinese_gives_the_chinese_description_and_marks_english_notes(
    hkit: Invoke,
) -> None:
    run = hkit("--lang", "zh", "show", "ai-subsidy-scheme", env={"HKIT_DATA": "", "COLUMNS": "80"})
    assert run.exit_code == 0, run.stderr
    assert "人工智能資助計劃為期三年，經數碼港推行" in run.stdout
    assert "A three-year subsidy" not in run.stdout
    assert "備註（整理者原文，英文）：Provided once" in run.stdout
    english = hkit("show", "ai-subsidy-scheme", env={"HKIT_DATA": "", "COLUMNS": "80"})
    assert "A three-year subsidy" in english.stdout and "人工智能資助計劃為期" not in english.stdout


def test_show_finds_an_initiative_by_its_name_and_an_alias_may_not_be_anothers_name(
    hkit: Invoke, edited: Edit
) -> None:
    for name in ("Technology Start-up Support Scheme for Universities", "大學科技初創企業資助計劃"):
        run = hkit("show", name, "-f", "json")
        assert json.loads(run.stdout)["initiative"]["id"] == (
            "technology-start-up-support-scheme-universities"
        )
    path, text = edited(
        "      - TSSSU doubling\n",
        "      - TSSSU doubling\n      - Technology Start-up Support Scheme for Universities\n",
    )
    line = text.splitlines().index("      - TSSSU doubling") + 2
    run = hkit("validate", "--strict", str(path))
    assert run.exit_code == 1
    assert (
        f"{path}:{line}:9: warning: initiatives[university-rd-realisation-support].aliases[1]: "
        "alias `Technology Start-up Support Scheme for Universities` is the id or name of "
        "initiative `technology-start-up-support-scheme-universities`"
    ) in run.stderr
