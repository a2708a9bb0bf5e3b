r"""What of a generated text's prose a reader sees as an equation line or a final answer.

In: a batch item's text (:mod:`deriv.read.document` scans it) and the math
markdown-it-py found in it.  Out: whether a piece of inline math is shown as a
display, whether it is a final answer, the bare ``\boxed{...}`` written
outside math (as :class:`~deriv.read.markdown_math.Span`\ s to read as math),
and the prose lines that continue a chain outside math.

A reward pays for what deriv reads, so what a reader takes for a claim must
not be prose to deriv (docs/library.md, "Generated derivations in bulk"):
a final answer in any box (``\fbox``, ``\bbox``, ``\colorbox`` as ``\boxed``),
one written outside math (``\boxed{2Ax}`` bare), one after the word
"answer" (``**Answer:** $2Ax$``), math that opens with a relation (``which
is $= 3a$``: it can only continue a chain), math alone in a table cell, and a
prose line that opens with ``=`` (math left unrendered) -- each earned 1.0
beside a derivation it contradicted.
"""

from __future__ import annotations

import bisect
import re
from itertools import accumulate

from deriv.read.markdown_math import MarkdownMath, Span

#: How a generated text marks its final answer: any box a renderer draws.
ANSWER_BOX = re.compile(r"\\(?:boxed|fbox|framebox|bbox|colorbox|fcolorbox)(?![A-Za-z])")
#: What may stand before math that is alone on its line, word by word: quote and list markers
#: (``(ii)`` too), a heading's ``#``s, emphasis (``**$a = 3a$**``), an arrow or a check mark.
_MARKER = re.compile(r">+|[-*+]|\d{1,9}[.)]|\((?:[a-z]{1,5}|\d{1,3})\)|#{1,6}|[*_]{1,3}|[\u2192\u21d2\u2234\u2713\u2714]|"
                     r"!?\[|\[\^\w{1,20}\]:", re.I)  # a link's text `[$a = 3a$](u)`, a footnote `[^1]: $a = 3a$`
#: A short label right before the math (``**Step 2:**``, ``Result:``) -- not one that makes the math
#: a hypothesis or a question (``Assume:``, ``Check:``).
_LABEL = re.compile(r"(?:\A|(?<=\s))[*_]{0,3}(?!(?:assum|suppos|let|given|if|hypothes|defin|notation|where|note|question|"
                    r"check|is|does))[A-Za-z][A-Za-z0-9 .()-]{0,24}:[*_]{0,3}\Z", re.I)
#: The words before math that make it the answer: ``**Final answer:** $E$``, ``The answer is $E$``.
_CUE = (r"(?<![A-Za-z])(?:answers?|final\s{1,3}results?)(?![A-Za-z])[*_}]{0,3}(?:[ \t]{0,3}\([^()\n]{0,30}\))?"
        r"(?:\s{1,3}is)?(?:\s{1,3}(?:therefore|thus|then|simply|just|clearly|given\s+by))?[ \t*_:=|}]{0,12}")
_ANSWER_CUE = re.compile(_CUE + r"\Z", re.I)
_CODED_ANSWER = re.compile(_CUE + r"(`{1,3})(?!`)[^`\n]{1,500}?(?<!`)\1(?!`)", re.I)
#: The words after a display that make the math after them its value: ``which equals``, ``which is``.
_CONTINUING = re.compile(r"[\s,]*(?:(?:which|that|this|it|and|so|thus|hence|then|i\.e\.)[\s,]+)*"
                         r"(?:is\s+)?(?:equals?|equal\s+to|is|gives|becomes|simplifies\s+to|reduces\s+to|yields|giving|"
                         r"we\s+(?:get|obtain|have|find)|this\s+gives)[\s:]*\Z",
                         re.I)
#: The words after a display that make the relation after them its consequence.
_CONCLUDING = re.compile(r"[\s,.;]*(?:and\s+)?(?:so|hence|thus|therefore|i\.e\.|that\s+is|which\s+gives|giving|"
                         r"we\s+get|we\s+obtain|we\s+have|this\s+gives|it\s+follows\s+that|consequently|we\s+conclude(?:\s+that)?|"
                         r"this\s+shows\s+that|which\s+shows\s+that|we\s+see\s+that|we\s+find(?:\s+that)?|note\s+that|this\s+means\s+that|"
                         r"which\s+means\s+that|this\s+yields|which\s+yields|finally|then|(?:this|which)\s+proves(?:\s+that)?|we\s+have\s+shown(?:\s+that)?|we\s+(?:can\s+)?(?:see|verify|check)\s+that|"
                         r"it\s+follows|we\s+arrive\s+at|and\s+we\s+get|this\s+simplifies\s+to)[\s,:]*\Z",
                         re.I)
