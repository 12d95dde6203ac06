"""The dataset cache saves time but never serves stale data."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import MINI, Invoke


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pickle"))


def test_a_changed_file_is_always_read_again(
    hkit: Invoke, write: Callable[..., Path], private_cache: Path
) -> None:
    data = write(MINI)
    first = hkit("--data", str(data), "totals", "-f", "csv")
    assert first.stdout.splitlines()[-1] == "11220000000,3,1,true"
    assert len(entries(private_cache)) == 1
    # Same size, same second: only the content differs.
    data.write_text(MINI.replace("HK$1 billion", "HK$2 billion"), encoding="utf-8")
    second = hkit("--data", str(data), "totals", "-f", "csv")
    assert second.stdout.splitlines()[-1] == "12220000000,3,1,true"
    assert len(entries(private_cache)) == 2


def test_a_broken_file_is_never_cached(
    hkit: Invoke, write: Callable[..., Path], private_cache: Path
) -> None:
    data = write(MINI.replace("kind: news", "kind: blog"))
    assert hkit("--data", str(data), "list").exit_code == 1
    assert hkit("--data", str(data), "list").exit_code == 1
    assert entries(private_cache) == []


def test_a_damaged_entry_is_ignored(
    hkit: Invoke, write: Callable[..., Path], private_cache: Path
) -> None:
    data = write(MINI)
    hkit("--data", str(data), "list")
    (entry,) = entries(private_cache)
    entry.write_bytes(b"not a pickle")
    run = hkit("--data", str(data), "totals", "-f", "csv")
    assert run.exit_code == 0
    assert run.stdout.splitlines()[-1] == "11220000000,3,1,true"


def test_no_cache_option_and_environment(
    hkit: Invoke, write: Callable[..., Path], private_cache: Path
) -> None:
    data = write(MINI)
    assert hkit("--no-cache", "--data", str(data), "list").exit_code == 0
    assert entries(private_cache) == []
    assert hkit("--data", str(data), "list", env={"HKIT_NO_CACHE": "1"}).exit_code == 0
    assert entries(private_cache) == []


def test_an_unwritable_cache_is_not_an_error(
    hkit: Invoke, write: Callable[..., Path], tmp_path: Path
) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x", encoding="utf-8")
    data = write(MINI)
    run = hkit("--data", str(data), "list", env={"HKIT_CACHE_DIR": str(blocker / "cache")})
    assert run.exit_code == 0 and run.stderr == ""


def test_entries_in_a_folder_others_can_write_are_not_trusted(
    hkit: Invoke, write: Callable[..., Path], private_cache: Path, tmp_path: Path
) -> None:
    data = write(MINI)
    hkit("--data", str(data), "list")
    (entry,) = entries(private_cache)
    # Forge the entry: a valid pickle of another dataset, under this file's key.
    elsewhere = tmp_path / "elsewhere"
    other = write(MINI.replace("HK$1 billion", "HK$5 billion"))
    hkit("--data", str(other), "list", env={"HKIT_CACHE_DIR": str(elsewhere)})
    (forged,) = entries(elsewhere)
    entry.write_bytes(forged.read_bytes())

    def total() -> str:
        return hkit("--data", str(data), "totals", "-f", "csv").stdout.splitlines()[-1]

    assert total() == "15220000000,3,1,true"  # an owner-only folder is trusted
    private_cache.chmod(0o777)
    try:
        assert total() == "11220000000,3,1,true"  # a folder others can write is not
    finally:
        private_cache.chmod(0o700)


def test_a_cache_hit_needs_neither_pydantic_nor_yaml(
    write: Callable[..., Path], private_cache: Path
) -> None:
    import os
    import subprocess
    import sys

    data = write(MINI)
    probe = (
        "import sys, runpy\n"
        "from hkit_cli.cli import base\n"
        "base._end = lambda status: None  # report below instead of ending the process\n"
        f"sys.argv = ['hkit', '--data', {str(data)!r}, 'list']\n"
        "try:\n"
        "    runpy.run_module('hkit_cli', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in ('pydantic.main', 'yaml', 'hkit_cli.reading.loader') if m in sys.modules]\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    env = {**os.environ, "HKIT_CACHE_DIR": str(private_cache)}

    def heavy() -> str:
        result = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=False
        )
        return result.stderr.strip().splitlines()[-1]

    assert heavy() == "HEAVY ['pydantic.main', 'yaml', 'hkit_cli.reading.loader']"  # a miss parses
    assert heavy() == "HEAVY []"  # a hit reads plain records


def test_records_are_read_only(hkit: Invoke, write: Callable[..., Path]) -> None:
    import pytest

    from hkit_cli.reading import cache

    dataset = cache.load(write(MINI))
    with pytest.raises(AttributeError, match="read-only"):
        dataset.initiatives[0].allocations[0].amount = 5  # type: ignore[misc]


def test_the_code_stamp_covers_every_module() -> None:
    from hkit_cli.reading import cache

    package = Path(cache.__file__).parent.parent
    stamp = cache._code_stamp().decode()
    modules = sorted(str(p) for p in package.rglob("*.py") if "__pycache__" not in p.parts)
    assert len(modules) > 25 and any("/cli/" in m for m in modules)
    for name in modules:
        assert f"|{name}:" in stamp, name
    # Touching any module (here the query layer, which the cache never imports) changes it.
    module = package / "reports" / "query.py"
    before = module.stat()
    try:
        os.utime(module, ns=(before.st_atime_ns, before.st_mtime_ns + 1))
        assert cache._code_stamp() != stamp.encode()
    finally:
        os.utime(module, ns=(before.st_atime_ns, before.st_mtime_ns))


def test_old_entries_are_pruned(
    hkit: Invoke, write: Callable[..., Path], private_cache: Path
) -> None:
    from hkit_cli.reading import cache

    for n in range(cache.KEEP + 3):
        data = write(MINI.replace("HK$1 billion", f"HK${n + 1} billion"))
        assert hkit("--data", str(data), "totals").exit_code == 0
    assert len(list(private_cache.glob("*.pickle"))) == cache.KEEP


def _ship(monkeypatch: pytest.MonkeyPatch, data: Path, shipped: Path) -> None:
    from hkit_cli.reading import cache

    monkeypatch.setattr(cache, "BUNDLED", data.resolve())
    monkeypatch.setattr(cache, "SHIPPED", shipped)
    cache.write_shipped(shipped)


def test_the_shipped_dataset_serves_a_first_run(
    hkit: Invoke, write: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from hkit_cli.reading import loader

    data = write(MINI)
    _ship(monkeypatch, data, tmp_path / "shipped")

    def no_parsing(path: Path) -> None:
        raise AssertionError("the shipped dataset should have been used")

    monkeypatch.setattr(loader, "load", no_parsing)
    run = hkit("--data", str(data), "totals", "-f", "csv")
    assert run.stdout.splitlines()[-1] == "11220000000,3,1,true"


def test_a_stale_shipped_dataset_is_never_used(
    hkit: Invoke, write: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    data = write(MINI)
    _ship(monkeypatch, data, tmp_path / "shipped")
    data.write_text(MINI.replace("HK$1 billion", "HK$2 billion"), encoding="utf-8")
    run = hkit("--data", str(data), "totals", "-f", "csv")
    assert run.stdout.splitlines()[-1] == "12220000000,3,1,true"  # validated again
    (tmp_path / "shipped").write_bytes(b"not a pickle")
    assert hkit("--data", str(data), "--no-cache", "totals").exit_code == 0


# --- Reading the data file while the command line is built --------------------------------


def test_a_prefetched_file_gives_the_same_dataset(
    write: Callable[..., Path], private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hkit_cli.reading import cache

    data, other = write(MINI), write(MINI.replace("HK$1 billion", "HK$2 billion"))
    first = cache.load(data)  # a miss: parsed, validated and stored
    cache.prefetch(other)  # a guess for another file is not used for this one
    cache.prefetch(data)
    read_here: list[Path] = []
    monkeypatch.setattr(cache, "_read_and_key", lambda path: read_here.append(path))
    assert cache.load(data) == first
    assert read_here == []  # the key came from the second thread
    assert list(cache._PREFETCHING) == [str(other)]
    monkeypatch.undo()
    assert cache.load(other) != first  # its own content, from the thread's read
    assert cache._PREFETCHING == {}


def test_a_prefetched_file_that_cannot_be_read_is_reported_as_usual(
    write: Callable[..., Path], private_cache: Path, tmp_path: Path
) -> None:
    from hkit_cli.domain.errors import DataError
    from hkit_cli.reading import cache

    missing = tmp_path / "missing.yaml"
    cache.prefetch(missing)
    with pytest.raises(DataError) as raised:
        cache.load(missing)
    assert [p.message for p in raised.value.problems] == ["file not found"]
    cache.prefetch(tmp_path)  # a folder
    with pytest.raises(DataError) as raised:
        cache.load(tmp_path)
    assert [p.message for p in raised.value.problems] == ["is a directory, not a data file"]
    assert cache._PREFETCHING == {}


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (["list", "--sector", "ai"], {}, "BUNDLED"),
        (["--data", "x.yaml", "totals"], {}, "x.yaml"),
        (["--data=x.yaml", "totals"], {}, "x.yaml"),
        (["--lang", "zh", "--data", "x.yaml", "list"], {}, "x.yaml"),
        (["--lang=zh", "list"], {"HKIT_DATA": "env.yaml"}, "env.yaml"),
        (["--data", "x.yaml", "list"], {"HKIT_DATA": "env.yaml"}, "x.yaml"),
        (["--no-cache", "list"], {}, None),
        (["validate"], {}, None),
        (["list", "--help"], {}, None),
        (["--version"], {}, None),
        (["--data"], {}, None),
        ([], {}, None),
    ],
)
def test_the_command_line_names_the_file_to_read_early(
    args: list[str], env: dict[str, str], expected: str | None
) -> None:
    from hkit_cli.cli.entry import data_file
    from hkit_cli.reading.cache import BUNDLED

    found = data_file(args, env)
    assert found == (BUNDLED if expected == "BUNDLED" else expected and Path(expected))


@pytest.mark.slow
def test_the_command_reads_early_and_answers_the_same(
    write: Callable[..., Path], private_cache: Path
) -> None:
    import subprocess
    import sys

    data = write(MINI)
    run = [sys.executable, "-m", "hkit_cli", "--data", str(data), "totals", "-f", "csv"]
    env = {**os.environ, "HKIT_CACHE_DIR": str(private_cache)}
    miss, hit = (subprocess.run(run, capture_output=True, text=True, env=env) for _ in "12")
    fresh = subprocess.run(run, capture_output=True, text=True, env={**env, "HKIT_NO_CACHE": "1"})
    assert miss.stdout == hit.stdout == fresh.stdout
    assert fresh.stdout.splitlines()[-1] == "11220000000,3,1,true"
    assert miss.stderr == hit.stderr == ""
    assert len(entries(private_cache)) == 1


# Counts each time the process opens the data file (Python's audit hook sees every open()),
# then runs the `hkit` command as the console script does.
_COUNT_OPENS = """
import os, sys
target = os.path.realpath(sys.argv[1])
def hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        if os.path.realpath(os.fsdecode(args[0])) == target:
            os.write(2, b"OPENED-DATA\\n")
