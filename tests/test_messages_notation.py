r"""Messages quote the document's notation, never SymPy's internals (docs/deciding.md).

* a part of a step named in a message (the part whose value is not a
  polynomial in the sizes, a condition one side lacks) is deriv's LaTeX,
  with the engine's bound indices given short names: no ``_k176``,
  ``Sum(``, ``**``, ``det(``;
* a counterexample where a domain condition fails is labelled by the names
  the condition reads, at their values there, not by another scalar the
  search happened to set;
* free indices without a range are listed once, in one plural message;
* a function named in roman (``\operatorname{softplus}``) is echoed as written.
"""

from __future__ import annotations

import re

import pytest
import sympy

import deriv
from deriv.ir import Determinant, InverseEntry, MatrixArg, fresh_index
from deriv.meaning.message_text import message_latex

#: What SymPy's own printing of an engine expression looks like.
INTERNAL = re.compile(r"_[a-z]+\d|Sum\(|\*\*|(?<!\\)\bdet\(|inv\[|_range_")


def only(text: str) -> deriv.StepResult:
    (step,) = deriv.check_text(text).steps
    return step


def doc(symbols: str, *steps: str) -> str:
    body = "\n\n".join(f"$$ {s} $$" for s in steps)
    return f"---\nsymbols:\n{symbols}\n---\n{body}\n"


def test_a_determinant_that_bounds_no_degree_is_named_in_latex() -> None:
    step = only(doc("  X: matrix N x N", r"\det(X^T X) = \det(X)^2"))
    assert step.verdict is deriv.Verdict.TESTED
    assert step.message.endswith(
        r"its value is not a polynomial in the sizes (at \det\left(\left[\sum_{k=1}^{N} X_{k,c} X_{k,r}\right]_{r,c}\right))")


def test_a_logarithm_of_a_sum_is_named_in_latex() -> None:
    step = only(doc("  x: vector N", r"\log(x^T x) = 2 \log(\|x\|)"))
    assert step.verdict is deriv.Verdict.TESTED
    assert step.message.endswith(r"(at \log{\left(\sum_{k=1}^{N} x_{k}^{2} \right)})")


def test_a_condition_over_a_sum_is_named_in_latex() -> None:
    # Refuted or tested (the point where x^T y < 0 is not always found), the condition is in LaTeX.
    for symbols in ("  x: vector N\n  y: vector N", "  x: vector N\n  y: vector N\n  a: scalar\n  b: scalar"):
        step = only(doc(symbols, r"\sqrt{x^T y}^2 = x^T y"))
        assert step.verdict in (deriv.Verdict.REFUTED, deriv.Verdict.TESTED)
        assert r"\sum_{k=1}^{N} x_{k} y_{k} >= 0 " in step.message
        assert not INTERNAL.search(step.message + (step.counterexample.describe() if step.counterexample else ""))


def test_a_determinant_condition_names_the_matrix() -> None:
    step = only(doc("  X: matrix N x N", r"\det(X^{-1}) = 1 / \det(X)"))
    assert step.verdict is deriv.Verdict.TESTED
    assert r"(\det(X) != 0 on the right only)" in step.message
    assert step.message.endswith(r"(at \det\left(X^{-1}\right))")


def test_the_printer_names_internal_indices_apart_from_the_documents() -> None:
    X, N = sympy.IndexedBase("X"), sympy.Symbol("N")
    k, r, c = (sympy.Symbol(n, integer=True) for n in "krc")  # the author's own k, r and c
    bound = fresh_index()
    arg = MatrixArg.from_entry(lambda i, j: sympy.Sum(X[bound, i] * X[bound, j] * X[k, r] * X[c, k], (bound, 0, N - 1)), N, N)
    shown = message_latex(Determinant(arg) + InverseEntry(arg, k, c))
    assert not INTERNAL.search(shown)
    # Three internal names, none of them k, r or c, all different.
    names = set(re.findall(r"\\sum_\{(\w+)=1\}", shown)) | set(re.findall(r"\\right\]_\{(\w+),(\w+)\}", shown)[0])
    assert len(names) == 3 and not names & {"k", "r", "c"}


