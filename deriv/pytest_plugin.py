"""The pytest plugin (docs/pytest.md): one test item per step of each derivation document.

A thin adapter over the checker: it collects a document's steps, runs each
as a test and renders a failure with :mod:`deriv.render.text`, the lines
``deriv check`` prints.  It decides nothing and never imports click.

- **Collection**: a ``.md`` file pytest visits is a document when it has
  deriv front matter (``symbols:``); a ``.md`` file named on the command
  line always is (as with ``deriv check``).  Folders in the ini option
  ``deriv_paths`` are added when pytest is given no paths.  The items come
  from the document's *plan* (``CheckOptions(decide=False)``: everything
  read and built, nothing decided), so every xdist worker collects the same
  items quickly.  A document that can not be read is one collection error,
  ``path:line: error: message``.
- **Running**: the first item of a document that runs in a process checks
  the whole document once (:func:`deriv.check.checker.check_file`) and keeps
  the frozen result for that document's other items.  Items share nothing
  else and depend on no order: under ``pytest -n`` any worker can run any
  item (``--dist loadfile`` makes each document be checked once).
- **Cheap when unused**: importing this module imports pytest and nothing
  heavy; SymPy and lark load only when a document is collected.
- **Collected, then frozen**: once a process has collected a document (and
  so imported SymPy, whose workers it forks), what it holds is moved out of the
  cycle collector's reach (:func:`freeze_after_collection`): pytest's full
  collections at the end of the session then skip SymPy's objects.
- ``--deriv-report FILE`` assembles the whole run on the controller from the
  steps the workers attach to their test reports, never on a worker.
"""

from __future__ import annotations

import gc
import math
import warnings
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # pragma: no cover
    from deriv.check.options import CheckOptions
    from deriv.results import FileResult, RunResult, StepResult


@dataclass(frozen=True)
class Settings:
    """The plugin's options, read once per process."""

    strict: bool = False
    seed: int = 0
    timeout: float = 10.0
    #: Keep and reuse documents' results (:mod:`deriv.cache`).
    cache: bool = True

    def check_options(self, *, decide: bool = True) -> CheckOptions:
        from deriv.check.options import CheckOptions

        return CheckOptions(seed=self.seed, timeout=self.timeout, decide=decide)


@dataclass
class State:
    """Per-process state: the settings and each document's result, once checked."""

    settings: Settings
    results: dict[tuple[str, Settings], FileResult] = field(default_factory=dict)
    #: Under xdist, the plans the workers share (:class:`deriv.pytest_xdist.SharedPlans`).
    plans: Any = None
    #: Whether this process collected a document (and so imported SymPy and deriv's engine).
    collected: bool = False


STATE = pytest.StashKey[State]()


def _json(run: RunResult, settings: Settings, root: Path) -> str:
    from deriv.render.json import render_json

    return render_json(run) + "\n"


def _html(run: RunResult, settings: Settings, root: Path) -> str:
    """The page ``deriv report`` writes; the documents' text is read here, on the controller."""
    from deriv.errors import DerivError
    from deriv.read.files import read_text_file
    from deriv.render.html import render_report

    sources: dict[str, str] = {}
    for file in run.files:
        try:
            sources[file.path] = read_text_file(root / file.path)
        except DerivError:
            pass  # gone or unreadable since: the steps are drawn without the prose
    return render_report(run, sources, seed=settings.seed, strict=settings.strict)


#: Writers of ``--deriv-report FILE``, by the file's suffix: the run, the settings and the
#: folder its paths are relative to in, the file's text out.
REPORT_WRITERS: dict[str, Callable[[RunResult, Settings, Path], str]] = {
    ".json": _json, ".html": _html, ".htm": _html,
}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("deriv", "derivations checked step by step (deriv)")
    group.addoption("--deriv-strict", action="store_true", default=None,
                    help="A step that is only tested (not proved) fails. Ini: deriv_strict.")
    group.addoption("--deriv-seed", metavar="N", default=None,
                    help="Random seed of the random instances (default 0). Ini: deriv_seed.")
    group.addoption("--deriv-timeout", metavar="SECONDS", default=None,
                    help="Time budget per step (default 10). Ini: deriv_timeout.")
    group.addoption("--deriv-no-cache", action="store_false", dest="deriv_cache", default=None,
                    help="Check every document again, even one whose result is kept. Ini: deriv_cache.")
    group.addoption("--deriv-report", metavar="FILE", default=None,
                    help=f"Write the whole run's results to FILE ({', '.join(REPORT_WRITERS)}).")
    parser.addini("deriv_paths", type="paths", default=[],
                  help="Folders of derivation documents collected when pytest is given no paths.")
    parser.addini("deriv_strict", type="bool", default=False, help="As --deriv-strict.")
    parser.addini("deriv_seed", default="0", help="As --deriv-seed.")
    parser.addini("deriv_timeout", default="10", help="As --deriv-timeout.")
    parser.addini("deriv_cache", type="bool", default=True, help="false: as --deriv-no-cache.")


