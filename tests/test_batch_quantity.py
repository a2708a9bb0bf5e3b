r"""An item's ``quantity`` (what its problem asks for): each final answer is checked as the step
``quantity = answer``, whichever chain the answer follows (docs/library.md, "Generated
derivations in bulk").

Before, deriv was not told what the problem asks for and guessed which chain an answer
concludes, so a text that derived *another* quantity whose value is its answer
(``\frac{\partial}{\partial a}(2 a A x) = 2 A x`` then ``\boxed{2Ax}``, for the gradient of
``x^T A x``) earned 1.0.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest
from click.testing import CliRunner

import deriv
from helpers import misbehaving_decider
from deriv.check.quantity import EXTRA
from deriv.cli import main

SYMBOLS = {"A": "matrix N x N", "H": "symmetric matrix N x N", "x": "vector N", "a": "scalar"}
GRADIENT = r"\frac{\partial}{\partial x} x^T A x"
CHAIN = r"$$ \frac{\partial}{\partial x} x^T A x = (A + A^T) x $$"
OTHER = r"$$ \frac{\partial}{\partial a}(2 a A x) = 2 A x $$"


def item(text: str, quantity: object = GRADIENT, **more: object) -> deriv.ItemResult:
    [result] = deriv.check_many([{"id": 0, "text": text, "quantity": quantity, **more}], symbols=SYMBOLS)
    return result


def extra(result: deriv.ItemResult) -> list[tuple[str, str, str]]:
    """The steps the quantity added: (lhs, rhs, verdict)."""
    return [(s.lhs, s.rhs, s.verdict.value) for s in result.steps if s.message.startswith(EXTRA)]


def reward(text: str, quantity: str | None = GRADIENT, **more) -> float | None:
    return deriv.reward(text, symbols=SYMBOLS, quantity=quantity, **more)


@pytest.mark.parametrize("answer", [r"so $\boxed{2Ax}$", r"The answer is $\boxed{2 A x}$.", "#### 2Ax",
                                    "<answer>$2Ax$</answer>", "<answer>2 A x</answer>", r"**Answer:** $2Ax$"])
def test_another_quantity_derived_whose_value_is_the_answer_is_refuted(answer: str) -> None:
    text = f"{OTHER}\n\n{answer}\n"
    assert deriv.reward(text, symbols=SYMBOLS) == 1.0  # the hole, without a quantity: the limits of the rule
    result = item(text)
    assert result.steps[0].verdict is deriv.Verdict.PROVED  # the text's own step, checked as before
    assert extra(result)[0][0] == GRADIENT and extra(result)[0][2] == "refuted"
    refuted = [s for s in result.steps if s.message.startswith(EXTRA)][0]
    assert refuted.counterexample is not None
    assert result.first_wrong == 1
    assert reward(text) == 0.0


def test_a_chain_for_the_quantity_but_an_answer_for_another_is_wrong() -> None:
    hessian = f"{CHAIN}\n\nThe Hessian is $\\boxed{{A + A^T}}$."
    assert extra(item(hessian))[0][2] == "error"  # a matrix is no value of a vector quantity
    assert reward(hessian) == 0.0
    scalar = f"{CHAIN}\n\n#### a"
    assert reward(scalar) == 0.0


@pytest.mark.parametrize(("quantity", "answer", "expected"), [
    (GRADIENT, "2Ax", 0.0),  # right only for a symmetric A
    (GRADIENT, "2A^T x", 0.0),
    (r"\frac{\partial}{\partial x} x^T H x", "2Hx", 1.0),  # H is declared symmetric
    (GRADIENT, "(A + A^T) x", 1.0),
    (GRADIENT, "A x + A^T x", 1.0),  # the right answer in another form
    (GRADIENT, "(A^T + A) x", 1.0),
    (GRADIENT, r"\left(A^{\top} + A\right) x", 1.0),
])
def test_the_answer_is_decided_against_the_quantity(quantity: str, answer: str, expected: float) -> None:
    text = f"{CHAIN}\n\nThe answer is $\\boxed{{{answer}}}$."
    if "H" in quantity:
        text = f"$$ {quantity} = 2 H x $$\n\nThe answer is $\\boxed{{{answer}}}$."
    assert reward(text, quantity) == expected


def test_a_right_answer_after_a_chain_for_another_quantity_is_proved() -> None:
    """The rule would check the answer against the last chain that finds a quantity (the Hessian):
    with the quantity given, it is checked against that and nothing else."""
    text = (f"{CHAIN}\n\n$$ \\frac{{\\partial}}{{\\partial a}} (a (A + A^T)) = A + A^T $$\n\n"
            "Answer: $\\boxed{(A + A^T) x}$")
    assert deriv.reward(text, symbols=SYMBOLS) != 1.0
    assert reward(text) == 1.0


def test_inline_math_only() -> None:
    text = "We have $\\frac{\\partial}{\\partial x} x^T A x = (A+A^T)x$, so the answer is $(A+A^T)x$."
    assert reward(text) == 1.0
    assert reward(text.replace("so the answer is $(A+A^T)x$", "so the answer is $2Ax$")) == 0.0


@pytest.mark.parametrize("quantity", [f"${GRADIENT}$", f"$$ {GRADIENT} $$", f"\\({GRADIENT}\\)", f"\\[{GRADIENT}\\]"])
def test_a_quantity_given_in_math_delimiters_is_its_math(quantity: str) -> None:
    assert reward(f"{CHAIN}\n\n#### (A + A^T) x", quantity) == 1.0
    assert reward(f"{CHAIN}\n\n#### 2 A x", quantity) == 0.0


def test_every_answer_of_several_is_checked() -> None:
    both = f"{CHAIN}\n\n$\\boxed{{2Ax}}$ or, better, $\\boxed{{(A + A^T) x}}$"
    assert [verdict for *_, verdict in extra(item(both))] == ["refuted", "proved"]
    assert reward(both) == 0.0  # a hedge earns nothing
    again = f"$$ {GRADIENT} = \\boxed{{(A + A^T) x}} $$\n\nSo the answer is $\\boxed{{A x + A^T x}}$."
    assert reward(again) == 1.0
    in_one = "$$ \\boxed{2Ax} = \\boxed{(A + A^T)x} $$"
    assert [verdict for *_, verdict in extra(item(in_one))] == ["refuted", "proved"]


@pytest.mark.parametrize(("layout", "member"), [
    (r"$$ \frac{\partial}{\partial x} x^T A x = \boxed{(A + A^T) x} $$", "{(A + A^T) x}"),
    (r"$$ \boxed{\frac{\partial}{\partial x} x^T A x = (A + A^T) x} $$", "(A + A^T) x"),  # the whole display boxed
    (r"$$ g = \boxed{(A + A^T) x} $$", "{(A + A^T) x}"),  # a definition: no step of the text
    (r"$$ a + a = 2a \quad \text{and } \boxed{(A + A^T) x} $$", "(A + A^T) x"),  # a box in the justification
    ("<answer>\n(A + A^T) x\n</answer>", "(A + A^T) x"),
    ("#### $(A + A^T) x$", "(A + A^T) x"),
    ("**Final Answer**\n\n- $(A + A^T) x$", "(A + A^T) x"),
])
def test_the_answer_in_each_format(layout: str, member: str) -> None:
    result = item(layout)
    assert result.error is None
    assert extra(result) == [(GRADIENT, member, "proved")]
    assert reward(layout) == 1.0
    assert reward(layout.replace("(A + A^T) x", "2 A x")) == 0.0


def test_the_boxed_member_is_the_answer_not_the_last() -> None:
    assert extra(item(r"$$ \boxed{a^2} < a^2 + 1 $$", "a a"))[0][1:] == ("{a^2}", "proved")
    assert reward(r"$$ \boxed{a^2} < a^2 + 1 $$", "a a") == 1.0


def test_a_box_that_holds_no_member_is_an_error() -> None:
    """A box in a brace's label is seen as the answer, and deriv can not tell which member it means."""
    text = r"$$ \underbrace{2Ax}_{= \boxed{2Ax}} $$"
    assert deriv.reward(text, symbols=SYMBOLS) == 1.0  # 2Ax = 2Ax: the brace's own claim
    assert extra(item(text))[0][2] == "error"
    assert reward(text) == 0.0


