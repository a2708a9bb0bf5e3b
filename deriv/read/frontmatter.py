"""The YAML front matter of a derivation document: what every name means.

In: the YAML text between the ``---`` lines.  Out: a :class:`FrontMatter` of
declarations (kinds parsed by :mod:`deriv.read.kinds`), index ranges and
equations as LaTeX text; the LaTeX is parsed by later stages.

The YAML is read with ``yaml.compose(..., Loader=yaml.SafeLoader)`` and never
constructed into Python objects: nodes keep their file positions, so every
declaration and every error has a line, and keys keep the text the author
wrote (YAML 1.1 would turn the symbol names ``y:`` and ``n:`` into booleans).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from deriv.errors import FrontMatterError
from deriv.names import FUNCTION_KINDS, FUNCTION_WORDS, GREEK, MATRIX_BUILTINS, SLICE_KINDS, Family, Kind
from deriv.read.front_keys import deriv_entries, key_text
from deriv.read.macros import DEFINERS, Macro, MacroError, MacroTable, read_definition
from deriv.read.kinds import KIND_HELP, SIZE_NAME, check_name, glued_sizes, declared_name, parse_positive_kind, size_names, split_family

KEYS = ("title", "symbols", "indices", "definitions", "assumptions", "macros")

_STR_TAG = "tag:yaml.org,2002:str"
_NULL_TAG = "tag:yaml.org,2002:null"
_DELIMITER = re.compile(r"(---|\.\.\.)[ \t]*\Z")


@dataclass(frozen=True)
class Declaration:
    """One entry of ``symbols``.

    ``W: matrix N x M`` is ``Declaration('W', Kind.MATRIX, ('N', 'M'), line)``.
    ``y: rows of Y`` is ``Declaration('y', Kind.ROWS, (), line, of='Y')``:
    ``y_i`` is row ``i`` of ``Y`` as a column vector (``columns`` alike).
    """

    name: str
    kind: Kind
    sizes: tuple[str, ...]
    line: int
    of: str | None = None
    #: Declared ``positive`` (every entry > 0): the only source of positivity.
    positive: bool = False
    #: ``h: vector H, for t in 0..T``: kept as a matrix (T+1) x H.
    family: Family | None = None


@dataclass(frozen=True)
class IndexRange:
    """One entry of ``indices``: index ``name`` runs over ``1..size``."""

    name: str
    size: str
    line: int


@dataclass(frozen=True)
class Equation:
    """One entry of ``definitions`` or ``assumptions``, LaTeX as written."""

    latex: str
    line: int


@dataclass(frozen=True)
class FrontMatter:
    """Everything the front matter declares, in the order written."""

    title: str | None
    symbols: tuple[Declaration, ...]
    indices: tuple[IndexRange, ...]
    definitions: tuple[Equation, ...]
    assumptions: tuple[Equation, ...]
    #: ``macros:``, each ``\\newcommand``/``\\DeclareMathOperator`` read.
    macros: tuple[Macro, ...] = ()


def front_matter_end(lines: list[str], path: str | None = None) -> int | None:
    """Index of the line closing the front matter, or None if there is none.

    Front matter starts only on the very first line (``---``) and ends at the
    next ``---`` or ``...`` line; an opening without an end is an error,
    because every name in the document would otherwise be unknown.
    """
    if not lines or lines[0].rstrip() != "---":
        return None
    for i in range(1, len(lines)):
        if _DELIMITER.match(lines[i]):
            return i
    raise FrontMatterError(
        "front matter opened with '---' is never closed (expected a '---' line after it)",
        path=path,
        line=1,
    )


def parse_front_matter(source: str, first_line: int = 2, path: str | None = None) -> FrontMatter:
    """Read YAML ``source`` whose first line is file line ``first_line``."""
    root = _compose(source, first_line, path)
    err = _Errors(first_line, path)
    if root is None or (isinstance(root, yaml.ScalarNode) and root.tag == _NULL_TAG):
        return FrontMatter(None, (), (), (), ())
    if not isinstance(root, yaml.MappingNode):
        raise err("front matter must be a mapping of keys (title, symbols, ...)", root)
    sections: dict[str, yaml.Node] = {}
    for key, value in deriv_entries(root.value, KEYS, err, path):
        name = _key_text(key)
        if name not in KEYS:
            raise err(f"unknown front matter key '{name}' (allowed: {', '.join(KEYS)})", key)
        if name in sections:
            raise err(f"front matter key '{name}' appears twice", key)
        sections[name] = value
    title = _title(sections.get("title"), err)
    symbols = _symbols(sections.get("symbols"), err)
    taken = {d.name: d for d in symbols}
    indices = _indices(sections.get("indices"), taken, err)
    definitions = _equations(sections.get("definitions"), "definitions", err)
    assumptions = _equations(sections.get("assumptions"), "assumptions", err)
    macros = _macros(_equations(sections.get("macros"), "macros", err), err)
    return FrontMatter(title, symbols, indices, definitions, assumptions, macros)


def _macros(entries: tuple[Equation, ...], err: _Errors) -> tuple[Macro, ...]:
    """Each entry of ``macros:`` holds one or more definitions, nothing else."""
    table = MacroTable()
    for entry in entries:
        text, i = entry.latex, 0
        try:
            while (i := _skip_blank(text, i)) < len(text):
                if DEFINERS.match(text, i) is None:
                    raise MacroError("expected \\newcommand, \\renewcommand or \\DeclareMathOperator", i)
                macro, i = read_definition(text, i, entry.line)
                table.add(macro)
        except MacroError as error:
            raise FrontMatterError(f"macros: {error.message}", path=err.path, line=entry.line) from None
    return tuple(table.order)


def _skip_blank(text: str, i: int) -> int:
    while i < len(text) and text[i].isspace():
        i += 1
    return i


# --- helpers -------------------------------------------------------------------


class _Errors:
    """Builds FrontMatterErrors located at a YAML node's file line."""

    def __init__(self, first_line: int, path: str | None) -> None:
        self.first_line = first_line
        self.path = path

    def line(self, node: yaml.Node) -> int:
        return node.start_mark.line + self.first_line

    def __call__(self, message: str, node: yaml.Node) -> FrontMatterError:
        return FrontMatterError(
            message, path=self.path, line=self.line(node), column=node.start_mark.column + 1
        )


