"""Check, diagnosis (docs/deciding.md): matrix forms of index expressions, each one verified by the engine."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

import deriv
from deriv.cli import main
from deriv.diagnose.matrix_form import matrix_form, to_latex
from deriv.meaning.adopt import context_from_symbols
from deriv.results import Verdict

SYMBOLS = {
    "X": "matrix S x M", "G": "matrix S x N", "W": "matrix N x M", "Y": "matrix S x N", "U": "matrix S x N",
    "A": "matrix N x P", "B": "matrix K x P", "C": "matrix N x N", "Z": "matrix S x N", "D": "matrix N x N",
    "u": "vector N", "v": "vector M", "x": "vector N", "s": "vector S",
}

FORMS = [
    (r"\sum_i X_{i,n} G_{i,m}", "m,n", "G^T X"),
    (r"\sum_j G_{m,j} W_{j,n}", "m,n", "G W"),
    (r"\sum_k A_{i,k} B_{j,k}", "i,j", "A B^T"),
    (r"\sum_i C_{i,i}", "", r"\operatorname{tr}(C)"),
    (r"\sum_i (Y_{i,m} - U_{i,m}) X_{i,n}", "m,n", "(Y - U)^T X"),
    (r"\sum_i G_{i,m} G_{i,n}", "m,n", "G^T G"),
    (r"G_{m,n}", "n,m", "G^T"),
    (r"Y_{i,j} Z_{i,j}", "i,j", r"Y \circ Z"),
    # products in either written order, and transposed products
    (r"\sum_j W_{j,n} G_{m,j}", "m,n", "G W"),
    (r"\sum_k C_{k,i} D_{j,k}", "i,j", "C^T D^T"),
    # sums of terms, a scalar multiple, Hadamard inside a sum
    (r"G_{m,n} + Y_{m,n}", "m,n", "G + Y"),
    (r"\sum_j G_{m,j} W_{j,n} - X_{m,n}", "m,n", "G W - X"),
    (r"2 G_{m,n}", "m,n", "2 G"),
    (r"Y_{i,j} Z_{i,j} + G_{i,j}", "i,j", r"Y \circ Z + G"),
    # vectors: an outer product, a matrix times a vector, inner products, a quadratic form
    (r"u_i v_j", "i,j", "u v^T"),
    (r"\sum_j W_{i,j} v_j", "i", "W v"),
    (r"\sum_i x_i u_i", "", "u^T x"),
    (r"\sum_{i,j} x_i C_{i,j} x_j", "", "x^T C x"),
    # traces and diag
    (r"\sum_{i,j} C_{i,j} D_{j,i}", "", r"\operatorname{tr}(C D)"),
    (r"\delta_{i,j} u_i", "i,j", r"\operatorname{diag}(u)"),
    (r"s_i X_{i,j}", "i,j", r"\operatorname{diag}(s) X"),
]


def test_at_least_fifteen_forms_of_every_kind():
    assert len(FORMS) >= 15
    forms = " ".join(f for _, _, f in FORMS)
    for piece in ("^T", r"\circ", " + ", r"\operatorname{tr}", r"\operatorname{diag}", "u v^T"):
        assert piece in forms


@pytest.mark.parametrize(("latex", "indices", "expected"), FORMS)
def test_matrix_forms(latex, indices, expected):
    form = deriv.matrix_form(latex, indices, SYMBOLS)
    assert form is not None and (form.latex, form.verdict) == (expected, Verdict.PROVED)


def test_the_printed_form_is_what_the_chain_checker_proves():
    # the form, read back by deriv's front end, stands for the input's entry
    result = deriv.check_text("---\nsymbols:\n  X: matrix S x M\n  G: matrix S x N\n---\n"
                              "$$ \\left[G^T X\\right]_{m,n} = \\sum_i X_{i,n} G_{i,m} $$\n")
    assert [s.verdict for s in result.steps] == [Verdict.PROVED]


def test_no_form_when_nothing_verifies():
    symbols = {"G": "matrix S x N", "X": "matrix S x N"}
    assert deriv.matrix_form(r"\sum_i X_{i,n} G_{i,m} X_{i,m}", "m,n", symbols) is None


def test_a_wrong_sympy_proposal_is_dropped(monkeypatch):
    from deriv.diagnose import matrix_form as module

    monkeypatch.setattr(module, "_from_sympy", lambda given, context: "X^T G")  # wrong
    form = matrix_form(r"\sum_i X_{i,n} G_{i,m}", ["m", "n"], context_from_symbols(SYMBOLS))
    assert form is not None and form.latex == "G^T X"  # found by the search, verified


def test_only_proved_or_tested_forms_are_returned(monkeypatch):
    from deriv.diagnose import matrix_form as module

    seen = []
    real = module._verify

    def spy(candidate, *args):
        verdict = real(candidate, *args)
        seen.append((candidate, verdict))
        return verdict

    monkeypatch.setattr(module, "_verify", spy)
    form = matrix_form(r"\sum_k A_{i,k} B_{j,k}", ["i", "j"], context_from_symbols(SYMBOLS))
    assert (form.latex, Verdict.PROVED) in seen


def test_wrong_free_indices_are_an_error():
    with pytest.raises(deriv.DerivError, match="free indices are m, n, not m"):
        deriv.matrix_form(r"\sum_i X_{i,n} G_{i,m}", "m", SYMBOLS)


def test_to_latex_of_sympy_expressions():
    from sympy import MatrixSymbol, Trace, symbols

    n = symbols("N")
    a, b = MatrixSymbol("A", n, n), MatrixSymbol("B", n, n)
    assert to_latex(a.T * b) == "A^T B"
    assert to_latex(a.T - b.T) == "(A - B)^T"
    assert to_latex(2 * a * b) == "2 A B"
    assert to_latex(Trace(a * b)) == r"\operatorname{tr}(A B)"


# -- command line -----------------------------------------------------------------------
def run(*args: str):
    return CliRunner().invoke(main, ["matrix-form", *args])


def test_cli_prints_the_form_on_its_last_line():
    result = run(r"\sum_i X_{i,n} G_{i,m}", "--indices", "m,n", "--symbols", "G: matrix S x N; X: matrix S x M")
    assert (result.exit_code, result.output) == (0, "G^T X\n")


def test_cli_product():
    result = run(r"\sum_j G_{m,j} W_{j,n}", "--indices", "m,n", "--symbols", "G: matrix S x N; W: matrix N x M")
    assert (result.exit_code, result.output) == (0, "G W\n")


def test_cli_exit_2_when_no_form_exists():
    result = run(r"\sum_i X_{i,n} G_{i,m} X_{i,m}", "--indices", "m,n", "--symbols", "G: matrix S x N; X: matrix S x N")
    assert result.exit_code == 2
    assert result.output == (
        "deriv: no verified matrix form of \\sum_i X_{i,n} G_{i,m} X_{i,m} with free indices m, n: "
        "no candidate was proved or tested by the engine\n"
    )


def test_cli_file_front_matter(tmp_path):
    doc = tmp_path / "d.md"
    doc.write_text("---\nsymbols:\n  A: matrix N x P\n  B: matrix K x P\n---\n\ntext\n", encoding="utf-8")
    result = run(r"\sum_k A_{i,k} B_{j,k}", "--indices", "i,j", "--file", str(doc))
    assert (result.exit_code, result.output) == (0, "A B^T\n")


@pytest.mark.parametrize("text", ["Just text.\n\n$$ x = x $$\n", "", "# A title\n\nNothing is declared: $a + b$.\n"])
def test_cli_file_that_declares_nothing_is_an_error_not_a_crash(tmp_path, text):
    doc = tmp_path / "d.md"
    doc.write_text(text, encoding="utf-8")
    result = run(r"\sum_i X_{i,n}", "--indices", "n", "--file", str(doc))
    assert result.exit_code == 2
    assert result.output.startswith(f"deriv: error: {doc}:1: no front matter and no declaration in the text")
    assert "internal error" not in result.output


def test_cli_file_declared_in_its_text(tmp_path):
    doc = tmp_path / "d.md"
    doc.write_text("Let $X \\in \\mathbb{R}^{S \\times M}$ and $G \\in \\mathbb{R}^{S \\times N}$.\n", encoding="utf-8")
    result = run(r"\sum_i X_{i,n} G_{i,m}", "--indices", "m,n", "--file", str(doc))
    assert (result.exit_code, result.output) == (0, "G^T X\n")


def test_cli_needs_symbols_or_file():
    result = run(r"G_{m,n}", "--indices", "m,n")
    assert result.exit_code == 2 and "give exactly one of --symbols and --file" in result.output


def test_cli_bad_symbols_and_bad_input():
    assert run("G_{m,n}", "--indices", "m,n", "--symbols", "G matrix").exit_code == 2
    result = run(r"\sum_i X_{i,n}", "--indices", "m,n", "--symbols", "X: matrix S x M")
    assert result.exit_code == 2 and result.output.startswith("deriv: error: the input's free indices are n")


def test_help_imports_no_sympy():
    code = "import sys; from deriv.cli import main\ntry:\n main(['matrix-form', '--help'])\nexcept SystemExit: pass\n" \
           "assert 'sympy' not in sys.modules and 'lark' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


# -- a chain that ends in index form, restated ----------------------------------------
ENDS = r"""---
symbols:
  X: matrix S x M
  W: matrix N x M
  g: function
