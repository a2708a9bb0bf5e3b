"""``deriv check --format github``: GitHub Actions workflow commands, one a line.

In: a :class:`~deriv.results.RunResult`.  Out: ``::error file=F,line=N,title=T::MESSAGE``
annotations (``::warning`` for undecided steps), which GitHub shows on the lines of
a pull request's files, then the summary as plain log text.

GitHub shows at most 10 errors and 10 warnings of one step, so the order is
what a reviewer needs first: refuted and unexpectedly passing steps, then the
documents and steps deriv could not check (errors, timeouts), then warnings.
Steps carry no column, so no ``col=`` is written.  Values are escaped as the
runner requires: ``%``, CR and LF everywhere, and ``:`` and ``,`` in properties.
"""

from __future__ import annotations

from deriv.render.escapes import safe_text
from deriv.results import FileResult, RunResult, StepResult, Verdict
from deriv.render.text import render_details, short_message, summary_counts

#: Where each verdict goes: (rank -- lower first --, level), or absent when it passes.
_LEVELS = {
    Verdict.REFUTED: (0, "error"),
    Verdict.UNEXPECTED_PASS: (0, "error"),
    Verdict.ERROR: (1, "error"),
    Verdict.TIMEOUT: (1, "error"),
    Verdict.UNDECIDED: (3, "warning"),
}


def escape_data(text: str) -> str:
    """A workflow command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value (``file=``, ``title=``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, **properties: object) -> str:
    """``::level key=value,...::message`` (properties that are None left out)."""
    shown = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items() if value is not None)
    return f"::{level} {shown}::{escape_data(message)}" if shown else f"::{level}::{escape_data(message)}"


def _level(step: StepResult, strict: bool) -> tuple[int, str] | None:
    if not step.passes(strict=strict) and step.verdict is Verdict.TESTED:
        return (2, "error")  # --strict fails on tested: shown after what is wrong or broken
    return _LEVELS.get(step.verdict)


def _step(file: FileResult, step: StepResult, level: str, seed: int) -> str:
    title = f"deriv: {step.verdict.value} {step.where}" + (f" ({step.label})" if step.label else "")
    details = [line.strip() for line in render_details(step, file.path, seed=seed)]
    message = "\n".join([short_message(step) or step.verdict.value, *details])
    return command(level, message, file=step.file or file.path, line=step.line or None,
                   col=step.column if step.line else None, title=title)


def render_github(run: RunResult, *, strict: bool = False, seed: int = 0) -> str:
    """The run's annotations, most important first, and the summary line."""
    ranked: list[tuple[int, int, str]] = []
    for file in run.files:
        if file.error:
            ranked.append((1, len(ranked), command("error", safe_text(file.error), file=file.path, line=file.error_line,
                                                   title="deriv: document not checked")))
        for step in file.steps:
            if (where := _level(step, strict)) is not None:
                ranked.append((where[0], len(ranked), _step(file, step, where[1], seed)))
    for unchecked in run.unchecked:
        if unchecked.suspicious:
            level = "error" if strict else "warning"
            ranked.append((2 if strict else 3, len(ranked),
                           command(level, f"looks like a derivation but was not checked: {safe_text(unchecked.reason)}",
                                   file=unchecked.path, title="deriv: not checked")))
    lines = [text for _, _, text in sorted(ranked)]
    lines.append(f"deriv: {summary_counts(run) or 'nothing checked'}")
    return "\n".join(lines)
