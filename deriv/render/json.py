"""The JSON report of ``deriv check --format json`` (SPEC section 4.1).

The document itself is built by :meth:`deriv.results.RunResult.to_json`;
this module only serialises it, so every consumer sees one schema.

>>> from deriv.results import RunResult
>>> print(render_json(RunResult(())))  # doctest: +ELLIPSIS
{
  "version": 1,
  "files": [],
  "summary": {
    "proved": 0,
...
"""

from __future__ import annotations

import json

from deriv.results import RunResult


#: Past this many steps the report is compact: indenting runs Python's slow
#: encoder (about 35 us a step), compact output its C one (5 MB documents).
INDENTED_STEPS = 10_000


def render_json(run: RunResult) -> str:
    """The run as an indented JSON document (ASCII-only, safe on any terminal)."""
    steps = sum(len(f.steps) for f in run.files)
    return json.dumps(run.to_json(), indent=2 if steps <= INDENTED_STEPS else None)
