"""Engine, spectrum (docs/deciding.md): eigenvalues of definite matrices --
symbolic 2x2/3x3, random certified matrices, counterexamples."""

from __future__ import annotations

import pytest
from flint import fmpq, fmpz_mat

from deriv.engine.definiteness import definite, negative_direction
from deriv.engine.premises import properties
from deriv.engine.spectrum import nonsymmetric_counterexample, symbolic_check
from deriv.engine.spectrum_random import alternating, check_random, positive_pivots


@pytest.mark.parametrize("n", [2, 3])
@pytest.mark.parametrize("strict", [True, False])
def test_symbolic_proof_for_general_symmetric_matrices(n, strict):
    found = symbolic_check(n, strict)
    assert found.shown, found.what
    assert ("L D L^T" if strict else "R^T R") in found.what


def test_random_matrices_are_certified_and_cover_every_size_and_family():
    found = check_random(240)
    assert found.failure is None
    assert found.count == 240 and found.sizes == (1, 30)
    assert set(found.families) == {"Hilbert", "well-conditioned", "low rank + I", "nearly singular"}
    assert found.smallest is not None and 0 < found.smallest < fmpq(1, 10**20)  # Hilbert matrices


def test_two_processes_check_the_same_matrices():
    one, two = check_random(120), check_random(120, processes=2)
    assert (one.count, one.families, one.smallest) == (two.count, two.families, two.smallest)


def test_the_semi_definite_twin():
    found = check_random(90, strict=False)
    assert found.failure is None and found.count == 90


def test_pivots_and_descartes_reject_an_indefinite_matrix():
    indefinite = fmpz_mat([[1, 2], [2, 1]])  # eigenvalues 3 and -1
    assert not positive_pivots(indefinite)
    assert not alternating(indefinite)[0]
    singular = fmpz_mat([[1, 1], [1, 1]])
    assert not positive_pivots(singular) and not alternating(singular)[0] and alternating(singular, strict=False)[0]
    assert positive_pivots(fmpz_mat([[2, 1], [1, 2]])) and alternating(fmpz_mat([[2, 1], [1, 2]]))[0]


def test_the_non_symmetric_counterexample_is_verified():
    found = nonsymmetric_counterexample()
    assert found is not None and found.discriminant == -100
    assert nonsymmetric_counterexample(((2, 1), (1, 2))) is None  # symmetric: real eigenvalues
    assert nonsymmetric_counterexample(((1, -5), (-5, 1))) is None  # not definite


def test_a_negative_direction_is_a_certified_witness():
    h = [[fmpq(1), fmpq(2)], [fmpq(2), fmpq(1)]]
    v = negative_direction(h)
    assert v is not None
    assert sum(v[i] * h[i][j] * v[j] for i in range(2) for j in range(2)) < 0
    assert not definite(h) and definite([[fmpq(2), fmpq(1)], [fmpq(1), fmpq(2)]])


def test_x_to_the_fourth_is_a_strict_minimum_with_a_zero_hessian():
    found = properties({(4,): fmpq(1)}, 1)
    assert found["strict-minimum"][0] is True and found["minimum"][0] is True
    assert found["critical"][0] is True and found["pd"][0] is False and found["psd"][0] is True
    saddle = properties({(2, 0): fmpq(1), (0, 2): fmpq(-1)}, 2)
    assert saddle["minimum"][0] is False and saddle["psd"][0] is False
