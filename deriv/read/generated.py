"""What a batch item's text may not do: skip, expect a failure, assume, or redefine a given name.

In: the document of a batch item's text (read with the declarations given
beside it) and those declarations.  Out: the first way the text changes the
problem it was given, as (line, message), or None.

The declarations given beside generated text (``symbols``, ``definitions``,
``assumptions``: the caller's) are its problem.  A text that could add to
them would have its steps proved for a problem it set itself -- ``<!-- deriv:
assume A B = B A -->`` before ``$$ A B = B A $$``, a front matter defining a
given ``B = A``, ``Let $a > 0$`` before ``$$ \\sqrt{a^2} = a $$``, or ``<!--
deriv: expect-fail -->`` / ``skip`` before a wrong step, ``continue 1`` joining
a display to another than the one a reader sees before it -- and a reward
would pay for it; so would a macro renaming a given name (``\\renewcommand{\\Sigma}{I}``
before ``$$ \\Sigma B = B \\Sigma $$`` for a given matrix ``\\Sigma``).  The text may still
declare and define names of its own and restate a given declaration or equation as given.
"""

from __future__ import annotations

import re
from dataclasses import replace

from deriv.names import GREEK
from deriv.read.document import Document
from deriv.read.frontmatter import FrontMatter
from deriv.read.prose_math import mentioned_name
from deriv.results import FileResult

#: Directives that change what a step's verdict means, or (``continue``) which members a step
#: joins: unseen in the rendered text, ``= C`` would seem to follow the display before it.
_MARKING = ("skip", "expect-fail", "expect-tested", "continue")
_HOW = "give it beside the text (the item's or the shared declarations), never in it"


def changed_problem(document: Document, given: FrontMatter | None,
                    quantity: str | None = None) -> tuple[int, str] | None:
    """The first change the text of ``document`` makes to the ``given`` problem (with the
    ``quantity`` it asks for), if any."""
    found = [change for change in (_directive(document), *_equations(document, given), _redeclared(document, given),
                                   _macro(document, given, quantity))
             if change is not None]
    return min(found) if found else None


def changed_file(document: Document, given: FrontMatter | None, quantity: str | None = None) -> FileResult | None:
    """The file error a text that changes its ``given`` problem gets (no steps), or None."""
    change = changed_problem(document, given, quantity)
    if change is None:
        return None
    return FileResult(document.path, document.title, error=change[1], error_line=change[0] or None)


def _directive(document: Document) -> tuple[int, str] | None:
    for display in document.displays:
        if display.directive is not None and display.directive.kind in _MARKING:
            return (display.directive.line, f"a generated text can not mark its own steps: "
                                            f"<!-- deriv: {display.directive.kind} --> is not read in it")
        for assume in display.assumes:
            return (assume.line, f"a generated text can not assume '{assume.argument}': {_HOW}")
    return None


def _equations(document: Document, given: FrontMatter | None) -> list[tuple[int, str] | None]:
    front = document.front
    if front is None:
        return []
    stated = {e.latex.strip() for e in (*given.assumptions, *given.definitions)} if given else set()
    own = [e for e in front.assumptions if e.line > 0 and e.latex.strip() not in stated]
    changes: list[tuple[int, str] | None] = [
        (e.line, f"a generated text can not assume '{e.latex}': {_HOW}") for e in own[:1]]
    names = {d.name for d in given.symbols} if given else set()
    for equation in front.definitions:
        if equation.line > 0 and equation.latex.strip() not in stated and (name := mentioned_name(equation.latex, names)):
            changes.append((equation.line, f"a generated text can not define {name}, a name given beside it "
                                           f"('{equation.latex}'): {_HOW}"))
            break
    return changes


def _macro(document: Document, given: FrontMatter | None, quantity: str | None = None) -> tuple[int, str] | None:
    """A macro of the text named as a command the given declarations or the quantity asked for are
    written with: ``\\renewcommand{\\Sigma}{I}`` for a given ``\\Sigma`` (which then reads as ``I``),
    ``\\exp`` in a given definition, ``\\nabla`` in the quantity."""
    used = given_commands(given) if given is not None else frozenset()
    used |= frozenset(re.findall(r"\\([A-Za-z]+)", quantity or ""))
    for macro in document.macros:
        if macro.line > 0 and macro.name in used:
            return (macro.line, f"a generated text can not define the macro \\{macro.name}: the declarations or the "
                                f"quantity given beside it are written with it; {_HOW}")
    return None


def given_commands(given: FrontMatter) -> frozenset[str]:
    """The commands (without the backslash) the given names, definitions and assumptions are
    written with: a Greek name (``Sigma`` is ``\\Sigma``) and every ``\\command`` in them."""
    names = [d.name for d in given.symbols]
    greek = {word for name in names for word in re.findall(r"[A-Za-z]+", name) if word in GREEK}
    written = [*names, *(e.latex for e in (*given.definitions, *given.assumptions))]
    return frozenset(greek | {c for text in written for c in re.findall(r"\\([A-Za-z]+)", text)})


def _redeclared(document: Document, given: FrontMatter | None) -> tuple[int, str] | None:
    """A given name the text declares otherwise (``Let $a > 0$`` for a given scalar ``a``)."""
    if given is None or document.front is None:
        return None
    mine = {d.name: d for d in document.front.symbols}
    for declaration in given.symbols:
        other = mine.get(declaration.name)
        if other is not None and replace(other, line=0) != declaration:
            return (other.line, f"a generated text can not declare {declaration.name} otherwise than it is given: "
                                f"{_HOW}")
    return None