def read_settings(config: pytest.Config) -> Settings:
    """Command line over ini; bad values are usage errors."""
    def value(option: str, ini: str) -> Any:
        given = config.getoption(option)
        return config.getini(ini) if given is None else given

    seed_text, timeout_text = value("deriv_seed", "deriv_seed"), value("deriv_timeout", "deriv_timeout")
    try:
        seed = int(seed_text)
        timeout = float(timeout_text)
    except ValueError:
        raise pytest.UsageError(f"deriv: bad seed {seed_text!r} or timeout {timeout_text!r}") from None
    if seed < 0:
        raise pytest.UsageError(f"deriv: --deriv-seed must be 0 or more, not {seed}")
    if not math.isfinite(timeout) or timeout <= 0:
        raise pytest.UsageError(f"deriv: --deriv-timeout must be a finite number of seconds > 0, not {timeout_text}")
    return Settings(strict=bool(value("deriv_strict", "deriv_strict")), seed=seed, timeout=timeout,
                    cache=bool(value("deriv_cache", "deriv_cache")))


def pytest_configure(config: pytest.Config) -> None:
    config.stash[STATE] = State(read_settings(config))
    _add_deriv_paths(config)
    _share_under_xdist(config)
    report = config.getoption("deriv_report")
    if report:
        suffix = Path(report).suffix.lower()
        if suffix not in REPORT_WRITERS:
            known = ", ".join(REPORT_WRITERS)
            raise pytest.UsageError(f"deriv: --deriv-report {report}: no writer for {suffix or 'that'} files ({known})")
        if not hasattr(config, "workerinput"):  # xdist workers never write it
            config.pluginmanager.register(ReportWriter(config, config.invocation_params.dir / report), "deriv-report")


def _share_under_xdist(config: pytest.Config) -> None:
    """With xdist: on the controller, the scheduling that keeps a document on one worker; on a
    worker, the plans shared with the others (:mod:`deriv.pytest_xdist`)."""
    if not config.pluginmanager.hasplugin("xdist"):
        return
    from deriv.pytest_xdist import PLANS, Scheduler, SharedPlans

    workerinput = getattr(config, "workerinput", None)
    if workerinput is None:
        config.pluginmanager.register(Scheduler(), "deriv-xdist-scheduler")
    elif PLANS in workerinput:
        config.stash[STATE].plans = SharedPlans(workerinput[PLANS])


def _add_deriv_paths(config: pytest.Config) -> None:
    """``deriv_paths`` join the paths pytest collects when it was given none."""
    if config.args_source is pytest.Config.ArgsSource.ARGS:
        return
    given = [Path(a).resolve() for a in config.args]
    for folder in config.getini("deriv_paths"):
        folder = Path(folder).resolve()
        if not any(folder == g or folder.is_relative_to(g) for g in given):
            config.args.append(str(folder))


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.File | None:
    from deriv.read.sources import DOCUMENT_SUFFIXES

    if file_path.suffix.lower() not in DOCUMENT_SUFFIXES:
        return None
    if not parent.session.isinitpath(file_path):
        from deriv.read.readers import select_source

        left_out = select_source(file_path)
        if left_out is not None:
            if not left_out.suspicious:
                return None  # an ordinary README: not a derivation
            if not parent.config.stash[STATE].settings.strict:
                warnings.warn(pytest.PytestWarning(f"deriv: {file_path} not checked: {left_out.reason}"), stacklevel=1)
                return None
            return UncheckedFile.from_parent(parent, path=file_path, reason=left_out.reason)
    plans = parent.config.stash[STATE].plans
    if plans is not None:
        plans.expect(str(file_path))
    return DerivFile.from_parent(parent, path=file_path)


