"""Meaning, names declared with their script (docs/format.md): ``W_1``, ``h_{t-1}``,
``b^{(l)}``, ``W^{[2]}``, ``L_{\\mathrm{reg}}``, ``\\alpha_t``, ``\\ell``.

A declared scripted name is one name wherever the math writes it (braces and
spacing normalised); its entries are ``[W_1]_{i,j}`` or ``(W_1)_{ij}``; a
script that could also be the name's script plus entry indices, or a name
that could also be an entry or a power of a declared base, is an error that
names both readings; an undeclared ``x_t`` stays what it was.
A definition whose left side is ``z_t`` names ``z_t`` when ``z`` is not declared and the right
side never uses ``t``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import deriv
from deriv.check.options import CheckOptions
from deriv.latex.lexicon import Lexicon
from deriv.latex.parser import parse_expression
from deriv.meaning.defined_names import defined_names
from deriv.latex import ast
from deriv.names import scripted, split_scripted
from deriv.read.frontmatter import Equation
from deriv.read.kinds import check_name, declared_name


def steps(symbols: str, *displays: str, definitions: str = ""):
    head = f"---\nsymbols:\n{symbols}\n" + (f"definitions:\n{definitions}\n" if definitions else "") + "---\n\n"
    text = head + "\n\n".join(f"$$ {d} $$" for d in displays) + "\n"
    return deriv.check_text(text, options=CheckOptions(isolate=False)).steps


def verdicts(symbols: str, *displays: str, definitions: str = "") -> list[str]:
    return [str(s.verdict) for s in steps(symbols, *displays, definitions=definitions)]


# -- the front matter: a key is spelled one way ------------------------------------------

@pytest.mark.parametrize("key, name", [
    ("W_1", "W_1"), ("W_{1}", "W_1"), ("W_{ 1 }", "W_1"), ("h_{t-1}", "h_{t-1}"),
    ("h_{t - 1}", "h_{t-1}"), ("b^{(l)}", "b^{(l)}"), ("a^{(l - 1)}", "a^{(l-1)}"),
    ("W^{[2]}", "W^{[2]}"), ("L_{\\mathrm{reg}}", "L_{\\mathrm{reg}}"), ("\\alpha_t", "\\alpha_t"),
    ("alpha_t", "\\alpha_t"), ("\\mathbf{W}_z", "W_z"), ("\\hat y_t", "\\hat{y}_t"),
    ("W^{(l)}_1", "W_1^{(l)}"), ("\\ell", "ell"),
])
def test_a_key_declares_the_name_as_the_math_spells_it(key, name):
    assert declared_name(key) == name
    assert check_name(name) is None


@pytest.mark.parametrize("key", ["W^T", "W^{\\top}", "W^{-1}", "lr_1", "W_", "a_b_c", "W_{}", "softmax_1"])
def test_a_script_that_is_no_name_is_refused(key):
    assert check_name(declared_name(key)) is not None


_SPACES = st.sampled_from(["", " ", "  ", "\\,", "\\;", "\\!"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_SPACES, st.sampled_from(["t", "-", "1", "+", "k"])), min_size=1, max_size=5), _SPACES)
def test_spacing_in_a_script_never_makes_another_name(pieces, tail):
    plain = "".join(p for _, p in pieces)
    spaced = "".join(s + p for s, p in pieces) + tail
    assert scripted("h", spaced, None) == scripted("h", plain, None)
    assert split_scripted(scripted("h", spaced, None)) == ("h", plain, None)


@pytest.mark.parametrize("written", ["W_1", "W_{1}", "W_{ 1 }", "W _ 1", "\\mathbf{W}_1", "W_{\\,1}"])
def test_every_spelling_of_a_declared_name_is_one_name(written):
    lexicon = Lexicon.of(["W_1"])
    assert parse_expression(written, lexicon) == ast.Name("W_1", column=1) or isinstance(
        parse_expression(written, lexicon), ast.Name
    )
    assert parse_expression(written, lexicon).name == "W_1"


def test_without_the_declaration_the_script_is_an_entry_as_before():
    node = parse_expression("W_1")
    assert isinstance(node, ast.Scripted) and node.base == ast.Name("W", column=1)


# -- proved and refuted, each spelling ------------------------------------------------

MLP = """  x: vector N
  W_1: matrix N x N
  b_1: vector N
  W_2: matrix N x N
  "b_{2}": vector N
  c: vector N
  phi: tanh"""
MLP_DEFINITIONS = """  - h = \\phi(W_{1} x + b_1)
  - y = W_2 h + b_{ 2 }
  - L = c^T y"""


def test_mlp_gradients_by_entries_of_subscripted_weights():
    found = steps(
        MLP,
        "\\frac{\\partial L}{\\partial [W_2]_{k,j}} = c_k h_j",
        "\\frac{\\partial L}{\\partial [W_2]_{k,j}} = c_j h_k",
        "\\frac{\\partial L}{\\partial [W_1]_{i,j}} = \\sum_k c_k [W_2]_{k,i} (1 - h_i^2) x_j",
        "\\frac{\\partial L}{\\partial [W_1]_{i,j}} = \\sum_k c_k [W_2]_{k,i} x_j",
        "\\frac{\\partial L}{\\partial (W_{ 1 })_{ij}} = \\sum_k c_k (W_2)_{ki} (1 - h_i^2) x_j",
        "\\frac{\\partial L}{\\partial [b_{1}]_i} = \\sum_k c_k (W_{2})_{ki} (1 - h_i^2)",
        "\\frac{\\partial L}{\\partial W_2} = c h^T",
        "\\frac{\\partial L}{\\partial W_2} = h c^T",
        "\\frac{\\partial L}{\\partial b_2} = c",
        definitions=MLP_DEFINITIONS,
    )
    assert [str(s.verdict) for s in found] == [
        "proved", "refuted", "proved", "refuted", "proved", "proved", "proved", "refuted", "proved",
    ]
    assert any(s.latex == "c_{k} h_{j}" for s in found[1].suggestion)


def test_an_index_sum_of_a_subscripted_matrix_and_its_counterexample_names_it_as_written():
    found = steps(
        '  W_1: matrix N x N\n  "h_{t-1}": vector N',
        "[W_1 h_{t-1}]_i = \\sum_k [W_1]_{i,k} [h_{t - 1}]_k",
        "[W_1 h_{t-1}]_i = \\sum_k [W_1]_{k,i} [h_{t-1}]_k",
        "(W_1 h_{t-1})^T = h_{t-1}^T W_1^T",
        "(W_1 h_{t-1})^T = h_{t-1}^T W_1",
    )
    assert [str(s.verdict) for s in found] == ["proved", "refuted", "proved", "refuted"]
    refuted = found[1]
    assert refuted.rhs == "\\sum_k [W_1]_{k,i} [h_{t-1}]_k"
    names = dict(refuted.counterexample.values)
    assert set(names) == {"W_1", "h_{t-1}"}
    assert "W_1 = [" in refuted.counterexample.describe()


GRU = """  x_t: vector D
  "h_{t-1}": vector H
  W_z: matrix H x D
  U_z: matrix H x H
  b_z: vector H
  z_t: vector H
  U_r: matrix H x H
  c: vector H"""


def test_gru_gate_with_subscripted_weights():
    assert verdicts(
        GRU,
        "[z_t]_i = \\sum_k [W_z]_{i,k} [x_t]_k + \\sum_k [U_z]_{i,k} [h_{t-1}]_k + [b_z]_i",
        "[z_t]_i = \\sum_k [W_z]_{i,k} [x_t]_k + \\sum_k [U_z]_{k,i} [h_{t-1}]_k + [b_z]_i",
        "\\frac{\\partial c^T z_t}{\\partial h_{t-1}} = U_z^T c",
        "\\frac{\\partial c^T z_t}{\\partial h_{t-1}} = U_z c",
        "\\frac{\\partial c^T z_t}{\\partial W_z} = c x_t^T",
        "U_r + U_z = U_z + U_r",
        "U_r U_z = U_z U_r",
        definitions="  - z_t = W_z x_t + U_z h_{t-1} + b_z",
    ) == ["proved", "refuted", "proved", "refuted", "proved", "proved", "refuted"]


def test_superscripted_layer_names():
    assert verdicts(
        '  W_1: matrix N x N\n  "a^{(l-1)}": vector N\n  "b^{(l)}": vector N\n  c: vector N\n'
        '  "W^{[2]}": matrix N x N',
        "\\nabla_{W_{1}} L = c (a^{( l - 1 )})^T",
        "\\frac{\\partial L}{\\partial b^{(l)}_i} = c_i",
        "\\frac{\\partial L}{\\partial a^{(l-1)}} = W_1^T c",
        "\\frac{\\partial L}{\\partial a^{(l-1)}} = W_1 c",
        "(W^{[2]} a^{(l-1)})^T = (a^{(l-1)})^T (W^{[2]})^T",
        "(W^{[2]} a^{(l-1)})^T = (a^{(l-1)})^T W^{[2]}",
        "(W^{[2]} a^{(l-1)})^T = (a^{(l-1)})^T W^{[2]T}",
        "(W^{[2]} a^{(l-1)})^T = (a^{(l-1)})^T W^{[2] \\top}",
        definitions="  - L = c^T (W_1 a^{(l-1)} + b^{(l)})",
    ) == ["proved", "proved", "proved", "refuted", "proved", "refuted", "proved", "proved"]


def test_words_greek_and_script_letters():
    assert verdicts(
        '  "L_{\\\\mathrm{reg}}": scalar\n  "\\\\ell": scalar\n  "\\\\alpha_t": scalar\n  "\\\\mathcal{L}": scalar\n'
        '  "\\\\hat{y}_t": scalar',
        "L_{\\mathrm{reg}} + \\ell = \\ell + L_{\\mathrm{reg}}",
        "L_{\\mathrm{reg}} - \\ell = \\ell - L_{\\mathrm{reg}}",
        "\\alpha_t \\mathcal{L} = \\mathcal{L} \\alpha_t",
        "\\alpha_t + \\mathcal{L} = \\alpha_t",
        "\\hat{y}_t \\alpha_t = \\alpha_t \\hat y_t",
        "\\hat{y}_t = \\alpha_t",
    ) == ["proved", "refuted", "proved", "refuted", "proved", "refuted"]


# -- two readings: an error that names both ---------------------------------------------

@pytest.mark.parametrize("display, shown", [
    ("W_{1,ij} = 0", "[W_1]_{ij}"),
    ("W_{1ij} = 0", "[W_1]_{ij}"),
    ("W_{1, i} = 0", "[W_1]_{i}"),
    ("h_{t-1,i} = 0", "[h_{t-1}]_{i}"),
    ("h_{t - 1, i} = 0", "[h_{t-1}]_{i}"),
])
def test_a_script_extending_a_declared_name_reads_two_ways(display, shown):
    (step,) = steps('  W_1: matrix N x N\n  "h_{t-1}": vector N', display)
    assert str(step.verdict) == "error"
    assert "reads two ways" in step.message and shown in step.message


def test_a_second_subscript_after_a_scripted_name_is_an_error():
    (step,) = steps("  W_1: matrix N x N", "W_1_{ij} = 0")
    assert str(step.verdict) == "error" and "[W_1]_{i,j}" in step.message


@pytest.mark.parametrize("symbols, display, reading", [
    ("  w: vector N\n  w_1: vector N\n  x: vector N", "w_1^T x = x^T w_1", "entry 1 of w"),
    ("  h: vector N\n  \"h_{t-1}\": vector N", "h_{t-1} = h_{t-1}", "entry t-1 of h"),
    ("  W: matrix N x N\n  \"W_{ij}\": scalar", "W_{ij} = W_{ij}", "entry ij of W"),
    ("  b: scalar\n  \"b^{(l)}\": scalar", "b^{(l)} = b^{(l)}", "b to the power (l)"),
    ("  sigma: scalar\n  \"\\\\sigma^2\": scalar", "\\sigma^2 = \\sigma^2", "sigma to the power 2"),
])
def test_a_declared_base_with_entries_or_powers_makes_the_name_ambiguous(symbols, display, reading):
    (step,) = steps(symbols, display)
    assert str(step.verdict) == "error"
    assert "reads two ways" in step.message and reading.replace("sigma", "\\sigma") in step.message


@pytest.mark.parametrize("key, display, reading", [
    ('"x_{10}"', "x_{10} = x_{10}", "entry 10 of x"),      # undeclared, x_{10} is entry 10 (one number)
    ('"x_{2N}"', "x_{2N} = x_{2N}", "entry 2N of x"),      # undeclared, a scaled position
    ('"x_{12}"', "x_{12} + 1 = 1 + x_{12}", "entry 12 of x"),
])
def test_a_number_of_several_digits_is_one_entry_beside_a_declared_vector(key, display, reading):
    (step,) = steps(f"  x: vector N\n  {key}: scalar", display)
    assert str(step.verdict) == "error" and "reads two ways" in step.message and reading in step.message


def test_several_digits_stay_a_name_where_no_base_has_entries():
    # x_{ij} on a vector is two indices, never one entry: only the name
    assert verdicts('  x: vector N\n  "x_{ij}": scalar\n  "y_{10}": scalar', "x_{ij} = x_{ij}",
                    "y_{10} + y_{10} = 2 y_{10}") == ["proved", "proved"]


def test_a_matrix_base_does_not_shadow_a_one_index_name():
    # W_1 can not be an entry of the matrix W (that takes two indices): it is the name W_1
    assert verdicts(
        "  W: matrix M x M\n  W_1: matrix N x N\n  x: vector N\n  \"W^{[2]}\": matrix M x M",
        "W_1 x + W_1 x = 2 W_1 x",
        "W^{[2]} W = W^{[2]} W",
        "W_1 x = x",
    ) == ["proved", "proved", "refuted"]


# -- never misread ------------------------------------------------------------------------

def test_an_undeclared_x_t_with_x_declared_stays_an_entry():
    found = steps(
        "  x: vector N\n  y: vector N\n  x_1: scalar",
        "\\sum_t x_t y_t = x^T y",
        "\\sum_t x_t y_t = \\sum_t x_t y_1",
    )
    # y_1 is entry 1 of y: the step is false, not unreadable
    assert [str(s.verdict) for s in found] == ["proved", "refuted"]


def test_an_undeclared_scripted_name_is_not_made_up():
    (step,) = steps("  W_1: matrix N x N", "W_2 = W_1")
    assert str(step.verdict) == "error" and "unknown name W" in step.message


def test_a_declared_font_name_and_the_plain_letter_are_one_name():
    # fonts are ignored (README): \mathcal{L} and L are the same, declared once
    result = deriv.check_text('---\nsymbols:\n  "\\\\mathcal{L}": scalar\n  L: scalar\n---\n\n$$ L = L $$\n')
    assert result.error and "declared twice" in result.error


def test_a_sum_over_the_script_of_a_declared_name_is_an_error():
    # \sum_t x_t with x_t one declared vector would add the same x_t T times
    found = steps(
        '  x_t: vector N\n  "L_{\\\\mathrm{reg}}": scalar\n  w: vector N\n  W_i: matrix N x N',
        "\\sum_t [x_t]_i = [x_t]_i",
        "\\sum_r [x_t]_r L_{\\mathrm{reg}} = L_{\\mathrm{reg}} \\sum_i [x_t]_i",
        "[W_i]_{i,j} = [W_i]_{i,j}",
        "w^T x_t = x_t^T w",
    )
    assert [str(s.verdict) for s in found] == ["error", "proved", "error", "proved"]
    assert "summed over" in found[0].message and "free index" in found[2].message


def test_a_front_matter_index_is_no_free_index_of_a_member_that_does_not_use_it():
    text = "---\nsymbols:\n  x_t: vector N\n  w: vector N\nindices:\n  t: N\n---\n\n$$ w^T x_t = x_t^T w $$\n"
    (step,) = deriv.check_text(text, options=CheckOptions(isolate=False)).steps
    assert str(step.verdict) == "proved"


@pytest.mark.parametrize("key", ["W_{" + "1" * 41 + "}", "W_{a'}", "W_{a$}", "W_{k=1}", "x_<", "W_{a\\\\b}", "W_{a\x07}"])
def test_a_script_must_be_short_plain_math(key):
    assert "short piece of math" in (check_name(declared_name(key)) or "")


def test_assumptions_know_scripted_names_in_the_front_matter_and_in_a_directive():
    text = (
        "---\nsymbols:\n  W_1: matrix N x N\n  x: vector N\n  y: vector N\nassumptions:\n  - W_{1} = W_1^T\n---\n\n"
        "$$ x^T W_1 y = y^T W_1 x $$\n\n"
        "<!-- deriv: assume [W_1]_{i,i} = 0 -->\n$$ \\sum_i [W_1]_{i,i} = 0 $$\n\n"
        "$$ x^T W_1 y = x^T W_1 x $$\n"
    )
    found = deriv.check_text(text, options=CheckOptions(isolate=False)).steps
    assert [str(s.verdict) for s in found] == ["tested", "tested", "refuted"]


# -- property: a scripted name behaves exactly as a plain letter in its place -------------

_TEMPLATES = [
    "[{W} {h}]_i = \\sum_k [{W}]_{{i,k}} [{h}]_k",
    "[{W} {h}]_i = \\sum_k [{W}]_{{k,i}} [{h}]_k",
    "({W} {V})^T = ({V})^T {W}^T",
    "({W} {V})^T = {W}^T ({V})^T",
    "\\frac{{\\partial {h}^T {W} {h}}}{{\\partial {h}}} = ({W} + {W}^T) {h}",
    "\\frac{{\\partial {h}^T {W} {h}}}{{\\partial {h}}} = 2 {W} {h}",
    "\\frac{{\\partial {h}^T {V} {h}}}{{\\partial [{V}]_{{i,j}}}} = [{h}]_i [{h}]_j",
    "\\frac{{\\partial {h}^T {V} {h}}}{{\\partial ({V})_{{ij}}}} = [{h}]_i [{h}]_i",
]
_SPELLINGS = {
    "W": ["W_1", "W_{1}", "W_{ 1 }", "\\mathbf{W}_1", "W_{\\,1}"],
    "h": ["h_{t-1}", "h_{t - 1}", "h_{t\\,-\\,1}", "h_{ t-1 }"],
    "V": ["V^{[2]}", "V^{ [2] }", "V^{[ 2 ]}"],
}
_PLAIN = {"W": "A", "h": "b", "V": "C"}


@settings(max_examples=12, deadline=None)
@given(st.lists(st.sampled_from(_TEMPLATES), min_size=2, max_size=4), st.data())
def test_a_scripted_name_reads_as_a_plain_letter_would(templates, data):
    spelled = {k: data.draw(st.sampled_from(v)) for k, v in _SPELLINGS.items()}
    scripted_symbols = '  W_1: matrix N x N\n  "h_{t-1}": vector N\n  "V^{[2]}": matrix N x N'
    plain_symbols = "  A: matrix N x N\n  b: vector N\n  C: matrix N x N"
    written = [t.format(**spelled) for t in templates]
    reference = [t.format(**_PLAIN) for t in templates]
    assert verdicts(scripted_symbols, *written) == verdicts(plain_symbols, *reference)


def test_names_that_can_not_be_an_entry_or_a_power_beside_their_base():
    # x_0 (entries are numbered from 1), x^* and x^{\star} (no power) are names even with x declared
    assert verdicts(
        '  x: vector N\n  x_0: vector N\n  "x^*": vector N\n  "x^{\\\\star}": vector N\n  A: matrix N x N',
        "A (x - x_0) = A x - A x_0",
        "A (x - x^*) = A x - A x^{*}",
        "x^\\star - x_0 = x^{\\star} - x",
    ) == ["proved", "proved", "refuted"]


def test_a_scripted_function_beside_a_vector_base_reads_two_ways():
    (step,) = steps("  w: vector N\n  w_1: function\n  x: vector N", "w_1(x) = w_1(x)")
    assert str(step.verdict) == "error" and "reads two ways" in step.message
    assert verdicts("  g_1: function\n  x: vector N", "g_1(x) + g_1(x) = 2 g_1(x)", "g_1(x) = g_1(2 x)") == [
        "proved", "refuted",
    ]


# -- a definition's scripted left side: a GRU's ``z_t = \sigma(...)`` names ``z_t`` when ``z`` is not
#    declared and the right side never uses ``t``; where the right side uses the subscript
#    (``s_i = \exp(z_i)/...``) the left side stays the entry of an undeclared array

def defined_check(symbols: str, definitions: str, *displays: str) -> deriv.FileResult:
    text = f"---\nsymbols:\n{symbols}\ndefinitions:\n{definitions}\n---\n\n" + "\n\n".join(f"$$ {d} $$" for d in displays)
    return deriv.check_text(text + "\n", options=CheckOptions(isolate=False))


def defined_verdicts(symbols: str, definitions: str, *displays: str) -> list[str]:
    result = defined_check(symbols, definitions, *displays)
    assert result.error is None, result.error
    return [str(s.verdict) for s in result.steps]


GATE = ("  x_t: vector D\n  \"h_{t-1}\": vector H\n  W_z: matrix H x D\n  U_z: matrix H x H\n  b_z: vector H",
        "  - z_t = \\sigma(W_z x_t + U_z h_{t-1} + b_z)")


def test_a_gate_defined_by_its_scripted_name_is_that_name() -> None:
    assert defined_verdicts(*GATE,
                    r"\frac{\partial [z_t]_i}{\partial [b_z]_j} = [z_t]_i (1 - [z_t]_i) \delta_{i,j}",
                    r"\frac{\partial [z_t]_i}{\partial [b_z]_j} = [z_t]_i (1 + [z_t]_i) \delta_{i,j}",
                    r"[z_t]_i = \sigma(\sum_k [W_z]_{i,k} [x_t]_k + \sum_k [U_z]_{i,k} [h_{t-1}]_k + [b_z]_i)") == [
        "proved", "refuted", "proved"]


def test_summing_over_a_defined_names_script_is_an_error() -> None:
    result = defined_check(*GATE, r"\sum_t [z_t]_1 = [z_t]_1")
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
    assert defined_verdicts("  z: vector N", "  - s_i = \\frac{\\exp(z_i)}{\\sum_j \\exp(z_j)}",
                    r"\sum_i s_i = 1", r"\sum_i s_i = 2") == ["proved", "refuted"]


def test_the_bundled_gru_is_checked_strictly() -> None:
    result = deriv.check_file(Path(__file__).resolve().parent.parent / "derivations" / "gru_cell.md")
    assert [str(s.verdict) for s in result.steps] == ["proved"] * 5 + ["expected-fail"] + ["proved"] * 3
