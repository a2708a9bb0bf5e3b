"""The package's import graph: no cycles, and stages import only earlier stages.

The graph is read from the source with :mod:`ast` (module-level and
function-level imports alike; imports under ``if TYPE_CHECKING:`` are left
out, since they never run).  The order of the stages is the pipeline's:

    vocabulary < read < latex < meaning < engine < diagnose < check < render < api, batch, cli, pytest_plugin, __init__

A module may import modules of its own stage or of an earlier one.  The
syntax stage (``latex``) must also stay free of SymPy.  The checks are run
on the real package and, to show they bite, on small made-up packages.
"""

from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE_ROOT = Path(__file__).resolve().parent.parent / "deriv"

STAGES = ("vocabulary", "read", "latex", "meaning", "engine", "diagnose", "check", "render", "top")
VOCABULARY = frozenset({"errors", "ir", "objects", "context", "results", "names", "budget", "well_typed"})
TOP = frozenset({"", "api", "batch", "cache", "cli", "distributed", "notebook", "terminal", "__main__", "pytest_plugin",
                 "pytest_xdist"})
#: Third-party packages a stage must not import at all.
FORBIDDEN_LIBRARIES = {"latex": frozenset({"sympy"}), "vocabulary": frozenset({"lark", "yaml", "click"})}


@dataclass(frozen=True)
class Import:
    importer: str  # dotted module name
    target: str  # dotted name as written, resolved if relative
    names: tuple[str, ...]  # for ``from X import a, b``
    line: int


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def stage_of(module: str) -> str:
    """The stage a ``deriv...`` module belongs to."""
    parts = module.split(".")[1:]
    head = parts[0] if parts else ""
    if head in TOP:
        return "top"
    if head in VOCABULARY:
        return "vocabulary"
    if head in STAGES:
        return head
    raise AssertionError(f"{module} belongs to no stage: place it in one (and add it here)")


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(module: str, is_package: bool, source: str, type_checking: bool = False) -> list[Import]:
    """Every import the module can execute, at any depth, outside TYPE_CHECKING blocks
    (and inside them too with ``type_checking``)."""
    found: list[Import] = []
    package = module if is_package else module.rpartition(".")[0]

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test) and not type_checking:
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend(Import(module, a.name, (), node.lineno) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            target = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([target] if target else []))
            found.append(Import(module, target, tuple(a.name for a in node.names), node.lineno))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(source))
    return found


def read_package(root: Path, type_checking: bool = False) -> tuple[set[str], list[Import], dict[str, ast.Module]]:
    modules: set[str] = set()
    imports: list[Import] = []
    trees: dict[str, ast.Module] = {}
    for path in sorted(root.rglob("*.py")):
        name = module_name(root, path)
        modules.add(name)
        source = path.read_text(encoding="utf-8")
        trees[name] = ast.parse(source)
        imports.extend(imports_of(name, path.name == "__init__.py", source, type_checking))
    return modules, imports, trees


def internal_edges(modules: set[str], imports: list[Import]) -> list[tuple[Import, str]]:
    """(import, imported module) for imports of the package's own modules.

    ``from deriv.engine import numbers`` is an edge to ``deriv.engine.numbers``.
    """
    top = next(iter(modules)).split(".")[0]
    edges = []
    for imp in imports:
        if imp.target.split(".")[0] != top:
            continue
        submodules = [f"{imp.target}.{n}" for n in imp.names if f"{imp.target}.{n}" in modules]
        if submodules:
            edges.extend((imp, m) for m in submodules)
        if not submodules or len(submodules) < len(imp.names):
            target = imp.target
            while target not in modules and "." in target:
                target = target.rpartition(".")[0]
            edges.append((imp, target))
    return edges


def stage_violations(root: Path) -> list[str]:
    modules, imports, _ = read_package(root)
    problems = []
    for imp, target in internal_edges(modules, imports):
        source_stage, target_stage = stage_of(imp.importer), stage_of(target)
        if STAGES.index(target_stage) > STAGES.index(source_stage):
            problems.append(
                f"{imp.importer} (stage {source_stage}) line {imp.line} imports {target} "
                f"(later stage {target_stage})"
            )
    for imp in imports:
        library = imp.target.split(".")[0]
        if library in FORBIDDEN_LIBRARIES.get(stage_of(imp.importer), ()):
            problems.append(f"{imp.importer} line {imp.line} imports {library}")
    return problems


