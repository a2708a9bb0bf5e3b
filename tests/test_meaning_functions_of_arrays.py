"""Meaning, functions by name and functions of arrays, as ML writes them (docs/format.md).

(a) ``\\operatorname{softmax}``, ``\\text{ReLU}``, ``\\mathrm{relu}``,
``\\operatorname{softplus}``, ``\\mathrm{sigmoid}`` and ``\\sigma`` are known
without a declaration, with the meaning of the declarations by kind; a
declaration (or definition, or a name written with ``\\sigma``) wins.
(b) ``\\tanh``, ``\\exp``, ``\\log``, ``\\sqrt``, ``\\sigma``, ``relu`` of a
vector or matrix apply entry by entry; ``\\exp``/``\\log``/``\\sqrt`` of a
square matrix are an error unless declared ``elementwise function``.
(c) ``softmax over rows`` / ``softmax over columns`` of a matrix (attention).
Every case is a whole document checked end to end, with exact verdicts.
"""

from __future__ import annotations

import pytest
from helpers import front_matter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import deriv
from deriv.results import Verdict

PROVED, TESTED, REFUTED, ERROR = Verdict.PROVED, Verdict.TESTED, Verdict.REFUTED, Verdict.ERROR


def document(symbols: dict[str, str], body: str, definitions: tuple[str, ...] = ()) -> str:
    return front_matter(symbols, definitions) + body + "\n"


def check(symbols: dict[str, str], display: str, definitions: tuple[str, ...] = ()) -> tuple[Verdict, str]:
    result = deriv.check_text(document(symbols, f"$$ {display} $$", definitions), "functions.md")
    assert result.error is None, result.error
    (step,) = result.steps
    assert "please report" not in (step.message or ""), step.message
    return step.verdict, step.message or ""


def front_matter_error(symbols: dict[str, str]) -> str:
    result = deriv.check_text(document(symbols, "$$ a = a $$"), "functions.md")
    assert result.error is not None
    return str(result.error)


SCALARS = {"a": "scalar", "b": "scalar"}
ARRAYS = {
    "W": "matrix H x M", "x": "vector M", "b": "vector H", "z": "vector H", "p": "positive vector H",
    "Z": "matrix N x M", "A": "matrix N x N", "v": "positive vector H", "g": "function", "a": "scalar",
}
LAYER = ("h = \\tanh(W x + b)", "L = g(h)")

# -- (a) known by name ------------------------------------------------------------------
BY_NAME = [
    (r"\sigma'(a) = \sigma(a)(1 - \sigma(a))", PROVED),
    (r"\sigma'(a) = \sigma(a)(1 + \sigma(a))", REFUTED),
    (r"\sigma(a) = \frac{1}{1 + \exp(-a)}", PROVED),
    (r"\sigma(-a) = 1 - \sigma(a)", PROVED),
    (r"\sigma(-a) = \sigma(a)", REFUTED),
    (r"\mathrm{sigmoid}(a) = \sigma(a)", PROVED),
    (r"\operatorname{logistic}(a) = \sigma(a)", PROVED),
    (r"\operatorname{softplus}'(a) = \sigma(a)", PROVED),
    (r"\operatorname{softplus}(a) = \log(1 + \exp(a))", PROVED),
    (r"\operatorname{softplus}(a) = \log(1 + \exp(-a))", REFUTED),
    (r"\text{ReLU}(a) - \mathrm{relu}(-a) = a", TESTED),
    (r"\text{ReLU}(a) + \mathrm{relu}(-a) = a", REFUTED),
    (r"\operatorname{ReLU}(a) = \mathrm{relu}(a)", PROVED),
    (r"\mathrm{Softplus}(a) = \operatorname{softplus}(a)", PROVED),
    (r"\tanh(a) = 2 \sigma(2 a) - 1", TESTED),
    (r"\tanh(a) = \sigma(2 a) - 1", REFUTED),
]


@pytest.mark.parametrize("display, verdict", BY_NAME)
def test_functions_known_by_name(display: str, verdict: Verdict) -> None:
    assert check(SCALARS, display)[0] == verdict


