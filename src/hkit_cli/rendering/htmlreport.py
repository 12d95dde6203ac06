"""The HTML report: one self-contained page (inline CSS and SVG charts, no script, nothing
fetched) built from the same Tables as every other output, in English or Chinese.

Templates use Jinja2 with autoescaping, so data text is never markup; the charts come from
``charts`` (matplotlib). Both are the `report` extra, imported only here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from hkit_cli.domain.currency import HKD, Currency
from hkit_cli.domain.records import Dataset
from hkit_cli.domain.textrules import visible
from hkit_cli.rendering.charts import chart, require
from hkit_cli.reports import report, tables
from hkit_cli.reports.query import Filters, Selection
from hkit_cli.reports.tables import RIGHT, Report, Table, human_cell
from hkit_cli.reports.tables.core import NO_CHINESE_NAME, heading, notes, title

WORDS = {
    "en": {
        "title": "Hong Kong public funding for innovation and technology",
        "counted": "Counted government money",
        "covers": "Budgets and Policy Addresses from {first} to {last}",
        "initiatives": "initiatives",
        "allocations": "counted allocations",
        "by_year": "By fiscal year",
        "by_sector": "By sector",
        "pivot": "Fiscal year by sector",
        "by_form": "What kind of money",
        "progress": "How far the money got: announced, approved, spent",
        "coverage": "Documents reviewed",
        "all_initiatives": "Initiatives",
        "sources": "Sources",
        "rules": "How the money is counted",
        "filters": "Selection",
        "nothing": "No initiative matches this selection.",
        "made": "Made by hkit {version} on {day} from {file}.",
        "description": "Description",
    },
    "zh": {
        "title": "香港創新科技公共資助",
        "counted": "計算在內的政府撥款",
        "covers": "涵蓋 {first} 至 {last} 年度的財政預算案及施政報告",
        "initiatives": "個項目",
        "allocations": "項計算在內的撥款",
        "by_year": "按財政年度",
        "by_sector": "按範疇",
        "pivot": "財政年度 × 範疇",
        "by_form": "撥款形式",
        "progress": "撥款進度：公布、批准、開支",
        "coverage": "已審閱文件",
        "all_initiatives": "項目",
        "sources": "來源",
        "rules": "計算方法",
        "filters": "篩選",
        "nothing": "沒有項目符合篩選條件。",
        "made": "由 hkit {version} 於 {day} 根據 {file} 製作。",
        "description": "簡介",
    },
}

RULES = {
    "en": [
        "Amounts are exact Hong Kong dollars from official texts: Budget speeches, Policy "
        "Addresses, government press releases and Legislative Council papers, each cited "
        "with the paragraph or page.",
        "Only government money is added up, and once: a fund announced again in a later "
        "speech is one allocation citing both speeches, and money drawn from an earlier pot "
        "is shown but not added again.",
        "Caps per recipient, private money a scheme draws in, total project costs and "
        "non-government funds are shown but never added to the totals.",
        "Money counts in the fiscal year (April to March) of the first official text that "
        "commits it, and toward its initiative's primary sector only.",
        "Core innovation and technology money is counted; adjacent money (digital "
        "government, Chinese medicine, general parks and campuses, regional funds) only when "
        "asked for with --scope all.",
        "≈ marks a total that includes an approximate figure (about, over, up to).",
        "Each counted sum has a form: spending, endowment (capital kept, income spent), "
        "investment (capital meant to come back) or capital (put into a government-owned "
        "company). All are counted; the totals say how much is not spending.",
        "Approved means approved by the Legislative Council's Finance Committee or voted with "
        "the Estimates; spent or committed is the latest official figure, where one exists.",
    ],
    "zh": [
        "金額為官方文件所載的準確港元數字：財政預算案演辭、施政報告、政府新聞公報及立法會文件，"
        "每項均註明段落或頁數。",
        "只計算政府撥款，而且只計一次：其後演辭再次公布的基金視為同一筆撥款並引用兩份演辭；"
        "從較早撥款中撥出的款項會顯示，但不重複計算。",
        "每名受資助者的上限、計劃吸引的私人資金、項目總成本及非政府資金會顯示，但不計入總數。",
        "撥款計入首份承諾該筆款項的官方文件所屬財政年度（四月至翌年三月），並只計入項目的主要範疇。",
        "只計算核心創科撥款；相關撥款（數字政府、中醫藥、一般園區及校舍、區域基金）須以 "
        "--scope all 要求方會計入。",
        "「約」表示總數包括約數（約、超過、最多）。",
        "每筆計算在內的撥款均有形式：開支、留本基金（保留本金，動用收益）、投資（預期收回的資本）"
        "或注資（注入政府全資公司）。全部計算在內；總數註明非開支的部分。",
        "已批准指立法會財務委員會批准或隨預算案通過；已用或已承擔為最新官方數字（如有）。",
    ],
}


@dataclass
class Page:
    """What the template shows, built from the report layer's results."""

    lang: str
    words: dict[str, str]
    rules: list[str]
    total: Table
    by_year: Table
    by_sector: Table
    by_form: Table
    progress: Table
    pivot: Table
    coverage: Table
    initiatives: list[Report]
    sources: list[dict[str, Any]]
    charts: dict[str, str]
    asked: list[str]
    covers: str
    made: str


