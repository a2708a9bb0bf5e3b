"""Check, several results in one display (docs/format.md).

``\\frac{\\partial L}{\\partial \\beta} = \\sum_i g_i \\qquad
\\frac{\\partial L}{\\partial \\gamma} = \\sum_i g_i \\hat x_i`` (also
separated by ``\\quad``, ``,\\quad``, ``, \\qquad``, ``\\text{and}``,
``\\quad\\text{and}\\quad``, or an ``alignat`` column gap) is checked result
by result, each its own chain with its own result lines, labelled ``3a``,
``3b``, ... from the display's ``(3)`` or ``\\tag{3}``.  What is not
clearly two results is read as before (one claim, or an error): separators
inside brackets or ``\\text``, a quantifier, an implication, ``\\text{or}``,
a consequence word, a condition (``x < 0``), words that make a relation a
condition, a justification's reasons.  A display continuing a chain right
after one is an error.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import deriv
from deriv.check.options import CheckOptions
from deriv.latex.separators import split_results

SYMBOLS = "  a: scalar\n  b: scalar\n  x: scalar\n  beta: scalar\n  gamma: scalar\n  \\hat x: vector N\n  f: function"
BATCHNORM = "  - y_i = \\gamma \\hat x_i + \\beta\n  - L = f(y)"


def check(body: str, definitions: str = BATCHNORM):
    text = f"---\nsymbols:\n{SYMBOLS}\ndefinitions:\n{definitions}\n---\n\n{body}\n"
    result = deriv.check_text(text, options=CheckOptions(isolate=False))
    assert result.error is None, result.error
    return result.steps


def verdicts(body: str) -> list[str]:
    return [str(s.verdict) for s in check(body)]


BETA = "\\frac{\\partial L}{\\partial \\beta} = \\sum_i \\frac{\\partial L}{\\partial y_i}"
GAMMA = "\\frac{\\partial L}{\\partial \\gamma} = \\sum_i \\frac{\\partial L}{\\partial y_i} \\hat x_i"
WRONG_GAMMA = "\\frac{\\partial L}{\\partial \\gamma} = \\sum_i \\frac{\\partial L}{\\partial y_i}"
SEPARATORS = ["\\qquad", "\\quad", ",\\quad", ", \\qquad", "\\text{and}", "\\text{ and }", "\\quad\\text{and}\\quad",
              ",\\quad \\text{and} \\quad", "\\;\\text{and}\\;", "\\qquad\\text{also}\\qquad", "~\\quad~"]


# -- BatchNorm's two parameter gradients side by side ----------------------------------

@pytest.mark.parametrize("separator", SEPARATORS)
def test_each_result_is_checked(separator):
    assert verdicts(f"$$ {BETA} {separator} {GAMMA} $$") == ["proved", "proved"]
    assert verdicts(f"$$ {BETA} {separator} {WRONG_GAMMA} $$") == ["proved", "refuted"]
    assert verdicts(f"$$ {WRONG_GAMMA} {separator} {BETA} $$") == ["refuted", "proved"]


def test_each_result_has_its_own_line_in_the_report():
    steps = check(f"$$ {BETA} \\qquad {WRONG_GAMMA} $$")
    assert [(s.lhs, s.rhs) for s in steps] == [
        ("\\frac{\\partial L}{\\partial \\beta}", "\\sum_i \\frac{\\partial L}{\\partial y_i}"),
        ("\\frac{\\partial L}{\\partial \\gamma}", "\\sum_i \\frac{\\partial L}{\\partial y_i}"),
    ]


def test_three_results_and_chains_of_several_steps():
    body = "$$ a + b = b + a = a + b + 0 \\qquad a b = b a = 2 a b, \\quad (a + b)^2 = a^2 + 2 a b + b^2. $$"
    assert verdicts(body) == ["proved", "proved", "proved", "refuted", "proved"]


def test_a_result_in_an_alignat_column_is_a_result():
    body = "\\begin{alignat}{2}\n a + b &= b + a & \\quad a b &= 2 a b\n\\end{alignat}"
    assert verdicts(body) == ["proved", "refuted"]


# -- labels, lines, justifications, directives -----------------------------------------

@pytest.mark.parametrize("body", [f"$$ {BETA} \\qquad {GAMMA} \\tag{{3}} $$", f"$$ {BETA} \\qquad {GAMMA} $$\n(3)",
                                  f"$$ {BETA} \\tag{{3}} \\qquad {GAMMA} $$"])
def test_the_label_of_the_display_gets_a_letter_per_result(body):
    assert [s.label for s in check(body)] == ["3a", "3b"]


def test_without_a_label_no_result_has_one():
    assert [s.label for s in check(f"$$ {BETA} \\qquad {GAMMA} $$")] == [None, None]


def test_each_result_is_on_its_own_line():
    steps = check(f"$$\n{BETA}\n\\qquad\n{GAMMA}\n$$")
    assert [s.line for s in steps] == [15, 18]  # the display's line, then the line the second starts on


def test_the_justification_belongs_to_the_result_it_follows():
    steps = check("$$ a + b = b + a \\qquad a b = b a \\quad \\text{by (2)} $$")
    assert [(str(s.verdict), s.justification) for s in steps] == [("proved", None), ("proved", "by (2)")]


def test_expect_fail_and_skip_hold_for_every_result():
    wrong = "$$ a + b = 2 b \\qquad a b = 2 a b $$"
    assert verdicts("<!-- deriv: expect-fail -->\n" + wrong) == ["expected-fail", "expected-fail"]
    # each result must fail: a right one among them is reported, never hidden by its neighbour
    assert verdicts("<!-- deriv: expect-fail -->\n$$ a + b = 2 b \\qquad a b = b a $$") == ["expected-fail", "unexpected-pass"]
    assert verdicts("<!-- deriv: skip later -->\n" + wrong) == ["skipped", "skipped"]


def test_a_continuation_after_several_results_is_an_error():
    steps = check("$$ a + b = b + a \\qquad a b = b a $$\n(3)\n\n$$ = 2 a $$\n\n$$ = 2 b $$\n\n$$ a = a $$\n\n$$ = a + 0 $$")
    found = [(str(s.verdict), s.message[:60]) for s in steps]
    assert [v for v, _ in found] == ["proved", "proved", "error", "error", "proved", "proved"]
    assert "which one it continues" in steps[2].message and "3a, 3b" in steps[2].message
    assert "which one it continues" in steps[3].message


def test_a_continue_directive_names_the_result():
    body = "$$ a + b = b + a \\qquad a b = b a $$\n(3)\n\n<!-- deriv: continue 3a -->\n$$ = a + b + 0 $$"
    steps = check(body)
    assert [(str(s.verdict), s.lhs) for s in steps][-1] == ("proved", "b + a")


# -- what is not two results -----------------------------------------------------------

@pytest.mark.parametrize("body, fragment", [
    ("$$ a = b \\text{ or } b = a $$", "\\text{or}"),
    ("$$ a + b = b + a \\quad \\text{hence} \\quad a b = b a $$", "\\text{hence}"),
    ("$$ a + b = b + a \\quad\\text{and so}\\quad a b = b a $$", "\\text{and so}"),
    ("$$ \\mathrm{relu}(x) = 0 \\quad x < 0 $$", "two claims"),
    ("$$ a b = 0 \\quad a = 0 $$", "two claims"),
    ("$$ a = b, \\; b = a $$", "two claims separated by ','"),
    ("$$ a > 0 \\text{ and } b > 0 \\implies a b > 0 $$", "\\text{and}"),
    ("$$ a + b = b + a \\quad a \\qquad b = b $$", "two claims"),
    ("$$ = a \\qquad b = b $$", ""),
    ("$$ a = b \\qquad + b = a $$", ""),
    # a \neq beside a result is what the result excludes: split, both were refuted (at x = y)
    ("$$ \\frac{a^2 - b^2}{a - b} = a + b \\qquad a^2 \\ne b^2 $$", "two claims"),
    ("$$ \\frac{a^2 - b^2}{a - b} = a + b \\quad \\text{and} \\quad a \\neq b + 0 $$", "two claims"),
    ("$$ a \\neq b + 0 \\qquad \\frac{a^2 - b^2}{a - b} = a + b $$", "two claims"),
])
def test_what_may_not_be_two_results_stays_one_display(body, fragment):
    steps = check(body)
    assert len(steps) == 1 and str(steps[0].verdict) == "error", steps
    assert fragment in steps[0].message


@pytest.mark.parametrize("body, expected", [
    ("$$ x + x = 2x \\qquad \\delta_{k,n} = 1 \\text{ iff } k = n $$", ["proved"]),  # a condition: justification
    ("$$ x + x = 2x \\quad \\text{since } a = b \\text{ and } b = a $$", ["proved"]),  # reasons, not results
    ("$$ x + x = 2x \\quad \\text{by (2)} \\qquad a = 2 b $$", ["proved"]),  # after the justification: its words
])
def test_reasons_stay_reasons(body, expected):
    assert verdicts(body) == expected


@pytest.mark.parametrize("text", [
    "f\\left(a = b \\quad c = d\\right)", "\\{ a = b \\quad c = d \\}", "a = \\frac{b = c \\quad d}{2}",
    "a = \\begin{pmatrix} b = c \\quad d = e \\end{pmatrix}", "a = \\text{b = c \\quad d = e}",
    "[a = b \\quad c = d]", "a = b \\quad \\text{ and }", "a \\quad b = c",
    "a > 0 \\quad \\forall x \\neq 0", "a = b \\qquad c = d \\tag{1} \\tag{2}",
    "\\frac{x_i^2 - y_i^2}{x_i - y_i} = x_i + y_i \\qquad x_i \\neq y_i",  # a \\neq: what it excludes
])
def test_separators_inside_brackets_or_words_do_not_split(text):
    assert split_results(text) is None


# -- the reference: each result alone ------------------------------------------------

CLAIMS = ["a + b = b + a", "a b = 2 b a", "(a + b)^2 = a^2 + 2 a b + b^2", "a - b = b - a",
          "\\frac{\\partial (a b)}{\\partial a} = b", "a^2 + b^2 \\geq 2 a b", "a^2 > a", BETA, WRONG_GAMMA]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(CLAIMS), min_size=2, max_size=3), st.lists(st.sampled_from(SEPARATORS), min_size=2, max_size=2))
def test_results_in_one_display_are_decided_as_each_alone(claims, separators):
    together = claims[0] + "".join(f" {sep} {claim}" for sep, claim in zip(separators, claims[1:]))
    alone = "\n\n".join(f"$$ {claim} $$" for claim in claims)
    assert verdicts(f"$$ {together} $$") == verdicts(alone)


# -- a worker stopped in one result stops only that one ---------------------------------

@pytest.mark.parametrize("kind, member", [("DECIDE", 1), ("BUILD", 1), ("PARSE", 0)])
def test_a_stop_in_the_second_result_leaves_the_first_alone(kind, member):
    from deriv.check import progress as P
    from deriv.check.local import check_source
    from deriv.results import Verdict

    text = "---\nsymbols:\n  a: scalar\n  b: scalar\n---\n\n$$ a + b = b + a \\qquad a b = b a $$\n"
    stop = P.Stop(getattr(P, kind), P.PART + member, Verdict.TIMEOUT, "stopped here")
    steps = check_source(text, False, "<text>", CheckOptions(isolate=False), P.Progress(stops={0: stop})).steps
    assert [(str(s.verdict), s.lhs) for s in steps][0] == ("proved", "a + b")
    assert str(steps[-1].verdict) == "timeout" and "stopped here" in steps[-1].message


@pytest.mark.parametrize("body", [
    "$$ a = b + \\quad x = a - b $$",  # one chain a = b + x = a - b, spaced out: never the result x = a - b
    "$$ a = b \\cdot \\qquad x = a $$",
    "$$ a = \\sum_i \\quad \\hat x_i = a $$",
])
def test_a_piece_cut_out_of_one_expression_is_no_result(body):
    steps = check(body)
    assert [str(s.verdict) for s in steps] == ["error"] and "two claims" in steps[0].message


@pytest.mark.parametrize("second, expected", [
    ("\\text{ReLU}(a) = \\mathrm{relu}(a)", ["proved", "proved"]),
    ("\\operatorname{softplus}\\left(x\\right) = \\log(1 + e^{x})", ["proved", "proved"]),
    ("\\text{ReLU}(a) = 2 \\mathrm{relu}(a)", ["proved", "refuted"]),
])
def test_a_result_that_starts_with_a_function_named_in_words_is_a_result(second, expected):
    """``\\qquad \\text{ReLU}(a) = ...`` is mathematics, not a justification that
    would hide a second claim (latex.text.applied_function_word)."""
    assert verdicts(f"$$ a + b = b + a \\qquad {second} $$") == expected


def test_words_after_a_quad_are_still_a_justification():
    assert verdicts("$$ a + b = b + a \\qquad \\text{relu is not applied here} $$") == ["proved"]
    assert verdicts("$$ a + b = b + a \\qquad \\text{by (3)} $$") == ["proved"]
