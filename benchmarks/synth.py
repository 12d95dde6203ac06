"""Synthetic hkit datasets in the real schema (CURATION.md), reproducible from a seed."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from hkit_cli.domain.vocab import STATUSES

SECTORS = (
    ("ai", "Artificial intelligence", "人工智能"),
    ("microelectronics", "Microelectronics and semiconductors", "微電子及半導體"),
    ("life-health", "Life and health technology", "生命健康科技"),
    ("new-industrialisation", "New industrialisation and advanced manufacturing", "新型工業化"),
    ("digital-government", "Digital government and digital economy", "數字政府及數字經濟"),
    ("research", "Research and research commercialisation", "科研及成果轉化"),
    ("start-ups-venture", "Start-ups and venture capital", "初創企業及創投"),
    ("infrastructure", "I&T parks, land and infrastructure", "創科園區、土地及基建"),
    ("talent", "I&T talent and education", "創科人才及教育"),
    ("web3-fintech", "Web3 and fintech", "Web3及金融科技"),
    ("aerospace", "Aerospace and low-altitude economy", "航空航天及低空經濟"),
)
SLUGS = tuple(s[0] for s in SECTORS)

PUBLISHERS = (
    ("Financial Secretary, HKSAR Government", "official", "https://www.budget.gov.hk/{y}/eng/"),
    ("Chief Executive, HKSAR Government", "official", "https://www.policyaddress.gov.hk/{y}/"),
    ("Information Services Department", "official", "https://www.info.gov.hk/gia/{y}/"),
    ("Innovation, Technology and Industry Bureau", "official", "https://www.itib.gov.hk/{y}/"),
    ("China Daily", "news", "https://www.chinadaily.com.cn/hk/{y}/"),
    ("South China Morning Post", "news", "https://www.scmp.com/news/hong-kong/{y}/"),
    ("Ming Pao", "news", "https://news.mingpao.com/{y}/"),
    ("DotDotNews", "opinion", "https://www.dotdotnews.com/{y}/"),
    ("The Standard", "repost", "https://www.thestandard.com.hk/{y}/"),
    ("Sponsored feature", "feature", ""),
)
ADJECTIVES = (
    "Smart", "Advanced", "Strategic", "Frontier", "Green", "Digital", "Applied", "Open",
    "Regional", "Industrial", "Clinical", "Quantum", "Low-altitude", "Secure", "Shared",
)  # fmt: skip
TOPICS = (
    ("Robotics", "機械人"), ("Chip Design", "芯片設計"), ("Drug Discovery", "藥物研發"),
    ("Data Centre", "數據中心"), ("Computing Power", "算力"), ("Biotech", "生物科技"),
    ("Materials", "新材料"), ("Fintech", "金融科技"), ("Satellite", "衞星"),
    ("Mobility", "智慧出行"), ("Health Data", "醫療數據"), ("Energy Storage", "儲能"),
    ("Manufacturing", "先進製造"), ("Talent", "人才"), ("Incubation", "培育"),
)  # fmt: skip
TYPES = (
    ("Fund", "基金"), ("Scheme", "計劃"), ("Programme", "項目"), ("Institute", "研究院"),
    ("Centre", "中心"), ("Platform", "平台"), ("Subsidy", "資助"), ("Park", "園區"),
)  # fmt: skip
BODIES = (
    ("itc", "Innovation and Technology Commission", "創新科技署", "ITC"),
    ("dpo", "Digital Policy Office", "數字政策辦公室", "DPO"),
    ("itib", "Innovation, Technology and Industry Bureau", "創新科技及工業局", "ITIB"),
    ("hkstp", "Hong Kong Science and Technology Parks Corporation", "香港科技園公司", "HKSTP"),
    ("cyberport", "Hong Kong Cyberport Management Company Limited", "香港數碼港", "Cyberport"),
    ("rgc", "Research Grants Council", "研究資助局", "RGC"),
    ("hkic", "Hong Kong Investment Corporation Limited", "香港投資管理有限公司", "HKIC"),
    ("devb", "Development Bureau", "發展局", "DEVB"),
)
METRICS = (
    ("applications approved", "applications"),
    ("projects funded", "projects"),
    ("companies admitted", "companies"),
    ("researchers hired", "people"),
    ("computing power", "petaflops"),
)
EVENTS = (
    "Applications open",
    "Funding approved by the Finance Committee",
    "First projects approved",
    "Company due to start operating",
    "Review of the scheme published",
)
QUALIFIER_WORDS = {"about": "about", "over": "over", "nearly": "nearly", "up-to": "up to"}
COUNTED = ("allocation", "earmark", "injection")


def fiscal_year(start: int) -> str:
    return f"{start}-{(start + 1) % 100:02d}"


def amount_text(rng: random.Random, amount: int) -> str:
    """The amount written as a curator would: HK$1.5 billion, HK$220 million, 1000000000."""
    style = rng.random()
    if style < 0.08:
        return str(amount)
    prefix = "$" if style < 0.12 else "HK$"
    if amount >= 1_000_000_000 and amount % 10_000_000 == 0:
        text = f"{amount / 1_000_000_000:.2f}".rstrip("0").rstrip(".")
        return f"{prefix}{text} billion"
    if amount >= 1_000_000 and amount % 100_000 == 0:
        text = f"{amount / 1_000_000:.1f}".rstrip("0").rstrip(".")
        return f"{prefix}{text} million"
    return f"{prefix}{amount:,}"


def big_amount(rng: random.Random) -> int:
    if rng.random() < 0.4:
        return rng.choice((1, 2, 3, 5, 10, 15, 20, 25, 28, 50, 100, 150, 284)) * 10_000_000 * 10
    return rng.randrange(1, 1000) * 1_000_000


@dataclass
class Generated:
    """A generated dataset's text and where one amount sits, to break it on purpose."""

    lines: list[str]
    initiatives: int
    allocations: int = 0
    counted: int = 0
    counted_total: int = 0
    by_year: dict[str, int] = field(default_factory=dict)
    # 1-based line of the first amount of the initiative three from the end, and the path a
    # problem there is reported at (records are named by their ids).
    probe_line: int = 0
    probe_path: str = ""

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def broken_text(self) -> str:
        """The same dataset with one amount that is not an amount ("HK$1O million")."""
        lines = list(self.lines)
        indent = lines[self.probe_line - 1].split("amount:")[0]
        lines[self.probe_line - 1] = f"{indent}amount: HK$1O million"
        return "\n".join(lines) + "\n"


