r"""The facts a generated text gives as a step's reason: ``\quad \text{since } A = A^T``.

In: a display's justification (the text after its ``\quad``).  Out: each
relation it states as a reason or a remark -- after ``since``, ``because``, ``as``,
``by``, ``using``, ``from``, ``due to``, ``note that``, ``recall that``, ``i.e.``, ``also``,
``check`` -- as the text of a display of its own.

A reason is read only as a condition of its step (docs/deciding.md,
"Justifications"): its truth was never checked, so ``a + a = 2a \quad
\text{since } a = 3a`` earned 1.0 with a false fact a reader sees stated.  In
generated text the checker checks each stated reason as a chain of its own
(docs/library.md, "Generated derivations in bulk").  A condition (``for``,
``if``, ``when``, ``where``, ``given``, ``assuming``, ``with``) is a
hypothesis, not a claim: it stays unchecked, as in documents.
"""

from __future__ import annotations

import re

from deriv.errors import LatexSyntaxError
from deriv.latex.scan import argument
from deriv.latex.text import states_relation

#: Where a justification starts (the rule of :func:`deriv.latex.text.split_justification`, loosely).
_JUSTIFIED = re.compile(r"\\q?quad(?![A-Za-z])(?=.*\\text)", re.S)
_BOX = re.compile(r"\\boxed(?![A-Za-z])")
_TEXT = re.compile(r"\\(?:text|textrm|mbox)\s*\{([^{}]*)\}")
#: Matched on the justification stripped, so that no two runs of spaces compete (a backtracking cost).
_REASON = re.compile(r"(?P<open>\(?)[ \t]?(?:since|because|as|by|using|from|due\s+to|note(?:\s+that)?:?|noting(?:\s+that)?|"
                     r"recall(?:\s+that)?:?|i\.e\.,?|e\.g\.,?|also|and|whence|giving|which\s+gives|check(?:ing)?:?|"
                     r"verify(?:ing)?:?)\s+(?P<facts>.+)\Z", re.S | re.I)
#: Facts joined in words: each is a claim of its own.
_JOINED = re.compile(r"\s*(?:,|;|\band\b|\\quad|\\qquad)\s*")
#: Words left in a fact: it is prose (``by the chain rule``), not a relation to check.
_WORDS = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{3,}")


def reason_claims(justification: str | None) -> list[str]:
    """The relations ``justification`` gives as reasons, each as math; none when it gives a condition,
    or words deriv can not tell from math."""
    if not justification:
        return []
    plain = _TEXT.sub(lambda m: f" {m.group(1)} ", justification).replace("$", " ")
    found = _REASON.match(" ".join(plain.split()))
    if found is None:
        return []
    said = found.group("facts").rstrip(" \t\n.,;")
    if found.group("open") and said.endswith(")"):  # `(since a = b)`: the parenthesis closes the words
        said = said[:-1].rstrip(" \t\n.,;")
    facts = [fact.strip() for fact in _JOINED.split(said) if fact.strip()]
    if not facts or any(_WORDS.search(fact) or not states_relation(fact) for fact in facts):
        return []
    return facts


def justified_answers(display: str, justification: str | None) -> list[str]:
    """A box in the justification (``a + a = 2a \\quad \\text{and } \\boxed{3a}``) is a final answer
    a reader sees: ``= 3a``, continuing the display's chain."""
    if not justification or "boxed" not in display:
        return []
    split = _JUSTIFIED.search(display)
    if split is None:
        return []
    answers = []
    for box in _BOX.finditer(display, split.end()):
        try:
            found = argument(display, box.end())
        except LatexSyntaxError:  # unbalanced: the display itself is the error
            return []
        if found is not None and display[found[0]] == "{":
            answers.append(f"= {display[found[2]:found[3]].strip()}")
    return answers


__all__ = ["justified_answers", "reason_claims"]
