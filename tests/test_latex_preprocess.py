"""LaTeX, preprocessing (deriv.latex.preprocess, docs/format.md): decoration stripping of one display."""

from __future__ import annotations

import pytest

from deriv.errors import LatexSyntaxError
from deriv.latex.preprocess import PreparedDisplay, prepare

# (display, math, justification, tag)
CASES = [
    # 1. \tag anywhere; \label dropped
    (r"x = y \tag{5}", r"x = y ", None, "5"),
    (r"\tag{ 1 } x", r" x", None, "1"),
    (r"x \label{eq:a} = y", r"x  = y", None, None),
    # 2. top-level \quad with \text after it: the rest is the justification
    (
        r"= \sum_{k} X_{i,k} \delta_{j,m} \delta_{k,n} \qquad \delta_{k,n} = 1 \text{ iff } k = n",
        r"= \sum_{k} X_{i,k} \delta_{j,m} \delta_{k,n} ",
        r"\delta_{k,n} = 1 iff k = n",
        None,
    ),
    (
        r"a = b \quad \text{because of } L = g(Y)",
        "a = b ",
        "because of L = g(Y)",
        None,
    ),
    (r"A = B \quad (\text{by } 3)", "A = B ", "(by 3)", None),
    (r"a = b, \quad \text{for all } i", "a = b", "for all i", None),
    (r"x \quad \text{a} \qquad \text{b}", "x ", "a b", None),
    # ... otherwise \quad is just spacing
    (
        r"= \sum_{i} X_{i,n} \quad \left[\frac{\partial L}{\partial Y}\right]_{i,m} \tag{13}",
        r"= \sum_{i} X_{i,n} \quad \left[\frac{\partial L}{\partial Y}\right]_{i,m} ",
        None,
        "13",
    ),
    # a \quad inside braces is not top-level
    (r"{a \quad b} \text{c}", r"{a \quad b} \mathrm{c}", None, None),
    # 3. any other \text is a name (never dropped), blank, or an error (BAD)
    (r"\text{a} x \textrm{b}", r"\mathrm{a} x \mathrm{b}", None, None),
    (r"\text{tr}(A) + \text{Tr} B", r"\tr(A) + \Tr B", None, None),
    (r"\textrm{ exp }x", r"\exp x", None, None),
    (r"x \text{ } y \mbox{}", "x   y  ", None, None),
    (r"\operatorname{g}(x)", r"\mathrm{g}(x)", None, None),
    # 4. \underbrace / \overbrace
    (r"\underbrace{XW^T}_{i,j} + B", r"{XW^T} + B", None, None),
    (r"\underbrace{\sum_{j} W_{j,k}}_{\text{loop}} Y", r"{\sum_{j} W_{j,k}} Y", None, None),
    (r"\underbrace{a}", "{a}", None, None),
    # \boxed: a group, or bare when it holds the whole display (a final answer)
    (r"\boxed{x = y}", "x = y", None, None),
    (r"  \boxed{x = y}.", "  x = y", None, None),
    (r"\boxed{x = y} \quad \text{final}", "x = y ", "final", None),
    (r"x = \boxed{y + z}", "x = {y + z}", None, None),
    (r"2\boxed{a = b}", "2{a = b}", None, None),
    (r"\boxed{a} = \boxed{b}", "{a} = {b}", None, None),
    (r"\boxed{\boxed{a = b}}", "a = b", None, None),
    (r"\overbrace{a + b}^{n} c", "{a + b} c", None, None),
    (r"\underbrace{\underbrace{a}_{x} b}_{y}", "{{a} b}", None, None),
    (r"\underbrace{a}_j b", "{a} b", None, None),
    # 5. norms
    (r"\lambda \|\mathbf{x}\|^2", r"\lambda \norm{\mathbf{x}}^2", None, None),
    (r"\lVert x \rVert", r"\norm{ x }", None, None),
    (r"\left\| x \right\|", r"\left\norm{ x \right}", None, None),
    (r"\|a\| + \|b\|", r"\norm{a} + \norm{b}", None, None),
    # 6. operator names; single-name fonts are left for the lexer
    (r"\operatorname{tr}(A)", r"\tr(A)", None, None),
    (r"\mathrm{tr}A", r"\tr A", None, None),
    (r"\operatorname*{exp} x", r"\exp x", None, None),
    (r"\mathbf{x} \mathrm{d} \mathsf{T}", r"\mathbf{x} \mathrm{d} \mathsf{T}", None, None),
    # 7. trailing punctuation after spacing
    (r"a = b,", "a = b", None, None),
    (r"a = b .", "a = b ", None, None),
    (r"a = b; \quad", "a = b", None, None),
    (r"x = y \,.", r"x = y \,", None, None),
    (r"a = b\,", r"a = b\,", None, None),  # \, is spacing, not a comma
    (r"a_{i,j}", "a_{i,j}", None, None),
    # nothing to strip
    ("", "", None, None),
    (r"\tag{11}", "", None, "11"),
]