@pytest.mark.parametrize("step", [
    r"\det(X^T X) = \det(X)^2", r"\det(A X) = \det(X A)", r"\det(X^{-1}) = 1 / \det(X)",
    r"\log(x^T x) = 2 \log(\|x\|)", r"\sqrt{x^T y}^2 = x^T y", r"\frac{1}{\sum_i x_i} \sum_i x_i = 1",
    r"\log(\det(X X^T)) = 2 \log|\det X|", r"(X^{-1})_{i,j} = \frac{1}{\det X} X_{j,i}",
])
def test_no_message_shows_sympys_internals(step: str) -> None:
    result = only(doc("  X: matrix N x N\n  A: matrix N x N\n  x: vector N\n  y: vector N", step))
    assert not INTERNAL.search(result.message), result.message


def test_a_domain_counterexample_is_labelled_by_the_names_that_matter() -> None:
    step = only(doc("  x: scalar\n  a: scalar", r"x + \sqrt{a}^2 = x + a"))
    assert step.verdict is deriv.Verdict.REFUTED
    assert step.message.startswith("the two sides differ: where a = ")
    assert "where x =" not in step.message
    value = step.message.split("where a = ")[1].split(":")[0]
    assert dict(step.counterexample.values)["a"] == ((value,),)
    assert sympy.Rational(value) < 0


def test_a_domain_counterexample_of_one_scalar_keeps_its_label() -> None:
    step = only(doc("  x: scalar\n  a: scalar", r"\sqrt{a}^2 = a"))
    assert step.message == ("the two sides differ: where a = -1: the left side is undefined here (a >= 0 fails) "
                            "and the other is not")


def test_two_conditions_name_both_of_their_scalars() -> None:
    step = only(doc("  x: scalar\n  a: scalar\n  y: scalar", r"\sqrt{a}^2 \sqrt{x}^2 = a x"))
    assert step.verdict is deriv.Verdict.REFUTED
    label = step.message.split("where ")[1].split(":")[0]
    assert re.fullmatch(r"a = -?[\d/]+, x = -?[\d/]+", label), label
    assert "y" not in label


@pytest.mark.parametrize(("step", "message"), [
    (r"\delta_{i,j} = \delta_{j,i}",
     "left side: cannot tell the range of indices i, j: use each in an entry such as X_{i,j}; "
     "right side: cannot tell the range of indices i, j: use each in an entry such as X_{i,j}"),
    (r"\delta_{j,j} = 1", "left side: cannot tell the range of index j: use it in an entry such as X_{j,i}"),
    (r"x_i = x_i + \delta_{j,k} - \delta_{k,j}",
     "cannot tell the range of indices j, k: use each in an entry such as X_{j,k}"),
    (r"\delta_{i,j} \delta_{k,l} = 1",
     "left side: cannot tell the range of indices i, j, k, l: use each in an entry such as X_{i,j}"),
])
def test_indices_without_a_range_are_listed_once(step: str, message: str) -> None:
    result = only(doc("  x: vector N", step))
    assert result.verdict is deriv.Verdict.ERROR
    assert result.message == message


def test_a_function_named_in_roman_is_echoed_as_written() -> None:
    step = only(doc("  x: scalar", r"\operatorname{softplus}(x) = \text{ReLU}(x) + \operatorname*{sigmoid}(x)"))
    assert (step.lhs, step.rhs) == (r"\operatorname{softplus}(x)", r"\text{ReLU}(x) + \operatorname*{sigmoid}(x)")


def test_a_macro_around_a_roman_function_is_echoed_as_its_call() -> None:
    text = "---\nsymbols:\n  x: scalar\n---\n$$\\newcommand{\\sp}{\\operatorname{softplus}}$$\n\n$$ \\sp(x) = x $$\n"
    (step,) = deriv.check_text(text).steps
    assert step.lhs == r"\sp(x)"
