"""Whether a frozen result made from data has, in every field, the type that field declares.

In: a dataclass instance (a :class:`~deriv.results.FileResult` read back from
a cache entry, and everything in it).  Out: True or False.  A dataclass does
not check its fields' types, so an entry that says ``"line": "7"`` or
``"lhs": [1]`` would make a result every renderer trips over; the cache
(:mod:`deriv.cache`) treats such an entry as a miss.  The declared types are
read from the fields' annotations (``str | None``, ``tuple[Suggestion, ...]``,
``tuple[tuple[str, int], ...]``), so a field added later is checked too.
"""

from __future__ import annotations

import enum
import sys
from dataclasses import fields, is_dataclass
from typing import Any

#: Plain annotations and what a value of each must be exactly (``bool`` is no ``int``).
_PLAIN: dict[str, tuple[type, ...]] = {"int": (int,), "str": (str,), "bool": (bool,), "float": (int, float)}


def well_typed(value: Any) -> bool:
    """Every field of the dataclass ``value`` (recursively) holds what its annotation says."""
    return all(_holds(getattr(value, f.name), str(f.type), type(value)) for f in fields(value))


def _holds(value: Any, annotation: str, owner: type) -> bool:
    return any(_one(value, option, owner) for option in top_level(annotation, "|"))


def _one(value: Any, annotation: str, owner: type) -> bool:
    if annotation == "None":
        return value is None
    if annotation in _PLAIN:
        return type(value) in _PLAIN[annotation]
    if annotation.startswith("tuple[") and annotation.endswith("]"):
        return type(value) is tuple and _items(value, top_level(annotation[6:-1], ","), owner)
    named = vars(sys.modules[owner.__module__]).get(annotation)  # the names the owner's annotations use
    if isinstance(named, type) and issubclass(named, enum.Enum):
        return isinstance(value, named)
    return isinstance(named, type) and type(value) is named and is_dataclass(value) and well_typed(value)


def _items(value: tuple, parts: list[str], owner: type) -> bool:
    if len(parts) == 2 and parts[1] == "...":
        return all(_holds(item, parts[0], owner) for item in value)
    return len(value) == len(parts) and all(_holds(item, part, owner) for item, part in zip(value, parts))


def top_level(annotation: str, separator: str) -> list[str]:
    """``annotation`` split at ``separator`` outside brackets, each part stripped."""
    parts, depth, start = [], 0, 0
    for i, c in enumerate(annotation):
        depth += (c == "[") - (c == "]")
        if c == separator and depth == 0:
            parts.append(annotation[start:i].strip())
            start = i + 1
    return [*parts, annotation[start:].strip()]
