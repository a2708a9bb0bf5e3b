"""Property: a reward is 1.0 only when every step a reader sees is true and the answer agrees with
the work; a false step anywhere, in any layout a model writes, gives 0.0; a true derivation in
any of them is not 0.0 (docs/library.md, "Generated derivations in bulk").

Steps whose truth is known are wrapped in random layouts (displays of every kind, inline math
beside stray LaTeX, Unicode and invisible characters, lists, quotes, HTML, answer formats) and
the reward is compared with the truth they were built from -- an independent reference."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import deriv

SYMBOLS = {"A": "matrix N x N", "B": "matrix N x N", "x": "vector N", "a": "scalar", "b": "scalar"}
TRUE_STEPS = [("a + a", "2 a"), ("(A B)^T", "B^T A^T"), (r"\operatorname{tr}(A B)", r"\operatorname{tr}(B A)"),
              ("(a + b)^2", "a^2 + 2 a b + b^2"), ("a \u00d7 b", "b a"), ("(AB)\u1d40", "B\u1d40A\u1d40")]
FALSE_STEPS = [("a + a", "3 a"), ("(A B)^T", "A^T B^T"), ("A B", "B A"), ("(a + b)^2", "a^2 + b^2"),
               ("a\u00b2", "2a"), ("(AB)\u1d40", "A\u1d40B\u1d40")]
#: Ways a model shows one step; each is a step a reader sees.
LAYOUTS = [
    "$$ {l} = {r} $$", "\\[ {l} = {r} \\]", "$$\n{l}\n= {r}\n$$", "\\[\n{l} = {r}\n\\]", "$$ {l} \\\\ = {r} $$",
    "\\begin{{align*}}\n{l} &= {r} \\\\\n\\end{{align*}}", "\\begin{{equation*}}\n{l} = {r}\n\\end{{equation*}}",
    "\\begin{{gather*}}\n{l} = {r}\n\\end{{gather*}}", "\\begin{{equation}}\n\\begin{{split}}\n{l} &= {r}\n\\end{{split}}\n\\end{{equation}}",
    "$$\\begin{{aligned}}{l} &= {r}\\end{{aligned}}$$", "\\begin{{align}}\n{l} &= \\boxed{{{r}}}\n\\end{{align}}",
    "$$ \\boxed{{\\boxed{{{l} = {r}}}}} $$", "```math\n{l} = {r}\n```", "> $$\n> {l} = {r}\n> $$", "> > ${l} = {r}$",
    "1. First,\n   $$ {l} = {r} $$", "- Step:\n  $$\n  {l} = {r}\n  $$", "<div>\n\n$${l} = {r}$$\n\n</div>",
    "<div>${l} = {r}$</div>", "<br>${l} = {r}$<br>", "${l} = {r}$ \\", "${l} = {r}$ \\\\", "${l} = {r}$ \\quad (2)",
    "${l} = {r}$\u200b", "\u2705 ${l} = {r}$", "${l} = {r}$ \U0001f389", "**1.** ${l} = {r}$", "\\noindent ${l} = {r}$",
    "So, ${l} = {r}$.", "Therefore ${l} = {r}$.", "Then ${l} = {r}$, as required.", "$\\therefore {l} = {r}$",
    "$$ {l} \\overset{{(1)}}{{=}} {r} $$", "$$ {l} := {r} $$", "$$ {l} \\equiv {r} $$", "$$ x = x \\implies {l} = {r} $$",
    "$$ {l} $$\n\nwhich is\n\n$$ {r} $$", "$$ {l} $$\n\nso we get ${r}$.", "$$ {l} = {r} \\quad \\text{{(by definition)}} $$",
    "$$ {l} \\;=\\; {r}\\,. $$", "**Step 1.** We compute $${l} = {r}$$", "$\\displaystyle {l} = {r}$",
    "$$ x = x \\quad \\text{{since }} {l} = {r} $$", "$$ \\underbrace{{{l}}}_{{= {r}}} = {l} $$",
    "```latex\n{l} = {r}\n```", "```latex\n\\begin{{align*}}\n{l} &= {r}\n\\end{{align*}}\n```", "$$ {l} = {r} % checked\n$$",
    "$$ {l} = \\textcolor{{red}}{{{r}}} $$", "{l} = {r}", "- {l} = {r}.", "Step 2: {l} = {r}", "[${l} = {r}$](https://example.org)", "Note[^1]\n\n[^1]: ${l} = {r}$",
    # The layouts of tests/test_batch_generated_layouts.py's fixed cases.
    "$$ {l} = {r} $$", "\\[ {l} = {r} \\]", "${l} = {r}$", "- ${l} = {r}$", "1. ${l} = {r}$.", "> $$ {l} = {r} $$",
    "\\begin{{align}} {l} &= {r} \\end{{align}}", "\\begin{{align*}} {l} &= {r} \\nonumber \\end{{align*}}",
    "$$ {l} = {r} \\tag{{3}} $$", "$$ {l} = {r}, $$", "$$\\boxed{{{l} = {r}}}$$", "**Answer:** ${l} = {r}$",
    "| step | ${l} = {r}$ |", "```math\n{l} = {r}\n```", "$$ {l} $$\n\n$$ = {r} $$", "$$ {l} $$\n\nwhich is $= {r}$.",
    "$$\n\\begin{{aligned}}\n{l} &= {r}\n\\end{{aligned}}\n$$", "$${l} = {r}$$ (4)", "\\({l} = {r}\\)",
    "$$ \\underbrace{{{l}}}_{{= {r}}} = {l} $$", "$$ {l} = {l} $$ ${l} = {r}$", "$x = x$, ${l} = {r}$.",
    "The answer is $\\boxed{{{l} = {r}}}$.", "\\begin{{align}} {l} &= {l} \\\\ &= {r} \\end{{align}}",
    "$$ {l} = {l} $$ so ${l} = {r}$.", "$$ {l} $$ which equals ${r}$.", "$$ {l} $$\n\nwhich is ${r}$.",
    "$ {l} = {r} $", "<b>${l} = {r}$</b>", "## ${l} = {r}$", "**${l} = {r}$**",
    "$$ {l} = {l} \\quad \\text{{since }} {l} = {r} $$", "$$ {l} = {l} \\qquad \\text{{(by $ {l} = {r} $)}} $$",
]
FILLERS = ["", "Now consider:", "Hence, by the definition,", "<!-- a + a = 3a -->", "```\na + a = 3a\n```",
           "Here $x$ is a vector and $a$ a scalar.", "`a + a = 3a`", "```python\nx = 3 * a\n```", "Next:",
           "Suppose $a = 3a$.", "Is $a = 3a$?", "$a = 3a$ \u274c"]


@st.composite
def texts(draw) -> tuple[str, bool]:
    """A generated text of one to three steps in random layouts, and whether every step is true."""
    parts, truth = [], True
    for _ in range(draw(st.integers(1, 3))):
        true = draw(st.booleans())
        lhs, rhs = draw(st.sampled_from(TRUE_STEPS if true else FALSE_STEPS))
        parts += [draw(st.sampled_from(FILLERS)), draw(st.sampled_from(LAYOUTS)).format(l=lhs, r=rhs)]
        truth = truth and true
    return "\n\n".join(parts) + "\n", truth


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts())
def test_a_reward_is_one_exactly_when_every_step_shown_is_true(case: tuple[str, bool]) -> None:
    text, truth = case
    assert deriv.reward(text, symbols=SYMBOLS) == (1.0 if truth else 0.0), text


CHAIN = r"$$ \frac{\partial}{\partial x} x^T A x = (A + A^T) x $$"
RIGHT = ["(A + A^T) x", "A x + A^T x", "(A^T + A) x"]
WRONG = ["2 A x", "2 A^T x", "A x", "(A - A^T) x"]
ANSWERS = ["The answer is $\\boxed{{{e}}}$.", "\\boxed{{{e}}}", "**Answer:** ${e}$", "#### ${e}$", "#### {e}",
           "<answer>{e}</answer>", "<answer>${e}$</answer>", "Final answer:\n$$ {e} $$", "$$ g = \\boxed{{{e}}} $$",
           "\\begin{{align*}} g &= \\boxed{{{e}}} \\end{{align*}}", "**$\\boxed{{{e}}}$** \u2705",
           "Therefore, the final answer is: $\\boxed{{{e}}}$. I hope it is correct."]
#: What a model may write between its derivation and its answer: a closed-form chain (true) ending in
#: whatever the answer is, which must not earn a wrong answer a reward.
BETWEEN = ["", "$$ {e} = {e} $$", "$$ 2 ({e}) - ({e}) = {e} $$", "Check: $$ {e} + 0 = {e} $$"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.booleans(), st.data())
def test_a_final_answer_earns_a_reward_exactly_when_it_is_what_was_derived(right: bool, data) -> None:
    answer = data.draw(st.sampled_from(RIGHT if right else WRONG))
    layout, between = data.draw(st.sampled_from(ANSWERS)), data.draw(st.sampled_from(BETWEEN))
    filler = data.draw(st.sampled_from(["", "So we get:", "Next:"]))
    before = data.draw(st.booleans())  # the answer first, then the derivation
    shown = layout.format(e=answer)
    middle = f"{between.format(e=answer)}\n\n{filler}" if between else filler
    text = f"{shown}\n\n{CHAIN}\n\n{middle}\n" if before and "g" not in layout \
        else f"{CHAIN}\n\n{middle}\n\n{shown}\n"
    # A wrong answer a closed-form chain after the derivation ends in: which chain it concludes is not
    # known (a text may assemble its result so), so undecided -- never a reward.
    assert deriv.reward(text, symbols=SYMBOLS) == (1.0 if right else None if between else 0.0), text


#: Members and their value (a multiple of the scalar a): a step is true exactly when the values agree.
MEMBERS = {"a + a": 2, "2 a": 2, "a \\cdot 2": 2, "3a - a": 2, "2\u00b7a": 2, "3 a": 3, "a + 2a": 3, "a": 1, "4a - a": 3}
#: Ways a model continues a chain in a later paragraph or row.
CONTINUED = ["$$ = {m} $$", "\\[ = {m} \\]", "which is $= {m}$.", "$= {m}$", "- $= {m}$", "> $$ = {m} $$",
             "which equals ${m}$.", "so we get $$ {m} $$", "```math\n= {m}\n```", "$$\n= {m} \\\\\n$$"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(sorted(MEMBERS)), min_size=2, max_size=4), st.data())
def test_a_chain_broken_across_paragraphs_is_checked_step_by_step(members: list[str], data) -> None:
    lines = [f"$$ {members[0]} = {members[1]} $$"]
    for member in members[2:]:
        lines += [data.draw(st.sampled_from(["", "Next:", "Simplifying,"])),
                  data.draw(st.sampled_from(CONTINUED)).format(m=member)]
    text = "\n\n".join(line for line in lines if line) + "\n"
    truth = all(MEMBERS[a] == MEMBERS[b] for a, b in zip(members, members[1:]))
    assert deriv.reward(text, symbols=SYMBOLS) == (1.0 if truth else 0.0), text
