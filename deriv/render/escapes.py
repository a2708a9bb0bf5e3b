r"""Document text made safe to print: nothing a terminal or a CI runner would act on.

In: any text a document (or its file name) supplies.  Out: the same text
with every control character, character that reorders a line (bidi
overrides), line separator other than ``\n`` and lone surrogate (a file
name that is no UTF-8) shown as a Python escape (``\x1b``, ``\u202e``,
``\udcff``), and a line that would start, after blanks, with ``::`` --
which GitHub Actions reads as a workflow command (``::error``,
``::add-mask::``) from any program's output -- starting ``\x3a:`` instead.
:func:`safe_line` also escapes ``\n`` and ``\t``: for what is one line of
the report (a file's name).

>>> safe_text("a\x1b[2Jb\n  ::error::x")
'a\\x1b[2Jb\n  \\x3a:error::x'
>>> safe_line("b\n::error::x.md")
'b\\n::error::x.md'
"""

from __future__ import annotations

import unicodedata

#: Characters that draw text in another order than it is read, or break a line where a
#: program splitting lines (Python's ``splitlines``) would: escaped like control characters.
_ESCAPED = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029")


def safe_text(text: str) -> str:
    """``text`` with its line breaks (``\\n``) and tabs kept, everything else escaped."""
    return "\n".join(_no_command(_escaped(line, "\t")) for line in text.split("\n"))


def safe_line(text: str) -> str:
    """``text`` as one line: line breaks and tabs escaped too."""
    return _no_command(_escaped(text, ""))


def _escaped(text: str, kept: str) -> str:
    return "".join(c if c in kept or (unicodedata.category(c) not in ("Cc", "Cs") and c not in _ESCAPED)
                   else c.encode("unicode_escape").decode() for c in text)


def _no_command(line: str) -> str:
    """A line starting (after blanks) with ``::`` starts with ``\\x3a:`` instead."""
    stripped = line.lstrip()
    if not stripped.startswith("::"):
        return line
    return line[: len(line) - len(stripped)] + "\\x3a" + stripped[1:]
