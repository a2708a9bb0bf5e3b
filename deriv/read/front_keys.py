"""Which front matter entries are deriv's: top level, or nested under ``deriv:``.

Quarto, MyST and Jupyter keep their own keys in the same YAML block
(``format:``, ``jupyter:``, ``kernelspec:``).  deriv's declarations sit at the
top level (as in a plain Markdown derivation) or under one ``deriv:`` key;
with ``deriv:``, every other top-level key but ``title`` belongs to another
tool and is not read.  Without it, a Markdown file's unknown key is an error
(a misspelled ``symbol:`` must never pass unread) unless it is one of the
tools' keys below; a Quarto file (``.qmd``) carries many more keys
(``author:``, ``date:``, ``toc:``), so there only a key close to one of
deriv's is an error.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import yaml

#: Top-level keys of Quarto, MyST, Jupyter (jupytext) and R Markdown documents, never deriv's.
TOOL_KEYS = frozenset({"format", "jupyter", "jupytext", "kernelspec", "execute", "engine", "knitr",
                       "myst", "exports", "bibliography", "editor", "deriv"})
NESTED = "deriv"

Entry = tuple[yaml.Node, yaml.Node]
Error = Callable[[str, yaml.Node], Exception]


def key_text(node: yaml.Node) -> str:
    """The key as written (``y``, ``n``, ``on`` stay text, never booleans)."""
    return node.value if isinstance(node, yaml.ScalarNode) else f"<{getattr(node, 'id', 'node')}>"


def deriv_entries(entries: list[Entry], known: Iterable[str], err: Error, path: str | None) -> list[Entry]:
    """The entries holding deriv's declarations, from a front matter's top-level ``entries``."""
    known = frozenset(known)
    nested = [(k, v) for k, v in entries if key_text(k) == NESTED]
    if not nested:
        foreign = (path or "").lower().endswith(".qmd")
        return [(k, v) for k, v in entries if key_text(k) not in TOOL_KEYS
                and not (foreign and key_text(k) not in known and not near_miss(key_text(k), known))]
    if len(nested) > 1:
        raise err(f"front matter key '{NESTED}' appears twice", nested[1][0])
    key, value = nested[0]
    for other, _ in entries:
        if key_text(other) in known - {"title"}:
            raise err(f"'{key_text(other)}' at the top level beside a '{NESTED}:' key: write every "
                      f"declaration under '{NESTED}:'", other)
    if isinstance(value, yaml.ScalarNode) and value.tag.endswith(":null"):
        inner: list[Entry] = []
    elif isinstance(value, yaml.MappingNode):
        inner = list(value.value)
    else:
        raise err(f"'{NESTED}' must be a mapping of deriv's keys (symbols:, indices:, ...)", value)
    titled = any(key_text(k) == "title" for k, _ in inner)
    return inner + [(k, v) for k, v in entries if key_text(k) == "title" and not titled]


def near_miss(key: str, keys: Iterable[str]) -> bool:
    """``symbol``, ``Symbols``, ``assumption``, ``defintions``: one of ``keys`` misspelled."""
    folded = re.sub(r"[^a-z]", "", key.lower())
    return any(folded.startswith(k[:5]) or _distance(folded, k) <= 2 for k in keys)


def _distance(a: str, b: str) -> int:
    """Levenshtein distance (short keys only)."""
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1]
