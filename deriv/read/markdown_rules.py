"""deriv's math rules for markdown-it-py: the plugins' options and the delimiters they lack.

In: a ``MarkdownIt`` parser.  Out: the same parser with mdit-py-plugins'
``dollarmath`` (deriv's rules for ``$``: pandoc's -- the opening one has a
non-space after it, the closing one a non-space before it and no digit or
dollar after it; ``$$`` inline too; no blank line inside) and ``amsmath``, and
rules of deriv's own for what those plugins do not read: GitHub's ``$`…`$``,
``\\[…\\]``, ``\\(…\\)``, an environment inside a paragraph, and a ``$$``,
``\\[`` or environment never closed (an error, never text).  docs/format.md
says which is which.

Every math or code-span token an inline rule makes carries, under
``meta[SPAN]``, the positions of its opener, its math and its end in its
paragraph's text; :mod:`deriv.read.markdown_math` maps them to the file.
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING, Callable

from deriv.read.macros import DEFINERS
from deriv.read.rows import DISPLAY_ENVS, UNSUPPORTED_ENVS

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_core import StateCore
    from markdown_it.rules_inline import StateInline

SPAN = "deriv_span"
#: Inline text without these holds no math, and no code span hiding a comment or definition.
_MAY_MATTER = ("$", "\\", "<!--")
#: ``env`` keys: inline searches known to fail, the block's lines by what they are.
_FAILED = "deriv_failed"
_FOUND = "deriv_found"
_LINES = "deriv_lines"
UNCLOSED = "unclosed"
_ENV = re.compile(r"\\begin\{([A-Za-z]+\*?)\}")
_OPENS_DISPLAY = re.compile(r"\\\[|\\begin\s*\{")
_CLOSE_PAREN = re.compile(r"\\\)")
#: What inline math does not hold (the scanner reads a definition or display there).
_NOT_INLINE = re.compile(f"{_OPENS_DISPLAY.pattern}|{DEFINERS.pattern}")
_TICKS = re.compile(r"`+")

#: dollarmath's options that are deriv's rules (docs/format.md, "Displays"): pandoc's ``$``
#: (no space inside, no digit outside), ``$$`` inline too, no blank line in a display; a
#: ``(3)`` after a display is deriv's label, read by the scanner, not the plugin's.
DOLLARS = {"allow_labels": False, "allow_space": False, "allow_digits": False,
           "allow_blank_lines": False, "double_inline": True}

InlineRule = Callable[["StateInline", bool], bool]
BlockRule = Callable[["StateBlock", int, int, bool], bool]


def install(md: MarkdownIt, loose: bool = False) -> MarkdownIt:
    """``loose``: ``$`` as renderers read it (KaTeX, MathJax), spaces inside and a digit after allowed:
    a generated text is read as it is shown (docs/library.md, "Generated derivations in bulk")."""
    from markdown_it.rules_inline import backtick, image
    from mdit_py_plugins.amsmath import amsmath_block, amsmath_plugin
    from mdit_py_plugins.dollarmath import dollarmath_plugin
    from mdit_py_plugins.dollarmath.index import math_block_dollar, math_inline_dollar

    md.use(dollarmath_plugin, **{**DOLLARS, "allow_space": loose, "allow_digits": loose})
    md.use(amsmath_plugin)
    md.block.ruler.before("fence", "colon_fence", colon_math_fence,
                          {"alt": ["paragraph", "reference", "blockquote", "list", "footnote_def"]})
    # The plugins' own rules, each wrapped: where its token stands, and deriv's exceptions.
    md.block.ruler.at("math_block", _no_inner_closer(math_block_dollar(False, None, False)))
    md.block.ruler.at("amsmath", _deriv_environment(amsmath_block),
                      {"alt": ["paragraph", "reference", "blockquote", "list", "footnote_def"]})
    md.inline.ruler.at("math_inline", _located(_deriv_dollar(math_inline_dollar(loose, loose, True))))
    md.inline.ruler.before("math_inline", "github_math", _located(github_math))
    md.inline.ruler.before("escape", "display_dollars", _located(display_dollars))
    md.inline.ruler.before("escape", "bracket_math", _located(bracket_math))
    md.inline.ruler.before("escape", "environment", _located(environment))
    md.inline.ruler.at("backticks", _located(backtick))
    md.inline.ruler.at("image", _located(image))
    md.core.ruler.at("inline", _inline_where_math_may_be)
    return md


#: The opening line of MyST's colon fence of math (``:::{math}``).
_COLON_MATH = re.compile(r"(:{3,})[ \t]*\{math\}[ \t]*$")


def colon_math_fence(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """MyST's ``:::{math}`` fence, as markdown-it reads a ```` ``` ```` fence (mdit-py-plugins'
    colon fence would take every ``:::`` line, and so hide the Markdown -- and math -- of
    MyST's directives and Quarto's divs)."""
    if state.is_code_block(start):
        return False
    opener = _COLON_MATH.match(state.src, state.bMarks[start] + state.tShift[start], state.eMarks[start])
    if opener is None:
        return False
    if silent:
        return True
    markup = opener.group(1)
    line, closed = start, False
    while not closed:
        line += 1
        if line >= end:
            break
        at, stop = state.bMarks[line] + state.tShift[line], state.eMarks[line]
        if at < stop and state.sCount[line] < state.blkIndent:
            break  # a line out of the container (a list item, a quote) ends the fence
        closed = not state.is_code_block(line) and re.fullmatch(
            f":{{{len(markup)},}}[ \t]*", state.src[at:stop]) is not None
    token = state.push("colon_fence", "div", 0)
    token.info, token.markup = "{math}", markup
    token.content = state.getLines(start + 1, line, state.sCount[start], True)
    state.line = line + 1 if closed else line
    token.map = [start, state.line]
    return True


def _inline_where_math_may_be(state: StateCore) -> None:
    """markdown-it's inline stage, for the text that may hold math (a ``$`` or a ``\\``) or a
    comment: in other text nothing is math, and its code spans hide nothing from the scanner
    (which looks for comments and ``\\newcommand`` itself).  Half the parse's time."""
    for token in state.tokens:
        if token.type == "inline":
            if token.children is None:
                token.children = []
            if any(mark in token.content for mark in _MAY_MATTER):
                state.md.inline.parse(token.content, state.md, state.env, token.children)


