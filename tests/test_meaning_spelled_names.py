"""Meaning, names as authors spell them: accents, primes, ``T``, words,
ones and identity, macros, aligned columns (docs/format.md).

Accented and primed names, a symbol named ``T``, multi-letter words, the ones
vector and the identity sized by their surroundings, user macros, and the
columns of ``alignat``/``align`` rows.  Each construct has a proved and a
refuted example; every error is asserted with its whole message.
"""

from __future__ import annotations

import pytest

import deriv
from deriv.results import Verdict
from deriv.names import ROMAN_ONLY_OPERATORS, ROMAN_OPERATORS

#: The operators an unknown word's error lists (every builtin spelled in roman).
KNOWN = ", ".join(sorted(ROMAN_OPERATORS | ROMAN_ONLY_OPERATORS))

PROVED, REFUTED, ERROR = Verdict.PROVED.value, Verdict.REFUTED.value, Verdict.ERROR.value
DIFFER = "the two sides differ"

SYMBOLS = {
    "x": "vector N", "y": "vector N", "X": "matrix N x M", "A": "matrix N x N", "a": "scalar",
    "lambda": "scalar", "f": "elementwise function",
    "\\hat{y}": "vector N", "\\bar{x}": "vector N", "\\tilde{W}": "matrix N x M", "\\dot{x}": "vector N",
    "\\vec{v}": "vector N", "y'": "vector N", "y''": "vector N", "\\hat{\\lambda}": "scalar", "a'": "scalar",
}


def _key(name: str) -> str:
    # YAML: a key with a backslash is written quoted, the backslash doubled.
    return '"' + name.replace("\\", "\\\\") + '"' if "\\" in name else name


def document(body: str, symbols: dict[str, str] | None = None, extra: str = "") -> str:
    symbols = SYMBOLS if symbols is None else symbols
    front = "---\nsymbols:\n" + "".join(f"  {_key(n)}: {k}\n" for n, k in symbols.items()) + extra
    return front + "---\n\n" + body + "\n"


def steps(body: str, symbols: dict[str, str] | None = None, extra: str = "") -> list[tuple[str, str]]:
    result = deriv.check_text(document(body, symbols, extra))
    assert result.error is None, result.error
    return [(s.verdict.value, s.message or "") for s in result.steps]


def front_matter_error(symbols: dict[str, str], extra: str = "") -> str:
    result = deriv.check_text(document("$$ a = a $$", symbols, extra))
    assert result.error is not None
    return result.error


