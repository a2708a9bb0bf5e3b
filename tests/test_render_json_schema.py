"""The JSON Schema shipped for ``--format json`` (deriv/render/report.schema.json) holds for real
output: validated here by a small validator of the part of JSON Schema the file uses (jsonschema
is no dependency), which is itself shown to reject what the schema forbids."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from deriv.cli import main
from deriv.render.json import json_schema

ROOT = Path(__file__).resolve().parent.parent
_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


def errors(value: Any, schema: dict, root: dict, where: str = "$") -> list[str]:
    """Where ``value`` breaks ``schema`` (draft 2020-12: the keywords the shipped schema uses)."""
    if "$ref" in schema:
        return errors(value, root["$defs"][schema["$ref"].removeprefix("#/$defs/")], root, where)
    found: list[str] = []
    if "type" in schema and not any(_is(value, t) for t in _listed(schema["type"])):
        return [f"{where}: {value!r} is not {schema['type']}"]
    if "const" in schema and value != schema["const"]:
        found.append(f"{where}: {value!r} is not {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{where}: {value!r} not in {schema['enum']}")
    if "minimum" in schema and isinstance(value, (int, float)) and value < schema["minimum"]:
        found.append(f"{where}: {value} < {schema['minimum']}")
    if "oneOf" in schema and sum(not errors(value, s, root, where) for s in schema["oneOf"]) != 1:
        found.append(f"{where}: not exactly one of oneOf")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            found.append(f"{where}: fewer than {schema['minItems']} items")
        for i, item in enumerate(value):
            found += errors(item, schema.get("items", {}), root, f"{where}[{i}]")
    if isinstance(value, dict):
        found += [f"{where}: {key} missing" for key in schema.get("required", ()) if key not in value]
        properties, extra = schema.get("properties", {}), schema.get("additionalProperties", True)
        for key, item in value.items():
            if key in properties:
                found += errors(item, properties[key], root, f"{where}.{key}")
            elif extra is False:
                found.append(f"{where}: {key} is not allowed")
            elif isinstance(extra, dict):
                found += errors(item, extra, root, f"{where}.{key}")
    return found


def _listed(kind: str | list[str]) -> list[str]:
    return [kind] if isinstance(kind, str) else kind


def _is(value: Any, kind: str) -> bool:
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, _TYPES[kind])


def report(*args: str, stdin: str | None = None) -> dict:
    result = CliRunner().invoke(main, ["check", "--format", "json", *args], input=stdin)
    assert result.exit_code in (0, 1, 2), result.output
    return json.loads(result.output)


def valid(document: dict) -> None:
    schema = json_schema()
    assert errors(document, schema, schema) == []


def test_schema_is_shipped_and_uses_only_what_the_validator_knows() -> None:
    schema = json_schema()
    known = {"$schema", "$id", "title", "description", "type", "required", "additionalProperties", "properties",
             "items", "$defs", "$ref", "const", "enum", "minimum", "minItems", "oneOf"}

    def keywords(node: Any, inside_properties: bool = False) -> set[str]:
        if isinstance(node, list):
            return set().union(*(keywords(n) for n in node))
        if not isinstance(node, dict):
            return set()
        own = set() if inside_properties else set(node)
        return own.union(*(keywords(v, k in ("properties", "$defs")) for k, v in node.items()))

    assert keywords(schema) <= known


def test_real_reports_hold_to_the_schema(tmp_path: Path) -> None:
    (tmp_path / "wrong.md").write_text("---\nsymbols:\n  A: matrix n x n\n  B: matrix n x n\n---\n\n"
                                       "$$ (A B)^T = A^T B^T $$\n\n$$ A = \\foo $$\n")
    (tmp_path / "broken.md").write_text("---\nsymbols:\n  A: tensor\n---\n")
    (tmp_path / "README.md").write_text("# notes\n\n$$ x $$\n")
    for document in (report(str(ROOT / "examples" / "linear_layer_bias.tex")),
                     report(str(ROOT / "derivations" / "linear_layer_weights.md")),
                     report(str(tmp_path)),
                     report("-", stdin="---\nsymbols:\n  a: scalar\n---\n$$ a = 2 a $$\n")):
        valid(document)
    folder = report(str(tmp_path))
    assert folder["unchecked"] and any(f["error"] for f in folder["files"])
    assert any(s["counterexample"] for f in folder["files"] for s in f["steps"])
    wrong = next(f for f in folder["files"] if f["path"].endswith("wrong.md"))
    assert [(s["line"], s["column"]) for s in wrong["steps"]][:1] == [(7, 4)]  # `$$ (A B)^T`: the `(`


@pytest.mark.parametrize("breaking", [
    lambda d: d.pop("summary"),
    lambda d: d["files"][0]["steps"][0].update(verdict="passed"),
    lambda d: d["files"][0]["steps"][0].update(line="3"),
    lambda d: d["files"][0]["steps"][0].update(column=0),
    lambda d: d["files"][0]["steps"][0].pop("column"),
    lambda d: d["files"][0]["steps"][0].update(extra=1),
    lambda d: d["files"][0]["steps"][0].update(suggestion=[]),
    lambda d: d["files"][0].update(title=3),
    lambda d: d["summary"].update(proved=-1),
])
def test_the_validator_bites(breaking) -> None:
    document = report(str(ROOT / "derivations" / "chain_rule.md"))
    valid(document)
    broken = copy.deepcopy(document)
    breaking(broken)
    schema = json_schema()
    assert errors(broken, schema, schema)


def test_stdin_is_read_as_a_markdown_document() -> None:
    document = report("-", stdin="---\nsymbols:\n  a: scalar\n---\n$$ a = 2 a $$\n")
    [file] = document["files"]
    assert file["path"] == "<stdin>" and [s["verdict"] for s in file["steps"]] == ["refuted"]
    bad = report("-", stdin=b"\xff\n")  # type: ignore[arg-type]
    assert bad["files"][0]["path"] == "<stdin>" and "not UTF-8" in bad["files"][0]["error"]
