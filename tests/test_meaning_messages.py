"""Meaning, messages that name the user's own objects (docs/format.md).

* a counterexample's generated names (an opaque function's dummy argument,
  an elementwise function's variable, the location of a vector's entry)
  are never names the document uses;
* a column (or row) vector's entries are ``at i=...``, not ``at col=1, row=...``;
* a suggestion never transposes a scalar (``a^T``, ``(x^T y)^T``);
* the echoed step shows the author's macros as written (text, JSON, HTML);
* an index used at two sizes (the swapped ``m, n`` of a gradient) gets a
  verified swap repair, and only when the swapped step holds.
"""

from __future__ import annotations

import json
import re
import string
from contextlib import nullcontext

import pytest
from click.testing import CliRunner

from deriv.check.checker import check_text
from deriv.check.options import CheckOptions
from deriv.cli import main
from deriv.latex.ast import Call, Scripted
from deriv.latex.parser import parse_display
from deriv.latex.repairs import nodes
from deriv.meaning.builder import Builder
from deriv.meaning.declarations import build_context
from deriv.read.document import parse_document
from deriv.results import Verdict

OPTIONS = CheckOptions(isolate=False)


def steps(text: str):
    return check_text(text, options=OPTIONS).steps


def front(symbols: dict[str, str], extra: str = "") -> str:
    lines = "".join(f'  "{name}": {kind}\n' for name, kind in symbols.items())
    return f"---\nsymbols:\n{lines}{extra}---\n"


def refuted(text: str):
    step = steps(text)[-1]
    assert step.verdict is Verdict.REFUTED, (step.verdict, step.message)
    return step.counterexample


def dummy_of(description: str) -> str:
    """``g(Z) = Z_{1}`` -> ``Z``."""
    match = re.match(r"^\S+?\((.+?)\) = ", description)
    assert match, description
    return match.group(1)


# -- (a) generated names are fresh -------------------------------------------------
MATRIX_AND_FUNCTION = {"A": "matrix N x N", "x": "vector N", "g": "function"}


def test_an_opaque_functions_dummy_argument_is_not_the_documents_matrix() -> None:
    ce = refuted(front(MATRIX_AND_FUNCTION) + "$$ g(A x) = g(x) $$\n")
    (name, description), = ce.functions
    dummy = dummy_of(description)
    assert name == "g" and dummy not in {"A", "x", "g", "N"}
    assert description == f"g({dummy}) = {dummy}_{{1}}"


def test_a_function_applied_to_two_different_arguments_gets_a_fresh_dummy() -> None:
    # g(A) and g(A^T): naming the dummy A would read as "g of the document's A" only
    ce = refuted(front(MATRIX_AND_FUNCTION) + "$$ g(A) = g(A^T) $$\n")
    (_, description), = ce.functions
    assert dummy_of(description) not in {"A", "x", "g", "N"}
    assert ce.values == (("A", (("0", "1"), ("0", "0"))),)


def test_a_bare_declared_argument_keeps_its_name() -> None:
    text = front({"Y": "matrix N x N", "g": "function"})
    ce = refuted(text + "$$\\frac{\\partial g(Y)}{\\partial Y_{i,j}} = \\frac{\\partial g(Y)}{\\partial Y_{j,i}}$$\n")
    assert ce.functions == (("g", "g(Y) = Y_{1,2}"),)


def test_an_elementwise_functions_variable_is_not_the_documents_vector() -> None:
    ce = refuted(front({"x": "vector N", "h": "elementwise function"}) + "$$ \\sum_i h(x_i) = \\sum_i x_i $$\n")
    (name, description), = ce.functions
    dummy = dummy_of(description)
    assert name == "h" and dummy not in {"x", "h", "N", "i"}
    assert description == f"h({dummy}) = {dummy}^2"


def test_an_elementwise_functions_variable_is_not_a_summed_index_of_the_step() -> None:
    ce = refuted(front({"x": "vector N", "h": "elementwise function"}) + "$$ \\sum_t h(x_t) = \\sum_t x_t $$\n")
    (_, description), = ce.functions
    assert dummy_of(description) not in {"x", "h", "N", "t"}


ALL_LETTERS = string.ascii_letters.replace("T", "").replace("e", "")