def _located(rule: InlineRule) -> InlineRule:
    """The rule, its tokens marked with where they stand (math tokens set their own)."""

    def located(state: StateInline, silent: bool) -> bool:
        pos, count = state.pos, len(state.tokens)
        if not rule(state, silent):
            return False
        for token in state.tokens[count:]:
            if SPAN not in token.meta and token.type != "text":  # text: the prose before, flushed
                inner = len(token.markup)
                token.meta[SPAN] = (pos, pos + inner, state.pos - inner, state.pos)
                token.info = token.info or token.markup
        return True

    return located


def _push(state: StateInline, kind: str, positions: tuple[int, int, int, int]) -> None:
    token = state.push("math_unclosed" if kind.startswith(UNCLOSED) else "math_inline", "math", 0)
    token.info = kind
    token.content = state.src[positions[1]:positions[2]]
    token.meta[SPAN] = positions
    state.pos = positions[3]


def _deriv_dollar(dollar: InlineRule) -> InlineRule:
    """The plugin's ``$``, less what deriv does not read as inline math: a closing ``$``
    before a ``$``, math holding a ``\\newcommand`` or a display (the scanner reads those)."""

    def deriv_dollar(state: StateInline, silent: bool) -> bool:
        pos = state.pos
        if not _unwrapped(dollar, state, silent):
            return False
        if state.src.startswith("$$", pos):
            return True
        end = state.pos
        if state.src[end:end + 1] == "$" or DEFINERS.search(state.src, pos, end) or \
                _OPENS_DISPLAY.search(state.src, pos, end):
            if not silent:
                del state.tokens[-1]  # the math; the prose before it stays
            state.pos = pos
            return False
        return True

    return deriv_dollar


def _unwrapped(dollar: InlineRule, state: StateInline, silent: bool) -> bool:
    """The plugin's rule, where a ``$`` opening the paragraph is not taken for escaped by a ``\\``
    ending it (its backward look at position -1 wraps round: ``$a = 3a$ \\`` was text, its step unread)."""
    if state.pos != 0 or not state.src.endswith("\\"):
        return dollar(state, silent)
    src = state.src
    state.src = src + "\ue000"  # a character that is nothing to the rule, past the paragraph's end
    try:
        return dollar(state, silent)
    finally:
        state.src = src


def github_math(state: StateInline, silent: bool) -> bool:
    """GitHub's ``$`…`$``: a code span between dollars (the backtick runs of one length)."""
    src, pos = state.src, state.pos
    if not src.startswith("$`", pos):
        return False
    ticks = _TICKS.match(src, pos + 1)
    assert ticks is not None
    width = len(ticks.group())
    closing = re.compile(rf"(?<!`)`{{{width}}}\$").search(src, ticks.end(), state.posMax)
    if closing is None:
        return False
    if not silent:
        _push(state, "$`", (pos, ticks.end(), closing.start(), closing.end()))
    state.pos = closing.end()
    return True


def _closed(state: StateInline, opener: str, closer: str, kind: str, silent: bool) -> bool:
    """A display from ``opener`` at ``state.pos`` to the first ``closer`` (``\\x`` pairs skipped)
    within the paragraph; never closed, an error token."""
    src, pos = state.src, state.pos
    start = pos + len(opener)
    failed: dict[tuple[str, int, int], int] = state.env.setdefault(_FAILED, {})
    key = (closer, id(src), state.posMax)
    found = None
    if failed.get(key, start + 1) > start:  # a search that failed from before here fails again
        pattern = re.compile(re.escape(closer) + r"|\\.", re.S)
        found = next((m for m in pattern.finditer(src, start, state.posMax) if m.group() == closer), None)
        if found is None:
            failed[key] = start
    if silent:  # a link's text is being skipped: step over the display, or leave `\[` to the escape
        if found is not None:
            state.pos = found.end()
        return found is not None
    if found is None:
        _push(state, f"{UNCLOSED}:{kind}", (pos, start, start, start))
    else:
        _push(state, kind, (pos, start, found.start(), found.end()))
    return True


