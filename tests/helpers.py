"""Plain helpers the test files share: a document from front matter and displays, and its verdicts.

Fixtures live in tests/conftest.py; these are functions, imported as ``from helpers import ...``
(pyproject.toml puts tests/ on the path: pytest imports test files with --import-mode=importlib).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import deriv
from deriv.results import StepResult


def front_matter(symbols: Mapping[str, str], definitions: Sequence[str] = (), *, quoted: bool = False,
                 extra: str = "") -> str:
    """``---`` front matter declaring ``symbols`` (name -> kind), then ``definitions`` (single-quoted
    when ``quoted``) and any ``extra`` YAML lines, closed by ``---`` and a blank line."""
    front = "---\nsymbols:\n" + "".join(f"  {name}: {kind}\n" for name, kind in symbols.items())
    if definitions:
        front += "definitions:\n" + "".join(f"  - '{d}'\n" if quoted else f"  - {d}\n" for d in definitions)
    return front + extra + "---\n\n"


def displays(*maths: str) -> str:
    """Each piece of mathematics in a ``$$ ... $$`` display of its own, a blank line apart."""
    return "\n\n".join(f"$$ {math} $$" for math in maths) + "\n"


def file_steps(tmp_path: Path, head: str, *maths: str) -> list[StepResult]:
    """The steps of ``head`` and ``maths`` as displays, written to ``doc.md`` and checked as a file."""
    path = tmp_path / "doc.md"
    path.write_text(head + displays(*maths))
    return deriv.check_file(str(path)).steps


def verdict_values(steps: Iterable[StepResult]) -> list[str]:
    """The verdicts of ``steps`` as their strings, in order."""
    return [step.verdict.value for step in steps]


def verdicts_with_messages(text: str) -> list[tuple[deriv.Verdict, str | None]]:
    """Each step's verdict and message, for a document that must read without a document error."""
    result = deriv.check_text(text)
    assert result.error is None, result.error
    return [(step.verdict, step.message) for step in result.steps]


def misbehaving_decider(hang: str, crash: str) -> str:
    """Python source that, run first in a fresh interpreter (whose workers are forked from it and
    inherit it), patches the decider: a step whose right side shows ``hang`` sleeps 60 s with the
    in-process budget's signal blocked, one whose right side shows ``crash`` kills its worker."""
    return f'''
import os, signal, time
import deriv.check.chains as chains
real = chains.decide_equality
def misbehaving(lhs, rhs, *args, **kwargs):
    if {hang!r} in str(rhs):
        signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM])
        time.sleep(60)
    if {crash!r} in str(rhs):
        os._exit(3)
    return real(lhs, rhs, *args, **kwargs)
chains.decide_equality = misbehaving
'''


def assumed_verdicts(symbols: Mapping[str, str], assumptions: Sequence[str], *maths: str) -> list[deriv.Verdict]:
    """The verdicts of ``maths`` (a display each) under ``symbols`` and the front-matter ``assumptions``."""
    extra = "assumptions:\n" + "".join(f"  - '{a}'\n" for a in assumptions) if assumptions else ""
    return [v for v, _ in verdicts_with_messages(front_matter(symbols, extra=extra) + displays(*maths))]
