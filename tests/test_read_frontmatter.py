"""YAML front matter: kinds, names, lines, and every way it can be wrong."""

from __future__ import annotations

import pytest

from deriv.errors import FrontMatterError
from deriv.read.frontmatter import (
    Declaration,
    Equation,
    IndexRange,
    front_matter_end,
    parse_front_matter,
)
from deriv.read.kinds import check_name, parse_kind

SPEC_EXAMPLE = """\
title: Linear layer, gradient with respect to W
symbols:
  X: matrix S x M
  W: matrix N x M
  b: vector N
  B: matrix S x N
  g: function              # opaque scalar function of its argument
  h: elementwise function  # applied entry by entry; h' is its derivative
  H: symmetric matrix n x n
  x: vector n
  lambda: scalar           # written \\lambda in the math
indices:                   # optional: ranges are normally inferred from use
  i: S
definitions:
  - B_{i,j} = b_j
  - Y = X W^T + B
  - L = g(Y)
assumptions:               # optional facts the checker may use
  - H x = \\lambda x
"""


def test_spec_example_every_entry_with_its_file_line() -> None:
    # The YAML starts on file line 2 (line 1 is the opening `---`).
    front = parse_front_matter(SPEC_EXAMPLE, first_line=2)
    assert front.title == "Linear layer, gradient with respect to W"
    assert front.symbols == (
        Declaration("X", "matrix", ("S", "M"), 4),
        Declaration("W", "matrix", ("N", "M"), 5),
        Declaration("b", "vector", ("N",), 6),
        Declaration("B", "matrix", ("S", "N"), 7),
        Declaration("g", "function", (), 8),
        Declaration("h", "elementwise", (), 9),
        Declaration("H", "symmetric", ("n", "n"), 10),
        Declaration("x", "vector", ("n",), 11),
        Declaration("lambda", "scalar", (), 12),
    )
    assert front.indices == (IndexRange("i", "S", 14),)
    assert front.definitions == (
        Equation("B_{i,j} = b_j", 16),
        Equation("Y = X W^T + B", 17),
        Equation("L = g(Y)", 18),
    )
    assert front.assumptions == (Equation("H x = \\lambda x", 20),)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("scalar", ("scalar", ())),
        ("  Scalar ", ("scalar", ())),
        ("vector N", ("vector", ("N",))),
        ("VECTOR n_1", ("vector", ("n_1",))),
        ("matrix S x M", ("matrix", ("S", "M"))),
        ("matrix S × M", ("matrix", ("S", "M"))),
        ("matrix S×M", ("matrix", ("S", "M"))),
        ("matrix S X M", ("matrix", ("S", "M"))),
        ("matrix   S   x   M", ("matrix", ("S", "M"))),
        ("matrix S \\times M", ("matrix", ("S", "M"))),
        ("matrix s x S", ("matrix", ("s", "S"))),  # size names keep their case
        ("symmetric matrix n x n", ("symmetric", ("n", "n"))),
        ("symmetric n x n", ("symmetric", ("n", "n"))),
        ("identity n", ("identity", ("n",))),
        ("identity matrix n x n", ("identity", ("n",))),
        ("ones n", ("ones", ("n",))),
        ("ones vector n", ("ones", ("n",))),
        ("vector 2", ("vector", ("2",))),
        ("matrix 2 x 3", ("matrix", ("2", "3"))),
        ("matrix N x 02", ("matrix", ("N", "2"))),
        ("identity 3", ("identity", ("3",))),
        ("function", ("function", ())),
        ("elementwise function", ("elementwise", ())),
        ("Elementwise  Function", ("elementwise", ())),
    ],
)
def test_kinds(text: str, expected: tuple[str, tuple[str, ...]]) -> None:
    assert parse_kind(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tensor 3", "unknown kind 'tensor 3'"),
        ("", "no kind"),
        ("matrix 0 x 4", "a numeric size is a whole number from 1"),
        ("vector 12345", "sizes are names, whole numbers"),
        ("vector 2.5", "sizes are names, whole numbers"),
        ("matrix SxM", "write 'matrix R x C'"),
        ("matrix S", "two sizes"),
        ("matrix S by M", "two sizes"),
        ("vector", "one size"),
        ("vector N M", "one size"),
        ("symmetric matrix n x m", "square"),
        ("scalar N", "unknown kind"),
    ],
)
def test_bad_kinds(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_kind(text)


@pytest.mark.parametrize(
    ("name", "ok"),
    [("X", True), ("b", True), ("lambda", True), ("Sigma", True), ("varepsilon", True),
     # words are names written \mathrm{XW} in the math (XW alone is X times W)
     ("XW", True), ("lamda", True), ("T", True), ("x1", False), ("W_1", True), ("W_", False), ("lr_1", False), ("λ", False),
     ("tr", False), ("ln", False), ("exp_1", False),
     ("exp", True),  # only as an elementwise function (tests/test_meaning_functions_of_arrays.py)
     ("y'", True), ("\\hat{y}", True), ("\\hat{xy}", False), ("\\foo{y}", False)],
)
def test_names(name: str, ok: bool) -> None:
    assert (check_name(name) is None) is ok


def test_yes_no_keys_stay_names_not_booleans() -> None:
    # YAML 1.1 reads bare y / n / on as booleans; the key's text is kept instead.
    front = parse_front_matter("symbols:\n  y: scalar\n  n: vector N\n  Y: matrix N x N\n")
    assert [d.name for d in front.symbols] == ["y", "n", "Y"]
    assert front.symbols[1] == Declaration("n", "vector", ("N",), 4)


def test_backslash_greek_key_is_forgiven() -> None:
    front = parse_front_matter("symbols:\n  \\lambda: scalar\n")
    assert front.symbols == (Declaration("lambda", "scalar", (), 3),)


def test_empty_sections_and_empty_front_matter() -> None:
    assert parse_front_matter("").symbols == ()
    front = parse_front_matter("symbols:\ndefinitions:\nindices:\n")
    assert (front.title, front.symbols, front.indices, front.definitions) == (None, (), (), ())


def test_flow_mapping_and_quoted_latex() -> None:
    text = 'symbols: {X: matrix S x M, b: vector S}\ndefinitions:\n  - "[E]_{i,j} = b_i"\n'
    front = parse_front_matter(text)
    assert [d.line for d in front.symbols] == [2, 2]
    assert front.definitions == (Equation("[E]_{i,j} = b_i", 4),)


def test_block_scalar_equation_starts_on_its_text_line() -> None:
    front = parse_front_matter("definitions:\n  - |\n    Y = X W^T\n      + B\n")
    assert front.definitions == (Equation("Y = X W^T\n  + B\n", 4),)


# (yaml text, message fragment, file line) -- the YAML starts on file line 2.
BAD = [
    ("symbols:\n  X: matrix S x M\n   W: vector S\n", "not valid YAML", 4),
    ("symbols:\n\tX: scalar\n", "not valid YAML", 3),
    ("symbols:\n  X: tensor 3\n", "unknown kind 'tensor 3'", 3),
    ("symbols:\n  X: matrix 3 x 0\n", "a numeric size is a whole number from 1", 3),
    ("symbols:\n  X: scalar\n  b: vector N\n  X: vector N\n", "'X' is declared twice (first at line 3)", 5),
    ("symbols:\n  lambda: scalar\n  \\lambda: scalar\n", "declared twice", 4),
    ("- X: scalar\n", "must be a mapping", 2),
    ("just some text\n", "must be a mapping", 2),
    ("symbols:\n  - X: scalar\n", "'symbols' must be a mapping", 3),
    ("symbols: scalar\n", "'symbols' must be a mapping", 2),
    ("symbols:\n  X: scalar\nauthor: me\n", "unknown front matter key 'author'", 4),
    ("title: a\ntitle: b\n", "appears twice", 3),
    ("symbols:\n  X1: matrix S x M\n", "single letters", 3),
    ("symbols:\n  x1: vector N\n", "single letters", 3),
    ("symbols:\n  X:\n", "'X' has no kind", 3),
    ("symbols:\n  X: {kind: matrix}\n", "single line of text", 3),
    ("symbols:\n  N: scalar\n  X: matrix N x M\n", "size name 'N' of 'X' is also declared", 4),
    ("symbols:\n  y: scalar\n  x: vector y\n", "size name 'y'", 4),
    ("symbols:\n  X: scalar\nindices:\n  X: S\n", "index 'X' is also declared as a symbol", 5),
    ("indices:\n  i: 3\n", "sizes are names", 3),
    ("indices:\n  ij: S\n", "usable index name", 3),
    ("definitions:\n  - Y = X\n  - 3\n", "must be an equation written as text, got 3", 4),
    ("definitions:\n  - a: b\n", "must be an equation written as text", 3),
    ("definitions:\n  -\n", "got nothing", 3),
    ("definitions: Y = X\n", "must be a list of equations", 2),
    ("assumptions:\n  - [E]_{i,j} = 0\n", "quotes", 3),
    ("title: [a, b]\n", "title must be a single line", 2),
    ("symbols:\n  X: " + "[" * 5000, "nested too deeply", 3),
    ("x: 1\n" + "[" * 900 + "]" * 900, "nested too deeply", 3),
]


@pytest.mark.parametrize(("text", "message", "line"), BAD)
def test_bad_front_matter(text: str, message: str, line: int) -> None:
    with pytest.raises(FrontMatterError) as info:
        parse_front_matter(text, first_line=2, path="notes.md")
    assert message in info.value.message
    assert (info.value.path, info.value.line) == ("notes.md", line)


def test_yaml_error_has_a_column() -> None:
    with pytest.raises(FrontMatterError) as info:
        parse_front_matter("symbols:\n  X: scalar\n   W: scalar\n", first_line=2)
    assert info.value.column is not None and info.value.column > 1


@pytest.mark.parametrize(
    ("lines", "end"),
    [
        (["---", "title: a", "---", "text"], 2),
        (["---  ", "title: a", "...", "text"], 2),
        (["---", "---"], 1),
        (["title: a", "---"], None),
        (["", "---", "title: a", "---"], None),
        ([], None),
    ],
)
def test_front_matter_end(lines: list[str], end: int | None) -> None:
    assert front_matter_end(lines) == end


def test_unclosed_front_matter_is_an_error_at_line_1() -> None:
    with pytest.raises(FrontMatterError, match="never closed") as info:
        front_matter_end(["---", "symbols:", "  X: scalar", "", "$$X = X$$"], "n.md")
    assert info.value.line == 1