# -- accents and primes are names of their own ------------------------------------
NAMES = [
    (r"\hat{y} + y = y + \hat{y}", PROVED, ""),
    (r"\hat{y} = y", REFUTED, DIFFER),
    (r"\bar{x} - \bar{x} = 0 x", PROVED, ""),
    (r"\bar{x} = x", REFUTED, DIFFER),
    (r"[\tilde{W}^T]_{j,i} = \tilde{W}_{i,j}", PROVED, ""),
    (r"\tilde{W}_{i,j} = X_{i,j}", REFUTED, DIFFER),
    (r"[\tilde{W}^T]_{j,i} = \tilde{W}_{j,i}", ERROR,
     "index i is used at two sizes: N ([\\tilde{W}^T]_{j,i}) and M (\\tilde{W}_{j,i})"),
    (r"\dot{x}_i + x_i = x_i + \dot{x}_i", PROVED, ""),
    (r"\dot{x} = x", REFUTED, DIFFER),
    (r"\vec{v}_i = \vec{v}_i", PROVED, ""),
    (r"\vec{v} = y", REFUTED, DIFFER),
    (r"y'_i - y_i = y'_i - y_i", PROVED, ""),
    (r"y' = y", REFUTED, DIFFER),
    (r"y'' = y'", REFUTED, DIFFER),
    (r"\hat{\lambda} a = a \hat{\lambda}", PROVED, ""),
    (r"\hat{\lambda} = \lambda", REFUTED, DIFFER),
    (r"\hat{\mathbf{y}} = \mathbf{\hat{y}}", PROVED, ""),
    (r"\hat y = \hat{y}", PROVED, ""),
    # y' for a declared array is that name, also before a bracket: a product
    (r"a'(a + 1) = a' a + a'", PROVED, ""),
    (r"a'(a + 1) = a a + a", REFUTED, DIFFER),
    # f' of a declared elementwise function is still its derivative
    (r"\frac{d f(a)}{d a} = f'(a)", PROVED, ""),
    (r"f'(a) = f(a)", REFUTED, DIFFER),
    # \prime in a superscript is the same prime
    (r"y^{\prime} = y'", PROVED, ""),
    (r"y^\prime_i - y'_i = 0", PROVED, ""),
    (r"y^{\prime\prime} = y''", PROVED, ""),
    (r"y^{\prime \prime} = y'", REFUTED, DIFFER),
    (r"y^{\prime} = y", REFUTED, DIFFER),
    (r"f^{\prime}(a) = \frac{d f(a)}{d a}", PROVED, ""),
    (r"f^{\prime\prime}(a) = f'(a)", REFUTED, DIFFER),
    (r"y^{\primes} = y'", ERROR, "unknown command \\primes at column 5"),
    # undeclared: an error naming it, never the plain name
    (r"\breve{y} = y", ERROR, "left side: unknown name \\breve{y}: declare it under symbols: or define it"),
    (r"x' = x", ERROR,
     "left side: unknown name x': declare it under symbols: or define it (x' is a name of its own, not x)"),
    (r"\hat{xy} = y", ERROR, "\\hat must be applied to a single letter or Greek letter, as in \\hat{y} at column 2"),
    (r"\hat{y}_{\hat{i}} = 1", ERROR,
     "left side: \\hat{i} can not be an index: indices are single letters or Greek letters"),
]


@pytest.mark.parametrize(("math", "verdict", "message"), NAMES)
def test_accented_and_primed_names(math: str, verdict: str, message: str) -> None:
    assert steps(f"$$ {math} $$") == [(verdict, message)]


DERIVATIVES = [
    (r"\frac{\partial \hat{y}^T A \hat{y}}{\partial \hat{y}_k} = \sum_j (A_{k,j} + A_{j,k}) \hat{y}_j", PROVED, ""),
    (r"\frac{\partial \hat{y}^T A \hat{y}}{\partial \hat{y}_k} = \sum_j A_{k,j} \hat{y}_j", REFUTED, DIFFER),
    (r"\frac{\partial x^T y'}{\partial y'_k} = x_k", PROVED, ""),
    (r"\frac{\partial x^T y'}{\partial y'_k} = y'_k", REFUTED, DIFFER),
    (r"\frac{\partial x^T y'}{\partial y_k} = 0", PROVED, ""),  # y' is not y
]


@pytest.mark.parametrize(("math", "verdict", "message"), DERIVATIVES)
def test_derivatives_by_accented_and_primed_names(math: str, verdict: str, message: str) -> None:
    assert steps(f"$$ {math} $$") == [(verdict, message)]


def test_no_builder_mixin_stub_shadows_the_real_method() -> None:
    """The builder is assembled from mixins that declare the methods they
    use as stubs; a stub earlier in the MRO would hide the real one."""
    import inspect

    from deriv.meaning.builder import Builder

    stubs = [
        name for name, f in inspect.getmembers(Builder, inspect.isfunction)
        if inspect.getsource(f).strip().endswith("raise NotImplementedError")
    ]
    assert stubs == []