definitions:
  - Y = X W^T
  - L = g(Y)
---
$$\left[\frac{\partial L}{\partial W}\right]_{m,n} = \sum_{i,j} \frac{\partial g(Y)}{\partial Y_{i,j}} X_{i,n} \delta_{j,m}$$

$$= \sum_{i} X_{i,n} \left[\frac{\partial L}{\partial Y}\right]_{i,m}$$

$$\left[\frac{\partial L}{\partial X}\right]_{m,n} = \sum_{j} W_{j,n} \left[ \frac{\partial L}{\partial Y} \right]_{m,j}$$

$$= \frac{\partial L}{\partial Y} W$$

$$\left[\frac{\partial L}{\partial X}\right]_{m,n} = \sum_{j} W_{j,m} \left[ \frac{\partial L}{\partial Y} \right]_{n,j}$$
"""
GRADIENT_W = r"\left(\frac{\partial L}{\partial Y}\right)^T X"
SWAPPED_X = r"\sum_{j} W_{j,n} \left[\frac{\partial L}{\partial Y}\right]_{m,j}"


def _check_ends(tmp_path, *options):
    path = tmp_path / "ends.md"
    path.write_text(ENDS, encoding="utf-8")
    return CliRunner().invoke(main, ["check", "--no-color", *options, str(path)]).output


def test_a_chain_ending_in_index_form_gets_its_verified_matrix_form(tmp_path):
    lines = [line.strip() for line in _check_ends(tmp_path).splitlines()]
    at = lines.index("proved  -  line 12")
    assert lines[at + 1] == f"in matrix form: {GRADIENT_W}  (proved)"
    # a chain that already ends in matrix form, and a step that does not hold, get none
    assert sum(line.startswith("in matrix form:") for line in lines) == 1


def test_the_matrix_form_in_json(tmp_path):
    import json

    steps = json.loads(_check_ends(tmp_path, "--format", "json"))["files"][0]["steps"]
    forms = {s["line"]: s["suggestion"] for s in steps if s["suggestion"]}
    # line 18 uses m and n at swapped sizes: it gets the verified swap, no matrix form
    assert forms == {12: [{"kind": "matrix-form", "latex": GRADIENT_W, "verdict": "proved",
                           "detail": "in matrix form"}],
                     18: [{"kind": "swap-indices", "latex": SWAPPED_X, "verdict": "proved", "detail": "swap m and n"}]}


def test_the_library_result_carries_the_matrix_form_too():
    steps = deriv.check_text(ENDS).steps
    forms = {s.line: [(x.kind, x.latex) for x in s.suggestion] for s in steps if s.suggestion}
    assert forms == {12: [("matrix-form", GRADIENT_W)], 18: [("swap-indices", SWAPPED_X)]}


@pytest.mark.parametrize("start", [r"\left[XW^{T}\right]_{m,n}", r"[X W^T]_{m,n}", r"\left( X W^{\top} \right)_{m,n}"])
def test_a_chain_that_starts_from_an_entry_of_the_form_is_not_restated(start):
    text = ENDS.split("$$", 1)[0] + f"$${start} = \\sum_k X_{{m,k}} W_{{n,k}}$$\n"
    (step,) = deriv.check_text(text).steps
    assert step.verdict is Verdict.PROVED and step.suggestion == ()
    # the same chain from another start is restated
    other = ENDS.split("$$", 1)[0] + "$$Y_{m,n} = \\sum_k X_{m,k} W_{n,k}$$\n"
    assert [x.latex for x in deriv.check_text(other).steps[0].suggestion] == ["X W^T"]


def test_the_restated_form_is_what_the_chain_checker_proves():
    text = ENDS.split("$$\\left[\\frac{\\partial L}{\\partial X}", 1)[0] + f"$$= {GRADIENT_W}$$\n"
    assert [s.verdict for s in deriv.check_text(text).steps] == [Verdict.PROVED] * 3
