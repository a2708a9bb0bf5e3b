"""The one way to walk a syntax tree (:mod:`deriv.latex.ast`): ``children``,
``with_children``, ``mapped``, ``walk`` and the class-keyed ``Visitor``."""

from __future__ import annotations

import dataclasses

import pytest

from deriv.latex import ast
from deriv.latex.parser import parse_expression
from deriv.latex.repairs import nodes, replaced
from deriv.meaning.builder import Builder

DISPLAYS = [
    r"\sum_{k=1}^{N} A_{i,k} x_k + 2 \frac{a}{b} - \begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}",
    r"\frac{\partial^2 E}{\partial w_k \partial w_l} + \nabla_w L",
    r"\langle x, y \rangle \circ \sqrt[3]{z} + (A \otimes B) g(X)^T_{i,j}",
    r"\prod_{i \neq j} h'(x_i) - \|W\| \log x",
    r"A^{\circ 2} + (B C)^{-1}",
    r"h'' + x_{k=1}",
]


def _fields_reference(node: object) -> list[object]:
    """Every dataclass inside ``node``'s fields, independently of ``children``."""
    found: list[object] = []
    for f in dataclasses.fields(node):  # type: ignore[arg-type]
        value = getattr(node, f.name)
        items = value if isinstance(value, tuple) else (value,)
        for item in items:
            item = item[1] if isinstance(item, tuple) else item
            if dataclasses.is_dataclass(item):
                found.append(item)
    return found


@pytest.mark.parametrize("latex", DISPLAYS)
def test_children_are_the_nodes_of_the_fields_in_order(latex: str) -> None:
    for node in ast.walk(parse_expression(latex)):
        assert list(ast.children(node)) == _fields_reference(node)


@pytest.mark.parametrize("latex", DISPLAYS)
def test_rebuilding_with_the_same_children_is_the_same_node(latex: str) -> None:
    for node in ast.walk(parse_expression(latex)):
        assert ast.with_children(node, ast.children(node)) is node
        copied = ast.mapped(node, lambda child: dataclasses.replace(child))
        assert copied == node and (copied is not node or not ast.children(node))


def test_with_children_replaces_in_writing_order_and_keeps_signs() -> None:
    node = parse_expression("a - b + c")
    assert isinstance(node, ast.Add)
    new = ast.with_children(node, (ast.Name("x"), ast.Name("y"), ast.Name("z")))
    assert [(sign, term.name) for sign, term in new.terms] == [(1, "x"), (-1, "y"), (1, "z")]
    with pytest.raises(ValueError):
        ast.with_children(node, (ast.Name("x"),))


def test_walk_visits_outer_before_inner_and_sum_indices() -> None:
    names = [type(n).__name__ for n in ast.walk(parse_expression(r"\sum_{k=1}^{N} x_k"))]
    assert names == ["BigSum", "SumIndex", "Number", "Name", "Scripted", "Name", "Name"]


@pytest.mark.parametrize("latex", DISPLAYS)
def test_repair_paths_lead_to_their_nodes(latex: str) -> None:
    member = parse_expression(latex)
    marker = ast.Name("marker")
    for path, node in nodes(member):
        edited = replaced(member, path, marker)
        assert dict(nodes(edited))[path] is marker
        assert replaced(edited, path, node) == member


def test_a_visitor_dispatches_by_class_and_refuses_two_methods_for_one() -> None:
    class Counter(ast.Visitor[int]):
        @ast.visits(ast.Name, ast.Number)
        def leaf(self, node: ast.Node) -> int:
            return 1

        def unvisited(self, node: ast.Node) -> int:
            return sum(self.visit(child) for child in ast.children(node))

    assert Counter().visit(parse_expression(r"2 x + \frac{a}{b}")) == 4
    with pytest.raises(TypeError, match="two methods"):
        class Twice(ast.Visitor[int]):  # defining the class is the test
            @ast.visits(ast.Name)
            def one(self, node: ast.Node) -> int:
                return 1

            @ast.visits(ast.Name)
            def other(self, node: ast.Node) -> int:
                return 2


def test_the_builder_builds_every_expression_class_and_no_part() -> None:
    parts = {ast.LiteralRow, ast.Entrywise, ast.Partials, ast.SumIndex}  # built by their parents
    assert set(Builder._methods) == set(ast._NODE_CLASSES) - parts


def test_the_displays_above_hold_every_node_class() -> None:
    seen = {type(n) for latex in DISPLAYS for n in ast.walk(parse_expression(latex))}
    assert seen == set(ast._NODE_CLASSES)