sys.addaudithook(hook)
sys.argv = ["hkit", *sys.argv[2:]]
from hkit_cli.cli.entry import main
main()
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    "command",
    [
        ["totals", "--by", "year"],
        ["list"],
        ["show", "ai-institute"],
        ["export", "-f", "csv"],
        ["validate"],
        ["coverage"],
    ],
    ids=lambda c: c[0],
)
def test_each_command_opens_the_data_file_once(
    write: Callable[..., Path], tmp_path: Path, command: list[str]
) -> None:
    import subprocess
    import sys

    data = write(MINI)
    env = {**os.environ, "HKIT_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("HKIT_NO_CACHE", None)
    for state, extra in (("cold", []), ("warm", []), ("no cache", ["--no-cache"])):
        run = subprocess.run(
            [sys.executable, "-c", _COUNT_OPENS, str(data), "--data", str(data), *extra, *command],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert run.returncode == 0, run.stderr
        assert run.stderr.count("OPENED-DATA") == 1, (state, run.stderr)


@pytest.mark.slow
def test_a_file_flipping_between_versions_never_poisons_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file replaced (atomically, and rewritten in place) while cold runs read it: every
    entry the cache holds has the amounts of the bytes it is keyed by, and a run on the
    broken version always fails."""
    import pickle
    import threading

    from hkit_cli.domain.errors import DataError
    from hkit_cli.reading import cache

    versions = {
        "one": MINI.encode(),
        "two": MINI.replace("HK$1 billion", "HK$2 billion").encode(),
        "broken": MINI.replace("kind: news", "kind: blog").encode(),
    }
    totals = {"one": 11_220_000_000, "two": 12_220_000_000}
    keys = {cache._key(content): name for name, content in versions.items()}
    data = tmp_path / "data.yaml"
    data.write_bytes(versions["one"])
    stop = threading.Event()
    flipped = threading.Event()  # set after each write, so that every run sees a new one

    def flip() -> None:
        order = ["two", "broken", "one"]
        n = 0
        while not stop.is_set():
            name = order[n % 3]
            if n % 2:
                data.write_bytes(versions[name])  # in place: truncate, then write
            else:
                tmp = tmp_path / f"next{n}.yaml"
                tmp.write_bytes(versions[name])
                tmp.replace(data)  # atomically
            flipped.set()
            n += 1

    def total(dataset: Any) -> int:
        return sum(a.amount for i in dataset.initiatives for a in i.allocations if a.counted_in())

    flipper = threading.Thread(target=flip, daemon=True)
    flipper.start()
    outcomes = set()
    try:
        for run in range(60):
            flipped.wait(5)  # the flipper has written since the last run and goes on writing
            flipped.clear()
            folder = tmp_path / f"cache{run}"
            monkeypatch.setenv("HKIT_CACHE_DIR", str(folder))
            try:
                loaded = cache.load(data)
            except DataError:
                outcomes.add("refused")
                continue
            outcomes.add(total(loaded))
            for entry in folder.glob("*.pickle"):
                name = keys.get(entry.stem)
                assert name in totals, f"an entry under an unknown or broken key: {entry.stem}"
                stored = pickle.loads(entry.read_bytes())
                assert total(stored) == totals[name]
    finally:
        stop.set()
        flipper.join()
    assert outcomes <= {"refused", *totals.values()}
    assert len(outcomes) >= 2  # the file did change under the runs
