"""Traditional Chinese output: the catalogue of words, documents and dates in Chinese, and
tables that never cut an id or a citation."""

from __future__ import annotations

import json
import re

import pytest

from conftest import Edit, Invoke
from hkit_cli.cli import BUNDLED_DATA
from hkit_cli.domain.dates import parse_partial_date
from hkit_cli.domain.words import zh_document


@pytest.mark.parametrize(
    ("name", "chinese"),
    [
        ("2025-26 Budget", "《2025-26年度財政預算案》"),
        ("2024 Policy Address", "《2024年施政報告》"),
        ("2017 Policy Address (January)", "《2017年施政報告》（1月）"),
        ("2022-23 Budget (enhancement)", "《2022-23年度財政預算案》（優化措施）"),
        ("Anti-epidemic Fund (2020)", None),
    ],
)
def test_documents_are_named_as_hong_kong_writes_them(name: str, chinese: str | None) -> None:
    assert zh_document(name) == chinese


@pytest.mark.parametrize(
    ("date", "chinese"),
    [
        ("2026-02-26", "2026年2月26日"),
        ("2026-H2", "2026年下半年"),
        ("2026-Q3", "2026年第三季"),
        ("2026-07", "2026年7月"),
        ("2026", "2026年"),
    ],
)
def test_dates_in_chinese(date: str, chinese: str) -> None:
    assert parse_partial_date(date).label_zh == chinese


def test_show_in_chinese_translates_the_words_of_the_data(hkit: Invoke) -> None:
    run = hkit("--lang", "zh", "show", "ai-subsidy-scheme", env={"HKIT_DATA": "", "COLUMNS": "80"})
    out = run.stdout
    expected = [
        "狀態      已推出",
        "公布於    《2024-25年度財政預算案》",
        "限定：確數",
        "類別：撥款",
        "計算在內：是",
        "形式：開支",
        "公布：30億元 · 批准：不詳",
        "2024年2月28日",
        "約30",
        "類別：官方",
        "\n撥款\n",
        "\n里程碑\n",
    ]
    for chinese in expected:
        assert chinese in out, chinese
    for english in (
        "launched",
        "公布於    2024-25",
        ": exact",
        "類別: ",
        "Allocations\n",
        "Milestones\n",
    ):
        assert english not in out, english


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("columns", ["60", "80", "120"])
def test_no_citation_is_cut_in_a_table(hkit: Invoke, lang: str, columns: str) -> None:
    """Every source id a table lists appears whole (rich once shrank a list column below
    its longest id when two wrapping columns were both wide)."""
    run = hkit(
        "--lang", lang, "timeline", "--year", "2026-27", env={"HKIT_DATA": "", "COLUMNS": columns}
    )
    assert run.exit_code == 0, run.stderr
    ids = set(re.findall(r"\bdoc-0\d\d-[a-z0-9-]+", run.stdout))
    known = set(
        re.findall(
            r"^  - id: (doc-0\d\d-\S+)$",
            open("data/initiatives.yaml", encoding="utf-8").read(),
            re.M,
        )
    )
    assert ids and ids <= known, ids - known


COMMANDS = [
    ["list"],
    ["show", "ai-subsidy-scheme"],
    ["show", "innohk-research-clusters"],
    ["totals", "--by", "year"],
    ["totals", "--by", "sector"],
    ["totals", "--by", "form"],
    ["chart"],
    ["compare", "2024-25", "2025-26"],
    ["timeline", "--year", "2026-27"],
    ["figures"],
    ["sources"],
    ["bodies"],
    ["sectors"],
    ["coverage"],
    ["progress"],
    ["claims"],
]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("columns", [60, 80, 120])
def test_no_line_is_wider_than_the_terminal(hkit: Invoke, lang: str, columns: int) -> None:
    """Every command, counted in terminal cells (a Chinese character takes two); only a line
    holding nothing but a URL may be longer."""
    from rich.cells import cell_len

    too_wide = []
    for command in COMMANDS:
        run = hkit("--lang", lang, *command, env={"HKIT_DATA": "", "COLUMNS": str(columns)})
        assert run.exit_code == 0, (command, run.stderr)
        for line in run.stdout.splitlines():
            if cell_len(line) > columns and not re.fullmatch(r"\s*https?://\S+", line):
                too_wide.append((" ".join(command), cell_len(line), line))
    assert too_wide == []


