"""The seed's verdicts are pinned (each step is also a test item, via the plugin).

The exact counts catch a regression in either direction: an engine change
that stops proving a step, or a document edit that hides a mistake.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import deriv
from deriv.cli import main

DERIVATIONS = Path(__file__).resolve().parent.parent / "derivations"
DOCUMENTS = sorted(DERIVATIONS.glob("*.md"))

#: (proved, expected-fail, skipped) per seed document.
EXPECTED = {
    "linear_layer_weights.md": (15, 2, 0),
    "chain_rule.md": (2, 0, 0),
    "linear_layer_bias.md": (8, 3, 0),
    "linear_layer_input.md": (14, 5, 0),
    "elementwise_activation.md": (8, 0, 0),
    "hessian_eigenvalues.md": (8, 2, 0),
    "gru_cell.md": (8, 1, 0),
}


@functools.cache
def checked(path: Path) -> deriv.FileResult:
    return deriv.check_file(path)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seed_document_counts(name: str) -> None:
    steps = checked(DERIVATIONS / name).steps
    counts = tuple(sum(s.verdict.value == v for s in steps) for v in ("proved", "expected-fail", "skipped"))
    assert counts == EXPECTED[name]


def test_strict_check_of_all_derivations() -> None:
    result = CliRunner().invoke(main, ["check", "--strict", "--format", "json", str(DERIVATIONS)])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)["summary"]
    assert summary["proved"] == sum(p for p, _, _ in EXPECTED.values())
    assert summary["expected-fail"] == sum(e for _, e, _ in EXPECTED.values())
    assert summary["proved"] + summary["expected-fail"] >= 45
    assert {k: v for k, v in summary.items() if v and k not in ("proved", "expected-fail")} == {}


def test_every_seed_mistake_is_explained() -> None:
    """Each expected failure carries a message that says what is wrong."""
    messages = [
        s.message
        for path in DOCUMENTS
        for s in checked(path).steps
        if s.verdict.value == "expected-fail"
    ]
    assert all(len(m) > 20 for m in messages)
    joined = "\n".join(messages)
    assert "unknown name \\mathcal{P}" in joined
    assert "M x N" in joined and "N x M" in joined and "transposed" in joined
    assert "free index k appears here" in joined
    assert "has no \\partial" in joined


def test_readme_quotes_real_output() -> None:
    """docs/seed.md quotes what deriv prints today."""
    section = (DERIVATIONS.parent / "docs" / "seed.md").read_text(encoding="utf-8")
    quoted = [
        line.strip()
        for block in section.split("```text")[1:]
        for line in block.split("```", 1)[0].splitlines()
        if line.strip()
    ]
    assert len(quoted) >= 6
    output = CliRunner().invoke(main, ["check", "--no-color", str(DERIVATIONS)]).output
    printed = {line.strip() for line in output.splitlines()}
    assert [q for q in quoted if q not in printed] == []
