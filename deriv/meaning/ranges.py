"""Index ranges, inferred from where indices are used.

``W_{m,n}`` puts ``m`` in the rows of ``W`` and ``n`` in its columns;
``\\delta_{j,m}`` says ``j`` and ``m`` range alike.  An index used at two
sizes is an error that names both uses.  A summed index is recorded under
its binding's dummy (``_k12``), so two sums over ``k`` have two ranges;
messages show the name the author wrote.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sympy import Expr, Symbol

from deriv.errors import IndexSizeError


def unranged_message(names: list[str]) -> str:
    """What to say of free indices whose range nothing in the member tells, and how to give one."""
    shown = sorted(set(names))
    second = shown[1] if len(shown) > 1 else ("i" if shown[0] == "j" else "j")
    example = f"X_{{{shown[0]},{second}}}"
    if len(shown) == 1:
        return f"cannot tell the range of index {shown[0]}: use it in an entry such as {example}"
    return f"cannot tell the range of indices {', '.join(shown)}: use each in an entry such as {example}"


def range_placeholder(name: str) -> Symbol:
    """Stands for the range of index ``name`` until it is known."""
    return Symbol(f"_range_{name}", integer=True, positive=True)


@dataclass
class IndexUses:
    """Where each index was used, at which size, and which indices are linked."""

    uses: dict[str, list[tuple[Expr, str]]] = field(default_factory=dict)
    links: list[tuple[str, str, str]] = field(default_factory=list)
    mentioned: set[str] = field(default_factory=set)
    #: Each sum dummy's name -> the index name the author wrote.
    display: dict[str, str] = field(default_factory=dict)

    def bind(self, dummy: str, name: str) -> None:
        self.mentioned.add(dummy)
        self.display[dummy] = name

    def shown(self, name: str) -> str:
        return self.display.get(name, name)

    def use(self, name: str, extent: Expr, where: str) -> None:
        self.mentioned.add(name)
        self.uses.setdefault(name, []).append((extent, where))

    def link(self, a: str, b: str, where: str) -> None:
        self.mentioned.update((a, b))
        self.links.append((a, b, where))

    def resolve(self, known: Mapping[str, tuple[Expr, str]]) -> dict[str, Expr]:
        """The range of every mentioned index; raises on a conflict.

        ``known`` holds ranges fixed beforehand (front matter, earlier
        members of the chain), each with a description of where it came from.
        """
        parent: dict[str, str] = {}

        def root(name: str) -> str:
            while parent.get(name, name) != name:
                name = parent[name]
            return name

        for a, b, _ in self.links:
            parent[root(a)] = root(b)
        evidence: dict[str, list[tuple[Expr, str, str]]] = {}
        # Sorted, so a message names the same index in every process (the
        # order of a set of strings follows hashing, which differs per process).
        for name in sorted(self.mentioned | set(known)):
            if name in known:
                extent, where = known[name]
                evidence.setdefault(root(name), []).append((extent, where, name))
            for extent, where in self.uses.get(name, ()):
                evidence.setdefault(root(name), []).append((extent, where, name))
        ranges: dict[str, Expr] = {}
        for group, items in evidence.items():
            first = items[0]
            for other in items[1:]:
                if other[0] != first[0]:
                    this, that = self.shown(other[2]), self.shown(first[2])
                    raise IndexSizeError(
                        f"index {this} is used with size {other[0]} ({other[1]}) "
                        f"but index {that} has size {first[0]} ({first[1]})"
                        if other[2] != first[2]
                        else f"index {that} is used at two sizes: {first[0]} ({first[1]}) "
                        f"and {other[0]} ({other[1]})"
                    )
            for name in self.mentioned | set(known):
                if root(name) == group:
                    ranges[name] = first[0]
        return ranges
