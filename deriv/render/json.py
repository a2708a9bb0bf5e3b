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


def render_json(run: RunResult) -> str:
    """The run as an indented JSON document (ASCII-only, safe on any terminal)."""
    return json.dumps(run.to_json(), indent=2)
