"""The JSON report of ``deriv check --format json`` (docs/cli.md).

In: the frozen result objects of :mod:`deriv.results`.  Out: plain
dictionaries (``*_to_json``), their inverse for reports assembled from
pytest-xdist workers (``*_from_json``), and the serialised document
(:func:`render_json`), so every consumer sees one schema.

>>> from deriv.results import RunResult
>>> print(render_json(RunResult(())))  # doctest: +ELLIPSIS
{
  "version": 1,
  "files": [],
  "summary": {
    "proved": 0,
...
"""

from __future__ import annotations

import json
import re

from deriv.results import (
    Counterexample,
    FileResult,
    ItemResult,
    RunResult,
    StepResult,
    Suggestion,
    Verdict,
)

#: Past this many steps the report is compact: indenting runs Python's slow
#: encoder (about 35 us a step), compact output its C one (5 MB documents).
INDENTED_STEPS = 10_000


def counterexample_to_json(cx: Counterexample) -> dict[str, object]:
    return {
        "sizes": dict(cx.sizes),
        "indices": dict(cx.indices),
        "lhs": cx.lhs_value,
        "rhs": cx.rhs_value,
        "seed": cx.seed,
        "trial": cx.trial,
        "precision": cx.precision,
        "note": cx.note,
        # a shrunk counterexample's entries (rows of exact values) and simple functions
        "values": {name: [list(row) for row in rows] for name, rows in cx.values},
        "functions": dict(cx.functions),
        "shrunk": cx.shrunk,
    }


def counterexample_from_json(data: dict) -> Counterexample:
    """The inverse of :func:`counterexample_to_json`."""
    return Counterexample(
        sizes=tuple(data["sizes"].items()), indices=tuple(data["indices"].items()),
        lhs_value=data["lhs"], rhs_value=data["rhs"], seed=data["seed"], trial=data["trial"],
        precision=data.get("precision", "exact"), note=data.get("note", ""),
        values=tuple((name, tuple(tuple(row) for row in rows)) for name, rows in data.get("values", {}).items()),
        functions=tuple(data.get("functions", {}).items()), shrunk=data.get("shrunk", False),
    )


def suggestion_to_json(suggestion: Suggestion) -> dict[str, object]:
    return {
        "kind": suggestion.kind,
        "latex": suggestion.latex,
        "verdict": suggestion.verdict.value,
        "detail": suggestion.detail,
    }


def suggestion_from_json(data: dict) -> Suggestion:
    """The inverse of :func:`suggestion_to_json`."""
    return Suggestion(data["kind"], data["latex"], Verdict(data["verdict"]), data.get("detail", ""))


def step_to_json(step: StepResult) -> dict[str, object]:
    # "file" only for a step of another file than the document's (a LaTeX \input file).
    where: dict[str, object] = {"file": step.file} if step.file else {}
    return where | {
        "line": step.line,
        "column": step.column,
        **({"cell": step.cell[0], "cell_line": step.cell[1]} if step.cell else {}),
        "label": step.label,
        "relation": step.relation,
        "lhs": step.lhs,
        "rhs": step.rhs,
        "verdict": step.verdict.value,
        "method": step.method,
        "message": step.message,
        "justification": step.justification,
        # null when there is none (docs/cli.md), else a list, best first.
        "suggestion": [suggestion_to_json(x) for x in step.suggestion] or None,
        "counterexample": counterexample_to_json(step.counterexample) if step.counterexample else None,
        "seconds": round(step.seconds, 4),
        # Only when marked (docs/format.md): most steps are not.
        **({"expect_tested": True} if step.expect_tested else {}),
    }


def step_from_json(data: dict) -> StepResult:
    """The inverse of :func:`step_to_json` (``seconds`` rounded as it was written)."""
    fields = dict(data)
    fields["verdict"] = Verdict(fields["verdict"])
    if "cell" in fields:
        fields["cell"] = (fields.pop("cell"), fields.pop("cell_line"))
    if fields.get("counterexample") is not None:
        fields["counterexample"] = counterexample_from_json(fields["counterexample"])
    fields["suggestion"] = tuple(suggestion_from_json(x) for x in fields.get("suggestion") or ())
    return StepResult(**fields)


def file_to_json(file: FileResult) -> dict[str, object]:
    error = f"line {file.error_line}: {file.error}" if file.error and file.error_line else file.error
    return {
        "path": file.path,
        "title": file.title,
        "error": error,
        "steps": [step_to_json(s) for s in file.steps],
    }


def run_to_json(run: RunResult) -> dict[str, object]:
    found = {"version": 1, "files": [file_to_json(f) for f in run.files], "summary": run.summary()}
    if run.unchecked:  # only for folder runs that left files out: the documented shape otherwise
        found["unchecked"] = [{"path": u.path, "reason": u.reason, "looks_like_derivation": u.suspicious}
                              for u in run.unchecked]
    return found


def json_schema() -> dict[str, object]:
    """The JSON Schema (draft 2020-12) of :func:`render_json`'s document, shipped with the package."""
    from importlib.resources import files

    return json.loads(files("deriv.render").joinpath("report.schema.json").read_text(encoding="utf-8"))


#: A surrogate code point: in a Python string always a lone one (a notebook's ``"\\ud800"``, a
#: file name that is no UTF-8), which JSON writes as an escape many parsers refuse.
_SURROGATE = re.compile("[\ud800-\udfff]")


def interchangeable(data: object) -> object:
    """``data`` with every lone surrogate in its strings (keys too) replaced by U+FFFD, so the
    JSON written from it is valid UTF-8 once decoded: every parser reads it (RFC 7493)."""
    if isinstance(data, str):
        return _SURROGATE.sub("\ufffd", data)
    if isinstance(data, dict):
        return {interchangeable(k): interchangeable(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [interchangeable(v) for v in data]
    return data


def render_json(run: RunResult) -> str:
    """The run as a JSON document (ASCII-only, safe on any terminal, no lone surrogate)."""
    steps = sum(len(f.steps) for f in run.files)
    return json.dumps(interchangeable(run_to_json(run)), indent=2 if steps <= INDENTED_STEPS else None)


def item_to_json(item: ItemResult) -> dict[str, object]:
    """One output line of ``deriv check --batch``: the item's steps as in the report, its
    first wrong step (0-based, or null) and an error when it could not be checked."""
    return {"id": item.id, "steps": [step_to_json(s) for s in item.steps], "first_wrong": item.first_wrong,
            "error": item.error}


def render_item(item: ItemResult) -> str:
    """The item as one line of JSON (ASCII-only, no lone surrogate)."""
    return json.dumps(interchangeable(item_to_json(item)))