def _next(state: StateInline, pattern: re.Pattern[str], start: int) -> int:
    """Where ``pattern`` next matches in the paragraph from ``start`` (-1: nowhere), remembered:
    many openers before one closer, or none, cost one search, not one each."""
    found: dict[tuple[str, int, int], tuple[int, int]] = state.env.setdefault(_FOUND, {})
    key = (pattern.pattern, id(state.src), state.posMax)
    searched, at = found.get(key, (state.posMax + 1, -1))
    if searched <= start and (at < 0 or at >= start):
        return at
    match = pattern.search(state.src, start, state.posMax)
    at = match.start() if match else -1
    found[key] = (start, at)
    return at


def display_dollars(state: StateInline, silent: bool) -> bool:
    """``$$`` the plugin left: closed by a ``$$`` before a digit, or never closed."""
    if not state.src.startswith("$$", state.pos):
        return False
    return _closed(state, "$$", "$$", "$$", silent)


def bracket_math(state: StateInline, silent: bool) -> bool:
    """``\\[…\\]`` (a display) and ``\\(…\\)`` (inline math; an unclosed one is text)."""
    src, pos = state.src, state.pos
    if src.startswith("\\[", pos):
        return _closed(state, "\\[", "\\]", "\\[", silent)
    if not src.startswith("\\(", pos):
        return False
    stop = _next(state, _CLOSE_PAREN, pos + 2)
    if stop < 0 or -1 < _next(state, _NOT_INLINE, pos) < stop:
        return False
    if not silent:
        _push(state, "\\(", (pos, pos + 2, stop, stop + 2))
    state.pos = stop + 2
    return True


def environment(state: StateInline, silent: bool) -> bool:
    """``\\begin{align}…\\end{align}`` inside a paragraph (the plugin reads one at a line's start)."""
    found = _ENV.match(state.src, state.pos)
    if found is None or (found.group(1) not in DISPLAY_ENVS and found.group(1) not in UNSUPPORTED_ENVS):
        return False
    name = found.group(1)
    return _closed(state, found.group(), f"\\end{{{name}}}", name, silent)


def _no_inner_closer(block: BlockRule) -> BlockRule:
    """The plugin's ``$$`` block, unless a ``$$`` inside it closes it first (then the
    paragraph's ``$$`` rules read it, as everywhere else)."""

    def math_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if not _may_close(state, start, "$$"):
            return False
        line, count = state.line, len(state.tokens)
        if not block(state, start, end, silent):
            return False
        if len(state.tokens) > count and "$$" in state.tokens[-1].content:
            del state.tokens[count:]
            state.line = line
            return False
        return True

    return math_block


def _deriv_environment(block: BlockRule) -> BlockRule:
    """The plugin's environment block, for environments deriv reads and with no blank line
    inside (display math never spans one: the paragraph's rule then says it is unclosed)."""

    def deriv_environment(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        found = _ENV.match(state.src, state.bMarks[start] + state.tShift[start])
        if found is None or (found.group(1) not in DISPLAY_ENVS and found.group(1) not in UNSUPPORTED_ENVS):
            return False
        if not _may_close(state, start, f"\\end{{{found.group(1)}}}"):
            return False
        line, count = state.line, len(state.tokens)
        if not block(state, start, end, silent):
            return False
        if silent:
            return True
        closing = f"\\end{{{found.group(1)}}}"
        if state.tokens[-1].content.count(closing) > 1 or \
                any(not state.src[state.bMarks[n]:state.eMarks[n]].strip() for n in range(start, state.line)):
            del state.tokens[count:]
            state.line = line
            return False
        return True

    return deriv_environment


class _Lines:
    """A block source's lines by what they are: blank, or ending with a closer (asked once each)."""

    def __init__(self, src: str) -> None:
        self.raw = src.split("\n")
        self.blank = [n for n, text in enumerate(self.raw) if not text.strip()]
        self.ending: dict[str, list[int]] = {}

    def closes(self, start: int, closer: str) -> bool:
        """Whether line ``start`` or a line after it, before the next blank one, ends with ``closer``."""
        if closer not in self.ending:
            self.ending[closer] = [n for n, text in enumerate(self.raw) if text.rstrip().endswith(closer)]
        i = bisect.bisect_right(self.blank, start)
        stop = self.blank[i] if i < len(self.blank) else len(self.raw)
        ends = self.ending[closer]
        j = bisect.bisect_left(ends, start)
        return j < len(ends) and ends[j] < stop


def _may_close(state: StateBlock, start: int, closer: str) -> bool:
    """Whether the block opened at line ``start`` may close before a blank line.  The plugins
    look line by line for their closer, past blank lines: without this, a document of many
    unclosed openers costs their square."""
    lines = state.env.get(_LINES)
    if not isinstance(lines, _Lines):
        lines = state.env[_LINES] = _Lines(state.src)
    return lines.closes(start, closer)
