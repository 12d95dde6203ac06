"""Tables of records: one initiative in full, milestones, figures, the registries and the
coverage of documents."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from hkit_cli.domain.currency import HKD, Currency
from hkit_cli.domain.dates import parse_partial_date
from hkit_cli.domain.errors import Problem
from hkit_cli.domain.messages import N_, Msg
from hkit_cli.domain.money import short_zh
from hkit_cli.domain.records import Citation, Dataset, Figure, Initiative, Source
from hkit_cli.domain.textrules import has_han
from hkit_cli.domain.vocab import CORE, COUNTED_KINDS
from hkit_cli.reading.catalogue import lookup, say
from hkit_cli.reports.report import BodyUse, CoverageYear, Event, Sum
from hkit_cli.reports.tables.core import (
    APPROX,
    ENGLISH_WORDS,
    TRANSLATED_TITLE,
    Column,
    Report,
    Table,
    amount_column,
    currency_note,
    money_columns,
    money_fields,
    stage_fields,
    zh_name,
)

if TYPE_CHECKING:
    from hkit_cli.reports.diff import Diff


def _citations(citations: Sequence[Citation]) -> list[str]:
    """Citations for machines: source ids, with the locator after a colon where there is one."""
    return [c.id + (f": {c.locator}" if c.locator else "") for c in citations]


def timeline(events: Sequence[Event]) -> Table:
    table = Table(
        "timeline",
        [
            Column("date", "Date", "code", human=False),
            Column("label", "When", "code", zh_key="label_zh"),
            Column("id", "Initiative", "id"),
            Column("event", "Milestone", zh_key="event_zh"),
            Column("sources", "Sources", "list", human=False),
            Column("sources_shown", "Sources", "list", machine=False),
        ],
    )
    for event in events:
        table.rows.append(
            {
                "date": event.milestone.date,
                "label": event.when.label,
                "label_zh": event.when.label_zh,
                "id": event.initiative.id,
                "event": event.milestone.event,
                "event_zh": event.milestone.event_zh,
                "sources": [c.id for c in event.milestone.sources],
                "sources_shown": _citations(event.milestone.sources),
            }
        )
    return table


def qualified(qualifier: str, number: str, zh: bool = False) -> str:
    """A number as people read it, its qualifier before it: `about 30`, `up to 30`, `約30`."""
    if qualifier == "exact":
        return number
    if zh:
        return say("zh", qualifier, "qualifier before a number") + number
    return f"{qualifier.replace('-', ' ')} {number}"


def figure_value(figure: Figure, zh: bool = False) -> str:
    """A figure's value as people read it, its qualifier before it: `about 30`, or `約30`."""
    return qualified(figure.qualifier, f"{figure.value:,}", zh)


def figures(pairs: Sequence[tuple[Initiative, Figure]]) -> Table:
    table = Table(
        "figures",
        [
            Column("id", "Initiative", "id"),
            Column("metric", "Figure", zh_key="metric_zh"),
            Column("value", "Value", "number", human=False),
            Column("value_shown", "Value", "code", machine=False, zh_key="value_zh"),
            Column("unit", "Unit", zh_key="unit_zh"),
            Column("qualifier", "Qualifier", "code", human=False),
            Column("as_of", "As of", "code", zh_key="as_of_zh"),
            Column("sources", "Sources", "list", human=False),
            Column("sources_shown", "Sources", "list", machine=False),
        ],
    )
    for initiative, f in pairs:
        table.rows.append(
            {
                "id": initiative.id,
                "metric": f.metric,
                "metric_zh": f.metric_zh,
                "value": f.value,
                "value_shown": figure_value(f),
                "value_zh": figure_value(f, zh=True),
                "unit": f.unit,
                "unit_zh": f.unit_zh,
                "qualifier": f.qualifier,
                "as_of": f.as_of,
                "as_of_zh": parse_partial_date(f.as_of).label_zh if f.as_of else None,
                "sources": [c.id for c in f.sources],
                "sources_shown": _citations(f.sources),
            }
        )
    return table


