"""Renderers: result objects in, text out; none of them prints or decides.

``text`` gives the terminal report as lines, ``json`` the documented JSON report (docs/cli.md).
Both import only :mod:`deriv.results`, so they stay cheap to import.
"""

from __future__ import annotations

from deriv.render.json import render_json
from deriv.render.text import render_run

__all__ = ["render_json", "render_run"]
