"""The one error hierarchy of deriv.

Every problem a user can cause (a file that can not be read, bad front
matter, LaTeX that does not parse, an unknown name, shapes that do not fit)
is a :class:`DerivError` carrying where it happened.  The core raises them;
the checker turns them into ``error`` verdicts; only the CLI turns them into
exit codes.
"""

from __future__ import annotations


class DerivError(Exception):
    """A problem in the user's input, with the place it was found.

    ``line`` and ``column`` are 1-based and refer to the file when ``path``
    is set, otherwise to the text that was being read.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column

    def located(
        self, *, path: str | None = None, line: int | None = None, column: int | None = None
    ) -> "DerivError":
        """Fill in the place where it is still unknown, and return self."""
        if self.path is None:
            self.path = path
        if self.line is None:
            self.line = line
        if self.column is None:
            self.column = column
        return self

    def where(self) -> str:
        """``path:line:column`` with whatever of it is known."""
        parts = [p for p in (self.path, self.line, self.column) if p is not None]
        return ":".join(str(p) for p in parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.message}" if where else self.message


class InputError(DerivError):
    """A file that can not be read: missing, not text, not UTF-8."""


class FrontMatterError(DerivError):
    """YAML front matter that is malformed or declares something unusable."""


class LatexSyntaxError(DerivError):
    """Display math that does not parse."""


class MeaningError(DerivError):
    """Well-formed LaTeX that does not denote anything checkable.

    Unknown names, shapes that do not fit, an index used at two sizes, free
    indices that differ from the chain's.
    """


class ShapeError(MeaningError):
    """Shapes or free indices that disagree: a product, a sum, or a member
    against its chain.  A step failing so may have a verified repair."""


class IndexSizeError(ShapeError):
    """An index used at two sizes (``m`` over N in ``W_{m,n}``, over M in
    ``X_{i,m}``: the swapped indices of a gradient).  Repaired like a shape
    mismatch: a swap of two indices is suggested only when the step then holds."""


class UnsupportedError(DerivError):
    """Mathematics the checker does not (yet) handle; never a pass."""


#: Set (to anything but ``0``) to re-raise what :func:`swallowed` records as a bug: the test
#: suite does, so such an exception in a best-effort search fails a test instead of only
#: weakening a proof or hiding a suggestion.
RAISE_SWALLOWED = "DERIV_RAISE_SWALLOWED"
#: What SymPy and python-flint raise on forms they do not take (a symbol where a number is
#: needed, a polynomial that is not one, a division by zero, an unimplemented case): a search
#: gives up on them, by design.  Anything else there is a bug of ours.
GIVING_UP = (TypeError, ValueError, ArithmeticError, NotImplementedError, RecursionError)


def swallowed(where: str) -> None:
    """Called in an ``except Exception`` block of a best-effort search (a sign proof, a repair,
    a matrix form, a shrink): the exception is logged at DEBUG on the ``deriv`` logger with its
    traceback, and -- unless it is one of :data:`GIVING_UP` (SymPy's own ways of saying no) --
    re-raised when :data:`RAISE_SWALLOWED` is set."""
    import logging
    import os
    import sys

    logging.getLogger("deriv").debug("%s gave up on an exception", where, exc_info=True)
    if os.environ.get(RAISE_SWALLOWED, "0") != "0" and not isinstance(sys.exc_info()[1], GIVING_UP):
        raise  # noqa: PLE0704 - the exception being handled by the caller