def sectors(dataset: Dataset, usage: dict[str, tuple[int, int]]) -> Table:
    table = Table(
        "sectors",
        [
            Column("slug", "Sector", "code"),
            # In Chinese the Chinese name comes first and the English one is labelled as such.
            Column("name", "Name", zh_key="name_zh"),
            Column("name_zh", "中文", zh_key="name"),
            Column("initiatives", "Initiatives", "count"),
            Column("allocations", "Allocations", "count"),
        ],
    )
    for s in dataset.sectors:
        n, m = usage.get(s.slug, (0, 0))
        table.rows.append(
            {
                "slug": s.slug,
                "name": s.name,
                "name_zh": s.name_zh,
                "initiatives": n,
                "allocations": m,
            }
        )
    return table


def bodies(dataset: Dataset, usage: dict[str, BodyUse], currency: Currency = HKD) -> Table:
    table = Table(
        "bodies",
        [
            Column("id", "ID", "id"),
            Column("abbreviation", "Abbr.", "code"),
            Column("name", "Name", human=False),
            Column("name_zh", "Chinese name", human=False),
            Column("names", "Name", machine=False, zh_key="name_zh"),
            Column("aliases", "Former names", "list", human=False),
            Column("leads", "Leads", "count"),
            Column("partners", "Partners", "count"),
            amount_column(),
            Column("allocations", "Allocations", "count", human=False),
            Column("approximate", "Approximate", "flag", human=False),
        ],
        currency=currency,
    )
    for b in dataset.bodies:
        use = usage[b.id]
        table.rows.append(
            {
                "id": b.id,
                "abbreviation": b.abbreviation,
                "name": b.name,
                "name_zh": b.name_zh,
                "names": f"{b.name} {b.name_zh}",
                "aliases": list(b.aliases),
                "leads": use.leads,
                "partners": use.partners,
                "amount_hkd": use.counted.amount,
                "allocations": use.counted.allocations,
                "approximate": use.counted.approximate > 0,
            }
        )
    table.notes = [
        N_("Counted: the counted money of the initiatives a body leads; partners are not credited.")
    ]
    return table


def _source_columns(url_shown: bool) -> list[Column]:
    return [
        Column("id", "Source", "id"),
        Column("kind", "Kind", "code"),
        Column("date", "Date", "code", zh_key="date_zh"),
        Column("publisher", "Publisher"),
        Column("title", "Title", zh_key="title_zh_shown"),
        Column("url", "URL", "id", human=url_shown),
        Column("locator", "Locator", human=False),
        Column("covers", "Covers", "code", human=False),
    ]


def _source_fields(source: Source) -> dict[str, Any]:
    fields = {k: v for k, v in source.as_dict().items() if k != "file"}
    fields["title_zh_shown"] = None
    if source.title_zh:
        # A title we translated says so: it is not the document's own.
        mark = TRANSLATED_TITLE if source.title_zh_translated else ""
        fields["title_zh_shown"] = f"《{source.title_zh}》{mark}"
    try:
        fields["date_zh"] = parse_partial_date(source.date).label_zh
    except ValueError:
        fields["date_zh"] = None
    return fields


def sources(dataset: Dataset, usage: dict[str, tuple[int, int]]) -> Table:
    table = Table(
        "sources",
        [
            *_source_columns(url_shown=False),
            Column("initiatives", "Initiatives", "count"),
            Column("allocations", "Allocations", "count"),
        ],
    )
    for s in dataset.sources:
        n, m = usage.get(s.id, (0, 0))
        table.rows.append({**_source_fields(s), "initiatives": n, "allocations": m})
    return table


def _coverage_zh(year: CoverageYear, currency: Currency) -> str | None:
    """The year's total as Chinese writes it, or its status (沒有新撥款) when it has none."""
    if not year.counted.allocations:
        return say("zh", year.status, "coverage")
    if currency.code != "hkd":
        return None
    return ("約" if year.counted.approximate else "") + short_zh(year.counted.amount)


