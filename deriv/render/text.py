"""The plain-text report of ``deriv check``: results in, lines out.

Nothing here prints or decides anything.  Every function turns result
objects into a list of lines; the CLI (and anything else, e.g. the pytest
plugin) does the printing.  Colour is a flag, so the same lines serve a
terminal and a log file.

>>> from deriv.results import FileResult, RunResult, StepResult, Verdict
>>> step = StepResult(line=14, label="2", relation="=", lhs="a", rhs="a",
...                   verdict=Verdict.PROVED)
>>> run = RunResult((FileResult("notes.md", "Notes", steps=(step,)),))
>>> print("\\n".join(render_run(run)))
notes.md -- Notes
  proved  (2)  line 14
<BLANKLINE>
1 proved (1 step, 1 file)
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Iterable, Sequence

from deriv.render.escapes import safe_line, safe_text
from deriv.results import (
    PASSING,
    FileResult,
    RunResult,
    StepResult,
    Suggestion,
    Unchecked,
    Verdict,
)

#: Terminal colour per verdict (click.style names); green passes, red is
#: wrong mathematics, yellow is "could not check" (which is not a pass either).
VERDICT_COLORS: dict[Verdict, str] = {
    Verdict.PROVED: "green",
    Verdict.TESTED: "cyan",
    Verdict.EXPECTED_FAIL: "green",
    Verdict.SKIPPED: "bright_black",
    Verdict.REFUTED: "red",
    Verdict.UNEXPECTED_PASS: "red",
    Verdict.ERROR: "yellow",
    Verdict.TIMEOUT: "yellow",
    Verdict.UNDECIDED: "yellow",
}

#: Verdicts worth a ``--seed`` rerun hint: they depend on the random draw.
SEEDED = frozenset(
    {Verdict.TESTED, Verdict.REFUTED, Verdict.UNEXPECTED_PASS, Verdict.UNDECIDED, Verdict.TIMEOUT}
)
#: Verdicts whose members are repeated in the details: the reader has to look
#: at the mathematics.  (Not tested/skipped/expected-fail: nothing to fix there.)
SHOW_MEMBERS = frozenset(
    {Verdict.REFUTED, Verdict.UNEXPECTED_PASS, Verdict.UNDECIDED, Verdict.TIMEOUT, Verdict.ERROR}
)
#: What a step's line says when the checker gave no message.
DEFAULT_MESSAGES = {Verdict.TESTED: "held on random instances (not proved)"}

#: The key of a verified matrix form of a chain's last member.
RESTATED = "in matrix form"
#: Longest message shown on a step's own line; the rest goes to the details.
SHORT_MESSAGE = 70
#: Longest member shown in the details; LaTeX of a whole sum can be huge.
SHORT_MEMBER = 80

INDENT = "  "
DETAIL = "      "

Style = Callable[..., str]


def _plain(text: str, **_: object) -> str:
    return text


def _styler(color: bool) -> Style:
    """click.style when colouring, identity otherwise (click imported lazily)."""
    if not color:
        return _plain
    import click

    return click.style


def _clip(text: str, width: int) -> str:
    """One line of at most ``width`` characters, marked when cut."""
    text = " ".join(safe_text(text).split())
    return text if len(text) <= width else text[: width - 3].rstrip() + "..."


def passing_verdicts(strict: bool = False) -> frozenset[Verdict]:
    """Verdicts that count as passing; ``tested`` does not under --strict."""
    return PASSING - {Verdict.TESTED} if strict else PASSING


def step_label(step: StepResult) -> str:
    """``(2)`` for a labelled step, ``-`` otherwise."""
    return f"({safe_line(step.label)})" if step.label else "-"


def short_message(step: StepResult) -> str:
    """The message as it fits on the step's line (empty when an equality is proved)."""
    if step.verdict is Verdict.PROVED and (step.relation == "=" or not step.message.strip()):
        return ""
    if not step.message.strip():
        return DEFAULT_MESSAGES.get(step.verdict, "")
    return _clip(step.message.strip().splitlines()[0], SHORT_MESSAGE)


