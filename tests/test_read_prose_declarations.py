"""Reading, declarations as papers state them in prose (docs/format.md).

``Let $X \\in \\mathbb{R}^{S \\times M}$``, ``$\\lambda > 0$``, ``$f : \\mathbb{R}^n \\to
\\mathbb{R}$``, a display ``$$X \\in \\mathbb{R}^{S\\times M}$$`` and an inline
``$Y = X W^T$`` giving a new name a value declare (define) as front matter
would; a document whose text declares its objects needs no front matter.
What is not a declaration (code, a quantified ``for all $x \\in ...$``,
``$x \\in S$``) is not read; what is meant as one but can not be read is an
error on its line.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import deriv
from deriv.names import Kind
from deriv.read.document import parse_document
from deriv.read.prose_math import Bound, Defining, Positivity, Statement, Unreadable, read_math
from deriv.read.selection import select

PROVED, REFUTED, ERROR = "proved", "refuted", "error"


def verdicts(markdown: str) -> list[tuple[int, str]]:
    result = deriv.check_text(markdown)
    assert result.error is None, result.error
    return [(s.line, s.verdict.value) for s in result.steps]


def messages(markdown: str) -> list[str]:
    return [s.message for s in deriv.check_text(markdown).steps]


def file_error(markdown: str) -> str:
    result = deriv.check_text(markdown)
    assert result.error is not None, result.steps
    return result.error


# --- what one piece of math states -------------------------------------------------


@pytest.mark.parametrize(("math", "expected"), [
    (r"X \in \mathbb{R}^{S \times M}", Statement(("X",), Kind.MATRIX, ("S", "M"))),
    (r"x \in \mathbb{R}^{n}", Statement(("x",), Kind.VECTOR, ("n",))),
    (r"x\in\mathbb R^n,", Statement(("x",), Kind.VECTOR, ("n",))),
    (r"\mathbf{x} \in \mathbb{R}^{d_k}.", Statement(("x",), Kind.VECTOR, ("d_k",))),
    (r"\lambda \in \mathbb{R}", Statement(("lambda",), Kind.SCALAR, ())),
    (r"X, Y \in \mathbb{R}^{n\times n}", Statement(("X", "Y"), Kind.MATRIX, ("n", "n"))),
    (r"\lambda \in \mathbb{R}_{>0}", Statement(("lambda",), Kind.SCALAR, (), True)),
    (r"\lambda \in \mathbb{R}_{++}", Statement(("lambda",), Kind.SCALAR, (), True)),
    (r"p \in \mathbb{R}^n_{>0}", Statement(("p",), Kind.VECTOR, ("n",), True)),
    (r"p \in \mathbb{R}_{>0}^{n}", Statement(("p",), Kind.VECTOR, ("n",), True)),
    (r"W_1 \in \mathbb{R}^{H \times D}", Statement(("W_1",), Kind.MATRIX, ("H", "D"))),
    (r"\hat{y} \in \mathbb{R}^N", Statement((r"\hat{y}",), Kind.VECTOR, ("N",))),
    (r"f : \mathbb{R}^n \to \mathbb{R}", Statement(("f",), Kind.FUNCTION, ())),
    (r"g\colon \mathbb{R}^{S\times N} \rightarrow \mathbb{R}", Statement(("g",), Kind.FUNCTION, ())),
    (r"\sigma: \mathbb{R} \to \mathbb{R}", Statement(("sigma",), Kind.ELEMENTWISE, ())),
    (r"\lambda > 0", Positivity(("lambda",))),
    (r"0 < a, b", Positivity(("a", "b"))),
    (r"Y = X W^T + \mathbf{1} b^T", Defining(("Y",), r"Y = X W^T + \mathbf{1} b^T")),
    (r"s_i = \exp(z_i)", Defining(("s_i", "s"), r"s_i = \exp(z_i)")),
    (r"q = \langle a, b \rangle", Defining(("q",), r"q = \langle a, b \rangle")),
    # not declarations: statements about other things, ranges, cases, relations
    # names in another set: a bound on them, an error where they are declared (read.prose)
    (r"x \in S", Bound(("x",), r"x \in S", written=True)),
    (r"x \in \mathcal{X}", Bound(("x",), r"x \in \mathcal{X}", written=True)),
    (r"i \in \{1, \dots, n\}", Bound(("i",), r"i \in \{1, \dots, n\}", written=True)),
    (r"S \in \mathbb{S}^n_{++}", Bound(("S",), r"S \in \mathbb{S}^n_{++}", written=True)),
    (r"S \succeq 0", Bound(("S",), r"S \succeq 0")),
    (r"Ax \in \mathbb{R}^m", None),
    (r"W^T \in \mathbb{R}^{M \times N}", None),
    (r"\frac{\partial L}{\partial Y} \in \mathbb{R}^{S \times N}", None),
    (r"\forall x \in \mathbb{R}^n", None),
    (r"i = 1, \dots, n", None),
    (r"t = 1, 2", None),
    (r"k = 1", None),
    (r"a = b = c", None),
    (r"Y := X W", None),
    # a comparison of anything else bounds the names it writes: never dropped in silence (read.prose)
    (r"y \leq x", Bound(("y", "x"), r"y \leq x", written=True)),
    (r"\|x\| > 0", Bound(("x",), r"\|x\| > 0", written=True)),
    (r"a - b > 0", Bound(("a", "b"), r"a - b > 0", written=True)),
    (r"\lambda_1 \geq \lambda_{2}", Bound(("lambda", "\\lambda_1", "\\lambda_2"), r"\lambda_1 \geq \lambda_{2}", written=True)),
    (r"f(x) = x^2", Defining(("f",), "f(x) = x^2", call=True)),  # a formula: never a definition
    (r"f: A \to B", None),
    (r"x", None),
])
def test_what_one_piece_of_math_states(math: str, expected: object) -> None:
    assert read_math(math) == expected


@pytest.mark.parametrize(("math", "words"), [
    (r"x \in \mathbb{R}^3", "sizes are names"),
    (r"x \in \mathbb{R}^{n+1}", "sizes are names"),
    (r"T \in \mathbb{R}^{a \times b \times c}", "not arrays of 3 axes"),
    (r"u \in \mathbb{R}_+", "no non-negative kind"),
    (r"u \in \mathbb{R}_{\geq 0}", "no non-negative kind"),
    (r"u \in \mathbb{R}_{<0}", "only subscript"),
    (r"u \in \mathbb{R}^n^m", "two ^ scripts"),
    (r"f: \mathbb{R}^n \to \mathbb{R}^m", "real-valued"),
])
def test_meant_as_a_declaration_but_unreadable(math: str, words: str) -> None:
    with pytest.raises(Unreadable, match=re.escape(words)):
        read_math(math)


def test_an_entrywise_function_maps_reals_to_reals() -> None:
    assert read_math(r"\phi: \mathbb{R} \to \mathbb{R}", elementwise=True) == Statement(("phi",), Kind.ELEMENTWISE, ())
    with pytest.raises(Unreadable, match="entrywise"):
        read_math(r"\phi: \mathbb{R}^n \to \mathbb{R}", elementwise=True)


_NAMES = st.sampled_from(["x", "W", r"\lambda", r"\mathbf{v}", r"\hat{y}", "h_{t-1}"])
_SIZES = st.sampled_from(["n", "M", "d_k", "N"])


@settings(max_examples=60, deadline=None)
@given(_NAMES, st.lists(_SIZES, min_size=0, max_size=2), st.booleans(), st.sampled_from(["", " "]))
def test_membership_reads_back_the_shape_written(name: str, sizes: list[str], positive: bool, gap: str) -> None:
    script = f"^{{{gap}{f' {chr(92)}times '.join(sizes)}{gap}}}" if sizes else ""
    space = r"\mathbb{R}" + script + ("_{>0}" if positive else "")
    reading = read_math(f"{name}{gap}\\in{gap}{space}")
    assert isinstance(reading, Statement)
    assert reading.kind == (Kind.SCALAR, Kind.VECTOR, Kind.MATRIX)[len(sizes)]
    assert reading.sizes == tuple(sizes) and reading.positive == positive


# --- end to end ------------------------------------------------------------------

LINEAR = r"""# A linear layer, declared in the text

