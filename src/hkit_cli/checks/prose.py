"""A pass over the Chinese prose: once a dataset writes any of it, every initiative, milestone,
figure and claim should have its Chinese text, and every source whose title is not Chinese a
Chinese title, so that Chinese output is Chinese throughout. A flag that marks Chinese text as
our translation needs that text."""

from __future__ import annotations

from collections.abc import Iterator

from hkit_cli.checks.findings import Finding, Index
from hkit_cli.domain.textrules import has_han
from hkit_cli.domain.words import zh_document


def chinese_prose(ix: Index) -> Iterator[Finding]:
    """Warn where a description, an event, a metric or a unit has no Chinese text, in a dataset
    that has some (an English-only dataset is not asked for any)."""
    initiatives = ix.parsed.initiatives
    started = any(
        x.description_zh
        or any(m.event_zh for m in x.milestones)
        or any(f.metric_zh for f in x.figures)
        for _, x in initiatives
    )
    if not started:
        return
    hint = "write it in Traditional Chinese, in our own words (CURATION.md, Chinese)"
    name_hint = (
        "give its official Chinese name, or our own label with `name_zh_translated: true` "
        "(CURATION.md, Citing)"
    )
    flag_hint = "give the Chinese text, or drop the flag"
    document_hint = (
        "name the document in Chinese; a Budget or Policy Address written like "
        '"2025-26 Budget" or "2024 Policy Address" needs none'
    )
    for i, initiative in initiatives:
        base = ("initiatives", i)
        if not initiative.name_zh:
            yield Finding(base + ("name",), "no name_zh", name_hint, "warning")
            if initiative.name_zh_translated:
                flag = base + ("name_zh_translated",)
                yield Finding(flag, "name_zh_translated without name_zh", flag_hint, "warning")
        if not initiative.description_zh:
            yield Finding(base + ("description",), "no description_zh", hint, "warning")
        if not initiative.announced_in_zh and zh_document(initiative.announced_in) is None:
            yield Finding(base + ("announced_in",), "no announced_in_zh", document_hint, "warning")
        for j, milestone in enumerate(initiative.milestones):
            if not milestone.event_zh:
                yield Finding(base + ("milestones", j, "event"), "no event_zh", hint, "warning")
        for j, figure in enumerate(initiative.figures):
            for name, value in (("metric", figure.metric_zh), ("unit", figure.unit_zh)):
                if not value:
                    loc = base + ("figures", j, name)
                    yield Finding(loc, f"no {name}_zh", hint, "warning")
    title_hint = (
        "give the title of the document's Chinese version, or translate the title and add "
        "`title_zh_translated: true` (CURATION.md, Chinese)"
    )
    for i, source in ix.parsed.sources:
        if not source.title_zh and not has_han(source.title):
            yield Finding(("sources", i, "title"), "no title_zh", title_hint, "warning")
        if not source.title_zh and source.title_zh_translated:
            where = ("sources", i, "title_zh_translated")
            yield Finding(where, "title_zh_translated without title_zh", flag_hint, "warning")
    words_hint = (
        "give the words as the document's Chinese version has them (cite it), or translate "
        "them and add `words_zh_translated: true` (CURATION.md, Claims)"
    )
    for k, claim in ix.parsed.claims:
        if not claim.words_zh:
            yield Finding(("claims", k, "words"), "no words_zh", words_hint, "warning")
            if claim.words_zh_translated:
                where = ("claims", k, "words_zh_translated")
                yield Finding(where, "words_zh_translated without words_zh", flag_hint, "warning")
        if not claim.covers_zh:
            yield Finding(("claims", k, "covers"), "no covers_zh", hint, "warning")