_STATES = re.compile(r"=|<|>|\\(?:leq?|geq?|neq?)(?![A-Za-z])")
#: What may follow such math: the clause ends there (``$a = 3a$.``, ``$3a$, and``), so no words qualify
#: it (``$\\lambda = 0$ is an eigenvalue``) and no condition follows (``$3a$ for $a = 0$``).
_CLAUSE_ENDS = re.compile(r"[ \t]*(?:\Z|\n|[.;!]|,(?![ \t]*(?:for|if|when|whenever|where|provided|assuming|given|unless|"
                          r"as(?!\s+(?:required|claimed|expected|desired|stated|shown|before)\b)|only|except)\b))", re.I)
#: Math that opens with a relation continues a chain: it can be nothing else.
_LEADING_RELATION = re.compile(r"\s*(?:=|<|>|\\(?:leq?|geq?|neq?|approx|equiv|sim|propto)(?![A-Za-z]))")
#: A prose line that opens with ``=`` (not a heading's ``===`` underline): math left unrendered.
_PROSE_CONTINUATION = re.compile(r"^[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?=(?!=)[ \t]*\S.*$", re.M)
#: What makes a code block's text a step shown as code.
_DISPLAY_IN_CODE = re.compile(r"\$\$|\$[^$\n]{1,200}\$|\\\[|\\begin\s*\{(?:align|equation|gather|multline|eqnarray|flalign)")
_RELATION_IN_CODE = re.compile(r"=|\\le|\\ge|<|>")
_LATEX_FENCE = re.compile(r"[ \t>]*(?:[-*+][ \t]+)?(?:`{3,}|~{3,})[ \t]*\{?(?:latex|tex|katex|mathjax)\b", re.I)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
#: Other math on the line (a bound on each piece keeps the search linear).
_MATH_PIECE = re.compile(r"\$\$[^$]{0,500}\$\$|\$[^$\n]{1,500}\$|\\\((?:(?!\\\)).){0,500}\\\)|\\\[(?:(?!\\\]).){0,500}\\\]")
#: What closes a table cell, or ends a line of math alone on it.
_CLOSING = " \t.,;:*_\\\u2713\u2714"
#: An HTML tag (``<b>``, ``</span>``, ``<br/>``): no text a reader sees.
_TAG = re.compile(r"</?[A-Za-z][^<>\n]{0,200}>")
_BRACES = re.compile(r"\\.|[{}]", re.S)
#: How far a bare box's argument may run (a bound on the scan, not a rule).
_MAX_ANSWER = 4000


def is_answer(math: str) -> bool:
    """Whether the math holds a boxed final answer."""
    return ANSWER_BOX.search(math) is not None


def answer_cued(before: str) -> bool:
    """Whether the prose right before the math names it the answer: the words after any math on
    the math's line, or on the last line before it (``**Final Answer**``, a heading ``### Answer``,
    ``The answer is``) when the math opens its line."""
    lead = before.rstrip()
    line = lead[lead.rfind("\n") + 1:]
    if _FORMAT_CUE.search(line):
        return True
    if "\n" in before and line.strip() and _only_markers(line):  # `Final answer` then `- $2Ax$` on its line
        lead = lead[:lead.rfind("\n")].rstrip()
        line = lead[lead.rfind("\n") + 1:]
    lead = line
    lead = _TAG.sub("", lead).rstrip() if "<" in lead else lead  # `<b>Answer:</b> $2Ax$`
    math_end = max(lead.rfind("$"), lead.rfind("\\]"), lead.rfind("\\)"))
    return _ANSWER_CUE.search(lead[math_end + 1:][-80:]) is not None


def continues_in_words(between: str, after: str) -> bool:
    """Whether the words between a display and inline math after it say the math is its value:
    ``$$ a + a = 2a $$ which equals $3a$`` reads as ``= 3a`` -- unless a condition follows the math
    (``which is $3a$ for $a = 0$``: a claim under it, not read)."""
    return len(between) <= 80 and _CONTINUING.match(between) is not None and _CLAUSE_ENDS.match(after) is not None


