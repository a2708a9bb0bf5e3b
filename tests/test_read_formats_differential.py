"""Reading, formats against each other (docs/format.md): one generated derivation written as
Markdown, a LaTeX source, a notebook, a Quarto file and a batch item gets the same steps and
verdicts in each -- with displays hidden the way each format hides them (a comment, code,
``\\iffalse``, ``\\iftrue ... \\else``, a verbatim environment, a code or raw cell, a hidden
Quarto div), which no format may read, and directives written the way each format writes them.

The reference is the list of visible displays the generator made: each format must give
exactly the steps of those displays, in order; the verdicts must agree among the formats."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import deriv

SYMBOLS = {"a": "scalar", "b": "scalar"}
MEMBERS = ["a + b", "b + a", "2 a", "a + a", "(a + b)^2", "a^2 + 2 a b + b^2", "a b", "b a", "a^2 + b^2", "a"]
HIDDEN = "a = 3 a + b"  # false: read anywhere, it would be a refuted step of its own

#: A display: (members, continues the chain before it, marked expect-fail); or None: a hidden display.
Element = tuple[tuple[str, ...], bool, bool] | None

_display = st.tuples(st.lists(st.sampled_from(MEMBERS), min_size=1, max_size=3).map(tuple), st.booleans(),
                     st.booleans())


@st.composite
def derivations(draw: st.DrawFn) -> list[Element]:
    elements: list[Element] = draw(st.lists(st.one_of(_display, st.none()), min_size=1, max_size=6))
    fixed: list[Element] = []
    for element in elements:  # a continuation needs a chain before it; a lone member is no step
        if element is not None:
            members, continues, marked = element
            continues = continues and any(e is not None for e in fixed)
            if len(members) + continues < 2:
                members = (*members, "a")
            element = (members, continues, marked)
        fixed.append(element)
    return fixed


def _math(members: tuple[str, ...], continues: bool) -> str:
    return ("= " if continues else "") + " = ".join(members)


def _align(members: tuple[str, ...], continues: bool) -> str:
    """The members as an ``align`` rows: ``x &= y \\\\ &= z``, the first row ``&= y`` for a continuation."""
    first, rest = ("", members) if continues else (members[0], members[1:])
    rows = [f"{first if n == 0 else ''} &= {m}" for n, m in enumerate(rest)] or [first]
    return "\\begin{align}\n" + " \\\\\n".join(rows) + "\n\\end{align}"


def markdown(elements: list[Element], hiding: int) -> str:
    hidden = [f"<!--\n$$ {HIDDEN} $$\n-->", f"```\n$$ {HIDDEN} $$\n```", f"    $$ {HIDDEN} $$"][hiding % 3]
    parts = []
    for element in elements:
        if element is None:
            parts.append(hidden)
            continue
        members, continues, marked = element
        display = _align(members, continues) if len(parts) % 3 == 2 else f"$$ {_math(members, continues)} $$"
        parts.append(("<!-- deriv: expect-fail -->\n" if marked else "") + display)
    return "\n\nSome prose.\n\n".join(parts) + "\n"


def latex(elements: list[Element], hiding: int) -> str:
    hidden = [f"\\iffalse\n\\[ {HIDDEN} \\]\n\\fi", f"% \\[ {HIDDEN} \\]", f"\\begin{{verbatim}}\n$$ {HIDDEN} $$\n"
              "\\end{verbatim}", f"\\iftrue\\else\n\\[ {HIDDEN} \\]\n\\fi", f"\\lstinline|$$ {HIDDEN} $$|"][hiding % 5]
    parts = ["% deriv:\n%   symbols:\n" + "".join(f"%     {k}: {v}\n" for k, v in SYMBOLS.items())]
    for n, element in enumerate(elements):
        if element is None:
            parts.append(hidden)
            continue
        members, continues, marked = element
        math = _math(members, continues)
        display = f"\\begin{{equation}}\n{math}\n\\end{{equation}}" if n % 3 == 1 else f"\\[ {math} \\]"
        display = _align(members, continues) if n % 3 == 2 else display
        parts.append(("% deriv: expect-fail\n" if marked else "") + display)
    return "\n\nSome prose.\n\n".join(parts) + "\n"


def notebook(elements: list[Element], hiding: int) -> str:
    cells = []
    for n, element in enumerate(elements):
        if element is None:
            cells.append({"cell_type": ["code", "raw"][hiding % 2], "metadata": {}, "source": f"$$ {HIDDEN} $$",
                          **({"outputs": [], "execution_count": None} if hiding % 2 == 0 else {})})
            continue
        members, continues, marked = element
        display = _align(members, continues) if n % 3 == 2 else f"$$ {_math(members, continues)} $$"
        source = ("Prose.\n\n<!-- deriv: expect-fail -->\n" if marked else "Prose.\n\n") + display
        cells.append({"cell_type": "markdown", "metadata": {}, "source": source.splitlines(keepends=True)})
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {"deriv": {"symbols": SYMBOLS}},
                       "cells": cells})


def quarto(elements: list[Element], hiding: int) -> str:
    front = "---\nformat: html\nderiv:\n  symbols:\n" + "".join(f"    {k}: {v}\n" for k, v in SYMBOLS.items()) + "---\n"
    hidden = [f"::: {{.content-hidden}}\n$$ {HIDDEN} $$\n:::", f"```{{python}}\nx = '$$ {HIDDEN} $$'\n```"][hiding % 2]
    body = markdown(elements, 0).replace(f"<!--\n$$ {HIDDEN} $$\n-->", hidden)
    return front + body


def _steps(result: deriv.FileResult) -> list[tuple[str, str, str]]:
    assert result.error is None, result.error
    return [(s.lhs, s.rhs, s.verdict.value) for s in result.steps]


def _expected(elements: list[Element]) -> list[tuple[str, str]]:
    """The steps of the visible displays: adjacent members, a continuation joined to the chain before."""
    pairs: list[tuple[str, str]] = []
    last: str | None = None
    for element in elements:
        if element is None:
            continue
        members, continues, _ = element
        chain = ((last,) if continues and last is not None else ()) + members
        pairs.extend(zip(chain, chain[1:]))
        last = members[-1]
    return pairs


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(elements=derivations(), hiding=st.integers(0, 29))
def test_every_format_reads_the_same_steps_and_gets_the_same_verdicts(tmp_path_factory, elements, hiding) -> None:
    folder = tmp_path_factory.mktemp("formats")
    writers = {"doc.md": lambda: "---\nsymbols:\n  a: scalar\n  b: scalar\n---\n" + markdown(elements, hiding),
               "doc.tex": lambda: latex(elements, hiding), "doc.ipynb": lambda: notebook(elements, hiding),
               "doc.qmd": lambda: quarto(elements, hiding)}
    results = {}
    for name, write in writers.items():
        (folder / name).write_text(write(), encoding="utf-8")
        results[name] = _steps(deriv.check_file(folder / name))
    reference = results["doc.md"]
    for name, steps in results.items():
        assert steps == reference, name
    assert HIDDEN.split(" = ")[1] not in {rhs for _, rhs, _ in reference}
    if not any(e is not None and e[2] for e in elements):
        # (A chain continued after an expected failure has no left side: the chain checker's rule.)
        assert [(lhs, rhs) for lhs, rhs, _ in reference] == _expected(elements)
        # A batch item's text may mark no step of its own (docs/library.md); it hides its display in a
        # comment, as a step a reader sees shown as code is an error in generated text (docs/library.md).
        [item] = deriv.check_many([{"id": 0, "text": markdown(elements, 0)}], symbols=SYMBOLS)
        assert item.error is None and [(s.lhs, s.rhs, s.verdict.value) for s in item.steps] == reference
