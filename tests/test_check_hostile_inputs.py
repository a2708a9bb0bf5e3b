"""Hostile inputs found by attacking every entry point (docs/safety.md): each case is the exact
clean outcome -- a file error, an ``error`` or ``undecided`` step -- that replaced a crash, a
run aborted, or output a consumer could not read.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import deriv
from deriv.check.checker import check_file, check_text
from deriv.check.options import CheckOptions
from deriv.cli import main
from deriv.render.html import inert
from deriv.read.given import given_front
from deriv.render.json import interchangeable, render_item, render_json
from deriv.results import FileResult, ItemResult, RunResult, StepResult, Verdict

SYMBOLS = {"symbols": {"x": "scalar"}}
WRONG = "$$ x + 1 = x $$"


def _notebook(source: str, metadata: dict | None = None) -> str:
    return json.dumps({"cells": [{"cell_type": "markdown", "metadata": {}, "source": source}],
                       "metadata": {"deriv": metadata} if metadata else {}, "nbformat": 4, "nbformat_minor": 5})


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "--no-color", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.output


# -- readers: a file that can not be read is that file's error, never the run's end -----------

@pytest.mark.parametrize("isolate", [True, False])
def test_a_notebook_with_a_number_too_long_to_convert_is_a_file_error(tmp_path: Path, isolate: bool) -> None:
    # json.loads raises ValueError (not JSONDecodeError) past 4300 digits: it crashed the
    # worker and then, re-read to place the steps in cells, aborted the whole run.
    path = tmp_path / "n.ipynb"
    path.write_text(_notebook(WRONG, SYMBOLS)[:-1] + ', "x": 1' + "0" * 6000 + "}", encoding="utf-8")
    result = check_file(path, CheckOptions(isolate=isolate))
    assert result.error == "notebook is not readable JSON: it holds a number of more than 4300 digits"
    assert result.steps == ()


def test_a_notebook_that_can_not_be_read_leaves_the_rest_of_the_run(tmp_path: Path) -> None:
    # A folder's selection reads each notebook too: the ValueError escaped it as well.
    (tmp_path / "a.ipynb").write_text('{"cells": [], "nbformat": 1' + "0" * 6000 + "}", encoding="utf-8")
    (tmp_path / "b.ipynb").write_text(_notebook(WRONG, SYMBOLS), encoding="utf-8")
    code, out = _cli(str(tmp_path))
    assert code == 1 and "Traceback" not in out and "internal error" not in out
    assert "a.ipynb (can not be read: notebook is not readable JSON: it holds a number of more than 4300 digits)" in out
    assert "refuted  -  cell 1 line 1" in out


def test_a_reader_s_bug_is_a_file_error_not_an_exception(monkeypatch: pytest.MonkeyPatch) -> None:
    import deriv.read.document as document

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("a bug")

    monkeypatch.setattr(document, "parse_document", broken)
    result = check_text(WRONG, "doc.md", CheckOptions(isolate=False))
    assert (result.error, result.error_line) == ("internal error while reading: ValueError: a bug", 1)


def test_a_declaration_builder_s_bug_is_a_file_error_not_an_exception(monkeypatch: pytest.MonkeyPatch) -> None:
    import deriv.meaning.declarations as declarations

    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("a bug")

    monkeypatch.setattr(declarations, "build_context", broken)
    result = check_text("---\nsymbols:\n  x: scalar\n---\n" + WRONG, "doc.md", CheckOptions(isolate=False))
    assert result.error == "internal error while reading the declarations: KeyError: 'a bug'"


# -- JSON: what every parser reads -------------------------------------------------------------

def _lone_surrogates() -> RunResult:
    step = StepResult(line=1, label="\ud800", relation="=", lhs="x \udfff", rhs="x", verdict=Verdict.ERROR,
                      message="unexpected character '\\ud800'", justification="\U0001f600")
    return RunResult((FileResult("\udcffbad.md", "t\ud800", steps=(step,)),))


def test_the_json_report_holds_no_lone_surrogate() -> None:
    # A notebook's JSON may write "\ud800", a file name that is no UTF-8 is '\udcff...': JSON
    # would write the escape, which RFC 7493 forbids and strict parsers (serde_json) refuse.
    page = render_json(_lone_surrogates())
    page.encode("ascii")
    data = json.loads(page)
    json.dumps(data).encode("utf-8")  # no surrogate left: encodes strictly
    [file] = data["files"]
    assert (file["path"], file["title"]) == ("\ufffdbad.md", "t\ufffd")
    step = file["steps"][0]
    assert (step["label"], step["lhs"], step["message"]) == ("\ufffd", "x \ufffd", "unexpected character '\\ud800'")
    assert step["justification"] == "\U0001f600"  # a character past the BMP is kept


def test_a_batch_line_holds_no_lone_surrogate() -> None:
    item = ItemResult(id={"\ud800": ["\udc00"]}, steps=_lone_surrogates().files[0].steps, error="\udfff")
    data = json.loads(render_item(item))
    json.dumps(data).encode("utf-8")
    assert data["id"] == {"\ufffd": ["\ufffd"]} and data["error"] == "\ufffd"


def test_a_notebook_s_lone_surrogate_reaches_no_output(tmp_path: Path) -> None:
    path = tmp_path / "s.ipynb"
    path.write_text(_notebook("$$ x \ud800 = x $$\n\n$$ x + x = 2 x $$", SYMBOLS), encoding="utf-8")
    code, out = _cli("--format", "json", str(path))
    assert code == 2 and "\\ud800" not in out.replace("\\\\ud800", "")
    steps = json.loads(out)["files"][0]["steps"]
    assert [(s["verdict"], s["rhs"]) for s in steps] == [("error", "x \ufffd = x"), ("proved", "2 x")]


def test_interchangeable_keeps_everything_else() -> None:
    data = {"a": [1, 2.5, None, True, "é\U0001f600"], "b": {"c": ("d",)}}
    assert interchangeable(data) == {"a": [1, 2.5, None, True, "é\U0001f600"], "b": {"c": ["d"]}}


# -- HTML: no control character reaches the page ------------------------------------------------

def test_the_report_holds_no_control_character(tmp_path: Path) -> None:
    path = tmp_path / "c.ipynb"
    path.write_text(_notebook("Prose \x1b]0;PWNED\x07 \x1b[2J \x85 \x7f.\n\n$$ x + 1 = x \\quad \\text{by \x1b[31m} $$",
                              SYMBOLS), encoding="utf-8")
    out = tmp_path / "r.html"
    result = CliRunner().invoke(main, ["report", str(path), "-o", str(out)])
    assert result.exit_code == 2, result.output
    page = out.read_text(encoding="utf-8")
    assert not any(c in page for c in "\x1b\x07\x85\x7f")
    assert "Prose \ufffd]0;PWNED\ufffd \ufffd[2J \ufffd \ufffd." in page


def test_inert_keeps_tabs_and_line_breaks() -> None:
    assert inert("a\tb\nc\r\nd\x00e\x9f") == "a\tb\nc\r\nd\ufffde\ufffd"


# -- sizes nothing bounds, through the library ---------------------------------------------------

def test_reward_of_a_step_at_sizes_too_large_to_test_is_undecided() -> None:
    text = "$$ x_{100000000000000000000000000000} = 1 $$"
    assert deriv.reward(text, symbols={"x": "vector N"}, timeout=5) is None


# -- deriv.decide: SymPy objects a caller may build ------------------------------------------------

def _sympy_sides():  # built inside the tests: SymPy is imported by the library anyway
    import sympy

    x, i, n = sympy.Symbol("x"), sympy.Symbol("i"), sympy.Symbol("N")
    return sympy, x, i, n, sympy.IndexedBase("v")


@pytest.mark.parametrize("limits", ["(i, 0, 1/2)", "(i, 1/2, 1)", "(i, 0, x)", "(i, 0, N/2)"])
def test_decide_refuses_a_sum_whose_limits_are_not_whole(limits: str) -> None:
    # SymPy sums (i, 0, 1/2) as 3x/2, deriv's loops stopped at the floor: Sum(x, (i, 0, 1/2)) = x was
    # 'tested', and = 3x/2 refuted with "the symbolic engine found them equal".
    sympy, x, i, n, v = _sympy_sides()
    bounds = {"(i, 0, 1/2)": (0, sympy.Rational(1, 2)), "(i, 1/2, 1)": (sympy.Rational(1, 2), 1),
              "(i, 0, x)": (0, x), "(i, 0, N/2)": (0, n / 2)}[limits]
    for right in (x, sympy.Rational(3, 2) * x):
        with pytest.raises(deriv.DerivError, match=r"^a sum's limits are whole numbers, written from sizes and indices"):
            deriv.decide(sympy.Sum(x, (i, *bounds)), right, {"x": "scalar", "v": "vector N"})
    assert deriv.decide(sympy.Sum(v[i], (i, 0, n - 1)), sympy.Sum(v[i], (i, 0, n - 1)),
                        {"v": "vector N"}).verdict is Verdict.PROVED


def test_decide_names_an_index_with_no_range() -> None:
    sympy, x, i, n, v = _sympy_sides()
    with pytest.raises(deriv.DerivError, match="^index i has no range"):  # was a KeyError
        deriv.decide(sympy.KroneckerDelta(i, 1), x, {"x": "scalar"})


def test_decide_answers_an_error_for_what_the_engine_can_not_take() -> None:
    sympy, x, i, n, v = _sympy_sides()
    decision = deriv.decide(sympy.Lambda(x, x), x, {"x": "scalar"})  # an IndexError escaped
    assert decision.verdict is Verdict.ERROR
    assert decision.message.startswith("internal error while deciding: ")


# -- pytest: node ids are printed raw -------------------------------------------------------------

def test_a_label_reaches_pytest_s_ids_escaped_and_unsplit(pytester: pytest.Pytester) -> None:
    # pytest prints node ids and head lines as they are: a \tag with U+202E reordered the
    # summary line, and one with :: split the id (pytest t.md::a::b selects nothing).
    pytester.makefile(".md", t="---\nsymbols:\n  x: scalar\n---\n\n$$ x + 1 = x \\tag{a::b} $$\n\n"
                                "$$ x + 2 = x \\tag{\u202e evil} $$\n")
    result = pytester.runpytest("-p", "no:cacheprovider", "-p", "no:randomly", "-rf")
    result.assert_outcomes(failed=2)
    out = result.stdout.str()
    assert "\u202e" not in out
    assert "FAILED t.md::a\\x3a:b - refuted  (a::b)  line 6" in out
    assert "FAILED t.md::\\u202e evil - refuted  (\\u202e evil)  line 8" in out
    assert "step (a\\x3a:b) line 6" in out
    selected = pytester.runpytest("-p", "no:cacheprovider", "-p", "no:randomly", "t.md::a\\x3a:b")
    selected.assert_outcomes(failed=1)


# -- budgets a caller gives ----------------------------------------------------------------------

@pytest.mark.parametrize(("timeout", "error"), [(float("nan"), ValueError), (float("inf"), ValueError), (-1, ValueError),
                                                (0, ValueError), ("5", TypeError), (True, TypeError)])
def test_a_budget_that_is_no_budget_is_refused_by_every_entry_point(timeout: object, error: type) -> None:
    # NaN and 1e300 reached the interval timer (ValueError, OverflowError from inside a step);
    # -1 and 0 meant no budget at all.
    with pytest.raises(error, match="^timeout "):
        deriv.decide(1, 1, {}, timeout=timeout)  # type: ignore[arg-type]
    with pytest.raises(error, match="^timeout "):
        deriv.reward("$$ x = x $$", symbols={"x": "scalar"}, timeout=timeout)  # type: ignore[arg-type]
    with pytest.raises(error, match="^timeout "):
        CheckOptions(timeout=timeout)  # type: ignore[arg-type]
    with pytest.raises(error, match="^document_timeout "):
        CheckOptions(document_timeout=timeout)  # type: ignore[arg-type]


def test_a_budget_longer_than_the_timer_takes_is_a_year() -> None:
    assert deriv.decide(1, 1, {}, timeout=1e300).verdict is Verdict.PROVED
    assert deriv.decide(1, 1, {}, timeout=None).verdict is Verdict.PROVED
    with pytest.raises(TypeError, match="^timeout is a number of seconds, not NoneType"):
        CheckOptions(timeout=None)  # type: ignore[arg-type]


# -- a caller's objects are never turned into text ---------------------------------------------

class _Loud:
    """An object whose text costs something: turning it into a string is recorded."""

    made: list[str] = []

    def __str__(self) -> str:
        self.made.append("str")
        return "$$ x = x $$"

    __repr__ = __str__


def test_a_caller_s_objects_are_named_by_type_never_by_their_text() -> None:
    _Loud.made.clear()
    with pytest.raises(ValueError, match="^the declarations are not plain data: a _Loud is no text, number"):
        deriv.reward("$$ x = x $$", symbols={"x": _Loud()})  # type: ignore[dict-item]
    with pytest.raises(deriv.DerivError, match="unknown section 'a _Loud'"):
        given_front({_Loud(): "scalar"})
    [item] = deriv.check_many([{"id": _Loud(), "text": "$$ x = x $$"}], symbols={"x": "scalar"}, timeout=5)
    assert item.error is None and [s.verdict for s in item.steps] == [Verdict.PROVED]
    with pytest.raises(TypeError, match="^check_text\\(\\) takes the document as a string, not _Loud"):
        check_text(_Loud())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not bytes"):
        check_text(b"$$ x = x $$")  # type: ignore[arg-type]
    assert _Loud.made == []



# -- the report's prose and math: linear in the text ------------------------------------------------

#: Lines the prose renderer's regular expressions took quadratic (cubic: backticks) time on; at
#: 10^5 characters each would take minutes to hours, read linearly a fraction of a second.
SLOW_PROSE = {
    "backticks": ("`" * 100_000, "`" * 100_000),
    "brackets": ("[" * 100_000, "[" * 100_000),
    "images": ("![" * 50_000, "![" * 50_000),
    "emphasis-openers": (" _a" * 33_000, " _a" * 33_000),
    "strong-openers": (" *a" * 33_000, " *a" * 33_000),
    "unclosed-links": ("[a](b" * 20_000, "[a](b" * 20_000),
    "nested-link-text": ("[a" * 50_000, "[a" * 50_000),
}


@pytest.mark.parametrize(("line", "shown"), SLOW_PROSE.values(), ids=SLOW_PROSE.keys())
def test_prose_is_rendered_in_linear_time(line: str, shown: str) -> None:
    from deriv.render.prose import render_prose

    assert render_prose(["Text " + line]) == f"<p>Text {shown}</p>\n"


@pytest.mark.parametrize(("line", "html"), [
    ("a `b` ``c`d`` ```e", "a <code>b</code> <code>c`d</code> ```e"),
    ("`` ` `` and `x", "<code>`</code> and `x"),
    ("*a_b* and _c*d_ and *x *y*", "<em>a_b</em> and <em>c*d</em> and *x <em>y</em>"),
    ("[a](b) [c [d](e)", '<a href="b" rel="noopener noreferrer">a</a> [c <a href="e" rel="noopener noreferrer">d</a>'),
])
def test_code_spans_emphasis_and_links_as_before(line: str, html: str) -> None:
    from deriv.render.prose import render_inline

    assert render_inline(line) == html


def test_math_too_long_to_check_is_shown_as_tex() -> None:
    from deriv.render.mathml import MAX_TEX, to_mathml

    tex = "x + " * (MAX_TEX // 4) + "x"
    assert to_mathml(tex).startswith(f'<code class="tex" title="not rendered: longer than {MAX_TEX} characters">x + x')


# -- a folder's walk -------------------------------------------------------------------------------

def test_a_folder_s_links_outside_it_and_special_files_are_listed_not_read(tmp_path: Path) -> None:
    import os

    outside = tmp_path / "secret.md"
    outside.write_text("---\nsymbols:\n  x: scalar\n---\n$$ x = 2 x $$\n", encoding="utf-8")
    folder = tmp_path / "repo"
    (folder / "sub").mkdir(parents=True)
    (folder / "ok.md").write_text("---\nsymbols:\n  x: scalar\n---\n$$ x + 1 = x $$\n", encoding="utf-8")
    (folder / "link.md").symlink_to(outside)  # a repository's notes.md -> ~/.ssh/id_rsa
    (folder / "inside.md").symlink_to(folder / "ok.md")  # a link within the folder is read
    (folder / "sub" / "up").symlink_to(folder)  # a loop is not walked
    os.mkfifo(folder / "pipe.md")
    from deriv.check.checker import select_documents

    found, left_out = select_documents([folder])
    assert found == [str(folder / "inside.md"), str(folder / "ok.md")]
    assert [(Path(u.path).name, u.reason) for u in left_out] == [
        ("link.md", "a link to a file outside the folder: not followed"), ("pipe.md", "not a readable regular file")]
    code, out = _cli(str(folder))
    assert code == 1 and "x = 2 x" not in out and "secret" not in out


def test_an_empty_path_names_no_file_not_the_working_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # `deriv check "$FILE"` with FILE unset checked every document under the working folder.
    (tmp_path / "a.md").write_text("---\nsymbols:\n  x: scalar\n---\n$$ x + 1 = x $$\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    from deriv.check.checker import check_paths

    for isolate in (True, False):
        [file] = check_paths([""], CheckOptions(isolate=isolate)).files
        assert (file.path, file.error, file.steps) == ("", "no such file", ())