def coverage(years: list[CoverageYear], currency: Currency = HKD) -> Table:
    """One row per document reviewed (or per year with none), with what it gave that year."""
    table = Table(
        "coverage",
        [
            Column("fiscal_year", "Fiscal year", "code"),
            Column("status", "Status", "code", human=False),
            Column("source", "Document", "id"),
            Column("allocations", "Allocations", "list", human=False),
            Column("gave", "Gave", "count", machine=False),
            amount_column(empty_if="gave"),
            Column("approximate", "Approximate", "flag", human=False),
            Column("year_hkd", "Year total", "amount", human=False),
            Column("year_shown", "Year total", "code", machine=False, zh_key="year_zh"),
        ],
        title=N_("Documents reviewed, by fiscal year"),
        currency=currency,
    )
    for year in years:
        year_total = (
            (APPROX + " " if year.counted.approximate else "") + currency.short(year.counted.amount)
            if year.counted.allocations
            else year.status
        )
        documents: list[tuple[str | None, list[str], Sum]] = [
            (d.source.id, d.allocations, d.counted) for d in year.documents
        ] or [(None, [], Sum())]
        for k, (source, allocations, given) in enumerate(documents):
            table.rows.append(
                {
                    "fiscal_year": year.fiscal_year,
                    "status": year.status,
                    "source": source,
                    "allocations": allocations,
                    "gave": len(allocations),
                    "amount_hkd": given.amount,
                    "approximate": given.approximate > 0,
                    "year_hkd": year.counted.amount,
                    "year_shown": year_total if k == 0 else "",
                    "year_zh": _coverage_zh(year, currency) if k == 0 else "",
                }
            )
    if years:
        table.notes.append(
            Msg(
                'Covers {first} to {last}; "nothing new": the year\'s documents were reviewed and '
                "gave no new counted money. A document's money is the counted allocations of "
                "that year that cite it or an official text of the same day (its pages, its "
                "press release); money re-announced later counts once, in the year first "
                "committed.",
                first=years[0].fiscal_year,
                last=years[-1].fiscal_year,
            )
        )
    return table


def stages(item: Initiative, currency: Currency = HKD) -> Table:
    """How far each piece of government money got: announced, approved by LegCo, spent."""
    table = Table(
        "stages",
        [
            Column("allocation_id", "Allocation", "id"),
            Column("announced_hkd", "Announced", "amount", human=False),
            Column("announced_shown", "Announced", "code", machine=False, zh_key="announced_zh"),
            Column("approval_stage", "Approval", "code"),
            Column("approved_by", "LegCo item", "code"),
            Column("approved_on", "Approved on", "code", zh_key="approved_on_zh"),
            Column("approved_hkd", "Approved", "amount", human=False),
            Column(
                "approved_shown",
                "Approved",
                "code",
                machine=False,
                zh_key="approved_zh",
            ),
            Column("spent_hkd", "Spent or committed", "amount", human=False),
            Column("spent_shown", "Spent or committed", machine=False, zh_key="spent_zh"),
            Column("spent_as_of", "As of", "code", human=False),
            Column("spent_measure", "Measure", human=False),
            Column("sources", "Sources", "list", human=False),
            Column("sources_shown", "Sources", "list", machine=False),
        ],
        title=N_("Stages (LegCo approval and spending)"),
        currency=currency,
    )
    for a in item.allocations:
        if a.kind not in COUNTED_KINDS:
            continue
        approval, spent = a.approval, a.spent
        cited = [*(approval.sources if approval else ()), *(spent.sources if spent else ())]
        table.rows.append(
            {
                "allocation_id": a.id,
                "announced_hkd": a.amount,
                "announced_shown": currency.short(a.amount),
                "announced_zh": short_zh(a.amount) if currency.code == "hkd" else None,
                "approved_zh": short_zh(approval.amount)
                if approval and approval.amount and currency.code == "hkd"
                else None,
                **stage_fields(a),
                "approved_shown": currency.short(approval.amount)
                if approval and approval.amount
                else None,
                "approved_on_zh": parse_partial_date(approval.date).label_zh
                if approval and approval.date
                else None,
                "spent_shown": f"{qualified(spent.qualifier, currency.short(spent.amount))} "
                f"{spent.measure}, as of {spent.as_of}"
                if spent
                else None,
                "spent_zh": f"{qualified(spent.qualifier, short_zh(spent.amount), zh=True)}"
                f"（{lookup('zh', spent.measure, 'spent measure') or spent.measure}），"
                f"截至{parse_partial_date(spent.as_of).label_zh}"
                if spent and currency.code == "hkd"
                else None,
                "spent_measure": spent.measure if spent else None,
                "sources": [c.id for c in cited],
                "sources_shown": _citations(tuple(cited)),
            }
        )
    approvals: list[str] = [
        Msg("Approval of {id}: {note}", id=a.id, note=a.approval.note)
        for a in item.allocations
        if a.approval is not None and a.approval.note
    ]
    table.notes = approvals + [
        Msg("Spending of {id}: {note}", id=a.id, note=a.spent.note)
        for a in item.allocations
        if a.spent and a.spent.note
    ]
    return table