Let $X \in \mathbb{R}^{S\times M}$, $W \in \mathbb{R}^{N\times M}$, $b \in \mathbb{R}^N$
and $g: \mathbb{R}^{S\times N}\to\mathbb{R}$. The layer computes $Y = X W^T + \mathbf{1}_S b^T$
and the loss is $L = g(Y)$.

$$\frac{\partial L}{\partial W} = \left(\frac{\partial L}{\partial Y}\right)^T X$$

$$\frac{\partial L}{\partial b} = \left(\frac{\partial L}{\partial Y}\right)^T \mathbf{1}_S$$

$$\frac{\partial L}{\partial b} = \left(\frac{\partial L}{\partial Y}\right)^T X W^T \mathbf{1}_N$$
"""


def test_a_document_declared_in_its_text_needs_no_front_matter() -> None:
    assert verdicts(LINEAR) == [(7, PROVED), (9, PROVED), (11, REFUTED)]


RIDGE = r"""Let $X \in \mathbb{R}^{S \times M}$, $y \in \mathbb{R}^{S}$, $w \in \mathbb{R}^M$ and $\lambda > 0$.
The loss is $L = \frac{1}{2}\|X w - y\|_2^2 + \frac{\lambda}{2} \|w\|_2^2$.

$$\nabla_w L = X^T(Xw - y) + \lambda w$$

