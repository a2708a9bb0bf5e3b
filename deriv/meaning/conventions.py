"""The functions every ML text uses, known by name without a declaration.

``\\operatorname{softmax}``, ``\\mathrm{relu}`` (``\\text{ReLU}``),
``\\operatorname{softplus}``, ``\\mathrm{sigmoid}``, ``\\mathrm{logistic}``
and ``\\sigma`` mean what the declarations by kind (``sigma: logistic``,
:mod:`deriv.meaning.known`) mean, when the document does not declare them.
A declaration always wins.

``\\sigma`` is also the usual name of a standard deviation (or a singular
value), so it is the logistic function only where the document gives no
other meaning to it: not declared, not defined, not a size or an index, no
declared or defined name written with it (``\\sigma^2``, ``\\sigma_j``), and
never written in the document's math (its displays, directives, macros,
definitions and assumptions; not its prose, which may well say "where
$\\sigma$ is the logistic function", except a relation there, ``$\\sigma = 2$``,
or ``$\\sigma$`` called a deviation or scale: :mod:`deriv.read.prose`) other than applied: ``\\sigma(z)``,
``\\sigma\\left(z\\right)``, ``\\sigma'(z)``.  Otherwise ``\\sigma(z)`` stays an
error (``unknown name sigma``), never a product or the logistic function
by a guess.  Where it is the logistic function, a plain ``\\sigma`` is an
error that says so.

In: a :class:`~deriv.context.Context` with the front matter's declarations,
the names its definitions define and the document's math.  Out: the
conventional functions to add to it, each a :class:`~deriv.context.Declared`
marked ``conventional``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from deriv.context import ONE, Context, Declared
from deriv.names import GREEK, Kind, split_scripted

#: Name -> the kind it is conventionally (``softmax`` of a matrix still needs
#: a declaration saying which way it normalises).
CONVENTIONAL: dict[str, Kind] = {
    "softmax": Kind.SOFTMAX,
    "softplus": Kind.SOFTPLUS,
    "relu": Kind.RELU,
    "sigmoid": Kind.LOGISTIC,
    "logistic": Kind.LOGISTIC,
    "sigma": Kind.LOGISTIC,
}


#: ``\\sigma`` as a command (not ``\\sigmax``), and what may stand between it and its argument.
_SIGMA = re.compile(r"\\sigma(?![A-Za-z])")
_BETWEEN = re.compile(r"(?:\s|\\[,;:! ]|\\(?:left|[bB]igg?l?)(?![A-Za-z]))*")
_APPLIED = ("(", "'", "^{\\prime", "^\\prime")


def conventional_functions(context: Context, defined: Iterable[str], math: Iterable[str] = ()) -> dict[str, Declared]:
    """The conventional functions a document with ``context`` (the
    definitions of ``defined``, and ``math`` written) leaves free to mean what they usually do."""
    taken = set(context.declared) | set(defined) | set(context.index_ranges)
    taken |= {s.name for s in context.sizes}
    if written_plain(math):
        taken.add("sigma")
    bases = {_base(name) for name in taken}
    return {
        name: Declared(name, kind, (ONE, ONE), conventional=True)
        for name, kind in CONVENTIONAL.items()
        if name not in taken and name not in bases
    }


def written_plain(math: Iterable[str]) -> bool:
    """Whether some of ``math`` writes ``\\sigma`` other than applied to an argument."""
    for text in math:
        for found in _SIGMA.finditer(text):
            after = _BETWEEN.match(text, found.end())
            if not text.startswith(_APPLIED, after.end() if after else found.end()):
                return True
    return False


def _base(name: str) -> str:
    """``sigma`` for ``\\sigma^2``, ``\\sigma_j`` (a name with scripts), else ``name``."""
    split = split_scripted(name)
    if split is None:
        return name
    base = split[0].removeprefix("\\")
    return base if base in GREEK else split[0]


def unapplied(declared: Declared) -> str:
    """The error for a function written without its argument."""
    name = declared.name
    if not declared.conventional:
        return f"{name} is a function: apply it, as in {name}(X)"
    if name not in GREEK:
        return f"\\operatorname{{{name}}} is a function: apply it, as in \\operatorname{{{name}}}(z)"
    return (
        f"\\{name} is not declared: applied, as in \\{name}(z), it is the {declared.kind} function; "
        f"to use it as a name, declare it under symbols: (such as '{name}: scalar')"
    )
