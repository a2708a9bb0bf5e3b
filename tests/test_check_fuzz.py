"""Check, fuzzing (docs/testing.md): mutated bundled derivations never crash, hang or lose a line.

A bounded, deterministic slice of ``benchmarks/fuzz.py``: ``DERIV_FUZZ_DOCS``
documents (default 30) of seed 0, each checked in its own subprocess
``python -m deriv check --format json --timeout 2 FILE`` under an outer hard
timeout, one test per document so ``pytest -n 2`` spreads them.  A run must be
``ok``: no traceback, no hang, no internal error, every error with a line, a
JSON report.  Mutations that trigger an open finding are redrawn
(``fuzz.KNOWN_FINDINGS``, each naming its xfail test in
``tests/test_check_harness_findings.py``).  Run the script for thousands more.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

_SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "fuzz.py"
_spec = importlib.util.spec_from_file_location("deriv_fuzz", _SCRIPT)
assert _spec is not None and _spec.loader is not None
fuzz = importlib.util.module_from_spec(_spec)
sys.modules["deriv_fuzz"] = fuzz
_spec.loader.exec_module(fuzz)

DOCS = int(os.environ.get("DERIV_FUZZ_DOCS", "30"))


@pytest.mark.parametrize("index", range(DOCS))
def test_mutated_document_is_checked_cleanly(index: int, tmp_path: Path) -> None:
    doc = fuzz.mutated_document(0, index, skip_known=True)
    outcome = fuzz.run_one(doc, tmp_path)
    if outcome.klass != "ok":
        kept = fuzz.save(outcome, tmp_path / "failures")
        pytest.fail(f"{outcome.klass}: {outcome.detail}\nmutations {doc.kinds} of {doc.source}; document: {kept}\n"
                    f"stderr: {outcome.stderr[-2000:]}")


def test_classification() -> None:
    """The classifier itself: each class from a made-up run."""
    ok = '{"files": [{"path": "x", "error": null, "steps": [{"line": 3, "verdict": "error", "message": "m"}]}]}'
    assert fuzz.classify(2, ok, "")[0] == "ok"
    assert fuzz.classify(1, "", "Traceback (most recent call last):\n  ...\nKeyError: 1")[0] == "traceback"
    assert fuzz.classify(2, ok.replace('"m"', '"internal error: boom"'), "")[0] == "internal"
    assert fuzz.classify(2, ok.replace('"line": 3', '"line": null'), "")[0] == "error-without-line"
    no_line = '{"files": [{"path": "x", "error": "front matter is broken", "steps": []}]}'
    assert fuzz.classify(2, no_line, "")[0] == "error-without-line"
    assert fuzz.classify(2, no_line.replace("front", "line 2: front"), "")[0] == "ok"
    assert fuzz.classify(2, "not json", "")[0] == "bad-output"