def test_accented_and_primed_names_in_front_matter_and_definitions() -> None:
    # an unbraced key, and definitions of an accented and a primed name
    extra = 'definitions:\n  - "\\\\hat{y} = A x"\n  - "y\' = 2 x"\n'
    symbols = {"A": "matrix N x N", "x": "vector N", "\\bar z": "vector N"}
    body = "\n\n".join([
        r"$$ \hat{y}_i = \sum_j A_{i,j} x_j $$",
        r"$$ y'_i = x_i + x_i $$",
        r"$$ y' = x $$",
        r"$$ \bar{z} - \bar z = 0 x $$",
    ])
    assert steps(body, symbols, extra) == [(PROVED, ""), (PROVED, ""), (REFUTED, DIFFER), (PROVED, "")]


def test_front_matter_names_that_are_refused() -> None:
    assert front_matter_error({"f": "elementwise function", "f'": "scalar"}) == (
        "'f'' can not be declared: f is a declared function, so f' is its derivative"
    )
    assert front_matter_error({"\\hat{xy}": "scalar"}) == (
        "'\\hat{xy}' is not a usable name: names are single letters (X, b), Greek letter names "
        "(lambda, Sigma), accented names (\\hat{y}, \\bar{x}), primed names (y'), names with scripts "
        "(W_1, h_{t-1}, b^{(l)}), or words written "
        "\\mathrm{lr} in the math; 'XW' in the math means X times W"
    )


# -- a symbol named T ----------------------------------------------------------------
T_SYMBOLS = {"T": "matrix N x N", "X": "matrix N x N", "x": "vector N"}
NAMED_T = [
    (r"[X^T T]_{i,j} = \sum_k X_{k,i} T_{k,j}", PROVED, ""),
    (r"[X^T T]_{i,j} = \sum_k X_{i,k} T_{k,j}", REFUTED, DIFFER),
    (r"[T^T]_{i,j} = T_{j,i}", PROVED, ""),
    (r"T^T = T", REFUTED, DIFFER),
    (r"x^T T x = \sum_{i,j} x_i T_{i,j} x_j", PROVED, ""),
    (r"T^{T} X = (X^T T)^T", PROVED, ""),
]


@pytest.mark.parametrize(("math", "verdict", "message"), NAMED_T)
def test_a_symbol_named_T(math: str, verdict: str, message: str) -> None:
    assert steps(f"$$ {math} $$", T_SYMBOLS) == [(verdict, message)]


def test_a_scalar_named_T_makes_a_scalars_transpose_an_error() -> None:
    symbols = {"T": "scalar", "a": "scalar"}
    assert steps("$$ T a = a T $$", symbols) == [(PROVED, "")]
    assert steps("$$ T a = a $$", symbols) == [(REFUTED, DIFFER)]
    assert steps("$$ a^T = a $$", symbols) == [
        (ERROR, "left side: a^T: a is a scalar and T a declared scalar, so this may be a power; "
                "write a^{(T)} for the power, or a^\\top for the transpose")
    ]
    assert steps("$$ a^\\top = a $$", symbols) == [(PROVED, "")]
    assert steps("$$ a^{(T)} = a^T $$", symbols)[0][0] == ERROR


@pytest.mark.parametrize(("math", "verdict", "fragment"), [
    (r"\gamma^T = \gamma", ERROR, "T a size"),  # a horizon T: \gamma^T may be the power
    (r"(x^T x)^T = x^T x", ERROR, "T a size"),
    (r"\gamma^{(T)} \gamma = \gamma^{(T)} \gamma", PROVED, ""),
    (r"(x^\top x)^\top = x^T x", PROVED, ""),  # ^\top is never a power
    (r"x^T h = h^T x", PROVED, ""),  # a vector's ^T is a transpose: nothing else fits
    (r"[W^T]_{i,j} = W_{j,i}", PROVED, ""),
])
def test_a_size_named_T_makes_a_scalars_transpose_an_error(math: str, verdict: str, fragment: str) -> None:
    symbols = {"gamma": "scalar", "x": "vector T", "h": "vector T", "W": "matrix T x T"}
    (seen, message), = steps(f"$$ {math} $$", symbols)
    assert seen == verdict and fragment in message