class UncheckedFile(pytest.File):
    """Under ``--deriv-strict``, a Markdown file that looks like a derivation but is none: a collection error."""

    def __init__(self, *, reason: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.reason = reason

    def collect(self) -> Iterator[pytest.Item]:
        raise self.CollectError(f"deriv: {self.path.name} looks like a derivation but was not checked: {self.reason} "
                                "(add deriv front matter with symbols:, or move it out of the collected folders)")


class StepFailure(Exception):
    """A step that did not pass: its report, as ``deriv check`` prints it."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


class DerivFile(pytest.File):
    """A derivation document: one :class:`DerivStep` per step of its plan."""

    file_error: FileResult | None = None

    @property
    def display_path(self) -> str:
        """The path reports show: relative to the rootdir, as in the node id."""
        return self.nodeid.split("::", 1)[0] or str(self.path)

    def check(self, *, decide: bool) -> FileResult:
        from deriv.cache import ResultCache
        from deriv.check.checker import check_file

        state = self.config.stash[STATE]
        options = state.settings.check_options(decide=decide)
        check = ResultCache().check_file if state.settings.cache else check_file
        if not decide and state.plans is not None:
            return replace(state.plans.plan(str(self.path), lambda path: check(path, options)), path=self.display_path)
        return replace(check(str(self.path), options), path=self.display_path)

    def result(self) -> FileResult:
        """The document checked in full, once per process."""
        state = self.config.stash[STATE]
        key = (str(self.path), state.settings)
        if key not in state.results:
            state.results[key] = self.check(decide=True)
        return state.results[key]

    def collect(self) -> Iterator[DerivStep]:
        self.config.stash[STATE].collected = True
        plan = self.check(decide=False)
        if plan.error:
            from deriv.render.text import render_file_error

            self.file_error = plan
            raise self.CollectError("\n".join(render_file_error(plan)))
        for index, (step, name) in enumerate(zip(plan.steps, step_names(plan.steps))):
            yield DerivStep.from_parent(self, name=name, index=index, line=step.line, label=step.label)


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    """Freeze what a process that collected documents holds (:func:`freeze_after_collection`)."""
    freeze_after_collection(session.config.stash[STATE])


def freeze_after_collection(state: State) -> None:
    """After collecting documents, everything this process holds -- mostly SymPy's modules and
    deriv's tables, imported to fork the checking workers -- is left out of the cycle collector's
    full collections (:func:`gc.freeze`), as the checking workers already do with what they inherit.

    pytest collects twice in full at the end of a session (``gc_collect_harder``, for unraisable
    exceptions); each walked SymPy's objects, about 0.27 s, in every xdist worker and in a run
    without xdist (docs/pytest.md).  Objects made later -- the tests' own, the results -- are
    collected as before; a cycle left unreachable during collection is never freed.
    """
    if state.collected:
        gc.freeze()


def step_names(steps: tuple[StepResult, ...]) -> list[str]:
    """Node-id names: the label, or ``line-N``; repeats get ``@line-N`` and then ``.2``, ``.3``.

    >>> from deriv.results import StepResult, Verdict
    >>> def s(line, label): return StepResult(line, label, "=", "", "", Verdict.PROVED)
    >>> step_names((s(5, None), s(7, "3"), s(9, "3"), s(9, "3"), s(9, None), s(9, None)))
    ['line-5', '3', '3@line-9', '3@line-9.2', 'line-9', 'line-9.2']
    """
    names: list[str] = []
    used: set[str] = set()
    for step in steps:
        where = _node_name(step.where.replace(" ", "-"))
        label = _node_name(step.label) if step.label else None
        name = label or where
        if name in used and label:
            name = f"{label}@{where}"
        base, count = name, 1
        while name in used:
            count += 1
            name = f"{base}.{count}"
        used.add(name)
        names.append(name)
    return names


def _node_name(text: str) -> str:
    r"""``text`` as part of a node id pytest prints raw: control and bidi characters escaped
    (:func:`~deriv.render.escapes.safe_line`), and no ``::``, which would split the id.

    >>> _node_name("a::b\u202e")
    'a\\x3a:b\\u202e'
    """
    from deriv.render.escapes import safe_line

    return safe_line(text).replace("::", "\\x3a:")


class DerivStep(pytest.Item):
    """One step of a document; passes, fails, is skipped or xfails by its verdict."""

    def __init__(self, *, index: int, line: int, label: str | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.index = index
        self.line = line
        self.label = label
        self.step: StepResult | None = None

    @property
    def document(self) -> DerivFile:
        assert isinstance(self.parent, DerivFile)
        return self.parent

    def runtest(self) -> None:
        from deriv.results import Verdict

        result = self.document.result()
        steps = result.steps
        if result.error or self.index >= len(steps) or steps[self.index].line != self.line:
            raise StepFailure([f"{self.document.display_path}: the document changed since it was collected; run again"])
        step = self.step = steps[self.index]
        settings = self.config.stash[STATE].settings
        if step.verdict is Verdict.SKIPPED:
            raise pytest.skip.Exception(step.message or "skipped", _use_item_location=True)
        if step.verdict is Verdict.EXPECTED_FAIL:
            pytest.xfail(f"expect-fail: {step.message}" if step.message else "expect-fail")
        if step.verdict in (Verdict.PROVED, Verdict.TESTED) and step.passes(strict=settings.strict):
            return
        raise StepFailure(self.report_lines(result, step, settings))

    def report_lines(self, result: FileResult, step: StepResult, settings: Settings) -> list[str]:
        from deriv.render.text import render_details, render_header, render_step_line
        from deriv.results import Verdict

        # The CLI's lines for the step, the verdict first (pytest's short summary shows line one).
        lines = [render_step_line(step).strip(), *render_details(step, result.path, seed=settings.seed)]
        lines.append(f"      in: {render_header(result)}")
        if step.verdict is Verdict.TESTED:
            lines.append("      (--deriv-strict: a step only tested on random instances fails)")
        return lines

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, StepFailure):
            return "\n".join(excinfo.value.lines)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, int, str]:
        where = f"({_node_name(self.label)}) line {self.line}" if self.label else f"line {self.line}"
        return self.path, self.line - 1, f"step {where}"


@pytest.hookimpl(wrapper=True)
# Any: the reports get deriv's own attributes (deriv_step, deriv_file).
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    """Attach the step's result to its report: plain JSON, so xdist carries it to the controller
    (only for ``--deriv-report``: each report is sent and read again under xdist)."""
    report = yield
    wanted = item.config.getoption("deriv_report")
    if wanted and isinstance(item, DerivStep) and item.step is not None and report.when == "call":
        from deriv.render.json import step_to_json

        result = item.document.result()
        report.deriv_step = {"path": result.path, "title": result.title, "index": item.index,
                             "step": step_to_json(item.step)}
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Generator[None, Any, Any]:
    """Attach a document's file error to its collection report, for the run's report."""
    report = yield
    error = getattr(collector, "file_error", None)
    if isinstance(collector, DerivFile) and error is not None:
        report.deriv_file = {"path": error.path, "title": error.title, "error": error.error,
                             "error_line": error.error_line}
    return report


class ReportWriter:
    """On the controller (or a run without xdist): gathers every step's result, writes the report."""

    def __init__(self, config: pytest.Config, path: Path) -> None:
        self.config = config
        self.path = path
        self.steps: dict[tuple[str, int], dict[str, Any]] = {}
        self.errors: dict[str, dict[str, Any]] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        data = getattr(report, "deriv_step", None)
        if data is not None:
            self.steps[(data["path"], data["index"])] = data

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        data = getattr(report, "deriv_file", None)
        if data is not None:
            self.errors[data["path"]] = data

    def run(self) -> RunResult:
        from deriv.render.json import step_from_json
        from deriv.results import FileResult, RunResult

        files: dict[str, FileResult] = {p: FileResult(**e) for p, e in self.errors.items()}
        for (path, _), data in sorted(self.steps.items()):
            file = files.setdefault(path, FileResult(path, data["title"]))
            files[path] = replace(file, steps=file.steps + (step_from_json(data["step"]),))
        return RunResult(tuple(files[p] for p in sorted(files)))

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        writer = REPORT_WRITERS[self.path.suffix.lower()]
        text = writer(self.run(), self.config.stash[STATE].settings, self.config.rootpath)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(text, encoding="utf-8")

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        terminalreporter.write_line(f"deriv: report of {len(self.steps)} steps written to {self.path}")