def test_an_answer_that_is_a_statement_is_an_error() -> None:
    text = f"{CHAIN}\n\n$$ \\boxed{{H \\succeq 0}} $$"
    assert reward(text) == 0.0


def test_an_answer_before_the_derivation_is_checked_where_it_stands() -> None:
    text = f"The answer is $\\boxed{{2Ax}}$, because\n\n{OTHER}"
    assert [verdict for *_, verdict in extra(item(text))] == ["refuted"]
    assert reward(f"The answer is $\\boxed{{(A + A^T)x}}$, because\n\n{CHAIN}") == 1.0


def test_no_final_answer_is_undecided_never_a_pass() -> None:
    """A text may state its result in a form deriv does not read as the answer ("the gradient is
    $$ ... $$"): the reward is None (undecided), which ``undecided=0.0`` (or ``or 0.0``) scores as wrong."""
    for text in (CHAIN, OTHER, f"{CHAIN}\n\nthe gradient is $$ (A + A^T) x $$", "No math at all.", ""):
        result = item(text)
        assert result.error is None
        assert result.steps[-1].verdict is deriv.Verdict.UNDECIDED
        assert "no final answer" in result.steps[-1].message
        assert reward(text) is None
        assert reward(text, undecided=0.0) == 0.0
        assert result.first_wrong is None  # a missing answer is no wrong step


