"""The message catalogue: every interface word has its Traditional Chinese, and Chinese output
shows no English interface word."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from conftest import Invoke
from hkit_cli.domain.messages import N_, Msg, Plural
from hkit_cli.reading import catalogue
from test_chinese import COMMANDS

ROOT = Path(__file__).resolve().parent.parent


def _script():  # scripts/catalogue.py, which needs Babel (a test dependency)
    pytest.importorskip("babel")
    spec = importlib.util.spec_from_file_location("catalogue_script", ROOT / "scripts/catalogue.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_the_catalogue_holds_every_marked_word_in_traditional_chinese() -> None:
    """Every word the code marks and every vocabulary word of the data has a Chinese entry
    with the same placeholders and no Simplified character; no entry is left unused; the
    compiled hkit.mo is the hkit.po beside it."""
    assert _script().problems() == []


def test_the_check_finds_what_is_wrong(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = _script()
    po = tmp_path / "hkit.po"
    text = script.PO.read_text(encoding="utf-8")
    text = text.replace('msgstr "（沒有）"', 'msgstr ""', 1)
    text = text.replace('msgstr "撥款"', 'msgstr "拨款"', 1)
    text = text.replace(
        'msgstr "{id} 的批准（整理者備註，英文）：{note}"', 'msgstr "{id} 的批准"', 1
    )
    po.write_text(text, encoding="utf-8")
    monkeypatch.setattr(script, "PO", po)
    monkeypatch.setattr(script, "MO", tmp_path / "hkit.mo")
    found = script.problems()
    assert "untranslated: '(none)'" in found
    assert "Simplified character 拨 in '拨款'" in found
    assert any(p.startswith("placeholders differ: 'Approval of {id}: {note}'") for p in found)
    assert found[-1].startswith("hkit.mo is out of date")


def test_a_message_is_english_text_that_can_be_said_in_chinese() -> None:
    one = Plural(
        "≈ includes {n} approximate allocation", "≈ includes {n} approximate allocations", 1
    )
    many = Plural(
        "≈ includes {n} approximate allocation", "≈ includes {n} approximate allocations", 3
    )
    assert (one, many) == (
        "≈ includes 1 approximate allocation",
        "≈ includes 3 approximate allocations",
    )
    assert catalogue.say("zh", many) == "約：包括 3 項約數撥款"
    assert catalogue.say("en", many) == many
    nested = Msg("{by}: counted government money", by=Msg(N_("Fiscal year")))
    assert nested == "Fiscal year: counted government money"
    assert catalogue.say("zh", nested) == "財政年度：計算在內的政府撥款"
    # A vocabulary word in its context; a word the catalogue does not hold stays as it is.
    assert catalogue.say("zh", "approved", "status") == "已獲批准"
    assert catalogue.say("zh", "approved", "approval stage") == "已獲財委會批准"
    assert catalogue.say("zh", "HKSTPC") == "HKSTPC"
    assert catalogue.lookup("zh", "HKSTPC") is None


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_chinese_output_says_every_interface_word_in_chinese(
    hkit: Invoke, command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every heading, title, note and word that a command says in Chinese is in the catalogue
    (``say`` looks a word up without a context when its context does not hold it)."""
    missing: list[str] = []
    lookup = catalogue.lookup

    def recording(lang: str, text: str, context: str | None = None) -> str | None:
        found = lookup(lang, text, context)
        if found is None and context is None and lang == "zh":
            missing.append(str(text))
        return found

    monkeypatch.setattr(catalogue, "lookup", recording)
    run = hkit("--lang", "zh", *command, env={"HKIT_DATA": "", "COLUMNS": "120"})
    assert run.exit_code == 0, run.stderr
    assert missing == []


def test_every_period_in_the_shipped_data_has_its_chinese() -> None:
    """Periods are values of the data that people read; the catalogue holds each one."""
    from hkit_cli.cli import BUNDLED_DATA
    from hkit_cli.reading.loader import load

    periods = {a.period for i in load(BUNDLED_DATA).initiatives for a in i.allocations if a.period}
    assert periods
    assert {p for p in periods if catalogue.lookup("zh", p, "period") is None} == set()


def test_finance_committee_items_in_words_and_spending_measures_have_their_chinese(
    hkit: Invoke,
) -> None:
    """A LegCo item given in words, and what a figure of spending counts, are read in `show`;
    in Chinese they are Chinese, with Chinese dates and a full-width colon."""
    from hkit_cli.cli import BUNDLED_DATA
    from hkit_cli.reading.loader import load

    allocations = [a for i in load(BUNDLED_DATA).initiatives for a in i.allocations]
    worded = {a.approval.by for a in allocations if a.approval and a.approval.by}
    worded = {by for by in worded if not by.startswith("FCR(")}
    measures = {a.spent.measure for a in allocations if a.spent}
    assert worded and measures
    assert {b for b in worded if catalogue.lookup("zh", b, "approved by") is None} == set()
    assert {m for m in measures if catalogue.lookup("zh", m, "spent measure") is None} == set()
    run = hkit("--lang", "zh", "show", "raise-plus", env={"COLUMNS": "80"})
    assert run.exit_code == 0, run.stderr
    assert (
        "  立法會項目：財務委員會，2023年（未找到項目編號及日期） · 批准日期：2023年" in run.stdout
    )
    assert "  已用或已承擔：超過20億元（分兩批批出49個項目），截至2025年6月17日" in run.stdout
    english = hkit("show", "raise-plus", env={"COLUMNS": "120"}).stdout
    assert "over HK$2.0bn approved for 49 projects in two batches, as of 2025-06-17" in english


def test_the_chinese_report_names_sources_and_stages_in_chinese(
    tmp_path: Path, hkit: Invoke
) -> None:
    pytest.importorskip("jinja2")
    pytest.importorskip("matplotlib")
    out = tmp_path / "report.html"
    run = hkit("--lang", "zh", "report", "-o", str(out), env={"HKIT_DATA": ""})
    assert run.exit_code == 0, run.stderr
    page = out.read_text(encoding="utf-8")
    # A stage not recorded, an official publisher, a source's kind and date, a curator's note.
    assert "未有記錄" in page and ">not recorded<" not in page
    assert "香港特區政府財政司司長" in page and "Financial Secretary, HKSAR Government<" not in page
    assert "（官方）" in page and "</bdi>, " not in page
    assert "2026年2月25日" in page
    assert "備註（整理者原文，英文）：" in page


# Publishers whose name has no Chinese form: shown as they are in Chinese output.
NAMES_WITHOUT_CHINESE = {
    "AsianInvestor",
    "GMT8 Press",
    "Hong Kong Business",
    "RabbitHK",
    "am730",
    "bau.com.hk",
    "fintechranking.com",
    "hksar.org",
    "hongkongenterprises.com",
    "unwire.pro",
}


def test_every_publisher_of_the_shipped_data_has_its_chinese_name() -> None:
    from hkit_cli.cli import BUNDLED_DATA
    from hkit_cli.domain.textrules import has_han
    from hkit_cli.reading.catalogue import lookup
    from hkit_cli.reading.loader import loads

    dataset = loads(BUNDLED_DATA.read_text(encoding="utf-8"), "initiatives.yaml")
    missing = sorted(
        s.publisher
        for s in dataset.sources
        if not has_han(s.publisher)
        and lookup("zh", s.publisher, "publisher") is None
        and s.publisher not in NAMES_WITHOUT_CHINESE
    )
    assert missing == []