def states(math: str) -> bool:
    """Whether ``math`` states a relation anywhere."""
    return _STATES.search(math) is not None


def concluded_in_words(between: str, after: str, math: str) -> bool:
    """Whether math stating a relation right after a display is its consequence in words:
    ``$$ a + a = 2a $$ so $a = 3a$.`` is a claim (a chain of its own), unless a condition follows."""
    return (len(between) <= 80 and _CONCLUDING.match(between) is not None and _STATES.search(math) is not None
            and _CLAUSE_ENDS.match(after) is not None)


#: Where a sentence ends on a line: what follows is a sentence of its own (``... done. So $a = 3a$.``).
_SENTENCE_END = re.compile(r".*(?:[.!?;:](?:[*_]{1,3})?\s)", re.S)


def concluded_in_sentence(before: str, after: str, math: str) -> bool:
    """Whether math stating a relation is a sentence's conclusion on its own: ``So, $a = 3a$.``,
    ``Therefore $a = 3a$.`` -- the words of :func:`concluded_in_words`, opening the sentence (after
    list markers or emphasis), with nothing but the math after them."""
    words = _sentence_so_far(before)
    return words is not None and concluded_in_words(words, after, math)


def continued_in_sentence(before: str, after: str) -> bool:
    """Whether a sentence opening with the words of :func:`continues_in_words` (``which equals $3a$.``,
    ``This is equal to $3a$.``) gives the value of the chain before it, as it does right after a display."""
    words = _sentence_so_far(before)
    return words is not None and continues_in_words(words, after)


def _sentence_so_far(before: str) -> str | None:
    """The words of the sentence that math on its line ends (list markers and emphasis cut), or None."""
    line = undecorated(before[before.rfind("\n") + 1:])[-120:]
    cut = _SENTENCE_END.match(line)
    sentence = line[cut.end():] if cut else line
    words = sentence.lstrip(" \t>-+*_#0123456789.)")
    return " " + words.rstrip("*_ \t") + " " if sentence.strip() else None


_INTERTEXT = re.compile(r"\\(?:short)?intertext\s*\{")
_INLINE = re.compile(r"\$([^$]{1,500})\$")


def intertext_claims(math: str) -> tuple[str, ...]:
    """The relations an ``align``'s ``\\intertext{...}`` states as the rows' consequence
    (``\\intertext{hence $a = 3a$}``), as :func:`concluded_in_words` reads prose after a display."""
    claims: list[str] = []
    closers = _closers(math, 0)
    for match in _INTERTEXT.finditer(math):
        close = closers.get(match.end() - 1)
        words = math[match.end():close] if close is not None else ""
        for inline in _INLINE.finditer(words):
            if concluded_in_words(words[:inline.start()], words[inline.end():], inline.group(1)):
                claims.append(inline.group(1).strip())
    return tuple(claims)


def displayed(math: str, before: str, after: str) -> bool:
    """Whether inline ``math`` with the line's text ``before`` and ``after`` it reads as a display:
    a boxed or named answer, math opening with a relation, math alone on its line or in a table cell."""
    if is_answer(math) or answer_cued(before) or _LEADING_RELATION.match(math):
        return True
    if _DECORATION_MATH.fullmatch(math):
        return False  # `$\\checkmark$`, `$\\blacksquare$`: a mark, no math to read
    before, after = _without_math(undecorated(before)), _without_math(undecorated(after))
    opening = opens_line(before) or before.rstrip(" \t").endswith("|")
    rest = after.strip(_CLOSING)
    return opening and (not rest or (rest.startswith("|") and "|" in before))


#: What shows nothing a reader reads as words beside math alone on its line: LaTeX spacing and layout
#: commands outside math (``\quad``, ``\\``, ``\,``, ``\tag{2}``, ``\noindent``), an alignment ``&``, an
#: equation number ``(3)`` after the math, a dash.
_DECORATION = re.compile(r"\\(?:[,;:!> ]|\\|(?:q?quad|hfill|hfil|hspace\*?\s*\{[^{}\n]{0,20}\}|[hv]?space|noindent|"
                         r"indent|newline|linebreak|nonumber|notag|displaystyle|medskip|smallskip|bigskip|par|"
                         r"(?:tag\*?|label)\s*\{[^{}\n]{0,40}\})(?![A-Za-z]))|&|(?<=\s)\(\d{1,3}(?:\.\d{1,3})?\)\s*\Z|"
                         r"[\u2013\u2014\u2015]|\\\Z|\A\]\([^()\s]{0,300}\)")
