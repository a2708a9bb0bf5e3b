"""mypy and ruff, with the configurations in pyproject.toml, are clean on the repository.

Run as tests so that the README's test command (and so `.ci/run`) holds them; a tool that is not
installed skips its test with the reason shown (install the `test` extra to run them).
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (pip install -e '.[test]')")
    return subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=900)


def test_mypy_is_clean():
    # The files, the strictness and the modules still excused are in pyproject.toml's [tool.mypy].
    done = _run("mypy")
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_is_clean():
    done = _run("ruff", "check", ".")
    assert done.returncode == 0, done.stdout + done.stderr