def build(
    dataset: Dataset,
    selections: list[Selection],
    filters: Filters,
    lang: str = "en",
    currency: Currency = HKD,
    file: str = "",
    version: str = "",
    day: date | None = None,
) -> str:
    """The whole page as HTML text."""
    require("The HTML report")
    import jinja2
    import markupsafe

    words = WORDS[lang]
    by_year = tables.totals(report.totals(dataset, selections, "year"), currency)
    by_sector = tables.totals(
        report.totals(dataset, selections, "sector"),
        currency,
        labels_zh=report.labels_zh(dataset, "sector"),
    )
    total = tables.grand_total(report.totals(dataset, selections, "year"), currency)
    by_form = tables.totals(
        report.totals(dataset, selections, "form"),
        currency,
        labels_zh=report.labels_zh(dataset, "form"),
    )
    progress = tables.progress(report.progress(dataset, selections, "year"), currency)
    grid = report.pivot(dataset, selections, "year", "sector")
    pivot = tables.pivot(grid, currency)
    years = report.coverage(dataset, filters.scopes)
    coverage = tables.coverage(years, currency)
    initiatives = [
        tables.initiative(s.initiative, dataset, currency, filters.scopes) for s in selections
    ]
    everything: list[Table] = [total, by_year, by_sector, by_form, progress, pivot, coverage]
    everything += [t for r in initiatives for t in r.tables]
    for table in everything:
        table.lang = lang
        if table.grid is not None:
            table.grid.lang = lang
    cited = {c for s in selections for c in s.initiative.cited_source_ids()}
    sources = [
        {
            "id": s.id,
            "title": s.title,
            "publisher": s.publisher,
            "date": s.date,
            "kind": s.kind,
            "url": s.url,
            "locator": s.locator,
        }
        for s in dataset.sources
        if s.id in cited
    ]
    charts = {}
    for name, table in (("by_year", by_year), ("by_sector", by_sector)):
        if table.rows:
            # The section's heading names the chart.
            svg = chart(table, "svg").decode("utf-8")
            charts[name] = svg[svg.index("<svg") :]  # inline: no XML prolog inside HTML
    span = report.data_years(dataset)
    page = Page(
        lang=lang,
        words=words,
        rules=RULES[lang],
        total=total,
        by_year=by_year,
        by_sector=by_sector,
        by_form=by_form,
        progress=progress,
        pivot=pivot,
        coverage=coverage,
        initiatives=initiatives,
        sources=sources,
        charts=charts,
        asked=list(filters.asked),
        covers=words["covers"].format(first=span[0], last=span[1]) if span else "",
        made=words["made"].format(
            version=version, day=(day or date.today()).isoformat(), file=file
        ),
    )
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("hkit_cli.rendering", "templates"),
        autoescape=True,  # data text is never markup
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["code"] = _inline_code
    environment.filters["visible"] = lambda text: visible(str(text), multiline=True)
    environment.globals.update(
        heading=heading,
        title=title,
        notes=notes,
        cell=human_cell,
        right=RIGHT,
        no_chinese_name=NO_CHINESE_NAME,
        markup=markupsafe.Markup,
    )
    return environment.get_template("report.html.j2").render(page=page)


_BACKTICKED = re.compile(r"`([^`]+)`")


def _inline_code(text: str) -> Any:
    """A standard note with its `commands` as <code>, kept on one line (`--scope all` must not
    break after its dashes). The text is escaped first: only the tags added here are markup."""
    import markupsafe

    escaped = str(markupsafe.escape(text))
    return markupsafe.Markup(_BACKTICKED.sub(r"<code>\1</code>", escaped))
