"""Tables of records: one initiative in full, milestones, figures, the registries and the
coverage of documents."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hkit_cli.domain.currency import HKD, Currency
from hkit_cli.domain.dates import parse_partial_date
from hkit_cli.domain.errors import Problem
from hkit_cli.domain.money import short_zh
from hkit_cli.domain.records import Citation, Dataset, Figure, Initiative, Source
from hkit_cli.domain.vocab import CORE, COUNTED_KINDS
from hkit_cli.domain.words import COVERAGE_ZH, KIND_ZH, QUALIFIER_PREFIX_ZH
from hkit_cli.reports.diff import Diff
from hkit_cli.reports.report import BodyUse, CoverageYear, Event, Sum
from hkit_cli.reports.tables.core import (
    APPROX,
    Column,
    Report,
    Table,
    amount_column,
    currency_note,
    money_columns,
    money_fields,
    stage_fields,
)


def _citations(citations: Sequence[Citation]) -> list[str]:
    """Citations for machines: source ids, with the locator after a colon where there is one."""
    return [c.id + (f": {c.locator}" if c.locator else "") for c in citations]


def timeline(events: Sequence[Event]) -> Table:
    table = Table(
        "timeline",
        [
            Column("date", "Date", "日期", "code", human=False),
            Column("label", "When", "時間", "code", zh_key="label_zh"),
            Column("id", "Initiative", "項目", "id"),
            Column("event", "Milestone", "里程碑", zh_key="event_zh"),
            Column("sources", "Sources", "來源", "list", human=False),
            Column("sources_shown", "Sources", "來源", "list", machine=False),
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


def figure_value(figure: Figure, zh: bool = False) -> str:
    """A figure's value as people read it, its qualifier before it: `about 30`, or `約30`."""
    value = f"{figure.value:,}"
    if figure.qualifier == "exact":
        return value
    if zh:
        return f"{QUALIFIER_PREFIX_ZH[figure.qualifier]}{value}"
    return f"{figure.qualifier} {value}"


def figures(pairs: Sequence[tuple[Initiative, Figure]]) -> Table:
    table = Table(
        "figures",
        [
            Column("id", "Initiative", "項目", "id"),
            Column("metric", "Figure", "指標", zh_key="metric_zh"),
            Column("value", "Value", "數值", "number", human=False),
            Column("value_shown", "Value", "數值", "code", machine=False, zh_key="value_zh"),
            Column("unit", "Unit", "單位", zh_key="unit_zh"),
            Column("qualifier", "Qualifier", "限定", "code", human=False),
            Column("as_of", "As of", "截至", "code", zh_key="as_of_zh"),
            Column("sources", "Sources", "來源", "list", human=False),
            Column("sources_shown", "Sources", "來源", "list", machine=False),
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
            Column("slug", "Sector", "範疇", "code"),
            # In Chinese the Chinese name comes first and the English one is labelled as such.
            Column("name", "Name", "名稱", zh_key="name_zh"),
            Column("name_zh", "中文", "英文名稱", zh_key="name"),
            Column("initiatives", "Initiatives", "項目數", "count"),
            Column("allocations", "Allocations", "撥款項數", "count"),
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
            Column("id", "ID", "編號", "id"),
            Column("abbreviation", "Abbr.", "簡稱", "code"),
            Column("name", "Name", "名稱", human=False),
            Column("name_zh", "Chinese name", "中文名稱", human=False),
            Column("names", "Name", "名稱", machine=False, zh_key="name_zh"),
            Column("aliases", "Former names", "舊稱", "list", human=False),
            Column("leads", "Leads", "牽頭", "count"),
            Column("partners", "Partners", "協作", "count"),
            amount_column(),
            Column("allocations", "Allocations", "撥款項數", "count", human=False),
            Column("approximate", "Approximate", "含約數", "flag", human=False),
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
        "Counted: the counted money of the initiatives a body leads; partners are not credited."
    ]
    return table


def _source_columns(url_shown: bool) -> list[Column]:
    return [
        Column("id", "Source", "來源", "id"),
        Column("kind", "Kind", "類別", "code"),
        Column("date", "Date", "日期", "code", zh_key="date_zh"),
        Column("publisher", "Publisher", "發布者"),
        Column("title", "Title", "標題", zh_key="title_zh_shown"),
        Column("url", "URL", "網址", "id", human=url_shown),
        Column("locator", "Locator", "位置", human=False),
        Column("covers", "Covers", "涵蓋年度", "code", human=False),
    ]


def _source_fields(source: Source) -> dict[str, Any]:
    fields = {k: v for k, v in source.as_dict().items() if k != "file"}
    fields["title_zh_shown"] = f"《{source.title_zh}》" if source.title_zh else None
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
            Column("initiatives", "Initiatives", "項目數", "count"),
            Column("allocations", "Allocations", "撥款項數", "count"),
        ],
    )
    for s in dataset.sources:
        n, m = usage.get(s.id, (0, 0))
        table.rows.append({**_source_fields(s), "initiatives": n, "allocations": m})
    return table