def test_citation_locators_in_chinese() -> None:
    from hkit_cli.domain.words import zh_locator

    assert zh_locator("para 39") == "第39段"
    assert zh_locator("paras 36-39") == "第36至39段"
    assert zh_locator("lines 103-105") == "第103至105行"
    assert zh_locator("item 1, part (a)(i)") == "第1項，(a)(i)部分"
    assert zh_locator("AI+ section, line 52") == "「人工智能+」部分，第52行"
    assert zh_locator("article para 3") == "文章第3段"
    assert zh_locator("para 12 (line 40)") == "第12段（第40行）"
    assert zh_locator("opening remarks, item (二)") == "開場發言，第二項"
    assert zh_locator("p. 4, the paragraph inviting approval") == "第4頁，請委員批准的一段"
    assert zh_locator("lines 75, 112 and 118") == "第75、112及118行"
    assert zh_locator("lines 103-105 and 159") == "第103至105行及第159行"
    assert zh_locator("opening remarks, 'Secondly' paragraph") == "開場發言，「Secondly」一段"
    assert zh_locator("加速「再工業化」 section, 2nd paragraph") == "加速「再工業化」部分，第2段"
    # A heading of a page with no Chinese version is quoted as it stands.
    assert zh_locator("What Is It?, paras 1-2") == "「What Is It?」部分，第1至2段"
    assert zh_locator("I&T section, paras 40-42 (exact paragraph not seen)") == (
        "創科部分，第40至42段（未見確切段落）"
    )
    assert zh_locator("para 4 (video note counted as para 1)") == "第4段（影片說明計作第1段）"
    assert zh_locator("Cyberport 5 page, para 2") == "數碼港第五期網頁，第2段"
    # Words with no Chinese here stay as written.
    assert zh_locator("Annex B, para 2") == "Annex B, 第2段"


def test_strict_validation_asks_for_every_chinese_text_once_there_is_some(
    hkit: Invoke, tmp_path
) -> None:  # type: ignore[no-untyped-def]

    text = BUNDLED_DATA.read_text(encoding="utf-8")
    dropped = text.replace("        event_zh: 研發院公司預計開始運作\n", "", 1)
    assert dropped != text
    data = tmp_path / "data.yaml"
    data.write_text(dropped, encoding="utf-8")
    run = hkit("--data", str(data), "validate", "--strict")
    assert run.exit_code == 1
    assert "initiatives[ai-rd-institute].milestones[1].event: no event_zh" in run.stderr
    assert hkit("--data", str(data), "validate").exit_code == 0  # a warning, not an error


def test_source_titles_in_chinese_say_which_are_our_translations(hkit: Invoke, tmp_path) -> None:  # type: ignore[no-untyped-def]

    data = BUNDLED_DATA
    run = hkit("--data", str(data), "--lang", "zh", "sources", env={"COLUMNS": "200"})
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()
    # The document's own Chinese title, unmarked; a title we translated, marked, and the note.
    assert re.search(r"《2024-25年度財政預算案演辭（5）》 ", run.stdout)
    assert "《國家級設施致力推動關鍵技術核心突破》（譯名） " in run.stdout
    assert lines[-1] == (
        "標有「（譯名）」的名稱或標題為本資料集自行翻譯：未找到官方中文名稱或標題，或該文件沒有中文版本。"
    )
    # A Chinese document's own headline, without the curator's English remark.
    assert "《將軍澳66億建先進製造業中心》 " in run.stdout
    assert "overseas Vancouver edition" not in run.stdout
    english = hkit("--data", str(data), "sources", env={"COLUMNS": "200"}).stdout
    assert "譯名" not in english and "國家級設施" not in english