def test_an_undeclared_sigma_without_an_argument_is_an_unknown_name() -> None:
    # written plain, sigma is not the logistic function anywhere in the document
    verdict, message = check(SCALARS, r"\sigma + a = a")
    assert verdict == ERROR and "unknown name sigma" in message


def test_a_softmax_written_without_its_argument_is_an_error() -> None:
    verdict, message = check({"z": "vector N"}, r"\operatorname{softmax} = z")
    assert verdict == ERROR and "apply it" in message


def test_a_declared_scalar_sigma_is_never_the_logistic_function() -> None:
    symbols = {**SCALARS, "sigma": "scalar"}
    assert check(symbols, r"\sigma(a + b) = \sigma a + \sigma b")[0] == PROVED  # a product
    assert check(symbols, r"\sigma(a) = \frac{1}{1 + \exp(-a)}")[0] == REFUTED
    assert check(symbols, r"\sigma'(a) = \sigma(a)(1 - \sigma(a))")[0] == ERROR


def test_a_declared_opaque_sigma_is_that_function() -> None:
    symbols = {**SCALARS, "sigma": "function"}
    assert check(symbols, r"\sigma(a) = \frac{1}{1 + \exp(-a)}")[0] == REFUTED
    assert check(symbols, r"\sigma(a) = \sigma(a)")[0] == PROVED


def test_a_defined_sigma_is_that_name() -> None:
    assert check(SCALARS, r"\sigma(b) = 2 a b", ("\\sigma = 2 a",))[0] == PROVED
    assert check(SCALARS, r"\sigma(b) = \frac{1}{1 + \exp(-b)}", ("\\sigma = 2 a",))[0] == REFUTED


def test_a_document_about_a_standard_deviation_does_not_read_sigma_as_logistic() -> None:
    # A name written with sigma (a variance) makes sigma the document's own letter.
    symbols = {**SCALARS, "\"\\\\sigma^2\"": "positive scalar"}
    verdict, message = check(symbols, r"\sigma(a) = \frac{1}{1 + \exp(-a)}")
    assert verdict == ERROR and "unknown name sigma" in message
    assert check({**SCALARS, "\"\\\\sigma_j\"": "scalar"}, r"\sigma(a) = \sigma(a)")[0] == ERROR


def test_a_size_or_index_named_sigma_is_not_the_logistic_function() -> None:
    size = {"x": "vector sigma", "a": "scalar"}
    assert check(size, r"\sigma(a) = \frac{1}{1 + \exp(-a)}")[0] == REFUTED
    assert check(size, r"\sigma(a) = \sigma a")[0] == PROVED  # the size times a


def test_a_declared_function_word_wins() -> None:
    symbols = {**SCALARS, "relu": "elementwise function", "ReLU": "scalar"}
    # the declared relu is an arbitrary function: max(0, a) is no theorem about it
    assert check(symbols, r"\mathrm{relu}(a) - \mathrm{relu}(-a) = a")[0] == REFUTED
    assert check(symbols, r"\mathrm{ReLU}(a + b) = \mathrm{ReLU} a + \mathrm{ReLU} b")[0] == PROVED


def test_an_unknown_word_stays_an_error() -> None:
    verdict, message = check(SCALARS, r"\operatorname{swish}(a) = a")
    assert verdict == ERROR and "unknown function name 'swish'" in message


