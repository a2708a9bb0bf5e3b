"""The HTML report of ``deriv report``: results and the documents' text in, one page out.

The page is self-contained -- no scripts, fonts, styles or images from
anywhere -- so it works opened from disk, offline.  Each display is the
author's own LaTeX as MathML (:mod:`deriv.render.mathml`), the prose around
it is kept (:mod:`deriv.render.prose`), and beside each display is a mark
per step: a colour *and* a symbol and a word, so it reads without colour.
Under a step that did not pass are the lines ``deriv check`` prints for it
(message, justification, counterexample, suggestion, reproduce): they come
from :func:`deriv.render.text.render_details`, so both reports say the same.

A result whose document text is not at hand (a derivation built in
Python, a run assembled from JSON) is drawn from its steps alone: each
step as ``lhs = rhs``.  Nothing here reads files, prints or decides.

The page is inert, whatever the documents say: every piece of their text
(prose, titles, paths, messages, counterexamples) is escaped; mathematics
is MathML sanitised against an allow-list (:func:`deriv.render.mathml.sanitise`);
characters that reorder text (bidirectional overrides) are replaced; and the
page carries a Content-Security-Policy that allows no script, no load from
anywhere, and exactly one style sheet -- its own, by hash (:data:`CSP`).
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import html
import re
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from deriv.errors import DerivError
from deriv.render.mathml import to_mathml
from deriv.render.prose import render_prose
from deriv.render.style import CSS
from deriv.render.text import DETAIL, render_details, short_message
from deriv.results import FileResult, RunResult, StepResult, Verdict

if TYPE_CHECKING:  # pragma: no cover
    from deriv.read.document import Display

#: The mark's symbol per verdict; the word beside it is the verdict itself.
SYMBOLS: dict[Verdict, str] = {
    Verdict.PROVED: "\u2713",  # check mark
    Verdict.TESTED: "\u2248",  # almost equal
    Verdict.EXPECTED_FAIL: "\u2298",  # circled slash: wrong, and marked so
    Verdict.SKIPPED: "\u2013",  # dash
    Verdict.REFUTED: "\u2717",  # ballot x
    Verdict.UNEXPECTED_PASS: "!",
    Verdict.ERROR: "\u26a0",  # warning sign
    Verdict.TIMEOUT: "\u25d4",  # circle, a quarter filled: a clock ran out
    Verdict.UNDECIDED: "?",
}


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _csp(css: str) -> str:
    digest = base64.b64encode(hashlib.sha256(f"\n{css}".encode()).digest()).decode()
    return (f"default-src 'none'; style-src 'sha256-{digest}'; img-src 'none'; font-src 'none'; "
            "base-uri 'none'; form-action 'none'")


#: The page's policy: no script, nothing loaded, no style but the page's own ``<style>``.
CSP = _csp(CSS)
#: Characters that draw text in another order than it is read (U+202A-U+202E, U+2066-U+2069):
#: no report needs them, and they can make a line read as something else.  And lone surrogates
#: (U+D800-U+DFFF): a file name that is no UTF-8 (b'\\xff.md' is '\\udcff.md'), which no page can hold.
#: And control characters but tab and line breaks: HTML forbids them, and a page shown in a
#: terminal (``cat report.html``) would act on an escape sequence a document wrote.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def inert(page: str) -> str:
    """The page with every bidirectional override, lone surrogate and control character (but tab and
    line breaks) replaced by U+FFFD."""
    return _BIDI.sub("\ufffd", page)


@dataclass(frozen=True)
class _Options:
    seed: int
    strict: bool

    def failing(self, step: StepResult) -> bool:
        return not step.passes(strict=self.strict)


def render_report(run: RunResult, sources: Mapping[str, str] | None = None, *, seed: int = 0,
                  strict: bool = False, title: str = "deriv report") -> str:
    """The whole page.  ``sources`` maps a file's path (as in the results) to its text."""
    body = render_body(run, sources, seed=seed, strict=strict)
    return inert(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_e(CSP)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n{body}</body>\n</html>\n"
    )


