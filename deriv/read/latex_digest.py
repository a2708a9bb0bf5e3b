"""What a LaTeX source's verdicts depend on, as one hash: the file with its ``\\input`` files in place.

In: the path of a ``.tex`` file.  Out: a SHA-256 hex digest of its flattened
text (:func:`deriv.read.latex_source.flatten`) -- every line, where each came
from, and every problem met on the way (an ``\\input`` file missing, outside
the folder, a cycle).  The reader checks exactly that flattened text, so two
sources with one digest get one result: a file ``\\input{defs.txt}`` brings in
(no ``.tex``), a file that appears where one was missing, a file that goes,
each changes it.  The result cache (:mod:`deriv.cache`) keys on it.
"""

from __future__ import annotations

import hashlib
import json
import os

from deriv.read.latex_source import Flat, flatten


def latex_digest(path: str | os.PathLike[str]) -> str:
    """The digest of ``path`` flattened (:class:`~deriv.errors.DerivError` when it can not be read)."""
    return hashlib.sha256(flat_text(flatten(os.fspath(path))).encode("utf-8", "surrogatepass")).hexdigest()


def flat_text(flat: Flat) -> str:
    """Every field of ``flat`` as one text, unambiguously (JSON)."""
    return json.dumps([flat.lines, sorted(flat.blank), [(o.first, o.path, o.line) for o in flat.origins],
                       flat.problems, flat.header, flat.yaml])
