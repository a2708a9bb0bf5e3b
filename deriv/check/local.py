"""Check one document in this process: read, declare, walk the chains.

Nothing here raises for bad input: every problem becomes an ``error``
step or a file-level error on the :class:`~deriv.results.FileResult`.
Budgets are the in-process ones (:mod:`deriv.budget`, main thread only);
:mod:`deriv.check.isolate` runs this in a worker it can kill.
"""

from __future__ import annotations

import time
from contextlib import contextmanager

from deriv.check.options import CheckOptions
from deriv.check.progress import CONTEXT, READ, Progress, StoppedError
from deriv.errors import DerivError
from deriv.results import FileResult, StepResult, Verdict


def load(source: str, is_path: bool, path: str, given=None, generated: bool = False):
    """The document, read by its format's reader, or the :class:`FileResult` saying why there is
    none; ``given`` declarations (a FrontMatter, for text only: a batch item's) are added to its own,
    and a ``generated`` text's boxed final answers are read (:attr:`Display.answer`)."""
    from deriv.read.document import parse_document
    from deriv.read.readers import read_path

    try:
        return read_path(source) if is_path else parse_document(source, path, given, generated)
    except DerivError as error:
        return file_error(path, None, error)
    except RecursionError:
        return file_error(path, None, DerivError("the document is nested too deeply to read", line=1))
    except Exception as error:  # noqa: BLE001 - a reader's bug must never abort the run (a worker would crash)
        return file_error(path, None, DerivError(f"internal error while reading: {type(error).__name__}: {error}", line=1))


def check_source(source: str, is_path: bool, path: str, options: CheckOptions,
                 progress: Progress | None = None, on_display=None, on_read=None, given=None) -> FileResult:
    """Check a document given as text or by path."""
    progress = progress or Progress()
    if progress.deadline is None and options.document_timeout:
        progress.deadline = time.monotonic() + options.document_timeout
        progress.document_timeout = options.document_timeout
    progress.at(-1, READ)
    document = load(source, is_path, path, given, options.generated)
    if isinstance(document, FileResult):
        return document
    if options.generated and (changed := _changed(document, given, options.quantity)) is not None:
        return changed
    if on_read is not None:
        on_read(document)
    return check_document(document, options, progress, on_display, given)


def _changed(document, given, quantity: str | None) -> FileResult | None:
    from deriv.read.generated import changed_file  # the reader is heavy: only when checking

    return changed_file(document, given, quantity)


def check_document(document, options: CheckOptions, progress: Progress | None = None,
                   on_display=None, given=None) -> FileResult:
    """Check a document read; ``given`` declarations (a batch item's) say what names a
    ``quantity`` of the options may use (:mod:`deriv.check.quantity`)."""
    from deriv.check.chains import ChainChecker
    from deriv.check.quantity import asked
    from deriv.meaning.declarations import build_context

    progress = progress or Progress()
    try:
        context = build_context(document.declarations(), document.path, _definition_budget(options, progress),
                                math_of(document))
    except DerivError as error:
        if getattr(error, "verdict", None) is Verdict.TIMEOUT:  # the text may be fine: no verdict on it
            return FileResult(document.path, document.title, steps=(problem_step(error, Verdict.TIMEOUT),))
        return file_error(document.path, document.title, error)
    except RecursionError:
        return file_error(document.path, document.title, DerivError("a definition is nested too deeply", line=1))
    except Exception as error:  # noqa: BLE001 - one document must never abort the run
        return file_error(document.path, document.title,
                          DerivError(f"internal error while reading the declarations: {type(error).__name__}: {error}",
                                     line=1))
    quantity = asked(options.quantity, given) if options.quantity is not None else None
    checker = ChainChecker(document, context, options, progress=progress, on_display=on_display, quantity=quantity)
    if (problem := _quantity_problem(checker)) is not None:
        return file_error(document.path, document.title, DerivError(problem))
    try:
        steps = checker.run()
    except RecursionError:
        steps = checker.results + [internal("expression nested too deeply")]
    except Exception as error:  # noqa: BLE001 - one document must never abort the run
        steps = checker.results + [internal(f"internal error: {type(error).__name__}: {error}")]
    ordered = sorted(list(steps) + problems(document), key=lambda s: s.line)
    return FileResult(path=document.path, title=document.title, steps=tuple(ordered))


def _quantity_problem(checker) -> str | None:
    """Why the quantity the options give can not be read (the item's error), or None."""
    try:
        return checker.quantity_problem()
    except RecursionError:
        return "the quantity is nested too deeply to read"
    except Exception as error:  # noqa: BLE001 - a bug reading it is the item's error, never the run's end
        return f"internal error while reading the quantity: {type(error).__name__}: {error}"


def math_of(document) -> list[str]:
    """The math a document writes outside its front matter: displays, directives, macro bodies, and
    the prose's math that states a relation."""
    directives = [a for d in document.displays for a in (*d.assumes, *([d.directive] if d.directive else []))]
    return ([d.text for d in document.displays] + [a.argument for a in directives] + [m.body for m in document.macros]
            + list(document.prose_math))


def problem_step(problem, verdict: Verdict = Verdict.ERROR) -> StepResult:
    """A step-less result on the problem's line."""
    return StepResult(line=problem.line or 0, label=None, relation="", lhs="", rhs="", verdict=verdict,
                      message=problem.message)


def problems(document) -> list[StepResult]:
    """The document's body problems, as step-less ``error`` results."""
    return [problem_step(p) for p in document.problems]


def file_error(path: str, title: str | None, error: DerivError) -> FileResult:
    return FileResult(path=path, title=title, error=error.message, error_line=error.line)


def _definition_budget(options: CheckOptions, progress: Progress):
    """Each definition gets a step's time budget; running out is an error on its line."""
    from deriv.budget import StepTimeout, time_budget
    from deriv.check.progress import budget as within

    @contextmanager
    def budget():
        progress.at(-1, CONTEXT)
        try:
            with time_budget(within(options.timeout, progress)):
                yield
        except StepTimeout:
            raise StoppedError(f"building it ran out of the {options.timeout:g} s budget") from None  # a timeout

    return budget


def internal(message: str) -> StepResult:
    return StepResult(line=0, label=None, relation="", lhs="", rhs="", verdict=Verdict.ERROR, message=message)