def render_fragment(result: StepResult | FileResult | RunResult, source: str | None = None, *,
                    seed: int = 0, strict: bool = False) -> str:
    """The same HTML as the report for one step, file or run, with its style: for notebooks."""
    options = _Options(seed, strict)
    if isinstance(result, StepResult):
        inner = '<div class="deriv">\n' + _steps_only([(0, result)], None, 0, options) + "</div>\n"
    elif isinstance(result, FileResult):
        sources = {result.path: source} if source is not None else None
        inner = render_body(RunResult((result,)), sources, seed=seed, strict=strict)
    else:
        inner = render_body(result, None, seed=seed, strict=strict)
    return inert(f"<style>\n{CSS}</style>\n{inner}")


def render_body(run: RunResult, sources: Mapping[str, str] | None, *, seed: int, strict: bool) -> str:
    """Summary, then one section per file, inside ``<div class="deriv">``."""
    options = _Options(seed, strict)
    parts = ['<div class="deriv">\n', _summary(run, options)]
    for number, file in enumerate(run.files, 1):
        parts.append(_file(file, (sources or {}).get(file.path), number, options))
    parts.append("</div>\n")
    return "".join(parts)


def step_id(file_number: int, step_index: int) -> str:
    """The anchor of a step's mark, linked from the summary."""
    return f"s{file_number}-{step_index + 1}"


def mark(verdict: Verdict, text: str | None = None, *, anchor: str | None = None) -> str:
    """The coloured verdict mark: symbol and word, never colour alone."""
    ident = f' id="{anchor}"' if anchor else ""
    word = _e(text if text is not None else verdict.value)
    return (f'<span class="mark {verdict.value}"{ident}><span class="symbol" aria-hidden="true">'
            f"{SYMBOLS[verdict]}</span> {word}</span>")


def _summary(run: RunResult, options: _Options) -> str:
    counts = run.summary()
    marks = " ".join(mark(Verdict(v), f"{n} {v}") for v, n in counts.items() if n)
    total = totals(run)
    status = run.exit_status(strict=options.strict)
    outcome = {0: "Every step passes.", 1: "Some steps are wrong."}.get(status, "Some steps could not be checked.")
    lines = ['<header class="summary">\n<h1>deriv report</h1>\n',
             f'<p class="counts">{marks or "nothing checked"} <span class="total">({total})</span></p>\n',
             (f'<p class="outcome status-{status}">{outcome} '
              f'<span class="seed">Seed {options.seed}{", strict" if options.strict else ""}.</span></p>\n')]
    failures: list[str] = []
    for number, file in enumerate(run.files, 1):
        if file.error:
            where = f"{file.path}:{file.error_line}" if file.error_line else file.path
            failures.append(f'<li><a href="#f{number}">{_e(where)}</a> {mark(Verdict.ERROR)} '
                            f"{_e(_first_line(file.error))}</li>")
        for index, step in enumerate(file.steps):
            if options.failing(step):
                failures.append(f'<li><a href="#{step_id(number, index)}">{_e(file.path)} {_e(step.name)}</a> '
                                f"{mark(step.verdict)} {_e(short_message(step))}</li>")
    if failures:
        lines.append(f'<h2>Not passing ({len(failures)})</h2>\n<ol class="failures">\n{"".join(failures)}</ol>\n')
    lines.append(f'<p class="files">Files: {", ".join(_file_link(n, f) for n, f in enumerate(run.files, 1))}</p>\n'
                 if run.files else "")
    lines.append("</header>\n")
    return "".join(lines)


def totals(run: RunResult) -> str:
    """``57 steps, 5 files``."""
    steps, files = len(run.steps), len(run.files)
    return f"{steps} step{'s' * (steps != 1)}, {files} file{'s' * (files != 1)}"


