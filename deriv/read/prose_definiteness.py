r"""Definiteness stated in words: ``Let $H \in \mathbb{R}^{n \times n}$ be positive definite``.

deriv reads definiteness only as ``H \succ 0`` (``assumptions:``, ``<!-- deriv: assume
... -->``).  Said in words right after a piece of inline math (``$H$ is positive
definite``, ``be symmetric positive semi-definite``, ``is SPD``) it is an assumption the
document makes that deriv would otherwise check every step without: a step that holds
under it (``x^T H x \geq 0``) would be refuted with no word of why.  So it is an
``error`` on its line that says how to state it; the steps are still checked without it.
A denial (``is not positive definite``) states nothing to impose and is left alone.
"""

from __future__ import annotations

import re

#: Right after the math: a verb, maybe ``symmetric``/``real``, then the definiteness.
_STATED = re.compile(
    r"\s*,?\s*(?:is|be|are|is\s+assumed|are\s+assumed|is\s+taken)\s+(?:to\s+be\s+)?(?:an?\s+)?"
    r"(?:(?:real|symmetric|square|hermitian)\s*,?\s*(?:and\s+)?)*"
    r"(?P<what>positive\s*-?\s*(?:semi\s*-?\s*)?definite|p\.?s\.?d\.?|s\.?p\.?d\.?)\b", re.I)


def definiteness_in_words(text: str, end: int) -> str | None:
    """The definiteness the words right after the math ending at ``end`` state, or None."""
    found = _STATED.match(text, end, min(len(text), end + 120))
    return " ".join(found.group("what").split()) if found is not None else None


def unread_definiteness(math: str, what: str) -> str:
    """Why ``$math$ ... what`` is an error, and how to state it."""
    relation = "\\succeq" if re.search(r"semi|psd|p\.s\.d", what, re.I) else "\\succ"
    return (f"'${math}$ ... {what}' is not read: deriv reads definiteness only as an assumption, "
            f"such as 'assumptions: - M {relation} 0' in the front matter or <!-- deriv: assume M {relation} 0 --> "
            "(M the matrix); the steps are checked without it")


__all__ = ["definiteness_in_words", "unread_definiteness"]