#: Marks that deny or withdraw what is beside them (a question, a cross): the math is not claimed.
_DENIAL = frozenset("?~\u2717\u2718\u274c\u2716\u274e\U0001f6ab\u26d4")


def undecorated(text: str) -> str:
    """``text`` (beside math on its line) without what shows no words: invisible characters, other
    spaces, LaTeX layout outside math, and pictographs (a check mark, an emoji) -- but a denial
    (``?``, a cross, ``~~``) is kept, as the math beside it is then no claim."""
    if text.isascii() and "\\" not in text and "&" not in text and "(" not in text and "]" not in text:
        return text
    text = _DECORATION.sub(" ", text)
    return "".join(" " if _pictograph(c) else c for c in text if c not in _INVISIBLE)


_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\u00ad\ufeff\u180e\ufe0f\ufe0e")


def _pictograph(char: str) -> bool:
    """A symbol (not a letter, digit or ASCII mark) or an unusual space, unless it denies."""
    if char.isascii() or char in _DENIAL:
        return False
    import unicodedata

    return unicodedata.category(char)[0] in "SZ"


_DECORATION_MATH = re.compile(r"\s*\\(?:checkmark|blacksquare|square|Box|qed|surd|quad|qquad)\s*")


def opens_line(before: str) -> bool:
    """Whether the text before math on its line is only markers (and a short label): the math is
    alone on its line.  Word by word, so that no pattern backtracks over a long line."""
    text = before.strip()
    label = _LABEL.search(text[-40:])
    if label is not None:
        text = text[:len(text) - len(label.group())]
    return _only_markers(text)


def _only_markers(text: str) -> bool:
    """Whether ``text`` is list or quote markers, heading ``#``s, emphasis, arrows or check marks only."""
    return all(_MARKER.fullmatch(word) or _MARKER.fullmatch(word.strip("*_") or "*") for word in text.split())


_WHOLE_BOX = re.compile(r"\s*\\boxed\s*\{(.*)\}[\s.,;]*\Z", re.S)


def unboxed(math: str) -> str:
    """The math inside a ``\\boxed{...}`` that is the whole display (``\\boxed{g = E}``), else the math."""
    whole = _WHOLE_BOX.match(math)
    if whole is None:
        return math
    depth = 0
    for char in re.sub(r"\\.", "", whole.group(1)):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return math
    return whole.group(1) if depth == 0 else math


def _without_math(line: str) -> str:
    """The line's text with its other math, the commas between them and HTML tags blanked: math on
    a line of math only (``$$ a + a = 2a $$ $a = 3a$``, ``$x = 1$, $y = 2$``, ``<b>$a = 3a$</b>``) is
    alone on it."""
    line = _TAG.sub(" ", line) if "<" in line else line
    return _MATH_PIECE.sub(" ", line).replace(",", " ").replace(";", " ") if "$" in line or "\\" in line else line


def bare_boxes(text: str, start: int, found: MarkdownMath) -> list[Span]:
    """Each ``\\boxed{...}`` (or other box) written outside math, code and comments, as an inline
    span of its own: a reader sees the answer it gives, rendered or not."""
    taken = _taken(text, start, found)
    spans: list[Span] = []
    closers: dict[int, int] | None = None
    for match in ANSWER_BOX.finditer(text, start):
        at = match.start()
        if _inside(taken, at) or (spans and at < spans[-1].end) or (at > 0 and text[at - 1] == "\\"):
            continue
        closers = _closers(text, start) if closers is None else closers
        end = _argument_end(text, match.end(), closers)
        if end is not None:
            spans.append(Span("$", at, at, end, end))
    return spans


def coded_answers(text: str, start: int, found: MarkdownMath) -> list[Span]:
    """Code spans right after the word "answer" (``**Answer:** `2Ax` ``), as inline math: the answer
    a reader sees, in backticks.  (markdown-it-py reads no code span in text with no math: they are
    found here.)"""
    taken = _taken(text, start, found)
    spans = []
    for match in _CODED_ANSWER.finditer(text, start):
        at, ticks = match.start(1), len(match.group(1))
        if not _inside(taken, at) and text[at - 1:at] != "\\":
            spans.append(Span("$", at, at + ticks, match.end() - ticks, match.end()))
    return spans


