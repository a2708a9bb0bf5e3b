r"""A generated text's math as its reader sees it rendered: Unicode symbols, invisible characters, and ``\\``.

In: the math of one display of a batch item's text (docs/library.md,
"Generated derivations in bulk").  Out: the same math in the LaTeX deriv
reads -- ``−`` is ``-``, ``×`` is ``\times``, ``²`` is ``^{2}``, a full-width
``Ａ`` is ``A``, a zero-width space is nothing -- and whether its line breaks
``\\`` make rows, as KaTeX and MathJax draw them in a display of their own.

A language model writes Unicode where a person writes LaTeX, and an
invisible character where none was meant.  Before, such a display was an
``error`` (a true derivation earned 0.0) and, where the character stood
beside inline math (``$a = 3a$`` then a zero-width space), the math was not
alone on its line, so a false step there was prose.  Every character is
mapped to what it shows, or left for the parser to call an error: nothing
here drops a symbol that a reader sees.
"""

from __future__ import annotations

import re
import unicodedata

#: Characters that show nothing: zero-width spaces and joiners, a word joiner, a soft hyphen, a BOM.
INVISIBLE = "\u200b\u200c\u200d\u2060\u00ad\ufeff\u180e"
_INVISIBLE = re.compile(f"[{INVISIBLE}]")
#: Unicode a model writes for a LaTeX command; each maps to exactly what it shows.
_SYMBOLS = {
    "\u2212": "-", "\u2013": "-", "\u00d7": r" \times ", "\u00b7": r" \cdot ", "\u22c5": r" \cdot ",
    "\u2219": r" \cdot ", "\u2264": r" \le ", "\u2265": r" \ge ", "\u2260": r" \ne ", "\u2248": r" \approx ",
    "\u2261": r" \equiv ", "\u2202": r"\partial ", "\u2207": r"\nabla ", "\u2211": r"\sum ", "\u220f": r"\prod ",
    "\u221e": r"\infty ", "\u2032": "'", "\u2033": "''", "\u22a4": r"^{T}", "\u1d40": "^{T}", "\u2218": r" \circ ",
    "\u2299": r" \odot ", "\u2297": r" \otimes ", "\u2208": r" \in ", "\u2192": r" \to ",
}
_SUPERSCRIPTS = {"\u00b2": "2", "\u00b3": "3", "\u00b9": "1", "\u2070": "0", "\u2074": "4", "\u2075": "5",
                 "\u2076": "6", "\u2077": "7", "\u2078": "8", "\u2079": "9", "\u207b": "-", "\u207a": "+"}
_SUPERSCRIPT_RUN = re.compile(f"[{''.join(_SUPERSCRIPTS)}]+")
_GREEK = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho "
          "final-sigma sigma tau upsilon phi chi psi omega").split()
_LETTERS = {chr(0x3B1 + k): f"\\{name} " for k, name in enumerate(_GREEK) if name not in ("omicron", "final-sigma")}
_LETTERS.update({"\u0393": r"\Gamma ", "\u0394": r"\Delta ", "\u0398": r"\Theta ", "\u039b": r"\Lambda ",
                 "\u03a3": r"\Sigma ", "\u03a6": r"\Phi ", "\u03a8": r"\Psi ", "\u03a9": r"\Omega ",
                 "\u03d5": r"\phi ", "\u03b5": r"\epsilon "})
_MAPPED = {**_SYMBOLS, **_LETTERS}
_UNICODE = re.compile(f"[{''.join(_MAPPED)}]")
#: Spaces other than the ASCII one (no-break, thin, em, ideographic ...).
_SPACES = re.compile(r"[^\S\n\t ]")


def normalized(math: str) -> str:
    """``math`` with each Unicode symbol written as the LaTeX it shows, full-width letters and
    digits as ASCII (NFKC), and invisible characters removed; line breaks kept where they are."""
    if math.isascii():
        return math
    math = _INVISIBLE.sub("", math)
    math = _SUPERSCRIPT_RUN.sub(lambda m: "^{" + "".join(_SUPERSCRIPTS[c] for c in m.group()) + "}", math)
    math = _UNICODE.sub(lambda m: _MAPPED[m.group()], math)
    math = "".join(unicodedata.normalize("NFKC", c) if "\uff01" <= c <= "\uff5e" else c for c in math)
    return _SPACES.sub(" ", math)


#: What may hold a ``\\`` of its own: an environment (a matrix's rows, ``cases``), or braces.
_NESTING = re.compile(r"\\begin\s*\{[^{}]*\}|\\end\s*\{[^{}]*\}|\\\\|\\.|[{}]", re.S)


def breaks_rows(math: str) -> bool:
    """Whether a ``$$``/``\\[`` display's math holds a ``\\`` outside every environment and brace:
    a renderer breaks the line there (``$$ a + a \\\\ = 2a $$``), so its lines are the rows of an ``align``."""
    if "\\\\" not in math:
        return False
    depth = 0
    for token in _NESTING.finditer(math):
        text = token.group()
        if text.startswith("\\begin") or text == "{":
            depth += 1
        elif text.startswith("\\end") or text == "}":
            depth -= 1
        elif text == "\\\\" and depth == 0:
            return True
    return False


