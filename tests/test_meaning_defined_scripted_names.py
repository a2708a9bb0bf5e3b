"""A definition whose left side is ``z_t`` gives the scripted name ``z_t`` a
value when ``z`` is not declared and the right side never uses ``t``
(a GRU's gates); where the right side uses the subscript (``s_i =
\\exp(z_i)/...``) the left side stays the entry of an undeclared array."""

from __future__ import annotations

import pytest

import deriv
from deriv.check.options import CheckOptions
from deriv.meaning.defined_names import defined_names
from deriv.read.frontmatter import Equation


def check(symbols: str, definitions: str, *displays: str) -> deriv.FileResult:
    text = f"---\nsymbols:\n{symbols}\ndefinitions:\n{definitions}\n---\n\n" + "\n\n".join(f"$$ {d} $$" for d in displays)
    return deriv.check_text(text + "\n", options=CheckOptions(isolate=False))


def verdicts(symbols: str, definitions: str, *displays: str) -> list[str]:
    result = check(symbols, definitions, *displays)
    assert result.error is None, result.error
    return [str(s.verdict) for s in result.steps]


GATE = ("  x_t: vector D\n  \"h_{t-1}\": vector H\n  W_z: matrix H x D\n  U_z: matrix H x H\n  b_z: vector H",
        "  - z_t = \\sigma(W_z x_t + U_z h_{t-1} + b_z)")


def test_a_gate_defined_by_its_scripted_name_is_that_name() -> None:
    assert verdicts(*GATE,
                    r"\frac{\partial [z_t]_i}{\partial [b_z]_j} = [z_t]_i (1 - [z_t]_i) \delta_{i,j}",
                    r"\frac{\partial [z_t]_i}{\partial [b_z]_j} = [z_t]_i (1 + [z_t]_i) \delta_{i,j}",
                    r"[z_t]_i = \sigma(\sum_k [W_z]_{i,k} [x_t]_k + \sum_k [U_z]_{i,k} [h_{t-1}]_k + [b_z]_i)") == [
        "proved", "refuted", "proved"]


def test_summing_over_a_defined_names_script_is_an_error() -> None:
    result = check(*GATE, r"\sum_t [z_t]_1 = [z_t]_1")
    assert [str(s.verdict) for s in result.steps] == ["error"]
    assert "z_t" in result.steps[0].message


@pytest.mark.parametrize("latex, declared, expected", [
    (r"z_t = \sigma(a)", {"a"}, ("z_t",)),
    (r"h_{t-1} = \tanh(a)", {"a"}, ("h_{t-1}",)),
    (r"s_i = \frac{\exp(z_i)}{\sum_j \exp(z_j)}", {"z"}, ()),  # the subscript indexes the right side
    (r"c_k = \sum_k a_k", {"a"}, ()),  # a summed k is k too
    (r"z_t = \sigma(a)", {"z", "a"}, ()),  # z declared: z_t is its entry, as before
    (r"B_{i,j} = b_j", {"b"}, ()),
    (r"\sigma^2 = \frac{1}{N} \sum_i x_i^2", {"x"}, (r"\sigma^2",)),
    (r"y_1 = a + b", {"a", "b"}, ("y_1",)),
])
def test_which_definitions_define_a_scripted_name(latex: str, declared: set[str], expected: tuple[str, ...]) -> None:
    assert defined_names([Equation(latex, 1)], declared) == expected


def test_an_entry_definition_of_an_undeclared_array_is_read_as_before() -> None:
    assert verdicts("  z: vector N", "  - s_i = \\frac{\\exp(z_i)}{\\sum_j \\exp(z_j)}",
                    r"\sum_i s_i = 1", r"\sum_i s_i = 2") == ["proved", "refuted"]


def test_the_bundled_gru_is_checked_strictly() -> None:
    from pathlib import Path
    result = deriv.check_file(Path(__file__).resolve().parent.parent / "derivations" / "gru_cell.md")
    assert [str(s.verdict) for s in result.steps] == ["proved"] * 5 + ["expected-fail"] + ["proved"] * 3
