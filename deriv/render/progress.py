"""The progress bar ``deriv check`` draws on a terminal: counts in, one line out.

Only the line is made here; the CLI decides whether to draw it at all (a
terminal on stderr, text output, not ``--quiet``) and writes it, so the
report on stdout is the same with or without it.

>>> progress_line(10, 40, "derivations/linear_layer_weights.md", width=20)
'[#####---------------] 10/40 derivations/linear_layer_weights.md'
>>> progress_line(0, 3, "", width=6)
'[------] 0/3'
"""

from __future__ import annotations

from deriv.render.escapes import safe_line

#: Longest path shown after the bar; a longer one keeps its end (the file name).
PATH_WIDTH = 40


def progress_line(done: int, total: int, current: str = "", *, width: int = 30) -> str:
    """``[#####-----] done/total path``: how many documents are checked, and the last one."""
    current = safe_line(current)  # a file's name: never a control character on the terminal
    filled = width * done // total if total else width
    bar = "#" * filled + "-" * (width - filled)
    if len(current) > PATH_WIDTH:
        current = "..." + current[-(PATH_WIDTH - 3):]
    return f"[{bar}] {done}/{total} {current}".rstrip()
