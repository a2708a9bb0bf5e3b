"""Helpers of the chain checker: messages, the names a member writes, small caches."""

from __future__ import annotations

import re

from sympy import Expr, Symbol

from deriv.check.chain_state import Member, Step
from deriv.errors import DerivError
from deriv.latex.ast import Name
from deriv.meaning.values import Value
from deriv.read.document import Display
from deriv.results import Verdict

#: Entries kept by each of the per-document caches (parses, members, decisions).
CACHE_SIZE = 20_000


def verdict_of(error: DerivError | None) -> Verdict:
    return getattr(error, "verdict", Verdict.ERROR)


def broken_verdict(error: DerivError | None, broken_first: tuple[str, DerivError] | None) -> Verdict:
    """A step with a side not built: ``error`` when either side is malformed, else the
    sides' own verdict (``timeout`` for a member that ran out of time: the text may be fine)."""
    verdicts = [verdict_of(e) for e in (error, broken_first[1] if broken_first else None) if e is not None]
    return Verdict.ERROR if not verdicts or Verdict.ERROR in verdicts else verdicts[0]


def remember(cache: dict, key, value) -> None:
    if len(cache) >= CACHE_SIZE:
        cache.clear()
    cache[key] = value


def written_names(node: object) -> tuple[str, ...]:
    """The names in a member's syntax tree, in the order they are written."""
    found: list[tuple[int, str]] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, tuple):
            stack.extend(item)
        elif isinstance(item, Name):
            found.append((item.column, item.name))
        elif hasattr(item, "__dataclass_fields__"):
            stack.extend(vars(item).values())
    seen: dict[str, None] = {}
    for _, name in sorted(found, key=lambda pair: pair[0]):
        seen.setdefault(name)
    return tuple(seen)


def shape_mismatch(value: Value, free: tuple[Symbol, ...], wanted: tuple[Expr, ...]) -> str:
    """Why a matrix member can not stand for the chain's entry."""
    shape = f"{value.rows} x {value.cols}"
    indices = ", ".join(map(str, free))
    if len(free) != 2:
        what = f"free indices {indices}" if free else "no free indices"
        return f"this member is a matrix of shape {shape}, but the chain's first member is a scalar with {what}"
    (m, n), (rows, cols) = free, wanted
    message = (
        f"this member is {shape}, but the chain is about entry ({indices}) of a matrix of shape {rows} x {cols} "
        f"({m} ranges over {rows}, {n} over {cols})"
    )
    if (value.rows, value.cols) == (cols, rows):
        message += ": the member is transposed"
    return message


def noted(message: str, notes: tuple[str, ...]) -> str:
    """A step's message, then how its members were read (each note once): the
    verdict's reason stays first, where a one-line report shows it."""
    return "; ".join([message, *dict.fromkeys(notes)] if message else dict.fromkeys(notes))


def expected(verdict: Verdict, message: str) -> tuple[Verdict, str]:
    """Map a verdict through ``expect-fail``."""
    if verdict in (Verdict.REFUTED, Verdict.ERROR):
        return Verdict.EXPECTED_FAIL, message
    if verdict in (Verdict.PROVED, Verdict.TESTED):
        return Verdict.UNEXPECTED_PASS, f"marked expect-fail, but it is {verdict.value}"
    return verdict, message


#: A relation opening a display that continues a chain, as written.
_LEADING = re.compile(r"\s*(=|<|>|\\(?:leqslant|geqslant|leq|geq|neq|le|ge|ne|lt|gt)(?![A-Za-z]))\s*")
_RELATIONS = {"\\leqslant": "<=", "\\leq": "<=", "\\le": "<=", "\\geqslant": ">=", "\\geq": ">=", "\\ge": ">=",
              "\\neq": "!=", "\\ne": "!=", "\\lt": "<", "\\gt": ">"}


def unparsable(display: Display, error: DerivError, last: Member | None) -> tuple[Step, bool]:
    """A display that does not parse (``last`` the chain's last member): its one result, and
    whether a new chain starts after it (unless it continued one, or is skipped).  Its echo is
    the author's text: the whole display as the right side (no left side), or after the chain's
    last member and the display's leading relation when it continues a chain."""
    text = display.text.strip()
    leading = _LEADING.match(text)
    relation, rhs, lhs = "=", text, ""
    if leading is not None and last is not None:
        relation = _RELATIONS.get(leading.group(1), leading.group(1))
        rhs, lhs = text[leading.end():], last.source
    directive = display.directive
    if directive is not None and directive.kind == "skip":
        return Step(display, display.label, relation, lhs, rhs, Verdict.SKIPPED,
                    message=directive.argument or "skipped"), False
    return Step(display, display.label, relation, lhs, rhs, verdict_of(error), message=error.message,
                expect_fail=directive is not None and directive.kind == "expect-fail"), leading is None
