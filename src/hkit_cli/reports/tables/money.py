"""Tables of counted money: initiatives, totals, pivots, comparisons and the export rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from hkit_cli.domain.currency import HKD, Currency
from hkit_cli.domain.dates import parse_partial_date
from hkit_cli.domain.messages import N_, Msg
from hkit_cli.domain.vocab import COUNTED_KINDS, GROUPINGS
from hkit_cli.reports.report import (
    AllocationRow,
    ClaimCheck,
    Comparison,
    InitiativeRow,
    Pivot,
    Progress,
    Stages,
    Sum,
    Totals,
)
from hkit_cli.reports.tables.core import (
    ATTRIBUTION,
    ENGLISH_WORDS,
    TRANSLATED_WORDS,
    Column,
    Report,
    Table,
    amount_column,
    approx_note,
    currency_note,
    dating_note,
    form_note,
    money_columns,
    money_fields,
    not_counted_note,
    share,
    stage_fields,
    zh_name,
)


def initiatives(
    rows: Sequence[InitiativeRow],
    currency: Currency = HKD,
    matched: int | None = None,
    sector_names_zh: Mapping[str, str] | None = None,
) -> Table:
    """The initiatives listed; ``matched`` is how many matched when the list is cut short;
    ``sector_names_zh`` names the sectors in Chinese output (the slug where not given)."""
    table = Table(
        "initiatives",
        [
            Column("id", "ID", "id"),
            Column("name", "Name", zh_key="name_zh_shown"),
            Column("name_zh", "Chinese name", human=False),
            Column("sector", "Sector", "code", human=False),
            Column("sector_shown", "Sector", "code", machine=False, zh_key="sector_zh"),
            Column("status", "Status", "code"),
            Column("lead_body", "Lead body", "code", human=False),
            Column("announced_in", "Announced in", human=False),
            Column("forms", "Form", "list", human=False),
            *money_columns(),
            Column("other_allocations", "Other figures", "count", human=False),
            Column("secondary_match", "Secondary match", "list", human=False),
        ],
        currency=currency,
    )
    total = Sum()
    secondary: dict[str, int] = {}
    for row in rows:
        i = row.initiative
        table.rows.append(
            {
                "id": i.id,
                "name": i.name,
                "name_zh": i.official_name_zh,
                "name_zh_shown": zh_name(i),
                "sector": i.sector,
                "sector_shown": i.sector + "".join(f" +{s}" for s in row.secondary),
                "sector_zh": (sector_names_zh or {}).get(i.sector, i.sector)
                + "".join(f" +{(sector_names_zh or {}).get(s, s)}" for s in row.secondary),
                "status": i.status,
                "lead_body": i.lead_body,
                "announced_in": i.announced_in,
                "forms": list(row.forms),
                **money_fields(row.counted),
                "other_allocations": row.shown,
                "secondary_match": list(row.secondary),
            }
        )
        if row.secondary:
            for slug in row.secondary:
                secondary[slug] = secondary.get(slug, 0) + 1
            continue
        total.amount += row.counted.amount
        total.allocations += row.counted.allocations
        total.approximate += row.counted.approximate
    noun = "initiative" if len(rows) == 1 else "initiatives"
    shown = f"{len(rows)} {noun}" if matched is None else f"{len(rows)} of {matched}"
    shown_zh = f"{len(rows)} 個項目" if matched is None else f"{len(rows)} / {matched}"
    table.total = {"name": shown, "name_zh_shown": shown_zh, **money_fields(total)}
    table.notes = approx_note(total)
    if matched is not None:
        table.notes.append(
            Msg(
                "Showing {shown} of the {matched} initiatives that match.",
                shown=len(rows),
                matched=matched,
            )
        )
    if secondary:
        marks = ", ".join(f"+{slug}" for slug in secondary)
        table.notes.append(
            f"{marks}: listed for a secondary sector only. Money counts toward each "
            "initiative's primary sector, so these rows are left out of the total."
        )
    table.notes += currency_note(currency)
    return table


HEADINGS = {
    "year": N_("Fiscal year"),
    "sector": N_("Sector"),
    "lead-body": N_("Lead body"),
    "status": N_("Status"),
    "scope": N_("Scope"),
    "kind": N_("Kind"),
    "form": N_("Form"),
}


def group_columns(by: str) -> list[Column]:
    """The columns that name a group of ``by``: its key for machines and its label for
    people where the key is a code (a sector, a lead body, a form: the Chinese word with
    --lang zh); a year is read as it is."""
    heading = HEADINGS[by]
    by_label = by in ("sector", "lead-body", "form")
    return [
        Column(
            GROUPINGS[by],
            heading,
            "code",
            human=not by_label,
            zh_suffix="年度" if by == "year" else "",
        ),
        Column("label", heading, machine=False, human=by_label, zh_key="label_zh"),
    ]


def totals(
    report: Totals,
    currency: Currency = HKD,
    layout: str = "table",
    labels_zh: dict[str, str] | None = None,
) -> Table:
    key = GROUPINGS[report.by]
    heading = HEADINGS[report.by]
    labelled = report.by in ("sector", "lead-body")
    table = Table(
        "totals",
        [
            *group_columns(report.by),
            Column("name", "Name", human=False, machine=labelled),
            amount_column(),
            Column("share", "Share", "share"),
            Column("allocations", "Allocations", "count"),
            Column("approximate_allocations", "Approximate", "count", blank_zero=True),
            Column("approximate", "Approximate", "flag", human=False),
        ],
        currency=currency,
        layout=layout,
        title=Msg("{by}: counted government money", by=Msg(heading)) if layout == "bars" else "",
    )
    zh = labels_zh or {}
    whole = report.total.amount
    for group in report.groups:
        table.rows.append(
            {
                key: group.key,
                "label": group.label,
                "label_zh": zh.get(group.key),
                "name": group.label if labelled else None,
                **money_fields(group.sum),
                "share": share(group.sum.amount, whole),
            }
        )
    table.total = {
        "label": "Total",
        key: "Total",
        **money_fields(report.total),
        "share": share(whole, whole),
    }
    table.notes = (
        approx_note(report.total)
        + not_counted_note(report.not_counted, report.adjacent)
        + form_note(report.not_spending, currency)
        + ([ATTRIBUTION] if report.by == "sector" else [])
        + (dating_note(report.dated) if report.by == "year" else [])
        + currency_note(currency)
    )
    return table


def grand_total(report: Totals, currency: Currency = HKD) -> Table:
    """The counted total alone: what `hkit totals` gives without --by."""
    table = Table(
        "total",
        [Column("what", "", machine=False), *money_columns(N_("Counted"))],
        currency=currency,
    )
    for column in table.columns[1:]:
        if column.key in ("allocations", "approximate_allocations"):
            # Shown to people as in the grouped totals: no approximate allocation is a blank.
            blank_zero = column.key == "approximate_allocations"
            table.columns[table.columns.index(column)] = replace(
                column, human=True, blank_zero=blank_zero
            )
    table.rows.append({"what": "Total", **money_fields(report.total)})
    table.notes = (
        approx_note(report.total)
        + not_counted_note(report.not_counted, report.adjacent)
        + form_note(report.not_spending, currency)
        + currency_note(currency)
    )
    return table


def pivot(
    report: Pivot, currency: Currency = HKD, labels_zh: dict[str, str] | None = None
) -> Table:
    """Long rows (one per pair of keys) for machines; people see the wide grid."""
    first, second = GROUPINGS[report.column_by], GROUPINGS[report.row_by]
    table = Table(
        "pivot",
        [
            Column(first, HEADINGS[report.column_by], "code"),
            Column(second, HEADINGS[report.row_by], "code"),
            *money_columns(),
        ],
        currency=currency,
        layout="pivot",
    )
    for column in report.columns:
        for row in report.rows:
            cell = report.cells.get((row.key, column.key))
            if cell is not None:
                table.rows.append({first: column.key, second: row.key, **money_fields(cell)})
    wide = Table(
        "pivot",
        [Column("row", HEADINGS[report.row_by], "code")]
        + [
            Column(
                f"c{k}",
                c.label,
                "amount",
                approx=f"a{k}",
                empty_if=f"n{k}",
                heading_zh=(labels_zh or {}).get(c.key),
            )
            for k, c in enumerate(report.columns)
        ]
        + [Column("total", "Total", "amount", approx="a", empty_if="n")],
        currency=currency,
    )

    def cells(sums: Sequence[Sum], total: Sum, label: str) -> dict[str, Any]:
        out: dict[str, Any] = {
            "row": label,
            "total": total.amount,
            "a": total.approximate,
            "n": total.allocations,
        }
        for k, s in enumerate(sums):
            out |= {f"c{k}": s.amount, f"a{k}": s.approximate, f"n{k}": s.allocations}
        return out

    for row in report.rows:
        sums = [report.cells.get((row.key, c.key), Sum()) for c in report.columns]
        wide.rows.append(cells(sums, row.sum, row.key))
    wide.total = cells([c.sum for c in report.columns], report.total, "Total")
    table.notes = wide.notes = (
        approx_note(report.total)
        + not_counted_note(report.not_counted, report.adjacent)
        + form_note(report.not_spending, currency)
        + ([ATTRIBUTION] if "sector" in (report.row_by, report.column_by) else [])
        + (dating_note(report.dated) if "year" in (report.row_by, report.column_by) else [])
        + currency_note(currency)
    )
    table.grid = wide
    return table


def _year_columns(side: str, year: str, heading: str) -> list[Column]:
    """One side of a comparison: its year, amount, allocations and approximate flag."""
    return [
        Column(f"{side}_year", heading, "code", human=False),
        Column(
            f"{side}_hkd",
            year,
            "amount",
            approx=f"{side}_approximate",
            empty_if=f"{side}_allocations",
        ),
        Column(f"{side}_allocations", "Allocations", "count", human=False),
        Column(f"{side}_approximate", "Approximate", "flag", human=False),
    ]


def _year_fields(side: str, year: str, money: Sum) -> dict[str, Any]:
    return {
        f"{side}_year": year,
        f"{side}_hkd": money.amount,
        f"{side}_allocations": money.allocations,
        f"{side}_approximate": money.approximate > 0,
    }


def comparison(
    report: Comparison, currency: Currency = HKD, labels_zh: dict[str, str] | None = None
) -> Report:
    a, b = report.before_year, report.after_year
    zh = labels_zh or {}
    by_sector = Table(
        "by_sector",
        [
            Column("sector", "Sector", "code", human=False),
            Column("label", "Sector", machine=False, zh_key="label_zh"),
            *_year_columns("before", a, N_("Earlier year")),
            *_year_columns("after", b, N_("Later year")),
            Column("change_hkd", "Change", "change", approx="change_approximate"),
            Column("change_approximate", "Approximate", "flag", human=False, machine=False),
        ],
        title=Msg("Counted money provided in {a} and {b}, by sector", a=a, b=b),
        currency=currency,
    )

    def row(key: str, label: str, before: Sum, after: Sum, change: int) -> dict[str, Any]:
        return {
            "sector": key,
            "label": label,
            "label_zh": zh.get(key),
            **_year_fields("before", a, before),
            **_year_fields("after", b, after),
            "change_hkd": change,
            "change_approximate": bool(before.approximate or after.approximate),
        }

    for change in report.rows:
        by_sector.rows.append(
            row(change.key, change.label, change.before, change.after, change.change)
        )
    t = report.total
    by_sector.total = row("Total", "Total", t.before, t.after, t.change)
    approximate = Sum(0, 0, t.before.approximate + t.after.approximate)
    by_sector.notes = approx_note(approximate) + [ATTRIBUTION]
    new = Table(
        "new",
        [
            Column("id", "ID", "id"),
            Column("name", "Name", zh_key="name_zh_shown"),
            Column("sector", "Sector", "code"),
            Column("fiscal_year", "Fiscal year", "code", human=False),
            *money_columns(b),
        ],
        title=Msg("New in {b}: initiatives whose first counted money is in {b}", b=b),
        currency=currency,
    )
    for initiative, amount in report.new:
        new.rows.append(
            {
                "id": initiative.id,
                "name": initiative.name,
                "name_zh_shown": zh_name(initiative),
                "sector": initiative.sector,
                "fiscal_year": b,
                **money_fields(amount),
            }
        )
    new.notes = ([N_("(none)")] if not report.new else []) + currency_note(currency)
    return Report([by_sector, new], "by_sector")


EXPORT_COLUMNS = [
    Column("id", "ID", "id"),
    Column("name", "Name"),
    Column("name_zh", "Chinese name"),
    Column("sector", "Sector", "code"),
    Column("lead_body", "Lead body", "code"),
    Column("status", "Status", "code"),
    Column("fiscal_year", "Fiscal year", "code"),
    Column("amount_hkd", "Amount", "amount", approx="approximate"),
    Column("qualifier", "Qualifier", "code"),
    Column("kind", "Kind", "code"),
    Column("counted", "Counted", "flag"),
    Column("announced_in", "Announced in", zh_key="announced_in_zh"),
    Column("sources", "Sources", "list", human=False),
    Column("sources_shown", "Sources", "list", machine=False),
    Column("allocation_id", "Allocation", "id"),
    Column("part_of", "Part of", "id"),
    Column("applies_to", "Applies to", "id"),
    Column("period", "Period"),
    Column("scope", "Scope", "code"),
    Column("repeat_of", "Repeat of", "id"),
    Column("approximate", "Approximate", "flag"),
    Column("form", "Form", "code"),
    Column("budget_year", "Budget year", "code"),
    Column("approval_stage", "Approval", "code"),
    Column("approved_by", "LegCo item", "code"),
    Column("approved_on", "Approved on", "code"),
    Column("approved_hkd", "Approved", "amount"),
    Column("spent_hkd", "Spent or committed", "amount"),
    Column("spent_as_of", "Spent as of", "code"),
    Column("note", "Note"),
]


def allocations(records: Sequence[AllocationRow], currency: Currency = HKD) -> Table:
    """One row per allocation with its initiative: the unit of export."""
    table = Table("allocations", list(EXPORT_COLUMNS), currency=currency)
    for r in records:
        i, a = r.initiative, r.allocation
        stages = stage_fields(a)
        if a.kind not in COUNTED_KINDS:
            stages["approval_stage"] = None  # no approval is sought for money not counted
        table.rows.append(
            {
                "id": i.id,
                "name": i.name,
                "name_zh": i.official_name_zh,
                "sector": i.sector,
                "lead_body": i.lead_body,
                "status": i.status,
                "fiscal_year": a.fiscal_year,
                "amount_hkd": a.amount,
                "qualifier": a.qualifier,
                "approximate": a.approximate,
                "kind": a.kind,
                "counted": r.counted,
                "announced_in": i.announced_in,
                "announced_in_zh": i.announced_in_zh,
                "sources": [c.id for c in a.sources],
                "allocation_id": a.id,
                "part_of": a.part_of,
                "applies_to": a.applies_to,
                "period": a.period,
                "scope": a.scope,
                "repeat_of": a.repeat_of,
                "form": a.money_form if a.kind in COUNTED_KINDS else None,
                "budget_year": a.budget_year,
                **stages,
                "note": a.note,
            }
        )
    return table


def progress(
    report: Progress, currency: Currency = HKD, labels_zh: dict[str, str] | None = None
) -> Table:
    """Announced, approved and spent money per group: how far the counted money got."""
    key = GROUPINGS[report.by]

    def money(name: str, heading: str) -> Column:
        return Column(name, heading, "amount")

    table = Table(
        "progress",
        [
            *group_columns(report.by),
            Column(
                "announced_hkd",
                "Announced",
                "amount",
                approx="approximate",
                empty_if="allocations",
            ),
            Column("allocations", "Allocations", "count", human=False),
            Column("approximate", "Approximate", "flag", human=False),
            money("approved_hkd", N_("Approved")),
            money("pending_hkd", N_("Pending")),
            money("approval_unknown_hkd", N_("Approval not known")),
            money("spent_hkd", N_("Spent or committed")),
            money("spent_unknown_hkd", N_("No spending figure")),
        ],
        currency=currency,
    )
    zh = labels_zh or {}

    def fields(stages: Stages) -> dict[str, Any]:
        return {
            "announced_hkd": stages.announced.amount,
            "allocations": stages.announced.allocations,
            "approximate": stages.announced.approximate > 0,
            "approved_hkd": stages.approved,
            "pending_hkd": stages.pending,
            "approval_unknown_hkd": stages.approval_unknown,
            "spent_hkd": stages.spent,
            "spent_unknown_hkd": stages.spent_unknown,
        }

    for group_key, label, stages in report.groups:
        table.rows.append(
            {key: group_key, "label": label, "label_zh": zh.get(group_key), **fields(stages)}
        )
    table.total = {key: "Total", "label": "Total", **fields(report.total)}
    table.notes = (
        [
            N_(
                "Approved: money LegCo's Finance Committee approved, or voted with the "
                "Estimates. Spent or committed: the latest official figure, where one exists "
                "(`hkit show ID` gives its date and source)."
            )
        ]
        + approx_note(report.total.announced)
        + (dating_note(report.dated) if report.by == "year" else [])
        + currency_note(currency)
    )
    return table


def claims(
    checks: Sequence[ClaimCheck], urls: dict[str, str | None], currency: Currency = HKD
) -> Table:
    """The government's own running totals beside hkit's count for the same years;
    ``urls`` gives each source's URL."""

    def money(key: str, heading: str, human: bool = True) -> Column:
        return Column(key, heading, "amount", human=human)

    table = Table(
        "claims",
        [
            Column("id", "Claim", "id"),
            Column("who", "Who", human=False),
            Column("date", "Date", "code", zh_key="date_zh"),
            Column("words", "Words", zh_key="words_zh_shown"),
            Column("words_zh", "Chinese words", human=False),
            Column("window", "Years", "code", zh_key="window_zh"),
            Column("window_from", "From", "code", human=False),
            Column("window_to", "To", "code", human=False),
            Column("claimed_hkd", "Claimed", "amount", approx="claim_approximate"),
            Column("qualifier", "Qualifier", "code", human=False),
            Column("claim_approximate", "Approximate", "flag", human=False),
            money("core_hkd", N_("hkit core")),
            Column("core_share", "Core share", "share"),
            money("adjacent_hkd", N_("Adjacent")),
            money("all_hkd", N_("hkit all"), human=False),
            money("not_spending_hkd", N_("Of core, not spending")),
            Column("beyond_hkit_hkd", "Beyond hkit", "change"),
            Column("covers", "Covers", human=False),
            Column("covers_zh", "Covers in Chinese", human=False),
            Column("sources", "Sources", "list", human=False),
            Column("urls", "URLs", "list", human=False),
            Column("sources_shown", "Sources", "list", machine=False),
        ],
        currency=currency,
        title=N_("The government's own totals beside hkit's count"),
    )
    for check in checks:
        c = check.claim
        table.rows.append(
            {
                "id": c.id,
                "who": c.who,
                "date": c.date,
                "date_zh": parse_partial_date(c.date).label_zh,
                "words": c.words,
                # Machine output holds the Chinese version's own words only; people read our
                # translation marked as one, or the English words said to be English.
                "words_zh": None if c.words_zh_translated else c.words_zh,
                "words_zh_shown": (
                    f"「{c.words_zh}」{TRANSLATED_WORDS if c.words_zh_translated else ''}"
                    if c.words_zh
                    else f"{c.words}{ENGLISH_WORDS}"
                ),
                "window": f"{c.window_from}..{c.window_to}",
                "window_zh": f"{c.window_from}至{c.window_to}年度",
                "window_from": c.window_from,
                "window_to": c.window_to,
                "claimed_hkd": c.amount,
                "qualifier": c.qualifier,
                "claim_approximate": c.qualifier != "exact",
                "core_hkd": check.core.amount,
                "core_share": share(check.core.amount, c.amount),
                "adjacent_hkd": check.adjacent.amount,
                "all_hkd": check.counted_all,
                "not_spending_hkd": check.not_spending,
                "beyond_hkit_hkd": check.unexplained,
                "covers": c.covers,
                "covers_zh": c.covers_zh,
                "sources": [s.id for s in c.sources],
                "urls": [u for u in (urls.get(s.id) for s in c.sources) if u],
                "sources_shown": [f"{s.id}: {s.locator}" if s.locator else s.id for s in c.sources],
            }
        )
    table.notes = [
        N_(
            "hkit core: counted core I&T money announced in those fiscal years; adjacent: money "
            "next to I&T that hkit records but leaves out of the core; beyond hkit: what the "
            "claim has beyond both (money hkit does not record, money outside I&T, or another "
            "way of counting). `hkit claims -f json` gives the words, sources and URLs."
        )
    ] + currency_note(currency)
    return table
