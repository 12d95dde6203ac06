"""Each report as one Table, built once: ``core`` holds the Table and how its cells read,
``money`` the tables of counted money, ``registry`` those of records and registries."""

from hkit_cli.reports.tables.core import RIGHT, UNSPLIT, Column, Report, Table, human_cell, single
from hkit_cli.reports.tables.money import (
    EXPORT_COLUMNS,
    allocations,
    claims,
    comparison,
    grand_total,
    initiatives,
    pivot,
    progress,
    totals,
)
from hkit_cli.reports.tables.registry import (
    bodies,
    coverage,
    diff,
    figures,
    initiative,
    problems,
    sectors,
    sources,
    timeline,
)

__all__ = [
    "EXPORT_COLUMNS",
    "RIGHT",
    "UNSPLIT",
    "Column",
    "Report",
    "Table",
    "allocations",
    "claims",
    "bodies",
    "comparison",
    "coverage",
    "diff",
    "figures",
    "grand_total",
    "human_cell",
    "initiative",
    "initiatives",
    "pivot",
    "problems",
    "progress",
    "sectors",
    "single",
    "sources",
    "timeline",
    "totals",
]