$$\nabla_w L = X^T(Xw - y) + 2 \lambda w$$

$$\sqrt{\lambda^2} = \lambda$$
"""


def test_ridge_regression_stated_in_prose() -> None:
    assert verdicts(RIDGE) == [(4, PROVED), (6, REFUTED), (8, PROVED)]


def test_positivity_is_a_declaration_only_before_the_first_use() -> None:
    before = "Let $a \\in \\mathbb{R}$ with $a > 0$.\n\n$$\\sqrt{a^2} = a$$\n"
    after = "Let $a \\in \\mathbb{R}$.\n\n$$\\sqrt{a^2} = a$$\n\nNow $a > 0$.\n"
    alone = "Take $a > 0$.\n\n$$\\sqrt{a^2} = a$$\n"
    assert verdicts(before) == [(3, PROVED)] and verdicts(alone) == [(3, PROVED)]
    assert verdicts(after) == [(3, REFUTED), (5, ERROR)]
    assert "stated after a is used (line 3)" in messages(after)[1]


def test_positivity_of_a_front_matter_scalar() -> None:
    doc = "---\nsymbols:\n  a: scalar\n---\nHere $a > 0$.\n\n$$\\sqrt{a^2} = a$$\n"
    assert verdicts(doc) == [(7, PROVED)]


def test_a_positive_matrix_or_size_is_not_declared_by_greater_than() -> None:
    doc = ("Let $A \\in \\mathbb{R}^{n \\times n}$ with $A > 0$, for $n > 0$.\n\n$$A + A = 2A$$\n")
    assert verdicts(doc) == [(1, ERROR), (3, PROVED)]
    assert "only a scalar or a vector" in messages(doc)[0]


def test_an_elementwise_function_in_the_text() -> None:
    doc = (r"Let $\sigma: \mathbb{R} \to \mathbb{R}$ be applied entrywise and $z \in \mathbb{R}^n$." "\n\n"
           r"$$\frac{\partial \sigma(z_i)}{\partial z_i} = \sigma'(z_i)$$" "\n\n"
           r"$$\frac{\partial \sigma(z_i)}{\partial z_i} = \sigma(z_i)$$" "\n")
    assert verdicts(doc) == [(3, PROVED), (5, REFUTED)]


def test_a_display_that_declares_is_no_step() -> None:
    doc = "$$X \\in \\mathbb{R}^{S\\times M}$$\n\n$$X^T X = (X^T X)^T$$\n\n$$X^T X = X X^T$$\n"
    assert verdicts(doc) == [(3, PROVED), (5, ERROR)]
    assert parse_document(doc).displays[0].line == 3


def test_macros_spell_the_reals() -> None:
    doc = ("\\newcommand{\\R}{\\mathbb{R}}\nLet $A \\in \\R^{p \\times q}$, $B \\in \\R^{q\\times r}$.\n\n"
           "$$(A B)^T = B^T A^T$$\n\n$$(A B)^T = A^T B^T$$\n")
    assert verdicts(doc) == [(4, PROVED), (6, ERROR)]


def test_sizes_are_declared_implicitly() -> None:
    # `n`, `m` are never declared: a shape names its sizes, as in the front matter.
    doc = "Let $A \\in \\mathbb{R}^{n \\times m}$ and $x \\in \\mathbb{R}^m$.\n\n$$(A x)^T = x^T A^T$$\n"
    assert verdicts(doc) == [(3, PROVED)]


def test_front_matter_and_text_agreeing_is_fine() -> None:
    doc = "---\nsymbols:\n  x: vector n\n---\nLet $x \\in \\mathbb{R}^n$.\n\n$$x^T x = x^T x$$\n"
    assert verdicts(doc) == [(7, PROVED)]


@pytest.mark.parametrize(("doc", "words"), [
    ("---\nsymbols:\n  x: vector n\n---\nLet $x \\in \\mathbb{R}^m$.\n\n$$x = x$$\n",
     "'x' is declared in the front matter at line 3 as vector n and in the text at line 5 as vector m"),
    ("Let $x \\in \\mathbb{R}^n$.\n\nLater $x \\in \\mathbb{R}^{n \\times n}$.\n\n$$x = x$$\n",
     "'x' is declared in the text at line 1 as vector n and in the text at line 3 as matrix n x n"),
    ("Let $x \\in \\mathbb{R}$ and $x \\in \\mathbb{R}_{>0}$.\n\n$$x = x$$\n", "as scalar and in the text at line 1 as positive scalar"),
    ("Let $n \\in \\mathbb{R}$ and $x \\in \\mathbb{R}^n$.\n\n$$x = x$$\n", "size name 'n' of 'x' is also declared as a symbol"),
])
def test_a_conflict_is_an_error_naming_both_lines(doc: str, words: str) -> None:
    assert words in file_error(doc)


def test_a_name_declared_nowhere_stays_an_error() -> None:
    doc = "Let $x \\in \\mathbb{R}^n$.\n\n$$x + y = y + x$$\n"
    assert verdicts(doc) == [(3, ERROR)]
    assert "unknown name y: declare it" in messages(doc)[0]


def test_no_declaration_anywhere_says_how_to_declare() -> None:
    error = file_error("# Notes\n\n$$ x = x $$\n")
    assert "no front matter" in error and "Let $x \\in \\mathbb{R}^n$" in error


NOT_READ = r"""---
symbols:
  x: vector n