def _aliases_zh(aliases: Sequence[str]) -> list[str]:
    """Aliases as Chinese output lists them: the Chinese ones, then the English ones said to
    be English."""
    chinese = [a for a in aliases if has_han(a)]
    english = [a for a in aliases if not has_han(a)]
    return [*chinese, *(["、".join(english) + ENGLISH_WORDS] if english else [])]


def initiative(
    item: Initiative, dataset: Dataset, currency: Currency = HKD, scopes: tuple[str, ...] = CORE
) -> Report:
    """Everything about one initiative: its facts, allocations, milestones, figures, sources."""
    sectors_by_slug = {s.slug: s for s in dataset.sectors}
    bodies_by_id = {b.id: b for b in dataset.bodies}
    counted = Sum()
    for allocation in item.allocations:
        if allocation.counted_in(scopes):
            counted.add(allocation)
    facts = Table(
        "initiative",
        [
            Column("id", "id", "id"),
            Column("name", "name", human=False),
            Column("name_zh", "name_zh", human=False),
            Column("name_zh_shown", "name_zh", human=False, machine=False),
            Column("sector", "sector", "code", human=False),
            Column("sector_shown", "sector", machine=False, zh_key="sector_zh"),
            Column("secondary_sectors", "also in", "list", zh_key="secondary_zh"),
            Column("status", "status", "code"),
            Column("lead_body", "lead body", "code", human=False),
            Column("lead_body_shown", "lead body", machine=False, zh_key="lead_body_zh"),
            Column("partners", "partners", "list", human=False),
            Column("partners_shown", "partners", machine=False, zh_key="partners_zh"),
            Column("announced_in", "announced in", zh_key="announced_in_zh"),
            Column("aliases", "aliases", "list", zh_key="aliases_zh"),
            *money_columns(N_("counted")),
            Column("description", "description", human=False),
            Column("description_zh", "description in Chinese", human=False),
            Column("notes", "notes", human=False),
        ],
        currency=currency,
        layout="record",
    )

    def body(ident: str, zh: bool = False) -> str:
        found = bodies_by_id.get(ident)
        if found is None:
            return ident
        return found.name_zh if zh else found.label

    sector = sectors_by_slug.get(item.sector)
    facts.rows.append(
        {
            "id": item.id,
            "name": item.name,
            "name_zh": item.official_name_zh,
            "name_zh_shown": zh_name(item) if item.name_zh else None,
            "sector": item.sector,
            "sector_shown": f"{item.sector} ({sector.name})" if sector else item.sector,
            # In Chinese the sector reads by its name alone, as in `list` and `totals`.
            "sector_zh": sector.name_zh if sector else None,
            "secondary_sectors": list(item.secondary_sectors),
            "secondary_zh": [
                sectors_by_slug[slug].name_zh if slug in sectors_by_slug else slug
                for slug in item.secondary_sectors
            ],
            "status": item.status,
            "lead_body": item.lead_body,
            "lead_body_shown": body(item.lead_body),
            "lead_body_zh": body(item.lead_body, zh=True),
            "partners": list(item.partners),
            "partners_shown": ", ".join(body(p) for p in item.partners),
            "partners_zh": "、".join(body(p, zh=True) for p in item.partners),
            "announced_in": item.announced_in,
            "announced_in_zh": item.announced_in_zh,
            "aliases": list(item.aliases),
            "aliases_zh": _aliases_zh(item.aliases),
            **money_fields(counted),
            "description": item.description,
            "description_zh": item.description_zh,
            "notes": item.notes,
        }
    )
    tables = [facts]
    allocations_table = Table(
        "allocations",
        [
            Column("allocation_id", "Allocation", "id"),
            Column("amount_hkd", "Amount", "amount", human=False),
            Column("amount_shown", "Amount", "code", machine=False, zh_key="amount_zh"),
            Column("qualifier", "Qualifier", "code"),
            Column("approximate", "Approximate", "flag", human=False),
            Column("kind", "Kind", "code", human=False),
            Column("kind_shown", "Kind", machine=False, zh_key="kind_zh"),
            Column("fiscal_year", "Year", "code", human=False),
            Column("year_shown", "Year", machine=False, zh_key="year_zh"),
            Column("period", "Period", human=False),
            Column("counted", "Counted", "flag", human=False),
            Column("counted_shown", "Counted", machine=False, zh_key="counted_zh"),
            Column("part_of", "Part of", "id", human=False),
            Column("applies_to", "Applies to", "id", human=False),
            Column("scope", "Scope", "code", human=False),
            Column("form", "Form", "code"),
            Column("budget_year", "Budget year", "code", human=False),
            Column("repeat_of", "Repeat of", "id", human=False),
            Column("note", "Note", human=False),
            Column("sources", "Sources", "list", human=False),
            Column("sources_shown", "Sources", "list", machine=False),
        ],
        title=N_("Allocations"),
        currency=currency,
    )
    for a in item.allocations:
        if a.counted_in(scopes):
            counted_shown: str = "yes"
        elif a.part_of:
            counted_shown = Msg("no (part of {whole})", whole=a.part_of)
        else:
            counted_shown = "no"
        allocations_table.rows.append(
            {
                "allocation_id": a.id,
                "amount_hkd": a.amount,
                "amount_shown": currency.exact(a.amount),
                "amount_zh": currency.exact_zh(a.amount),
                "qualifier": a.qualifier,
                "approximate": a.approximate,
                "kind": a.kind,
                "kind_shown": a.kind + (f" of {a.applies_to}" if a.applies_to else ""),
                "kind_zh": say("zh", a.kind, "kind")
                + (f"（{a.applies_to}）" if a.applies_to else ""),
                "fiscal_year": a.fiscal_year,
                "year_shown": (a.fiscal_year or "—") + (f" ({a.period})" if a.period else ""),
                "year_zh": (f"{a.fiscal_year}年度" if a.fiscal_year else "—")
                + (f"（{say('zh', a.period, 'period')}）" if a.period else ""),
                "period": a.period,
                "counted": a.counted_in(scopes),
                "counted_shown": counted_shown,
                "counted_zh": say("zh", counted_shown, "word"),
                "part_of": a.part_of,
                "applies_to": a.applies_to,
                "scope": a.scope,
                "form": a.money_form if a.kind in COUNTED_KINDS else None,
                "budget_year": a.budget_year,
                "repeat_of": a.repeat_of,
                "note": a.note,
                "sources": [c.id for c in a.sources],
                "sources_shown": _citations(a.sources),
            }
        )
    allocations_table.notes = [
        Msg("Note on {id}: {note}", id=a.id, note=a.note) for a in item.allocations if a.note
    ]
    allocations_table.notes += currency_note(currency)
    tables.append(allocations_table)
    tables.append(stages(item, currency))
    milestones = Table(
        "milestones",
        [
            Column("date", "Date", "code", human=False),
            Column("label", "When", "code", zh_key="label_zh"),
            Column("event", "Milestone", zh_key="event_zh"),
            Column("sources", "Sources", "list", human=False),
            Column("sources_shown", "Sources", "list", machine=False),
        ],
        title=N_("Milestones"),
    )
    for m in sorted(item.milestones, key=lambda m: m.when.sort_key):
        milestones.rows.append(
            {
                "date": m.date,
                "label": m.when.label,
                "label_zh": m.when.label_zh,
                "event": m.event,
                "event_zh": m.event_zh,
                "sources": [c.id for c in m.sources],
                "sources_shown": _citations(m.sources),
            }
        )
    tables.append(milestones)
    key_figures = figures([(item, f) for f in item.figures])
    key_figures.title = N_("Key figures")
    key_figures.columns = [c for c in key_figures.columns if c.key != "id"]
    tables.append(key_figures)
    tables.append(cited_sources(dataset, item.cited_source_ids()))
    return Report(tables, "allocations")


