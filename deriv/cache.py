"""Results of documents already checked, kept so that checking them again costs nothing.

The key of a document's result is a hash of everything its verdicts depend
on: the bytes of the document (and of a LaTeX source's text with every file
its ``\\input`` commands read in place, :mod:`deriv.read.latex_digest`), its
path, the bytes of deriv's own source files (so any change of the checker,
released or not, misses), the versions of Python and of the libraries that
read or decide (:data:`DEPENDENCIES`), and the options that change a
verdict (seed, budgets, plan or full check, repairs).  Results that depend on the clock --
a step that ran out of time, a worker that was stopped -- are never kept.

Entries are JSON files, written to a temporary file and renamed into place,
so concurrent writers (``--jobs``, pytest-xdist, several runs) never leave a
half-written entry; an entry that can not be read is a miss.  They live in
the user's cache folder (``$XDG_CACHE_HOME/deriv`` or ``~/.cache/deriv``),
not in the project: a cache a repository carries (committed, or unpacked by
a CI step) must never be able to pass a derivation, so only
``DERIV_CACHE_DIR`` -- set by whoever runs the check -- puts it elsewhere.
Nothing read from an entry is evaluated: it is JSON turned back into the
frozen results, and used only when it is a regular file (never a link) this
user owns and no one else may read or write (``0600``, which no git checkout
makes), names the key it is read for (an entry
renamed over another key is a miss), and has the declared type in every
field (:mod:`deriv.well_typed`); folders are made private (``0700``).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import stat
import sys
import tempfile
from dataclasses import asdict, replace
from pathlib import Path

from deriv.check.options import CheckOptions
from deriv.results import Counterexample, FileResult, StepResult, Suggestion, Verdict
from deriv.well_typed import well_typed

#: Bumped when the entries' layout changes.
FORMAT = 2
#: The libraries whose version can change a verdict: those that decide, and those that read a
#: document (a Markdown or YAML reader that finds other displays or declarations).
#: deriv's own version too: its source files are hashed, but an install may carry only compiled ones.
DEPENDENCIES = ("deriv", "sympy", "python-flint", "mpmath", "gmpy2", "lark", "PyYAML", "markdown-it-py",
                "mdit-py-plugins")
#: Words of messages that say a result depended on the clock (or a killed worker): every budget's
#: message says "ran out" -- a step's, a document's, and a part's ("the symbolic engine ran out of
#: its 5 s": a step tested on a loaded machine that a later run proves).
_CLOCK_WORDS = ("ran out", "budget of", "the checker was stopped")


def cache_folder() -> Path:
    """Where entries live: ``DERIV_CACHE_DIR``, else the user's cache folder."""
    chosen = os.environ.get("DERIV_CACHE_DIR")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "deriv"


