"""``<!-- deriv: ... -->`` directives: what their words mean.

``expect-fail``, ``expect-tested``, ``skip REASON`` and ``continue LABEL`` belong
to the one display after them (``expect-tested``: its steps can only be
tested, so ``--strict`` does not fail them -- docs/format.md).  ``assume LATEX`` is different: it holds from the next
display to the end of the document (not of a section: an assumption made
for a derivation usually holds for the rest of it, and a document that
wants less can start a new file), and may stand beside another directive.
"""

from __future__ import annotations

from dataclasses import dataclass

DIRECTIVES = ("expect-fail", "expect-tested", "skip", "continue", "assume")


@dataclass(frozen=True)
class Directive:
    """``<!-- deriv: KIND ARGUMENT -->``: ``argument`` is '', the skip reason, the label, or the assumption."""

    kind: str
    argument: str
    line: int


def parse_directive(body: str, line: int) -> Directive | str:
    """The directive in a comment's text after ``deriv:``, or the problem with it."""
    words = body.split()
    kind = words[0].lower() if words else ""
    if kind not in DIRECTIVES:
        return f"unknown deriv directive '{kind}' (expected expect-fail, expect-tested, skip, continue or assume)"
    argument = " ".join(words[1:])
    if kind == "assume":
        # The LaTeX as written (spacing inside it kept).
        argument = body.strip()[len(words[0]):].strip()
        if not argument:
            return "'assume' needs an assumption: <!-- deriv: assume H x = \\lambda x -->"
    if kind in ("expect-fail", "expect-tested") and argument:
        # 'expect-tested please', 'expect-fail for N = 1': a word deriv would drop may narrow or
        # widen what the author expects; say so rather than read the bare directive.
        return f"'{kind}' takes no argument, but '{argument}' follows it: write <!-- deriv: {kind} -->"
    if kind == "continue":
        if len(words) != 2:
            return "'continue' needs exactly one label: <!-- deriv: continue 3 -->"
        argument = argument.removeprefix("(").removesuffix(")")
    return Directive(kind, argument, line)
