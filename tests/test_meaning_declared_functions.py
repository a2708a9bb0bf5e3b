"""Meaning, functions declared by kind and definitions that declare their shape (docs/format.md).

Functions declared by kind (``sigma: logistic``, ``softmax: softmax``, ...),
each with proved and refuted examples asserted exactly; errors name the
problem.
"""

from __future__ import annotations

import pytest

from deriv.api import Derivation
from deriv.results import Verdict

PROVED, REFUTED, ERROR, TESTED = Verdict.PROVED, Verdict.REFUTED, Verdict.ERROR, Verdict.TESTED

SYMBOLS = {
    "x": "scalar", "y": "scalar", "z": "vector N", "w": "vector N",
    "sigma": "logistic", "softplus": "softplus", "relu": "relu", "phi": "tanh", "softmax": "softmax",
}
SOFTMAX_S = (r"s = \operatorname{softmax}(z)",)


def verdicts(math: str, symbols: dict[str, str] | None = None, definitions: tuple[str, ...] = ()) -> list:
    """Each step of ``$$ math $$`` checked through the library's :class:`Derivation`."""
    derivation = Derivation(SYMBOLS if symbols is None else symbols, list(definitions))
    derivation.chain(math)
    result = derivation.check()
    assert result.error is None, result.error
    return [(s.verdict, s.message or "") for s in result.steps]


def check(math: str, expected: Verdict, fragment: str | None = None, **kwargs) -> None:
    seen = verdicts(math, **kwargs)
    assert [v for v, _ in seen] == [expected] and (fragment is None or fragment in seen[0][1]), seen


def front_matter_error(symbols: dict[str, str]) -> str:
    derivation = Derivation(symbols)
    derivation.chain("x", "x")
    return str(derivation.check().error)


# -- functions declared by kind ------------------------------------------------
KNOWN_FUNCTIONS = [
    (r"\sigma'(x) = \sigma(x)(1-\sigma(x))", PROVED, None),
    (r"\sigma'(x) = \sigma(x)^2", REFUTED, None),
    (r"\frac{d \sigma(x)}{dx} = \sigma(x)(1-\sigma(x))", PROVED, None),
    (r"\sigma(x) = \frac{1}{1 + e^{-x}}", PROVED, None),
    (r"\sigma(x) = \frac{1}{1 + e^{x}}", REFUTED, None),
    (r"\operatorname{softplus}'(x) = \sigma(x)", PROVED, None),
    (r"\operatorname{softplus}(x) = \log(1 + \exp(x))", PROVED, None),
    (r"\operatorname{softplus}'(x) = \operatorname{softplus}(x)", REFUTED, None),
    (r"\phi'(x) = 1 - \phi(x)^2", PROVED, None),
    (r"\phi'(x) = 1 + \phi(x)^2", REFUTED, None),
    (r"\phi(x) = \tanh(x)", PROVED, None),
    # relu: Max(0, x); its derivative is the step, refused at an exact 0
    (r"\operatorname{relu}(x) + \operatorname{relu}(x) = 2 \operatorname{relu}(x)", PROVED, None),
    (r"\frac{d \operatorname{relu}(x)}{dx} = \operatorname{relu}'(x)", PROVED, None),
    (r"\frac{d \operatorname{relu}(x)}{dx} = 1", REFUTED, None),
    (r"\operatorname{relu}(x) = x", REFUTED, None),
    (r"\operatorname{relu}(x) - \operatorname{relu}(-x) = x", TESTED, None),
    (r"\operatorname{relu}''(x) = 0", ERROR, "relu'' is not defined"),
    (r"\operatorname{relu}'(0) = 1", ERROR, "not differentiable at 0"),
    (r"\mathrm{relu}(x) = \text{relu}(x)", PROVED, None),
    # softmax: a vector to a vector
    # over the common positive denominator sum_k exp(z_k)
    (r"\sum_i \operatorname{softmax}(z)_i = 1", PROVED, None),
    (r"\operatorname{softmax}(z)_i = 1", REFUTED, None),
    (r"\operatorname{softmax}(x) = 1", ERROR, "only of a vector or a matrix"),
    (r"\operatorname{softmax}'(z) = 1", ERROR, "maps a vector to a vector"),
    (r"\operatorname{foo}(x) = 1", ERROR, "unknown function name 'foo'"),
]