#: ``\overset{(a)}{=}``, ``\stackrel{\text{def}}{=}``, ``\mathrel{=}``: a relation with a note above it
#: (a label a reader sees as a reference, never a claim) is that relation.
_NOTED_RELATION = re.compile(r"\\(?:overset|stackrel)\s*\{(?:[^{}]|\{[^{}]*\})*\}\s*\{\s*(=|<|>|\\(?:leq?|geq?|neq?))\s*\}"
                             r"|\\mathrel\s*\{\s*(=|<|>|\\(?:leq?|geq?|neq?))\s*\}")


#: Equality written otherwise: ``:=``, ``\\coloneqq``, ``\\triangleq`` (a definition, read as one where the
#: name is new, else the claim it shows) and ``\\equiv`` (identically equal: what deriv proves; not in
#: modular arithmetic, ``\\pmod``, which stays an error).
_EQUALITY = re.compile(r":=|\\(?:coloneqq|triangleq|equiv)(?![A-Za-z])")


def plain_relations(math: str) -> str:
    """``math`` with each relation that carries a note (``\\overset{(a)}{=}``) written as the relation,
    and each equality written otherwise (``:=``, ``\\equiv``) as ``=``."""
    if ":=" in math or ("\\" in math and "mod" not in math):
        math = _EQUALITY.sub(lambda m: " =" if m.group() == ":=" else " = ", math)
    if "\\overset" not in math and "\\stackrel" not in math and "\\mathrel" not in math:
        return math
    return _NOTED_RELATION.sub(_plain, math)


def _plain(match: re.Match[str]) -> str:
    """The relation, unless its note states a relation of its own (``\\overset{a = 3a}{=}``): a claim,
    left for the parser to call an error."""
    note = match.group()[:match.start(1) - match.start()] if match.group(1) else ""
    if _RELATION.search(note):
        return match.group()
    return f" {match.group(1) or match.group(2)} "


_RELATION = re.compile(r"=|<|>|\\(?:leq?|geq?|neq?)(?![A-Za-z])")


#: Words in symbols that open a row: ``\therefore a = b`` states ``a = b`` (as ``so`` does in prose).
_OPENING_WORD = re.compile(r"\A(\s*(?:&\s*)?)\\(?:therefore|because|implies|Rightarrow|Longrightarrow|iff|Leftrightarrow)"
                           r"(?![A-Za-z])")
#: ``a = b \implies c = d``: two claims, each a row of its own.
_CONSEQUENCE = re.compile(r"\\(?:implies|Rightarrow|Longrightarrow|therefore)(?![A-Za-z])")


#: Layout a renderer draws as nothing or as color only: ``\\phantom{...}`` (invisible), spacing, a color.
_LAYOUT = re.compile(r"\\(?:[hv]?phantom|[hv]space\*?)\s*\{[^{}]{0,200}\}|\\color\s*\{[A-Za-z!0-9 ]{1,30}\}|"
                     r"\\textcolor\s*\{[A-Za-z!0-9 ]{1,30}\}(?=\s*\{)")
#: A TeX comment: from an unescaped ``%`` to the line's end, not rendered.
_COMMENT = re.compile(r"(?<!\\)%[^\n]*")


def unlaid(math: str) -> str:
    """``math`` without what a renderer shows as no symbol: a comment, ``\\phantom{...}``, ``\\hspace{...}``,
    and a color (``\\color{red}``, ``\\textcolor{red}{E}`` is ``{E}``)."""
    if "%" in math:
        math = _COMMENT.sub("", math)
    return _LAYOUT.sub(" ", math) if "space" in math or "phantom" in math or "color" in math else math


def shown(row: str) -> str:
    """One row's math as a reader sees it rendered (:func:`normalized`, :func:`plain_relations`), a
    ``\\therefore`` (or ``\\implies``) opening it dropped: the row states what follows it."""
    row = plain_relations(unlaid(normalized(row)))
    return _OPENING_WORD.sub(lambda m: m.group(1) + " ", row) if "\\" in row else row


def rows_shown(environment: str, math: str) -> tuple[str, str]:
    """The environment a display's math is read as, and its math: a ``$$``/``\\[`` display whose math
    breaks lines (:func:`breaks_rows`) is an ``align*``'s rows, and so is one whose relations are joined
    by ``\\implies``, ``\\Rightarrow`` or ``\\therefore`` (each side a claim of its own:
    ``a + a = 2a \\implies 2a - a = a``)."""
    if environment not in ("$$", "\\["):
        return environment, math
    joined = _consequences_as_rows(math)
    if joined != math or breaks_rows(math):
        return "align*", joined
    return environment, math


def _consequences_as_rows(math: str) -> str:
    """``math`` with each top-level ``\\implies`` between two relations written as a row break, its
    width kept (so that lines and columns stay where they are)."""
    if "\\" not in math or _CONSEQUENCE.search(math) is None:
        return math
    out, depth, last = [], 0, 0
    for token in _NESTING.finditer(math):
        text = token.group()
        depth += 1 if text.startswith("\\begin") or text == "{" else -1 if text.startswith("\\end") or text == "}" else 0
        word = _CONSEQUENCE.match(math, token.start())
        if depth == 0 and word is not None and _RELATION.search(math, last, token.start()) \
                and _RELATION.search(math, word.end()):
            out.append(math[last:token.start()] + "\\\\" + " " * (len(word.group()) - 2))
            last = word.end()
    return "".join(out) + math[last:]


__all__ = ["INVISIBLE", "breaks_rows", "normalized", "plain_relations", "rows_shown", "shown", "unlaid"]