def render_step_line(
    step: StepResult,
    *,
    verdict_width: int = 0,
    label_width: int = 0,
    line_width: int = 0,
    color: bool = False,
) -> str:
    """``  refuted  (3)  line 20  message`` with columns padded to the widths."""
    style = _styler(color)
    verdict = style(step.verdict.value.ljust(verdict_width), fg=VERDICT_COLORS[step.verdict])
    label = step_label(step).ljust(label_width)
    where = step.where.ljust(line_width + len("line "))
    message = short_message(step)
    return f"{INDENT}{verdict}  {label}  {where}  {message}".rstrip()


def render_details(
    step: StepResult, path: str, *, seed: int = 0, color: bool = False
) -> list[str]:
    """Indented lines saying why a non-proved step got its verdict; for a proved
    step its matrix form, and for a proved claim the facts it used."""
    style = _styler(color)
    lines: list[str] = []
    if step.verdict is Verdict.PROVED:
        if step.message.strip():  # what it rests on, or how it was read (a broadcast)
            lines.append(f"{DETAIL}{style('message:', dim=True)} {safe_text(step.message.strip())}")
        return lines + [f"{DETAIL}{style(RESTATED + ':', dim=True)} {_suggested(s)}" for s in step.suggestion
                        if s.kind == "matrix-form"]

    def add(key: str, value: str, **styles: object) -> None:
        paint = (lambda t: style(t, **styles)) if styles else _plain
        first, *rest = safe_text(value).splitlines() or [""]
        lines.append(f"{DETAIL}{style(key + ':', dim=True)} {paint(first)}")
        # Keep a multi-line message's shape (a parser's caret under the error).
        lines.extend(f"{DETAIL}  {paint(more)}" for more in rest)

    message = step.message.strip()
    if message and short_message(step) != " ".join(safe_text(message).split()):
        add("message", message)  # the step's line could not show all of it
    if step.verdict in SHOW_MEMBERS and (step.lhs or step.rhs):
        relation = step.relation or "="
        # A display that did not parse has no left side: its text as written is the right.
        add("step", f"{_clip(step.lhs, SHORT_MEMBER)}  {relation}  {_clip(step.rhs, SHORT_MEMBER)}"
            if step.lhs else _clip(step.rhs, SHORT_MEMBER))
    if step.justification:
        add("justification", _clip(step.justification, SHORT_MEMBER))
    if step.counterexample is not None:
        add("counterexample", step.counterexample.describe())
    for suggestion in step.suggestion:
        if suggestion.kind == "matrix-form":
            add(RESTATED, _suggested(suggestion))
        else:
            add("suggestion", _suggested(suggestion), bold=True)
    if step.verdict in SEEDED:
        used = step.counterexample.seed if step.counterexample is not None else seed
        add("reproduce", f"deriv check {shlex.quote(safe_line(path))} --seed {used}")
    return lines


def _suggested(suggestion: Suggestion) -> str:
    """``rename k to n (proved): W_{j,n}``: the LaTeX last, whole, so that it can be pasted."""
    if suggestion.kind == "matrix-form":  # not a repair: the step holds, restated
        return safe_text(f"{suggestion.latex}  ({suggestion.verdict.value})")
    detail = f"{suggestion.detail} " if suggestion.detail else ""
    return safe_text(f"{detail}({suggestion.verdict.value}): {suggestion.latex}")


def render_file_error(file: FileResult, *, color: bool = False) -> list[str]:
    """``path:line: error: message`` for a document that could not be read."""
    style = _styler(color)
    where = f"{file.path}:{file.error_line}" if file.error_line else file.path
    first, *rest = safe_text(file.error or "").splitlines() or [""]
    head = f"{style(safe_line(where), bold=True)}: {style('error', fg='yellow', bold=True)}: {first}"
    return [head, *(f"{DETAIL}{more}" for more in rest)]


def render_header(file: FileResult, *, color: bool = False) -> str:
    """The file's path, and its title when the front matter gives one."""
    style = _styler(color)
    title = f" -- {_clip(file.title, SHORT_MEMBER)}" if file.title else ""
    return f"{style(safe_line(file.path), bold=True)}{title}"


Widths = tuple[int, int, int]


def column_widths(steps: Iterable[StepResult]) -> Widths:
    """Widths of the verdict, label and line-number columns, so columns line up."""
    steps = list(steps)
    if not steps:
        return (0, 0, 0)
    return (
        max(len(s.verdict.value) for s in steps),
        max(len(step_label(s)) for s in steps),
        max(len(s.where) - len("line ") for s in steps),
    )


