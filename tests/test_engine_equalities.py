"""Table-driven checks of single equalities written in LaTeX.

Each case is a tiny derivation document: front matter (``symbols:``, and
where needed ``indices:`` and ``definitions:``) and one display
``$$ A = B $$``.  Every case states the *exact* verdict a careful user
expects -- a right equality is ``proved`` (``tested`` only where a symbolic
proof is out of reach, said so beside the case), a wrong one is exactly
``refuted`` (with a counterexample attached) or exactly ``error`` -- never
merely "not proved".

Sizes are pairwise distinct names (S, M, N) wherever shapes matter, so a
transposed or index-swapped member is caught as a shape/index error; the
same mistake at square sizes (everything N) must then be *refuted* by the
random test.

Cases the engine currently gets wrong are kept with the correct verdict and
marked ``xfail(strict=True)`` with a diagnosis, so they turn into failures
("XPASS(strict)") the moment the engine is fixed and the mark can go.
"""

from __future__ import annotations

from fractions import Fraction
from typing import NamedTuple

import pytest

import deriv
from deriv.results import Verdict

PROVED = Verdict.PROVED
TESTED = Verdict.TESTED
REFUTED = Verdict.REFUTED
ERROR = Verdict.ERROR


def document(
    symbols: dict[str, str],
    equation: str,
    definitions: tuple[str, ...] = (),
    indices: dict[str, str] | None = None,
) -> str:
    """A minimal derivation document holding one display."""
    text = "---\nsymbols:\n" + "".join(f"  {name}: {kind}\n" for name, kind in symbols.items())
    if indices:
        text += "indices:\n" + "".join(f"  {name}: {size}\n" for name, size in indices.items())
    if definitions:
        text += "definitions:\n" + "".join(f"  - {d}\n" for d in definitions)
    return text + "---\n\n$$ " + equation + " $$\n"


class Case(NamedTuple):
    symbols: dict[str, str]
    equation: str
    expected: Verdict
    definitions: tuple[str, ...] = ()
    indices: dict[str, str] | None = None
    #: for ``error``: a fragment the message must contain (says *what* is wrong)
    message: str | None = None


def case(id_: str, symbols, equation, expected, *, definitions=(), indices=None, message=None, xfail=None):
    marks = () if xfail is None else (pytest.mark.xfail(strict=True, reason=xfail),)
    return pytest.param(
        Case(symbols, equation, expected, tuple(definitions), indices, message), id=id_, marks=marks
    )


# -- shared declarations --------------------------------------------------------
RECT = {"A": "matrix S x M"}
SQUARE = {"A": "matrix N x N"}
SQ_INDICES = {"i": "N", "j": "N", "k": "N"}
PRODUCT = {"A": "matrix S x M", "B": "matrix M x N"}
SQ_PRODUCT = {"A": "matrix N x N", "B": "matrix N x N"}
GRAD = {"G": "matrix S x N", "X": "matrix S x M"}
GRAD_SAME_COLS = {"G": "matrix S x N", "X": "matrix S x N"}
LAYER_XW = {"X": "matrix S x M", "W": "matrix N x M"}
BIAS = {"G": "matrix S x N", "b": "vector N", "B": "matrix S x N"}
SQ_BIAS = {"G": "matrix N x N", "b": "vector N", "B": "matrix N x N"}
BIAS_DEF = ("B_{i,j} = b_j",)
ELEM = {"X": "matrix S x M", "h": "elementwise function"}
SQ_ELEM = {"X": "matrix N x N", "h": "elementwise function"}
LAYER = {"X": "matrix S x M", "W": "matrix N x M", "b": "vector N", "B": "matrix S x N", "g": "function"}
SQ_LAYER = {"X": "matrix N x N", "W": "matrix N x N", "b": "vector N", "B": "matrix N x N", "g": "function"}
LAYER_DEFS = ("B_{i,j} = b_j", "Y = X W^T + B", "L = g(Y)")
SOFT = {"z": "vector N"}
QUAD = {"x": "vector N", "A": "matrix N x N"}
TRACE = {"A": "matrix S x M", "B": "matrix M x S"}
TRACE_GRAD = {"G": "matrix S x N", "X": "matrix S x M", "W": "matrix N x M"}
SQ_TRACE_GRAD = {"G": "matrix N x N", "X": "matrix N x N", "W": "matrix N x N"}
VEC = {"x": "vector N", "y": "vector N", "lambda": "scalar"}
SCAL = {"a": "scalar", "b": "scalar"}
ONE = {"x": "scalar"}

ACT = {"X": "matrix S x M", "W": "matrix N x M", "h": "elementwise function", "g": "function"}
ACT_DEFS = ("Y = X W^T", "Z = h(Y)", "L = g(Z)")
SOFTMAX = r"\frac{\exp(z_i)}{\sum_j \exp(z_j)}"
D_SOFTMAX = r"\frac{\partial}{\partial z_k} " + SOFTMAX
SIGMOID = r"\frac{1}{1+\exp(-x)}"

