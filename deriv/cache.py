"""Results of documents already checked, kept so that checking them again costs nothing.

The key of a document's result is a hash of everything its verdicts depend
on: the bytes of the document (and of a LaTeX source's ``.tex`` neighbours,
where its ``\\input`` files are), its path, the bytes of deriv's own source
files (so any change of the checker, released or not, misses), the versions
of SymPy and python-flint, and the options that change a verdict (seed,
budgets, plan or full check, repairs).  Results that depend on the clock --
a step that ran out of time, a worker that was stopped -- are never kept.

Entries are JSON files, written to a temporary file and renamed into place,
so concurrent writers (``--jobs``, pytest-xdist, several runs) never leave a
half-written entry; an entry that can not be read is a miss.  They live in
the user's cache folder (``$XDG_CACHE_HOME/deriv`` or ``~/.cache/deriv``),
not in the project: a cache a repository carries (committed, or unpacked by
a CI step) must never be able to pass a derivation, so only
``DERIV_CACHE_DIR`` -- set by whoever runs the check -- puts it elsewhere.
Nothing read from an entry is evaluated: it is JSON turned back into the
frozen results.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from dataclasses import asdict, replace
from pathlib import Path

from deriv.check.options import CheckOptions
from deriv.results import Counterexample, FileResult, StepResult, Suggestion, Verdict

#: Bumped when the entries' layout changes.
FORMAT = 1
#: Words of messages that say a result depended on the clock (or a killed worker).
_CLOCK_WORDS = ("ran out of time", "ran out of its budget", "budget of", "the checker was stopped")


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
        try:
            content = Path(path).read_bytes()
        except OSError:
            return None
        digest = hashlib.sha256()
        for part in (str(FORMAT), _fingerprint(), os.path.abspath(path), _options_text(options)):
            digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
        digest.update(content)
        for included in _parts(Path(path)):
            digest.update(b"\0" + str(included).encode("utf-8", "surrogatepass") + b"\0" + included.read_bytes())
        return digest.hexdigest()

    def _folder_of(self, key: str) -> Path:
        return self.folder / key[:2] if self.shards else self.folder

    def get(self, key: str) -> FileResult | None:
        try:
            data = json.loads((self._folder_of(key) / f"{key}.json").read_text(encoding="utf-8"))
            return _file_from_json(data)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):  # missing or corrupt: a miss
            return None

    def put(self, key: str, result: FileResult) -> None:
        folder = self._folder_of(key)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(_file_to_json(result), stream)
            os.replace(temporary, folder / f"{key}.json")
        except OSError:  # a read-only or full disk: checking goes on without the cache
            pass


def _parts(path: Path) -> list[Path]:
    """The other files a document's verdicts may depend on: a LaTeX source's ``\\input`` files,
    which lie inside its folder -- every ``.tex`` file there is counted, which is more than needed
    and never less."""
    if path.suffix.lower() != ".tex":
        return []
    return sorted(p for p in path.resolve().parent.rglob("*.tex") if p.is_file() and p != path.resolve())


def _deterministic(result: FileResult) -> bool:
    texts = [result.error or ""] + [step.message for step in result.steps]
    return (all(step.verdict is not Verdict.TIMEOUT for step in result.steps)
            and not any(word in text for text in texts for word in _CLOCK_WORDS))


def _options_text(options: CheckOptions) -> str:
    # jobs and isolate change where a document is checked, never its verdicts.
    return repr((options.seed, options.timeout, options.document_timeout, options.decide, options.suggest))


@functools.cache
def _fingerprint() -> str:
    """deriv's own source files, and the versions of the libraries that decide."""
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for source in sorted(package.rglob("*")):
        if source.suffix in (".py", ".lark") and "__pycache__" not in source.parts:
            digest.update(str(source.relative_to(package)).encode() + b"\0" + source.read_bytes())
    for library in ("sympy", "python-flint", "mpmath", "lark"):
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
