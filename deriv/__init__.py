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
}

__all__ = [
    "CheckOptions", "Counterexample", "Decision", "DerivError", "Derivation", "FileResult",
    "MatrixForm", "RunResult", "StepResult", "Verdict", "__version__", "check_file", "check_paths",
    "check_text", "decide", "matrix_form",
]

if TYPE_CHECKING:  # pragma: no cover
    from deriv.api import Derivation, decide, matrix_form
    from deriv.diagnose.matrix_form import MatrixForm
    from deriv.check.checker import check_file, check_paths, check_text
    from deriv.check.options import CheckOptions
    from deriv.engine.decide import Decision
    from deriv.errors import DerivError
    from deriv.results import Counterexample, FileResult, RunResult, StepResult, Verdict


def __getattr__(name: str) -> Any:
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'deriv' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module_name), name)