#: Random instances draw entries as integers up to 9999 in magnitude first
#: (deriv/engine/instances.py, VALUE_RANGE); exp/tanh/sigmoid of them are
#: compared in certified arithmetic at whatever precision that takes.

CASES = [
    # -- Kronecker delta ---------------------------------------------------------
    case("delta-contract", RECT, r"\sum_k \delta_{i,k} A_{k,j} = A_{i,j}", PROVED),
    case("delta-contract-identity-product", {**SQUARE, "I": "identity N"},
         r"\sum_k \delta_{i,k} A_{k,j} = [I A]_{i,j}", PROVED),
    # Only deltas: no entry fixes the ranges, so they are declared (docs/format.md, indices:).
    case("delta-delta", SQUARE, r"\sum_k \delta_{ik}\delta_{kj} = \delta_{ij}", PROVED, indices=SQ_INDICES),
    case("delta-delta-no-ranges", SQUARE, r"\sum_k \delta_{ik}\delta_{kj} = \delta_{ij}", ERROR,
         message="range of ind"),
    case("delta-trace-is-size", SQUARE, r"\sum_i \delta_{i,i} = N", PROVED, indices={"i": "N"}),
    case("delta-trace-is-not-another-size", {"A": "matrix N x M"}, r"\sum_i \delta_{i,i} = M", REFUTED, indices={"i": "N"}),
    case("delta-trace-sum-of-ones", SQUARE, r"\sum_i \delta_{i,i} = \sum_i 1", PROVED, indices={"i": "N"}),
    case("delta-trace-identity", {**SQUARE, "I": "identity N"},
         r"\operatorname{tr}(I) = \sum_i \delta_{i,i}", PROVED, indices={"i": "N"}),
    # wrong: the contracted index lands on the wrong slot of A
    case("delta-index-swap-rect", RECT, r"\sum_k \delta_{i,k} A_{j,k} = A_{i,j}", ERROR, message="two sizes"),
    case("delta-index-swap-square", SQUARE, r"\sum_k \delta_{i,k} A_{j,k} = A_{i,j}", REFUTED),
    case("delta-index-swap-fixed", SQUARE, r"\sum_k \delta_{i,k} A_{j,k} = A_{j,i}", PROVED),
    case("delta-other-free-index-square", SQUARE,
         r"\sum_k \delta_{i,k} A_{k,j} = \sum_k \delta_{j,k} A_{k,i}", REFUTED),
    # wrong: a delta joining indices of different ranges (S and N)
    case("delta-mismatched-ranges", LAYER_XW,
         r"\frac{\partial [X W^T]_{i,j}}{\partial W_{m,n}} = X_{i,n}\delta_{i,m}", ERROR, message="size"),
    # -- transposes --------------------------------------------------------------
    case("transpose-entry-of-product", PRODUCT, r"[A B]^T_{i,j} = \sum_k A_{j,k} B_{k,i}", PROVED),
    case("transpose-of-product-entrywise", PRODUCT, r"\left[(A B)^T\right]_{i,j} = [B^T A^T]_{i,j}", PROVED),
    case("transpose-of-product-matrix", PRODUCT, r"(A B)^T = B^T A^T", PROVED),
    case("transpose-of-product-wrong-order-rect", PRODUCT, r"(A B)^T = A^T B^T", ERROR, message="multiply"),
    case("transpose-of-product-wrong-order-square", SQ_PRODUCT, r"[(A B)^T]_{i,j} = [A^T B^T]_{i,j}", REFUTED),
    case("transpose-entry", {"W": "matrix N x M"}, r"W^T_{k,j} = W_{j,k}", PROVED),
    case("transpose-entry-sup-after", {"W": "matrix N x M"}, r"W_{k,j}^{T} = W_{j,k}", PROVED),
    case("transpose-entry-forgotten-square", {"W": "matrix N x N"}, r"W^T_{k,j} = W_{k,j}", REFUTED),
    case("transpose-entry-forgotten-rect", {"W": "matrix N x M"}, r"W^T_{k,j} = W_{k,j}", ERROR, message="two sizes"),
    case("x-w-transpose-entry", LAYER_XW, r"[X W^T]_{i,j} = \sum_k X_{i,k} W_{j,k}", PROVED),
    # -- transposed gradient -----------------------------------------------------
    case("gradient-matrix-form", GRAD, r"\sum_i G_{i,m} X_{i,n} = [G^T X]_{m,n}", PROVED),
    case("gradient-transposed-rect", GRAD, r"\sum_i G_{i,m} X_{i,n} = \sum_i X_{i,m} G_{i,n}", ERROR,
         message="two sizes"),
    case("gradient-transposed-same-shape", GRAD_SAME_COLS, r"\sum_i G_{i,m} X_{i,n} = \sum_i X_{i,m} G_{i,n}",
         REFUTED),
    case("gradient-transposed-matrix-form", GRAD_SAME_COLS, r"\sum_i G_{i,m} X_{i,n} = [X^T G]_{m,n}", REFUTED),
    case("gradient-transposed-twice", GRAD_SAME_COLS, r"\sum_i G_{i,m} X_{i,n} = [X^T G]_{n,m}", PROVED),
    # -- dropped factor / sign flip ----------------------------------------------
    case("dxw-dw", LAYER_XW, r"\frac{\partial [X W^T]_{i,j}}{\partial W_{m,n}} = X_{i,n}\delta_{j,m}", PROVED),
    # A member may drop a free index of the first member (it is then
    # constant along it); dropping the delta is wrong for j != m.
    case("dxw-dw-dropped-delta", LAYER_XW, r"\frac{\partial [X W^T]_{i,j}}{\partial W_{m,n}} = X_{i,n}", REFUTED),
    case("dxw-dw-dropped-delta-kn", LAYER_XW,
         r"\frac{\partial [X W^T]_{i,j}}{\partial W_{m,n}} = \sum_k X_{i,k} \delta_{j,m}", REFUTED),
    case("dxw-dw-new-free-index", LAYER_XW,
         r"\frac{\partial [X W^T]_{i,j}}{\partial W_{m,n}} = X_{i,k} \delta_{j,m}", ERROR, message="free index k"),
    case("dropped-factor-quadratic", QUAD, r"\sum_{i,j} x_i A_{i,j} x_j = \sum_{i,j} A_{i,j} x_j", REFUTED),
    case("dropped-factor-derivative", VEC, r"\frac{\partial}{\partial x_k} x_k^2 y_k = 2 x_k", REFUTED),
    case("dropped-factor-derivative-fixed", VEC, r"\frac{\partial}{\partial x_k} x_k^2 y_k = 2 x_k y_k", PROVED),
    case("square-of-difference", SCAL, r"(a-b)^2 = a^2 - 2 a b + b^2", PROVED),
    case("square-of-difference-sign-flip", SCAL, r"(a-b)^2 = a^2 + 2 a b + b^2", REFUTED),
    case("difference-sign-flip", {"A": "matrix S x M", "B": "matrix S x M"},
         r"[A - B]_{i,j} = B_{i,j} - A_{i,j}", REFUTED),
    case("difference-reordered", {"A": "matrix S x M", "B": "matrix S x M"},
         r"[A - B]_{i,j} = -B_{i,j} + A_{i,j}", PROVED),
    # -- bias broadcast ----------------------------------------------------------
    case("bias-delta-sum", BIAS, r"\sum_i \sum_j G_{i,j}\delta_{j,k} = \sum_i G_{i,k}", PROVED,
         definitions=BIAS_DEF),
    case("bias-derivative", BIAS, r"\frac{\partial B_{i,j}}{\partial b_k} = \delta_{j,k}", PROVED,
         definitions=BIAS_DEF),
    case("bias-derivative-wrong-index-square", SQ_BIAS, r"\frac{\partial B_{i,j}}{\partial b_k} = \delta_{i,k}",
         REFUTED, definitions=BIAS_DEF),
    case("bias-derivative-wrong-index-rect", BIAS, r"\frac{\partial B_{i,j}}{\partial b_k} = \delta_{i,k}",
         ERROR, definitions=BIAS_DEF, message="size"),
    case("bias-derivative-sum", BIAS, r"\sum_{i,j} G_{i,j} \frac{\partial B_{i,j}}{\partial b_k} = \sum_i G_{i,k}",
         PROVED, definitions=BIAS_DEF),
    case("bias-ones-vector", {**BIAS, "o": "ones S"},
         r"\sum_{i,j} G_{i,j} \frac{\partial B_{i,j}}{\partial b_k} = [G^T o]_k", PROVED, definitions=BIAS_DEF),
    case("bias-summed-wrong-axis-rect", BIAS, r"\sum_i \sum_j G_{i,j}\delta_{j,k} = \sum_j G_{k,j}", ERROR,
         definitions=BIAS_DEF, message="two sizes"),
    case("bias-summed-wrong-axis-square", SQ_BIAS,
         r"\sum_{i,j} G_{i,j} \frac{\partial B_{i,j}}{\partial b_k} = \sum_j G_{k,j}", REFUTED, definitions=BIAS_DEF),
    case("bias-gradient", LAYER, r"\frac{\partial L}{\partial b_k} = \sum_i \left[\frac{\partial L}{\partial Y}\right]_{i,k}",
         PROVED, definitions=LAYER_DEFS),
    # -- elementwise function ----------------------------------------------------
    case("elementwise-derivative", ELEM, r"\frac{\partial h(X)_{m,n}}{\partial X_{m,n}} = h'(X_{m,n})", PROVED),
    case("elementwise-derivative-no-prime", ELEM, r"\frac{\partial h(X)_{m,n}}{\partial X_{m,n}} = h(X_{m,n})",
         REFUTED),
    case("elementwise-derivative-transposed-square", SQ_ELEM,
         r"\frac{\partial h(X)_{m,n}}{\partial X_{m,n}} = h'(X_{n,m})", REFUTED),
    case("elementwise-derivative-transposed-rect", ELEM,
         r"\frac{\partial h(X)_{m,n}}{\partial X_{m,n}} = h'(X_{n,m})", ERROR, message="two sizes"),
    case("elementwise-jacobian", ELEM,
         r"\frac{\partial h(X)_{i,j}}{\partial X_{m,n}} = h'(X_{i,j}) \delta_{i,m}\delta_{j,n}", PROVED),
    case("elementwise-gradient-matrix", ELEM, r"\left[\frac{\partial h(X)}{\partial X}\right]_{m,n} = h'(X_{m,n})",
         PROVED),
    # -- opaque function: chain rule through a linear layer ----------------------
    case("chain-rule", LAYER,
         r"\frac{\partial g(Y)}{\partial W_{m,n}} = "
         r"\sum_{i,j}\frac{\partial g(Y)}{\partial Y_{i,j}}\frac{\partial Y_{i,j}}{\partial W_{m,n}}",
         PROVED, definitions=LAYER_DEFS),
    case("weights-gradient-entry", LAYER,
         r"\frac{\partial L}{\partial W_{m,n}} = \sum_i \left[\frac{\partial L}{\partial Y}\right]_{i,m} X_{i,n}",
         PROVED, definitions=LAYER_DEFS),
    case("weights-gradient-matrix", LAYER,
         r"\frac{\partial L}{\partial W} = \left(\frac{\partial L}{\partial Y}\right)^T X", PROVED,
         definitions=LAYER_DEFS),
    case("weights-gradient-seed-mistake", LAYER, r"\frac{\partial L}{\partial W} = X^T \frac{\partial L}{\partial Y}",
         ERROR, definitions=LAYER_DEFS, message="M x N"),
    case("weights-gradient-seed-mistake-square", SQ_LAYER,
         r"\frac{\partial L}{\partial W} = X^T \frac{\partial L}{\partial Y}", REFUTED, definitions=LAYER_DEFS),
    case("input-gradient", LAYER, r"\frac{\partial L}{\partial X} = \frac{\partial L}{\partial Y} W", PROVED,
         definitions=LAYER_DEFS),
    case("input-gradient-transposed-square", SQ_LAYER,
         r"\frac{\partial L}{\partial X} = \frac{\partial L}{\partial Y} W^T", REFUTED, definitions=LAYER_DEFS),
    # -- an elementwise activation between the layer and the loss --------------
    case("activation-backprop-entry", ACT,
         r"\frac{\partial L}{\partial Y_{i,j}} = \left[\frac{\partial L}{\partial Z}\right]_{i,j} h'(Y_{i,j})",
         PROVED, definitions=ACT_DEFS),
    case("activation-backprop-at-output", ACT,
         r"\frac{\partial L}{\partial Y_{i,j}} = \left[\frac{\partial L}{\partial Z}\right]_{i,j} h'(Z_{i,j})",
         REFUTED, definitions=ACT_DEFS),
    case("activation-backprop-hadamard", ACT,
         r"\frac{\partial L}{\partial Y} = \frac{\partial L}{\partial Z} \circ h'(Y)", PROVED, definitions=ACT_DEFS),
    case("activation-weights-gradient", ACT,
         r"\frac{\partial L}{\partial W} = \left(\frac{\partial L}{\partial Z} \circ h'(Y)\right)^T X", PROVED,
         definitions=ACT_DEFS),
    case("activation-weights-gradient-forgot-h-prime", ACT,
         r"\frac{\partial L}{\partial W} = \left(\frac{\partial L}{\partial Z}\right)^T X", REFUTED,
         definitions=ACT_DEFS),
    case("activation-input-gradient", ACT,
         r"\frac{\partial L}{\partial X} = \left(\frac{\partial L}{\partial Z} \odot h'(Y)\right) W", PROVED,
         definitions=ACT_DEFS),
    case("activation-jacobian-dropped-delta", ACT,
         r"\frac{\partial Z_{i,j}}{\partial X_{m,n}} = h'(Y_{i,j}) W_{j,n}", REFUTED, definitions=ACT_DEFS),
    case("linear-jacobian-square-transposed", {"X": "matrix N x N", "W": "matrix N x N"},
         r"\frac{\partial Y_{i,j}}{\partial X_{m,n}} = \delta_{i,m} W_{n,j}", REFUTED, definitions=("Y = X W^T",)),
    # -- an opaque function is tested with random polynomials --------------------
    case("opaque-not-homogeneous", {"X": "matrix S x M", "g": "function"}, r"g(2 X) = 2 g(X)", REFUTED),
    case("opaque-not-transpose-invariant", {"X": "matrix N x N", "g": "function"}, r"g(X) = g(X^T)", REFUTED),
    case("opaque-gradient-of-scaled-argument", {"X": "matrix S x M", "g": "function"},
         r"\frac{\partial g(2X)}{\partial X_{m,n}} = 2\frac{\partial g(X)}{\partial X_{m,n}}", REFUTED),
    case("opaque-fourth-difference", {"a": "scalar", "h": "elementwise function"},
         r"h(a + 4) - 4 h(a + 3) + 6 h(a + 2) - 4 h(a + 1) + h(a) = 0", REFUTED),
    # -- softmax -----------------------------------------------------------------
    case("softmax-jacobian", SOFT,
         D_SOFTMAX + r" = " + SOFTMAX + r" \delta_{i,k} - \frac{\exp(z_i)\exp(z_k)}{(\sum_j \exp(z_j))^2}", PROVED),
    case("softmax-jacobian-sign-flip", SOFT,
         D_SOFTMAX + r" = " + SOFTMAX + r" \delta_{i,k} + \frac{\exp(z_i)\exp(z_k)}{(\sum_j \exp(z_j))^2}", REFUTED),
    case("softmax-jacobian-denominator-not-squared", SOFT,
         D_SOFTMAX + r" = " + SOFTMAX + r" \delta_{i,k} - \frac{\exp(z_i)\exp(z_k)}{\sum_j \exp(z_j)}", REFUTED),
    case("softmax-jacobian-dropped-delta", SOFT,
         D_SOFTMAX + r" = " + SOFTMAX + r" - \frac{\exp(z_i)\exp(z_k)}{(\sum_j \exp(z_j))^2}", REFUTED),
    case("softmax-jacobian-extra-factor", SOFT,
         D_SOFTMAX + r" = " + SOFTMAX + r" \delta_{i,k} - \frac{\exp(z_i)\exp(z_k)^2}{(\sum_j \exp(z_j))^3}",
         REFUTED),
    case("softmax-squared", SOFT, SOFTMAX + r" = \frac{\exp(z_i)^2}{(\sum_j \exp(z_j))^2}", REFUTED),
    case("logsumexp-gradient", SOFT,
         r"\frac{\partial}{\partial z_k} \log(\sum_j \exp(z_j)) = \frac{\exp(z_k)}{\sum_j \exp(z_j)}", PROVED),
    case("logsumexp-gradient-no-normaliser", SOFT,
         r"\frac{\partial}{\partial z_k} \log(\sum_j \exp(z_j)) = \exp(z_k)", REFUTED),
    # -- other scalar functions ----------------------------------------------------
    case("tanh-derivative", SOFT, r"\frac{\partial}{\partial z_k} \tanh(z_k) = 1 - \tanh(z_k)^2", PROVED),
    case("tanh-derivative-sign-flip", SOFT, r"\frac{\partial}{\partial z_k} \tanh(z_k) = 1 + \tanh(z_k)^2", REFUTED),
    case("tanh-cubed", SOFT, r"\tanh(z_k) = \tanh(z_k)^3", REFUTED),
    case("sigmoid-derivative", ONE, r"\frac{\partial}{\partial x}" + SIGMOID + r" = \frac{\exp(-x)}{(1+\exp(-x))^2}",
         PROVED),
    case("sigmoid-derivative-cubed", ONE,
         r"\frac{\partial}{\partial x}" + SIGMOID + r" = \frac{\exp(-x)}{(1+\exp(-x))^3}", REFUTED),
    case("gaussian-doubled", ONE, r"\exp(-x^2) = 2\exp(-x^2)", REFUTED),
    case("reciprocal-derivative", ONE, r"\frac{\partial}{\partial x} \frac{1}{x} = -\frac{1}{x^2}", PROVED),
    case("reciprocal-derivative-sign-flip", ONE, r"\frac{\partial}{\partial x} \frac{1}{x} = \frac{1}{x^2}", REFUTED),
    # Over the reals log(x) is undefined for x < 0 where 1/x is defined: the sides
    # are defined on different sets, so the step is refuted unless x is positive.
    case("log-derivative", ONE, r"\frac{\partial}{\partial x} \log(x) = \frac{1}{x}", REFUTED),
    case("log-norm-derivative", VEC, r"\frac{\partial}{\partial x_k} \log(\|x\|^2) = \frac{2 x_k}{\|x\|^2}", PROVED),
    case("normalised-derivative", VEC,
         r"\frac{\partial}{\partial x_k} \frac{x_k}{\|x\|^2} = \frac{1}{\|x\|^2} - \frac{2 x_k^2}{\|x\|^4}", PROVED),
    case("sqrt-derivative", SOFT, r"\frac{\partial}{\partial z_k} \sqrt{z_k^2 + 1} = \frac{z_k}{\sqrt{z_k^2+1}}",
         PROVED),
    # -- quadratic form ----------------------------------------------------------
    case("quadratic-gradient", QUAD,
         r"\frac{\partial}{\partial x_k} \sum_{i,j} x_i A_{i,j} x_j = \sum_j A_{k,j} x_j + \sum_i x_i A_{i,k}", PROVED),
    case("quadratic-gradient-dropped-term", QUAD,
         r"\frac{\partial}{\partial x_k} \sum_{i,j} x_i A_{i,j} x_j = \sum_j A_{k,j} x_j", REFUTED),
    case("quadratic-gradient-assumes-symmetry", QUAD,
         r"\frac{\partial}{\partial x_k} \sum_{i,j} x_i A_{i,j} x_j = 2\sum_j A_{k,j} x_j", REFUTED),
    case("quadratic-gradient-matrix-form", QUAD, r"\frac{\partial x^T A x}{\partial x} = (A + A^T) x", PROVED),
    case("quadratic-gradient-symmetric", {"x": "vector N", "H": "symmetric matrix N x N"},
         r"\frac{\partial}{\partial x_k} x^T H x = 2 [H x]_k", PROVED),
    case("quadratic-form-index", QUAD, r"x^T A x = \sum_{i,j} x_i A_{i,j} x_j", PROVED),
    case("quadratic-form-index-wrong", QUAD, r"x^T A x = \sum_{i,j} x_j A_{i,j} x_j", REFUTED),
    case("quadratic-form-transpose", QUAD, r"x^T A x = x^T A^T x", PROVED),
    case("hessian-of-quadratic", QUAD,
         r"\frac{\partial}{\partial x_i}\frac{\partial}{\partial x_j} x^T A x = A_{i,j} + A_{j,i}", PROVED),
    case("hessian-of-quadratic-assumes-symmetry", QUAD,
         r"\frac{\partial}{\partial x_i}\frac{\partial}{\partial x_j} x^T A x = 2 A_{i,j}", REFUTED),
    # -- vectors, bilinear forms -----------------------------------------------------
    case("inner-product-symmetric", VEC, r"x^T y = y^T x", PROVED),
    case("outer-product-entry", VEC, r"[x y^T]_{i,j} = x_i y_j", PROVED),
    case("outer-product-entry-swapped", VEC, r"[x y^T]_{i,j} = x_j y_i", REFUTED),
    case("outer-product-not-symmetric", VEC, r"x y^T = y x^T", REFUTED),
    case("inner-is-not-outer", VEC, r"x^T y = x y^T", ERROR, message="shape"),
    case("bilinear-form", {"a": "vector S", "X": "matrix S x M", "b": "vector M"},
         r"a^T X b = \sum_{i,j} a_i X_{i,j} b_j", PROVED),
    case("bilinear-form-swapped", {"a": "vector S", "X": "matrix S x M", "b": "vector M"},
         r"a^T X b = \sum_{i,j} a_j X_{i,j} b_i", ERROR, message="two sizes"),
    case("square-of-inner-product", VEC, r"(x^T y)^2 = x^T y y^T x", PROVED),
    case("square-of-inner-product-not-cauchy-schwarz", VEC, r"(x^T y)^2 = x^T x y^T y", REFUTED),
    # -- trace -------------------------------------------------------------------
    case("trace-of-product", TRACE, r"\operatorname{tr}(A B) = \sum_{i,j} A_{i,j} B_{j,i}", PROVED),
    case("trace-cyclic", TRACE, r"\operatorname{tr}(A B) = \operatorname{tr}(B A)", PROVED),
    case("trace-of-product-frobenius-square", SQ_PRODUCT,
         r"\operatorname{tr}(A B) = \sum_{i,j} A_{i,j} B_{i,j}", REFUTED),
    case("trace-not-square", RECT, r"\mathrm{tr}(A) = \sum_i A_{i,i}", ERROR, message="square"),
    case("trace-gradient", TRACE_GRAD, r"\frac{\partial \operatorname{tr}(G^T X W^T)}{\partial W} = G^T X", PROVED),
    case("trace-gradient-transposed-rect", TRACE_GRAD,
         r"\frac{\partial \operatorname{tr}(G^T X W^T)}{\partial W} = X^T G", ERROR, message="M x N"),
    case("trace-gradient-transposed-square", SQ_TRACE_GRAD,
         r"\frac{\partial \operatorname{tr}(G^T X W^T)}{\partial W} = X^T G", REFUTED),
    # -- norms and scalars -------------------------------------------------------
    case("norm-squared", VEC, r"\|x\|^2 = x^T x", PROVED),
    case("norm-squared-sum", VEC, r"\|x\|^2 = \sum_i x_i^2", PROVED),
    case("norm-squared-not-squared", VEC, r"\|x\|^2 = \sum_i x_i", REFUTED),
    case("norm-of-sum", VEC, r"\|x + y\|^2 = \|x\|^2 + 2 x^T y + \|y\|^2", PROVED),
    case("norm-of-difference-sign-flip", VEC, r"\|x - y\|^2 = \|x\|^2 + 2 x^T y + \|y\|^2", REFUTED),
    case("scalar-pulled-out", VEC, r"x^T (\lambda x) = \lambda \|x\|^2", PROVED),
    case("scalar-squared-wrongly", VEC, r"x^T (\lambda x) = \lambda^2 \|x\|^2", REFUTED),
    case("scalar-in-norm-squared", VEC, r"\|\lambda x\|^2 = \lambda^2 \|x\|^2", PROVED),
    case("scalar-out-of-norm-without-abs", VEC, r"\|\lambda x\| = \lambda \|x\|", REFUTED),
    case("norm-gradient", VEC, r"\frac{\partial \|x\|^2}{\partial x} = 2 x", PROVED),
    case("norm-gradient-missing-two", VEC, r"\frac{\partial \|x\|^2}{\partial x} = x", REFUTED),
    case("unsquared-norm-derivative", VEC, r"\frac{\partial}{\partial x_k} \|x\| = \frac{x_k}{\|x\|}", PROVED),
    # -- symmetric, identity, ones, Hadamard ---------------------------------------
    case("symmetric-entry", {"H": "symmetric matrix N x N"}, r"H_{i,j} = H_{j,i}", PROVED),
    case("nonsymmetric-entry", SQUARE, r"A_{i,j} = A_{j,i}", REFUTED),
    case("symmetric-transpose-of-product", {"H": "symmetric matrix N x N", "A": "matrix N x N"},
         r"(H A)^T = A^T H", PROVED),
    case("symmetric-transpose-of-product-wrong", {"H": "symmetric matrix N x N", "A": "matrix N x N"},
         r"(H A)^T = A H", REFUTED),
    case("identity-right", {"A": "matrix S x M", "I": "identity M"}, r"A I = A", PROVED),
    case("identity-is-not-transpose", {**SQUARE, "I": "identity N"}, r"A I = A^T", REFUTED),
    case("ones-row-sums", {"A": "matrix S x M", "o": "ones M"}, r"[A o]_i = \sum_j A_{i,j}", PROVED),
    case("hadamard-entry", {"A": "matrix S x M", "B": "matrix S x M"}, r"[A \circ B]_{i,j} = A_{i,j} B_{i,j}", PROVED),
    case("hadamard-commutes", {"A": "matrix S x M", "B": "matrix S x M"}, r"A \odot B = B \odot A", PROVED),
    case("hadamard-is-not-product", SQ_PRODUCT, r"A \odot B = A B", REFUTED),
    # -- sums with explicit bounds -----------------------------------------------
    case("sum-bounds-full-range", {"A": "matrix S x M", "x": "vector M"},
         r"\sum_{k=1}^{M} A_{i,k} x_k = [A x]_i", PROVED),
    case("sum-bounds-wrong-size", {"A": "matrix S x M", "x": "vector M"},
         r"\sum_{k=1}^{S} A_{i,k} x_k = [A x]_i", ERROR, message="past A's length M"),
    case("sum-bounds-partial-range", {"A": "matrix S x M", "x": "vector M"},
         r"\sum_{k=2}^{M} A_{i,k} x_k = [A x]_i", REFUTED),  # k = 1 is left out
    case("sum-binds-up-to-plus", VEC, r"\sum_i x_i + \sum_i y_i = \sum_i (x_i + y_i)", PROVED),
    case("sum-of-constant-plus-one", VEC, r"\sum_i (x_i + 1) = \sum_i x_i + 1", REFUTED),
    case("product-of-sums", VEC, r"(\sum_i x_i)(\sum_j y_j) = \sum_{i,j} x_i y_j", PROVED),
    case("product-of-sums-same-dummy", VEC, r"(\sum_i x_i)(\sum_i y_i) = \sum_i x_i y_i", REFUTED),
    # the sum binds the product only, so y_i uses i past its sum: (\sum x) + y_i, or \sum (x_i + y_i) to a
    # reader who takes i to run on -- an error (deriv/latex/product_scope.py), no longer a refutation
    case("sum-binds-product-only", VEC, r"\sum_i x_i + y_i = \sum_i (x_i + y_i)", ERROR, message="bracket the body"),
    case("sum-binds-product-only-other-index", VEC, r"\sum_i x_i + y_j = \sum_i (x_i + y_j)", REFUTED),
    case("square-of-sum-is-not-sum-of-squares", VEC, r"(\sum_i x_i)^2 = \sum_i x_i^2", REFUTED),
    # -- ill-formed steps --------------------------------------------------------
    case("unknown-name", RECT, r"A_{i,j} = \mathcal{P}_{i,j}", ERROR, message="P"),
    case("free-indices-differ", SQUARE, r"A_{i,j} = A_{i,k}", ERROR, message="free index"),
    case("index-at-two-sizes", RECT, r"A_{i,j} = A_{j,i}", ERROR, message="two sizes"),
    case("shape-mismatch-in-product", {"A": "matrix S x M", "B": "matrix S x M"},
         r"[A B]_{i,j} = \sum_k A_{i,k} B_{k,j}", ERROR, message="multiply"),
    case("shape-mismatch-in-sum", {"A": "matrix S x M", "B": "matrix M x S"},
         r"A + B = A", ERROR),
    case("hadamard-shape-mismatch", {"A": "matrix N x N", "X": "matrix S x M"},
         r"[A \circ X]_{i,j} = A_{i,j} X_{i,j}", ERROR, message="shapes differ"),
    case("gradient-of-non-scalar", LAYER, r"\frac{\partial Y}{\partial W} = X", ERROR, definitions=LAYER_DEFS),
    case("exp-of-matrix", SQUARE, r"[\exp(A)]_{i,j} = \exp(A_{i,j})", ERROR, message="matrix exponential"),
    case("matrix-power", SQUARE, r"[A^2]_{i,j} = A_{i,j}^2", REFUTED),  # a matrix power
    case("matrix-inverse", SQUARE, r"[A^{-1}]_{i,j} = \frac{1}{A_{i,j}}", REFUTED),  # inverses are read
    case("conditional-sum", VEC, r"\sum_{i \neq j} x_i y_j = \sum_{i,j} x_i y_j", ERROR),
    case("numeric-subscript", SQUARE, r"A_{1,2} = A_{2,1}", REFUTED, message="for N >= 2"),  # read for sizes with a second entry
    case("unknown-command", VEC, r"\hat{x}_i = x_i", ERROR, message="\\hat"),
    case("unbalanced-braces", RECT, r"A_{i,j} = \frac{A_{i,j}}{2", ERROR),
]


