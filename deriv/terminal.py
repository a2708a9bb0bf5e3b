"""What the command line asks of the terminal: colour, and a progress bar on stderr.

Light on purpose (no SymPy, no click): ``deriv --help`` imports it.
"""

from __future__ import annotations

import os
import sys
from typing import IO, Any


def want_color(no_color: bool, stream: IO[Any] | None = None) -> bool:
    """Colour only on a terminal, and never with --no-color or NO_COLOR set.

    NO_COLOR counts when present and non-empty (https://no-color.org).
    """
    if no_color or os.environ.get("NO_COLOR"):
        return False
    return is_terminal(sys.stdout if stream is None else stream)


def is_terminal(stream: IO[Any]) -> bool:
    """True when ``stream`` is a terminal (False when closed, or not a file at all)."""
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


def want_progress(fmt: str, quiet: bool, stream: IO[Any] | None = None) -> bool:
    """The progress bar only for the text report, not --quiet, on a terminal (stderr) that can draw it."""
    if fmt != "text" or quiet or os.environ.get("TERM") == "dumb":
        return False
    return is_terminal(sys.stderr if stream is None else stream)


class ProgressBar:
    """Redraws one line on stderr as documents are checked; erased before the report is printed."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.drawn = False

    def __call__(self, done: int, total: int, result: Any) -> None:
        from deriv.render.progress import progress_line

        if total < 2:
            return  # one document: nothing to follow
        self.stream.write("\r\x1b[2K" + progress_line(done, total, result.path))
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
