"""Assumptions: instances satisfy them exactly; symbolic rewriting; claims."""

from __future__ import annotations

from helpers import file_steps, verdict_values

import deriv

EIGEN = """---
symbols:
  H: matrix N x N
  x: vector N
  lambda: scalar
assumptions:
  - H x = \\lambda x
---

"""

SOFTMAX = """---
symbols:
  y: vector K
  p: vector K
assumptions:
  - \\sum_k y_k = 1
---

"""


def test_a_wrong_consequence_is_refuted_on_an_instance_satisfying_the_assumption(tmp_path):
    (step,) = file_steps(tmp_path, EIGEN, r"x^T H x = \lambda^2 \|x\|^2")
    assert step.verdict.value == "refuted"
    assert "satisfies the assumptions H x = \\lambda x exactly" in step.message


def test_consequences_hold_on_the_constrained_instances(tmp_path):
    steps = file_steps(tmp_path, EIGEN, r"x^T H x = \lambda x^T x", r"x^T H H x = \lambda^2 \|x\|^2",
                  r"\sum_j H_{i,j} x_j = \lambda x_i")
    assert all(v in ("proved", "tested") for v in verdict_values(steps)), [s.message for s in steps]


def test_symmetric_matrix_with_an_eigenvector(tmp_path):
    head = EIGEN.replace("H: matrix N x N", "H: symmetric matrix N x N")
    steps = file_steps(tmp_path, head, r"x^T H x = \lambda \|x\|^2", r"x^T H x = 2 \lambda \|x\|^2")
    assert verdict_values(steps)[0] in ("proved", "tested")
    assert verdict_values(steps)[1] == "refuted"


def test_sum_to_one_in_a_softmax_gradient(tmp_path):
    steps = file_steps(tmp_path, SOFTMAX, r"p_k \sum_j y_j - y_k = p_k - y_k", r"p_k \sum_j y_j - y_k = y_k - p_k")
    assert verdict_values(steps)[0] in ("proved", "tested")
    assert verdict_values(steps)[1] == "refuted"
    assert "\\sum_k y_k = 1" in steps[1].message


def test_an_assumption_not_linear_in_any_entry_is_undecided_with_the_reason(tmp_path):
    # 7 is no sum of two or three rational squares: no rational point of that sphere at K = 2 (engine/ball_points.py)
    head = SOFTMAX.replace("\\sum_k y_k = 1", "\\sum_k y_k^2 = 7")
    (step,) = file_steps(tmp_path, head, r"\sum_k y_k^2 = 3")
    assert step.verdict.value == "undecided"
    assert "not linear in any drawn entry" in step.message


def test_a_sphere_with_rational_points_is_met_exactly(tmp_path):
    # \sum_k y_k^2 = 2 at y = (1, 1) and the rational points through it: it was undecided, as above
    head = SOFTMAX.replace("\\sum_k y_k = 1", "\\sum_k y_k^2 = 2")
    (step,) = file_steps(tmp_path, head, r"\sum_k y_k^2 = 3")
    assert step.verdict.value == "refuted"
    assert "satisfies the assumptions" in step.message


def test_a_fact_filters_the_instances(tmp_path):
    head = "---\nsymbols:\n  a: scalar\nassumptions:\n  - a > 0\n---\n\n"
    steps = file_steps(tmp_path, head, r"\sqrt{a^2} = a", r"\sqrt{a^2} = -a")
    assert verdict_values(steps) == ["tested", "refuted"] or verdict_values(steps)[1] == "refuted"
    assert verdict_values(steps)[0] in ("proved", "tested")


def test_an_assumption_used_twice_in_a_symbolic_proof(tmp_path):
    steps = file_steps(tmp_path, EIGEN, r"x^T H H x = \lambda^2 \|x\|^2", r"x^T H x = \lambda \|x\|^2")
    assert verdict_values(steps) == ["proved", "proved"]
    assert "H x = \\lambda x" in steps[0].message


def test_sum_to_one_is_used_symbolically(tmp_path):
    (step,) = file_steps(tmp_path, SOFTMAX, r"p_k \sum_j y_j - y_k = p_k - y_k")
    assert step.verdict.value == "proved"