@pytest.mark.parametrize("kind", ["matrix N x N", "vector N"])
def test_a_document_that_uses_every_candidate_name_still_gets_a_fresh_one(kind: str) -> None:
    # Every single letter is the document's (T and e aside: a transpose, Euler's number).
    symbols = {c: "scalar" for c in ALL_LETTERS if c not in "AghNnij"}
    symbols.update({"A": kind, "g": "function", "h": "elementwise function"})
    entry = "\\sum_{i,j} h(A_{i,j})" if kind.startswith("matrix") else "\\sum_i h(A_i)"
    body = f"$$ g(A) + {entry} = g(A^T) $$\n"
    text = front(symbols) + body
    ce = refuted(text)
    taken = set(symbols) | {"N", "i", "j"}
    for _name, description in ce.functions:
        assert dummy_of(description) not in taken, description


# -- (b) a vector's entries are at i -----------------------------------------------
VECTORS = {"x": "vector N", "y": "vector N", "A": "matrix N x N"}


def test_a_column_vectors_entry_is_at_i() -> None:
    ce = refuted(front(VECTORS) + "$$ x + y = 2 x $$\n")
    assert ce.indices == (("i", 1),)
    assert " at i=1:" in ce.describe() and "col" not in ce.describe()


def test_a_counterexample_under_assumptions_is_at_i_too() -> None:
    text = front({"a": "scalar", "b": "scalar", "x": "vector N", "y": "vector N"}, "assumptions:\n  - a = 2 b\n")
    ce = refuted(text + "$$ a x + b y = 2 b x + a y $$\n")
    assert [name for name, _ in ce.indices] == ["i"]


def test_a_row_vectors_entry_is_at_i_too() -> None:
    ce = refuted(front(VECTORS) + "$$ x^T + y^T = 2 x^T $$\n")
    assert [name for name, _ in ce.indices] == ["i"]


def test_the_entry_index_is_not_one_the_step_uses() -> None:
    ce = refuted(front(VECTORS) + "$$ A x = \\sum_i x_i x $$\n")
    (name, _), = ce.indices
    assert name not in {"i", "x", "A", "N"}


def test_a_matrix_chain_names_row_then_column() -> None:
    ce = refuted(front(VECTORS) + "$$ A + A^T = 2 A $$\n")
    assert [name for name, _ in ce.indices] == ["row", "col"]


def test_the_text_report_shows_the_vector_entry_at_i(tmp_path) -> None:
    path = tmp_path / "v.md"
    path.write_text(front(VECTORS) + "$$ x + y = 2 x $$\n", encoding="utf-8")
    output = CliRunner().invoke(main, ["check", "--no-color", str(path)]).output
    assert "at i=1:" in output and "col=" not in output


# -- (c) no transpose of a scalar in a suggestion -------------------------------------
SCALARS = {"a": "scalar", "x": "vector N", "y": "vector N", "z": "vector N", "A": "matrix N x N"}


def transposed_scalars(text: str, latex: str) -> list[str]:
    """The sub-expressions of ``latex`` written with ``^T`` that are scalars (an independent look)."""
    document = parse_document(text, "t.md")
    context = build_context(document.front, "t.md", nullcontext)
    (member,) = parse_display(latex)[0].members
    found = []
    for _, node in nodes(member):
        if isinstance(node, Scripted) and node.transpose and node.sub is None:
            # z (a)^T reads as a call z(a), transposed: look at the argument too
            for base in (node.base, *((node.base.arg,) if isinstance(node.base, Call) else ())):
                if Builder(context).build(base).is_scalar:
                    found.append(repr(base))
    return found


@pytest.mark.parametrize("step", [
    "a z = a z^T",
    "(x^T y) z = z^T (x^T y)",
    "\\frac{x^T y}{2} z = \\frac{x^T y}{2} z^T",
    "\\exp(x^T y) z = \\exp(x^T y) z^T",
    "A^T z a = a z^T A",
    "A z (y^T x) = (x^T y) z^T A^T",
])
def test_suggestions_never_transpose_a_scalar(step: str) -> None:
    text = front(SCALARS) + f"$$ {step} $$\n"
    result = steps(text)[-1]
    assert result.suggestion, (result.verdict, result.message)
    for suggestion in result.suggestion:
        assert suggestion.verdict in (Verdict.PROVED, Verdict.TESTED)
        assert transposed_scalars(text, suggestion.latex) == [], suggestion.latex