def test_a_quantity_defined_in_the_items_definitions() -> None:
    definitions = ["f = x^T A x"]
    text = "$$ \\frac{\\partial f}{\\partial x} = (A + A^T) x $$\n\n#### (A + A^T) x"
    assert reward(text, r"\frac{\partial f}{\partial x}", definitions=definitions) == 1.0
    assert reward(text.replace("#### (A + A^T) x", "#### 2Ax"), r"\nabla_x f", definitions=definitions) == 0.0
    assert reward("#### x^T A x", "f", definitions=definitions) == 1.0
    # The text can not give the name another value: a display of it is a step against the given one.
    redefined = "$$ f = 2 a A x $$\n\n$$ \\frac{\\partial f}{\\partial a} = \\boxed{2 A x} $$"
    result = item(redefined, r"\frac{\partial f}{\partial x}", definitions=definitions)
    assert result.first_wrong == 0
    assert extra(result)[0][2] == "refuted"
    assert reward(redefined, r"\frac{\partial f}{\partial x}", definitions=definitions) == 0.0


def test_a_quantity_naming_what_only_the_text_defines_is_an_error() -> None:
    """Else the text would say what is asked: ``f = 2 a A x`` and the quantity ``d f / d a``."""
    text = "$$ f = 2 a A x $$\n\n$$ \\frac{\\partial f}{\\partial a} = \\boxed{2 A x} $$"
    result = item(text, r"\frac{\partial f}{\partial a}")
    assert result.error is not None and "f, which the problem does not give" in result.error
    assert result.steps == ()
    assert reward(text, r"\frac{\partial f}{\partial a}") == 0.0


@pytest.mark.parametrize(("quantity", "says"), [
    (r"\frac{\partial}{\partial x} (x^T A x", "can not be read"),
    (r"\frac{\partial}{\partial x} x^T B x", "unknown name B"),
    (f"{GRADIENT} = (A + A^T) x", "not one expression"),
    (f"{GRADIENT} \\quad \\text{{the gradient}}", "not one expression"),
    (r"A + x", "can not be read"),  # shapes that do not fit
    (r"\frac{\partial}{\partial x} \frac{\partial}{\partial x} (", "can not be read"),
])
def test_a_quantity_that_can_not_be_read_is_the_items_error(quantity: str, says: str) -> None:
    text = f"{CHAIN}\n\n#### (A + A^T) x"
    result = item(text, quantity)
    assert result.error is not None and says in result.error
    assert reward(text, quantity) == 0.0


