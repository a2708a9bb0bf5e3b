"""Names written with a script, read as one name: ``W_1``, ``h_{t-1}``, ``b^{(l)}``.

In: one display's text (a :class:`~deriv.latex.spans.Span`) and the
document's declared scripted names, each spelled by
:func:`deriv.names.scripted`.  Out: the text with every written occurrence
of such a name (``W_{1}``, ``h_{t - 1}``, ``\\mathbf{W}_1``) replaced by a
marker the lexer reads as that one name.  Runs before the preprocessor reads
``\\mathrm{...}`` words, so ``L_{\\mathrm{reg}}`` is a name, not a word.

A script that could be a declared name's script followed by entry indices
(``W_{1,ij}``, ``W_{1ij}`` with ``W_1`` declared) reads two ways: it is an
error that shows both, never either reading silently.  Anything else is
left as it is (an undeclared ``x_t`` is an entry of ``x``, as before).
"""

from __future__ import annotations

from deriv.latex.scan import argument, command_at
from deriv.latex.spans import Span, SpanBuilder, fail
import re

from deriv.names import ACCENTS, GREEK, accented, normal_script, script_argument, scripted, split_scripted

#: The marker around a fused name's position in the document's table
#: (control characters: ``prepare`` refuses them in what the user wrote).
OPEN, CLOSE = "\x01", "\x02"
#: An index expression: letters, digits, ``+``/``-`` (``t-1``, ``i+k``).
AFFINE = re.compile(r"[A-Za-z0-9+\-]+\Z")
_FONTS = frozenset("mathbf boldsymbol bm mathcal mathrm mathit mathsf".split())


def _bare(text: str) -> str | None:
    """A letter or ``\\alpha`` (fonts and one pair of braces stripped), as a base is spelled."""
    text = text.strip()
    if text.startswith("{") and text.endswith("}"):
        text = text[1:-1].strip()
    if text.startswith("\\") and command_at(text, 0)[0] in _FONTS:
        arg = argument(text, command_at(text, 0)[1])
        return _bare(text[arg[2] : arg[3]]) if arg and arg[1] == len(text) else None
    if len(text) == 1 and text.isascii() and text.isalpha():
        return text
    if text.startswith("\\") and text[1:] in GREEK:
        return text
    return None


def _base_at(s: str, i: int) -> tuple[str | None, int]:
    """The name starting at ``i`` as a scripted name's base is spelled
    (``W``, ``\\alpha``, ``\\hat{y}``), and where it ends; None when none starts there."""
    if s[i] != "\\":
        return (s[i], i + 1) if s[i].isascii() and s[i].isalpha() else (None, i + 1)
    name, j = command_at(s, i)
    if name in GREEK:
        return f"\\{name}", j
    if name in _FONTS or name in ACCENTS:
        arg = argument(s, j)
        inner = _bare(s[arg[2] : arg[3]]) if arg is not None else None
        if arg is None or inner is None:
            return None, j
        if name in _FONTS:
            return inner, arg[1]
        return accented(name, inner.removeprefix("\\")), arg[1]
    return None, j


def _scripts(s: str, i: int) -> list[tuple[str, str, int]]:
    """Up to two scripts after ``i``: (mark, contents, end) each."""
    found: list[tuple[str, str, int]] = []
    while len(found) < 2:
        j = i
        while j < len(s) and s[j] in " \t\n\r":
            j += 1
        if j >= len(s) or s[j] not in "_^" or any(m == s[j] for m, _, _ in found):
            break
        arg = script_argument(s, j + 1)
        if arg is None:
            break
        found.append((s[j], arg[0], arg[1]))
        i = arg[1]
    return found


def _spelled(base: str, scripts: list[tuple[str, str, int]]) -> str:
    parts = {mark: text for mark, text, _ in scripts}
    return scripted(base, parts.get("_"), parts.get("^"))


