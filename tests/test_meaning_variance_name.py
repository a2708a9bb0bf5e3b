"""Meaning, the variance as a name (docs/format.md): ``\\sigma^2`` and ``\\sigma_j^2``.

``\\sigma^2`` declared (``"\\\\sigma^2": positive scalar``) or defined
(``\\sigma^2 = \\frac{1}{N} \\sum_i (x_i - \\mu)^2``) is one name;
``\\sigma_j^2`` (also ``\\sigma^2_j``) is entry ``j`` of a vector
``\\sigma^2``; ``\\partial \\sigma^2`` is a derivative with respect to that
name, never a second derivative.  Where ``\\sigma`` is declared too (an
array or a function), or ``\\sigma^2(...)`` could be the logistic function
squared, it is an error naming both readings.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import deriv
from deriv.check.options import CheckOptions
from deriv.latex.scripted import defined_name


def result(symbols: str, *displays: str, definitions: str = ""):
    head = f"---\nsymbols:\n{symbols}\n" + (f"definitions:\n{definitions}\n" if definitions else "") + "---\n\n"
    text = head + "\n\n".join(f"$$ {d} $$" for d in displays) + "\n"
    return deriv.check_text(text, options=CheckOptions(isolate=False))


def verdicts(symbols: str, *displays: str, definitions: str = "") -> list[str]:
    return [str(s.verdict) for s in result(symbols, *displays, definitions=definitions).steps]


SCALAR = '  x: vector N\n  mu: scalar\n  epsilon: positive scalar\n  g: function'
VARIANCE = (
    "  - \\sigma^2 = \\frac{1}{N} \\sum_i (x_i - \\mu)^2\n"
    "  - \\hat x_i = \\frac{x_i - \\mu}{\\sqrt{\\sigma^2 + \\epsilon}}\n"
    "  - L = g(\\hat x)"
)
GRADIENT = ("\\frac{{\\partial L}}{{\\partial \\sigma^2}} = \\sum_i \\frac{{\\partial L}}{{\\partial \\hat x_i}} (x_i - \\mu) "
            "\\cdot \\left(-\\frac{{1}}{{2}}\\right) (\\sigma^2 + \\epsilon)^{{{power}}}")


# -- BatchNorm's gradient with respect to the variance --------------------------------

def test_batchnorm_gradient_with_respect_to_a_defined_variance():
    assert verdicts(SCALAR, GRADIENT.format(power="-3/2"), definitions=VARIANCE) == ["proved"]


@pytest.mark.parametrize("power", ["-1/2", "-3", "3/2", "-5/2"])
def test_a_wrong_power_in_the_variance_gradient_is_refuted(power):
    assert verdicts(SCALAR, GRADIENT.format(power=power), definitions=VARIANCE) == ["refuted"]


def test_the_variance_depends_on_the_data_through_its_definition():
    assert verdicts(SCALAR, "\\frac{\\partial \\sigma^2}{\\partial x_k} = \\frac{2}{N} (x_k - \\mu)",
                    "\\frac{\\partial \\sigma^2}{\\partial x_k} = \\frac{1}{N} (x_k - \\mu)",
                    "\\frac{\\partial \\sigma^2}{\\partial \\mu} = -\\frac{2}{N} \\sum_i (x_i - \\mu)",
                    definitions=VARIANCE) == ["proved", "refuted", "proved"]


BATCH = '  X: matrix S x M\n  epsilon: positive scalar\n  g: function'
BATCH_DEFINITIONS = (
    "  - \\mu_j = \\frac{1}{S} \\sum_i X_{i,j}\n"
    "  - \\sigma_j^2 = \\frac{1}{S} \\sum_i (X_{i,j} - \\mu_j)^2\n"
    "  - \\hat X_{i,j} = \\frac{X_{i,j} - \\mu_j}{\\sqrt{\\sigma_j^2 + \\epsilon}}\n"
    "  - L = g(\\hat X)"
)
BATCH_GRADIENT = ("\\frac{{\\partial L}}{{\\partial {var}}} = \\sum_i \\frac{{\\partial L}}{{\\partial \\hat X_{{i,k}}}} "
                  "(X_{{i,k}} - \\mu_k) \\cdot \\left(-\\frac{{1}}{{2}}\\right) ({var} + \\epsilon)^{{{power}}}")


@pytest.mark.parametrize("var", ["\\sigma_k^2", "\\sigma^2_k", "\\sigma_{k}^{2}", "[\\sigma^2]_k", "(\\sigma^2)_k"])
def test_a_vector_of_variances_entry_by_entry(var):
    assert verdicts(BATCH, BATCH_GRADIENT.format(var=var, power="-3/2"), BATCH_GRADIENT.format(var=var, power="-1/2"),
                    definitions=BATCH_DEFINITIONS) == ["proved", "refuted"]


# -- declared -----------------------------------------------------------------------

DECLARED = '  a: scalar\n  mu: scalar\n  "\\\\sigma^2": positive scalar'


def test_a_declared_variance_is_a_variable_not_a_square():
    assert verdicts(DECLARED, "\\frac{\\partial (\\sigma^2 a)}{\\partial \\sigma^2} = a",
                    "\\frac{\\partial (\\sigma^2 a)}{\\partial \\sigma^2} = 2 a",
                    "\\frac{\\partial (\\sigma^2 a)}{\\partial \\sigma^2} = 2 \\sigma a",
                    "\\frac{d \\log \\sigma^2}{d \\sigma^2} = \\frac{1}{\\sigma^2}") == ["proved", "refuted", "error", "proved"]


def test_a_second_derivative_by_the_variance_is_not_read_into_it():
    steps = result(DECLARED, "\\frac{\\partial^2 (\\sigma^2 a)}{\\partial \\sigma^2} = 0").steps
    assert [str(s.verdict) for s in steps] == ["error"]
    assert "order 2" in steps[0].message


def test_a_declared_vector_of_variances():
    symbols = '  x: vector N\n  "\\\\sigma^2": positive vector N'
    assert verdicts(symbols, "\\sigma_j^2 = [\\sigma^2]_j", "\\sigma_j^2 = x_j",
                    "\\sum_j \\sigma^2_j = \\mathbf{1}^T \\sigma^2") == ["proved", "refuted", "proved"]


def test_the_variance_stays_positive():
    assert verdicts(DECLARED, "\\sqrt{\\sigma^2} > 0", "\\sigma^2 + a^2 > 0") == ["proved", "proved"]


# -- what reads two ways ------------------------------------------------------------

def test_sigma_declared_too_makes_a_declared_variance_an_error():
    steps = result(DECLARED + "\n  sigma: scalar", "\\sigma^2 = \\sigma^2").steps
    assert [str(s.verdict) for s in steps] == ["error"]
    assert "reads two ways" in steps[0].message and "to the power 2" in steps[0].message


def test_sigma_declared_too_makes_a_defined_variance_an_error():
    found = result(SCALAR + "\n  sigma: scalar", "\\sigma^2 = \\sigma^2", definitions=VARIANCE)
    assert found.error is not None and "reads two ways" in found.error and "\\sigma to the power 2" in found.error


@pytest.mark.parametrize("kind", ["logistic", "function", "elementwise function"])
def test_sigma_declared_as_a_function_makes_the_variance_an_error(kind):
    steps = result(DECLARED + f"\n  sigma: {kind}", "\\sigma^2 = \\sigma^2").steps
    assert [str(s.verdict) for s in steps] == ["error"]
    assert "the function \\sigma to the power 2" in steps[0].message


@pytest.mark.parametrize("display", [
    "\\sigma^2 (a - \\mu) = (a - \\mu) \\sigma^2",
    "\\sigma^2\\left(a - \\mu\\right) = (a - \\mu) \\sigma^2",
    "a = \\sigma^2 (a)",
])
def test_the_variance_before_a_bracket_may_be_the_logistic_function_squared(display):
    steps = result(DECLARED, display).steps
    assert [str(s.verdict) for s in steps] == ["error"]
    assert "reads two ways" in steps[0].message and "\\cdot" in steps[0].message


def test_the_variance_times_a_bracket_written_with_a_dot():
    assert verdicts(DECLARED, "\\sigma^2 \\cdot (a - \\mu) = (a - \\mu) \\sigma^2",
                    "\\sigma^2 \\cdot (a - \\mu) = (a + \\mu) \\sigma^2") == ["proved", "refuted"]


def test_an_entry_of_the_variance_or_a_power_of_a_declared_sigma_j():
    steps = result('  "\\\\sigma_j": scalar\n  "\\\\sigma^2": positive vector N', "\\sigma_j^2 = \\sigma_j^2").steps
    assert [str(s.verdict) for s in steps] == ["error"]
    assert "[\\sigma^2]_{j}" in steps[0].message and "(\\sigma_j)^{2}" in steps[0].message


def test_a_name_declared_with_both_scripts_is_that_name():
    symbols = '  "\\\\sigma_j^2": positive scalar\n  "\\\\sigma^2": positive vector N\n  a: scalar'
    assert verdicts(symbols, "\\frac{\\partial (\\sigma_j^2 a)}{\\partial \\sigma_j^2} = a") == ["proved"]


def test_an_undeclared_variance_is_still_unknown():
    steps = result('  x: vector N', "x_j^2 = x_j x_j", "\\sigma^2 = \\sigma^2").steps
    assert [str(s.verdict) for s in steps] == ["proved", "error"]


def test_a_square_of_a_declared_array_is_still_a_square():
    """Nothing is fused that was not declared: x_i^2 with x declared is (x_i)^2."""
    assert verdicts('  x: vector N', "x_i^2 = x_i x_i", "x_i^2 = 2 x_i") == ["proved", "refuted"]


# -- the definition's left side ------------------------------------------------------

@pytest.mark.parametrize("latex, name", [
    ("\\sigma^2 = 1", "\\sigma^2"), ("\\sigma_j^2 = x_j", "\\sigma^2"), ("\\sigma^{2}_j = x_j", "\\sigma^2"),
    ("s^{(l)} = 1", "s^{(l)}"), ("\\mathbf{v}^2 = 1", "v^2"),
    ("B_{i,j} = 1", None), ("W^T = A", None), ("W^{-1} = A", None), ("y' = 1", None), ("L = 1", None),
    ("\\sigma^2 x = 1", None), ("= 1", None),
])
def test_the_name_a_definition_defines(latex, name):
    assert defined_name(latex) == name


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["\\sigma", "s", "\\tau", "v"]), st.sampled_from(["2", "{2}", " 2", "{ 2 }"]),
       st.sampled_from(["", "_j", "_{j}"]))
def test_every_spelling_of_a_defined_power_defines_one_name(base, sup, sub):
    assert defined_name(f"{base}{sub}^{sup} = 1") == f"{base}^2"