def test_a_proof_without_the_assumption_names_none(tmp_path):
    (step,) = file_steps(tmp_path, EIGEN, r"x^T x = \|x\|^2")
    assert step.verdict.value == "proved" and "assumption" not in step.message


def test_a_local_assumption_holds_from_its_display_on(tmp_path):
    head = EIGEN.replace("assumptions:\n  - H x = \\lambda x\n", "")
    path = tmp_path / "doc.md"
    path.write_text(head + "$$ x^T H x = \\lambda x^T x $$\n\n<!-- deriv: assume H x = \\lambda x -->\n"
                    "$$ x^T H x = \\lambda x^T x $$\n\n$$ x^T H H x = \\lambda^2 \\|x\\|^2 $$\n")
    steps = deriv.check_file(str(path)).steps
    assert verdict_values(steps) == ["refuted", "proved", "proved"], [s.message for s in steps]
    assert "H x = \\lambda x" in steps[1].message


def test_a_local_assumption_that_is_not_one_is_an_error_on_its_line(tmp_path):
    path = tmp_path / "doc.md"
    path.write_text(EIGEN + "<!-- deriv: assume q = 1 -->\n$$ x^T x = \\|x\\|^2 $$\n")
    steps = deriv.check_file(str(path)).steps
    assert verdict_values(steps) == ["error", "undecided"]
    assert "unknown name q" in steps[0].message and steps[0].line == 10
    assert "q = 1 (line 10), which could not be read" in steps[1].message


UNREAD = """---
symbols:
  w: vector N
  x: vector N
  a: scalar
  L: function
---

$$ a + a = 3 a $$

<!-- deriv: assume \\nabla_w L = 0 -->
$$ x^T x = 0 $$

$$ a + a = 2 a $$

$$ x^T x > 0 $$

$$ x x^T \\succeq 0 $$

<!-- deriv: expect-fail -->
$$ a = 2 $$

<!-- deriv: assume a > 0 -->
$$ a > 0 $$
"""


def test_after_an_assumption_that_can_not_be_read_nothing_is_decided():
    # Without it x^T x = 0 would be refuted and a + a = 2a proved, although the author
    # meant them to hold under it: every step after it (equality, claim, statement,
    # expect-fail, also after a readable assumption) is undecided, naming it.
    steps = deriv.check_text(UNREAD).steps
    assert [(s.line, s.verdict.value) for s in steps] == [
        (9, "refuted"), (11, "error"), (12, "undecided"), (14, "undecided"), (16, "undecided"),
        (18, "undecided"), (21, "undecided"), (24, "undecided")]
    assert all("\\nabla_w L = 0 (line 11), which could not be read" in s.message for s in steps[2:])
    assert all(s.counterexample is None for s in steps[2:])


def test_an_assumption_in_the_front_matter_that_can_not_be_read_stops_the_document():
    text = UNREAD.replace("---\n\n", "assumptions:\n  - \\nabla_w L = 0\n---\n\n", 1)
    result = deriv.check_text(text)
    assert result.steps == () and "assumption" in (result.error or "")


def test_definite_matrix_with_an_eigenvector_is_drawn(tmp_path):
    head = EIGEN.replace("  - H x = \\lambda x\n", "  - H x = \\lambda x\n  - H \\succ 0\n  - x \\neq 0\n")
    steps = file_steps(tmp_path, head, r"x^T H x > 0", r"\lambda \|x\|^2 > 0")
    assert all(v in ("proved", "tested") for v in verdict_values(steps)), [s.message for s in steps]


def test_a_local_assumption_beside_an_expect_fail_and_one_with_no_display_after_it(tmp_path):
    head = EIGEN.replace("assumptions:\n  - H x = \\lambda x\n", "")
    path = tmp_path / "doc.md"
    path.write_text(head + "<!-- deriv: expect-fail -->\n<!-- deriv: assume H x = \\lambda x -->\n"
                    "$$ x^T H x = 2 \\lambda x^T x $$\n\n$$ x^T H x = \\lambda x^T x $$\n\n<!-- deriv: assume x \\neq 0 -->\n")
    steps = deriv.check_file(str(path)).steps
    assert verdict_values(steps) == ["expected-fail", "proved", "error"], [s.message for s in steps]
    assert "no display after it" in steps[2].message
