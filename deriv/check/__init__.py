"""Stage 6, checking: documents to results.

In: paths, text, or a :class:`~deriv.read.document.Document`, and
:class:`~deriv.check.options.CheckOptions`.  Out: the frozen
:class:`~deriv.results.StepResult` / :class:`~deriv.results.FileResult` /
:class:`~deriv.results.RunResult` objects.  This stage drives the earlier
ones (read, parse, build), hands each aligned step to the engine and asks
:mod:`deriv.diagnose` to restate a chain's end in matrix form.
"""