def test_the_scalar_factor_of_a_transposed_member_is_kept_as_written() -> None:
    result = steps(front(SCALARS) + "$$ a z = a z^T $$\n")[-1]
    assert result.suggestion[0].latex == "z a" and result.suggestion[0].verdict is Verdict.PROVED


# -- (d) the author's macros are echoed as written ----------------------------------
MACROS = front({"x": "vector N", "y": "vector N"}, "macros:\n  - '\\newcommand{\\vx}{\\mathbf{x}}'\n") + (
    "\\newcommand{\\vy}{\\mathbf{y}}\n\\newcommand{\\two}[1]{2 #1}\n\n"
    "$$ \\vx + \\vy = \\two{\\vx} $$\n\n$$ \\vx^T \\vy = \\vy^T \\vx $$\n\n$$ = \\vx^T \\vy $$\n"
)


def test_a_step_is_echoed_with_the_authors_macros() -> None:
    first, second, third = steps(MACROS)
    assert (first.lhs, first.rhs) == ("\\vx + \\vy", "\\two{\\vx}")
    assert first.verdict is Verdict.REFUTED
    assert (second.lhs, second.rhs) == ("\\vx^T \\vy", "\\vy^T \\vx")
    assert (third.lhs, third.rhs) == ("\\vy^T \\vx", "\\vx^T \\vy")
    assert second.verdict is third.verdict is Verdict.PROVED


def test_text_and_json_echo_the_macros(tmp_path) -> None:
    path = tmp_path / "m.md"
    path.write_text(MACROS, encoding="utf-8")
    text = CliRunner().invoke(main, ["check", "--no-color", str(path)]).output
    assert "step: \\vx + \\vy  =  \\two{\\vx}" in text
    data = json.loads(CliRunner().invoke(main, ["check", "--format", "json", str(path)]).output)
    first = data["files"][0]["steps"][0]
    assert (first["lhs"], first["rhs"]) == ("\\vx + \\vy", "\\two{\\vx}")


def test_the_html_report_shows_the_echo_as_escaped_text(tmp_path) -> None:
    # The echo is the author's text: in HTML it is text in <code>, escaped, never markup.
    path, out = tmp_path / "m.md", tmp_path / "r.html"
    body = front({"a": "scalar", "b": "scalar"}) + (
        "\\newcommand{\\tw}[1]{2 #1}\n\n$$ \\tw{a} = a + b $$\n\n$$ \\tw{\\langle a, b \\rangle} = a $$\n")
    path.write_text(body, encoding="utf-8")
    CliRunner().invoke(main, ["report", str(path), "-o", str(out)])
    html = out.read_text(encoding="utf-8")
    assert "<code>\\tw{a}  =  a + b</code>" in html
    first, second = steps(body)
    assert first.lhs == "\\tw{a}" and second.lhs == "\\tw{\\langle a, b \\rangle}"
    assert "\\tw{\\langle a, b \\rangle}" in html and "<b" not in html.replace("<body", "")


def test_a_macro_that_holds_a_relation_is_echoed_expanded() -> None:
    # The expansion of \eqz spans two members: each is echoed as read, never cut mid-call.
    text = front({"a": "scalar"}) + "\\newcommand{\\eqz}{= 0 \\cdot a}\n\n$$ 0 \\eqz $$\n"
    (step,) = steps(text)
    assert (step.lhs, step.rhs) == ("0", "0 \\cdot a") and step.verdict is Verdict.PROVED


def test_a_macro_inside_a_longer_member_is_echoed_in_place() -> None:
    text = front({"a": "scalar", "b": "scalar"}) + "\\newcommand{\\sq}[1]{{#1}^2}\n\n$$ \\sq{a + b} = a^2 + 2 a b + b^2 + \\sq{b} $$\n"
    (step,) = steps(text)
    assert (step.lhs, step.rhs) == ("\\sq{a + b}", "a^2 + 2 a b + b^2 + \\sq{b}")


def test_a_chain_written_with_macros_is_still_restated_in_matrix_form() -> None:
    text = front({"X": "matrix S x M", "W": "matrix N x M"}, "macros:\n  - '\\newcommand{\\Xm}{X}'\n") + (
        "$$ \\sum_k \\Xm_{i,k} W_{j,k} = \\sum_k W_{j,k} \\Xm_{i,k} $$\n")
    (step,) = steps(text)
    assert step.rhs == "\\sum_k W_{j,k} \\Xm_{i,k}"
    assert [(s.kind, s.latex, s.verdict) for s in step.suggestion] == [("matrix-form", "X W^T", Verdict.PROVED)]