def _compose(source: str, first_line: int, path: str | None) -> yaml.Node | None:
    """Compose the YAML, turning every YAML failure into a located FrontMatterError."""
    deep = _too_deep(source)
    if deep is not None:
        # PyYAML's scanner slows down quadratically with open `[` / `{`; stop early.
        raise FrontMatterError("front matter is nested too deeply", path=path,
                               line=source.count("\n", 0, deep) + first_line)
    try:
        return yaml.compose(source, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark else first_line - 1
        column = mark.column + 1 if mark else None
        problem = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        bad = source.split("\n")[mark.line] if mark and mark.line < source.count("\n") + 1 else ""
        hint = ""
        if any(c in bad for c in "\\{}[]:"):
            hint = " (LaTeX in YAML often needs quotes: - \"[E]_{i,j} = x\")"
        raise FrontMatterError(
            f"front matter is not valid YAML: {problem}{hint}", path=path, line=line, column=column
        ) from None
    except yaml.YAMLError as exc:
        raise FrontMatterError(f"front matter is not valid YAML: {exc}", path=path, line=1) from None
    except RecursionError:
        raise FrontMatterError("front matter is nested too deeply", path=path, line=1) from None


def _too_deep(source: str, limit: int = 64) -> int | None:
    """Offset where ``[``/``{`` nesting first exceeds ``limit``, if it does."""
    depth = 0
    for m in re.finditer(r"[\[\]{}]", source):
        depth = depth + 1 if m.group() in "[{" else max(depth - 1, 0)
        if depth > limit:
            return m.start()
    return None


_key_text = key_text


def _scalar_text(node: yaml.Node, what: str, err: _Errors) -> str:
    """The text of a scalar value, or an error naming ``what`` it should be."""
    if not isinstance(node, yaml.ScalarNode):
        raise err(f"{what} must be a single line of text, not a {getattr(node, 'id', 'value')}", node)
    return node.value


def _mapping(node: yaml.Node | None, section: str, err: _Errors) -> list[tuple[yaml.Node, yaml.Node]]:
    """Entries of a mapping section; an empty section has none."""
    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG):
        return []
    if not isinstance(node, yaml.MappingNode):
        raise err(f"'{section}' must be a mapping of name: value lines", node)
    return node.value


def _title(node: yaml.Node | None, err: _Errors) -> str | None:
    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG):
        return None
    return _scalar_text(node, "title", err).strip() or None


def _symbols(node: yaml.Node | None, err: _Errors) -> tuple[Declaration, ...]:
    """Declarations, each name checked; size names must not clash with symbols."""
    declarations: list[Declaration] = []
    seen: dict[str, int] = {}
    for key, value in _mapping(node, "symbols", err):
        # A leading backslash is forgiven: `\lambda: scalar` means `lambda`;
        # `\hat y` is spelled `\hat{y}`, as the math spells it.
        name = declared_name(_key_text(key))
        why = check_name(name)
        if why:
            raise err(why, key)
        if name in seen:
            raise err(f"'{name}' is declared twice (first at line {seen[name]})", key)
        seen[name] = err.line(key)
        if isinstance(value, yaml.ScalarNode) and value.tag == _NULL_TAG:
            raise err(f"'{name}' has no kind (expected one of: {KIND_HELP})", key)
        try:
            kind_text, family = split_family(_scalar_text(value, f"the kind of '{name}'", err))
            kind, sizes, positive = parse_positive_kind(kind_text)
        except ValueError as exc:
            raise err(f"'{name}': {exc}", value) from None
        if name in FUNCTION_WORDS and kind not in FUNCTION_KINDS:
            raise err(f"'{name}' names a function: declare it as one (e.g. '{name}: {'logistic' if name == 'sigmoid' else name}')", key)
        if name in MATRIX_BUILTINS and kind != Kind.ELEMENTWISE:
            raise err(f"'{name}' is the builtin \\{name}: it may only be declared 'elementwise function' (entry by entry, of a square matrix too)", key)
        if kind == Kind.COUNT:
            declarations.append(_count(name, err, key))
        elif kind in SLICE_KINDS:
            declarations.append(Declaration(name, kind, (), err.line(key), of=sizes[0]))
        else:
            declarations.append(Declaration(name, kind, sizes, err.line(key), positive=positive, family=family))
    check_sizes(tuple(declarations), err.path)
    return tuple(declarations)


