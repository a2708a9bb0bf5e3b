"""Check, repair (docs/deciding.md): verified suggestions of each kind, the seed's mistakes, and no unbacked claim.

A suggestion is a claim: the step holds with the member replaced by the
suggested LaTeX.  Every one here is asserted exactly, and every one is
checked again from scratch, as a document of its own.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from deriv.check.checker import check_text
from deriv.check.options import CheckOptions
from deriv.check.repair import Failure, ratio_of, search
from deriv.cli import main
from deriv.latex.parser import parse_display
from deriv.latex.render import render
from deriv.latex.repairs import free_names, repairs, transposed
from deriv.render.json import step_from_json, step_to_json
from deriv.results import Counterexample, Suggestion, Verdict

DERIVATIONS = Path(__file__).resolve().parent.parent / "derivations"
OPTIONS = CheckOptions(isolate=False)

FRONT = """---
symbols:
  A: matrix N x N
  B: matrix N x N
  C: matrix N x M
  D: matrix N x M
  X: matrix S x M
  W: matrix N x M
  g: function
  x: scalar
  a: scalar
  b: scalar
  c: scalar
definitions:
  - Y = X W^T
  - L = g(Y)
---
"""

LAYOUT_CHAIN = (r"$$\left[\frac{\partial L}{\partial W}\right]_{m,n} = \sum_i \left[\frac{\partial L}{\partial Y}\right]_{i,m}"
                r" X_{i,n}$$" "\n\n" r"$$= \frac{\partial L}{\partial Y} X$$")

#: (chain, kind, detail, suggested LaTeX): the last step of each chain fails, and this repairs it.
KINDS = [
    (r"$$\sum_k \delta_{i,k} A_{j,k} = A_{i,j}$$", "swap-indices", "swap i and j", "A_{j,i}"),
    (r"$$A_{i,k} = \sum_j A_{i,j} \delta_{i,k}$$", "delta", "change i to j in a delta",
     r"\sum_{j} A_{i,j} \delta_{j,k}"),
    (r"$$\frac{\partial}{\partial x}\left(x^2\right) = 2x + 1$$", "drop-term", "drop 1", "2 x"),
    (r"$$a + b + c = a + b$$", "add-term", "add back c", "a + b + c"),
    (r"$$\frac{\partial}{\partial x}\left(-x^2\right) = 2x$$", "sign", "flip the sign", "-2 x"),
    (r"$$(a - b)^2 = a^2 + 2ab + b^2$$", "sign", "flip the sign of 2 a b", r"a^{2} - 2 a b + b^{2}"),
    (r"$$\frac{\partial}{\partial x} x^2 = x$$", "factor", "multiply by 2", "2 x"),
    (r"$$\frac{\partial}{\partial x} \frac{x^2}{4} = x$$", "factor", r"multiply by \frac{1}{2}", r"\frac{1}{2} x"),
    ("$$\\left[C^T D\\right]_{i,j} = \\sum_k C_{k,i} D_{k,j}$$\n\n$$= D^T C$$", "transpose",
     "transpose the member", "C^{T} D"),
    ("$$\\left[C^T D\\right]_{i,j} = \\sum_k C_{k,i} D_{k,j}$$\n\n$$= C D$$", "transpose-factor",
     "transpose C", "C^{T} D"),
    (r"$$\sum_k A_{i,k} B_{k,j} = \sum_k A_{i,k} B_{k,i}$$", "rename-index", "rename one i to j",
     r"\sum_{k} A_{i,k} B_{k,j}"),
    (r"$$\sum_k D_{j,k} \delta_{k,n} = D C_{j,n}$$", "entry", "D_{j,n} for D C_{j,n}", "D_{j,n}"),
    (LAYOUT_CHAIN, "layout",
     r"the other layout convention: transpose \frac{\partial L}{\partial Y}",
     r"\left(\frac{\partial L}{\partial Y}\right)^{T} X"),
    ("$$\\left[C^T D\\right]_{i,j} = \\sum_k C_{k,i} D_{k,j}$$\n\n$$= \\sum_l C_{l,i} D_{l,k}$$", "rename-index",
     "rename k to j", r"\sum_{l} C_{l,i} D_{l,j}"),
]


def last_step(body: str):
    steps = check_text(FRONT + body, options=OPTIONS).steps
    return steps[-1]


@pytest.mark.parametrize(("chain", "kind", "detail", "latex"), KINDS, ids=[f"{k[1]}-{n}" for n, k in enumerate(KINDS)])
def test_each_kind_of_repair(chain: str, kind: str, detail: str, latex: str) -> None:
    step = last_step(chain)
    assert step.verdict in (Verdict.REFUTED, Verdict.ERROR)
    assert step.suggestion == (Suggestion(kind, latex, Verdict.PROVED, detail),)


def test_every_kind_is_covered() -> None:
    kinds = {k for _, k, _, _ in KINDS}
    assert kinds == {"swap-indices", "delta", "drop-term", "add-term", "sign", "factor", "transpose",
                     "transpose-factor", "rename-index", "layout", "entry"}


# -- the seed's mistakes --------------------------------------------------------------
def _check_json(name: str) -> dict:
    output = CliRunner().invoke(main, ["check", "--format", "json", str(DERIVATIONS / name)]).output
    return {(s["label"], s["line"]): s for s in json.loads(output)["files"][0]["steps"]}


def test_seed_transposed_w_gradient_gets_its_transpose() -> None:
    steps = _check_json("linear_layer_weights.md")
    assert steps[("14", 75)]["verdict"] == "expected-fail"
    assert steps[("14", 75)]["suggestion"] == [{
        "kind": "transpose", "latex": r"\left(\frac{\partial L}{\partial Y}\right)^{T} X", "verdict": "proved",
        "detail": "transpose the member",
    }]
    # the corrected line (14') is what was suggested, and it is proved
    assert steps[("14'", 80)]["verdict"] == "proved" and steps[("14'", 80)]["suggestion"] is None


def test_seed_lost_index_x_steps_get_k_renamed_to_n() -> None:
    steps = _check_json("linear_layer_input.md")
    expected = {
        ("8", 51): r"W_{j,n} \delta_{i,m}",
        ("10", 63): r"\sum_{i,j} \frac{\partial g(Y)}{\partial Y_{i,j}} W_{j,n} \delta_{i,m}",
        ("11", 68): r"\sum_{i} \sum_{j} \frac{\partial g(Y)}{\partial Y_{i,j}} W_{j,n} \delta_{i,m}",
        ("12", 75): r"{\sum_{j} W_{j,n}} \left[\frac{\partial L}{\partial Y}\right]_{m,j}",
    }
    for key, latex in expected.items():
        assert steps[key]["suggestion"] == [
            {"kind": "rename-index", "latex": latex, "verdict": "proved", "detail": "rename k to n"}
        ], key


def test_seed_suggestions_in_text_output() -> None:
    weights = CliRunner().invoke(main, ["check", "--no-color", str(DERIVATIONS / "linear_layer_weights.md")]).output
    assert (r"suggestion: transpose the member (proved): \left(\frac{\partial L}{\partial Y}\right)^{T} X"
            in [line.strip() for line in weights.splitlines()])
    inputs = CliRunner().invoke(main, ["check", "--no-color", str(DERIVATIONS / "linear_layer_input.md")]).output
    assert r"suggestion: rename k to n (proved): W_{j,n} \delta_{i,m}" in [line.strip() for line in inputs.splitlines()]


def test_readme_shows_the_seed_repairs() -> None:
    section = (DERIVATIONS.parent / "docs" / "seed.md").read_text(encoding="utf-8")
    assert r"suggestion: transpose the member (proved): \left(\frac{\partial L}{\partial Y}\right)^{T} X" in section
    assert r"suggestion: rename k to n (proved): W_{j,n} \delta_{i,m}" in section


# -- never a suggestion the engine did not back --------------------------------------
def test_search_keeps_only_proved_or_tested() -> None:
    node = parse_display("A_{i,j}")[0].members[0]
    failure = Failure(node, None, ("i", "j"), None)
    for verdict in Verdict:
        found = search(failure, lambda _node, _latex, v=verdict: v, lambda: True)
        if verdict in (Verdict.PROVED, Verdict.TESTED):
            assert found and all(s.verdict is verdict for s in found)
        else:
            assert found == ()


def test_search_stops_when_told() -> None:
    node = parse_display("A_{i,j}")[0].members[0]
    assert search(Failure(node, None, ("i", "j"), None), lambda *_: Verdict.PROVED, lambda: False) == ()


def _rechecked(chain: str, latex: str) -> Verdict:
    """The failing member replaced by the suggestion, checked as a new document."""
    opening = chain.rfind("$$", 0, len(chain) - 2) + 2
    display = chain[opening:-2]
    replaced = chain[:opening] + display[: display.rfind("=") + 1] + " " + latex + "$$"
    return check_text(FRONT + replaced, options=OPTIONS).steps[-1].verdict


@pytest.mark.parametrize(("chain", "kind", "detail", "latex"), KINDS, ids=[f"{k[1]}-{n}" for n, k in enumerate(KINDS)])
def test_every_suggestion_holds_when_pasted(chain: str, kind: str, detail: str, latex: str) -> None:
    for suggestion in last_step(chain).suggestion:
        assert suggestion.verdict in (Verdict.PROVED, Verdict.TESTED)
        assert _rechecked(chain, suggestion.latex) in (Verdict.PROVED, Verdict.TESTED)


def test_no_repair_for_a_step_that_has_none() -> None:
    # x^3 has no small repair into x: every candidate is decided and none holds
    step = last_step(r"$$\frac{\partial}{\partial x} x^3 = x + x^2 + 5$$")
    assert step.verdict is Verdict.REFUTED and step.suggestion == ()


def test_no_search_without_the_option() -> None:
    text = FRONT + r"$$\sum_k \delta_{i,k} A_{j,k} = A_{i,j}$$"
    step = check_text(text, options=dataclasses.replace(OPTIONS, suggest=False)).steps[-1]
    assert step.verdict is Verdict.REFUTED and step.suggestion == ()


def test_an_unknown_name_is_not_repaired() -> None:
    step = last_step(r"$$a + b = a + \mathcal{P}$$")
    assert step.verdict is Verdict.ERROR and step.suggestion == ()


# -- pieces ---------------------------------------------------------------------------
def test_json_round_trip_of_suggestions() -> None:
    step = last_step(r"$$\sum_k \delta_{i,k} A_{j,k} = A_{i,j}$$")
    assert step.suggestion
    again = step_from_json(json.loads(json.dumps(step_to_json(step))))
    assert again.suggestion == step.suggestion


def test_ratio_of_exact_counterexamples_only() -> None:
    exact = Counterexample((), (), "6", "3", 0)
    assert ratio_of(exact) == 2
    assert ratio_of(dataclasses.replace(exact, rhs_value="0")) is None
    assert ratio_of(dataclasses.replace(exact, precision="certified at 128 bits")) is None
    assert ratio_of(dataclasses.replace(exact, lhs_value="undefined (log of a negative number)")) is None


def test_transpose_of_a_product_reverses_it() -> None:
    node = parse_display(r"2 X^{T} \frac{\partial L}{\partial Y}")[0].members[0]
    assert render(transposed(node)) == r"2 \left(\frac{\partial L}{\partial Y}\right)^{T} X"


def test_free_names_leave_summed_indices_out() -> None:
    node = parse_display(r"\sum_{j} W_{j,k} \delta_{i,m} + \|x\|_2")[0].members[0]
    assert free_names(node) == ["k", "i", "m"]


def test_candidates_are_distinct_and_never_the_member() -> None:
    node = parse_display(r"\sum_k A_{i,k} B_{k,i} + A_{i,j}")[0].members[0]
    latex = [c.latex for c in repairs(node, free=("i", "j"), extra=(), previous=None, ratio=None)]
    assert len(latex) == len(set(latex)) and render(node) not in latex


ROUND_TRIP = [
    r"\sum_{k=1}^{M} X_{i,k} W^T_{k,j}", r"\frac{\partial^2 E}{\partial w_k \partial w_l}", r"\nabla_w E",
    r"\exp(x)^2 + \tanh^2(a) - \sqrt{x} + \log x", r"\|x\|_2^2 + \|X\|_F + |a|", r"\langle a, b \rangle",
    r"\operatorname{diag}(v)_{i,j} + \operatorname{tr}(A B)", r"A \circ B^T + (A - B)^T", r"h'(x) \cdot 2 / y",
    r"\mathbf{x}_i + \mathcal{B}_{i,j} + \lambda \alpha", r"-\sum_i \left[\frac{\partial L}{\partial Y}\right]_{i,m} X_{i,n}",
    r"\frac{\partial}{\partial W_{m,n}} \left( \left[ X W^T \right]_{i,j} + B_{i,j} \right)", r"\sqrt[3]{x}",
]


def _shape(node):
    if isinstance(node, tuple):
        return tuple(_shape(x) for x in node)
    if dataclasses.is_dataclass(node):
        # What the tree means: not where it was written, nor how (``bare``, ``letter_t``: compare=False).
        return type(node).__name__, tuple((f.name, _shape(getattr(node, f.name))) for f in dataclasses.fields(node)
                                          if f.compare and f.name != "column")
    return node


@pytest.mark.parametrize("latex", ROUND_TRIP)
def test_rendering_reads_back_as_the_same_tree(latex: str) -> None:
    node = parse_display(latex)[0].members[0]
    again = parse_display(render(node))[0].members[0]
    assert _shape(again) == _shape(node)


SPELLED = [r"\hat{y} + y' + \mathrm{lr} x", r"\mathbf{1}_N^T \tilde{W}_{i,j} \bar{x}_i", r"y'' - \mathbf{1}^T x"]


@pytest.mark.parametrize("latex", SPELLED)
def test_names_as_written_read_back_as_the_same_tree(latex: str) -> None:
    # Accented names, primes, declared words and the ones vector are rendered as
    # the author spelled them, so a repair of a member that uses them reads back.
    from deriv.latex.lexicon import Lexicon

    words = Lexicon(words=frozenset({"lr"}))
    node = parse_display(latex, words)[0].members[0]
    again = parse_display(render(node), words)[0].members[0]
    assert _shape(again) == _shape(node)


def test_a_member_with_declared_words_and_accents_is_repaired() -> None:
    text = ("---\ntitle: t\nsymbols:\n  lr: scalar\n  \\hat{y}: vector N\n  w: vector N\n---\n\n"
            "$$ w_i - \\mathrm{lr} \\hat{y}_i = w_i + \\mathrm{lr} \\hat{y}_i $$\n")
    step = check_text(text, "t.md").steps[0]
    assert step.verdict is Verdict.REFUTED, step
    assert [(s.kind, s.latex, s.verdict) for s in step.suggestion] == [
        ("sign", r"w_{i} - \mathrm{lr} \hat{y}_{i}", Verdict.PROVED)]


def test_a_document_allowance_bounds_the_searches() -> None:
    from deriv.check.repair import Allowance

    node = parse_display("A_{i,j}")[0].members[0]
    failure = Failure(node, None, ("i", "j"), None)
    allowance = Allowance(60.0)
    assert allowance.seconds == 15.0  # a quarter of the document's budget
    allowance.steps = 1
    assert search(failure, lambda *_: Verdict.PROVED, lambda: True, allowance)
    assert allowance.steps == 0 and allowance.seconds < 15.0
    assert search(failure, lambda *_: Verdict.PROVED, lambda: True, allowance) == ()


def test_many_wrong_steps_are_all_checked_and_the_first_ones_repaired(monkeypatch) -> None:
    import deriv.check.repair

    monkeypatch.setattr(deriv.check.repair, "MAX_REPAIRED_STEPS", 2)
    body = "\n\n".join([r"$$\sum_k \delta_{i,k} A_{j,k} = A_{i,j}$$"] * 3)
    steps = check_text(FRONT + body, options=OPTIONS).steps
    assert [s.verdict for s in steps] == [Verdict.REFUTED] * 3
    assert [len(s.suggestion) for s in steps] == [1, 1, 0]


@pytest.mark.parametrize("name", ["linear_layer_weights.md", "linear_layer_input.md"])
def test_each_seed_repair_is_the_notes_own_correction(name: str) -> None:
    """Each repaired mistake is followed in the document by the corrected line, proved: the same LaTeX."""
    steps = check_text((DERIVATIONS / name).read_text(encoding="utf-8"), options=OPTIONS).steps
    repaired = [(n, s) for n, s in enumerate(steps) if any(x.kind != "matrix-form" for x in s.suggestion)]
    assert len(repaired) == {"linear_layer_weights.md": 1, "linear_layer_input.md": 5}[name]
    for n, step in repaired:
        corrected = steps[n + 1]
        assert step.verdict is Verdict.EXPECTED_FAIL and corrected.verdict is Verdict.PROVED
        assert corrected.label in (step.label, f"{step.label}'")
        written = render(parse_display(corrected.rhs)[0].members[0])
        assert [s.latex for s in step.suggestion] == [written]


def test_a_search_that_breaks_costs_nothing_but_its_suggestions(monkeypatch) -> None:
    import deriv.check.repair

    def broken(*_args, **_kwargs):
        raise ValueError("a bug in a repair")

    monkeypatch.setattr(deriv.check.repair, "repairs", broken)
    step = last_step(r"$$\sum_k \delta_{i,k} A_{j,k} = A_{i,j}$$")
    assert step.verdict is Verdict.REFUTED and step.suggestion == () and step.counterexample is not None
