"""Which Markdown files under a folder are derivations, and why the others are not.

In: a path.  Out: None (check it), or an :class:`~deriv.results.Unchecked`
with the reason it is left out and whether it *looks like* a derivation
(display math).  Front matter with a deriv key, or a key close to one
(``symbol:``), is checked, so the misspelling is reported as an error; so is a
file without front matter whose text declares its names (``$x \\in \\mathbb{R}^n$``)
and has display math.  A folder run checks the first kind, lists
the rest in its summary, and ``--strict`` fails on files that look like
derivations: a misspelled ``symbol:`` or forgotten front matter must never
make a wrong derivation pass unread.

Cheap and never raises: reads at most the first 256 KB as text.
"""

from __future__ import annotations

import os
import re
import stat

from deriv.errors import DerivError
from deriv.read.front_keys import NESTED, TOOL_KEYS, near_miss
from deriv.read.frontmatter import KEYS
from deriv.read.sources import markdown_source, read_source, reader_for
from deriv.results import Unchecked

_DELIMITER = re.compile(r"(---|\.\.\.)[ \t]*\Z")
_TOP_KEY = re.compile(r"""["']?([A-Za-z_][\w\-]*(?: +[\w\-]+)*)["']?[ \t]*:""")
_DISPLAY = re.compile(r"\$\$|\\\[|\\begin\{(?:equation|align|gather|multline|eqnarray)|(?:`{3,}|~{3,})[ \t]*\{?math\b")
#: Keys that make front matter deriv's (``title`` alone is everybody's).
DERIV_KEYS = frozenset(KEYS) - {"title"}


def _declares(head: str) -> bool:
    """The raw text opens with a front matter holding a key of deriv's."""
    keys, _ = _front_keys(head.removeprefix("\ufeff").splitlines())
    return keys is not None and bool(keys & (DERIV_KEYS | {NESTED}))


def select(path: str | os.PathLike[str]) -> Unchecked | None:
    """None when the file is to be checked; else why it is left out."""
    name = os.fspath(path)
    head = _head(name)
    if head is not None and reader_for(name) is not markdown_source:
        try:
            head = read_source(name).markdown  # a notebook's Markdown cells
        except DerivError as error:
            if _declares(head):
                return None  # a derivation that can not be read: checked, so that its error is reported
            return Unchecked(name, f"can not be read: {error.message}", suspicious="deriv" in head)
    if head is None:
        return Unchecked(name, "not a readable regular file")
    keys, body = _front_keys(head.removeprefix("\ufeff").splitlines())
    if keys is not None and (keys & (DERIV_KEYS | {NESTED}) or any(_near_miss(k) for k in keys - TOOL_KEYS)):
        return None  # a misspelled key is checked, so that its error is reported
    if any(_DISPLAY.search(line) for line in body):
        if keys is None and _declares_in_text(head, name):
            return None
        why = "display math but no deriv front matter" if keys is None \
            else "display math, but no symbols: in its front matter"
        return Unchecked(name, why, suspicious=True)
    return Unchecked(name, "no deriv front matter and no display math")


def _declares_in_text(head: str, name: str) -> bool:
    """The text declares a name (``Let $X \\in \\mathbb{R}^{S \\times M}$``) and has a display
    to check: a derivation without front matter.  A declaration conflict is checked, to be reported."""
    from deriv.read.document import parse_document

    try:
        document = parse_document(head, name)
    except DerivError:
        return True
    except (RecursionError, ValueError):
        return False
    return document.front is not None and bool(document.front.symbols) and bool(document.displays)


def _head(name: str) -> str | None:
    try:
        if not stat.S_ISREG(os.stat(name).st_mode):
            return None  # a directory, or a FIFO that would block
        with open(name, "rb") as handle:
            return handle.read(1 << 18).decode("utf-8", errors="replace")
    except (OSError, TypeError, ValueError):
        return None


def _front_keys(lines: list[str]) -> tuple[frozenset[str] | None, list[str]]:
    """The top-level keys of the front matter (None: there is none) and the lines after it.

    An unclosed front matter keeps every line as front matter, so that a
    ``symbols:`` in it still selects the file and its error is reported."""
    if not lines or lines[0].rstrip() != "---":
        return None, lines
    keys: set[str] = set()
    for n, line in enumerate(lines[1:], start=1):
        if _DELIMITER.match(line):
            return frozenset(keys), lines[n + 1 :]
        found = _TOP_KEY.match(line)
        if found:
            keys.add(found.group(1).strip())
    return frozenset(keys), []


def _near_miss(key: str) -> bool:
    """``symbol``, ``Symbols``, ``assumption``, ``defintions``: a deriv key misspelled."""
    return near_miss(key, DERIV_KEYS)


__all__ = ["DERIV_KEYS", "select"]
