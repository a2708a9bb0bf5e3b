"""The ``deriv`` command line: parse options, call the checker, print a renderer's output.

This module decides nothing about mathematics.  It maps options to
:class:`deriv.check.options.CheckOptions`, results to an exit status (docs/cli.md) and
failures of its own to exit status 2 with a one-line message.

Importing it must stay cheap: ``deriv --help`` never loads SymPy or Lark, so
the checker is imported inside the command that needs it.

Adding a command (``report``, ``matrix-form``): define a function returning
its exit status, decorate it with ``@main.command(...)`` and
``@guarded``, and keep heavy imports inside it.
"""

from __future__ import annotations

import functools
import os
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from typing import Any, cast

import click

from deriv.budget import budget_seconds
from deriv.check.options import CheckOptions, collect_rarely
from deriv.errors import DerivError
from deriv.terminal import ProgressBar, is_terminal, want_color, want_progress  # noqa: F401 - used by tests too

#: Folder checked when ``deriv check`` is given no path.
DEFAULT_PATH = "derivations"

#: Exit status for bad usage, unreadable input and anything unexpected (docs/cli.md).
EXIT_BROKEN = 2
#: Conventional status after Ctrl-C (128 + SIGINT).
EXIT_INTERRUPTED = 130


def debug_enabled() -> bool:
    """True when ``DERIV_DEBUG`` asks for tracebacks of internal errors."""
    return os.environ.get("DERIV_DEBUG", "") not in ("", "0")


def fail(message: str) -> None:
    """A one-line ``deriv: ...`` message on stderr."""
    click.echo(f"deriv: {message}", err=True)


def guarded(command: Callable[..., int]) -> Callable[..., None]:
    """Run a command body that returns an exit status; never show a traceback.

    Click's own exceptions (usage errors, --help, Exit) pass through: click
    turns them into status 2 or 0.  A :class:`DerivError` is the user's input
    at fault: its message, status 2.  Anything else is our bug: one line
    saying so, status 2, and the traceback only with ``DERIV_DEBUG=1``.
    """

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            status = command(*args, **kwargs)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except BrokenPipeError:
            raise  # ``deriv check | head``: click exits quietly on EPIPE
        except DerivError as exc:
            fail(f"error: {exc}")
            status = EXIT_BROKEN
        except KeyboardInterrupt:
            fail("interrupted")
            status = EXIT_INTERRUPTED
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            if debug_enabled():
                traceback.print_exc(file=sys.stderr)
            text = " ".join(str(exc).split())  # one line, whatever the exception says
            detail = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
            hint = "" if debug_enabled() else " (set DERIV_DEBUG=1 for the traceback)"
            fail(f"internal error: {detail}{hint}")
            status = EXIT_BROKEN
        click.get_current_context().exit(status)

    return wrapper


class PositiveSeconds(click.ParamType):
    """A finite number of seconds greater than zero (rejects 0, nan, inf)."""

    name = "seconds"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of seconds.", param, ctx)
        try:
            return cast(float, budget_seconds(seconds, optional=False))  # the library's rule
        except ValueError:
            self.fail(f"{value!r} must be a finite number of seconds greater than 0.", param, ctx)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="deriv", prog_name="deriv")
def main() -> None:
    """Check Markdown + LaTeX derivations step by step.

    Each step is proved, tested on random instances, refuted with a
    counterexample, or reported as undecided; nothing unchecked passes.
    """