def check(c: Case):
    result = deriv.check_text(document(c.symbols, c.equation, c.definitions, c.indices))
    assert result.error is None, result.error
    assert result.steps, "the display produced no step"
    return result.steps


@pytest.mark.parametrize("c", CASES)
def test_equality(c: Case) -> None:
    steps = check(c)
    seen = [(s.verdict.value, s.message) for s in steps]
    if c.expected is ERROR:
        # An ill-formed first member is one error and the step after it a
        # second ("nothing well-formed before this"): every step is an error.
        assert all(s.verdict is ERROR for s in steps), seen
        if c.message is not None:
            assert any(c.message in s.message for s in steps), seen
        return
    assert len(steps) == 1, seen
    (step,) = steps
    assert step.verdict is c.expected, seen
    if c.expected is REFUTED:
        assert step.counterexample is not None, seen
    else:
        assert step.counterexample is None, seen


def test_enough_cases() -> None:
    assert len(CASES) >= 45


@pytest.mark.parametrize(
    "symbols, definitions, fragment",
    [
        pytest.param(LAYER_XW, ("Y = X W",), "cannot multiply", id="definition-shape-mismatch"),
        pytest.param({"b": "vector N", "B": "matrix S x N"}, ("B_{i,j} = b_i",), "two sizes",
                     id="definition-index-at-two-sizes"),
        pytest.param({"b": "vector N", "B": "matrix S x N"}, ("B_{i,j} = c_j",), "unknown name c",
                     id="definition-unknown-name"),
    ],
)
def test_ill_formed_definition_is_a_file_error(symbols, definitions, fragment) -> None:
    # A bad definition makes every check under it meaningless: the file
    # gets an error naming the definition, and no step passes.
    result = deriv.check_text(document(symbols, r"b_j = b_j", definitions))
    assert result.error is not None and fragment in result.error, result.error
    assert not any(s.verdict in (PROVED, TESTED) for s in result.steps)


