r"""Prose positivities that declare: ``Let $\lambda > 0$``, not ``It follows that $\lambda > 0$``.

``$\lambda > 0$`` in the prose makes ``\lambda`` a positive name for the whole
document, which proves every step that needs it (``|\lambda| = \lambda``).  So
it declares only where the prose states it as a declaration or a standing
assumption, by an allowlist as for the other bounds
(:mod:`deriv.read.prose_assumptions`): the words of its sentence before it are
``Let``, ``Assume``, ``Suppose``, ``Take``, ``Fix``, ``We (further) assume
(that)``, ``Here``, a bare ``where``, or any clause ending ``, where`` without a word of a case
or a claim (``The update is $w - \lambda g$, where``), maybe with other math of the same
sentence between them joined by ``,``, ``and``, ``with``, ``where`` (``Let $X
\in \mathbb{R}^{n}$ and $\lambda > 0$``); the rest of its sentence is empty,
more math joined so, or a description (``be a number that ...``, ``is the step
size``); and no other sentence of its paragraph makes it a case, a claim or a
supposition dropped later (``Later we drop this assumption``).  ``It follows
that``, ``Hence``, ``Note that``, ``For $\lambda > 0$ we have``, ``Suppose for
contradiction``, ``We want`` are claims or cases: they declare nothing.
"""

from __future__ import annotations

import re

from deriv.read.prose_assumptions import HYPOTHETICAL, paragraph_around

#: Inline math, each piece read as one placeholder word ``M``.
_MATH = re.compile(r"\$[^$]*\$|\\\(.*?\\\)", re.S)
_LEAD = (r"(?:(?:throughout|henceforth)\s*,?\s*)?(?:(?:we|let\s+us)\s+(?:also\s+|further\s+|additionally\s+)?)?"
         r"(?:assume|let|suppose|take|fix)(?:\s+that)?|here|,?\s*(?:and\s+)?where")
#: Other math of the sentence before it, each piece followed by a joiner.
_JOINED_BEFORE = r"(?:\s*M\s*(?:,\s*and|,\s*with|,\s*where|,|and|with|where))*"
_DECLARING = re.compile(rf"\s*(?:{_LEAD}){_JOINED_BEFORE}\s*", re.I)
#: After it: more math joined (``, $b > 0$ and $c > 0$``), a standing word, or a description.
_TAIL = re.compile(r"(?:\s*(?:,\s*and|,|and)\s*M)*\s*(?:,?\s*(?:throughout|everywhere|be\s+(?:fixed|given)"
                   r"|(?:be|is|are|denotes?)\s+(?:a|an|the|some|our|its)\b.*))?\s*[,;:]?\s*", re.I | re.S)
#: Words that make a description a case or a claim (``be such that ... fails``).
_NOT_DESCRIBING = re.compile(
    r"\b(?:if|iff|when|whenever|unless|otherwise|now|moment|temporarily|later|drop|dropped|instead|would|"
    r"could|might|should|fails?|false|wrong|example|contradiction|contrary|cases?|suppose|only|then|general|"
    r"show|prove|claim)\b|\?", re.I)
#: A clause after a comma that says what a symbol of the sentence is.
_DESCRIBING_WHERE = re.compile(r".*,\s*where\s*", re.I | re.S)
#: Where a sentence ends: a stop, a blank line, or a display (``$$``, ``\\]``, an environment's end in LaTeX).
_SENTENCE_END = re.compile(r"[.!?;](?:\s|\Z)|\n[ \t]*\n|\$\$|\\\]|\\end\s*\{[^}]*\}")


def _declaring(so_far: str) -> bool:
    """A declaring lead, or a clause that describes a symbol: ``The update is $w - \\lambda g$, where``."""
    if _DECLARING.fullmatch(so_far) is not None:
        return True
    return _DESCRIBING_WHERE.fullmatch(so_far) is not None and _NOT_DESCRIBING.search(so_far) is None


def _placeheld(text: str) -> str:
    return " ".join(_MATH.sub(" M ", text).split())


def _sentence_before(paragraph: str) -> tuple[str, str]:
    """(the paragraph's earlier sentences, the sentence so far)."""
    ends = list(_SENTENCE_END.finditer(paragraph))
    cut = ends[-1].end() if ends else 0
    return paragraph[:cut], paragraph[cut:]


def _sentence_after(paragraph: str) -> tuple[str, str]:
    """(the rest of the sentence, the paragraph's later sentences)."""
    end = _SENTENCE_END.search(paragraph)
    return (paragraph[:end.start()], paragraph[end.end():]) if end else (paragraph, "")


def declaring_lead(text: str, opener: int, end: int) -> bool:
    """Whether the words of its sentence before the math at ``opener`` state it as a declaration."""
    before, _ = paragraph_around(text, opener, end)
    return _declaring(_placeheld(_sentence_before(before)[1]))


def declares_positive(text: str, opener: int, end: int) -> bool:
    """Whether the positivity math opening at ``opener`` (ending at ``end``) is stated as a declaration."""
    before, after = paragraph_around(text, opener, end)
    earlier, so_far = _sentence_before(before)
    tail, later = _sentence_after(after)
    tail = _placeheld(tail)
    return (_declaring(_placeheld(so_far))
            and _TAIL.fullmatch(tail) is not None and _NOT_DESCRIBING.search(tail) is None
            and HYPOTHETICAL.search(_placeheld(earlier + " " + later)) is None)


__all__ = ["declares_positive", "declaring_lead"]
