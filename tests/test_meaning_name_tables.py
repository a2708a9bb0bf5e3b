"""The shared name tables (deriv.names): every stage reads the same ones."""

from __future__ import annotations

import pytest

import deriv
from deriv.latex.ast import Name
from deriv.latex.parser import parse_expression
from deriv.names import FUNCTION_COMMANDS, GREEK, LOG_BASES, ROMAN_OPERATORS, SCALAR_FUNCTIONS, Kind, shown_builtin
from deriv.read.kinds import check_name, parse_kind


@pytest.mark.parametrize("letter", sorted(GREEK))
def test_every_declarable_greek_letter_can_be_written(letter: str) -> None:
    assert check_name(letter) is None
    assert parse_expression(f"\\{letter}") == Name(letter, column=1)


def test_varkappa_declared_and_written_is_checked() -> None:
    result = deriv.check_text("---\nsymbols:\n  varkappa: scalar\n---\n"
                              "$$ \\varkappa + \\varkappa = 2 \\varkappa $$\n")
    assert [s.verdict.value for s in result.steps] == ["proved"]


@pytest.mark.parametrize("function", sorted(SCALAR_FUNCTIONS))
def test_every_scalar_function_is_built_and_evaluated(function: str) -> None:
    # A proof still runs one random trial, so the engine must evaluate it too.
    # 1/(x^2 + 2) is inside every function's domain (arcsin, arctanh: (-1, 1); log: positive).
    f = shown_builtin(function)
    text = (f"---\nsymbols:\n  x: scalar\n---\n"
            f"$$ {f}{{\\frac{{1}}{{x^2 + 2}}}} + {f}{{\\frac{{1}}{{x^2 + 2}}}} = 2 {f}{{\\frac{{1}}{{x^2 + 2}}}} $$\n")
    result = deriv.check_text(text)
    assert [(s.verdict.value, s.message) for s in result.steps] == [("proved", "")]


@pytest.mark.parametrize("command", sorted(ROMAN_OPERATORS))
def test_roman_spellings_mean_the_command(command: str) -> None:
    assert parse_expression(f"\\operatorname{{{command}}}(X)") == parse_expression(f"\\{command}(X)")


def test_every_builtin_is_a_function_or_an_operator_the_builder_knows() -> None:
    assert set(FUNCTION_COMMANDS.values()) | set(LOG_BASES.values()) == SCALAR_FUNCTIONS | {"tr", "norm", "abs", "diag", "det"}


@pytest.mark.parametrize("kind", list(Kind))
def test_kinds_keep_their_front_matter_words(kind: Kind) -> None:
    assert kind == kind.value and f"{kind}" == kind.value
    sizes = {"rows": "rows of Y", "columns": "columns of Y", "vector": "vector N", "ones": "ones N",
             "identity": "identity N", "matrix": "matrix N x M", "symmetric": "symmetric matrix N x N"}
    assert parse_kind(sizes.get(kind.value, kind.value))[0] is kind