class ResultCache:
    """Documents' results by content; ``check_file`` is :func:`deriv.check.checker.check_file`
    with the cache in front of it."""

    def __init__(self, folder: Path | None = None, *, shards: bool = True) -> None:
        self.folder = (folder or cache_folder()) / f"v{FORMAT}"
        #: Entries in subfolders by the key's first two digits (a lasting cache of many entries), or
        #: all in one folder (a run's few, removed after it: one folder is removed faster).
        self.shards = shards

    def check_file(self, path: str, options: CheckOptions) -> FileResult:
        from deriv.check.checker import check_file

        key = self.key(path, options)
        found = self.get(key) if key else None
        if found is not None:
            return replace(found, path=str(path))
        result = check_file(path, options)
        if key and key == self.key(path, options) and _deterministic(result):  # unchanged while checked
            self.put(key, result)
        return result

    def key(self, path: str, options: CheckOptions) -> str | None:
        """The entry's name, or ``None`` when the document can not be read (never kept)."""
        content = _document_bytes(path)
        if content is None:
            return None
        digest = hashlib.sha256()
        for part in (str(FORMAT), _fingerprint(), os.path.abspath(path), _options_text(options)):
            digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
        digest.update(content)
        if Path(path).suffix.lower() == ".tex":
            parts = _latex_parts(path)
            if parts is None:
                return None
            digest.update(b"\0" + parts.encode("ascii"))
        return digest.hexdigest()

    def _folder_of(self, key: str) -> Path:
        return self.folder / key[:2] if self.shards else self.folder

    def get(self, key: str) -> FileResult | None:
        text = own_file_text(self._folder_of(key) / f"{key}.json")
        try:
            data = json.loads(text) if text is not None else None
            if not isinstance(data, dict) or data.get("key") != key:  # missing, or moved from another key
                return None
            found = _file_from_json(data)
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError):  # corrupt: a miss
            return None
        return found if well_typed(found) else None

    def put(self, key: str, result: FileResult) -> None:
        folder = self._folder_of(key)
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # private: no one else plants an entry
            folder.mkdir(mode=0o700, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")  # mode 0600
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump({"key": key, **_file_to_json(result)}, stream)
            os.replace(temporary, folder / f"{key}.json")
        except OSError:  # a read-only or full disk: checking goes on without the cache
            pass


#: An entry larger than this is no entry deriv wrote (a document is at most 5 MB).
MAX_ENTRY = 64 * 1024 * 1024


def own_file_text(path: Path) -> str | None:
    """The text of the regular file at ``path`` if this user owns it and no one else may read or
    write it (as :func:`tempfile.mkstemp` makes it: ``0600``) -- never through a link; None
    otherwise.  An entry someone else planted in a shared cache folder, or one a repository
    carries (git checks files out ``0644``: a cache folder set inside the project), would pass a
    derivation without checking it."""
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(handle, "rb") as stream:
        status = os.fstat(stream.fileno())
        if not stat.S_ISREG(status.st_mode) or status.st_mode & 0o077 or not _mine(status.st_uid):
            return None
        data = stream.read(MAX_ENTRY + 1)
    return data.decode("utf-8", "replace") if len(data) <= MAX_ENTRY else None


def _mine(owner: int) -> bool:
    getuid = getattr(os, "getuid", None)  # none on Windows, where files have no such owner
    return getuid is None or owner == getuid()


def _document_bytes(path: str) -> bytes | None:
    """The document at ``path`` as the checker reads it (:func:`~deriv.read.files.read_text_file`);
    None for anything it refuses -- a FIFO, which would block, a device (``/dev/zero``: endless), a
    file over the limit or no UTF-8 -- which the checker reports and the cache never keeps."""
    from deriv.errors import DerivError
    from deriv.read.files import read_text_file

    try:
        return read_text_file(path).encode("utf-8", "surrogatepass")
    except DerivError:
        return None


def _latex_parts(path: str) -> str | None:
    """A LaTeX source's text with every file its ``\\input`` commands read (of any suffix, or
    missing), as :mod:`deriv.read.latex_digest` hashes it; None when it can not be read."""
    from deriv.errors import DerivError
    from deriv.read.latex_digest import latex_digest

    try:
        return latex_digest(path)
    except (DerivError, OSError, ValueError, RecursionError):
        return None


def _deterministic(result: FileResult) -> bool:
    texts = [result.error or ""] + [step.message for step in result.steps]
    return (all(step.verdict is not Verdict.TIMEOUT for step in result.steps)
            and not any(word in text for text in texts for word in _CLOCK_WORDS))


def _options_text(options: CheckOptions) -> str:
    # jobs and isolate change where a document is checked, never its verdicts.
    return repr((options.seed, options.timeout, options.document_timeout, options.decide, options.suggest,
                 options.generated, options.quantity))


@functools.cache
def _fingerprint() -> str:
    """deriv's own source files, and the versions of Python and of the libraries that read or decide."""
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256(f"{sys.implementation.name} {sys.version}\0".encode())
    # SymPy's arithmetic is gmpy2's, or python-flint's when this says so.
    digest.update(f"SYMPY_GROUND_TYPES={os.environ.get('SYMPY_GROUND_TYPES', '')}\0".encode())
    package = Path(__file__).resolve().parent
    for source in sorted(package.rglob("*")):
        if source.suffix in (".py", ".pyc", ".lark") and "__pycache__" not in source.parts:  # .pyc: sourceless
            digest.update(str(source.relative_to(package)).encode() + b"\0" + source.read_bytes())
    for library in DEPENDENCIES:
        try:
            digest.update(f"{library}={version(library)}".encode())
        except PackageNotFoundError:
            digest.update(f"{library}=none".encode())
    return digest.hexdigest()


def _file_to_json(result: FileResult) -> dict:
    return {"title": result.title, "error": result.error, "error_line": result.error_line,
            "steps": [_step_to_json(step) for step in result.steps]}


def _step_to_json(step: StepResult) -> dict:
    data = asdict(step)
    data["verdict"] = step.verdict.value
    data["suggestion"] = [{**asdict(s), "verdict": s.verdict.value} for s in step.suggestion]
    return data


def _file_from_json(data: dict) -> FileResult:
    return FileResult(path="", title=data["title"], error=data["error"], error_line=data["error_line"],
                      steps=tuple(_step_from_json(step) for step in data["steps"]))


def _step_from_json(data: dict) -> StepResult:
    fields = dict(data)
    fields["verdict"] = Verdict(fields["verdict"])
    fields["cell"] = tuple(fields["cell"]) if fields.get("cell") is not None else None
    fields["suggestion"] = tuple(Suggestion(**{**s, "verdict": Verdict(s["verdict"])}) for s in fields["suggestion"])
    cx = fields["counterexample"]
    if cx is not None:
        fields["counterexample"] = Counterexample(**{
            **cx, "sizes": _pairs(cx["sizes"]), "indices": _pairs(cx["indices"]),
            "values": tuple((name, tuple(tuple(row) for row in rows)) for name, rows in cx["values"]),
            "functions": _pairs(cx["functions"])})
    return StepResult(**fields)


def _pairs(items: list) -> tuple:
    return tuple(tuple(item) for item in items)
