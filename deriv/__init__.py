r"""deriv: check Markdown + LaTeX derivations step by step.

The public API is loaded lazily, so ``import deriv`` (and the CLI's
``--help``) does not pay for SymPy until something is checked.

>>> import deriv
>>> result = deriv.check_text(r'''---
... symbols:
...   X: matrix S x M
...   W: matrix N x M
... ---
... $$ \left[X W^T\right]_{i,j} = \sum_k X_{i,k} W_{j,k} $$
... ''')
>>> [step.verdict.value for step in result.steps]
['proved']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import deriv.results as _results  # light: an enum and dataclasses

__version__ = "0.1.0"

_EXPORTS = {
    "check_file": "deriv.check.checker",
    "check_text": "deriv.check.checker",
    "check_paths": "deriv.check.checker",
    "CheckOptions": "deriv.check.options",
    "decide": "deriv.api",
    "Derivation": "deriv.api",
    "matrix_form": "deriv.api",
    "MatrixForm": "deriv.diagnose.matrix_form",
    "Decision": "deriv.engine.decide",
    "Verdict": "deriv.results",
    "StepResult": "deriv.results",
    "FileResult": "deriv.results",
    "RunResult": "deriv.results",
    "Counterexample": "deriv.results",
    "DerivError": "deriv.errors",
    "assert_holds": "deriv.api",
    "check_many": "deriv.batch",
    "reward": "deriv.batch",
    "ItemResult": "deriv.results",
}

__all__ = [
    "CheckOptions", "Counterexample", "Decision", "DerivError", "Derivation", "FileResult", "ItemResult",
    "MatrixForm", "RunResult", "StepResult", "Verdict", "__version__", "assert_holds", "check_file",
    "check_many", "check_paths", "check_text", "decide", "matrix_form", "reward",
]

if TYPE_CHECKING:  # pragma: no cover
    from deriv.api import Derivation, assert_holds, decide, matrix_form
    from deriv.batch import check_many, reward
    from deriv.diagnose.matrix_form import MatrixForm
    from deriv.check.checker import check_file, check_paths, check_text
    from deriv.check.options import CheckOptions
    from deriv.engine.decide import Decision
    from deriv.errors import DerivError
    from deriv.results import Counterexample, FileResult, ItemResult, RunResult, StepResult, Verdict


def _html(result: Any) -> str:
    """A result as the HTML report draws it; a file's text is read when it is still on disk."""
    from deriv.render.html import render_fragment
    from deriv.results import FileResult

    source = None
    if isinstance(result, FileResult) and result.error is None:
        from deriv.errors import DerivError
        from deriv.read.files import read_text_file

        try:
            source = read_text_file(result.path)
        except DerivError:
            source = None  # built in Python, or gone: drawn from its steps
    return render_fragment(result, source)


def _markdown(result: Any) -> str:
    from deriv.render.markdown import render_markdown

    return render_markdown(result)


def _plain(result: Any) -> str:
    from deriv.render.text import render_run
    from deriv.results import FileResult, RunResult, StepResult

    if isinstance(result, StepResult):
        result = FileResult("<step>", None, steps=(result,))
    run = result if isinstance(result, RunResult) else RunResult((result,))
    return "\n".join(render_run(run))


# Results are vocabulary and may not import the renderers: the package tells them how to draw.
_results.RENDERERS.update({"text/html": _html, "text/markdown": _markdown, "text/plain": _plain})


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext deriv`` in IPython or Jupyter: the ``%%deriv`` cell magic (:mod:`deriv.notebook`)."""
    from deriv.notebook import register

    register(ipython)


def __getattr__(name: str) -> Any:
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'deriv' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module_name), name)