def _coverage_zh(year: CoverageYear, currency: Currency) -> str | None:
    """The year's total as Chinese writes it, or its status (沒有新撥款) when it has none."""
    if not year.counted.allocations:
        return COVERAGE_ZH.get(year.status, year.status)
    if currency.code != "hkd":
        return None
    return ("約" if year.counted.approximate else "") + short_zh(year.counted.amount)


def coverage(years: list[CoverageYear], currency: Currency = HKD) -> Table:
    """One row per document reviewed (or per year with none), with what it gave that year."""
    table = Table(
        "coverage",
        [
            Column("fiscal_year", "Fiscal year", "財政年度", "code"),
            Column("status", "Status", "狀態", "code", human=False),
            Column("source", "Document", "文件", "id"),
            Column("allocations", "Allocations", "撥款", "list", human=False),
            Column("gave", "Gave", "項數", "count", machine=False),
            amount_column(empty_if="gave"),
            Column("approximate", "Approximate", "含約數", "flag", human=False),
            Column("year_hkd", "Year total", "年度總計", "amount", human=False),
            Column("year_shown", "Year total", "年度總計", "code", machine=False, zh_key="year_zh"),
        ],
        title="Documents reviewed, by fiscal year",
        title_zh="已審閱文件（按財政年度）",
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
            f'Covers {years[0].fiscal_year} to {years[-1].fiscal_year}; "nothing new": the '
            "year's documents were reviewed and gave no new counted money. A document's money is "
            "the counted allocations of that year that cite it or an official text of the same "
            "day (its pages, its press release); money re-announced later counts once, in the "
            "year first committed."
        )
    return table


