r"""Which chain of a generated text its final answer concludes: the last that starts from a quantity to find.

In: each chain's first member as it starts (its LaTeX) and the names the
problem or the text defines.  Out: the chain state a final answer continues
(docs/library.md, "Generated derivations in bulk").

A final answer was checked against the chain just before it, so a text could
derive ``(A + A^T) x``, then write a true chain of its own ending in its
wrong answer (``$$ 2Ax = Ax + Ax $$``, or ``$$ Ax + Ax = 2Ax $$``) and answer
``2Ax``: every step true, the answer contradicting the work, reward 1.0.  A
chain that starts from a closed form -- an expression of the given names only,
no derivative, limit or integral, no defined name -- finds nothing: it rewrites
a result or states an identity (its steps are checked all the same).  The
answer concludes the last chain that starts from a quantity to find
(``\frac{\partial f}{\partial x}``, ``\nabla_x L``, ``Y_{i,j}`` for a defined
``Y``); in a text with no such chain (algebra alone), the last chain.  An
answer that contradicts that chain but agrees with the closed-form one after
it is undecided: a text may assemble its result in closed form, and which chain
the answer concludes is then not known.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from deriv.check.chain_state import ChainState
from deriv.results import WRONG, StepResult, Verdict

#: What makes a member a quantity still to be found: a derivative, a differential, a limit, an integral.
_TO_FIND = re.compile(r"\\(?:partial|nabla|lim|int|iint|oint|mathrm\s*\{\s*d\s*\}|operatorname\s*\{\s*d\s*\}|"
                      r"mathrm\s*\{\s*D\s*\}|operatorname\s*\{\s*(?:grad|Hess|D|J)\s*\})(?![A-Za-z])|"
                      r"\\(?:d|t)?frac\s*\{\s*d|\bd\s*/\s*d|\\mathbf\s*\{\s*J\s*\}")
_NAME = re.compile(r"\\[A-Za-z]+|[A-Za-z]")


def defined_names(definitions: Iterable[str]) -> frozenset[str]:
    """The name each definition's left side gives a value (``Y`` of ``Y_{i,j} = ...``, ``\\ell`` of ``\\ell = ...``)."""
    names = set()
    for latex in definitions:
        left = latex.split("=", 1)[0]
        found = _NAME.search(left.replace("\\hat", "").replace("\\bar", "").replace("\\tilde", ""))
        if found is not None and "=" in latex:
            names.add(found.group())
    return frozenset(names)


def to_find(source: str, defined: frozenset[str]) -> bool:
    """Whether a chain's first member is a quantity to find, not a closed form of the given names."""
    return _TO_FIND.search(source) is not None or any(name in defined for name in _NAME.findall(source))


@dataclass
class Conclusion:
    """The chains a generated text started from a quantity to find (their states, which the checker
    goes on updating as they grow), and the last chain started, with whether it is one."""

    defined: frozenset[str]
    chain: ChainState | None = None
    latest: ChainState | None = None
    latest_finds: bool = False
    found: list[tuple[str, ChainState]] = field(default_factory=list)
    busy: bool = False  # an answer is being checked: no second look
    #: Chains that are a definition only (``$$ g = 2Ax $$``), each with the value it ends in while nothing follows.
    definitions: list[tuple[ChainState, object]] = field(default_factory=list)

    def started(self, state: ChainState, source: str) -> None:
        """A chain starts from ``source`` (its first member) with ``state``."""
        self.latest, self.latest_finds = state, to_find(source, self.defined)
        if self.latest_finds:
            self.chain = state
            self.found.append(("".join(source.split()), state))

    def answered(self, state: ChainState) -> ChainState:
        """The chain a final answer continues, when ``state`` is the text's current chain: the last
        chain to find a quantity, when the current one started from a closed form."""
        if state is not self.latest or self.latest_finds or self.chain is None or self.chain.last is None:
            return state
        return self.chain

    def definition_only(self, state: ChainState) -> None:
        """``state``'s chain is a definition only: it derives nothing (yet)."""
        self.definitions.append((state, state.last))

    def bare(self, state: ChainState) -> bool:
        """Whether ``state``'s chain is still a definition only: an answer it ends restates a value the
        text gave, derived from nothing (``$$ g = 2Ax $$`` then ``$\\boxed{2Ax}$``)."""
        return any(chain is state and chain.last is value for chain, value in self.definitions)

    def several(self, state: ChainState) -> bool:
        """Whether another chain found another quantity of the same shape as ``state``'s: an answer
        may combine them (``\\nabla(b^T x) = b`` and ``\\nabla(x^T A x) = (A + A^T) x``, then ``(A + A^T) x + b``)."""
        start = next((source for source, chain in self.found if chain is state), None)
        return start is not None and any(
            source != start and chain.matrix_shape == state.matrix_shape and len(chain.free or ()) == len(state.free or ())
            for source, chain in self.found if chain is not state and not self.bare(chain))


#: The verdicts of a step that holds.
AGREES = frozenset({Verdict.PROVED, Verdict.TESTED})


def ambiguous(result: StepResult) -> StepResult:
    """An answer's step against the chain that found the quantity, where the answer agrees with a
    closed-form chain after it: a contradiction becomes undecided (never a pass)."""
    if result.verdict not in WRONG:
        return result
    return replace(result, verdict=Verdict.UNDECIDED, method="none", counterexample=None, suggestion=(),
                   message=f"the answer is not what the chain that found the quantity ends with ({result.message}), "
                           f"but it may conclude another: a closed-form chain after it that it agrees with, or "
                           f"another quantity of the text it may combine -- which, is not known")


def underived(result: StepResult) -> StepResult:
    """An answer's step against a value the text only gave a name: agreeing proves nothing derived, so
    undecided (a contradiction stays one)."""
    if result.verdict not in AGREES:
        return result
    return replace(result, verdict=Verdict.UNDECIDED, method="none", counterexample=None, suggestion=(),
                   message="the answer restates the value the text gave a name, and no step derives it: "
                           "nothing the answer concludes was checked")


__all__ = ["AGREES", "Conclusion", "ambiguous", "defined_names", "to_find", "underived"]