def test_a_title_without_chinese_is_a_strict_warning_and_the_flag_takes_true_or_false(
    hkit: Invoke, tmp_path
) -> None:  # type: ignore[no-untyped-def]

    text = BUNDLED_DATA.read_text(encoding="utf-8")
    title_zh = "    title_zh: 國家級設施致力推動關鍵技術核心突破\n    title_zh_translated: true\n"
    assert title_zh in text
    data = tmp_path / "data.yaml"
    data.write_text(text.replace(title_zh, "", 1), encoding="utf-8")
    run = hkit("--data", str(data), "validate", "--strict")
    assert run.exit_code == 1
    assert "sources[doc-002-china-daily-nmic].title: no title_zh" in run.stderr
    assert "`title_zh_translated: true`" in run.stderr  # the hint says how
    assert hkit("--data", str(data), "validate").exit_code == 0  # a warning, not an error

    data.write_text(text.replace("title_zh_translated: true", "title_zh_translated: yes", 1))
    run = hkit("--data", str(data), "validate")
    assert run.exit_code == 1
    assert re.search(
        r"data\.yaml:\d+:26: sources\[[a-z0-9-]+\]\.title_zh_translated: `yes` is not true or "
        r"false \(hint: write true or false\)",
        run.stderr,
    ), run.stderr
    assert "Traceback" not in run.stderr


def test_our_chinese_names_are_marked_and_never_exported_as_official(hkit: Invoke) -> None:
    run = hkit("--lang", "zh", "show", "technology-voucher-programme", env={"COLUMNS": "80"})
    assert run.exit_code == 0, run.stderr
    assert run.stdout.splitlines()[0] == "科技券（譯名）"
    official = hkit("--lang", "zh", "show", "innovation-and-technology-fund")
    assert official.stdout.splitlines()[0] == "創新及科技基金"
    rows = json.loads(hkit("export", "--format", "json", "--all-figures").stdout)
    names = {r["id"]: r["name_zh"] for r in rows}
    assert names["technology-voucher-programme"] is None  # our label, not an official name
    assert names["innovation-and-technology-fund"] == "創新及科技基金"


def test_claims_in_chinese_quote_the_chinese_version_or_our_marked_translation(
    hkit: Invoke,
) -> None:
    run = hkit("--lang", "zh", "claims", env={"COLUMNS": "100"})
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()
    at = lines.index("budget-2019-over-100bn  約1,000億元")
    assert lines[at + 1 : at + 3] == ["  日期：2019年2月27日", "  原話：「超過一千億元」"]
    assert "  原話：「超過一千億元」（譯文）" in lines  # budget-2021: no Chinese version seen
    assert "2017-18至2019-20年度" in lines[at + 3]
    assert "本資料集根據英文原文自行翻譯" in run.stdout  # the note says what （譯文） means
    assert "（英文）" not in run.stdout
    # Machine output keeps the Chinese version's own words only.
    rows = {r["id"]: r for r in json.loads(hkit("claims", "-f", "json").stdout)}
    assert rows["budget-2019-over-100bn"]["words_zh"] == "超過一千億元"
    assert rows["budget-2021-over-100bn"]["words_zh"] is None


def test_claim_words_in_english_are_said_to_be_english(hkit: Invoke, edited: Edit) -> None:
    path, _ = edited("    words_zh: 超過一千億元\n    words_zh_translated: true\n", "")
    run = hkit("--data", str(path), "--lang", "zh", "claims", env={"COLUMNS": "100"})
    assert run.exit_code == 0, run.stderr
    assert "  原話：over $100 billion（英文）" in run.stdout.splitlines()