# -- (b) functions of arrays, entry by entry ------------------------------------------------
OF_ARRAYS = [
    (r"h_i = \tanh(\sum_j W_{i,j} x_j + b_i)", PROVED),
    (r"h_i = \sum_j \tanh(W_{i,j} x_j) + b_i", REFUTED),
    (r"\frac{\partial h_i}{\partial b_j} = (1 - h_i^2) \delta_{i,j}", PROVED),
    (r"\frac{\partial h_i}{\partial b_j} = (1 + h_i^2) \delta_{i,j}", REFUTED),
    (r"\frac{\partial h_i}{\partial b_j} = (1 - h_i^2)", REFUTED),
    (r"\frac{\partial h_i}{\partial W_{m,n}} = (1 - h_i^2) \delta_{i,m} x_n", PROVED),
    (r"\frac{\partial h_i}{\partial x_n} = (1 - h_i^2) W_{i,n}", PROVED),
    (r"\frac{\partial h_i}{\partial x_n} = (1 - h_i) W_{i,n}", REFUTED),
    (r"\frac{\partial L}{\partial b_k} = \frac{\partial g(h)}{\partial h_k} (1 - h_k^2)", PROVED),
    (r"\frac{\partial L}{\partial b_k} = \frac{\partial g(h)}{\partial h_k} (1 - h_k)", REFUTED),
    (r"[\sigma(z)]_i = \frac{1}{1 + \exp(-z_i)}", PROVED),
    (r"\frac{\partial \sigma(z)_i}{\partial z_j} = \sigma(z_i)(1 - \sigma(z_i)) \delta_{i,j}", PROVED),
    (r"\frac{\partial \sigma(z)_i}{\partial z_j} = \sigma(z_i)(1 - \sigma(z_j))", REFUTED),
    (r"[\operatorname{ReLU}(Z)]_{i,j} = \mathrm{relu}(Z_{i,j})", PROVED),
    (r"[\exp(z)]_i = \exp(z_i)", PROVED),
    (r"\exp(z)_i = \exp(z_i)", PROVED),
    (r"\sum_i [\exp(z)]_i = \exp(\sum_i z_i)", REFUTED),
    (r"[\log(p)]_i = \log(p_i)", PROVED),
    (r"\sum_i [\log(p)]_i = \log(\sum_i p_i)", REFUTED),
    (r"[\sqrt{v}]_i^2 = v_i", PROVED),
    (r"[\exp(Z)]_{i,j} = \exp(Z_{i,j})", PROVED),
    (r"[\exp(Z)]_{i,j} = \exp(Z_{j,i})", ERROR),  # an index at two sizes
    (r"\exp(z)^T = \exp(z^T)", PROVED),
    (r"[\tanh(A)]_{i,j} = \tanh(A_{i,j})", PROVED),  # tanh: entry by entry on every shape
    (r"\sum_j [\tanh(A)]_{i,j} = \tanh(\sum_j A_{i,j})", REFUTED),
]


@pytest.mark.parametrize("display, verdict", OF_ARRAYS)
def test_functions_of_arrays_entry_by_entry(display: str, verdict: Verdict) -> None:
    assert check(ARRAYS, display, LAYER)[0] == verdict


@pytest.mark.parametrize("display, what", [
    (r"[\exp(A)]_{i,j} = \exp(A_{i,j})", "matrix exponential"),
    (r"[\log(A)]_{i,j} = \log(A_{i,j})", "matrix logarithm"),
    (r"[\sqrt{A}]_{i,j} = \sqrt{A_{i,j}}", "matrix square root"),
    (r"[\exp(W^T W)]_{i,j} = \exp([W^T W]_{i,j})", "matrix exponential"),
])
def test_exp_log_sqrt_of_a_square_matrix_are_an_error(display: str, what: str) -> None:
    verdict, message = check(ARRAYS, display)
    assert verdict == ERROR and what in message and "elementwise function' under symbols:" in message


def test_exp_declared_elementwise_applies_to_a_square_matrix_entry_by_entry() -> None:
    symbols = {**ARRAYS, "exp": "elementwise function", "log": "elementwise function"}
    assert check(symbols, r"[\exp(A)]_{i,j} = \exp(A_{i,j})")[0] == PROVED
    assert check(symbols, r"[\exp(A)]_{i,j} = \exp(A_{j,i})")[0] == REFUTED
    assert check(symbols, r"\log(\exp(A))_{i,j} = A_{i,j}")[0] == PROVED
    assert check(symbols, r"[\sqrt{A}]_{i,j} = \sqrt{A_{i,j}}")[0] == ERROR  # sqrt is not declared


def test_a_builtin_may_only_be_declared_an_elementwise_function() -> None:
    assert "may only be declared 'elementwise function'" in front_matter_error({"a": "scalar", "exp": "scalar"})
    assert "may only be declared 'elementwise function'" in front_matter_error({"a": "scalar", "log": "function"})
    assert "the name before a script must be a letter" in front_matter_error({"a": "scalar", "exp_1": "scalar"})


