"""Declarations given beside a document, not in it: batch items and ``--symbols``.

In: a mapping like a front matter's (``symbols``, ``indices``,
``definitions``, ``assumptions``) as Python data.  Out: a
:class:`~deriv.read.frontmatter.FrontMatter`, and that front matter merged
with the document's own.

Generated text (a language model's answer) has no front matter; its
declarations come as data.  They are never spliced into the text: the
mapping is serialised with PyYAML's safe dumper and read back by the front
matter's own reader, so every rule (names, kinds, sizes) holds the same,
and the document's text is read as it is.  Declarations given this way
have line 0: they are on no line of the document.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import yaml

from deriv.errors import FrontMatterError
from deriv.read.frontmatter import Declaration, FrontMatter, IndexRange, check_sizes, parse_front_matter

#: The sections declarations may be given in (a title and macros belong to the text).
GIVEN_KEYS = ("symbols", "indices", "definitions", "assumptions")


def given_front(declarations: Mapping[str, object], where: str = "the given declarations") -> FrontMatter:
    """The front matter ``declarations`` would be if written at the top of a document."""
    if not isinstance(declarations, Mapping):
        raise FrontMatterError(f"{where} must be a mapping of sections ({', '.join(GIVEN_KEYS)}), "
                               f"not {type(declarations).__name__}")
    # The caller's objects are never turned into text (their __str__ or __repr__ could do anything): named by type.
    unknown = [k if isinstance(k, str) else f"a {type(k).__name__}" for k in declarations if k not in GIVEN_KEYS]
    if unknown:
        raise FrontMatterError(f"{where}: unknown section '{unknown[0]}' (allowed: {', '.join(GIVEN_KEYS)})")
    try:
        source = yaml.safe_dump(dict(declarations), allow_unicode=True, sort_keys=False)
    except yaml.YAMLError as error:  # a value YAML can not represent (an object, a set)
        kind = type(error.args[1]).__name__ if len(error.args) > 1 else "value"
        raise FrontMatterError(f"{where} are not plain data: a {kind} is no text, number, list or mapping") from None
    try:
        front = parse_front_matter(source, 1, where)
    except FrontMatterError as error:
        raise FrontMatterError(f"{where}: {error.message}") from None
    return _on_no_line(front)


def given_file(text: str, path: str) -> FrontMatter:
    """Declarations from a YAML file written as a front matter is (``--symbols FILE``)."""
    front = parse_front_matter(text, 1, path)
    extra = "title" if front.title else "macros" if front.macros else None
    if extra:
        raise FrontMatterError(f"{path}: '{extra}' belongs in a document, not beside it "
                               f"(allowed: {', '.join(GIVEN_KEYS)})", path=path)
    return _on_no_line(front)


def overridden(shared: FrontMatter | None, own: FrontMatter | None) -> FrontMatter | None:
    """An item's declarations over those shared by all items: an item's symbol replaces a
    shared one of the same name (it is the more specific); equations add up."""
    if shared is None or own is None:
        return own or shared
    names = {d.name for d in own.symbols}
    check_sizes(tuple(d for d in shared.symbols if d.name not in names) + own.symbols, "the declarations")
    return replace(own, symbols=tuple(d for d in shared.symbols if d.name not in names) + own.symbols,
                   indices=tuple(r for r in shared.indices if r.name not in {i.name for i in own.indices})
                   + own.indices,
                   definitions=shared.definitions + own.definitions,
                   assumptions=shared.assumptions + own.assumptions)


def _on_no_line(front: FrontMatter) -> FrontMatter:
    return replace(front, symbols=tuple(replace(d, line=0) for d in front.symbols),
                   indices=tuple(replace(r, line=0) for r in front.indices),
                   definitions=tuple(replace(e, line=0) for e in front.definitions),
                   assumptions=tuple(replace(e, line=0) for e in front.assumptions))


def merged(given: FrontMatter | None, own: FrontMatter | None, path: str) -> FrontMatter | None:
    """The document's own front matter with the given declarations added.

    A name both declare must be declared alike: two different meanings of
    one name are an error, never one silently chosen.  Given equations come
    first (the text's may use what they define).
    """
    if given is None:
        return own
    if own is None:
        return given
    symbols = _union(given.symbols, own.symbols, path, _declaration_text)
    indices = _union(given.indices, own.indices, path, lambda r: f"'index over 1..{r.size}'")
    check_sizes(symbols, path)
    return replace(own, symbols=symbols, indices=indices,
                   definitions=_new(given.definitions, own.definitions) + own.definitions,
                   assumptions=_new(given.assumptions, own.assumptions) + own.assumptions)


def _union(given: Sequence, own: Sequence, path: str, describe) -> tuple:
    mine = {item.name: item for item in own}
    kept = []
    for item in given:
        other = mine.get(item.name)
        if other is None:
            kept.append(item)
        elif replace(other, line=0) != item:
            raise FrontMatterError(f"'{item.name}' is declared as {describe(item)} beside the document and as "
                                   f"{describe(other)} in it: one name, one meaning", path=path, line=other.line)
    return tuple(kept) + tuple(own)


def _new(given: Sequence, own: Sequence) -> tuple:
    """Given equations the document does not already state, word for word."""
    written = {e.latex.strip() for e in own}
    return tuple(e for e in given if e.latex.strip() not in written)


def _declaration_text(declaration: Declaration) -> str:
    parts = ["positive" if declaration.positive else "", str(declaration.kind), " x ".join(declaration.sizes),
             f"of {declaration.of}" if declaration.of else "",
             f"for {declaration.family.index} in {declaration.family.first}..{declaration.family.last}"
             if declaration.family else ""]
    return "'" + " ".join(p for p in parts if p) + "'"


__all__ = ["GIVEN_KEYS", "IndexRange", "given_file", "given_front", "merged", "overridden"]
