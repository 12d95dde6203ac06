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
from hkit_cli.domain.messages import N_
from hkit_cli.domain.records import Dataset
from hkit_cli.domain.textrules import visible
from hkit_cli.reading.catalogue import say
from hkit_cli.rendering.charts import chart, require
from hkit_cli.reports import report, tables
from hkit_cli.reports.query import Filters, Selection
from hkit_cli.reports.tables import RIGHT, Report, Table, human_cell
from hkit_cli.reports.tables.core import CURATORS_NOTES, NO_CHINESE_NAME, heading, notes, title

# The page's own words, in English; the catalogue holds their Chinese.
WORDS = {
    "title": N_("Hong Kong public funding for innovation and technology"),
    "counted": N_("Counted government money"),
    "covers": N_("Budgets and Policy Addresses from {first} to {last}"),
    "initiatives": N_("initiatives"),
    "allocations": N_("counted allocations"),
    "by_year": N_("By fiscal year"),
    "by_sector": N_("By sector"),
    "pivot": N_("Fiscal year by sector"),
    "by_form": N_("What kind of money"),
    "progress": N_("How far the money got: announced, approved, spent"),
    "coverage": N_("Documents reviewed"),
    "all_initiatives": N_("Initiatives"),
    "sources": N_("Sources"),
    "rules": N_("How the money is counted"),
    "filters": N_("Selection"),
    "nothing": N_("No initiative matches this selection."),
    "made": N_("Made by hkit {version} on {day} from {file}."),
    "description": N_("Description"),
    "curator_note": CURATORS_NOTES,
}

RULES = [
    N_(
        "Amounts are exact Hong Kong dollars from official texts: Budget speeches, Policy "
        "Addresses, government press releases and Legislative Council papers, each cited with"
        " the paragraph or page."
    ),
    N_(
        "Only government money is added up, and once: a fund announced again in a later "
        "speech is one allocation citing both speeches, and money drawn from an earlier pot "
        "is shown but not added again."
    ),
    N_(
        "Caps per recipient, private money a scheme draws in, total project costs and non-"
        "government funds are shown but never added to the totals."
    ),
    N_(
        "Money counts in the fiscal year (April to March) of the first official text that "
        "commits it, and toward its initiative's primary sector only."
    ),
    N_(
        "Core innovation and technology money is counted; adjacent money (digital government,"
        " Chinese medicine, general parks and campuses, regional funds) only when asked for "
        "with --scope all."
    ),
    N_("≈ marks a total that includes an approximate figure (about, over, up to)."),
    N_(
        "Each counted sum has a form: spending, endowment (capital kept, income spent), "
        "investment (capital meant to come back) or capital (put into a government-owned "
        "company). All are counted; the totals say how much is not spending."
    ),
    N_(
        "Approved means approved by the Legislative Council's Finance Committee or voted with"
        " the Estimates; spent or committed is the latest official figure, where one exists."
    ),
]


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

    words = {key: say(lang, text) for key, text in WORDS.items()}
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
    cited_sources = tables.cited_sources(dataset, (s.id for s in dataset.sources if s.id in cited))
    cited_sources.lang = lang
    sources = [
        {c.key: human_cell(cited_sources, c, row) for c in cited_sources.columns}
        for row in cited_sources.rows
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
        rules=[say(lang, rule) for rule in RULES],
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
        no_chinese_name=say("zh", NO_CHINESE_NAME),
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
