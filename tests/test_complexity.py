"""Functions sized by how much they do, not modules by lines: ruff's complexity rules
(C901 cyclomatic complexity, PLR0912 branches, PLR0915 statements, at ruff's default
limits) hold for every function; the functions that exceed them today are listed in
``tests/complexity_baseline.json`` with their figures, which may only go down (a
function made simpler lowers its entry; one made more complex, or a new one over a
limit, fails here)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BASELINE = Path(__file__).with_name("complexity_baseline.json")
RULES = ("C901", "PLR0912", "PLR0915")


@cache
def qualified_names(path: Path) -> dict[int, str]:
    """The line of each function definition, with its class-qualified name."""
    names: dict[int, str] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}{child.name}"
                if not isinstance(child, ast.ClassDef):
                    names[child.lineno] = name
                visit(child, name + ".")
            else:
                visit(child, prefix)

    visit(ast.parse(path.read_text(encoding="utf-8")), "")
    return names


def measured() -> dict[str, dict[str, int]]:
    """Every function over a limit: ``path::name`` -> {rule: figure}."""
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--isolated", "--select", ",".join(RULES),
                           "--output-format", "json", "deriv"], cwd=REPO, capture_output=True, text=True)
    found: dict[str, dict[str, int]] = {}
    for entry in json.loads(done.stdout or "[]"):
        path = Path(entry["filename"])
        name = qualified_names(path)[entry["location"]["row"]]
        figure = int(entry["message"].split("(")[-1].split(" >")[0])
        found.setdefault(f"{path.relative_to(REPO)}::{name}", {})[entry["code"]] = figure
    return found


def test_no_function_grows_past_its_limit_or_its_baseline() -> None:
    pytest.importorskip("ruff")
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    now = measured()
    grown = {f: v for f, v in now.items() if any(v[r] > baseline.get(f, {}).get(r, 0) for r in v)}
    assert not grown, ("functions past ruff's complexity limits (split them; see docs/architecture.md): "
                       f"{grown}")
    lowered = {f: now.get(f, {}) for f, v in baseline.items() if now.get(f, {}) != v}
    assert not lowered, f"simpler than their baseline: lower tests/complexity_baseline.json to {lowered}"