def import_cycles(root: Path, type_checking: bool = False) -> list[list[str]]:
    """Cycles of imports (with ``type_checking``, those under ``if TYPE_CHECKING:`` count too)."""
    modules, imports, _ = read_package(root, type_checking)
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for imp, target in internal_edges(modules, imports):
        if target != imp.importer:
            graph[imp.importer].add(target)
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 on the path, 2 done
    path: list[str] = []

    def walk(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                walk(nxt)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            walk(node)
    return cycles


#: Private names that belong to a library's protocol, not to another module of ours.
#: Public API whose names start with one underscore: SymPy printers'
#: ``printer._print(expr)``, and ``os._exit`` (leave without teardown).
LIBRARY_PROTOCOL = frozenset({"_print", "_exit"})


def _names_defined(tree: ast.Module) -> set[str]:
    """Names a module defines itself: functions, classes, fields, attributes it sets."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def private_reaches(root: Path) -> list[str]:
    """Uses of another module's private names.

    ``from m import _x``, and ``anything._x`` (other than ``self``/``cls``)
    where this module does not define ``_x`` itself: ``builder._indices(...)``.
    """
    _, imports, trees = read_package(root)
    top = root.name
    problems = [
        f"{imp.importer} line {imp.line} imports {imp.target}.{n}"
        for imp in imports
        if imp.target.split(".")[0] == top
        for n in imp.names
        if _is_private(n)
    ]
    for name, tree in sorted(trees.items()):
        own = _names_defined(tree) | LIBRARY_PROTOCOL
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and _is_private(node.attr)
                and node.attr not in own
                and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
            ):
                problems.append(f"{name} line {node.lineno} reaches .{node.attr}")
    return problems


# --- the real package --------------------------------------------------------------


def test_every_module_has_a_stage() -> None:
    modules, _, _ = read_package(PACKAGE_ROOT)
    for module in modules:
        stage_of(module)


def test_no_import_cycles() -> None:
    assert import_cycles(PACKAGE_ROOT) == []


#: Modules that still import each other in a cycle through an ``if TYPE_CHECKING:`` import (a type
#: only, at run time no cycle): a cycle that goes away leaves this list, and none may join it.
TYPE_CHECKING_CYCLES = {
    "deriv.engine.differentiate -> deriv.engine.recurrence -> deriv.engine.differentiate",
    "deriv.engine.normal -> deriv.engine.quotients -> deriv.engine.normal",
}


def test_no_new_import_cycles_under_type_checking() -> None:
    found = {" -> ".join(cycle) for cycle in import_cycles(PACKAGE_ROOT, type_checking=True)}
    assert found == TYPE_CHECKING_CYCLES


def test_stages_import_only_earlier_stages() -> None:
    assert stage_violations(PACKAGE_ROOT) == []


def test_no_module_reaches_a_private_name_of_another() -> None:
    assert private_reaches(PACKAGE_ROOT) == []


def test_every_module_states_what_it_does() -> None:
    modules, _, trees = read_package(PACKAGE_ROOT)
    missing = sorted(m for m in modules if ast.get_docstring(trees[m]) is None)
    assert missing == []


# --- the checks themselves bite ------------------------------------------------------------


def make_package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "deriv"
    for relative, source in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source), encoding="utf-8")
    for folder in {p.parent for p in root.rglob("*.py")}:
        (folder / "__init__.py").touch()
    return root


def test_a_later_stage_imported_early_is_caught(tmp_path: Path) -> None:
    root = make_package(tmp_path, {
        "latex/parser.py": '''
            def parse():
                from deriv.meaning.builder import Builder  # function-level counts too
        ''',
        "meaning/builder.py": "from deriv.latex import parser\nclass Builder: pass\n",
    })
    assert stage_violations(root) == [
        "deriv.latex.parser (stage latex) line 3 imports deriv.meaning.builder (later stage meaning)"
    ]
    assert import_cycles(root) == [["deriv.latex.parser", "deriv.meaning.builder", "deriv.latex.parser"]]


def test_vocabulary_importing_a_stage_and_sympy_in_latex_are_caught(tmp_path: Path) -> None:
    root = make_package(tmp_path, {
        "context.py": "from deriv.read import kinds\n",
        "read/kinds.py": "",
        "latex/lexer.py": "import sympy\n",
    })
    assert stage_violations(root) == [
        "deriv.context (stage vocabulary) line 1 imports deriv.read.kinds (later stage read)",
        "deriv.latex.lexer line 1 imports sympy",
    ]


def test_type_checking_imports_are_left_out(tmp_path: Path) -> None:
    root = make_package(tmp_path, {
        "engine/decide.py": '''
            from typing import TYPE_CHECKING
            if TYPE_CHECKING:
                from deriv.check.chains import Chain
        ''',
        "check/chains.py": "from deriv.engine import decide\n",
    })
    assert stage_violations(root) == []
    assert import_cycles(root) == []
    assert import_cycles(root, type_checking=True) == [
        ["deriv.check.chains", "deriv.engine.decide", "deriv.check.chains"]]


def test_private_names_of_other_modules_are_caught(tmp_path: Path) -> None:
    root = make_package(tmp_path, {
        "meaning/declarations.py": '''
            from deriv.meaning.builder import Builder, _helper
            Builder(1)._indices(2)
            class Own:
                _mine = 1
            Own()._mine
        ''',
        "meaning/builder.py": "",
    })
    assert private_reaches(root) == [
        "deriv.meaning.declarations line 2 imports deriv.meaning.builder._helper",
        "deriv.meaning.declarations line 3 reaches ._indices",
    ]


@pytest.mark.parametrize("module, stage", [
    ("deriv", "top"), ("deriv.cli", "top"), ("deriv.ir", "vocabulary"),
    ("deriv.read.document", "read"), ("deriv.engine.decide", "engine"),
])
def test_stage_of(module: str, stage: str) -> None:
    assert stage_of(module) == stage