def checking_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options of every command that checks documents (check, report)."""
    options = [
        click.argument("paths", nargs=-1, metavar="[PATH]..."),
        click.option("--strict", is_flag=True, help="Count 'tested' steps as failures (exit 1)."),
        click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
                     help="Random seed for the random instances; rerun a counterexample with it."),
        click.option("--timeout", type=PositiveSeconds(), default=10.0, show_default=True,
                     help="Time budget per step, in seconds."),
        click.option("--document-timeout", type=PositiveSeconds(), default=60.0, show_default=True,
                     help="Time budget per document, in seconds; steps past it are reported timeout."),
        click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True,
                     help="Number of checks run in parallel."),
        click.option("--no-cache", is_flag=True,
                     help="Check every document again, even one whose result is kept from an earlier run."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _cached_check() -> Any:
    """The result cache's ``check_file`` (:mod:`deriv.cache`), imported only when it is used:
    its hashing and files cost every ``--no-cache`` run some milliseconds otherwise."""
    from deriv.cache import ResultCache

    return ResultCache().check_file


def run_checks(paths: Sequence[str], seed: int, timeout: float, jobs: int, document_timeout: float,
               progress: bool = False, only_derivations: bool = False, cache: bool = True) -> Any:
    """Check the documents under ``paths`` (./derivations when none; ``-`` is standard input): the RunResult.

    With ``progress``, a bar on stderr follows the documents as they are done; with ``cache``,
    documents checked before are not checked again (:mod:`deriv.cache`).
    """
    from deriv.check.inputs import check_given  # heavy (SymPy, Lark): only when really checking

    options = CheckOptions(seed=seed, timeout=timeout, jobs=jobs, document_timeout=document_timeout)
    given = list(paths) or [DEFAULT_PATH]
    stdin = sys.stdin.buffer
    check = _cached_check() if cache else None
    if not progress:
        return check_given(given, options, stdin, only_derivations=only_derivations, check=check)
    bar = ProgressBar(sys.stderr)
    try:
        return check_given(given, options, stdin, bar, only_derivations=only_derivations, check=check)
    finally:
        bar.close()


@main.command(short_help="Check derivations step by step.")
@checking_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="A report for people, one JSON document for tools, or GitHub Actions annotations.",
)
@click.option("-q", "--quiet", is_flag=True, help="Text: show only steps that did not pass.")
@click.option("--only-derivations", is_flag=True,
              help="Of the files named, check only derivations, as a folder run does (for pre-commit hooks).")
@click.option("--no-color", is_flag=True, help="No colour (also off when not a terminal or NO_COLOR is set).")
@click.option("--batch", "batch", default=None, metavar="FILE.jsonl",
              help="Check the items of a JSON-lines file ('-': standard input), one JSON line out per item; "
                   "an item's 'quantity' (LaTeX of what its problem asks for) is what its final answer must equal.")
@click.option("--symbols", "symbols_file", default=None, metavar="FILE.yaml",
              help="With --batch: declarations for every item, written as a front matter is.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Check on a Dask cluster (tcp://host:8786); needs deriv[distributed].")
@guarded
def check(
    paths: Sequence[str],
    strict: bool,
    seed: int,
    timeout: float,
    document_timeout: float,
    jobs: int,
    no_cache: bool,
    fmt: str,
    quiet: bool,
    only_derivations: bool,
    no_color: bool,
    batch: str | None,
    symbols_file: str | None,
    scheduler: str | None,
) -> int:
    """Check the derivations in PATH (files, or folders searched for .md, .qmd and .ipynb files).

    With no PATH, checks ./derivations.  Exit status: 0 every step proved,
    tested, expected-fail or skipped; 1 a step refuted or unexpectedly
    passing (or tested, with --strict); 2 an error, timeout or undecided
    step, an unreadable file, or bad usage.  With --batch, the exit status is
    0 once every item is answered (their verdicts are the output), 2 for bad usage.
    """
    options = CheckOptions(seed=seed, timeout=timeout, document_timeout=document_timeout)
    if batch is not None or symbols_file is not None:
        return run_batch(batch, symbols_file, paths, options, jobs, scheduler)
    started = time.perf_counter()
    if scheduler:
        from deriv.distributed import check_paths_on, connected

        with connected(scheduler) as executor:
            run = check_paths_on(executor, list(paths) or [DEFAULT_PATH], options)
    else:
        run = run_checks(paths, seed, timeout, jobs, document_timeout, want_progress(fmt, quiet),
                         only_derivations, not no_cache)
    elapsed = time.perf_counter() - started

    if fmt == "json":
        from deriv.render.json import render_json

        click.echo(render_json(run))
    elif fmt == "github":
        from deriv.render.github import render_github

        click.echo(render_github(run, strict=strict, seed=seed))
    else:
        from deriv.render.text import render_run

        color = want_color(no_color)
        lines = render_run(run, quiet=quiet, strict=strict, seed=seed, elapsed=elapsed, color=color)
        click.echo("\n".join(lines), color=color)

    return final_status(run, paths, strict, only_derivations)


def run_batch(batch: str | None, symbols_file: str | None, paths: Sequence[str], options: CheckOptions,
              jobs: int, scheduler: str | None) -> int:
    """``deriv check --batch``: one JSON line per item, in the items' order, as each is done."""
    if batch is None or paths:
        raise click.UsageError("--symbols declares what --batch items use: give --batch FILE.jsonl too"
                               if batch is None else "--batch reads its items from FILE.jsonl: give no PATH with it")
    from contextlib import nullcontext

    from deriv.batch import answer_lines
    from deriv.distributed import connected

    # Bytes: each line is decoded on its own, so one that is not UTF-8 is that item's error.
    with click.open_file(batch, "rb") as stream, \
            (connected(scheduler) if scheduler else nullcontext()) as executor:
        for line in answer_lines(stream, symbols_file, options, jobs, executor):
            click.echo(line)
    return 0


def final_status(run: Any, paths: Sequence[str], strict: bool, only_derivations: bool = False) -> int:
    """The exit status of a checking command (docs/cli.md); a hook's files that are all not
    derivations (``--only-derivations``) are no failure."""
    if not run.files and not (only_derivations and run.unchecked):
        # Nothing found is not a pass: deriv never reports unchecked work as passing.
        fail(f"no derivation documents found in {', '.join(list(paths) or [DEFAULT_PATH])}")
        return EXIT_BROKEN
    return run.exit_status(strict=strict)


@main.command(short_help="Write an HTML report: the mathematics rendered, a verdict beside each step.")
@checking_options
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default="report.html",
              show_default=True, help="The HTML file to write.")