def test_show_in_chinese_gives_exact_amounts_in_yuan_and_other_currencies_as_converted(
    hkit: Invoke,
) -> None:
    run = hkit("--lang", "zh", "show", "co-investment-fund", env={"COLUMNS": "120"})
    assert "  金額：30,000,000,000元 · 限定：確數" in run.stdout.splitlines()
    usd = hkit(
        "--lang", "zh", "show", "co-investment-fund", "--currency", "usd", env={"COLUMNS": "120"}
    )
    assert "金額：US$3,846,153,846" in usd.stdout


def test_a_table_cell_of_chinese_and_latin_breaks_between_chinese_characters_only(
    hkit: Invoke,
) -> None:
    run = hkit("--lang", "zh", "totals", "--by", "lead-body", env={"COLUMNS": "80"})
    assert run.exit_code == 0, run.stderr
    lines = [line.strip() for line in run.stdout.splitlines()]
    at = next(i for i, line in enumerate(lines) if line.startswith("香港數碼港管理有限公司"))
    assert lines[at + 1] == "（Cyberport）"  # moved whole, never cut as `Cyberp` / `ort）`


def test_strict_validation_asks_for_a_claims_chinese_words_and_a_flags_text(
    hkit: Invoke, edited: Edit
) -> None:
    path, text = edited(
        "    words_zh: 超過一千億元\n    words_zh_translated: true\n",
        "    words_zh_translated: true\n",
    )
    line = text.splitlines().index("    words: over $100 billion") + 2  # the flag's line
    run = hkit("validate", "--strict", str(path))
    assert run.exit_code == 1
    assert f"{path}:{line}:26: warning: claims[1].words_zh_translated: " in run.stderr
    assert "words_zh_translated without words_zh (hint: give the Chinese text" in run.stderr
    assert f"{path}:{line - 1}:12: warning: claims[1].words: no words_zh" in run.stderr


def test_a_document_that_is_not_a_budget_or_address_is_named_in_chinese(
    hkit: Invoke, edited: Edit
) -> None:
    run = hkit("--lang", "zh", "show", "distance-business-programme", env={"COLUMNS": "80"})
    assert "公布於    防疫抗疫基金（2020年）" in run.stdout.splitlines()
    feature = hkit("--lang", "zh", "show", "hkust-redbird-innovation-fund")
    assert (
        "公布於    2025年贊助專題《香港：全球創新科技樞紐》（譯名）" in feature.stdout.splitlines()
    )
    assert "本資料集自行翻譯" in feature.stdout  # the note on （譯名）
    path, text = edited("    announced_in_zh: 防疫抗疫基金（2020年）\n", "")
    line = text.splitlines().index("    announced_in: Anti-epidemic Fund (2020)") + 1
    strict = hkit("validate", "--strict", str(path))
    assert strict.exit_code == 1
    assert (
        f"{path}:{line}:19: warning: initiatives[distance-business-programme].announced_in: "
        "no announced_in_zh" in strict.stderr
    )


def test_aliases_in_chinese_put_the_chinese_ones_first_and_say_the_others_are_english(
    hkit: Invoke,
) -> None:
    run = hkit("--lang", "zh", "show", "ai-subsidy-scheme", env={"COLUMNS": "80"})
    assert "別稱      AISS、AI Subsidy Scheme（英文）" in run.stdout.splitlines()
    park = hkit("--lang", "zh", "show", "hetao-hong-kong-park", env={"COLUMNS": "80"})
    lines = park.stdout.splitlines()
    at = next(i for i, x in enumerate(lines) if x.startswith("別稱"))
    assert lines[at].startswith("別稱      河套深港科技創新合作區香港園區、Hong Kong Park")
    assert lines[at + 2].endswith("HSITP（英文）")
    english = hkit("show", "ai-subsidy-scheme", env={"COLUMNS": "80"})
    assert "aliases       AISS, AI Subsidy Scheme" in english.stdout.splitlines()
