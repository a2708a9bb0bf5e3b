r"""The claims a generated text writes under a brace: ``\underbrace{A A^{-1}}_{= I}``.

In: a display's text.  Out: each claim a brace's label makes about what the
brace holds -- ``A A^{-1} = I`` -- as the text of a display of its own.

A label is dropped where a display is read (docs/format.md: ``\underbrace{A}_{B}``
is ``{A}``), which is right for a name (``_{\text{scalar}}``) but not for a label
that opens with a relation: a reader sees ``= 3a`` under ``a + a`` as a step, and
a generated text that hid a false one there earned 1.0 (docs/library.md,
"Generated derivations in bulk").  The checker checks each such claim as a chain
of its own, beside the display's.
"""

from __future__ import annotations

import re

from deriv.errors import LatexSyntaxError
from deriv.latex.scan import argument

_BRACE = re.compile(r"\\(underbrace|overbrace)(?![A-Za-z])")
#: A label that opens with a relation claims something of the braced math.
_RELATION = re.compile(r"\s*(?:=|<|>|\\(?:leq?|geq?|neq?|approx|equiv|sim|propto)(?![A-Za-z]))")


def brace_claims(math: str) -> list[str]:
    """``X REL Y`` for each ``\\underbrace{X}_{REL Y}`` (or ``\\overbrace{X}^{REL Y}``) in ``math``."""
    try:
        return _claims(math)
    except LatexSyntaxError:
        return []  # unbalanced: the display itself is the error


def _claims(math: str) -> list[str]:
    claims = []
    for match in _BRACE.finditer(math):
        braced = argument(math, match.end())
        if braced is None or math[braced[0]] != "{":
            continue
        script = "_" if match.group(1) == "underbrace" else "^"
        at = braced[1]
        while at < len(math) and math[at].isspace():
            at += 1
        if at >= len(math) or math[at] != script:
            continue
        label = argument(math, at + 1)
        if label is None:
            continue
        text = math[label[2]:label[3]]
        if _RELATION.match(text):
            claims.append(f"{math[braced[2]:braced[3]].strip()} {text.strip()}")
    return claims


__all__ = ["brace_claims"]