def test_logistic_regression_as_written() -> None:
    symbols = {"X": "matrix N x M", "w": "vector M", "y": "vector N"}
    definitions = (r"p = \sigma(X w)", r"L = -\sum_i (y_i \log(p_i) + (1 - y_i) \log(1 - p_i))")
    assert check(symbols, r"\frac{\partial p_i}{\partial w_k} = p_i (1 - p_i) X_{i,k}", definitions)[0] == PROVED
    assert check(symbols, r"\frac{\partial p_i}{\partial w_k} = p_i X_{i,k}", definitions)[0] == REFUTED
    assert check(symbols, r"\frac{\partial L}{\partial w_k} = \sum_i (p_i - y_i) X_{i,k}", definitions)[0] == PROVED
    assert check(symbols, r"\frac{\partial L}{\partial w_k} = \sum_i (y_i - p_i) X_{i,k}", definitions)[0] == REFUTED


FUNCTIONS = [r"\tanh", r"\exp", r"\sigma", r"\operatorname{softplus}", r"\mathrm{relu}"]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(FUNCTIONS), st.sampled_from(["b_i", "b_j", "0"]), st.booleans())
def test_an_affine_layer_entry_by_entry(function: str, bias: str, swap: bool) -> None:
    """``[f(W x + b)]_i = f(\\sum_j W_{i,j} x_j + b_i)`` exactly: any other bias
    term or a transposed weight is refuted (reference: the entry written out)."""
    entry = "W_{j,i}" if swap else "W_{i,j}"
    display = rf"[{function}(W x + b)]_i = {function}(\sum_j {entry} x_j + {bias})"
    symbols = {"W": "matrix H x H", "x": "vector H", "b": "vector H"}
    verdict = check(symbols, display)[0]
    if bias == "b_i" and not swap:
        assert verdict == PROVED
    elif bias == "b_j":
        assert verdict == ERROR  # j is summed on the right: a free j is not on the left
    else:
        assert verdict == REFUTED


# -- (c) softmax of a matrix along rows or columns ----------------------------------------
ATTENTION = {"Q": "matrix S x D", "K": "matrix S x D", "d": "positive scalar", "softmax": "softmax over rows"}
ATTENTION_DEFS = (r"A = Q K^T / \sqrt{d}", r"P = \operatorname{softmax}(A)")
BY_ROWS = [
    (r"P_{i,j} = \frac{\exp(A_{i,j})}{\sum_l \exp(A_{i,l})}", PROVED),
    (r"P_{i,j} = \frac{\exp(A_{i,j})}{\sum_l \exp(A_{l,j})}", REFUTED),
    (r"\sum_i P_{i,j} = 1", REFUTED),
    (r"\frac{\partial P_{i,j}}{\partial A_{i,l}} = P_{i,j} (\delta_{j,l} - P_{i,l})", PROVED),
    (r"\frac{\partial P_{i,j}}{\partial A_{i,l}} = P_{i,j} (\delta_{j,l} - P_{i,j})", REFUTED),
]


@pytest.mark.parametrize("display, verdict", BY_ROWS)
def test_attention_softmax_over_rows(display: str, verdict: Verdict) -> None:
    assert check(ATTENTION, display, ATTENTION_DEFS)[0] == verdict


def test_softmax_over_rows_and_columns_of_a_declared_matrix() -> None:
    symbols = {"Z": "matrix N x M", "rs": "softmax over rows", "cs": "softmax over columns"}
    definitions = (r"P = \operatorname{rs}(Z)", r"C = \operatorname{cs}(Z)")
    assert check(symbols, r"\sum_j P_{i,j} = 1", definitions)[0] == PROVED
    assert check(symbols, r"\sum_i P_{i,j} = 1", definitions)[0] == REFUTED
    assert check(symbols, r"\sum_i C_{i,j} = 1", definitions)[0] == PROVED
    assert check(symbols, r"\sum_j C_{i,j} = 1", definitions)[0] == REFUTED
    assert check(symbols, r"P_{i,j} = C_{i,j}", definitions)[0] == REFUTED