# -- multi-letter names when declared ----------------------------------------------
WORD_SYMBOLS = {"lr": "scalar", "l": "scalar", "r": "scalar", "w": "vector N", "loss": "function"}
WORDS = [
    (r"\mathrm{lr} w = \text{lr} w", PROVED, ""),
    (r"\operatorname{lr} w_i = w_i \mathrm{lr}", PROVED, ""),
    (r"\mathrm{lr} = l r", REFUTED, DIFFER),
    (r"\frac{\partial \mathrm{loss}(w)}{\partial w_i} = \frac{\partial \operatorname{loss}(w)}{\partial w_i}", PROVED, ""),
    (r"\mathrm{loss}(w) = \mathrm{lr}", REFUTED, DIFFER),
    (r"\mathrm{abc} = 1", ERROR,
     "unknown name 'abc' in \\mathrm{abc}: names are single letters, Greek letters or words declared "
     f"under symbols: (such as 'abc: scalar'), and the known operators are {KNOWN} "
     "at column 2"),
    (r"\operatorname{foo}(w) = 1", ERROR,
     f"unknown function name 'foo' in \\operatorname{{foo}}: the known functions are {KNOWN}, "
     "and functions declared under symbols: (such as 'foo: function') at column 2"),
    (r"\text{lr} = \text{by}", ERROR,
     "\\text{by} inside the math is not understood: words go in a justification, after a top-level "
     "\\quad at the end of the display at column 14"),
]


@pytest.mark.parametrize(("math", "verdict", "message"), WORDS)
def test_declared_words(math: str, verdict: str, message: str) -> None:
    assert steps(f"$$ {math} $$", WORD_SYMBOLS) == [(verdict, message)]


def test_words_that_are_operators_can_not_be_declared() -> None:
    assert front_matter_error({"tr": "scalar"}).startswith("'tr' is not a usable name")


# -- the ones vector and the identity --------------------------------------------
ONES_SYMBOLS = {"x": "vector N", "X": "matrix N x M", "A": "matrix N x N", "lambda": "scalar"}
NEED_ONES_SIZE = "the length of \\mathbf{1} is not clear here: write \\mathbf{1}_N (N a declared size)"
NEED_I_SIZE = "the size of the identity I is not clear here: write I_N (N a declared size)"
ONES = [
    (r"\mathbf{1}^T x = \sum_i x_i", PROVED, ""),
    (r"\mathbf{1}^T x = x^T x", REFUTED, DIFFER),
    (r"x^T \mathbf{1} = \sum_i x_i", PROVED, ""),
    (r"x^T \mathbf{1} = \sum_i x_i x_i", REFUTED, DIFFER),
    (r"[X \mathbf{1}]_i = \sum_j X_{i,j}", PROVED, ""),
    (r"[\mathbf{1}^T X]_j = \sum_i X_{i,j}", PROVED, ""),
    (r"[\mathbf{1}^T X]_j = \sum_i X_{i,j} X_{i,j}", REFUTED, DIFFER),
    (r"\boldsymbol{1}_N^T \mathbf{1}_N = N", PROVED, ""),
    (r"\mathbf{1}_N^T \mathbf{1}_N = M", REFUTED, DIFFER),
    (r"x - \mathbf{1} = -(\mathbf{1} - x)", PROVED, ""),
    (r"x \circ \mathbf{1} = x", PROVED, ""),
    (r"x \circ \mathbf{1} = \mathbf{1}_N", REFUTED, DIFFER),
    (r"\langle \mathbf{1}, x \rangle = \sum_i x_i", PROVED, ""),
    (r"\frac{\partial \mathbf{1}^T x}{\partial x_k} = 1", PROVED, ""),
    (r"\frac{\partial \mathbf{1}^T x}{\partial x_k} = x_k", REFUTED, DIFFER),
    (r"\mathbf{1}^T \mathbf{1} = N", ERROR, f"left side: {NEED_ONES_SIZE}"),
    (r"x \mathbf{1}^T = x", ERROR, f"left side: {NEED_ONES_SIZE}"),
    (r"x \mathbf{1} = x", ERROR,
     "left side: the length of \\mathbf{1} is not clear here (its neighbour would make it 1 x 1): "
     "write \\mathbf{1}_N (N a declared size)"),
    (r"x I = x", ERROR,
     "left side: the size of the identity I is not clear here (its neighbour would make it 1 x 1): "
     "write I_N (N a declared size)"),
    (r"x^T I = x^T", PROVED, ""),
    (r"\mathbf{1}_i = 1", ERROR,
     "left side: \\mathbf{1}_{...} takes a declared size, as in \\mathbf{1}_N (its entries are all 1)"),
    (r"(A + \lambda I) x = A x + \lambda x", PROVED, ""),
    (r"(A + \lambda I) x = A x + x", REFUTED, DIFFER),
    (r"A I = A", PROVED, ""),
    (r"I A = A^T", REFUTED, DIFFER),
    (r"\mathbf{I} x = x", PROVED, ""),
    (r"I_N x = 2 x", REFUTED, DIFFER),
    (r"\sum_j I_{i,j} x_j = x_i", PROVED, ""),
    (r"\sum_j I_{i,j} x_j = x_j", ERROR,
     "free index j appears here but not in the chain's first member (whose free indices are i)"),
    (r"X^T I = X^T", PROVED, ""),
    (r"I(x + x) = 2 x", PROVED, ""),  # a bracket after I: a product, I sized by it
    (r"I(x + x) = x", REFUTED, DIFFER),
    (r"I = I", ERROR, f"left side: {NEED_I_SIZE}; right side: {NEED_I_SIZE}"),
    (r"X + I = X", ERROR,
     "left side: the size of the identity I is not clear here (the other operand is N x M, not square): "
     "write I_N (N a declared size)"),
]


