"""Refutations the prose may contradict: a value it gives a declared name, which is no definition.

``Let $x, y \\in \\mathbb{R}$. Define $y = 2x$.`` declares ``y`` and then says
what it is.  deriv does not take such an equation as ``y``'s definition (a
claim ``x = 0`` about a declared ``x`` would make every step about ``x``
trivially true: docs/format.md), so ``y`` stays free -- and a step true under
``y = 2x`` (``y - x = x``) would be refuted where a reader sees it hold.  Such a
refutation is ``undecided`` instead, naming the prose: its counterexample sets
the name (or the step writes it).  Proved and tested steps hold for every value
of the name, so under this one too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from deriv.read.prose import ProseValue, letter
from deriv.results import Counterexample

_TOKEN = re.compile(r"\\[A-Za-z]+|[A-Za-z]")


def by_name(values: Iterable[ProseValue]) -> dict[str, ProseValue]:
    return {name: value for value in values for name in value.names}


def varied(example: Counterexample | None, written: str, values: dict[str, ProseValue]) -> ProseValue | None:
    """The prose value of a name a refutation sets (``example``) or its step writes, if any."""
    if not values:
        return None
    for name, _ in example.values if example is not None else ():
        if name in values:
            return values[name]
    tokens = set(_TOKEN.findall(written))
    return next((value for name, value in values.items() if letter(name) in tokens), None)


def fixed_by_prose(message: str, value: ProseValue) -> str:
    """The undecided step's message: the refutation, and the prose that may contradict it."""
    names = ", ".join(value.names)
    said = f"{message} for some {names}, but the prose at line {value.line} says ${value.latex}$"
    if value.call:
        return (f"{said}, and deriv reads no function's formula ({names} is any function): write the step "
                "with the formula in place to check it")
    return (f"{said}, which deriv does not read as {names}'s definition ({names} is declared): write it under "
            "definitions: (and not under symbols:) to check the step under it")