def _two_readings(base: str, sub: str, names: tuple[str, ...]) -> str | None:
    """The message when ``sub`` is a declared ``base_D``'s script followed
    by entry indices (``1,ij`` after ``1``), or None."""
    written = normal_script(sub)
    for name in names:
        split = split_scripted(name)
        if split is None or split[0] != base or split[1] is None or split[2] is not None:
            continue
        rest = written[len(normal_script(split[1])):]
        if written.startswith(normal_script(split[1])) and rest and (rest[0] == "," or rest.isalnum()):
            indices = rest.lstrip(",")
            return (
                f"{base}_{{{written}}} reads two ways: entry {indices} of the declared name {name}, "
                f"or entry {written} of {base}; write [{name}]_{{{indices}}} for the first, "
                f"[{base}]_{{{written}}} for the second"
            )
    return None


_TRANSPOSES = ("T", "\\top", "\\intercal", "\\mathsf{T}", "\\mathsf T")


def _transposed(base: str, scripts: list[tuple[str, str, int]], where: dict[str, int]) -> tuple[int, int] | None:
    """``W^{[2]T}``: the declared ``W^{[2]}`` transposed, as ML notes write it
    (its position in the table and where the script ends); None otherwise."""
    if len(scripts) != 1 or scripts[0][0] != "^":
        return None
    written = normal_script(scripts[0][1])
    for mark in _TRANSPOSES:
        stem = written[: -len(mark)] if written.endswith(mark) else None
        name = scripted(base, None, stem) if stem else None
        if name in where:
            return where[name], scripts[0][2]
    return None


def _no_second_script(s: str, end: int, name: str, offset: int) -> None:
    """``W_1_{ij}`` (LaTeX's double subscript) is an error saying how to write the entry."""
    after = s[end:].lstrip(" \t\n\r")[:1]
    split = split_scripted(name)
    if after and split is not None and ((after == "_" and split[1] is not None) or (after == "^" and split[2] is not None)):
        example = f"[{name}]_{{i,j}}" if after == "_" else f"({name})^{{2}}"
        raise fail(f"a second {'subscript' if after == '_' else 'superscript'} after {name}: "
                   f"bracket the name, as in {example}", offset)


def is_exponent(sup: str) -> bool:
    """Whether a superscript also reads as a power: ``2``, ``l``, ``(l-1)``,
    ``\\alpha``; not ``[2]``, ``*`` or ``\\star``."""
    inner = sup[1:-1] if sup.startswith("(") and sup.endswith(")") else sup
    return bool(AFFINE.match(inner)) or inner.removeprefix("\\") in GREEK


def _entry_of_powered(base: str, scripts: list[tuple[str, str, int]], where: dict[str, int],
                      offset: int) -> tuple[int, str, int] | None:
    """``\\sigma_j^2`` (or ``\\sigma^2_j``) with ``\\sigma^2`` declared: entry ``j`` of
    that name (its position, the subscript, where the scripts end); None
    otherwise.  With ``\\sigma_j`` declared too it reads two ways: an error."""
    parts = {mark: text for mark, text, _ in scripts}
    if len(scripts) != 2 or scripted(base, None, parts["^"]) not in where:
        return None
    powered = scripted(base, None, parts["^"])
    other = scripted(base, parts["_"], None)
    if other in where:
        raise fail(f"{scripted(base, parts['_'], parts['^'])} reads two ways: entry {normal_script(parts['_'])} "
                   f"of the name {powered}, or the name {other} to the power "
                   f"{normal_script(parts['^'])}; write [{powered}]_{{{normal_script(parts['_'])}}} for the first, "
                   f"({other})^{{{normal_script(parts['^'])}}} for the second", offset)
    return where[powered], parts["_"], scripts[1][2]


#: Letters that are a function unless declared otherwise (``\\sigma``, the
#: logistic function): ``\\sigma^2(z)`` may be that function squared.
FUNCTION_LETTERS = frozenset({"\\sigma"})


def _applied_power(s: str, end: int, name: str, offset: int) -> None:
    """``\\sigma^2(x - \\mu)`` with ``\\sigma^2`` a declared name reads two ways:
    that name times the bracket, or the function ``\\sigma`` squared at it."""
    split = split_scripted(name)
    if split is None or split[0] not in FUNCTION_LETTERS or split[1] is not None or not is_exponent(split[2] or ""):
        return
    rest = s[end:].lstrip(" \t\n\r")
    if rest.startswith(("(", "\\left(", "\\left (")):
        raise fail(f"{name}(...) reads two ways: the name {name} times the bracket, or the function "
                   f"{split[0]} to the power {split[2]} at it; write {name} \\cdot (...) for the first, "
                   f"({split[0]}(...))^{{{split[2]}}} for the second", offset)