@pytest.mark.parametrize("quantity", [3, ["x"], "", "   ", {"latex": "x"}])
def test_a_quantity_that_is_not_latex_is_the_items_error(quantity: object) -> None:
    result = item(f"{CHAIN}\n\n#### (A + A^T) x", quantity)
    assert result.error is not None and "quantity" in result.error


def test_reward_refuses_a_quantity_that_is_not_a_string() -> None:
    with pytest.raises(TypeError, match="quantity"):
        deriv.reward(CHAIN, symbols=SYMBOLS, quantity=3)  # type: ignore[arg-type]


def test_a_shape_that_differs_from_the_answers_is_an_error() -> None:
    result = item("#### a", GRADIENT)
    assert extra(result)[0][2] == "error"
    assert reward("#### x^T A x") == 0.0  # a scalar for a vector
    assert reward("#### A", GRADIENT) == 0.0


def test_an_index_quantity_takes_an_answer_in_its_indices() -> None:
    quantity = r"\left[\frac{\partial}{\partial x} x^T A x\right]_i"
    assert reward(r"#### $\sum_j (A_{i,j} + A_{j,i}) x_j$", quantity) == 1.0
    assert reward(r"#### $2 \sum_j A_{i,j} x_j$", quantity) == 0.0
    assert reward(r"#### $\sum_j (A_{k,j} + A_{j,k}) x_j$", quantity) == 0.0  # another free index


def test_the_texts_own_steps_are_checked_as_before() -> None:
    text = "$$ \\frac{\\partial}{\\partial x} x^T A x = 2 A^T x $$\n\n#### (A + A^T) x"
    result = item(text)
    assert [s.verdict.value for s in result.steps] == ["refuted", "proved"]
    assert result.first_wrong == 0
    assert reward(text) == 0.0


def test_check_text_takes_the_quantity_in_its_options() -> None:
    from deriv.read.given import given_front

    options = deriv.CheckOptions(generated=True, quantity=GRADIENT)
    given = given_front({"symbols": SYMBOLS})
    steps = deriv.check_text(f"{OTHER}\n\n#### 2Ax", "<t>", options, given=given).steps
    assert [s.verdict.value for s in steps] == ["proved", "refuted"]
    with pytest.raises(ValueError, match="generated"):
        deriv.CheckOptions(quantity=GRADIENT)
    with pytest.raises(TypeError, match="quantity"):
        deriv.CheckOptions(generated=True, quantity=3)  # type: ignore[arg-type]