def visible_steps(file: FileResult, *, quiet: bool = False, strict: bool = False) -> list[StepResult]:
    """The steps a report shows: all of them, or with --quiet only those not passing."""
    return [s for s in file.steps if not (quiet and s.passes(strict=strict))]


def render_file(
    file: FileResult,
    *,
    widths: Widths | None = None,
    quiet: bool = False,
    strict: bool = False,
    seed: int = 0,
    color: bool = False,
) -> list[str]:
    """Header, one line per step and its details; nothing if quiet and all passed."""
    if file.error:
        return render_file_error(file, color=color)
    steps = visible_steps(file, quiet=quiet, strict=strict)
    if quiet and not steps:
        return []
    lines = [render_header(file, color=color)]
    if not file.steps:
        lines.append(f"{INDENT}no steps to check")
        return lines
    verdict_width, label_width, line_width = widths or column_widths(steps)
    for step in steps:
        lines.append(
            render_step_line(
                step,
                verdict_width=verdict_width,
                label_width=label_width,
                line_width=line_width,
                color=color,
            )
        )
        lines.extend(render_details(step, file.path, seed=seed, color=color))
    return lines


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def summary_counts(run: RunResult) -> str:
    """``12 proved, 2 tested, 1 refuted``: the nonzero counts, in verdict order."""
    return ", ".join(f"{n} {v}" for v, n in run.summary().items() if n)


def render_summary(
    run: RunResult,
    *,
    strict: bool = False,
    elapsed: float | None = None,
    color: bool = False,
) -> list[str]:
    """The closing line, coloured by outcome, and a note when steps were only tested.

    ``12 proved, 2 tested, 1 refuted (15 steps, 3 files) in 0.53 s``
    """
    style = _styler(color)
    counts = [summary_counts(run)]
    file_errors = sum(1 for f in run.files if f.error)
    if file_errors:
        counts.append(_plural(file_errors, "file error"))
    counted = ", ".join(c for c in counts if c) or "nothing checked"
    line = f"{counted} ({_plural(len(run.steps), 'step')}, {_plural(len(run.files), 'file')})"
    if elapsed is not None:
        line += f" in {elapsed:.2f} s"
    fg = {0: "green", 1: "red"}.get(run.exit_status(strict=strict), "yellow")
    lines = [style(line, fg=fg, bold=True)]
    tested = run.summary()[Verdict.TESTED.value]
    if tested:
        was = "was" if tested == 1 else "were"
        how = "--strict counts that as failing" if strict else "which is weaker than proved"
        lines.append(f"note: {_plural(tested, 'step')} {was} only tested on random instances, {how}")
    if run.unchecked:
        lines.append(render_unchecked(run.unchecked, strict=strict))
    return lines


#: Files named one by one in the summary line at most.
SHOWN_UNCHECKED = 6


def render_unchecked(unchecked: Sequence[Unchecked], *, strict: bool = False) -> str:
    """One line: the files a folder run did not check, and why (those that look like derivations first)."""
    ordered = sorted(unchecked, key=lambda u: not u.suspicious)
    shown = "; ".join(f"{safe_line(u.path)} ({safe_line(u.reason)})" for u in ordered[:SHOWN_UNCHECKED])
    more = f"; and {len(ordered) - SHOWN_UNCHECKED} more" if len(ordered) > SHOWN_UNCHECKED else ""
    suspicious = sum(u.suspicious for u in unchecked)
    verdict = (" -- --strict fails on those with display math" if strict else
               " -- add deriv front matter to check them, or --strict to fail on them") if suspicious else ""
    return f"not checked: {_plural(len(unchecked), 'file')}: {shown}{more}{verdict}"


def render_run(
    run: RunResult,
    *,
    quiet: bool = False,
    strict: bool = False,
    seed: int = 0,
    elapsed: float | None = None,
    color: bool = False,
) -> list[str]:
    """The whole report: each file's block and a blank line, then the summary."""
    # One set of column widths for the whole run, so files line up too.
    widths = column_widths(s for f in run.files for s in visible_steps(f, quiet=quiet, strict=strict))
    lines: list[str] = []
    for file in run.files:
        block = render_file(file, widths=widths, quiet=quiet, strict=strict, seed=seed, color=color)
        if block:  # quiet drops files where everything passed
            lines.extend([*block, ""])
    lines.extend(render_summary(run, strict=strict, elapsed=elapsed, color=color))
    return lines
