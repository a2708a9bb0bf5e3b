r"""Results as Markdown with TeX, for notebooks that do not show MathML.

JupyterLab's sanitiser strips MathML from untrusted outputs, so the HTML
report's mathematics vanishes there; Markdown with ``$$…$$`` is typeset by
Lab itself.  This is that fallback: a verdict mark and word per step, its
members as TeX, its message and counterexample as text.

Nothing a document wrote becomes markup here: TeX goes into ``$$…$$`` only
when it is made of characters that can neither end the mathematics nor
start Markdown or HTML (:data:`SAFE_TEX`), and is otherwise shown as a code
span; every other text has each ASCII punctuation character
backslash-escaped, which CommonMark reads as that character, literally.

>>> from deriv.results import StepResult, Verdict
>>> print(render_markdown(StepResult(7, None, "=", "(A B)^T", "B^T A^T", Verdict.PROVED)))
- ✓ **proved** · line 7: $$ (A B)^T = B^T A^T $$
>>> print(render_markdown(StepResult(9, "2", "=", "<b>x</b>", "x", Verdict.ERROR, message="unknown <b>")))
- ! **error** · \(2\) line 9: `<b>x</b> = x` — unknown \<b\>
"""

from __future__ import annotations

import re

from deriv.results import FileResult, RunResult, StepResult, Verdict

#: One symbol per verdict, as the HTML report's marks have.
MARKS = {Verdict.PROVED: "✓", Verdict.TESTED: "≈", Verdict.REFUTED: "✗", Verdict.ERROR: "!",
         Verdict.EXPECTED_FAIL: "✓", Verdict.UNEXPECTED_PASS: "✗", Verdict.UNDECIDED: "?",
         Verdict.SKIPPED: "–", Verdict.TIMEOUT: "⧗"}
#: TeX drawn as mathematics: no ``$`` (would end it), no ``<>&`` or backtick (HTML, code), no line
#: break, no ``\begin``/``\end`` (an environment could hold anything) -- else a code span.
SAFE_TEX = re.compile(r"(?:[A-Za-z0-9 {}()\[\]_^+\-*/=,.;:|'!~]|\\(?!begin|end)(?=.))*")
#: Commands MathJax turns into a link, a request (``\\require`` loads an extension), a style, a
#: hidden or moved piece of text: never typeset from a document (the HTML report drops them too).
UNSAFE_TEX = re.compile(
    r"\\(?:href|url|require|style|class|cssId|data|htmlData|html|unicode|mmlToken|toggle|mathtip|texttip|"
    r"FormatError|bbox|enclose|(?:text|page)?color|f?colorbox|[hv]?phantom|smash|[rlc]lap|hspace|kern|mkern|"
    r"mskip|mspace|raise|lower|move(?:left|right)|Huge|huge|LARGE|Large|large|tiny|scriptsize|footnotesize|"
    r"small|normalsize)(?![A-Za-z])")
_PUNCTUATION = re.compile(r"([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")


def text(value: str) -> str:
    """Plain text that CommonMark shows as written: each ASCII punctuation escaped, one line."""
    return _PUNCTUATION.sub(r"\\\1", " ".join(value.split()))


def code(value: str) -> str:
    """A code span holding ``value`` literally, however many backticks it has."""
    value = " ".join(value.split())
    fence = "`" * (max((len(run) for run in re.findall("`+", value)), default=0) + 1)
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def block(lines: list[str], indent: str) -> str:
    """A fenced code block (a fence longer than any run of backticks in it), each line literal."""
    longest = max((len(run) for line in lines for run in re.findall("`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return "\n".join(indent + part for part in [fence, *lines, fence])


def tex(value: str) -> str:
    """TeX typeset as a display when it is safe to, else shown as code."""
    flat = " ".join(value.split())
    typeset = flat and SAFE_TEX.fullmatch(flat) and not UNSAFE_TEX.search(flat) and not flat.endswith("\\")
    return f"$$ {flat} $$" if typeset else code(flat)


def render_step(step: StepResult) -> str:
    label = f"{text('(' + step.label + ')')} " if step.label else ""
    members = f"{step.lhs} {step.relation} {step.rhs}" if step.lhs else step.rhs
    line = f"- {MARKS[step.verdict]} **{step.verdict.value}** · {label}line {step.line}: {tex(members)}"
    if step.message:
        line += f" — {text(step.message)}"
    if step.counterexample is not None:
        line += "\n  - counterexample:\n" + block(step.counterexample.describe().split("\n"), "    ")
    line += "".join(f"\n  - suggestion: {text(s.detail)} ({s.verdict.value}): {tex(s.latex)}" for s in step.suggestion)
    return line


def render_file(file: FileResult) -> str:
    head = f"**{text(file.title or file.path)}**"
    if file.error:
        where = f" line {file.error_line}" if file.error_line else ""
        return f"{head}\n\n- ! **error**{where}: {text(file.error)}"
    return "\n".join([head, "", *map(render_step, file.steps)] if file.steps else [head, "", "no steps to check"])


def render_markdown(result: StepResult | FileResult | RunResult) -> str:
    """One step, a file or a run as Markdown."""
    if isinstance(result, StepResult):
        return render_step(result)
    if isinstance(result, FileResult):
        return render_file(result)
    return "\n\n".join(render_file(file) for file in result.files)