---
Let $x \in \mathbb{R}^n$ but not `$a \in \mathbb{R}^n$`, nor

```
$b \in \mathbb{R}^n$
```

    $c \in \mathbb{R}$

<!-- $d \in \mathbb{R}$ -->
For all nonzero $y \in \mathbb{R}^n$ we have $y \in S$. It costs $5 and $6. There exists some $q \in \mathbb{R}$.

$$x + NAME = x$$
"""


@pytest.mark.parametrize("name", ["a", "b", "c", "d", "y", "q"])
def test_code_comments_and_quantified_names_are_not_declared(name: str) -> None:
    doc = NOT_READ.replace("NAME", name)
    assert verdicts(doc) == [(16, ERROR)]
    assert f"unknown name {name}:" in messages(doc)[0]


def test_an_unreadable_declaration_is_an_error_on_its_line() -> None:
    doc = "Let $u \\in \\mathbb{R}_+$ and $v \\in \\mathbb{R}^3$.\n\n$$u = u$$\n"
    result = deriv.check_text(doc)
    assert result.error is None
    assert [(s.line, s.verdict.value) for s in result.steps] == [(1, ERROR), (1, ERROR), (3, ERROR)]
    assert "\\mathbb{R}_{>0}" in result.steps[0].message + result.steps[1].message


def test_a_prose_definition_is_a_definition_and_prose_math_is_no_step() -> None:
    doc = (r"Let $x, y \in \mathbb{R}^n$ and $r = x - y$, $i = 1, \dots, n$, $k = 1$." "\n\n"
           r"$$r^T r = x^T x - 2 x^T y + y^T y$$" "\n\n" r"$$r^T r = x^T x + y^T y$$" "\n")
    assert verdicts(doc) == [(3, PROVED), (5, REFUTED)]


def test_a_prose_equation_about_a_declared_or_defined_name_is_not_a_definition() -> None:
    # `x = 0` would make every step about x trivial; `Y = ...` restates the front matter's definition.
    doc = ("---\nsymbols:\n  X: matrix S x M\n  W: matrix N x M\ndefinitions:\n  - Y = X W^T\n---\n"
           "Let $x \\in \\mathbb{R}^n$, and write $x = z$ and $Y = 2 X W^T$.\n\n$$Y = X W^T$$\n\n$$x^T x = z^T z$$\n")
    assert verdicts(doc) == [(10, PROVED), (12, ERROR)]


def test_entries_stated_real_are_not_names() -> None:
    doc = "Let $x \\in \\mathbb{R}^n$ with entries $x_i \\in \\mathbb{R}$.\n\n$$\\sum_i x_i = \\mathbf{1}^T x$$\n"
    assert verdicts(doc) == [(3, PROVED)]


# --- which files are derivations --------------------------------------------------


@pytest.mark.parametrize(("text", "checked", "suspicious"), [
    (LINEAR, True, False),
    ("# Notes\n\nLet $x \\in \\mathbb{R}^n$.\n\n$$ x + x = 3x $$\n", True, False),
    ("# Notes\n\nNo declaration, $x$ only.\n\n$$ x + x = 3x $$\n", False, True),
    ("# Notes\n\nLet $x \\in \\mathbb{R}^n$ and nothing to check.\n", False, False),
    ("# Notes\n\n`$x \\in \\mathbb{R}^n$` is code.\n\n$$ x + x = 3x $$\n", False, True),
    ("# Notes\n\nLet $x \\in \\mathbb{R}^n$ and $x \\in \\mathbb{R}^m$.\n\n$$ x = x $$\n", True, False),
])
def test_a_file_declared_in_its_text_is_a_derivation(tmp_path: Path, text: str, checked: bool,
                                                    suspicious: bool) -> None:
    path = tmp_path / "notes.md"
    path.write_text(text)
    left_out = select(path)
    assert (left_out is None) == checked
    assert left_out is None or left_out.suspicious == suspicious


# --- adversarial ------------------------------------------------------------------


def test_parenthesised_inline_math_declares() -> None:
    assert verdicts("Let \\(x \\in \\mathbb{R}^n\\).\n\n$$x^T x = x^T x$$\n") == [(3, PROVED)]


def test_a_quantified_positivity_declares_nothing() -> None:
    doc = "Let $a \\in \\mathbb{R}$; for all $\\epsilon > 0$ and for every $a > 0$ it holds.\n\n$$\\sqrt{a^2} = a$$\n"
    assert verdicts(doc) == [(3, REFUTED)]


def test_a_display_that_declares_and_states_is_a_display() -> None:
    doc = "Let $A \\in \\mathbb{R}^{m \\times n}$.\n\n$$y = A x, \\quad x \\in \\mathbb{R}^n$$\n"
    assert [v for _, v in verdicts(doc)] == [ERROR]


def test_a_directive_before_a_declaration_display_is_an_error() -> None:
    doc = "<!-- deriv: expect-fail -->\n$$x \\in \\mathbb{R}^n$$\n\n$$x + x = 2 x$$\n"
    assert verdicts(doc) == [(1, ERROR), (4, PROVED)]


def test_money_and_dollar_signs_are_not_math() -> None:
    doc = "It costs $5 and $6, or \\$7 and $ 8$.\n\nLet $x \\in \\mathbb{R}$.\n\n$$x + x = 2x$$\n"
    assert verdicts(doc) == [(5, PROVED)]


def test_a_declaration_anywhere_in_the_text_holds_for_the_whole_document() -> None:
    # As in the seed notes: "the dimensions match due to $Y \in \mathbb{R}^{S \times N}$" after the steps.
    doc = "$$(X W)^T = W^T X^T$$\n\nwhere $X \\in \\mathbb{R}^{a \\times b}$, $W \\in \\mathbb{R}^{b \\times c}$.\n"
    assert verdicts(doc) == [(1, PROVED)]


@pytest.mark.parametrize("body", [
    "x " + "\\( a " * 50_000,
    "x " + "$a " * 50_000,
    "$" + "a" + " " * 500_000 + "b$",
    "\\newcommand\\a{" + "\\b" * 500 + "}\\newcommand\\b{" + "\\c" * 500 + "}\\newcommand\\c{xx}\n$\\a \\in \\mathbb{R}$",
])
def test_reading_the_prose_stays_fast(body: str) -> None:
    import time

    start = time.monotonic()
    parse_document(body + "\n\n$$x = x$$\n")
    assert time.monotonic() - start < 60  # a hang guard, not a speed test


def test_two_values_for_one_name_in_the_text_are_an_error() -> None:
    # z = W x in one section and z = V x in another: checking every step under the
    # first would prove claims about the second that the text does not make.
    doc = ("Let $W, V \\in \\mathbb{R}^{n \\times n}$, $x \\in \\mathbb{R}^n$ and $z = W x$.\n\n"
           "Later $z = V x$, and again $z = Wx$.\n\n$$\\frac{\\partial z_i}{\\partial V_{i,j}} = 0$$\n")
    assert verdicts(doc) == [(3, ERROR), (5, PROVED)]
    assert "z is given a value at line 1 ($z = W x$) and another here" in messages(doc)[0]


def test_entries_stated_before_their_vector_are_not_names() -> None:
    doc = "Each $x_i \\in \\mathbb{R}$, where $x \\in \\mathbb{R}^n$.\n\n$$\\sum_i x_i = \\mathbf{1}^T x$$\n"
    assert verdicts(doc) == [(3, PROVED)]


def test_macros_defined_in_inline_math_are_still_read() -> None:
    # Jupyter and MathJax notes often define macros in a `$...$` of their own.
    doc = "$\\newcommand{\\R}{\\mathbb{R}}$ Let $x \\in \\R^n$.\n\n$$x^T x = x^T x$$\n"
    assert verdicts(doc) == [(3, PROVED)]


def test_a_stray_dollar_never_swallows_a_display() -> None:
    doc = ("Let $x \\in \\mathbb{R}$. It costs $5, so\n\\begin{align} x + x &= 3 x \\end{align}\nand 2$x$.\n\n"
           "Then $y$ and\n\\[ x + x = 2x \\]\nwhere$z$.\n")
    assert verdicts(doc) == [(2, REFUTED), (6, PROVED)]


@pytest.mark.parametrize("math", [
    r"x \in \mathbb{R}^n, A \in \mathbb{R}^{n \times n}",
    r"x \in \mathbb{R}^n \quad A \in \mathbb{R}^{n \times n}",
    r"x \in \mathbb{R}^n \text{ and } A \in \mathbb{R}^{n \times n}.",
])
def test_several_declarations_in_one_piece_of_math(math: str) -> None:
    inline = f"Let ${math}$.\n\n$$(A x)^T = x^T A^T$$\n"
    display = f"$${math}$$\n\n$$(A x)^T = x^T A^T$$\n"
    assert verdicts(inline) == [(3, PROVED)] and verdicts(display) == [(3, PROVED)]


def test_a_display_about_a_bound_name_stays_a_display() -> None:
    doc = "Let $x \\in \\mathbb{R}^n$.\n\n$$x^\\star \\in \\mathbb{R}^3$$\n"
    assert [v for _, v in verdicts(doc)] == [ERROR]


_STEPS = [
    r"(A x)^T y = x^T A^T y",
    r"(A x)^T y = y^T A x",
    r"(A x)^T y = x^T A y",
    r"c (x + x) = 2 c x",
    r"\sqrt{c^2} = c",
    r"\frac{\partial (y^T A x)}{\partial x} = A^T y",
    r"\frac{\partial (y^T A x)}{\partial x} = A y",
]


@settings(max_examples=12, deadline=None)
@given(st.lists(st.sampled_from(_STEPS), min_size=1, max_size=3), st.booleans(), st.booleans())
def test_the_text_declares_exactly_what_the_front_matter_would(steps: list[str], positive: bool,
                                                               displayed: bool) -> None:
    """The independent reference: the same document with its declarations in YAML."""
    front = ("---\nsymbols:\n  A: matrix n x m\n  x: vector m\n  y: vector n\n"
             f"  c: {'positive scalar' if positive else 'scalar'}\n---\n\n")
    space = r"\mathbb{R}_{>0}" if positive else r"\mathbb{R}"
    math = rf"A \in \mathbb{{R}}^{{n \times m}}, x \in \mathbb{{R}}^m, y \in \mathbb{{R}}^n, c \in {space}"
    prose = f"$${math}$$\n\n" if displayed else f"Let ${math}$.\n\n"
    body = "".join(f"$${step}$$\n\n" for step in steps)
    with_front = deriv.check_text(front + "\n" * prose.count("\n") + body)
    with_prose = deriv.check_text("\n" * front.count("\n") + prose + body)
    assert [(s.line, s.verdict) for s in with_prose.steps] == [(s.line, s.verdict) for s in with_front.steps]


def test_an_unreadable_declaration_row_never_drops_the_rows_beside_it() -> None:
    doc = "Let $a \\in \\mathbb{R}$.\n\n\\begin{align}\nx &\\in \\mathbb{R}^3 \\\\\na + a &= 3a\n\\end{align}\n"
    assert [v for _, v in verdicts(doc)] == [ERROR, REFUTED]


@pytest.mark.parametrize(("declaration", "verdict"), [
    ("Let $p \\in \\mathbb{R}^n$ with $p > 0$.", PROVED),
    ("Let $p \\in \\mathbb{R}^n_{>0}$.", PROVED),
    ("Let $p \\in \\mathbb{R}^n$.", REFUTED),
    ("Let $p \\in \\mathbb{R}^n$; for all $p > 0$ it is so.", REFUTED),
])
def test_a_positive_vector_in_the_text(declaration: str, verdict: str) -> None:
    assert verdicts(f"{declaration}\n\n$$\\sum_i \\sqrt{{p_i^2}} = \\sum_i p_i$$\n") == [(3, verdict)]


# --- a value the prose gives a declared name -------------------------------------------

VALUED = "---\nsymbols:\n  x: scalar\n  y: scalar\n  v: vector N\n---\nLet $y = 2x$.\n\n"


@pytest.mark.parametrize(("math", "expected"), [
    ("y - x = x", "undecided"),  # true under the prose's y = 2x: never refuted
    ("v^T v + y = 2 y", "undecided"),  # its counterexample sets y
    ("y + 0 = y", "proved"),  # holds for every y
    ("x = 2 x", "refuted"),  # y plays no part
])
def test_a_refutation_that_varies_a_name_the_prose_gives_a_value_is_undecided(math: str, expected: str) -> None:
    [step] = deriv.check_text(VALUED + f"$$ {math} $$\n").steps
    assert step.verdict.value == expected
    if expected == "undecided":
        assert "the prose at line 7 says $y = 2x$" in step.message and step.counterexample is None


def test_a_value_the_prose_gives_a_given_name_leaves_a_generated_texts_refutation() -> None:
    """In generated text the declarations are the caller's: a sentence must not move the first wrong step."""
    [item] = deriv.check_many([{"id": 1, "text": "Let $y = 2x$.\n\n$$ y - x = x $$"}],
                              symbols={"x": "scalar", "y": "scalar"})
    assert item.first_wrong == 0 and item.steps[0].verdict.value == "refuted"


