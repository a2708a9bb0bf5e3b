"""Meaning, families indexed by a step or layer (docs/format.md).

``h: vector H, for t in 0..T`` declares the members ``h_0`` to ``h_T``;
``h_t``, ``h_{t-1}``, ``h_{t+1}`` are members, sums over ``t`` work, and a
member outside ``h_0..h_T`` is an error that names the case.  The family is
kept as an array with one more index, which no message shows.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import deriv
from deriv.check.options import CheckOptions
from deriv.names import Family, Kind
from deriv.read.kinds import split_family

FRONT = """---
symbols:
  h: vector H, for t in 0..T
  x: vector D, for t in 1..T
  a: scalar, for t in 1..T
  W: matrix H x H
  U: matrix H x D
  c: vector H
indices:
  t: T
---

"""


def results(*displays: str, front: str = FRONT):
    text = front + "\n\n".join(f"$$ {d} $$" for d in displays) + "\n"
    return deriv.check_text(text, options=CheckOptions(isolate=False))


def verdicts(*displays: str, front: str = FRONT) -> list[str]:
    return [str(s.verdict) for s in results(*displays, front=front).steps]


def single(display: str, front: str = FRONT):
    (step,) = results(display, front=front).steps
    return str(step.verdict), step.message


# -- the declaration ----------------------------------------------------------------------------

@pytest.mark.parametrize("text, kind, family", [
    ("vector H, for t in 0..T", "matrix T+1 x H", Family("t", 0, "T", Kind.VECTOR)),
    ("scalar, for t in 1..T", "vector T", Family("t", 1, "T", Kind.SCALAR)),
    ("positive vector H, for l in 1..L", "positive matrix L x H", Family("l", 1, "L", Kind.VECTOR)),
    ("vector H, for t in 0..T+1", "matrix T+1+1 x H", Family("t", 0, "T+1", Kind.VECTOR)),
    ("vector N", "vector N", None),
])
def test_a_family_is_an_array_with_one_more_index(text, kind, family):
    assert split_family(text) == (kind, family)


@pytest.mark.parametrize("text", [
    "matrix N x N, for l in 1..L",     # matrices are not members (yet)
    "vector H, for tt in 0..T",
    "vector H, for t",
    "vector H, for t in 0..3",         # the last member is named by a size
])
def test_what_is_no_family_is_refused(text):
    with pytest.raises(ValueError):
        split_family(text)


def test_a_family_that_may_be_empty_is_an_error():
    front = "---\nsymbols:\n  h: vector H, for t in 2..T\n---\n\n$$ h_2 = h_2 $$\n"
    result = deriv.check_text(front, options=CheckOptions(isolate=False))
    assert result.error is not None and "T - 1" in result.error


# -- members ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("display, expected", [
    ("W h_{t-1} + U x_t = U x_t + W h_{t-1}", "proved"),
    ("h_t^T W h_{t-1} = h_{t-1}^T W^T h_t", "proved"),
    ("h_t^T W h_{t-1} = h_{t-1}^T W h_t", "refuted"),
    ("h_t = h_{t-1}", "refuted"),
    ("h_0 + h_T = h_T + h_0", "proved"),
    ("h_0 = h_T", "refuted"),                                # differ, T >= 1
    ("(h_t)_i = (h_t)_i", "proved"),
    ("c^T h_t = \\sum_i c_i (h_t)_i", "proved"),
    ("\\sum_{t=1}^{T} h_t^T h_{t-1} = \\sum_{t=0}^{T-1} h_{t+1}^T h_t", "proved"),
    ("\\sum_{t=1}^{T} h_t^T h_{t-1} = \\sum_{t=1}^{T} h_t^T h_t", "refuted"),
    ("\\sum_{t=0}^{T} h_t = \\sum_{t=1}^{T+1} h_{t-1}", "proved"),
    ("\\sum_{t=0}^{T} h_t = \\sum_{t=1}^{T} h_t", "refuted"),   # h_0 left out
    ("\\sum_{t=1}^{T} a_t = \\sum_t a_t", "proved"),
])
def test_members_read_as_vectors_and_scalars(display, expected):
    assert verdicts(display) == [expected]


@pytest.mark.parametrize("display, words", [
    ("h_{t+1} = h_t", ["h_{t + 1} at t = T is h_{T + 1}, past the last member h_{T}"]),
    ("h_{t-2} = h_t", ["h_{t - 2} at t = 1 is h_{-1}, before the first member h_{0}"]),
    ("a_0 = a_1", ["a_{0} before the first member a_{1}"]),
    ("h_{T+1} = h_T", ["past the last member h_{T}"]),
    ("x_{t+1} = x_t", ["x_{t + 1} at t = T is x_{T + 1}"]),
    ("\\sum_{t=0}^{T} x_t = 0", ["before the first member x_{1}"]),
    ("h = h", ["h is a family, h_{0} to h_{T}: write a member, as in h_t"]),
    ("h_{t,1} = 0", ["a member takes one subscript"]),
])
def test_a_member_outside_the_family_is_an_error(display, words):
    verdict, message = single(display)
    assert verdict == "error", message
    for word in words:
        assert word in message, message


def test_a_free_step_index_needs_a_range():
    front = FRONT.replace("indices:\n  t: T\n", "")
    # written only in members, t runs where they all exist: h_t and h_{t-1}, t = 1..T
    # (docs/format.md, "A step's index written only in members")
    assert single("h_t = h_{t-1}", front=front)[0] == "refuted"
    assert single("h_t + h_{t-1} = h_{t-1} + h_t", front=front)[0] == "proved"
    # h_t alone runs over h_0 to h_T, which no range from 1 is
    verdict, message = single("h_t = h_t", front=front)
    assert verdict == "error" and "indices:" in message
    # x_t of a family from 1 fixes t's range as an entry would
    assert verdicts("W h_{t-1} + U x_t = U x_t + W h_{t-1}", front=front) == ["proved"]


# -- derivatives by a member; counterexamples show members --------------------------------------------

@pytest.mark.parametrize("display, expected", [
    ("\\frac{\\partial}{\\partial h_{t-1}} (c^T W h_{t-1}) = W^T c", "proved"),
    ("\\frac{\\partial}{\\partial h_{t-1}} (c^T W h_{t-1}) = W c", "refuted"),
    ("\\frac{\\partial}{\\partial h_{t-1}} (h_t^T W h_{t-1}) = W^T h_t", "proved"),
    ("\\frac{\\partial}{\\partial h_{t}} (h_t^T W h_{t-1}) = W h_{t-1}", "proved"),
    ("\\frac{\\partial}{\\partial h_{t}} (h_t^T W h_{t-1}) = W^T h_{t-1}", "refuted"),
    ("\\frac{\\partial}{\\partial W} \\sum_{t=1}^{T} c^T W h_{t-1} = \\sum_{t=1}^{T} c h_{t-1}^T", "proved"),
    ("\\frac{\\partial}{\\partial W} \\sum_{t=1}^{T} c^T W h_{t-1} = \\sum_{t=1}^{T} c h_t^T", "refuted"),
])
def test_derivatives_by_members_and_through_a_time_sum(display, expected):
    assert verdicts(display) == [expected]


def test_a_counterexample_shows_members_not_the_array_kept():
    (step,) = results("\\sum_{t=1}^{T} h_t^T h_{t-1} = \\sum_{t=1}^{T} h_t^T h_t").steps
    names = [name for name, _ in step.counterexample.values]
    assert "h" not in names and any(n.startswith("h_{") for n in names), names


def test_a_member_that_is_also_a_declared_name_reads_two_ways():
    front = '---\nsymbols:\n  h: vector H, for t in 0..T\n  "h_t": vector H\n  "h_0": vector H\nindices:\n  t: T\n---\n\n'
    for display in ("h_t = h_t", "h_0 = h_0"):
        verdict, message = single(display, front=front)
        assert verdict == "error" and "reads two ways" in message and "of the family h" in message, message


def test_a_sum_without_bounds_over_a_family_from_h_0_is_an_error():
    # t: T under indices: is 1..T, so \sum_t a_t left a_0 out of a family declared from a_0: say so
    for display in ("\\sum_t a_t = \\sum_{t=1}^{T} a_t", "\\sum_t c^T h_t = 0"):
        verdict, message = single(display, front=FRONT.replace("a: scalar, for t in 1..T", "a: scalar, for t in 0..T"))
        assert verdict == "error" and "\\sum_{t=0}^{T} for every member" in message, message
    # with bounds, and over a family from 1, the sum reads as before
    found = verdicts("\\sum_{t=0}^{T} c^T h_t = c^T h_0 + \\sum_{t=1}^{T} c^T h_t", "\\sum_t a_t = \\sum_{t=1}^{T} a_t",
                     "\\sum_t c^T h_{t-1} = \\sum_{t=0}^{T-1} c^T h_t")
    assert found[0] in ("proved", "tested") and found[1:] == ["proved", "proved"], found


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2), st.integers(-2, 0), st.integers(-1, 1), st.integers(-1, 1))
def test_a_shifted_sum_over_members_is_read_as_written(low, top, shift, slip):
    # \sum_{t=low}^{T+top} a_{t+shift} = \sum_{t=low+shift}^{T+top+shift} a_{t+slip} over a_0 .. a_T: true iff
    # slip = 0; a member named outside a_0 .. a_T at some T >= 1 is an error, never a verdict
    front = "---\nsymbols:\n  a: scalar, for t in 0..T\n---\n\n"

    def bound(shift_: int) -> str:
        return "T" if shift_ == 0 else f"T{shift_:+d}"

    def member(offset: int) -> str:
        return "a_t" if offset == 0 else f"a_{{t{offset:+d}}}"

    display = (f"\\sum_{{t={low}}}^{{{bound(top)}}} {member(shift)} = "
               f"\\sum_{{t={low + shift}}}^{{{bound(top + shift)}}} {member(slip)}")
    inside_left = low + shift >= 0 and top + shift <= 0
    inside_right = inside_left and low + shift + slip >= 0 and top + shift + slip <= 0
    verdict, message = single(display, front=front)
    if not inside_right:
        assert verdict == "error", (display, verdict, message)
    elif slip == 0:
        assert verdict in ("proved", "tested"), (display, verdict, message)
    else:
        assert verdict == "refuted", (display, verdict, message)