# -- the counterexample of a refuted step ---------------------------------------


def only_step(symbols, equation, seed: int = 0):
    result = deriv.check_text(document(symbols, equation), options=deriv.CheckOptions(seed=seed))
    assert result.error is None and len(result.steps) == 1, result
    return result.steps[0]


def test_counterexample_names_sizes_indices_and_both_values() -> None:
    # The two sides differ by exactly 1 everywhere, so the reported values
    # must be the left value and the left value plus 1, in that order.
    step = only_step(GRAD, r"\sum_i G_{i,m} X_{i,n} = \sum_i G_{i,m} X_{i,n} + 1")
    assert step.verdict is REFUTED
    ce = step.counterexample
    assert ce is not None
    sizes = dict(ce.sizes)
    assert set(sizes) == {"S", "M", "N"}
    assert all(isinstance(v, int) and v >= 1 for v in sizes.values())
    # shrunk to the simplest instance that shows it: every size 1, every entry 0
    assert ce.shrunk and set(sizes.values()) == {1} and (ce.lhs_value, ce.rhs_value) == ("0", "1")
    indices = dict(ce.indices)
    assert set(indices) == {"m", "n"}
    # 1-based: m runs over 1..N (columns of G), n over 1..M (columns of X)
    assert 1 <= indices["m"] <= sizes["N"]
    assert 1 <= indices["n"] <= sizes["M"]
    assert Fraction(ce.rhs_value) == Fraction(ce.lhs_value) + 1
    text = ce.describe()
    for name, value in [*sizes.items(), *indices.items()]:
        assert f"{name}={value}" in text
    assert ce.lhs_value in text and ce.rhs_value in text


def test_counterexample_indices_are_one_based_off_diagonal() -> None:
    # A square matrix equals its transpose on the diagonal, so any
    # counterexample is off the diagonal: with 0-based indices at N=2 one
    # of them would be 0.
    step = only_step(SQUARE, r"A_{i,j} = A_{j,i}")
    assert step.verdict is REFUTED
    ce = step.counterexample
    indices, n = dict(ce.indices), dict(ce.sizes)["N"]
    assert indices["i"] != indices["j"]
    assert all(1 <= v <= n for v in indices.values())
    assert ce.lhs_value != ce.rhs_value


def test_counterexample_is_reproduced_by_its_seed() -> None:
    first = only_step(SQ_PRODUCT, r"[(A B)^T]_{i,j} = [A^T B^T]_{i,j}", seed=7).counterexample
    again = only_step(SQ_PRODUCT, r"[(A B)^T]_{i,j} = [A^T B^T]_{i,j}", seed=first.seed).counterexample
    assert first is not None and first.seed == 7
    assert again == first
