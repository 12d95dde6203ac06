"""The bare baseline for `hkit totals --by year`: load with CSafeLoader, sum the counted amounts.

The cyclic garbage collector is paused while loading, as hkit does: what is measured is the
parser and the sum, not the collector walking a growing heap.

Run in a fresh interpreter, as hkit runs in a fresh process: ``python baseline_load.py FILE``.
It does no validation at all; it prints {"by_year": {...}, "total": N} as JSON.
"""

import gc
import json
import re
import sys
from decimal import Decimal

import yaml

AMOUNT = re.compile(
    r"^(?:about|over|up to|nearly|at least)?\s*(?:HK)?\$?([\d,]+(?:\.\d+)?)\s*(billion|million)?$"
)
SCALE = {"billion": 10**9, "million": 10**6, None: 1}


def hkd(value: object) -> int:
    if isinstance(value, int):
        return value
    match = AMOUNT.match(str(value).strip())
    if match is None:
        raise SystemExit(f"not an amount: {value!r}")
    number, scale = match.groups()
    return int(Decimal(number.replace(",", "")) * SCALE[scale])


gc.disable()
with open(sys.argv[1], encoding="utf-8") as f:
    data = yaml.load(f, Loader=yaml.CSafeLoader)
by_year: dict[str, int] = {}
for initiative in data["initiatives"]:
    for allocation in initiative.get("allocations", []):
        if allocation["kind"] in ("allocation", "earmark", "injection") and not allocation.get(
            "part_of"
        ):
            year = allocation["fiscal_year"]
            by_year[year] = by_year.get(year, 0) + hkd(allocation["amount"])
print(json.dumps({"by_year": dict(sorted(by_year.items())), "total": sum(by_year.values())}))