def fuse_scripted(span: Span, names: tuple[str, ...]) -> Span:
    """Every written occurrence of a declared scripted name as one marker
    (``OPEN k CLOSE``, ``k`` its position in ``names``); raises
    :class:`~deriv.errors.LatexSyntaxError` where a script reads two ways."""
    if not names:
        return span
    where = {name: k for k, name in enumerate(names)}
    bases = {split[0] for split in map(split_scripted, names) if split is not None}
    s, out, last, i = span.text, SpanBuilder(), 0, 0
    while i < len(s):
        base, end = _base_at(s, i)
        scripts = _scripts(s, end) if base in bases else []
        hit = next(
            ((where[_spelled(base, scripts[:n])], scripts[n - 1][2])
             for n in (2, 1) if n <= len(scripts) and _spelled(base, scripts[:n]) in where),
            None,
        ) if base is not None and scripts else None
        transposed = _transposed(base, scripts, where) if hit is None and base is not None else None
        if transposed is not None:
            out.copy(span, last, i)
            out.put(f"{OPEN}{transposed[0]}{CLOSE}^T", span.origin[i])
            last = i = transposed[1]
            continue
        full = base is not None and scripts and _spelled(base, scripts) in where
        powered = _entry_of_powered(base, scripts, where, span.origin[i]) if base is not None and not full else None
        if powered is not None:
            out.copy(span, last, i)
            out.put(f"{OPEN}{powered[0]}{CLOSE}_{{{powered[1]}}}", span.origin[i])
            last = i = powered[2]
            continue
        if hit is None:
            if base is not None and scripts and scripts[0][0] == "_":
                problem = _two_readings(base, scripts[0][1], names)
                if problem:
                    raise fail(problem, span.origin[i])
            i = end
            continue
        _no_second_script(s, hit[1], names[hit[0]], span.origin[i])
        _applied_power(s, hit[1], names[hit[0]], span.origin[i])
        out.copy(span, last, i)
        out.put(f"{OPEN}{hit[0]}{CLOSE}", span.origin[i])
        last = i = hit[1]
    out.copy(span, last, len(s))
    return out.build(span.origin[-1])


_NOT_POWERS = frozenset({"T", "\\top", "\\intercal", "\\prime", "-1", "{-1}"})


def _left_scripts(latex: str) -> tuple[str, dict[str, str]] | None:
    """A definition's left side when it is one name with its scripts and
    nothing more: the base and the scripts by mark (``_``, ``^``), or None."""
    left = latex.split("=", 1)[0].strip()
    if not left:
        return None
    base, end = _base_at(left, 0)
    scripts = _scripts(left, end) if base is not None else []
    if base is None or not scripts or scripts[-1][2] != len(left):
        return None
    return base, {mark: text for mark, text, _ in scripts}


def defined_name(latex: str) -> str | None:
    """The scripted name a definition's left side defines: ``\\sigma^2`` for
    ``\\sigma^2 = ...`` and for ``\\sigma_j^2 = ...`` (entry ``j`` of it), so
    that the variance is a name; None for any other left side (``B_{i,j}``
    defines ``B``, as before; ``W^T`` is a transpose)."""
    left = _left_scripts(latex)
    sup = left[1].get("^") if left is not None else None
    if left is None or sup is None or normal_script(sup) in _NOT_POWERS or "\\prime" in sup:
        return None
    return scripted(left[0], None, sup)


def subscripted_left(latex: str) -> tuple[str, str] | None:
    """The base and subscript of a definition's left side written
    ``NAME_{script}`` and nothing more (``z_t``, ``h_{t-1}``), or None."""
    left = _left_scripts(latex)
    if left is None or set(left[1]) != {"_"}:
        return None
    return left[0], left[1]["_"]