@pytest.mark.parametrize(("math", "expected", "fragment"), KNOWN_FUNCTIONS)
def test_functions_declared_by_kind(math: str, expected: Verdict, fragment: str | None) -> None:
    check(math, expected, fragment)


def test_softmax_jacobian_proved_and_its_wrong_form_refuted() -> None:
    symbols = {"z": "vector N", "softmax": "softmax"}
    jacobian = r"\frac{\partial \operatorname{softmax}(z)_i}{\partial z_j}"
    check(jacobian + r" = s_i(\delta_{i,j} - s_j)", PROVED, symbols=symbols, definitions=SOFTMAX_S)
    check(jacobian + r" = s_i \delta_{i,j}", REFUTED, symbols=symbols, definitions=SOFTMAX_S)


def test_a_function_word_must_be_declared_as_a_function() -> None:
    assert "'softmax' names a function" in front_matter_error({"x": "scalar", "softmax": "scalar"})
    assert "logistic, softplus, relu, tanh, softmax" in front_matter_error({"x": "scalar", "sigma": "sigmoid"})


def test_an_undeclared_function_word_is_the_function_it_names() -> None:
    # softmax, relu, softplus, sigmoid, logistic are known by name (tests/test_meaning_functions_of_arrays.py)
    check(r"\operatorname{softmax}(z)_i = 1", REFUTED, symbols={"z": "vector N"})


# -- definitions declare what they define -----------------------------------------
SOFTMAX_ENTRIES = r"s_i = \frac{\exp(z_i)}{\sum_j \exp(z_j)}"
SHAPES = {"z": "vector N", "X": "matrix N x M", "softmax": "softmax"}
DEFINED_SHAPES = [
    ((SOFTMAX_ENTRIES,), r"\frac{\partial s_i}{\partial z_j} = s_i(\delta_{i,j} - s_j)", PROVED, None),
    ((SOFTMAX_ENTRIES,), r"\frac{\partial s_i}{\partial z_j} = s_i \delta_{i,j}", REFUTED, None),
    ((SOFTMAX_ENTRIES,), r"s = \operatorname{softmax}(z)", PROVED, None),
    ((SOFTMAX_ENTRIES,), r"s = z", REFUTED, None),
    ((r"P = \operatorname{softmax}(z)",), r"\frac{\partial P_i}{\partial z_j} = P_i(\delta_{i,j} - P_j)", PROVED, None),
    ((r"P = \operatorname{softmax}(z)",), r"P_i = \exp(z_i)", REFUTED, None),
    ((r"Y_{i,j} = 2 X_{j,i}",), r"Y^T = 2X", PROVED, None),
    ((r"Y_{i,j} = 2 X_{j,i}",), r"Y = 2X", ERROR, "does not match the chain's M x N matrix"),
]


@pytest.mark.parametrize(("definitions", "math", "expected", "fragment"), DEFINED_SHAPES)
def test_definitions_declare_their_shape(definitions: tuple[str, ...], math: str, expected: Verdict, fragment: str | None) -> None:
    check(math, expected, fragment, symbols=SHAPES, definitions=definitions)


@pytest.mark.parametrize(("definition", "name"), [(r"u_i = 2", "u_i"), (r"u_{i,j,k} = 2", "u_{i,j,k}")])
def test_a_scripted_left_side_the_right_side_does_not_index_names_a_scalar(definition: str, name: str) -> None:
    """Once an error ('declare u to define its entries'); now the name ``u_i``
    (meaning.defined_names), the value its entries would have had, while
    ``u`` and ``u_j`` stay unknown: no reading differs from the entries'."""
    derivation = Derivation(SHAPES, [definition])
    derivation.chain(name, "2")
    derivation.chain("u", "u")
    derivation.chain(name.replace("i", "j"), "2")
    steps = derivation.check().steps
    assert [s.verdict for s in steps] == [Verdict.PROVED, Verdict.ERROR, Verdict.ERROR]
    assert all("unknown name u" in s.message for s in steps[1:])