def _file_link(number: int, file: FileResult) -> str:
    return f'<a href="#f{number}">{_e(file.path)}</a>'


def _first_line(text: str | None) -> str:
    return (text or "").strip().splitlines()[0] if (text or "").strip() else ""


def _file(file: FileResult, source: str | None, number: int, options: _Options) -> str:
    title = f' <span class="title">{_e(file.title)}</span>' if file.title else ""
    head = f'<section class="document" id="f{number}">\n<h2><code>{_e(file.path)}</code>{title}</h2>\n'
    if file.error:
        where = f"{file.path}:{file.error_line}" if file.error_line else file.path
        return (head + f'<div class="file-error">{mark(Verdict.ERROR)} <code>{_e(where)}</code>'
                f"<pre>{_e(file.error)}</pre></div>\n</section>\n")
    if not file.steps and source is None:
        return head + '<p class="none">No steps to check.</p>\n</section>\n'
    # A LaTeX source is not Markdown to lay out: its steps are drawn alone.
    body = _with_source(file, source, number, options) if source is not None and not file.path.endswith(".tex") else None
    if body is None:
        body = _steps_only(list(enumerate(file.steps)), file.path, number, options)
    return head + body + "</section>\n"


def _steps_only(items: Sequence[tuple[int, StepResult]], path: str | None, number: int, options: _Options) -> str:
    """Without the document's text: each step drawn as ``lhs relation rhs``."""
    parts = []
    for index, step in items:
        tex = f"{step.lhs} {step.relation or '='} {step.rhs}" if step.lhs else step.rhs
        math = to_mathml(tex) if tex else f'<span class="where">line {step.line}</span>'
        parts.append(_display(math, [step.label] if step.label else [], [(index, step)], path, number, options))
    return "".join(parts)


def _with_source(file: FileResult, source: str, number: int, options: _Options) -> str | None:
    """Prose and displays in the document's order, each step beside its display."""
    from deriv.read.document import parse_document
    from deriv.read.frontmatter import front_matter_end
    from deriv.read.sources import source_markdown

    try:
        source = source_markdown(source, file.path)
        document = parse_document(source, file.path)
        text = source.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")  # as the reader has it
        lines = text.split("\n")
        end = front_matter_end(lines, file.path)
    except DerivError:
        return None  # the text no longer reads as it did: draw the steps alone
    starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def line(offset: int) -> int:
        return bisect.bisect_right(starts, offset)

    body_start = 1 if end is None else end + 2  # 1-based first line after the front matter
    # One pass over blocks, displays and steps, all in line order: a huge document stays linear.
    pending = deque(sorted(enumerate(file.steps), key=lambda item: item[1].line))
    displays = deque(sorted(document.displays, key=lambda d: d.line))
    parts: list[str] = []
    cursor = body_start
    for start, stop in document.blocks:
        first, last = line(start), line(max(stop - 1, start))
        if last < body_start:
            continue
        parts.append(_prose(lines, cursor, first - 1, _take(pending, first - 1), file.path, number, options))
        while displays and displays[0].line < first:
            displays.popleft()  # outside every block: its steps go with the prose around it
        mine_all: list[Display] = []
        while displays and displays[0].line <= last:
            mine_all.append(displays.popleft())
        for position, display in enumerate(mine_all):
            # Steps on the block's lines after its last display (a label line) belong to that display.
            limit = last if position == len(mine_all) - 1 else display.end_line
            mine = _take(pending, limit)
            labels = list(dict.fromkeys(s.label for _, s in mine if s.label)) or (
                [display.label] if display.label else [])
            if display.text:
                math = to_mathml(display.text)
            else:  # not cut out (an unclosed $$, an unsupported environment): the source as written
                math = f'<pre class="tex">{_e(chr(10).join(lines[first - 1:last]))}</pre>'
            parts.append(_display(math, labels, mine, file.path, number, options))
        cursor = max(cursor, last + 1)
    parts.append(_prose(lines, cursor, len(lines), _take(pending, len(lines)), file.path, number, options))
    if pending:  # steps past the end of the text (it changed since it was checked)
        parts.append(_steps_only(list(pending), file.path, number, options))
    return "".join(parts)