def generate(initiatives: int, seed: int = 20260226) -> Generated:
    """A valid dataset of ``initiatives`` initiatives with 1-3 allocations each."""
    rng = random.Random(seed)
    out: list[str] = [
        f"# Synthetic hkit dataset: {initiatives} initiatives, seed {seed}.",
        "# Generated by benchmarks/synth.py for benchmarking; the facts are not real.",
        "",
        "sectors:",
    ]
    for slug, name, name_zh in SECTORS:
        out += [f"  - slug: {slug}", f"    name: {name}", f"    name_zh: {name_zh}"]
    out += ["", "bodies:"]
    for ident, name, name_zh, abbreviation in BODIES:
        out += [f"  - id: {ident}", f"    name: {name}", f"    name_zh: {name_zh}"]
        out += [f"    abbreviation: {abbreviation}"]
    out += ["", "sources:"]
    source_ids: list[str] = []
    official_ids: list[str] = []
    for k in range(max(20, initiatives // 10)):
        # The first source is official, so counted money always has one to cite.
        publisher, kind, url = PUBLISHERS[0] if k == 0 else rng.choice(PUBLISHERS)
        issued = rng.randrange(2015, 2027)
        ident = f"src-{k:06d}-{kind}-{issued}"
        source_ids.append(ident)
        if kind == "official":
            official_ids.append(ident)
        month, day = rng.randrange(1, 13), rng.randrange(1, 29)
        date = rng.choice(
            (f'"{issued}"', f"{issued}-{month:02d}", f"{issued}-{month:02d}-{day:02d}")
        )
        out += [
            f"  - id: {ident}",
            f'    title: "{rng.choice(TOPICS)[0]} measures in the {issued} document no. {k}"',
            f"    publisher: {publisher}",
            f"    date: {date}",
            f"    kind: {kind}",
        ]
        if url:
            out.append(f"    url: {url.format(y=issued)}{k}.html")
        if rng.random() < 0.3:
            out.append(f"    locator: paras {k % 90 + 1}-{k % 90 + 4}")
        if rng.random() < 0.1:
            out.append(f"    file: {k:03d}_{rng.getrandbits(64):016x}.txt")
    out += ["", "initiatives:"]

    result = Generated(out, initiatives)
    # Recent earmarks that later allocations may draw from (part_of): [id, amount still free].
    pots: list[tuple[str, int]] = []

    def cite(indent: str, key: str = "sources", official: bool = False) -> None:
        chosen = rng.sample(source_ids, rng.choice((1, 1, 2, 3)))
        if official:
            # Counted money must cite an official text with a locator.
            first = rng.choice(official_ids)
            chosen = [c for c in chosen if c != first]
            out.append(f"{indent}{key}:")
            out.append(f'{indent}  - {{id: {first}, locator: "para {rng.randrange(1, 300)}"}}')
            for ident in chosen:
                out.append(f"{indent}  - {ident}")
            return
        style = rng.random()
        if style < 0.3:
            out.append(f"{indent}{key}: [{', '.join(chosen)}]")
            return
        out.append(f"{indent}{key}:")
        for ident in chosen:
            where = rng.random()
            if where < 0.4:
                out.append(f"{indent}  - {ident}")
            elif where < 0.85:
                loc = rng.choice(("para", "paras", "line", "section"))
                out.append(f'{indent}  - {{id: {ident}, locator: "{loc} {rng.randrange(1, 300)}"}}')
            else:
                out.append(f"{indent}  - id: {ident}")
                out.append(f"{indent}    locator: para {rng.randrange(9)}")

    def allocation(
        ident: str,
        amount: int,
        kind: str,
        year: str | None,
        link: tuple[str, str] | None = None,
        probe: bool = False,
    ) -> None:
        qualifier = rng.choice(("exact",) * 6 + ("about", "over", "up-to", "nearly", "at-least"))
        text = amount_text(rng, amount)
        out.append(f"      - id: {ident}")
        if probe:
            result.probe_line = len(out) + 1
        if qualifier in QUALIFIER_WORDS and rng.random() < 0.5:
            out.append(f"        amount: {QUALIFIER_WORDS[qualifier]} {text}")
        else:
            out.append(f"        amount: {text}")
            if qualifier != "exact" or rng.random() < 0.1:
                out.append(f"        qualifier: {qualifier}")
        out.append(f"        kind: {kind}")
        if year is not None:
            out.append(f"        fiscal_year: {year}")
        if link is not None:
            out.append(f"        {link[0]}: {link[1]}")
        if rng.random() < 0.15:
            out.append(f"        period: {rng.choice(('two', 'three', 'five'))} years")
        if rng.random() < 0.2:
            out.append("        note: Shown as the source words it; see the initiative's notes.")
        cite("        ", official=kind in COUNTED and (link is None or link[0] != "part_of"))
        result.allocations += 1
        if kind in COUNTED and (link is None or link[0] != "part_of"):
            assert year is not None
            result.counted += 1
            result.counted_total += amount
            result.by_year[year] = result.by_year.get(year, 0) + amount

    for i in range(initiatives):
        adjective = rng.choice(ADJECTIVES)
        topic, topic_zh = rng.choice(TOPICS)
        kind_en, kind_zh = rng.choice(TYPES)
        ident = f"{adjective}-{topic}-{kind_en}-{i:06d}".lower().replace(" ", "-")
        budget_year = rng.randrange(2015, 2027)
        year = fiscal_year(budget_year)
        out += [
            f"  - id: {ident}",
            f"    name: {adjective} {topic} {kind_en} No. {i}",
            f"    name_zh: {topic_zh}{kind_zh}（第{i}號）",
        ]
        if rng.random() < 0.2:
            out.append(f"    aliases: [{topic} {kind_en} {i}]")
        out.append(f"    sector: {rng.choice(SLUGS)}")
        if rng.random() < 0.3:
            out.append(f"    secondary_sectors: [{', '.join(rng.sample(SLUGS, 2))}]")
        policy = rng.random() < 0.3
        out += [
            f"    lead_body: {rng.choice(BODIES)[0]}",
            f"    status: {rng.choice(STATUSES)}",
            f"    announced_in: {budget_year} Policy Address"
            if policy
            else f"    announced_in: {year} Budget",
            "    description: >-",
            f"      Supports {topic.lower()} work in Hong Kong with money for universities,",
            f"      research bodies and companies; run by {rng.choice(BODIES)[1]} (record {i}).",
        ]
        if rng.random() < 0.2:
            out += [
                "    notes: >-",
                "      Sources disagree on the year; the official text's year is recorded here.",
            ]
        if rng.random() < 0.5:
            cite("    ")
        out.append("    allocations:")
        first = f"{ident}-a1"
        first_amount = big_amount(rng)
        first_kind = rng.choice(("allocation",) * 3 + ("earmark", "earmark", "injection"))
        allocation(first, first_amount, first_kind, year, probe=(i == initiatives - 3))
        if first_kind == "earmark" and first_amount >= 100_000_000:
            pots.append((first, first_amount))
        for n in range(2, rng.choice((1, 1, 2, 2, 3)) + 1):
            which = rng.random()
            sub = f"{ident}-a{n}"
            if which < 0.25:
                cap = min(first_amount, rng.choice((250_000, 1_000_000, 5_000_000, 20_000_000)))
                allocation(sub, cap, "per-recipient-cap", None, ("applies_to", first))
            elif which < 0.4:
                allocation(sub, first_amount * 2, "private-investment", None, ("applies_to", first))
            elif which < 0.5:
                allocation(sub, first_amount * 3, "project-total", year, ("applies_to", first))
            elif which < 0.55:
                allocation(sub, rng.randrange(1, 50) * 1_000_000, "non-government", None)
            elif which < 0.75 and pots:
                k = len(pots) - 1 - rng.randrange(min(64, len(pots)))
                pot, free = pots[k]
                part = min(free, rng.randrange(1, 100) * 1_000_000)
                if free - part < 1_000_000:
                    pots.pop(k)
                else:
                    pots[k] = (pot, free - part)
                allocation(sub, part, "allocation", year, ("part_of", pot))
            else:
                later = fiscal_year(min(budget_year + 1, 2026))
                allocation(sub, rng.randrange(1, 90) * 1_000_000, "allocation", later)
        if rng.random() < 0.5:
            out.append("    milestones:")
            for _ in range(rng.choice((1, 1, 2, 3))):
                y = budget_year + rng.randrange(0, 3)
                date = rng.choice(
                    (str(y), f"{y}-H{rng.randrange(1, 3)}", f"{y}-Q{rng.randrange(1, 5)}",
                     f"{y}-{rng.randrange(1, 13):02d}", f"{y}-{rng.randrange(1, 13):02d}-15")
                )  # fmt: skip
                out += [f"      - date: {date}", f"        event: {rng.choice(EVENTS)}"]
                cite("        ")
        if rng.random() < 0.3:
            out.append("    figures:")
            for _ in range(rng.choice((1, 2))):
                metric, unit = rng.choice(METRICS)
                value = rng.choice(("30", "5000", "2.5", "120", "16"))
                out += [
                    f"      - metric: {metric}",
                    f"        value: {value}",
                    f"        unit: {unit}",
                ]
                if rng.random() < 0.5:
                    out.append("        qualifier: about")
                if rng.random() < 0.7:
                    out.append(f"        as_of: {budget_year + 1}-{rng.randrange(1, 13):02d}")
                cite("        ")
        if i == initiatives - 3:
            result.probe_path = f"initiatives[{ident}].allocations[{first}].amount"
    return result


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


if __name__ == "__main__":  # pragma: no cover - a manual helper
    import sys

    size = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    sys.stdout.write(generate(size).text)
