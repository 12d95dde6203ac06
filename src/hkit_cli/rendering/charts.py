"""Chart files of counted money (SVG keeps text as text; PNG for slides), drawn with
matplotlib from the `report` extra; imported only when a chart is asked for."""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence
from typing import Any

from hkit_cli.domain.errors import HkitError
from hkit_cli.reports.tables import RIGHT, Table, human_cell

INSTALL_HINT = "pip install 'hkit[report]'"


def require(what: str, templates: bool = True) -> None:
    """Fail with an install hint when the optional libraries are missing (the report needs
    matplotlib and Jinja2; a chart file matplotlib alone)."""
    try:
        import matplotlib  # noqa: F401

        if templates:
            import jinja2  # noqa: F401
    except ImportError:
        needed = "the optional libraries matplotlib and jinja2" if templates else "matplotlib"
        raise HkitError(f"{what} needs {needed}", hint=INSTALL_HINT) from None


def bars(
    labels: Sequence[str], values: Sequence[int], texts: Sequence[str], title: str, fmt: str
) -> bytes:
    """Horizontal bars, largest first as given, each labelled with its amount text."""
    require("a chart file", templates=False)
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    settings: dict[str, Any] = {
        "svg.fonttype": "none",  # text stays text: searchable, selectable, translatable
        "svg.hashsalt": "hkit",  # the same data gives the same file
        "font.family": ["DejaVu Sans"],
        "font.size": 10,
    }
    with matplotlib.rc_context(settings), warnings.catch_warnings():  # type: ignore[arg-type]
        # Chinese labels: the layout is measured with a Latin font; the browser draws them.
        warnings.simplefilter("ignore")
        figure = Figure(figsize=(8, 0.38 * max(len(values), 1) + 0.9), layout="constrained")
        axes = figure.subplots()
        positions = list(range(len(values)))
        drawn = axes.barh(positions, list(values), color="#2b6cb0", height=0.7)
        axes.set_yticks(positions, list(labels))
        axes.invert_yaxis()
        axes.bar_label(drawn, labels=list(texts), padding=4)
        axes.set_xticks([])
        axes.set_xlim(0, max(values, default=0) * 1.3 or 1)
        for side in ("top", "right", "bottom"):
            axes.spines[side].set_visible(False)
        if title:
            axes.set_title(title, loc="left", fontweight="bold")
        buffer = io.BytesIO()
        metadata = {"Date": None} if fmt == "svg" else {}
        figure.savefig(buffer, format=fmt, metadata=metadata, dpi=150)
    return buffer.getvalue()


def chart(table: Table, fmt: str, title: str = "") -> bytes:
    """The bar chart of a totals table: a bar per row, labelled as people read the table."""
    label = next(c for c in table.columns if c.human and c.kind not in RIGHT)
    amount = next(c for c in table.columns if c.key == "amount_hkd")
    return bars(
        [human_cell(table, label, r) for r in table.rows],
        [r["amount_hkd"] for r in table.rows],
        [human_cell(table, amount, r) for r in table.rows],
        title,
        fmt,
    )
