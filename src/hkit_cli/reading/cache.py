"""A cache of validated datasets keyed by the file's exact content, so repeated commands start fast.

A data file is always read and hashed; only parsing and validation are skipped, and only when a
dataset with the same content hash (and the same hkit code) was validated before. A changed file
therefore can never be served from the cache. Files with problems are never cached.
"""

from __future__ import annotations

import os
import pickle
import stat
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

try:  # CPython's BLAKE2, without loading OpenSSL as `import hashlib` does (a few ms per run)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - another Python
    from hashlib import blake2b

if TYPE_CHECKING:
    from hkit_cli.domain.records import Dataset

KEEP = 8  # entries kept; older ones are removed when a new one is written

# The bundled dataset, validated when the package was built, so that a new user's first
# command needs neither pydantic nor the YAML parser. It is used only when its key (the
# data's content and the source of every module) matches; otherwise the data is validated.
PACKAGE = Path(__file__).resolve().parent.parent
BUNDLED = PACKAGE / "data" / "initiatives.yaml"
SHIPPED = PACKAGE / "data" / "initiatives.validated"


def cache_dir() -> Path:
    configured = os.environ.get("HKIT_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "hkit"


def enabled() -> bool:
    return os.environ.get("HKIT_NO_CACHE", "") in ("", "0")


def _modules() -> list[tuple[str, os.DirEntry[str]]]:
    """Every module of the package and its subpackages, as (path inside the package, entry),
    in a fixed order: what both cache keys depend on besides the data."""
    found: list[tuple[str, os.DirEntry[str]]] = []
    folders = [("", str(PACKAGE))]
    while folders:
        prefix, folder = folders.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name.endswith(".py"):
                found.append((prefix + entry.name, entry))
            elif entry.is_dir() and entry.name not in ("__pycache__", "data", "templates"):
                folders.append((f"{prefix}{entry.name}/", entry.path))
    return found


def _code_stamp() -> bytes:
    """What a cached dataset depends on besides the data: hkit's version, Python's, and every
    module (path, size and modification time), so that any edit of the code, in an editable
    install too, makes earlier entries unreachable."""
    from hkit_cli.version import __version__

    stamp = [__version__, sys.version]
    for _, entry in _modules():
        try:
            info = entry.stat()
            stamp.append(f"{entry.path}:{info.st_size}:{info.st_mtime_ns}")
        except OSError:
            stamp.append(f"{entry.path}:missing")
    return "|".join(stamp).encode()


def load(path: Path, use_cache: bool = True, keep: list[object] | None = None) -> Dataset:
    """The validated dataset in ``path``, from the cache when its content was seen before.

    The file is opened and read once. The bytes that were read are hashed for the key, and
    the same bytes are validated, so an entry always holds the dataset of the bytes it is
    keyed by, however the file changes meanwhile. ``keep``: see loader.loads.
    """
    file = str(path)
    found = _prefetched(path) if use_cache and enabled() else None
    if found is None:
        content = _read(path, file)
        if not use_cache or not enabled():
            return _parse(content, file, store=False, keep=keep)
        key = _key(content)
    else:
        content, key = found
    folder = cache_dir()
    entry = folder / f"{key}.pickle"
    cached = _entry(entry)
    if cached is not None:
        return cached
    dataset = _shipped(path, content)
    if dataset is None:
        dataset = _parse(content, file, store=True, keep=keep)
    _write(folder, entry, dataset)
    return dataset


def _read(path: Path, file: str) -> bytes:
    """The file's bytes, read once; DataError (missing, unreadable, too large) otherwise."""
    from hkit_cli.domain.errors import DataError
    from hkit_cli.reading.textfile import read_bytes

    content, problem = read_bytes(path, file)
    if content is None:
        raise DataError(file, [problem] if problem else [])
    return content


def _key(content: bytes) -> str:
    """The cache key of a file's content: the content and hkit's code."""
    digest = blake2b(_code_stamp() + b"\0", digest_size=32)
    digest.update(content)  # not concatenated: that would copy a large file once more
    return digest.hexdigest()


def _read_and_key(path: Path) -> tuple[bytes, str] | None:
    """The content of a regular file of a sensible size and its cache key, or None (then
    load() reads the file itself and says what is wrong)."""
    from hkit_cli.domain.vocab import MAX_BYTES

    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
            return None
        with path.open("rb") as handle:
            content = handle.read(MAX_BYTES + 1)
    except OSError:
        return None
    if len(content) > MAX_BYTES:
        return None
    return content, _key(content)


# Files being read and hashed on a second thread (see prefetch), by path.
_PREFETCHING: dict[str, tuple[threading.Thread, list[tuple[bytes, str] | None]]] = {}


def prefetch(path: Path) -> None:
    """Start reading and hashing ``path`` on a second thread.

    The `hkit` command starts this before it imports typer and rich, which takes longer than
    reading and hashing even a large file; both release the interpreter's lock, so the work
    is done on the other core, and a cache hit finds the key ready. load() uses the result
    only for the same path; the content hashed is the content used.
    """
    found: list[tuple[bytes, str] | None] = []

    def work() -> None:
        try:
            found.append(_read_and_key(path))
        except Exception:  # pragma: no cover - load() reads the file itself and reports
            pass

    worker = threading.Thread(target=work, name="hkit-prefetch", daemon=True)
    worker.start()
    _PREFETCHING[os.fspath(path)] = (worker, found)


def _prefetched(path: Path) -> tuple[bytes, str] | None:
    started = _PREFETCHING.pop(os.fspath(path), None)
    if started is None:
        return None
    worker, found = started
    worker.join()
    return found[0] if found else None


def shipped_key(content: bytes) -> bytes:
    """What the shipped dataset is valid for: the data's bytes and every module's source."""
    digest = blake2b(b"hkit shipped dataset 1\0" + content, digest_size=32)
    for name, entry in _modules():
        digest.update(name.encode() + b"\0")
        digest.update(Path(entry.path).read_bytes())
    return digest.digest()


def write_shipped(target: Path) -> None:
    """Validate the bundled dataset and store it at ``target`` with its key (at build time)."""
    content = BUNDLED.read_bytes()
    dataset = _parse(content, str(BUNDLED), store=True, keep=None)
    target.write_bytes(pickle.dumps((shipped_key(content), dataset), pickle.HIGHEST_PROTOCOL))


def _shipped(path: Path, content: bytes) -> Dataset | None:
    from hkit_cli.domain.records import Dataset

    try:
        if path.resolve() != BUNDLED or not SHIPPED.is_file():
            return None
        key, dataset = pickle.loads(SHIPPED.read_bytes())
    except Exception:  # a missing, damaged or foreign file: validate instead
        return None
    if key != shipped_key(content) or not isinstance(dataset, Dataset):
        return None
    return dataset


def _parse(content: bytes, file: str, store: bool, keep: list[object] | None) -> Dataset:
    """The dataset in ``content``, shared for storing (equal citations made one object) if
    ``store``; sharing costs a little time that only a stored dataset wins back."""
    from hkit_cli.domain.errors import DataError
    from hkit_cli.reading import loader
    from hkit_cli.reading.textfile import decode

    text, problem = decode(content, file)
    if text is None:
        raise DataError(file, [problem] if problem else [])
    return loader.loads(text, file, share=store, keep=keep)


def _trusted(folder: Path) -> bool:
    # Unpickling runs code: read entries only from a folder that only this user can write to.
    try:
        info = folder.stat()
    except OSError:
        return False
    owner_only = not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    return stat.S_ISDIR(info.st_mode) and owner_only and info.st_uid == os.getuid()


def _entry(entry: Path) -> Dataset | None:
    from hkit_cli.domain.records import Dataset

    if not _trusted(entry.parent):
        return None
    try:
        with entry.open("rb") as handle:
            value = pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception:  # a damaged or foreign entry is ignored and later replaced
        return None
    return value if isinstance(value, Dataset) else None


def _write(folder: Path, entry: Path, dataset: Dataset) -> None:
    # The cache is an optimisation: any failure to write it is silently ignored.
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        import tempfile  # only when an entry is written

        fd, tmp = tempfile.mkstemp(prefix=".entry.", dir=folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(dataset, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, entry)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns)
        for old in entries[:-KEEP]:
            old.unlink(missing_ok=True)
    except OSError:
        pass
