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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace

from deriv.check.concluding import AGREES
from deriv.check.members import written_names
from deriv.latex.ast import ChainSyntax, Frac, Nabla, Name, Partial, Partials, Prime, Product, Scripted
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
    """The quantity (LaTeX) and what the problem gives: the names it declares (symbols, sizes,
    indices) and its definitions (LaTeX), whose names the quantity may name too."""

    latex: str
    given: frozenset[str]
    definitions: tuple[str, ...] = ()


def unwrapped(latex: str) -> str:
    """The quantity without the one pair of math delimiters a caller may have copied it with
    (``$...$``, ``$$...$$``, ``\\(...\\)``, ``\\[...\\]``): the math is what is asked for."""
    text = latex.strip()
    for opener, closer in (("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]")):
        if len(text) > len(opener) + len(closer) and text.startswith(opener) and text.endswith(closer):
            return text[len(opener):-len(closer)].strip()
    return text


def asked(latex: str, given: FrontMatter | None) -> Quantity:
    """The quantity, with what the ``given`` declarations give: symbols, their sizes, index names
    and definitions (the names those define are read where the document is: :func:`defined_target`)."""
    if given is None:
        return Quantity(unwrapped(latex), frozenset())
    names = {d.name for d in given.symbols} | {size for d in given.symbols for size in d.sizes}
    names |= {r.name for r in given.indices} | {r.size for r in given.indices}
    return Quantity(unwrapped(latex), frozenset(names), tuple(e.latex for e in given.definitions))


def defined_target(syntax: ChainSyntax) -> str | None:
    """The name a definition (parsed) gives a value, as the declarations read it: ``B`` of
    ``B_{i,j} = ...``, ``y'`` of ``y' = ...``; None when it is no definition."""
    if syntax.leading is not None or syntax.relations != ("=",) or len(syntax.members) != 2:
        return None
    lhs = syntax.members[0]
    target = lhs.base if isinstance(lhs, Scripted) and lhs.sup is None and not lhs.transpose else lhs
    if isinstance(target, Prime):
        return target.base.name + "'" * target.order
    return target.name if isinstance(target, Name) else None


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


#: A gradient written with no variable (``\\nabla f``): with respect to whatever the quantity's is.
_ANY = "\\nabla"
#: What a copy of the quantity may differ in: spacing, braces, parentheses, ``\\left``/``\\right``.
_LAYOUT = re.compile(r"\s+|[{}()]|\\(?:left|right|displaystyle)(?![A-Za-z])|\\[,;:! ]")


def differentiated(node: object, values: Mapping[str, object], known: frozenset[str]) -> frozenset[str]:
    """The declared or defined names ``node`` differentiates with respect to: in a derivative or a
    gradient it writes, or in the value of a name it writes that ``values`` holds (followed, each once)."""
    found: set[str] = set()
    followed: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, tuple):
            stack.extend(item)
            continue
        if isinstance(item, Frac) and (variable := _variable(item.den)) is not None:
            found |= set(written_names(variable)) & known
        elif isinstance(item, Nabla):
            found |= set(written_names(item.var)) & known if item.var is not None else {_ANY}
        elif isinstance(item, Name) and item.name in values and item.name not in followed:
            followed.add(item.name)
            stack.append(values[item.name])
        if hasattr(item, "__dataclass_fields__"):
            stack.extend(vars(item).values())
    return frozenset(found)


def _variable(den: object) -> object | None:
    """What a fraction's denominator differentiates with respect to (``\\partial W_{m,n}``, ``d x``), or
    None when the fraction is no derivative."""
    if isinstance(den, (Partial, Partials)):
        return den
    if isinstance(den, Product) and isinstance(den.factors[0], Name) and den.factors[0].name == "d":
        return den.factors[1:]
    return None


def definition_values(equations: Iterable[tuple[str, int]], parse: Callable[[str, int], tuple]) -> dict[str, object]:
    """Each defined name's value (its syntax tree), from the definitions ``(latex, line)``; one that
    does not parse is left out (its own error is reported where it is read)."""
    values: dict[str, object] = {}
    for latex, line in equations:
        try:
            syntax = parse(latex, line)[0]
        except Exception:  # noqa: BLE001 - a definition's problem is reported where it is read
            continue
        if (name := defined_target(syntax)) is not None:
            values[name] = syntax.members[1]
    return values


def restated(asked: tuple[object, str], answer: tuple[object, str], values: Mapping[str, object],
             known: frozenset[str]) -> str | None:
    """Why the answer (node, source) restates the quantity asked (node, source) instead of giving its
    value, or None: it copies it, or still differentiates with respect to a name the quantity does."""
    if _LAYOUT.sub("", asked[1]) == _LAYOUT.sub("", answer[1]):
        return "the answer is the quantity asked for, written again"
    wanted, still = differentiated(asked[0], values, known), differentiated(answer[0], values, known)
    common = sorted(wanted & still) or sorted(still if _ANY in wanted else wanted if _ANY in still else ())
    if not common:
        return None
    return (f"the answer still differentiates with respect to {common[0]}, as the quantity does (written, or in the "
            f"value of a name it writes): it restates what is asked instead of giving its value")


def unconcluded(result: StepResult, why: str) -> StepResult:
    """The answer's step where the answer restates the quantity: holding proves nothing asked, so
    undecided (a contradiction stays one)."""
    if result.verdict not in AGREES:
        return result
    return replace(result, verdict=Verdict.UNDECIDED, method="none", counterexample=None, suggestion=(),
                   message=f"{EXTRA}: {why}")


def no_answer(quantity: str, line: int) -> StepResult:
    """The result for a text that gives no final answer to check against the quantity: undecided
    (``reward`` is ``None``; ``undecided=0.0`` scores it as wrong), never a pass."""
    return StepResult(line=line, label=None, relation="=", lhs=quantity, rhs="", verdict=Verdict.UNDECIDED,
                      method="none", message="no final answer to check against the quantity the problem asks for "
                      "(a \\boxed{...}, '#### E', <answer>...</answer> or 'Answer: $E$'): the text may state its "
                      "result in a form deriv does not read as the answer")


__all__ = ["EXTRA", "UNPLACED", "Quantity", "answer_members", "as_extra", "asked", "defined_target", "definition_values",
           "differentiated", "no_answer", "restated", "shape_problem", "text_names", "unconcluded", "unwrapped"]
