r"""The ``%%deriv`` cell magic: a derivation checked where it is written, in a notebook.

``%load_ext deriv`` registers it.  A cell holds the declarations, written as
under a front matter's ``---`` lines, then the derivation::

    %%deriv
    symbols:
      A: matrix N x N
      B: matrix N x N
    $$ (A B)^T = B^T A^T $$

The declarations end at the first line that opens mathematics (``$$``,
``\[``, ``\begin``); a cell that starts with ``---`` is a whole document.
The declarations are read by the front matter's reader and given beside the
text (:mod:`deriv.read.given`), never pasted into it.  The cell's result is
returned, so the notebook draws it (HTML, Markdown with TeX, or text).
``%%deriv --seed 3 --timeout 5`` sets the seed and the per-step budget.
"""

from __future__ import annotations

import re
import shlex
from typing import Any

from deriv.check.options import CheckOptions
from deriv.results import FileResult

_MATH_OPENS = re.compile(r"\s*(\$\$|\\\[|\\begin\b)")


def check_cell(line: str, cell: str) -> FileResult:
    """The magic's body: options from ``line``, declarations then derivation from ``cell``."""
    from deriv.check.checker import check_text
    from deriv.check.local import file_error
    from deriv.errors import DerivError
    from deriv.read.given import given_file

    options = _options(line)
    if cell.lstrip().startswith("---"):
        return check_text(cell, "<cell>", options)
    lines = cell.split("\n")
    split = next((n for n, text in enumerate(lines) if _MATH_OPENS.match(text)), len(lines))
    declarations = "\n".join(lines[:split])
    try:
        given = given_file(declarations, "the cell's declarations") if declarations.strip() else None
    except DerivError as error:
        return file_error("<cell>", None, error)
    # The body keeps its lines: a step on the cell's line 5 is reported on line 5.
    body = "\n" * split + "\n".join(lines[split:])
    return check_text(body, "<cell>", options, given=given)


def _options(line: str) -> CheckOptions:
    words = shlex.split(line)
    values: dict[str, Any] = {}
    for flag, value in zip(words[::2], words[1::2]):
        if flag == "--seed":
            values["seed"] = int(value)
        elif flag == "--timeout":
            values["timeout"] = float(value)
        else:
            raise ValueError(f"%%deriv takes --seed N and --timeout SECONDS, not {flag}")
    if len(words) % 2:
        raise ValueError(f"%%deriv: {words[-1]} needs a value")
    return CheckOptions(**values)


def register(ipython: Any) -> None:
    """``%load_ext deriv``: the ``%%deriv`` cell magic."""
    ipython.register_magic_function(check_cell, magic_kind="cell", magic_name="deriv")
