"""Expand user macros in one display, textually, on LaTeX tokens.

In: a display's :class:`~deriv.latex.spans.Span` and the
:class:`~deriv.latex.lexicon.Lexicon`'s macros.  Out: the span with every
macro call replaced by its body, the arguments put in for ``#1`` ... ``#9``
(each character of an expansion placed at its call, so errors point at
what the author wrote).  A call's arguments are braced groups or single
tokens, as in TeX.  Expansion is bounded in depth and in output size; past
either bound the display is an error that names the macro.  Nothing is
evaluated: bodies are text.
"""

from __future__ import annotations

from deriv.latex.lexicon import Lexicon
from deriv.latex.scan import argument, command_at, skip_space
from deriv.read.macros import Macro, bracketed
from deriv.latex.spans import Span, SpanBuilder, fail

#: Calls nested deeper than this are refused (definitions are not recursive,
#: so only a long chain of macros calling macros gets here).
MAX_DEPTH = 16
#: The expanded display may not be longer than this.
MAX_OUTPUT = 20000


def _substitute(body: str, args: list[str]) -> str:
    """``#k`` -> the ``k``-th argument (``\\#`` stays); one pass, never re-read."""
    out, i = [], 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            out.append(body[i : i + 2])
            i += 2
            continue
        if c == "#" and i + 1 < len(body) and body[i + 1].isdigit():
            out.append(args[int(body[i + 1]) - 1])
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def _optional(macro: Macro, text: str, j: int) -> tuple[list[str], int]:
    """A macro with a default for ``#1``: the ``[...]`` written after the call (spaces
    skipped, as LaTeX does), or the default; no arguments for another macro."""
    if macro.default is None:
        return [], j
    found = bracketed(text, skip_space(text, j))
    return ([macro.default], j) if found is None else ([text[found[0]:found[1]]], found[2])


def expand(span: Span, lexicon: Lexicon, calls: list[tuple[int, int]] | None = None) -> Span:
    """``span`` with the lexicon's macros expanded; each outermost call's
    extent in the display (start, end) is appended to ``calls``, so that a
    report can show it as written (:mod:`deriv.latex.echo`)."""
    if not lexicon.macros or "\\" not in span.text:
        return span
    macros = dict(lexicon.macros)
    budget = [MAX_OUTPUT]

    def run(text: str, at: list[int], depth: int) -> tuple[str, list[int]]:
        out_text: list[str] = []
        out_at: list[int] = []
        i = 0
        while i < len(text):
            if text[i] != "\\":
                out_text.append(text[i])
                out_at.append(at[i])
                i += 1
                continue
            name, j = command_at(text, i)
            macro = macros.get(name)
            if macro is None:
                out_text.append(text[i:j])
                out_at.extend(at[i:j])
                i = j
                continue
            if depth >= MAX_DEPTH:
                raise fail(f"macro \\{name} nests deeper than {MAX_DEPTH} expansions", at[i])
            args, end = _optional(macro, text, j)
            for k in range(len(args), macro.params):
                found = argument(text, end)
                if found is None:
                    raise fail(f"macro \\{name} takes {macro.params} arguments, got {k}", at[i])
                _, end, lo, hi = found
                args.append(text[lo:hi])
            body = _substitute(macro.body, args)
            # a letter right after a command name would glue onto it: \R x
            if end < len(text) and text[end].isalpha() and body[-1:].isalpha():
                body += " "
            budget[0] -= len(body)
            if budget[0] < 0:
                raise fail(f"macro \\{name} expands to more than {MAX_OUTPUT} characters", at[i])
            if depth == 0 and calls is not None:
                calls.append((at[i], at[end - 1] + 1))
            inner_text, inner_at = run(body, [at[i]] * len(body), depth + 1)
            out_text.append(inner_text)
            out_at.extend(inner_at)
            i = end
        return "".join(out_text), out_at

    text, origin = run(span.text, list(span.origin[:-1]), 0)
    builder = SpanBuilder()
    builder.put(Span(text, tuple(origin) + (span.origin[-1],)), 0)
    return builder.build(span.origin[-1])
