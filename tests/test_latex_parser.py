"""LaTeX, parser (deriv.latex.parser, docs/format.md): exact syntax trees.

Expected trees are written without columns; ``nocol`` zeroes the columns of
a parsed tree before comparing.  Columns are checked in their own tests.
"""

from __future__ import annotations

import dataclasses
import random
from typing import Any

import pytest

from deriv.errors import LatexSyntaxError
from deriv.latex.ast import (
    Add, BigSum, Builtin, Call, ChainSyntax, Frac, Group, Hadamard, Name, Neg,
    Number, Partial, Prime, Product, Relation, Scripted, SumIndex,
)
from deriv.latex.parser import parse_display, parse_expression


def nocol(value: Any) -> Any:
    """``value`` with every ``column`` set to 0."""
    if isinstance(value, tuple):
        return tuple(nocol(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: nocol(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if "column" in fields:
            fields["column"] = 0
        return type(value)(**fields)
    return value


# Short constructors for expected trees.
def N(name: str, font: str | None = None) -> Name:
    return Name(name, font=font)


def Num(text: str) -> Number:
    return Number(text)


def P(*factors: Any, ops: tuple[str, ...] | None = None) -> Product:
    return Product(tuple(factors), ops if ops is not None else ("",) * (len(factors) - 1))


def S(base: Any, sub: Any = None, sup: Any = None, t: bool = False) -> Scripted:
    if isinstance(sub, str):
        sub = tuple(N(c) for c in sub.split(","))
    return Scripted(base, sub=sub, sup=sup, transpose=t)


def D(num: Any, den: Any) -> Frac:
    """``\\frac{\\partial num}{\\partial den}``; None for a bare \\partial."""
    return Frac(Partial(num), Partial(den))


def Sum(indices: str, body: Any) -> BigSum:
    return BigSum(tuple(SumIndex(i) for i in indices.split(",")), body)


X, W, Y, L, B = N("X"), N("W"), N("Y"), N("L"), N("B")
x, y, a, b, c, i, j = N("x"), N("y"), N("a"), N("b"), N("c"), N("i"), N("j")

EXPRESSIONS = [
    # names, numbers, juxtaposition
    ("x", x),
    ("XW", P(X, W)),
    (r"\lambda", N("lambda")),
    (r"\Sigma", N("Sigma")),
    (r"\varphi", N("varphi")),
    ("2", Num("2")),
    ("0.5 x", P(Num("0.5"), x)),
    ("12", Num("12")),
    (r"\mathbf{x}", N("x", "mathbf")),
    (r"\boldsymbol{\lambda}", N("lambda", "boldsymbol")),
    (r"\mathcal{P}_{i,j}", S(N("P", "mathcal"), "i,j")),
    (r"\bm x", N("x", "bm")),
    (r"\mathrm{d}", N("d", "mathrm")),
    (r"\mathbf{0}", Num("0")),
    # products and quotients
    (r"a \cdot b \times c", P(a, b, c, ops=("*", "*"))),
    ("a / b", P(a, b, ops=("/",))),
    (r"a/b \cdot c", P(a, b, c, ops=("/", "*"))),
    # addition and signs
    ("a + b - c", Add(((1, a), (1, b), (-1, c)))),
    ("-a", Neg(a)),
    ("-a b", Neg(P(a, b))),
    ("-a + b", Add(((1, Neg(a)), (1, b)))),
    ("+a", a),
    (r"- \sum_i x_i + y", Add(((1, Neg(Sum("i", S(x, "i")))), (1, y)))),
    # Hadamard: looser than products, tighter than +/-
    (r"A \circ B C", Hadamard(N("A"), P(N("B"), N("C")))),
    (r"A \odot B + C", Add(((1, Hadamard(N("A"), N("B"))), (1, N("C"))))),
    (r"A \circ B \circ C", Hadamard(Hadamard(N("A"), N("B")), N("C"))),
    # scripts
    ("X_{i,k}", S(X, "i,k")),
    ("X_{ik}", S(X, (P(i, N("k")),))),
    ("b_j", S(b, "j")),
    ("x_1", S(x, (Num("1"),))),
    ("x_12", P(S(x, (Num("1"),)), Num("2"))),  # LaTeX: x_1 times 2
    ("X_{12}", S(X, (Num("12"),))),
    (r"\delta_{jm}", S(N("delta"), (P(j, N("m")),))),
    ("x_{i+1}", S(x, (Add(((1, i), (1, Num("1")))),))),
    ("W^T_{k,j}", S(W, "k,j", t=True)),
    ("W_{k,j}^{T}", S(W, "k,j", t=True)),
    (r"x^{\top}", S(x, t=True)),
    (r"x^\top", S(x, t=True)),
    (r"x^\intercal", S(x, t=True)),
    (r"\mathbf{x}^{\mathsf{T}}", S(N("x", "mathbf"), t=True)),
    ("x^2", S(x, sup=Num("2"))),
    ("x^{-1}", S(x, sup=Neg(Num("1")))),
    ("x^{x^{2}}", S(x, sup=S(x, sup=Num("2")))),
    (r"\|x\|^2", S(Builtin("norm", x), sup=Num("2"))),
    ("x'", Prime(x)),
    # groups and entries of expressions
    ("(a + b)", Group(Add(((1, a), (1, b))), "(")),
    ("[a]", Group(a, "[")),
    ("{a}", Group(a, "{")),
    (r"\left[XW^T\right]_{i,j}", S(Group(P(X, S(W, t=True)), "["), "i,j")),
    ("(A+B)_{i,j}", S(Group(Add(((1, N("A")), (1, B))), "("), "i,j")),
    (r"\bigl( a \bigr)", Group(a, "(")),
    # calls
    ("g(Y)", Call(N("g"), Y)),
    (r"g\left(Y\right)", Call(N("g"), Y)),
    ("h(X)_{i,j}", S(Call(N("h"), X), "i,j")),
    ("g(h(X))", Call(N("g"), Call(N("h"), X))),
    ("h'(x)", Call(N("h'"), x)),
    (r"\sigma(x)", Call(N("sigma"), x)),
    ("X(A+B)", Call(X, Add(((1, N("A")), (1, B))))),  # the builder decides
    ("x_i (a)", P(S(x, "i"), Group(a, "("))),  # a script is not a function name
    ("W^T(a)", P(S(W, t=True), Group(a, "("))),
    # builtins
    (r"\exp(x)", Builtin("exp", x)),
    (r"\exp x_i", Builtin("exp", S(x, "i"))),
    (r"\exp(x)^2", S(Builtin("exp", x), sup=Num("2"))),
    (r"\log x", Builtin("log", x)),
    (r"\ln x", Builtin("log", x)),
    (r"\tanh(a + b)", Builtin("tanh", Add(((1, a), (1, b))))),
    (r"\sqrt{x}", Builtin("sqrt", x)),
    (r"\sqrt{x^2 + 1}", Builtin("sqrt", Add(((1, S(x, sup=Num("2"))), (1, Num("1")))))),
    (r"\operatorname{tr}(A)", Builtin("tr", N("A"))),
    (r"\mathrm{tr}(A^T B)", Builtin("tr", P(S(N("A"), t=True), B))),
    (r"\operatorname{tr} A", Builtin("tr", N("A"))),
    (r"\exp \log x", Builtin("exp", Builtin("log", x))),
    # fractions and derivatives
    (r"\frac{a}{b}", Frac(a, b)),
    (r"\dfrac{1}{2}", Frac(Num("1"), Num("2"))),
    (r"\tfrac{a}{b} c", P(Frac(a, b), c)),
    (r"\frac{\partial L}{\partial W}", D(L, W)),
    (r"\frac{\partial g(Y)}{\partial W_{m,n}}", D(Call(N("g"), Y), S(W, "m,n"))),
    (r"\frac{\partial}{\partial W_{m,n}} (a)", P(D(None, S(W, "m,n")), Group(a, "("))),
    (r"\frac{\partial h(X)_{i,j}}{\partial X_{i,j}}", D(S(Call(N("h"), X), "i,j"), S(X, "i,j"))),
    (r"\frac{\partial g(h(X))_{i,j}}{\partial h(X)_{i,j}}",
     D(S(Call(N("g"), Call(N("h"), X)), "i,j"), S(Call(N("h"), X), "i,j"))),
    (r"\frac{\partial \left[XW^{T}\right]_{i,j}}{\partial W_{m,n}}",
     D(S(Group(P(X, S(W, t=True)), "["), "i,j"), S(W, "m,n"))),
    (r"\frac{\partial b_j}{b_k}", Frac(Partial(S(b, "j")), S(b, "k"))),
    (r"\frac{\partial L}{\partial \mathbf{y}_{i}}", D(L, S(N("y", "mathbf"), "i"))),
    # sums: the body runs to the next + or - at the same level
    (r"\sum_{i,j} x", Sum("i,j", x)),
    (r"\sum_i a b + c", Add(((1, Sum("i", P(a, b))), (1, c)))),
    (r"a \sum_i b c", P(a, Sum("i", P(b, c)))),
    (r"a \cdot \sum_i b", P(a, Sum("i", b), ops=("*",))),
    (r"\sum_i \sum_j x", Sum("i", Sum("j", x))),
    (r"\sum_{i} \sum_{j} x - y", Add(((1, Sum("i", Sum("j", x))), (-1, y)))),
    (r"\sum_i a \circ b", Sum("i", Hadamard(a, b))),
    (r"a \circ \sum_i b c", Hadamard(a, Sum("i", P(b, c)))),
    (r"(\sum_i a) b", P(Group(Sum("i", a), "("), b)),
    (r"\sum_{ij} x", Sum("i,j", x)),
    (r"\sum_{k=1}^{M} x_k", BigSum((SumIndex("k", Num("1"), N("M")),), S(x, "k"))),
    (r"\sum_{k=1}^M x_k", BigSum((SumIndex("k", Num("1"), N("M")),), S(x, "k"))),
    (r"\sum^{M}_{k=1} x_k", BigSum((SumIndex("k", Num("1"), N("M")),), S(x, "k"))),
    (r"\sum_{i}^{N} x", BigSum((SumIndex("i", None, N("N")),), x)),
    (r"\sum\limits_{i} x", Sum("i", x)),
    # subscript relations
    ("x_{k=1}", S(x, (Relation(N("k"), "=", Num("1")),))),
    # ignored decoration
    (r"\displaystyle a \, b \; c \! d \: e \ f \quad g \qquad h & k ~ l",
     P(*[N(ch) for ch in "abcdefghkl"])),
    (r"\underbrace{XW^T}_{i,j}", Group(P(X, S(W, t=True)), "{")),
]


@pytest.mark.parametrize("latex,expected", EXPRESSIONS)
def test_expression(latex: str, expected: Any) -> None:
    assert nocol(parse_expression(latex)) == expected


CHAINS = [
    # display, leading, relations, sources
    ("x = y", None, ("=",), ("x", "y")),
    ("= a + b", "=", (), ("a + b",)),
    ("A = B = C", None, ("=", "="), ("A", "B", "C")),
    (r"a < b \leq c \le d", None, ("<", "<=", "<="), ("a", "b", "c", "d")),
    (r"a > b \geq c \ge d", None, (">", ">=", ">="), ("a", "b", "c", "d")),
    (r"a \neq b \ne c", None, ("!=", "!="), ("a", "b", "c")),
    (r"\leq x", "<=", (), ("x",)),
    (r"x = y \,.", None, ("=",), ("x", "y")),
    (r"\sum_{k=1}^{M} x_k = y", None, ("=",), (r"\sum_{k=1}^{M} x_k", "y")),
    (r"a \quad = \quad b", None, ("=",), ("a", "b")),
    (r"x = y \tag{3}", None, ("=",), ("x", "y")),
    # echoed as written: the bars, not the \norm{...} deriv reads them as (no renderer knows \norm)
    (r"\lambda \|\mathbf{x}\|^2 = y", None, ("=",), (r"\lambda \|\mathbf{x}\|^2", "y")),
    (r"\left|A\right| + \lvert a \rvert = |a||b|", None, ("=",), (r"\left|A\right| + \lvert a \rvert", "|a||b|")),
    (r"a &= b \\", None, None, None),  # \\ inside one display is an error
]


@pytest.mark.parametrize("display,leading,relations,sources", CHAINS)
def test_chain(display: str, leading: str | None, relations: Any, sources: Any) -> None:
    if relations is None:
        with pytest.raises(LatexSyntaxError):
            parse_display(display)
        return
    chain, _ = parse_display(display)
    assert chain.leading == leading
    assert chain.relations == relations
    assert chain.sources == sources
    assert len(chain.members) == len(relations) + 1


def test_chain_members_and_prepared() -> None:
    chain, prepared = parse_display(
        r"\left[\frac{\partial L}{\partial W}\right]_{m,n} = \frac{\partial g(Y)}{\partial W_{m,n}}"
        r" \quad \text{because of } L = g(Y) \tag{1}"
    )
    assert nocol(chain) == ChainSyntax(
        leading=None,
        members=(S(Group(D(L, W), "["), "m,n"), D(Call(N("g"), Y), S(W, "m,n"))),
        relations=("=",),
        sources=(r"\left[\frac{\partial L}{\partial W}\right]_{m,n}",
                 r"\frac{\partial g(Y)}{\partial W_{m,n}}"),
    )
    assert prepared.justification == "because of L = g(Y)"
    assert prepared.tag == "1"


def test_columns_point_into_the_math() -> None:
    chain, _ = parse_display(r"= \sum_{i} X_{i,n} \delta")
    body = chain.members[0]
    assert isinstance(body, BigSum)
    assert body.column == 3
    assert body.indices[0].column == 9
    assert isinstance(body.body, Product)
    assert [f.column for f in body.body.factors] == [12, 20]
    assert parse_expression("a + b").terms[1][1].column == 5  # type: ignore[union-attr]
    assert parse_expression(r"\frac{a}{b}").num.column == 7  # type: ignore[union-attr]


def test_parse_expression_rejects_relations_and_text() -> None:
    for text in ("x = y", "= x", r"x \text{ if } y", r"x \tag{1}"):
        with pytest.raises(LatexSyntaxError):
            parse_expression(text)


# Every $$...$$ display of the seed notes (docs/seed-notes.txt).
# display, leading relation, number of members, tag, justification
SEED = [
    (r"\frac{\partial g(M)}{\partial t} = \sum_{i,j} \frac{\partial g(M)}{\partial M_{i,j}} \frac{\partial M_{i,j}}{\partial t},", None, 2, None, None),
    (r"\left[\frac{\partial L}{\partial W}\right]_{m,n} = \frac{\partial g(Y)}{\partial W_{m,n}}", None, 2, None, None),
    (r"\left[\frac{\partial L}{\partial W}\right]_{m,n} = \frac{\partial g(Y)}{\partial W_{m,n}} \quad \text{because of } L = g(Y)", None, 2, None, 'because of L = g(Y)'),
    (r"= \sum_{i,j} \frac{\partial g(Y)}{\partial Y_{i,j}} \frac{\partial Y_{i,j}}{\partial W_{m,n}} \quad \text{because of property above + chain rule}", '=', 1, None, 'because of property above + chain rule'),
    (r"= \sum_{i,j} \frac{\partial g(Y)}{\partial Y_{i,j}} \frac{\partial}{\partial W_{m,n}} \left( \left[ X W^T \right]_{i,j} + \mathcal{P}_{i,j} \right) \qquad \text{Since } B_{i,j} \text{ is not a function of } W", '=', 1, None, 'Since B_{i,j} is not a function of W'),
    (r"\left[XW^{T}\right]_{i,j} = \sum_{k} X_{i,k} W_{k,j}^{T} \tag{5}", None, 2, '5', None),
    (r"= \sum_{k} X_{i,k} W_{j,k} \qquad \text{flipping rows and columns for } W \text{ transpose}", '=', 1, None, 'flipping rows and columns for W transpose'),
    (r"\frac{\partial \left[XW^{T}\right]_{i,j}}{\partial W_{m,n}} = \sum_{k} X_{i,k} \frac{\partial W_{j,k}}{\partial W_{m,n}} \tag{7}", None, 2, '7', None),
    (r"= \sum_{k} X_{i,k} \delta_{j,m} \delta_{k,n} \qquad \delta_{k,n} = 1 \text{ iff } k = n", '=', 1, None, '\\delta_{k,n} = 1 iff k = n'),
    (r"=X_{i,n}\delta_{j,m} \tag{9}", '=', 1, '9', None),
    (r"= \sum_{i,j} \frac{\partial g(Y)}{\partial Y_{i,j}} \frac{\partial}{\partial W_{m,n}} \left( \left[ X W^T \right]_{i,j} \right) \tag{10}", '=', 1, '10', None),
    (r"= \sum_{i,j} \frac{\partial g(Y)}{\partial Y_{i,j}} X_{i,n} \delta_{j,m} \tag{11}", '=', 1, '11', None),
    (r"= \sum_{i} \sum_{j} \frac{\partial g(Y)}{\partial Y_{i,j}} X_{i,n} \delta_{j,m} \qquad \delta_{k,n} = 1 \text{ iff } j = m", '=', 1, None, '\\delta_{k,n} = 1 iff j = m'),
    (r"= \sum_{i} X_{i,n} \quad \left[\frac{\partial L}{\partial Y}\right]_{i,m} \tag{13}", '=', 1, '13', None),
    (r"=X^{T}\frac{\partial L}{\partial Y}\tag{14}", '=', 1, '14', None),
    (r"\frac{\partial L}{\partial b_k} = \sum_{i,j} \frac{\partial g(Y)}{\partial Y_{i,j}} \frac{\partial Y_{i,j}}{\partial b_k} \tag{1}", None, 2, '1', None),
    (r"\frac{\partial Y_{i,j}}{\partial b_k} = \frac{\partial}{\partial b_k} \left( \underbrace{XW^T}_{i,j} + B_{i,j} \right) \qquad XW^T \text{ independent of } b_k \tag{2}", None, 2, '2', 'XW^T independent of b_k'),
    (r"= \frac{\partial b_j}{b_k} \qquad \text{due to } B_{i,j} = b_j \tag{3}", '=', 1, '3', 'due to B_{i,j} = b_j'),
    (r"= \frac{\partial b_j}{b_k} \quad \text{due to } B_{i,j} = b_j \tag{3}", '=', 1, '3', 'due to B_{i,j} = b_j'),
    (r"=\delta_{j,k} \tag{4}", '=', 1, '4', None),
    (r"\frac{\partial L}{\partial b_k} = \sum_{i} \sum_{j} \frac{\partial g(Y)}{\partial Y_{i,j}} \delta_{j,k} \qquad \delta_{j,k} = 1 \text{ iff } j = k", None, 2, None, '\\delta_{j,k} = 1 iff j = k'),
    (r"=\sum_{i}\frac{\partial L}{\partial Y_{i,k}}\tag{6}", '=', 1, '6', None),
    (r"= \sum_{i} \frac{\partial L}{\partial Y_{i,k}}", '=', 1, None, None),
    (r"\frac{\partial L}{\partial \mathbf{b}} = \sum_{i} \frac{\partial L}{\partial \mathbf{y}_{i}}", None, 2, None, None),
    (r"(6)", None, 1, None, None),
    (r"\left[\frac{\partial L}{\partial X}\right]_{m,n} = \frac{\partial g(Y)}{\partial X_{m,n}} \tag{1}", None, 2, '1', None),
    (r"= \sum_{i,j} \frac{\partial g(Y)}{\partial Y_{i,j}} \frac{\partial Y_{i,j}}{\partial X_{m,n}} \quad \text{because of property above + chain rule}", '=', 1, None, 'because of property above + chain rule'),
    (r"= \sum_{i,j} \frac{\partial g(Y)}{\partial Y_{i,j}} \frac{\partial}{\partial X_{m,n}} \left( \left[ X W^T \right]_{i,j} + \mathcal{B}_{i,j} \right) \qquad \text{Since } B_{i,j} \text{ is not a function of } X \tag{3}", '=', 1, '3', 'Since B_{i,j} is not a function of X'),
    (r"\left[XW^{T}\right]_{i,j} = \sum_{k} X_{i,k} W_{k,j}^{T} \tag{4}", None, 2, '4', None),
    (r"= \sum_{k} X_{i,k} W_{j,k} \qquad \text{flipping rows and columns for } W \text{ transpose}", '=', 1, None, 'flipping rows and columns for W transpose'),
    (r"\frac{\partial \left[XW^{T}\right]_{i,j}}{\partial X_{m,n}} = \sum_{k} WX_{j,k} \frac{\partial X_{i,k}}{\partial X_{m,n}} \tag{6}", None, 2, '6', None),
    (r"= \sum_{k} W_{j,k} \delta_{i,m} \delta_{k,n} \qquad \delta_{k,n} = 1 \text{ iff } k = n", '=', 1, None, '\\delta_{k,n} = 1 iff k = n'),
    (r"=W_{j,k}\delta_{i,m} \tag{8}", '=', 1, '8', None),
    (r"= \sum_{i,j} \frac{\partial g(Y)}{\partial Y_{i,j}} \frac{\partial}{\partial X_{m,n}} \left( \left[ X W^T \right]_{i,j} \right) \tag{9}", '=', 1, '9', None),
    (r"= \sum_{i,j} \frac{\partial g(Y)}{\partial Y_{i,j}} W_{j,k} \delta_{i,m} \tag{10}", '=', 1, '10', None),
    (r"= \sum_{i} \sum_{j} \frac{\partial g(Y)}{\partial Y_{i,j}} W_{j,k} \delta_{i,m} \qquad \delta_{i,m} = 1 \text{ iff } i = m", '=', 1, None, '\\delta_{i,m} = 1 iff i = m'),
    (r"= \underbrace{\sum_{j} W_{j,k}}_{\text{loop over the columns}} \left[ \frac{\partial L}{\partial Y} \right]_{m,j} \tag{12}", '=', 1, '12', None),
    (r"= \frac{\partial L}{\partial Y}W\tag{13}", '=', 1, '13', None),
    (r"\left[\frac{\partial L}{\partial X}\right]_{m,n} = \frac{\partial g(Y)}{\partial X_{m,n}} = \frac{\partial g(h(X))}{\partial X_{m,n}} \tag{1}", None, 3, '1', None),
    (r"= \sum_{i,j} \frac{\partial g(h(X))_{i,j}}{\partial h(X)_{i,j}} \frac{\partial h(X)_{i,j}}{\partial X_{i,j}} \frac{\partial X_{i,j}}{\partial X_{m,n}} \quad \text{chain rule}", '=', 1, None, 'chain rule'),
    (r"= \sum_{i,j} \frac{\partial g(h(X))_{i,j}}{\partial h(X)_{i,j}} \frac{\partial h(X)_{i,j}}{\partial X_{i,j}} \delta_{i,m} \delta_{j,n}", '=', 1, None, None),
    (r"= \sum_{i,j} \underbrace{\frac{\partial g(h(X))_{i,j}}{\partial h(X)_{i,j}}}_{j} \underbrace{\frac{\partial h(X)_{i,j}}{\partial X_{i,j}}}_{j} \underbrace{\delta_{i,m} \delta_{j,n}}_{j,n} \qquad \delta_{i,m}, \delta_{j,n} = 1 \text{ iff } i = m, j = n", '=', 1, None, '\\delta_{i,m}, \\delta_{j,n} = 1 iff i = m, j = n'),
    (r"= \underbrace{\frac{\partial L}{\partial Y_{m,n}}}_{j} \underbrace{\frac{\partial h(X)_{m,n}}{\partial X_{m,n}}}_{j}", '=', 1, None, None),
    (r"(5)", None, 1, None, None),
    (r"= \frac{\partial L}{\partial Y_{m,n}} \frac{\partial h(X)_{m,n}}{\partial X_{m,n}} \tag{5}", '=', 1, '5', None),
    (r"\frac{\partial L}{\partial X} = \frac{\partial L}{\partial Y} \circ \frac{\partial h(X)}{\partial X},", None, 2, None, None),
    (r"\mathbf{H}\mathbf{x} = \lambda \mathbf{x}", None, 2, None, None),
    (r"\mathbf{x}^{\top}\mathbf{H}\mathbf{x} = \mathbf{x}^{\top}\lambda\mathbf{x}", None, 2, None, None),
    (r"\lambda \mathbf{x}^{\top} \mathbf{x}", None, 1, None, None),
    (r"=\lambda \|\mathbf{x}\|^2", '=', 1, None, None),
    # the Hessian display without its quantifier
    (r"\mathbf{x}^{\mathsf{T}}\mathbf{H}\mathbf{x} > 0", None, 2, None, None),
]


@pytest.mark.parametrize("display,leading,members,tag,justification", SEED)
def test_seed_display(
    display: str, leading: str | None, members: int, tag: str | None, justification: str | None
) -> None:
    chain, prepared = parse_display(display)
    assert chain.leading == leading
    assert len(chain.members) == members == len(chain.sources)
    assert prepared.tag == tag
    assert prepared.justification == justification


# Seed displays that do not parse: a display holding only a tag (the
# document reader should treat it as a label) and a quantifier (later issue).
SEED_ERRORS = [
    (r"\tag{11}", 'empty display (no math to check)'),
    (r"\mathbf{x}^{\mathsf{T}}\mathbf{H}\mathbf{x} > 0 \quad \forall \mathbf{x} \neq \mathbf{0}", 'unknown command \\forall at column 55'),
]


@pytest.mark.parametrize("display,message", SEED_ERRORS)
def test_seed_display_errors(display: str, message: str) -> None:
    with pytest.raises(LatexSyntaxError) as info:
        parse_display(display)
    assert message in info.value.message


SEED_TREES = [
    (
        r"= \sum_{i,j} \frac{\partial g(Y)}{\partial Y_{i,j}} \frac{\partial}{\partial W_{m,n}} "
        r"\left( \left[ X W^T \right]_{i,j} + \mathcal{P}_{i,j} \right) \qquad "
        r"\text{Since } B_{i,j} \text{ is not a function of } W",
        Sum("i,j", P(
            D(Call(N("g"), Y), S(Y, "i,j")),
            D(None, S(W, "m,n")),
            Group(Add(((1, S(Group(P(X, S(W, t=True)), "["), "i,j")),
                       (1, S(N("P", "mathcal"), "i,j")))), "("),
        )),
    ),
    (
        r"= \sum_{i} X_{i,n} \quad \left[\frac{\partial L}{\partial Y}\right]_{i,m} \tag{13}",
        Sum("i", P(S(X, "i,n"), S(Group(D(L, Y), "["), "i,m"))),
    ),
    (
        r"= \sum_{i} \sum_{j} \frac{\partial g(Y)}{\partial Y_{i,j}} X_{i,n} \delta_{j,m}",
        Sum("i", Sum("j", P(D(Call(N("g"), Y), S(Y, "i,j")), S(X, "i,n"), S(N("delta"), "j,m")))),
    ),
    (
        r"\frac{\partial Y_{i,j}}{\partial b_k} = \frac{\partial}{\partial b_k} "
        r"\left( \underbrace{XW^T}_{i,j} + B_{i,j} \right)",
        None,  # two members: checked below
    ),
    (
        r"= \underbrace{\sum_{j} W_{j,k}}_{\text{loop over the columns}} "
        r"\left[ \frac{\partial L}{\partial Y} \right]_{m,j} \tag{12}",
        P(Group(Sum("j", S(W, "j,k")), "{"), S(Group(D(L, Y), "["), "m,j")),
    ),
    (
        r"\frac{\partial L}{\partial X} = \frac{\partial L}{\partial Y} \circ \frac{\partial h(X)}{\partial X},",
        None,
    ),
    (r"=\lambda \|\mathbf{x}\|^2", P(N("lambda"), S(Builtin("norm", N("x", "mathbf")), sup=Num("2")))),
    (r"=X^{T}\frac{\partial L}{\partial Y}\tag{14}", P(S(X, t=True), D(L, Y))),
    (r"\sum_{k} WX_{j,k} \frac{\partial X_{i,k}}{\partial X_{m,n}}",
     Sum("k", P(W, S(X, "j,k"), D(S(X, "i,k"), S(X, "m,n"))))),
]


@pytest.mark.parametrize("display,expected", [t for t in SEED_TREES if t[1] is not None])
def test_seed_tree(display: str, expected: Any) -> None:
    chain, _ = parse_display(display)
    assert nocol(chain.members[-1]) == expected


def test_seed_two_member_trees() -> None:
    chain, _ = parse_display(SEED_TREES[3][0])
    assert nocol(chain.members) == (
        D(S(Y, "i,j"), S(b, "k")),
        P(D(None, S(b, "k")),
          Group(Add(((1, Group(P(X, S(W, t=True)), "{")), (1, S(B, "i,j")))), "(")),
    )
    chain, _ = parse_display(SEED_TREES[5][0])
    assert nocol(chain.members) == (
        D(L, X), Hadamard(D(L, Y), D(Call(N("h"), X), X)),
    )


# display, message fragment, display column (None: not checked)
BAD = [
    (r"x = \foo y", r"unknown command \foo at column 5", 5),
    ("x = y}", "unexpected '}'", 6),
    ("x = (y", "missing ')'", 7),
    ("(a]", "unexpected ']' at column 3", 3),
    ("x)", "unexpected ')' at column 2", 2),
    ("x = y)", "unexpected ')'", 6),
    ("", "empty display", 1),
    ("   ", "empty display", 1),
    ("=", "expected an expression after '='", 2),
    ("x =", "expected an expression after '='", 4),
    ("x = = y", "expected an expression after '='", 5),
    ("a + ", "expected an expression after '+'", 5),
    (r"a \cdot", r"expected an expression after \cdot", 8),
    (r"a \circ", r"expected an expression after \circ", 8),
    ("a + -b", "expected an expression after '+'", 5),
    (r"\partial x", r"\partial is only understood inside \frac", 1),
    (r"\frac{a \partial b}{c}", r"\partial is only understood inside \frac", 9),
    (r"\frac{\partial^{-1} f}{\partial x}", "needs a whole order", 7),
    (r"\top", r"\top is only understood as a superscript", 1),
    ("x_i'", "a prime", 4),
    ("x_i_j", "unexpected '_'", 4),
    (r"\sum x", r"\sum needs a summation index", 1),
    (r"\sum_{i+1} x", "unsupported summation index", 7),
    (r"\sum_{i,j}^{N} x", "exactly one summation index", 12),
    ("x^{i,j}", "a superscript must be a single expression", 3),
    (r"\sqrt[3] x", "unexpected", 10),
    (r"\frac1", r"\frac is missing an argument", 1),
    (r"\frac{a}", r"\frac is missing an argument", 1),
    (r"\mathbf{xy}", r"unknown name 'xy' in \mathbf{xy}", 1),
    (r"\mathrm{abc}", r"unknown name 'abc' in \mathrm{abc}", 1),
    ("f(x, y)", "unexpected ','", 4),
    ("x |y", "unmatched |", 3),
    ("\u00e9", "unexpected character", 1),
    (r"a \\ b", "line break", 3),
    ("x \\\\", "line break", 3),
    ("x = y\\", "stray backslash", 6),
    (r"x \in y", r"unknown command \in", 3),
    (r"\underbrace{x}_{i} + \foo", r"unknown command \foo at column 22", 22),
    ("\x00\xff", "control character", 1),
    ("1" * 201, "number too large", 1),
    (r"\mathbf{" + "1" * 250 + "}", "number too large", 9),
    ("(" * 10000 + "x" + ")" * 10000, "too long", 1),
    ("(" * 5000 + "x" + ")" * 5000, "nested deeper than 64", 65),
    ("{" * 5000 + "x" + "}" * 5000, "nested deeper than 64", 65),
    (r"\exp " * 300 + "x", "nested deeper than 200", None),
    (r"\sum_i " * 300 + "x", "nested deeper than 200", None),
    ("x" * 20001, "too long", 1),
]


@pytest.mark.parametrize("display,message,column", BAD)
def test_bad_input(display: str, message: str, column: int | None) -> None:
    with pytest.raises(LatexSyntaxError) as info:
        parse_display(display)
    assert message in info.value.message
    if column is not None:
        assert info.value.column == column
    assert info.value.line is None  # callers set the line


def _mutations(count: int) -> list[str]:
    """Seed displays with random cuts, insertions and swaps (deterministic)."""
    rng = random.Random(7)
    texts = [row[0] for row in SEED]
    out = []
    for _ in range(count):
        s = rng.choice(texts)
        for _ in range(rng.randint(1, 4)):
            k = rng.randrange(len(s) + 1)
            m = min(len(s), k + rng.randint(0, 6))
            roll = rng.random()
            if roll < 0.4:
                s = s[:k] + s[m:]
            elif roll < 0.7:
                donor = rng.choice(texts)
                d = rng.randrange(len(donor) + 1)
                s = s[:k] + donor[d : d + rng.randint(1, 10)] + s[k:]
            else:
                s = s[:k] + s[m:] + s[k:m]
        out.append(s)
    return out


def test_garbage_raises_only_latex_syntax_errors() -> None:
    junk = ["\\", "{}", "^", "_", "'", "\\left", "\\right)", "&", "\\sum_", "\\frac{}{}",
            "\\|", "\\|\\|", "\\text{", "\\tag{}", "$", "\ufeff", "x\u200by"]
    for text in junk + _mutations(400):
        try:
            parse_display(text)
        except LatexSyntaxError as error:
            assert error.column is not None and 1 <= error.column <= len(text) + 1, text


@pytest.mark.parametrize("math", [r"lambda > 0", r"x = \sigma + Sigma", r"exp(x) = e^x", r"\log det A", r"sqrt{x} = y",
                                  r"2 theta", r"a + alpha"])
def test_a_command_word_without_its_backslash_is_an_error(math: str) -> None:
    """``lambda`` is no product l a m b d a: with those letters declared it was read as one in silence."""
    from deriv.latex.lexer import LexError, tokenize

    with pytest.raises(LexError, match="write \\\\"):
        tokenize(math)


@pytest.mark.parametrize("math", [r"\lambda > 0", r"mu = u m", r"x_{ab}", r"\mathrm{lr} x", r"tr", r"ab + cd", r"Xbeta"])
def test_short_or_embedded_words_stay_letters(math: str) -> None:
    from deriv.latex.lexer import tokenize

    assert tokenize(math)