def cited_sources(dataset: Dataset, source_ids: Iterable[str]) -> Table:
    """The sources with these ids, in that order, with their addresses."""
    by_id = {s.id: s for s in dataset.sources}
    table = Table("sources", _source_columns(url_shown=True), title=N_("Sources"))
    table.rows = [_source_fields(by_id[i]) for i in source_ids if i in by_id]
    return table


def problems(found: Sequence[Problem]) -> Table:
    """The problems `hkit validate` found, one row each, located."""
    table = Table(
        "problems",
        [
            Column("level", "Level", "code"),
            Column("file", "File", "code"),
            Column("line", "Line", "number"),
            Column("column", "Column", "number"),
            Column("path", "Where", "code"),
            Column("message", "Problem"),
            Column("hint", "Hint"),
        ],
        title="Problems",
    )
    table.rows = [p.as_dict() for p in found]
    return table


def diff(result: Diff, old: str, new: str, currency: Currency = HKD) -> Report:
    """A data change: what was added, removed and changed, and the totals before and after."""
    changes = Table(
        "changes",
        [
            Column("what", "What", "code"),
            Column("action", "Change", "code"),
            Column("id", "Id", "id"),
            Column("initiative", "Initiative", "id", human=False),
            Column("field", "Field", "code"),
            Column("before", "Before"),
            Column("after", "After"),
        ],
        title=Msg("Changes from {old} to {new}", old=old, new=new),
    )
    for c in result.changes:
        changes.rows.append(
            {
                "what": c.what,
                "action": c.action,
                "id": c.id,
                "initiative": c.initiative,
                "field": c.field,
                "before": _shown(c.before),
                "after": _shown(c.after),
            }
        )
    if not changes.rows:
        changes.notes = [N_("(none)")]
    totals = Table(
        "totals",
        [
            Column("by", "By", "code"),
            Column("key", "Group", "code"),
            Column("before_hkd", "Before", "amount"),
            Column("after_hkd", "After", "amount"),
            Column("change_hkd", "Change", "change"),
        ],
        title=N_("Counted totals before and after (core I&T; by scope, both scopes)"),
        currency=currency,
    )
    for t in result.totals:
        totals.rows.append(
            {
                "by": t.by,
                "key": t.key,
                "before_hkd": t.before,
                "after_hkd": t.after,
                "change_hkd": t.change,
            }
        )
    totals.notes = ["Only the groups whose total changed are listed, and each grouping's total."]
    return Report([changes, totals], "changes")


def _shown(value: object) -> object:
    """A changed value as text for a table (lists and mappings as JSON)."""
    if value is None or isinstance(value, str | int):
        return value
    import json

    return json.dumps(value, ensure_ascii=False, default=str)