@pytest.mark.parametrize(("math", "verdict", "message"), ONES)
def test_ones_and_identity(math: str, verdict: str, message: str) -> None:
    assert steps(f"$$ {math} $$", ONES_SYMBOLS) == [(verdict, message)]


def test_a_declared_I_is_that_name() -> None:
    symbols = {"I": "matrix N x N", "x": "vector N"}
    assert steps("$$ I x = x $$", symbols) == [(REFUTED, DIFFER)]
    assert steps("$$ [I x]_i = \\sum_j I_{i,j} x_j $$", symbols) == [(PROVED, "")]


# -- user macros ----------------------------------------------------------------
MACRO_FRONT = "macros:\n  - '\\newcommand{\\sq}[1]{{#1}^2}'\n  - '\\DeclareMathOperator{\\Tr}{tr}'\n"
MACRO_SYMBOLS = {"x": "vector N", "A": "matrix N x N", "a": "scalar"}


def test_macros_from_front_matter_prose_and_displays() -> None:
    body = "\n\n".join([
        r"\newcommand{\norm}[1]{\left\|#1\right\|}",
        r"\newcommand{\R}{\mathbb{R}}",
        r"\DeclareMathOperator*{\argmin}{arg\,min}",
        r"$$ \norm{x}^2 = \sum_i x_i^2 $$",
        r"$$ \norm{x}^2 = \sum_i x_i $$",
        r"$$ \sq{a} = a a $$",
        r"$$ \sq{a} = a + a $$",
        r"$$ \Tr(A) = \sum_i A_{i,i} $$",
        r"$$\newcommand{\two}{2}$$",
        r"$$ \two a = a + a $$",
        r"$$ \newcommand{\three}{3} \three a = a + a $$",
        r"$$ \argmin a = a $$",
        r"\renewcommand{\sq}[1]{#1}",
        r"$$ \sq{a} = a $$",
    ])
    assert steps(body, MACRO_SYMBOLS, MACRO_FRONT) == [
        (PROVED, ""), (REFUTED, DIFFER), (PROVED, ""), (REFUTED, DIFFER), (PROVED, ""), (PROVED, ""),
        (REFUTED, DIFFER),
        (ERROR, "unknown name 'arg\\,min' in \\operatorname{arg\\,min}: names are single letters, Greek "
                f"letters or words declared under symbols:, and the known operators are {KNOWN} at column 2"),
        (PROVED, ""),
    ]


