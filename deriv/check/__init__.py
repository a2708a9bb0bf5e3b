"""Stage 5, checking: documents to results.

In: paths, text, or a :class:`~deriv.read.document.Document`, and
:class:`~deriv.check.options.CheckOptions`.  Out: the frozen
:class:`~deriv.results.StepResult` / :class:`~deriv.results.FileResult` /
:class:`~deriv.results.RunResult` objects.  This stage drives the earlier
ones (read, parse, build) and hands each aligned step to the engine.
"""