# -- (e) an index used at two sizes gets a verified swap ---------------------------
GRADIENT = front({"X": "matrix S x M", "W": "matrix N x M", "g": "function"},
                 "definitions:\n  - Y = X W^T\n  - L = g(Y)\n")


def test_swapped_gradient_indices_get_a_proved_swap() -> None:
    text = GRADIENT + "$$ \\frac{\\partial L}{\\partial W_{m,n}} = \\sum_i X_{i,m} \\frac{\\partial g(Y)}{\\partial Y_{i,n}} $$\n"
    (step,) = steps(text)
    assert step.verdict is Verdict.ERROR and "two sizes" in step.message
    first = step.suggestion[0]
    assert first.kind == "swap-indices" and first.detail == "swap m and n"
    assert first.verdict is Verdict.PROVED
    assert first.latex == "\\sum_{i} X_{i,n} \\frac{\\partial g(Y)}{\\partial Y_{i,m}}"
    again = steps(text.replace(step.rhs, first.latex))
    assert again[0].verdict is Verdict.PROVED


def test_a_swap_that_is_still_wrong_is_not_suggested() -> None:
    # L is an independent scalar: its derivative is 0, so the swapped sum is as wrong as before.
    text = front({"X": "matrix S x M", "W": "matrix N x M", "G": "matrix S x N", "L": "scalar"}) + (
        "$$ \\frac{\\partial L}{\\partial W_{m,n}} = \\sum_i X_{i,m} G_{i,n} $$\n")
    (step,) = steps(text)
    assert step.verdict is Verdict.ERROR and "two sizes" in step.message
    assert all(s.verdict in (Verdict.PROVED, Verdict.TESTED) for s in step.suggestion)
    assert not any(s.kind == "swap-indices" for s in step.suggestion)


def test_a_swap_that_fixes_the_sizes_but_not_the_sum_is_not_suggested() -> None:
    text = GRADIENT + ("$$ \\frac{\\partial L}{\\partial W_{m,n}} = \\sum_i \\frac{\\partial g(Y)}{\\partial Y_{i,n}} X_{i,m}"
                       " + \\sum_i X_{i,m} $$\n")
    (step,) = steps(text)
    assert step.verdict is Verdict.ERROR and "two sizes" in step.message
    assert step.suggestion == ()


def test_an_entry_of_a_bracketed_gradient_gets_the_swap_too() -> None:
    text = GRADIENT + ("$$ \\left[\\frac{\\partial L}{\\partial W}\\right]_{m,n} = "
                       "\\sum_{i} X_{i,m} \\frac{\\partial g(Y)}{\\partial Y_{i,n}} $$\n")
    (step,) = steps(text)
    assert [(s.detail, s.verdict) for s in step.suggestion][:1] == [("swap m and n", Verdict.PROVED)]


def test_a_swap_inside_the_text_report(tmp_path) -> None:
    path = tmp_path / "g.md"
    path.write_text(GRADIENT + "$$ \\frac{\\partial L}{\\partial W_{m,n}} = \\sum_i X_{i,m} "
                    "\\frac{\\partial g(Y)}{\\partial Y_{i,n}} $$\n", encoding="utf-8")
    output = CliRunner().invoke(main, ["check", "--no-color", str(path)]).output
    assert "suggestion: swap m and n (proved):" in output


def test_a_definiteness_counterexample_names_neither_the_documents_matrix_nor_its_vector() -> None:
    # The quadratic form's matrix and vector are made up: M and x are the document's here.
    text = front({"M": "matrix N x N", "x": "vector N", "A": "matrix N x N"}) + "$$ M \\succeq 0 $$\n"
    (step,) = steps(text)
    assert step.verdict is Verdict.REFUTED
    ce = step.counterexample
    assert "M" not in ce.note.split(" = ")[0] and not ce.lhs_value.startswith("x^T")
    assert re.match(r"^(\w'*)\^T (\w'*) \1 = ", ce.lhs_value) and ce.note.startswith("Z = ")