def test_definitions_read_words_macros_and_the_ones_vector() -> None:
    extra = MACRO_FRONT + "definitions:\n  - 'L = \\mathrm{lr} \\sq{a}'\n  - 's = \\mathbf{1}^T x'\n"
    symbols = {**MACRO_SYMBOLS, "lr": "scalar"}
    body = "$$ L = \\mathrm{lr} a a $$\n\n$$ L = a a $$\n\n$$ s = \\sum_i x_i $$\n\n$$ s = \\sum_i x_i x_i $$"
    assert steps(body, symbols, extra) == [(PROVED, ""), (REFUTED, DIFFER), (PROVED, ""), (REFUTED, DIFFER)]


def test_a_macro_is_used_only_after_its_definition() -> None:
    body = "$$ \\two a = a + a $$\n\n\\newcommand{\\two}{2}\n\n$$ \\two a = a + a $$"
    assert steps(body, MACRO_SYMBOLS) == [(ERROR, "unknown command \\two at column 2"), (PROVED, "")]


BAD_MACROS = [
    ("\\newcommand{\\loop}{\\loop}", "macro definition: \\loop is recursive: its expansion uses \\loop again"),
    ("\\newcommand{\\pa}{\\pb}\n\\newcommand{\\pb}{\\pa}", "macro definition: \\pb is recursive: its expansion uses \\pb again"),
    ("\\newcommand{\\x}{a}\n\\newcommand{\\x}{b}", "macro definition: \\x is already defined (line 8): use \\renewcommand"),
    # A default is read now (docs/format.md); a malformed one is an error.
    ("\\newcommand{\\f}[1][0{#1}", "macro definition: \\f: an optional argument's default is [...] after the count"),
    ("\\newcommand{\\g}[1]{#2}", "macro definition: \\g: #2 in the body is not one of its 1 arguments"),
    ("\\DeclareMathOperator{\\op}{#1}", "macro definition: \\op: #1 in the body is not one of its 0 arguments"),
    ("\\newcommand{\\frac}{a}", "macro definition: \\frac can not be redefined: deriv reads it itself"),
    ("\\newcommand{\\big}{" + "a" * 2001 + "}",
     "macro definition: \\big: the body is too long (2001 characters, at most 2000)"),
]


@pytest.mark.parametrize(("definitions", "message"), BAD_MACROS)
def test_bad_macro_definitions_are_errors_with_their_line(definitions: str, message: str) -> None:
    result = deriv.check_text(document(definitions + "\n\n$$ a = a $$", MACRO_SYMBOLS))
    lines = definitions.count("\n")
    assert [(s.verdict.value, s.message, s.line) for s in result.steps] == [
        (ERROR, message, 8 + lines), (PROVED, "", 10 + lines)
    ]


def test_an_unclosed_macro_definition_ends_with_its_paragraph() -> None:
    body = "\\newcommand{\\x}{a\n\n$$ a = 2 a $$\n\n}"
    result = deriv.check_text(document(body, MACRO_SYMBOLS))
    assert [(s.verdict.value, s.message, s.line) for s in result.steps] == [
        (ERROR, "macro definition: unbalanced braces in the body of \\x", 8), (REFUTED, DIFFER, 10)
    ]


