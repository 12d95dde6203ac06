"""Read a data file's text: size limits, encodings and NUL bytes; lines and columns of offsets."""

from __future__ import annotations

import bisect
import os
import re
import stat
from pathlib import Path
from typing import BinaryIO

from hkit_cli.domain import vocab
from hkit_cli.domain.errors import Problem

MAX_BYTES = vocab.MAX_BYTES


def read_text(path: Path, file: str) -> tuple[str | None, Problem | None]:
    """The text of ``path`` read once, or the problem that stops it being read."""
    raw, problem = read_bytes(path, file)
    if raw is None:
        return None, problem
    return decode(raw, file)


def read_bytes(path: Path, file: str) -> tuple[bytes | None, Problem | None]:
    """The bytes of ``path`` (one open, one read), or the problem that stops it being read."""
    try:
        if path.is_dir():
            return None, Problem(file, "is a directory, not a data file")
        with path.open("rb") as handle:
            raw = _read_limited(handle)
    except FileNotFoundError:
        return None, Problem(
            file,
            "file not found",
            hint="check the path given as FILE, with --data or in HKIT_DATA",
        )
    except PermissionError:
        return None, Problem(file, "cannot be read: permission denied")
    except OSError as exc:
        return None, Problem(file, f"cannot be read: {exc.strerror or exc}")
    if raw is None:
        return None, Problem(file, f"is larger than {MAX_BYTES // 2**20} MiB, too large to be read")
    return raw, None


def decode(raw: bytes, file: str) -> tuple[str | None, Problem | None]:
    """The text of a data file's bytes, or why they are not UTF-8 text."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # Located by characters, as an editor counts them (a byte-order mark is no column).
        before = raw[: exc.start].decode("utf-8", "replace").removeprefix("\ufeff")
        line, column = Lines(before).at(len(before))
        hint = "save the file as UTF-8"
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            hint = "the file looks like UTF-16; save it as UTF-8"
        byte = raw[exc.start]
        return None, Problem(
            file,
            f"the file is not UTF-8 text: byte 0x{byte:02X} here is not part of a UTF-8 character",
            line,
            column,
            hint=hint,
        )
    nul = text.find("\x00")
    if nul >= 0:
        line, column = Lines(text).at(nul)
        return None, Problem(file, "contains a NUL byte; it is not a text file", line, column)
    return text, None


def _read_limited(handle: BinaryIO) -> bytes | None:
    """The bytes of ``handle``, or None if there are more than MAX_BYTES."""
    info = os.fstat(handle.fileno())
    if stat.S_ISREG(info.st_mode) and info.st_size > MAX_BYTES:
        return None
    # In pieces: a device or a pipe (`--data /dev/zero`) may never end, and one read of
    # MAX_BYTES would reserve that much memory for every file.
    chunks: list[bytes] = []
    size = 0
    while size <= MAX_BYTES:
        chunk = handle.read(min(2**20, MAX_BYTES + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks) if size <= MAX_BYTES else None


class Lines:
    """Line and column (from 1) of a character offset, counting lines as editors do."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts: list[int] | None = None

    def at(self, index: int) -> tuple[int, int]:
        if self._starts is None:
            # libyaml also breaks lines at U+0085, U+2028 and U+2029; counting only the breaks
            # an editor shows keeps every location where the user will look for it.
            self._starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", self._text)]
        line = bisect.bisect_right(self._starts, index)
        return line, index - self._starts[line - 1] + 1