def test_batch_lines_take_a_quantity(tmp_path) -> None:
    lines = [{"id": "hole", "text": f"{OTHER}\n\n#### 2Ax", "quantity": GRADIENT},
             {"id": "right", "text": f"{CHAIN}\n\n#### (A + A^T) x", "quantity": GRADIENT},
             {"id": "bad", "text": CHAIN, "quantity": 7},
             {"id": "none", "text": f"{OTHER}\n\n#### 2Ax"}]
    path = tmp_path / "items.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    symbols = tmp_path / "symbols.yaml"
    symbols.write_text("symbols:\n" + "".join(f"  {k}: {v}\n" for k, v in SYMBOLS.items()), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--batch", str(path), "--symbols", str(symbols)])
    assert result.exit_code == 0, result.output
    out = {row["id"]: row for row in map(json.loads, result.output.splitlines())}
    assert out["hole"]["first_wrong"] == 1 and out["hole"]["steps"][1]["verdict"] == "refuted"
    assert out["hole"]["steps"][1]["lhs"] == GRADIENT
    assert [s["verdict"] for s in out["right"]["steps"]] == ["proved", "proved"]
    assert "quantity" in out["bad"]["error"]
    assert [s["verdict"] for s in out["none"]["steps"]] == ["proved", "proved"]  # no quantity: the rule, as before


@pytest.mark.parametrize(("text", "quantity", "definitions"), [
    (r"#### \frac{\partial}{\partial x} x^T A x", GRADIENT, []),  # the question boxed as its answer
    (r"The answer is $\boxed{\frac{\partial}{\partial x} \left( x^T A x \right)}$.", GRADIENT, []),
    (r"#### \nabla_x (x^T A x)", GRADIENT, []),  # in another notation
    (r"#### \frac{d}{dx} x^T A x", GRADIENT, []),
    (r"#### \frac{1}{2} \frac{\partial}{\partial x} (2 x^T A x)", GRADIENT, []),
    ("$$ g = \\frac{\\partial}{\\partial x} x^T A x $$\n\n#### g", GRADIENT, []),  # through a name the text defines
    (r"#### \frac{\partial f}{\partial x}", r"\frac{\partial f}{\partial x}", ["f = x^T A x"]),
    ("#### G", "G", [r"G = \frac{\partial}{\partial x} x^T A x"]),  # a given name whose value is asked, copied
    ("#### f", "f", ["f = x^T A x"]),
])
def test_an_answer_that_restates_the_quantity_concludes_nothing(text: str, quantity: str, definitions: list[str]) -> None:
    """Its step holds (the quantity equals itself), but no value was given: undecided, never 1.0."""
    result = item(text, quantity, definitions=definitions)
    assert [verdict for *_, verdict in extra(result)] == ["undecided"]
    assert reward(text, quantity, definitions=definitions) is None


def test_an_answer_through_another_derivative_is_a_value() -> None:
    """Backpropagation's answers hold the upstream gradient: a derivative by another name than the
    quantity's, which is a value of it."""
    symbols = {"X": "matrix S x M", "W": "matrix N x M", "b": "vector N", "B": "matrix S x N", "g": "function"}
    definitions = ["B_{i,j} = b_j", "Y = X W^T + B", "L = g(Y)"]
    quantity = r"\frac{\partial L}{\partial W}"

    def paid(text: str) -> float | None:
        return deriv.reward(text, symbols=symbols, definitions=definitions, quantity=quantity)

    assert paid(r"#### \left(\frac{\partial L}{\partial Y}\right)^T X") == 1.0
    assert paid(r"#### \left(\frac{\partial g(Y)}{\partial Y}\right)^T X") == 1.0
    assert paid(r"#### \frac{\partial L}{\partial Y}^T X^T") == 0.0
    assert paid(r"#### X^T \frac{\partial L}{\partial Y}") == 0.0


def test_a_macro_of_the_text_named_as_a_command_of_the_quantity_is_an_error() -> None:
    """``\\sigma`` (the logistic function, by convention) in the quantity: a text that renames it would
    read its answer otherwise than the quantity reads."""
    quantity = r"\frac{d}{da} \sigma(a)"
    renamed = "\\renewcommand{\\sigma}{\\tanh}\n\n#### $1 - \\sigma(a)^2$"
    result = item(renamed, quantity)
    assert result.error is not None and "macro \\sigma" in result.error
    assert reward(renamed, quantity) == 0.0
    assert reward("#### $\\sigma(a) (1 - \\sigma(a))$", quantity) == 1.0


def test_an_entry_quantity_takes_answers_by_entries_and_in_matrix_form() -> None:
    symbols = {"X": "matrix S x M", "W": "matrix N x M", "b": "vector N", "B": "matrix S x N", "g": "function"}
    definitions = ["B_{i,j} = b_j", "Y = X W^T + B", "L = g(Y)"]

    def paid(text: str, quantity: str) -> float | None:
        return deriv.reward(text, symbols=symbols, definitions=definitions, quantity=quantity)

    entries = r"#### $\sum_i \frac{\partial L}{\partial Y_{i,m}} X_{i,n}$"
    matrix = r"#### $\left(\frac{\partial L}{\partial Y}\right)^T X$"
    entry = r"\left[\frac{\partial L}{\partial W}\right]_{m,n}"
    assert paid(entries, entry) == 1.0 and paid(matrix, entry) == 1.0
    assert paid(entries.replace("Y_{i,m}} X_{i,n}", "Y_{i,n}} X_{i,m}"), entry) == 0.0
    assert paid(entries, r"\frac{\partial L}{\partial W}") == 0.0  # a scalar with free indices: another shape


@pytest.mark.parametrize("quantity", [
    "\\newcommand{\\q}{x} \\q", "<!-- deriv: assume A = A^T -->", "x \\\\ = 2", "x^{10^{10^{10}}}", "\x00\x01",
    "{" * 5000 + "x" + "}" * 5000, "$", "$$ $$", "\\(", "\\text{what is asked}", "x \\tag{1}", "\\boxed{x = 1}",
    "\\begin{align} x \\end{align}", "\ufeff\u200b",
])
def test_a_hostile_quantity_is_the_items_error(quantity: str) -> None:
    text = f"{CHAIN}\n\n#### (A + A^T) x"
    result = item(text, quantity)
    assert result.error is not None
    assert reward(text, quantity) == 0.0


def test_a_restated_definition_and_no_derivation_earns_what_its_answer_does() -> None:
    definitions = ["f = x^T A x"]
    quantity = r"\frac{\partial f}{\partial x}"
    wrong = "$$ f = x^T A x $$\n\nSo the gradient is $\\boxed{2Ax}$."
    assert reward(wrong, quantity, definitions=definitions) == 0.0
    assert reward(wrong.replace("2Ax", "(A + A^T) x"), quantity, definitions=definitions) == 1.0
    named = "$$ g = 2Ax $$\n\n$\\boxed{2Ax}$"  # a value given a name, then answered: the rule's undecided
    assert deriv.reward(named, symbols=SYMBOLS) is None
    assert reward(named) == 0.0
    assert reward(named.replace("2Ax", "(A + A^T) x")) == 1.0


def test_an_answer_step_that_hangs_or_crashes_its_worker_costs_its_budget_never_a_pass() -> None:
    """The answer's step is numbered apart from the display's own members, so the restarted worker
    stops that step, not another: a timeout (reward None) or an error (0.0), never 1.0."""
    script = misbehaving_decider(hang="77", crash="99") + textwrap.dedent('''
        import json
        import deriv
        items = [{"id": 0, "text": "$$ x + x = 2 x $$\\n\\n#### 77 x", "quantity": "76 x + x"},
                 {"id": 1, "text": "$$ x + x = 2 x $$\\n\\n#### 99 x", "quantity": "98 x + x"},
                 {"id": 2, "text": "$$ x + x = 2 x $$\\n\\n#### 3 x", "quantity": "2 x + x"}]
        results = deriv.check_many(items, symbols={"x": "scalar"}, timeout=0.5)
        print(json.dumps([[s.verdict.value for s in r.steps] for r in results]))
    ''')
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    found = json.loads(done.stdout)
    assert found == [["proved", "timeout"], ["proved", "error"], ["proved", "proved"]], done.stderr


def test_a_name_the_problem_defines_by_a_derivative_is_the_problems_to_use() -> None:
    """``v = dx/dt`` given: ``2 x v`` is a value of ``d(x^2)/dt``, though ``v``'s value differentiates by
    ``t`` as the quantity does; the same name defined by the text is followed."""
    symbols = {"x": "function", "t": "scalar"}
    quantity = r"\frac{d}{dt} x(t)^2"
    given = deriv.reward("#### 2 x(t) v", symbols=symbols, definitions=[r"v = \frac{d}{dt} x(t)"], quantity=quantity)
    assert given == 1.0
    own = "$$ w = \\frac{d}{dt} x(t)^2 $$\n\n#### w"
    assert deriv.reward(own, symbols=symbols, quantity=quantity) is None


@pytest.mark.parametrize(("quantity", "answer", "expected"), [
    (r"\hat{y} + y_{1}", "w^2 + w", 1.0), (r"\hat{y} + y_{1}", "2 w", 0.0),
    (r"\frac{\partial \hat{y}}{\partial w}", "2 w", 1.0), (r"y'", "w", 1.0),
])
def test_names_the_problem_defines_are_read_as_the_declarations_read_them(quantity: str, answer: str,
                                                                           expected: float) -> None:
    """An accent or a script is part of a name: ``\\hat{y}`` and ``y_{1}`` are the names given."""
    definitions = [r"\hat{y} = w^2", "y_{1} = w", "y' = w"]
    assert deriv.reward(f"#### {answer}", symbols={"w": "scalar"}, definitions=definitions, quantity=quantity) == expected