def _count(name: str, err: _Errors, key: yaml.Node) -> Declaration:
    """``k: positive integer``: a size named ``k`` (docs/format.md), which math writes as a letter."""
    if not (SIZE_NAME.match(name) and (len(name) == 1 or name in GREEK)):
        raise err(f"'{name}': a positive integer is read as a size, so its name is a letter or a Greek "
                  "letter (k, n, K, \\kappa), without a script", key)
    return Declaration(name, Kind.COUNT, (name,), err.line(key))


def check_sizes(declarations: tuple[Declaration, ...], path: str | None) -> None:
    """No size is also a symbol, no size reads as a product of others (``NQ``), and no ``f'``
    is declared beside a function ``f``."""
    seen = {d.name: d for d in declarations}
    sizes = {n for d in declarations for extent in d.sizes for n in size_names(extent)}
    for d in declarations:
        problem = next(filter(None, (glued_sizes(n, sizes) for e in d.sizes for n in size_names(e))), None)
        if problem:
            raise FrontMatterError(f"'{d.name}': {problem}", path=path, line=d.line)
    for d in declarations:
        base = d.name.rstrip("'")
        if base != d.name and base in seen and seen[base].kind in FUNCTION_KINDS:
            raise FrontMatterError(
                f"'{d.name}' can not be declared: {base} is a declared function, so {d.name} is its derivative",
                path=path, line=d.line,
            )
        for size in (n for extent in d.sizes for n in size_names(extent)):
            if size in seen and seen[size].kind != Kind.COUNT:  # k: positive integer is a size
                raise FrontMatterError(
                    f"size name '{size}' of '{d.name}' is also declared as a symbol "
                    f"(line {seen[size].line}); use another name for the size",
                    path=path,
                    line=d.line,
                )


def _indices(
    node: yaml.Node | None, symbols: dict[str, Declaration], err: _Errors
) -> tuple[IndexRange, ...]:
    """Declared index ranges; an index can not share a name with a symbol."""
    ranges: list[IndexRange] = []
    seen: set[str] = set()
    for key, value in _mapping(node, "indices", err):
        name = _key_text(key).strip().removeprefix("\\")
        if check_name(name) or name.rstrip("'") != name or "{" in name or len(name) > 1 and name not in GREEK:
            raise err(f"'{name}' is not a usable index name: indices are single letters (i, k) "
                      "or Greek letter names (alpha)", key)
        if name in seen:
            raise err(f"index '{name}' is declared twice", key)
        if name in symbols:
            raise err(f"index '{name}' is also declared as a symbol (line {symbols[name].line})", key)
        seen.add(name)
        size = _scalar_text(value, f"the range of index '{name}'", err).strip()
        if not SIZE_NAME.match(size):
            raise err(f"index '{name}': sizes are names, not numbers (write e.g. 'i: S', got '{size}')", value)
        if size in symbols:
            raise err(f"index '{name}': size '{size}' is declared as a symbol", value)
        ranges.append(IndexRange(name, size, err.line(key)))
    return tuple(ranges)


def _equations(node: yaml.Node | None, section: str, err: _Errors) -> tuple[Equation, ...]:
    """A list of LaTeX strings, each at the line where its text starts."""
    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG):
        return ()
    if not isinstance(node, yaml.SequenceNode):
        raise err(f"'{section}' must be a list of equations, one '- ...' line each", node)
    equations = []
    for item in node.value:
        if not isinstance(item, yaml.ScalarNode) or item.tag != _STR_TAG:
            shown = item.value if isinstance(item, yaml.ScalarNode) else f"a {item.id}"
            raise err(
                f"entry of '{section}' must be an equation written as text, got {shown or 'nothing'}"
                " (quote it if it contains ': ')",
                item,
            )
        # Block scalars (`- |`) start their text on the next line.
        line = err.line(item) + (1 if item.style in ("|", ">") else 0)
        equations.append(Equation(item.value, line))
    return tuple(equations)