def test_softmax_of_a_matrix_must_say_which_way() -> None:
    verdict, message = check({"Z": "matrix N x M"}, r"\sum_j \operatorname{softmax}(Z)_{i,j} = 1")
    assert verdict == ERROR and "softmax over rows" in message and "softmax over columns" in message
    verdict, message = check({"z": "vector N"}, r"\sum_j \operatorname{softmax}(z^T)_j = 1")
    assert verdict == ERROR and "softmax over rows" in message


def test_a_softmax_over_rows_of_a_vector() -> None:
    symbols = {"z": "vector N", "softmax": "softmax over rows"}
    assert check(symbols, r"\sum_j \operatorname{softmax}(z^T)_j = 1")[0] == PROVED
    verdict, message = check(symbols, r"\operatorname{softmax}(z)_i = 1")
    assert verdict == ERROR and "every entry would be 1" in message
    columns = {"z": "vector N", "softmax": "softmax over columns"}
    assert check(columns, r"\sum_i \operatorname{softmax}(z)_i = 1")[0] == PROVED


def test_attention_as_written_with_a_size_d() -> None:
    symbols = {"Q": "matrix S x d", "K": "matrix S x d", "V": "matrix S x d", "softmax": "softmax over rows"}
    definitions = (r"P = \operatorname{softmax}(Q K^T / \sqrt{d})", "O = P V")
    scaled = r"P_{i,j} = \frac{\exp(\sum_k Q_{i,k} K_{j,k} / \sqrt{d})}{\sum_l \exp(\sum_k Q_{i,k} K_{l,k} / \sqrt{d})}"
    assert check(symbols, scaled, definitions)[0] == PROVED
    assert check(symbols, scaled.replace(r" / \sqrt{d}", ""), definitions)[0] == REFUTED  # the missing 1/sqrt(d)
    assert check(symbols, r"\frac{\partial O_{i,n}}{\partial V_{j,m}} = P_{i,j} \delta_{n,m}", definitions)[0] == PROVED
    assert check(symbols, r"\frac{\partial O_{i,n}}{\partial V_{j,m}} = P_{j,i} \delta_{n,m}", definitions)[0] == REFUTED


def test_the_jacobian_of_a_row_softmax() -> None:
    symbols = {"Z": "matrix N x M", "softmax": "softmax over rows"}
    definitions = (r"P = \operatorname{softmax}(Z)",)
    jacobian = r"\frac{\partial P_{i,j}}{\partial Z_{k,l}} = "
    assert check(symbols, jacobian + r"P_{i,j} (\delta_{j,l} - P_{i,l}) \delta_{i,k}", definitions)[0] == PROVED
    assert check(symbols, jacobian + r"P_{i,j} (\delta_{j,l} - P_{i,l})", definitions)[0] == REFUTED  # rows are apart
    assert check(symbols, jacobian + r"P_{i,j} (\delta_{i,k} - P_{k,l}) \delta_{j,l}", definitions)[0] == REFUTED


@pytest.mark.parametrize("display, verdict", [
    (r"x_\sigma = x_\sigma", PROVED),  # an index named sigma is an index
    (r"\sum_{\sigma} x_\sigma = \sum_i x_i", PROVED),
    (r"\sigma_i = x_i", ERROR),  # the undeclared sigma has no entries
    (r"[\sigma'(x)]_i = \sigma(x_i)(1 - \sigma(x_i))", PROVED),
    (r"\sigma(x)^T x = \sum_i \sigma(x_i) x_i", PROVED),
    (r"\sigma(x)^T x = \sum_i \sigma(x_i)", REFUTED),
    (r"\sigma\left(a\right) = \frac{1}{1 + e^{-a}}", PROVED),
])
def test_sigma_in_other_positions(display: str, verdict: Verdict) -> None:
    assert check({"x": "vector N", "a": "scalar"}, display)[0] == verdict