def test_reading_bad_definitions_is_bounded() -> None:
    import time

    from deriv.read.document import parse_document

    # 20,000 unclosed definitions in one paragraph: each would be read up to its bound
    body = "---\nsymbols:\n  a: scalar\n---\n" + "\\newcommand{\\x}{\n" * 20_000 + "\n$$ \\x = a $$\n"
    started = time.perf_counter()
    read = parse_document(body)
    assert time.perf_counter() - started < 60  # a hang guard, not a speed test
    assert len(read.problems) == 50
    assert read.problems[-1].message == (
        "macro definition: unbalanced braces in the body of \\x within 2200 characters "
        "(a definition is at most that long); later definitions are not read"
    )
    assert [d.text for d in read.displays] == [" \\x = a "]  # and \x is an unknown command there


def test_macro_expansion_is_bounded() -> None:
    # each level doubles: \m9 would be 2^9 copies of 'a'; the bound is on the output
    chain = "".join(f"\\newcommand{{\\m{chr(97 + k)}}}{{\\m{chr(96 + k)}\\m{chr(96 + k)}}}\n" for k in range(1, 16))
    body = "\\newcommand{\\ma}{a}\n" + chain + "\n$$ \\mp = a $$"
    assert steps(body, MACRO_SYMBOLS) == [
        (ERROR, "macro \\mb expands to more than 20000 characters at column 2")
    ]


def test_front_matter_macro_errors_name_their_line() -> None:
    result = deriv.check_text(document("$$ a = a $$", MACRO_SYMBOLS, "macros:\n  - '\\newcommand{\\r}{\\r}'\n"))
    assert (result.error, result.error_line) == (
        "macros: \\r is recursive: its expansion uses \\r again", 7
    )


# -- columns of align and alignat rows ------------------------------------------------
COLUMNS = [
    ("\\begin{alignat}{2}\n a &= a + 0 & &\\text{why} \\\\\n &= 2 a & &\\text{wrong}\n\\end{alignat}",
     [(PROVED, ""), (REFUTED, DIFFER)]),
    ("\\begin{align}\n a &= a + 0 && \\text{by (2)} \\\\\n &= 2 a\n\\end{align}", [(PROVED, ""), (REFUTED, DIFFER)]),
    ("\\begin{alignat*}{2}\n a &= a + 0 &&= 0 + a \\\\\n &= 3 a\n\\end{alignat*}",
     [(PROVED, ""), (PROVED, ""), (REFUTED, DIFFER)]),
    ("\\begin{alignat}{2} a &= a & a &= 2 a \\end{alignat}",  # two results side by side
     [(PROVED, ""), (REFUTED, DIFFER)]),
    ("\\begin{eqnarray} a &=& a + 0 \\\\ &=& 2 a \\end{eqnarray}", [(PROVED, ""), (REFUTED, DIFFER)]),
    ("$$\\begin{alignedat}{2} a &= a && \\text{x} \\\\ &= 2a \\end{alignedat}$$", [(PROVED, ""), (REFUTED, DIFFER)]),
    ("\\begin{align} a &= a + a && a \\end{align}",  # never the product a a
     [(ERROR, "after the column gap & there is neither a justification (\\text{...}) nor another equation: "
              "remove the &, or put the words in \\text{...}")]),
    ("\\begin{align} a &= a + 0 && \\end{align}", [(PROVED, "")]),
    ("\\begin{alignat} a &= a \\end{alignat}",
     [(ERROR, "\\begin{alignat} needs its number of column pairs, as in \\begin{alignat}{2}")]),
]


@pytest.mark.parametrize(("body", "expected"), COLUMNS)
def test_columns_of_aligned_rows(body: str, expected: list) -> None:
    assert steps(body, {"a": "scalar"}) == expected


def test_a_column_justification_is_kept() -> None:
    result = deriv.check_text(document("\\begin{align} a &= a + 0 && \\text{by (2)} \\end{align}", {"a": "scalar"}))
    assert [(s.verdict.value, s.justification) for s in result.steps] == [(PROVED, "by (2)")]
