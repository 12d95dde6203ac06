"""The JSON Schema of a data file, generated from the pydantic models, for editors (completion
and inline errors while typing) and for `check-jsonschema`.

It says what the models say about shapes, keys and vocabularies, with a description for each
field. Rules across records (references, counting) stay with `hkit validate`, and the schema
accepts every file `hkit validate` accepts: an amount may be written as text
(`HK$1 billion`), a citation as a bare source id.
"""

from __future__ import annotations

import json
from typing import Any

DIALECT = "https://json-schema.org/draft/2020-12/schema"
# Where the copy kept in the repository lives, relative to the data file.
SCHEMA_PATH = "../schema/initiatives.schema.json"

# What each field means, for an editor's hover text. Models and fields not listed keep the
# title pydantic gives them.
FIELDS: dict[str, dict[str, str]] = {
    "Dataset": {
        "sectors": "The sector registry; every initiative names one primary sector from it.",
        "bodies": "The registry of lead bodies (bureaux, departments, corporations).",
        "sources": "Every document cited, with its kind; counted money must cite an official one.",
        "initiatives": "The initiatives, each with its allocations of HK$.",
        "claims": "The government's own running totals of I&T money, as it gave them.",
    },
    "Source": {
        "id": "A stable slug, cited by allocations, milestones, figures and claims.",
        "kind": "official (gov.hk, legco.gov.hk), repost, news, opinion or feature.",
        "date": "The document's date: 2026, 2026-H2, 2026-Q3, 2026-07 or 2026-07-15.",
        "url": "The address of the document, starting with https:// or http://.",
        "locator": "Where in the document, when the same for every citation.",
        "covers": "This document was read in full for that fiscal year (2025-26).",
        "title_zh": "The title of the document's Chinese version, where it has one.",
        "title_zh_translated": (
            "true when title_zh is our translation (no Chinese version, or its headline not found)."
        ),
    },
    "Initiative": {
        "id": "A stable slug; never reuse or rename it lightly.",
        "sector": "The one primary sector (a slug of the sector registry); totals use it.",
        "secondary_sectors": "Other sectors, shown with `list --sector S --secondary` only.",
        "lead_body": "The id of the body that leads it.",
        "status": "How far it has got.",
        "announced_in": 'The document that announced it, like "2025-26 Budget".',
        "announced_in_zh": (
            "The same in Traditional Chinese, where announced_in is not a Budget or a Policy "
            "Address (their Chinese names follow a rule)."
        ),
        "description": "What it does and for whom, in our own words.",
        "description_zh": "The description in Traditional Chinese, in our own words.",
        "notes": "Disagreements between sources, dating decisions, what was not found.",
    },
    "Allocation": {
        "id": "A stable slug, unique across the file.",
        "amount": "HK dollars, exact: 1000000000, HK$1 billion, HK$220 million, about HK$30 "
        "million (the word sets the qualifier).",
        "qualifier": "exact, or how the source qualifies the amount.",
        "kind": "allocation, earmark and injection count; the others are shown, never summed.",
        "fiscal_year": "The fiscal year the money counts in (April to March), like 2026-27.",
        "budget_year": "The fiscal year of the Budget that provides Policy Address money.",
        "period": "For money spread over years: two years, recurrent, every year.",
        "part_of": "The allocation id of the earlier pot this money is drawn from.",
        "applies_to": "The allocation id of the scheme a cap or private money belongs to.",
        "repeat_of": "An allocation of the same amount that this one genuinely repeats.",
        "scope": "core I&T (in the totals) or adjacent (only with --scope all).",
        "form": "spending, endowment, investment or capital (counted money only).",
        "approval": "How far LegCo has dealt with the money.",
        "spent": "An official figure of the money spent or committed to date.",
        "sources": "Source ids, or {id, locator} mappings.",
    },
    "Approval": {
        "stage": "approved (a Finance Committee item), voted (with the Estimates), pending "
        "or unknown.",
        "by": "The Finance Committee item, FCR(2018-19)38, or the Appropriation Ordinance.",
        "date": "The day it was approved, like 2018-06-08.",
        "amount": "What the item approved, where the paper says.",
        "note": "Required for pending and unknown: what was searched.",
    },
    "Spent": {
        "measure": 'What the figure counts: "spent", "committed to approved projects".',
        "as_of": "The date the figure is as of.",
    },
    "Milestone": {
        "event_zh": "The event in Traditional Chinese, in our own words.",
    },
    "Figure": {
        "metric_zh": "What is measured, in Traditional Chinese.",
        "unit_zh": "The unit in Traditional Chinese.",
    },
    "Claim": {
        "words": 'The short words of the claim, such as "nearly $200 billion".',
        "words_zh": "The same words as the Chinese version of the document gives them.",
        "words_zh_translated": (
            "True when words_zh is our own translation of the English words, because the "
            "document's Chinese version was not found; Chinese output marks it （譯文）."
        ),
        "window_from": "The first fiscal year the claim covers.",
        "window_to": "The last fiscal year the claim covers.",
        "covers": "What the claim says it counts, in our own words.",
        "covers_zh": "The same in Traditional Chinese, in our own words.",
    },
}

_AMOUNT = {
    "anyOf": [
        {"type": "integer", "minimum": 1},
        {"type": "string", "minLength": 1},
    ]
}


def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a data file."""
    from hkit_cli.reading import models

    generated = models.Dataset.model_json_schema(mode="validation")
    defs = generated.get("$defs", {})
    for name, properties in (
        (name, definition.get("properties", {})) for name, definition in defs.items()
    ):
        for field, spec in properties.items():
            if field == "amount":
                nullable = "anyOf" in spec and {"type": "null"} in spec["anyOf"]
                amount: dict[str, Any] = {"anyOf": [*_AMOUNT["anyOf"]]}
                if nullable:
                    amount["anyOf"].append({"type": "null"})
                properties[field] = {"title": spec.get("title", "Amount"), **amount}
            elif field == "sources":
                items = spec.get("items")
                if items == {"$ref": "#/$defs/Citation"}:
                    spec["items"] = {
                        "anyOf": [{"type": "string", "minLength": 1}, {"$ref": "#/$defs/Citation"}]
                    }
            described = FIELDS.get(name, {}).get(field)
            if described:
                properties[field]["description"] = described
    for field, described in FIELDS["Dataset"].items():
        generated["properties"][field]["description"] = described
    return {
        "$schema": DIALECT,
        "$id": "https://github.com/hkit/hkit/schema/initiatives.schema.json",
        "title": "hkit dataset",
        "description": "Hong Kong public funding for innovation and technology: sectors, "
        "bodies, sources, initiatives with their HK$ allocations, and claims. See CURATION.md; "
        "`hkit validate` checks what a schema cannot (references, counting).",
        **{k: v for k, v in generated.items() if k not in ("title", "description")},
    }


def schema_text() -> str:
    return json.dumps(schema(), ensure_ascii=False, indent=2) + "\n"
