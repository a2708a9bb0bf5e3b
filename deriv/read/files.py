"""Files and their decoding: a path to the text of a document.

In: a path (or bytes).  Out: the file's text, or an
:class:`~deriv.errors.InputError` saying why it is not a readable UTF-8 text
file (missing, a directory, a FIFO, too large, binary, UTF-16, bad bytes).
"""

from __future__ import annotations

import os
import stat

from deriv.errors import InputError

MAX_BYTES = 5 * 1024 * 1024


def inside(path: str, folder: str) -> bool:
    """Whether the real ``path`` is in the real ``folder`` (both resolved by the caller)."""
    try:
        return os.path.commonpath([path, folder]) == folder
    except ValueError:  # another drive
        return False


def read_text_file(path: str | os.PathLike[str]) -> str:
    """The text of the file at ``path``; a file that can not be read as text raises InputError."""
    name = os.fspath(path)
    try:
        info = os.stat(name)
    except FileNotFoundError:
        raise InputError("no such file", path=name) from None
    except OSError as exc:
        raise InputError(f"can not read file: {exc.strerror or exc}", path=name) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError("is a directory, not a file", path=name)
    if not stat.S_ISREG(info.st_mode):
        raise InputError("is not a regular file", path=name)  # a FIFO would block forever
    if info.st_size > MAX_BYTES:
        raise InputError(f"file is too large ({info.st_size} bytes; the limit is 5 MB)", path=name)
    try:
        with open(name, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:  # e.g. permission denied
        raise InputError(f"can not read file: {exc.strerror or exc}", path=name) from None
    if len(data) > MAX_BYTES:
        raise InputError("file is too large (the limit is 5 MB)", path=name)
    return decode_text(data, name)


def decode_text(data: bytes, path: str | None = None) -> str:
    """UTF-8 bytes to text; binary or non-UTF-8 bytes raise InputError at their line."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("file is UTF-16 text; save it as UTF-8", path=path, line=1)
    nul = data.find(b"\0")
    if nul != -1:
        line = data.count(b"\n", 0, nul) + 1
        raise InputError("file is binary, not text (it contains NUL bytes)", path=path, line=line)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - data.rfind(b"\n", 0, exc.start)
        message = f"file is not UTF-8 text (byte 0x{data[exc.start]:02x} is not valid UTF-8)"
        raise InputError(message, path=path, line=line, column=column) from None