@pytest.mark.parametrize(("symbols", "prose", "math", "expected"), [
    ("  x: scalar\n  f: function\n", "Let $f(x) = x^2$.", "f(x) - x = x^2 - x", "undecided"),
    ("  x: scalar\n  f: function\n", "Let $f(x) = x^2$.", "f(x) + 0 = f(x)", "proved"),
    ("  x: vector N\n  g: elementwise function\n", "Let $g(t) = t^2$ be applied entrywise.", "g(x)^T \\mathbf{1} = x^T x",
     "undecided"),
    ("  x: scalar\n", "Let $f(x) = x^2$.", "f(x) - x = x^2 - x", "error"),  # f undeclared: unknown, as before
])
def test_a_declared_functions_formula_in_prose_never_refutes(symbols: str, prose: str, math: str, expected: str) -> None:
    [step] = deriv.check_text(f"---\nsymbols:\n{symbols}---\n{prose}\n\n$$ {math} $$\n").steps
    assert step.verdict.value == expected
    if expected == "undecided":
        assert "reads no function's formula" in step.message


def test_a_step_writes_a_valued_name_by_its_letter_as_spelled() -> None:
    """``lambda`` is written ``\\lambda``: a step writing the letter ``l`` does not write it."""
    from deriv.check.prose_values import varied
    from deriv.read.prose import ProseValue

    values = {"lambda": ProseValue(("lambda",), "\\lambda = 2x", 7), "y_1": ProseValue(("y_1",), "y_1 = 2x", 8)}
    assert varied(None, "l x - x", {"lambda": values["lambda"]}) is None
    assert varied(None, "\\lambda - x", {"lambda": values["lambda"]}) == values["lambda"]
    assert varied(None, "y_{1} - x", {"y_1": values["y_1"]}) == values["y_1"]