#: Answers a grader reads outside math: GSM8K's ``#### E`` line and an ``<answer>E</answer>`` tag.
_PLAIN_ANSWER = re.compile(r"^[ \t]{0,3}####[ \t]+(?P<gsm>[^\n]{1,500}?)[ \t#]*$|<answer>[ \t\n]*(?P<tag>.{1,2000}?)[ \t\n]*</answer>",
                           re.M | re.S | re.I)
_WORD = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{3,}")
_HAS_MATH = re.compile(r"\$|`|\\[(\[]|\\begin|\\boxed")
#: The words before math that make it the answer in a grader's format (``#### $E$``, ``<answer>$E$``).
_FORMAT_CUE = re.compile(r"(?:^[ \t]{0,3}####[ \t]*|<answer>[ \t]*)\Z", re.I)


def plain_answers(text: str, start: int, found: MarkdownMath) -> list[Span]:
    """The answer of a ``#### E`` line or an ``<answer>E</answer>`` tag written without math, as inline
    math: the answer a grader extracts and a reader sees (with math in it, the math is the answer,
    :func:`answer_cued`)."""
    taken = _taken(text, start, found)
    spans = []
    for match in _PLAIN_ANSWER.finditer(text, start):
        group = "gsm" if match.group("gsm") is not None else "tag"
        at, end = match.start(group), match.end(group)
        if (not _inside(taken, match.start()) and not _HAS_MATH.search(text, at, end) and text[at:end].strip()
                and (group == "tag" or not _WORD.search(text, at, end))):  # `#### Step 2` is a heading
            spans.append(Span("$", at, at, end, end))
    return spans


#: A prose line that is an equation written without math delimiters (``a + a = 3a``, ``∇f = 2Ax``):
#: a relation and nothing :data:`_NOT_EQUATION` names -- list markers and a label before it aside.
_LINE = re.compile(r"^[^\n]{3,400}$", re.M)
_EQUATION_LEAD = re.compile(r"[ \t]{0,3}(?:(?:[>*_#-]{1,6}|\d{1,3}[.)])[ \t]+){0,4}(?:[*_]{0,2}[A-Za-z][A-Za-z0-9 ]{0,20}:"
                            r"[*_]{0,2}[ \t]+)?")
_RELATES = re.compile("[=\u2264\u2265\u2260]")
#: What makes a line no plain equation deriv reads as written: a word (three letters outside a command),
#: an operator name in letters (``tr(AB)``, ``exp(x)``: LaTeX would read a product of letters), a list or
#: a matrix in brackets, a comparison in code (``==``, ``=>``), a link, math delimiters or HTML.
_NOT_EQUATION = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{3,}|(?<![\\A-Za-z{])(?:tr|Tr|ln|lg)(?![A-Za-z])|==|=>|=\s*\Z|"
                           r"\A\s*=|://|\\\(|\\\[|\\boxed|[$`<>|,;\[\]\"?!@#~&]")


def plain_equations(text: str, start: int, found: MarkdownMath) -> list[Span]:
    """Each prose line that is an equation written without math delimiters (``a + a = 3a``, after
    list markers or a short label), as inline math alone on its line: a reader sees the equation.
    Line by line, each looked at once (no pattern backtracks over a long line)."""
    if not _RELATES.search(text, start):
        return []
    taken = _taken(text, start, found)
    spans = []
    for line in _LINE.finditer(text, start):
        if not _RELATES.search(line.group()):
            continue
        lead = _EQUATION_LEAD.match(line.group())
        at = line.start() + (lead.end() if lead else 0)
        end = line.start() + len(line.group().rstrip(" \t.,;"))
        math = text[at:end]
        if at < end and _RELATES.search(math) and not _NOT_EQUATION.search(math) \
                and not _inside(taken, line.start()) and not _inside(taken, end - 1):
            spans.append(Span("$", at, at, end, end))
    return spans


#: MathML a renderer draws, which deriv does not read.
_MATHML = re.compile(r"<math[\s>]", re.I)