def test_softmax_cross_entropy_with_the_log_of_a_vector() -> None:
    text = document(
        {"z": "vector N", "y": "vector N"},
        "\n\n".join(f"$$ {d} $$" for d in [
            r"\frac{\partial L}{\partial z_j} = p_j - y_j",
            r"\frac{\partial L}{\partial z_j} = y_j - p_j",
            r"L = -\sum_i y_i \log(p_i)",
            r"\frac{\partial L}{\partial z} = p - y",
        ]),
        (r"p = \operatorname{softmax}(z)", r"L = -y^T \log(p)"),
    ).replace("---\n\n", "assumptions:\n  - \\sum_i y_i = 1\n---\n\n", 1)
    result = deriv.check_text(text, "cross_entropy.md")
    assert result.error is None, result.error
    assert [s.verdict for s in result.steps] == [PROVED, REFUTED, PROVED, PROVED]


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["rows", "columns"]), st.sampled_from(["i", "j"]), st.booleans())
def test_a_softmax_sums_to_one_along_its_own_axis_only(axis: str, summed: str, transposed: bool) -> None:
    """Reference: a softmax over rows sums to 1 along each row (over ``j`` of
    ``P_{i,j}``), over columns down each column (over ``i``), whatever its
    argument (``Z`` or ``Z^T``), and not along the other axis."""
    symbols = {"Z": "matrix N x M", "f": f"softmax over {axis}"}
    argument = "Z^T" if transposed else "Z"
    verdict = check(symbols, rf"\sum_{summed} P_{{i,j}} = 1", (rf"P = \operatorname{{f}}({argument})",))[0]
    along_rows = axis == "rows"
    assert verdict == (PROVED if (summed == "j") == along_rows else REFUTED)


def test_an_mlp_with_subscripted_weights_and_undeclared_relu_and_softmax() -> None:
    symbols = {"W_1": "matrix H x M", "b_1": "vector H", "W_2": "matrix K x H", "x": "vector M", "y": "vector K"}
    definitions = (r"a = \text{ReLU}(W_1 x + b_1)", "o = W_2 a", r"p = \operatorname{softmax}(o)", r"L = -y^T \log(p)")
    relu = r"\frac{\partial a_i}{\partial [b_1]_j} = \mathrm{relu}'([W_1 x + b_1]_i) \delta_{i,j}"
    assert check(symbols, relu, definitions)[0] == PROVED
    assert check(symbols, relu.replace(r"\delta_{i,j}", "1"), definitions)[0] == REFUTED
    wrong_sign = r"\frac{\partial L}{\partial [W_2]_{k,h}} = (y_k - p_k) a_h"
    assert check(symbols, wrong_sign, definitions)[0] == REFUTED


def body_verdicts(symbols: dict[str, str], body: str, front_extra: str = "") -> list[Verdict]:
    text = document(symbols, body).replace("---\n\n", front_extra + "---\n\n", 1)
    result = deriv.check_text(text, "sigma.md")
    assert result.error is None, result.error
    return [s.verdict for s in result.steps]


def test_sigma_written_plain_anywhere_in_the_math_is_not_the_logistic_function() -> None:
    # A standard deviation left undeclared: sigma(x - mu) is an error, not the logistic function.
    deviation = "$$ \\sigma (x - m) = \\sigma x - \\sigma m $$\n\n$$ \\frac{x - m}{\\sigma} = a $$"
    assert body_verdicts({"a": "scalar", "x": "scalar", "m": "scalar"}, deviation) == [ERROR, ERROR]
    logistic = "$$ \\sigma(a) = \\frac{1}{1 + e^{-a}} $$"
    assert body_verdicts({"a": "scalar"}, "<!-- deriv: assume \\sigma^2 > 0 -->\n" + logistic) == [ERROR, ERROR]
    assert body_verdicts({"a": "scalar"}, logistic, "macros:\n  - \\newcommand{\\sd}{\\sigma}\n") == [ERROR]
    text = document({"a": "scalar"}, logistic, ("b = \\sigma a",))
    assert "unknown name sigma" in str(deriv.check_text(text, "sigma.md").error)


def test_sigma_applied_everywhere_and_named_in_prose_is_the_logistic_function() -> None:
    body = "\n\n".join([
        "where $\\sigma$ is the logistic function and $\\sigma'$ its derivative,",
        "$$ \\sigma\\left(a\\right) = \\frac{1}{1 + e^{-a}} $$",
        "$$ \\sigma^{\\prime}(a) = \\sigma(a)(1 - \\sigma(a)) $$",
        "$$ \\sigma \\! (a) = \\sigma'(a) $$",
    ])
    assert body_verdicts({"a": "scalar"}, body) == [PROVED, PROVED, REFUTED]