@guarded
def report(
    paths: Sequence[str], strict: bool, seed: int, timeout: float, document_timeout: float, jobs: int,
    no_cache: bool, output: str
) -> int:
    """Check the derivations in PATH and write one self-contained HTML page.

    Each display is rendered from its own LaTeX as MathML, the prose kept,
    with a verdict mark per step and, under a step that did not pass, what
    ``deriv check`` says about it.  The page needs no network.  Exit status
    as for ``deriv check``.
    """
    from deriv.read.files import read_text_file
    from deriv.render.html import render_report, totals
    from deriv.render.text import summary_counts

    run = run_checks(paths, seed, timeout, jobs, document_timeout, want_progress("text", False), cache=not no_cache)
    sources: dict[str, str] = {}
    for file in run.files:
        try:
            sources[file.path] = read_text_file(file.path)
        except DerivError:
            pass  # unreadable: its FileResult already carries the error
    page = render_report(run, sources, seed=seed, strict=strict)
    try:
        with open(output, "w", encoding="utf-8") as stream:
            stream.write(page)
    except OSError as exc:
        fail(f"can not write {output}: {exc.strerror or exc}")
        return EXIT_BROKEN
    click.echo(f"{output}: {summary_counts(run) or 'nothing checked'} ({totals(run)})")
    return final_status(run, paths, strict)


@main.command("matrix-form", short_help="Turn an index expression into a verified matrix expression.")
@click.argument("latex")
@click.option("--indices", default="", metavar="M,N", help="The free indices naming the entry (row, column); none for a scalar.")
@click.option("--symbols", "symbols_text", default=None, metavar="DECLS",
              help='Declarations in the front matter\'s kinds, ";"-separated: "G: matrix S x N; W: matrix N x M".')
@click.option("--file", "document", default=None, metavar="DOC", help="Take the declarations from DOC's front matter.")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True, help="Random seed for the tests.")
@guarded
def matrix_form(latex: str, indices: str, symbols_text: str | None, document: str | None, seed: int) -> int:
    """Print the matrix form of LATEX, an index expression, verified by the engine.

    The last line is the form as LaTeX (the line above says "tested on
    random instances, not proved:" when the engine could only test it).  Exit status 2 when no
    candidate form is proved or tested.
    """
    from deriv.diagnose.matrix_form import matrix_form as find  # heavy (SymPy, Lark)

    if (symbols_text is None) == (document is None):
        raise click.UsageError("give exactly one of --symbols and --file")
    if document is not None:
        from deriv.check.local import math_of
        from deriv.meaning.declarations import build_context
        from deriv.read.readers import read_path as read_document

        parsed = read_document(document)
        context = build_context(parsed.declarations(), document, math=math_of(parsed))
    else:
        from deriv.meaning.adopt import context_from_symbols

        context = context_from_symbols(parse_symbols(symbols_text or ""))
    names = [n.strip() for n in indices.split(",") if n.strip()]
    form = find(latex, names, context, seed=seed)
    if form is None:
        fail(f"no verified matrix form of {latex} with free indices {', '.join(names) or 'none'}: "
             "no candidate was proved or tested by the engine")
        return EXIT_BROKEN
    if form.verdict.value != "proved":
        click.echo(f"{form.verdict.value} on random instances, not proved:")
    click.echo(form.latex)
    return 0


def parse_symbols(text: str) -> dict[str, str]:
    """``"G: matrix S x N; W: matrix N x M"`` as ``{"G": "matrix S x N", ...}``."""
    symbols: dict[str, str] = {}
    for part in text.split(";"):
        if not part.strip():
            continue
        name, colon, kind = part.partition(":")
        if not colon or not name.strip() or not kind.strip():
            raise click.BadParameter(f"{part.strip()!r} is not NAME: KIND", param_hint="--symbols")
        symbols[name.strip()] = kind.strip()
    return symbols


def run(argv: Sequence[str] | None = None) -> None:
    """The ``deriv`` program (console script and ``python -m deriv``): :func:`main`,
    then an immediate exit with its status.

    Everything a run produces is written and flushed before the exit and
    the idle workers are stopped, so nothing is lost; what is skipped is
    the interpreter's teardown (destroying every module and SymPy object,
    which costs a checking process about as long as checking a short
    document).  Tests and library callers use :func:`main`, which returns
    normally through ``SystemExit``.
    """
    collect_rarely()  # before the command imports the checker
    try:
        main(args=argv, prog_name="deriv")
        status: object = 0
    except SystemExit as done:
        status = done.code
    os._exit(_finish(status))


def _finish(status: object) -> int:
    """Flush the output, stop idle workers; the numeric exit status (as ``sys.exit`` maps it)."""
    if status is None:
        code = 0
    elif isinstance(status, int):
        code = status
    else:  # sys.exit("message"): the message on stderr, status 1
        print(status, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (``deriv check | head``), a closed stream
            pass
    isolate = sys.modules.get("deriv.check.isolate")  # loaded only when documents were checked
    if isolate is not None:
        isolate.stop_workers()
    return code & 0xFF


if __name__ == "__main__":  # pragma: no cover - use ``python -m deriv``
    run()
