"""Frozen result objects: what checking a document produced.

The CLI, the JSON and the pytest plugin all render these same objects; none
of them decides anything.  Their JSON form lives with the renderers
(:mod:`deriv.render.json`).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


class Verdict(str, enum.Enum):
    """The one verdict each step or claim gets (docs/deciding.md)."""

    PROVED = "proved"
    TESTED = "tested"
    REFUTED = "refuted"
    ERROR = "error"
    EXPECTED_FAIL = "expected-fail"
    UNEXPECTED_PASS = "unexpected-pass"
    UNDECIDED = "undecided"
    SKIPPED = "skipped"
    TIMEOUT = "timeout"

    def __str__(self) -> str:
        return self.value


#: Verdicts that let ``deriv check`` exit 0 (``tested`` only without --strict).
PASSING = frozenset({Verdict.PROVED, Verdict.TESTED, Verdict.EXPECTED_FAIL, Verdict.SKIPPED})
#: Verdicts that make ``deriv check`` exit 1.
FAILING = frozenset({Verdict.REFUTED, Verdict.UNEXPECTED_PASS})
#: Verdicts that make ``deriv check`` exit 2.
BROKEN = frozenset({Verdict.ERROR, Verdict.TIMEOUT, Verdict.UNDECIDED})


@dataclass(frozen=True)
class Counterexample:
    """Concrete values at which the two members of a step differ.

    Index values are 1-based, as they are written in the mathematics.
    ``seed`` and ``trial`` reproduce the random instance:
    ``deriv check FILE --seed SEED`` draws the same values again.
    """

    sizes: tuple[tuple[str, int], ...]
    indices: tuple[tuple[str, int], ...]
    lhs_value: str
    rhs_value: str
    seed: int
    trial: int = 0
    #: ``"exact"``, or the precision at which the difference was certified nonzero.
    precision: str = "exact"
    #: Why the sides differ when it is not just their values (one is undefined).
    note: str = ""
    #: A shrunk counterexample (:mod:`deriv.engine.shrink`) shows every entry it
    #: reads -- (name, rows of entries) -- and the simple functions it uses
    #: -- (name, ``g(Y) = Y_{1,2}``); ``--seed SEED`` shrinks to it again.
    values: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = ()
    functions: tuple[tuple[str, str], ...] = ()
    shrunk: bool = False

    def describe(self) -> str:
        """One line a reader can follow."""
        sizes = ", ".join(f"{k}={v}" for k, v in self.sizes) or "no sizes"
        at = ", ".join(f"{k}={v}" for k, v in self.indices)
        where = f" at {at}" if at else ""
        tol = f" ({self.precision})" if self.precision != "exact" else ""
        how = ", shrunk" if self.shrunk else ""
        line = (
            f"with {sizes}{where}: left side = {self.lhs_value}, "
            f"right side = {self.rhs_value}{tol} (seed {self.seed}, trial {self.trial}{how})"
        )
        return "\n".join([line, *self.where()])

    def where(self) -> list[str]:
        """The entries and functions of a shrunk counterexample: a matrix as rows, one a line."""
        lines: list[str] = []
        for name, rows in self.values:
            if len(rows) == 1 and len(rows[0]) == 1:
                lines.append(f"{name} = {rows[0][0]}")
                continue
            width = max(len(v) for row in rows for v in row)
            head = f"{name} = "
            for n, row in enumerate(rows):
                cells = "  ".join(v.rjust(width) for v in row)
                lines.append(f"{head if n == 0 else ' ' * len(head)}[ {cells} ]")
        lines.extend(text for _, text in self.functions)
        return lines


@dataclass(frozen=True)
class Suggestion:
    """A small repair of a step's later member that makes the step hold.

    ``kind`` names the repair (``transpose``, ``rename-index``, ...; see
    :mod:`deriv.latex.repairs`), ``latex`` is the repaired member as LaTeX the
    author can paste, ``verdict`` is the engine's verdict on the repaired step
    -- only ever ``proved`` or ``tested`` -- and ``detail`` says what changed
    (``rename k to n``).
    """

    kind: str
    latex: str
    verdict: Verdict
    detail: str = ""


#: Draw a result for a notebook, by MIME type (``text/html``, ``text/markdown``,
#: ``text/plain``).  Set by the :mod:`deriv` package to the renderers: results are
#: vocabulary and may not import them.
RENDERERS: dict[str, Callable[[Any], str]] = {}


class _Notebook:
    """Results show in Jupyter as the HTML report draws them (one step, a file, a run), with
    Markdown and TeX beside it for front ends that strip MathML, and plain text."""

    def _repr_html_(self) -> str | None:
        renderer = RENDERERS.get("text/html")
        return renderer(self) if renderer is not None else None

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        wanted = [kind for kind in RENDERERS if (not include or kind in include) and kind not in (exclude or ())]
        return {kind: RENDERERS[kind](self) for kind in wanted}


@dataclass(frozen=True)
class StepResult(_Notebook):
    """The verdict on one step (adjacent chain members) or one claim."""

    line: int
    label: str | None
    relation: str
    lhs: str
    rhs: str
    verdict: Verdict
    method: str = ""
    message: str = ""
    justification: str | None = None
    #: Verified repairs (refuted steps and shape or index errors), best first.
    suggestion: tuple[Suggestion, ...] = ()
    counterexample: Counterexample | None = None
    seconds: float = 0.0
    #: In a notebook: (cell, line in the cell), cells counted from 1 among all cells.
    cell: tuple[int, int] | None = None
    #: The file ``line`` is in when it is not the document's own: a LaTeX ``\\input`` file.
    file: str | None = None
    #: The file column (from 1) of the display's first character of math on ``line``; None
    #: for a result tied to no display (a problem of the document).
    column: int | None = None
    #: Marked ``expect-tested``: ``tested`` is all deriv can give it (a theorem about every smooth
    #: function), so ``--strict`` does not fail it; any other verdict counts as usual.
    expect_tested: bool = False

    def passes(self, *, strict: bool = False) -> bool:
        """Whether the step lets a run pass: ``tested`` only without ``strict`` or when marked ``expect-tested``."""
        if self.verdict is Verdict.TESTED:
            return not strict or self.expect_tested
        return self.verdict in PASSING

    @property
    def where(self) -> str:
        """``line 12``; in a notebook ``cell 3 line 2``; in a LaTeX ``\\input`` file ``line 3 of part.tex``."""
        if self.cell:
            return f"cell {self.cell[0]} line {self.cell[1]}"
        return f"line {self.line}" + (f" of {self.file}" if self.file else "")

    @property
    def name(self) -> str:
        """How the step is named in reports and pytest ids."""
        return f"({self.label}) {self.where}" if self.label else self.where


@dataclass(frozen=True)
class FileResult(_Notebook):
    """Every step of one document, or the error that stopped it being read."""

    path: str
    title: str | None
    error: str | None = None
    error_line: int | None = None
    steps: tuple[StepResult, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Unchecked:
    """A Markdown file a folder run left out, and why."""

    path: str
    reason: str
    #: It looks like a derivation (display math): ``--strict`` fails on it.
    suspicious: bool = False


@dataclass(frozen=True)
class RunResult(_Notebook):
    """The results of one ``deriv check`` run over several files."""

    files: tuple[FileResult, ...]
    #: Markdown files under the folders given that were not checked.
    unchecked: tuple[Unchecked, ...] = ()

    @property
    def steps(self) -> tuple[StepResult, ...]:
        return tuple(s for f in self.files for s in f.steps)

    def summary(self) -> dict[str, int]:
        """Count of steps per verdict, every verdict present."""
        counts = {v.value: 0 for v in Verdict}
        for step in self.steps:
            counts[step.verdict.value] += 1
        return counts

    def exit_status(self, *, strict: bool = False) -> int:
        """0 all passing, 1 something wrong, 2 something broken (docs/cli.md)."""
        verdicts = {s.verdict for s in self.steps}
        if any(f.error for f in self.files) or verdicts & BROKEN:
            return 2
        if strict and any(u.suspicious for u in self.unchecked):
            return 2
        if verdicts & FAILING or not all(s.passes(strict=strict) for s in self.steps):
            return 1
        return 0


#: Verdicts that make a step the first wrong one (the label process-supervision datasets use).
WRONG = frozenset({Verdict.REFUTED, Verdict.ERROR})


@dataclass(frozen=True)
class ItemResult:
    """One item of a batch (:func:`deriv.check_many`): its steps in order, or why it could
    not be checked (``error``: a malformed item, or its text's file-level error)."""

    id: object
    steps: tuple[StepResult, ...] = ()
    error: str | None = None

    @property
    def first_wrong(self) -> int | None:
        """The 0-based index of the first step refuted or in error, or ``None``."""
        return next((n for n, step in enumerate(self.steps) if step.verdict in WRONG), None)
