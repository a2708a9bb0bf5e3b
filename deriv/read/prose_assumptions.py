r"""Prose bounds that are standing assumptions: ``We assume $\lambda \geq 0$``.

A comparison of a declared scalar with a number other than ``> 0``, or of
declared scalars alone (``\\lambda < \\mu``; :class:`~deriv.read.prose_math.Bound`),
declares nothing; read as an
assumption only when the prose states it as one in a few set forms, and
nothing makes it hypothetical.  The words of its sentence before it must be
one of the forms that state an assumption and nothing else (``We assume
that``, ``Assume``, ``Let``, ``Suppose``, ``We further assume``, a bare
``where`` after a display, ``The step holds where``): ``Previous authors
assume``, ``We will later assume``, ``Consider the region where`` are not.
The rest of its sentence must be empty or one of a few tails (``be fixed``,
``throughout``).  And no word anywhere in its paragraph, before it or after
it, may make it a case, a claim, an example, a supposition for the moment or
one that is dropped later (``if``, ``show``, ``contradiction``, ``now``,
``would``, ``drop``, ``symmetric``...).  Anything else stays the error that
says how to state it (docs/format.md): misreading a bound as an assumption
would accept steps that need it, so the reading is an allowlist, not a list
of the words that deny it.
"""

from __future__ import annotations

import re

#: Other math after the assumed math, joined by ``and`` or a comma (``Let $a \geq 0$ and $b > 0$``);
#: math before it in its sentence is not (``Let $a \in \mathbb{R}$ and $a \geq 0$`` stays unread).
_JOINED_AFTER = r"(?:\s*(?:,|,?\s*and)\s*\$[^$]+\$)*"
#: The whole of the sentence before the math, when it states the math as an assumption.
_STANDING = re.compile(
    r"(?:(?:(?:throughout|henceforth)\s*,?\s*)?"
    r"(?:(?:we|let\s+us)\s+(?:also\s+|further\s+|additionally\s+)?)?(?:assume|let|suppose)(?:\s+that)?"
    r"|,?\s*(?:and\s+)?where"
    r"|(?:the|this|each|every|all)\s+(?:steps?|identit(?:y|ies)|derivations?|equations?|results?)\s+holds?\s+where)", re.I)
#: The whole of the rest of the sentence after the math, when it keeps the assumption standing.
_TAIL = re.compile(
    _JOINED_AFTER + r"(?:,?\s*(?:throughout|everywhere|be\s+(?:fixed|given)|is\s+(?:fixed|given)"
    r"|in\s+(?:this|the\s+whole)\s+(?:document|derivation|note)))?\s*[,;:]?", re.I)
#: Words that make a bound hypothetical, a case, a claim, an example or one dropped later:
#: anywhere in its paragraph they leave it unread.
HYPOTHETICAL = re.compile(
    r"\b(?:if|iff|when|whenever|unless|otherwise|cases?|either|whether|show|shows|prove|proves|verify|check|"
    r"claim|conclude|contradiction|contrary|absurd|instead|now|moment|temporarily|would|could|might|should|"
    r"example|instance|e\.g|say|then|only|not|no|never|or|fails?|wrong|false|"
    r"drop|dropped|drops|lift|lifted|relax|relaxed|remove|removed|later|symmetric|similar|similarly|"
    r"except|general|section|part|step\s+\d|suppose\s+instead|negative|opposite)\b|n't\b|n’t\b|\?", re.I)
#: A blank line, or a line that is a block of its own (front matter's ``---``, a rule, a heading, an
#: HTML comment alone, as between a notebook's cells).
_PARAGRAPH = re.compile(r"\n[ \t]*\n|^[ \t]*(?:-{3,}|\*{3,}|_{3,}|#{1,6}\s[^\n]*|<!--[^\n]*-->)[ \t]*(?:\n|\Z)", re.M)
_SENTENCE_END = re.compile(r"[.!?](?:\s|\Z)|\n[ \t]*\n|\$\$")
#: How far around the math the prose is read.
REACH = 400


def _paragraph_so_far(text: str, pos: int) -> str:
    before = text[max(0, pos - REACH):pos]
    breaks = list(_PARAGRAPH.finditer(before))
    return before[breaks[-1].end():] if breaks else before


def _rest_of_paragraph(text: str, end: int) -> str:
    after = text[end:end + REACH]
    stop = _PARAGRAPH.search(after)
    return after[:stop.start()] if stop else after


def _sentence_so_far(paragraph: str) -> str:
    ends = list(_SENTENCE_END.finditer(paragraph))
    return paragraph[ends[-1].end():] if ends else paragraph


def _rest_of_sentence(rest: str) -> str:
    stop = _SENTENCE_END.search(rest)
    return rest[:stop.start()] if stop else rest


def paragraph_around(text: str, opener: int, end: int) -> tuple[str, str]:
    """The math's paragraph before ``opener`` and after ``end`` (each at most :data:`REACH` characters)."""
    return _paragraph_so_far(text, opener), _rest_of_paragraph(text, end)


def assumed(text: str, opener: int, end: int) -> bool:
    """Whether the math opening at ``opener`` (ending at ``end``) is stated as a standing assumption."""
    before, after = paragraph_around(text, opener, end)
    return (_STANDING.fullmatch(" ".join(_sentence_so_far(before).split())) is not None
            and _TAIL.fullmatch(_rest_of_sentence(after).strip()) is not None
            and HYPOTHETICAL.search(before) is None and HYPOTHETICAL.search(after) is None)