def mathml(text: str, start: int, found: MarkdownMath) -> list[int]:
    """The offsets of MathML (``<math>...</math>``) outside code and comments: a reader sees its math."""
    if "<math" not in text.lower():
        return []
    taken = _taken(text, start, found)
    return [m.start() for m in _MATHML.finditer(text, start) if not _inside(taken, m.start())]


MATHML = "MathML (<math>) is not read: write the math in LaTeX ($$ ... $$)"


def unrendered_lines(text: str, start: int, found: MarkdownMath) -> list[int]:
    """The offsets of prose lines that open with ``=`` outside math and code."""
    taken = _taken(text, start, found)
    return [m.start() for m in _PROSE_CONTINUATION.finditer(text, start) if not _inside(taken, m.start())]


def math_in_code(text: str, found: MarkdownMath) -> list[int]:
    """The offsets of code (blocks and spans) that holds a step written as math: display math with a
    relation (``$$ a = 3a $$`` indented, fenced or in backticks), a relation in a ``latex``/``tex`` fence,
    or a code block right after the word "answer" (``Answer:`` then the answer as code)."""
    code = sorted([*found.blocks.code.items(), *found.code_spans.items()])
    blocks = found.blocks.code
    return [start for start, end in code
            if (_RELATION_IN_CODE.search(text, start, end) and
                (_DISPLAY_IN_CODE.search(text, start, end) or _LATEX_FENCE.match(text, start)))
            or (start in blocks and answer_cued(text[max(0, start - 200):start]))]


MATH_IN_CODE = ("a step in a code block is shown as code, where it is not read: write it as display math "
                "($$ ... $$), outside the code")
UNRENDERED = ("a line of prose that opens with '=' continues a chain outside math, where it is not read: "
              "write it in math ($$ = ... $$)")


def _taken(text: str, start: int, found: MarkdownMath) -> tuple[list[int], list[int]]:
    """The regions that are math, code or a comment already: their starts and (running
    maximum) ends, sorted, so that :func:`_inside` is a bisection."""
    regions = [(s.opener, s.end) for s in found.spans]
    regions += list(found.blocks.code.items()) + list(found.code_spans.items())
    regions += [(at, fence.end) for at, fence in found.blocks.math.items()]  # a ```math fence is math
    regions += [(m.start(), m.end()) for m in _COMMENT.finditer(text, start)] if "<!--" in text else []
    regions.sort()
    ends = list(accumulate((hi for _, hi in regions), max))
    return [lo for lo, _ in regions], ends


def _inside(taken: tuple[list[int], list[int]], at: int) -> bool:
    starts, ends = taken
    k = bisect.bisect_right(starts, at) - 1
    return k >= 0 and at < ends[k]


def _argument_end(text: str, pos: int, closers: dict[int, int]) -> int | None:
    """One past the last braced argument after a box command (``\\colorbox{c}{E}`` has two, ``\\bbox``
    an optional ``[...]`` first), or None; ``closers``: each ``{``'s matching ``}`` (:func:`_closers`)."""
    end = None
    while True:
        while pos < len(text) and text[pos] in " \t":
            pos += 1
        if text.startswith("[", pos):
            close = text.find("]", pos, pos + _MAX_ANSWER)
            if close < 0:
                return end
            pos = close + 1
            continue
        close = closers.get(pos, -1) if text.startswith("{", pos) else -1
        if close < 0 or close - pos > _MAX_ANSWER:
            return end
        pos = end = close + 1


def _closers(text: str, start: int) -> dict[int, int]:
    """Each ``{``'s matching ``}`` (escaped braces skipped), in one pass: no box's argument is scanned twice."""
    closers, opened, k = {}, [], start
    for match in _BRACES.finditer(text, start):
        k = match.start()
        if match.group() == "{":
            opened.append(k)
        elif match.group() == "}" and opened:
            closers[opened.pop()] = k
    return closers


__all__ = ["ANSWER_BOX", "MATHML", "MATH_IN_CODE", "UNRENDERED", "answer_cued", "bare_boxes", "coded_answers", "concluded_in_sentence", "continued_in_sentence", "plain_answers", "states",
           "concluded_in_words", "continues_in_words", "displayed", "is_answer",
           "intertext_claims", "math_in_code", "mathml", "plain_equations", "opens_line", "unboxed", "unrendered_lines"]
