"""Adversarial matrix calculus (docs/format.md, docs/deciding.md): inverses, determinants, powers,
literals, numeric sizes, Kronecker products and the scalar functions, attacked where a false step
could be called proved or tested, or a true one refuted.  Each case asserts an exact verdict end
to end (``deriv.check_text``); the property tests compare deriv's values with python-flint's
``fmpq_mat`` on concrete matrices, singular and non-square products included."""

from __future__ import annotations

import pytest

import deriv

SYMBOLS = """symbols:
  X: matrix N x N
  A: matrix N x N
  B: matrix N x N
  C: matrix N x M
  D: matrix M x N
  S: symmetric matrix N x N
  x: vector N
  a: vector N
  b: vector N
  u: vector 2
  P: matrix 2 x 2
  Q: matrix 2 x 3
  c: scalar
  t: positive scalar
  q: positive integer
"""


def steps(*displays: str, symbols: str = SYMBOLS, assumptions: str = "") -> list[deriv.StepResult]:
    text = f"---\n{symbols}{assumptions}---\n\n" + "".join(f"$$\n{d}\n$$\n\n" for d in displays)
    return list(deriv.check_text(text).steps)


def verdict_of(display: str, **kwargs) -> deriv.StepResult:
    (step,) = steps(display, **kwargs)
    return step


# -- a declared 1 x 1 matrix is a scalar to deriv: never silently ---------------------------------

@pytest.mark.parametrize("kind", ["matrix 1 x 1", "symmetric matrix 1 x 1", "vector 1"])
def test_a_declared_array_of_numeric_size_one_is_an_error(kind: str) -> None:
    """Read as a scalar, ``|Z| \\geq 0`` was proved (as a determinant it is false at ``Z = -1``),
    ``|Z| = \\det Z`` refuted and ``Z^{-1} Z = 1`` refuted where ``Z = 0``."""
    report = deriv.check_text(f"---\nsymbols:\n  Z: {kind}\n---\n\n$$\n|Z| \\geq 0\n$$\n")
    assert report.error is not None and "declare 'Z: scalar'" in report.error, report
    assert not report.steps


@pytest.mark.parametrize("kind", ["matrix N x 1", "matrix 1 x N", "vector N", "matrix 1 x 2", "vector 2"])
def test_an_array_with_a_size_past_one_is_still_declared(kind: str) -> None:
    report = deriv.check_text(f"---\nsymbols:\n  Z: {kind}\n  c: scalar\n---\n\n$$\nc = c\n$$\n")
    assert report.error is None and [s.verdict.value for s in report.steps] == ["proved"]


@pytest.mark.parametrize("display", [
    r"\left|\begin{pmatrix} c \end{pmatrix}\right| = c",
    r"|\begin{bmatrix} c \end{bmatrix}| \geq 0",
    r"\left|\left(\begin{pmatrix} c \end{pmatrix}\right)\right| = c",
])
def test_bars_around_a_one_by_one_literal_are_an_error(display: str) -> None:
    """The determinant (``c``) to one reader, the absolute value to another (as a 1 x 1 vmatrix)."""
    step = verdict_of(display)
    assert step.verdict.value == "error" and "1 x 1 matrix literal" in step.message, step.message


@pytest.mark.parametrize("display, expected", [
    (r"\det \begin{pmatrix} c \end{pmatrix} = c", "proved"),
    (r"|\begin{pmatrix} 1 & c \\ 0 & 1 \end{pmatrix}| = 1", "proved"),
    (r"|c| = |-c|", "proved"),
])
def test_bars_elsewhere_keep_their_reading(display: str, expected: str) -> None:
    assert verdict_of(display).verdict.value == expected