def _take(pending: deque[tuple[int, StepResult]], last_line: int) -> list[tuple[int, StepResult]]:
    """The steps reported on lines up to ``last_line``, taken off the front of ``pending``."""
    taken = []
    while pending and pending[0][1].line <= last_line:
        taken.append(pending.popleft())
    return taken


def _prose(lines: list[str], first: int, last: int, here: list[tuple[int, StepResult]],
           path: str, number: int, options: _Options) -> str:
    """Lines ``first..last`` as prose, then the steps reported on them (a bad directive)."""
    text = render_prose(lines[first - 1:last]) if last >= first else ""
    steps = _steps_only(here, path, number, options) if here else ""
    return (f'<div class="prose">\n{text}</div>\n' if text else "") + steps


def _display(math: str, labels: list[str], steps: list[tuple[int, StepResult]], path: str | None,
             number: int, options: _Options) -> str:
    """One display: the mathematics, its label, a mark per step; details under it."""
    marks = "".join(
        f'<a class="step" href="#{step_id(number, i)}" title="{_e(s.name)}">'
        f"{mark(s.verdict, anchor=step_id(number, i))}</a>"
        for i, s in steps
    )
    label = " ".join(f"({_e(x)})" for x in labels)
    state = " failing" if any(options.failing(s) for _, s in steps) else ""
    parts = [(f'<div class="display{state}">\n<div class="math">{math}</div>\n'
              f'<div class="label">{label}</div>\n<div class="marks">{marks}</div>\n</div>\n')]
    for _, step in steps:
        parts.append(_details(step, path, options))
    return "".join(parts)


def _details(step: StepResult, path: str | None, options: _Options) -> str:
    """The CLI's detail lines for a step that was not proved, as a definition list.

    Without a path (a step on its own) there is no file to rerun: no reproduce line.
    """
    pairs = detail_pairs(render_details(step, path or "", seed=options.seed))
    if path is None:
        pairs = [(key, value) for key, value in pairs if key != "reproduce"]
    if not pairs and step.verdict is not Verdict.PROVED and step.message.strip():
        pairs = [("message", step.message.strip())]
    if not pairs:
        return ""
    rows = "".join(f'<dt>{_e(key)}</dt><dd class="{_e(key.replace(" ", "-"))}">{_detail_value(key, value)}</dd>'
                   for key, value in pairs)
    return f'<dl class="details {step.verdict.value}"><dt>{_e(step.name)}</dt><dd>{mark(step.verdict)} ' \
           f"{_e(short_message(step))}</dd>{rows}</dl>\n"


def _detail_value(key: str, value: str) -> str:
    if "\n" in value:  # a parser's caret under the error, a matrix of a counterexample: keep the shape
        return f"<pre>{_e(value)}</pre>"
    if key in ("reproduce", "step"):
        return f"<code>{_e(value)}</code>"
    return _e(value)


def detail_pairs(lines: list[str]) -> list[tuple[str, str]]:
    """``      key: value`` lines (and their indented continuations) as (key, value).

    >>> detail_pairs(["      message: a", "        ^", "      reproduce: deriv check x.md --seed 0"])
    [('message', 'a\\n^'), ('reproduce', 'deriv check x.md --seed 0')]
    """
    pairs: list[tuple[str, str]] = []
    for line in lines:
        text = line.removeprefix(DETAIL)
        if text.startswith("  ") and pairs:
            key, value = pairs[-1]
            pairs[-1] = (key, f"{value}\n{text[2:]}")
            continue
        key, _, value = text.partition(": ")
        pairs.append((key.rstrip(":"), value))
    return pairs