def stages(item: Initiative, currency: Currency = HKD) -> Table:
    """How far each piece of government money got: announced, approved by LegCo, spent."""
    table = Table(
        "stages",
        [
            Column("allocation_id", "Allocation", "撥款", "id"),
            Column("announced_hkd", "Announced", "公布", "amount", human=False),
            Column(
                "announced_shown", "Announced", "公布", "code", machine=False, zh_key="announced_zh"
            ),
            Column("approval_stage", "Approval", "批准", "code"),
            Column("approved_by", "LegCo item", "立法會項目", "code"),
            Column("approved_on", "Approved on", "批准日期", "code"),
            Column("approved_hkd", "Approved", "批准金額", "amount", human=False),
            Column(
                "approved_shown",
                "Approved",
                "批准金額",
                "code",
                machine=False,
                zh_key="approved_zh",
            ),
            Column("spent_hkd", "Spent or committed", "已用或已承擔", "amount", human=False),
            Column("spent_shown", "Spent or committed", "已用或已承擔", machine=False),
            Column("spent_as_of", "As of", "截至", "code", human=False),
            Column("spent_measure", "Measure", "量度", human=False),
            Column("sources", "Sources", "來源", "list", human=False),
            Column("sources_shown", "Sources", "來源", "list", machine=False),
        ],
        title="Stages (LegCo approval and spending)",
        title_zh="階段（立法會批准及開支）",
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
                "spent_shown": f"{currency.short(spent.amount)} {spent.measure}, "
                f"as of {spent.as_of}"
                if spent
                else None,
                "spent_measure": spent.measure if spent else None,
                "sources": [c.id for c in cited],
                "sources_shown": _citations(tuple(cited)),
            }
        )
    table.notes = [
        f"Approval of {a.id}: {a.approval.note}"
        for a in item.allocations
        if a.approval is not None and a.approval.note
    ] + [
        f"Spending of {a.id}: {a.spent.note}" for a in item.allocations if a.spent and a.spent.note
    ]
    return table


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
            Column("id", "id", "編號", "id"),
            Column("name", "name", "名稱", human=False),
            Column("name_zh", "name_zh", "中文名稱", human=False),
            Column("sector", "sector", "範疇", "code", human=False),
            Column("sector_shown", "sector", "範疇", machine=False, zh_key="sector_zh"),
            Column("secondary_sectors", "also in", "亦屬", "list"),
            Column("status", "status", "狀態", "code"),
            Column("lead_body", "lead body", "牽頭機構", "code", human=False),
            Column(
                "lead_body_shown", "lead body", "牽頭機構", machine=False, zh_key="lead_body_zh"
            ),
            Column("partners", "partners", "協作機構", "list", human=False),
            Column("partners_shown", "partners", "協作機構", machine=False, zh_key="partners_zh"),
            Column("announced_in", "announced in", "公布於"),
            Column("aliases", "aliases", "別稱", "list"),
            *money_columns("counted"),
            Column("description", "description", "簡介", human=False),
            Column("description_zh", "description in Chinese", "中文簡介", human=False),
            Column("notes", "notes", "備註", human=False),
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
            "name_zh": item.name_zh,
            "sector": item.sector,
            "sector_shown": f"{item.sector} ({sector.name})" if sector else item.sector,
            "sector_zh": f"{item.sector}（{sector.name_zh}）" if sector else None,
            "secondary_sectors": list(item.secondary_sectors),
            "status": item.status,
            "lead_body": item.lead_body,
            "lead_body_shown": body(item.lead_body),
            "lead_body_zh": body(item.lead_body, zh=True),
            "partners": list(item.partners),
            "partners_shown": ", ".join(body(p) for p in item.partners),
            "partners_zh": "、".join(body(p, zh=True) for p in item.partners),
            "announced_in": item.announced_in,
            "aliases": list(item.aliases),
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
            Column("allocation_id", "Allocation", "撥款", "id"),
            Column("amount_hkd", "Amount", "金額", "amount", human=False),
            Column("amount_shown", "Amount", "金額", "code", machine=False),
            Column("qualifier", "Qualifier", "限定", "code"),
            Column("approximate", "Approximate", "約數", "flag", human=False),
            Column("kind", "Kind", "類別", "code", human=False),
            Column("kind_shown", "Kind", "類別", machine=False, zh_key="kind_zh"),
            Column("fiscal_year", "Year", "財政年度", "code", human=False),
            Column("year_shown", "Year", "財政年度", machine=False),
            Column("period", "Period", "期間", human=False),
            Column("counted", "Counted", "計算在內", "flag", human=False),
            Column("counted_shown", "Counted", "計算在內", machine=False, zh_key="counted_zh"),
            Column("part_of", "Part of", "出自", "id", human=False),
            Column("applies_to", "Applies to", "適用於", "id", human=False),
            Column("scope", "Scope", "範圍", "code", human=False),
            Column("form", "Form", "形式", "code"),
            Column("budget_year", "Budget year", "預算年度", "code", human=False),
            Column("repeat_of", "Repeat of", "重複自", "id", human=False),
            Column("note", "Note", "備註", human=False),
            Column("sources", "Sources", "來源", "list", human=False),
            Column("sources_shown", "Sources", "來源", "list", machine=False),
        ],
        title="Allocations",
        title_zh="撥款",
        currency=currency,
    )
    for a in item.allocations:
        allocations_table.rows.append(
            {
                "allocation_id": a.id,
                "amount_hkd": a.amount,
                "amount_shown": currency.exact(a.amount),
                "qualifier": a.qualifier,
                "approximate": a.approximate,
                "kind": a.kind,
                "kind_shown": a.kind + (f" of {a.applies_to}" if a.applies_to else ""),
                "kind_zh": KIND_ZH[a.kind] + (f"（{a.applies_to}）" if a.applies_to else ""),
                "fiscal_year": a.fiscal_year,
                "year_shown": (a.fiscal_year or "—") + (f" ({a.period})" if a.period else ""),
                "period": a.period,
                "counted": a.counted_in(scopes),
                "counted_shown": "yes"
                if a.counted_in(scopes)
                else (f"no (part of {a.part_of})" if a.part_of else "no"),
                "counted_zh": "是"
                if a.counted_in(scopes)
                else (f"否（屬 {a.part_of} 的一部分）" if a.part_of else "否"),
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
    allocations_table.notes = [f"Note on {a.id}: {a.note}" for a in item.allocations if a.note]
    allocations_table.notes += currency_note(currency)
    tables.append(allocations_table)
    tables.append(stages(item, currency))
    milestones = Table(
        "milestones",
        [
            Column("date", "Date", "日期", "code", human=False),
            Column("label", "When", "時間", "code", zh_key="label_zh"),
            Column("event", "Milestone", "里程碑", zh_key="event_zh"),
            Column("sources", "Sources", "來源", "list", human=False),
            Column("sources_shown", "Sources", "來源", "list", machine=False),
        ],
        title="Milestones",
        title_zh="里程碑",
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
    key_figures.title = "Key figures"
    key_figures.title_zh = "主要數字"
    key_figures.columns = [c for c in key_figures.columns if c.key != "id"]
    tables.append(key_figures)
    sources_by_id = {s.id: s for s in dataset.sources}
    cited = Table("sources", _source_columns(url_shown=True), title="Sources", title_zh="來源")
    for source_id in item.cited_source_ids():
        s = sources_by_id.get(source_id)
        if s is not None:
            cited.rows.append(_source_fields(s))
    tables.append(cited)
    return Report(tables, "allocations")


def problems(found: Sequence[Problem]) -> Table:
    """The problems `hkit validate` found, one row each, located."""
    table = Table(
        "problems",
        [
            Column("level", "Level", "級別", "code"),
            Column("file", "File", "檔案", "code"),
            Column("line", "Line", "行", "number"),
            Column("column", "Column", "欄", "number"),
            Column("path", "Where", "位置", "code"),
            Column("message", "Problem", "問題"),
            Column("hint", "Hint", "提示"),
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
            Column("what", "What", "類別", "code"),
            Column("action", "Change", "變更", "code"),
            Column("id", "Id", "編號", "id"),
            Column("initiative", "Initiative", "項目", "id", human=False),
            Column("field", "Field", "欄位", "code"),
            Column("before", "Before", "之前"),
            Column("after", "After", "之後"),
        ],
        title=f"Changes from {old} to {new}",
        title_zh=f"由 {old} 至 {new} 的變更",
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
        changes.notes = ["(none)"]
    totals = Table(
        "totals",
        [
            Column("by", "By", "按", "code"),
            Column("key", "Group", "組別", "code"),
            Column("before_hkd", "Before", "之前", "amount"),
            Column("after_hkd", "After", "之後", "amount"),
            Column("change_hkd", "Change", "變動", "change"),
        ],
        title="Counted totals before and after (core I&T; by scope, both scopes)",
        title_zh="變更前後的計算總額（核心創科；按範圍則兩者皆計）",
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
