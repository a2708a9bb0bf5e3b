r"""The quantity a generated text's problem asks for, and its final answers checked against it.

In: the quantity (LaTeX, given beside the text as a batch item's ``quantity``:
``\frac{\partial}{\partial x} x^T A x``), the names the given declarations give,
and each final answer's display.  Out: which member of an answer display is the
answer, the answer's step ``quantity = answer`` reported as the extra step it is,
and the results for a quantity that can not be read or a text that gives no answer
(docs/library.md, "Generated derivations in bulk").

Without a quantity, deriv guesses which chain an answer concludes
(:mod:`deriv.check.concluding`), so a text that derives *another* quantity whose
value is its answer (``\frac{\partial}{\partial a}(2 a A x) = 2 A x`` then
``\boxed{2Ax}``) earned 1.0.  With one, every answer is checked against it,
whichever chain the rule would pick; the text's own steps are checked as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from deriv.check.concluding import defined_names
from deriv.latex.ast import ChainSyntax
from deriv.latex.preprocess import PreparedDisplay
from deriv.read.frontmatter import FrontMatter
from deriv.results import StepResult, Verdict

#: How the report says what the extra step is.
EXTRA = "the final answer checked against the quantity the problem asks for (given beside the text, not a step it writes)"

#: A box a reader sees that holds no member of its display (``\\underbrace{2Ax}_{= \\boxed{2Ax}}``).
UNPLACED = (f"{EXTRA}: the box holds no member of its display (it is in a brace's label?), so which is the "
            "answer is not known; box the answer itself")

_BOX = re.compile(r"\\boxed(?![A-Za-z])")


@dataclass(frozen=True)
class Quantity:
    """The quantity (LaTeX) and the names the problem gives: those the quantity may name."""

    latex: str
    given: frozenset[str]


def unwrapped(latex: str) -> str:
    """The quantity without the one pair of math delimiters a caller may have copied it with
    (``$...$``, ``$$...$$``, ``\\(...\\)``, ``\\[...\\]``): the math is what is asked for."""
    text = latex.strip()
    for opener, closer in (("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]")):
        if len(text) > len(opener) + len(closer) and text.startswith(opener) and text.endswith(closer):
            return text[len(opener):-len(closer)].strip()
    return text


def given_names(given: FrontMatter | None) -> frozenset[str]:
    """The names the given declarations give: symbols, their sizes, index names, defined names."""
    if given is None:
        return frozenset()
    names = {d.name for d in given.symbols} | {size for d in given.symbols for size in d.sizes}
    names |= {r.name for r in given.indices} | {r.size for r in given.indices}
    return frozenset(names | defined_names(e.latex for e in given.definitions))


def shape_problem(syntax: ChainSyntax, prepared: PreparedDisplay) -> str | None:
    """Why the quantity, parsed as a display, is not one expression, or None."""
    if syntax.leading is not None or syntax.relations:
        return "it holds a relation: give the expression asked for alone (no '=', no answer)"
    if prepared.justification is not None or prepared.tag is not None:
        return "it holds a \\text or \\tag: give the expression asked for alone"
    return None


def text_names(written: tuple[str, ...], known: set[str], quantity: Quantity) -> list[str]:
    """The names the quantity writes that the document knows but the problem does not give: the
    text's own declarations or definitions, which must never say what the quantity is."""
    return [name for name in written if name in known and name not in quantity.given]


def answer_members(syntax: ChainSyntax, prepared: PreparedDisplay) -> list[int]:
    """Which members of a final answer's display are answers: those a ``\\boxed`` holds
    (``\\boxed{3} < 4`` answers 3), else the last (``= \\boxed{E}``, a box around the whole
    display, ``**Answer:** $f = E$``, ``#### E``); none when the boxes are elsewhere -- in the
    justification (``a = b \\quad \\text{and } \\boxed{E}``, an answer checked on its own) or
    in a brace's label."""
    math, origin = prepared.math, prepared.origin
    boxes = [m.start() for m in _BOX.finditer(prepared.display)]
    if not boxes or len(origin) != len(math) + 1 or len(syntax.bounds) != len(syntax.members):
        return [len(syntax.members) - 1]
    spans = [_written_span(math, origin, start, end) for start, end in syntax.bounds]
    held = [k for k, span in enumerate(spans) if span is not None and any(span[0] <= box <= span[1] for box in boxes)]
    if held:
        return held
    starts = [span[0] for span in spans if span is not None]
    # A box around the whole display opens before its first member: the last member is the answer.
    return [len(syntax.members) - 1] if starts and min(boxes) < min(starts) else []


def _written_span(math: str, origin: tuple[int, ...], start: int, end: int) -> tuple[int, int] | None:
    """The display offsets of a member's first and last written characters (spacing left out)."""
    written = math[start:end]
    first, last = start + len(written) - len(written.lstrip()), end - (len(written) - len(written.rstrip()))
    return (origin[first], origin[last - 1]) if first < last else None


def as_extra(result: StepResult) -> StepResult:
    """An answer's step against the quantity, said to be one."""
    return replace(result, label=None, message=EXTRA if not result.message else f"{EXTRA}: {result.message}")


def no_answer(quantity: str, line: int) -> StepResult:
    """The result for a text that gives no final answer to check against the quantity: undecided
    (``reward`` is ``None``; ``undecided=0.0`` scores it as wrong), never a pass."""
    return StepResult(line=line, label=None, relation="=", lhs=quantity, rhs="", verdict=Verdict.UNDECIDED,
                      method="none", message="no final answer to check against the quantity the problem asks for "
                      "(a \\boxed{...}, '#### E', <answer>...</answer> or 'Answer: $E$'): the text may state its "
                      "result in a form deriv does not read as the answer")


__all__ = ["EXTRA", "UNPLACED", "Quantity", "answer_members", "as_extra", "given_names", "no_answer", "shape_problem",
           "text_names", "unwrapped"]