@pytest.mark.parametrize("display,math,justification,tag", CASES)
def test_prepare(display: str, math: str, justification: str | None, tag: str | None) -> None:
    assert prepare(display) == PreparedDisplay(math, justification, tag)


BAD = [
    ("x = y}", "unexpected '}'", 6),
    ("{x", "unclosed '{'", 1),
    (r"\frac{a}{b", "unclosed '{'", 9),
    ("{" * 65 + "}" * 65, "nested deeper than 64", 65),
    ("x" * 20001, "too long", 1),
    ("\x00\xff", "control character U+0000", 1),
    ("a\x07b", "control character U+0007", 2),
    (r"\|x", r"unmatched \|", 1),
    (r"{\|x}\|", r"unmatched \|", 2),
    (r"x \rVert", r"unmatched \rVert", 3),
    (r"\mathrm{abc} x", r"unknown name 'abc' in \mathrm{abc}", 1),
    (r"\operatorname{foo}(x)", r"unknown function name 'foo' in \operatorname{foo}", 1),
    (r"x + \text{foo}(z)", r"unknown function name 'foo' in \text{foo}", 5),
    (r"\mathsf{ReLU}\left(A\right)", r"unknown function name 'ReLU' in \mathsf{ReLU}", 1),
    (r"\mathbf{relu}'(A)", r"unknown function name 'relu' in \mathbf{relu}", 1),
    (r"\operatorname*{argmax} x", r"unknown name 'argmax' in \operatorname{argmax}", 1),
    (r"x = y \text{ by (2)}", r"\text{by (2)} inside the math is not understood", 7),
    (r"x_i = x_i \qquad + y_i \text{ bias}", r"\text{bias} inside the math is not understood", 24),
    (r"a = b \text{ and } c = d", r"two claims joined by \text{and} in one display", 7),
    (r"a = b \quad\text{and}\quad c = d", r"two claims joined by \text{and}", 7),
    (r"a = b, \qquad \text{or, } \quad c \leq d", r"two claims joined by \text{or,}", 8),
    (r"a = b \quad \textrm{and hence} \; c > d", r"two claims joined by \text{and hence}", 7),
    (r"\tag{1} x \tag{2}", r"more than one \tag", 11),
    (r"x \tag", r"\tag needs", 3),
    (r"\underbrace x", r"\underbrace needs", 1),
]


@pytest.mark.parametrize("display,message,column", BAD)
def test_prepare_rejects(display: str, message: str, column: int) -> None:
    with pytest.raises(LatexSyntaxError) as info:
        prepare(display)
    assert message in info.value.message
    assert info.value.column == column
    assert f"at column {column}" in info.value.message or column == 1


def test_origin_maps_math_back_to_the_display() -> None:
    display = r"\underbrace{x}_{i} + \text{ } y"
    prepared = prepare(display)
    assert prepared.math == "{x} +   y"
    k = prepared.math.index("y")
    assert display[prepared.display_column(k + 1) - 1] == "y"
    k = prepared.math.index("x")
    assert display[prepared.display_column(k + 1) - 1] == "x"


def test_origin_is_not_part_of_equality() -> None:
    assert prepare("x") == PreparedDisplay("x", None, None)
    assert "origin" not in repr(prepare("x"))


def test_quad_before_an_operator_is_spacing_not_justification() -> None:
    """Cutting ``\\qquad + y_i \\text{bias}`` off would silently drop ``+ y_i``."""
    prepared = prepare(r"x_i = x_i \qquad + y_i \quad \text{ bias}")
    assert "+ y_i" in prepared.math
    assert prepared.justification == "bias"
