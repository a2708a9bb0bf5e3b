"""The hostile-input corpus (tests/hostile/): every payload, every place it can reach, every run.

The HTML report is parsed with the standard library's HTML parser and held
to an allow-list: only the report's own elements and MathML Core, only
known attributes, no ``on*`` handler, no ``style`` attribute, links only to
anchors and the web, one style sheet (the report's), the policy first in
``<head>``.  What a real browser does with the same page is
tests/test_render_browser.py's business.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import deriv
from deriv.check.checker import check_text
from deriv.cli import main
from deriv.render import mathml
from deriv.render.html import CSP, inert, render_fragment, render_report
from deriv.render.style import CSS
from deriv.results import RunResult, StepResult, Verdict

#: The report's own elements; MathML's come from the sanitiser's allow-list.
HTML_TAGS = frozenset({"html", "head", "meta", "title", "style", "body", "div", "header", "section", "h1", "h2",
                       "h3", "h4", "h5", "h6", "p", "span", "a", "ol", "ul", "li", "code", "pre", "dl", "dt",
                       "dd", "strong", "em", "blockquote"})
MATH_TAGS = frozenset(tag.rpartition("}")[2] for tag in mathml.ELEMENTS)
HTML_ATTRIBUTES = frozenset({"class", "id", "href", "title", "lang", "charset", "name", "content", "http-equiv",
                             "aria-hidden", "rel", "xmlns"})
SAFE_HREF = re.compile(r"#[\w-]+|(?:https?://|mailto:)[^\s\"'<>]*|[^:\s\"'<>]*", re.IGNORECASE)
Document = Callable[[str], str]
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of ``<title>`` and ``<style>``."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: dict[str, str] = {}
        self.inside: str | None = None
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self.inside = tag if tag in ("title", "style") else None

    def handle_endtag(self, tag: str) -> None:
        self.inside = None

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.text[self.inside] = self.text.get(self.inside, "") + data


def assert_inert(page: str, *, whole: bool = True) -> None:
    """Nothing in ``page`` can run, load, restyle, hide or reorder: only the report's own markup."""
    parsed = assert_allowed_markup(page)
    assert [t for t, _ in parsed.tags].count("style") == 1 and parsed.text["style"] == "\n" + CSS
    if whole:
        metas = [a for t, a in parsed.tags if t == "meta"]
        assert metas[1] == {"http-equiv": "Content-Security-Policy", "content": CSP}  # right after the charset
        assert [a.get("name") for a in metas] == [None, None, "viewport"]
        assert parsed.text["title"] == "deriv report"


def assert_allowed_markup(page: str) -> Tags:
    """Only the report's elements and MathML Core, only known attributes, only safe links."""
    parsed = Tags(page)
    for tag, attributes in parsed.tags:
        assert tag in HTML_TAGS | MATH_TAGS, tag
        allowed = HTML_ATTRIBUTES if tag in HTML_TAGS else frozenset(mathml.ATTRIBUTES) | {"xmlns"}
        assert set(attributes) <= allowed, (tag, attributes)
        if tag == "a" and "href" in attributes:
            assert SAFE_HREF.fullmatch(attributes["href"]), attributes
        if tag in MATH_TAGS and "class" in attributes:
            assert attributes["class"] in mathml.ALIGN_CLASSES, attributes
    return parsed


#: Text made of what markup is made of, and of the words of the payloads.
MARKUP = st.lists(st.sampled_from(["<", ">", "&", '"', "'", "/", "=", "\\", "{", "}", "$", "*", "_", "[", "]", "(",
                                   ")", "!", "-", ":", " ", "`", "#", "\n", "script", "img", "svg", "on", "href",
                                   "style", "text", "mtext", "math", "javascript", "\\text{", "\\href{", "<!--",
                                   "-->", "&#x3c;", "&lt;", "x", "1", "\u202e"]), max_size=30).map("".join)


@given(MARKUP)
@settings(max_examples=300, deadline=None)
def test_any_text_anywhere_stays_text(text: str) -> None:
    """Whatever the characters, math and prose reach the page as allowed markup only."""
    from deriv.render.prose import render_prose

    page = inert(mathml.to_mathml(text) + mathml.to_mathml(text, display=False) + render_prose(text.split("\n")))
    assert_allowed_markup(page)


def test_the_policy_allows_no_script_no_load_and_only_the_report_s_style() -> None:
    directives = dict(d.strip().split(" ", 1) for d in CSP.split(";"))
    assert directives["default-src"] == "'none'" and "script-src" not in directives
    assert re.fullmatch(r"'sha256-[A-Za-z0-9+/]+=*'", directives["style-src"])
    assert directives["base-uri"] == directives["form-action"] == "'none'"


def test_no_payload_reaches_the_report_as_markup(report_payload: str, hostile_document: Document) -> None:
    payload = report_payload
    name = payload.replace("/", "\u2215")  # a file name may hold anything but a slash
    result = check_text(hostile_document(payload), name)
    steps = result.steps
    assert result.error is None, result.error
    assert steps[0].verdict is Verdict.REFUTED  # the wrong step is still found wrong
    page = render_report(RunResult((result,)), {name: hostile_document(payload)})
    assert_inert(page)
    header = page.partition("</header>")[0]
    assert re.search(r'<p class="outcome status-[12]">Some steps (are wrong|could not be checked)\.', header)
    assert '<span class="mark refuted"' in header.partition('<ol class="failures">')[2]  # listed at the top
    assert_inert(render_report(RunResult((result,))))  # drawn from the steps alone
    assert_inert(render_fragment(result, hostile_document(payload)), whole=False)  # a notebook's
    for step in steps:
        assert_inert(render_fragment(step), whole=False)


def test_no_payload_in_a_result_s_fields_reaches_the_report_as_markup(report_payload: str) -> None:
    """A run assembled from JSON: every text field hostile."""
    payload = report_payload
    step = StepResult(line=3, label=payload, relation="=", lhs=payload, rhs=payload, verdict=Verdict.REFUTED,
                      message=payload, justification=payload)
    run = RunResult((deriv.FileResult(payload, payload, steps=(step,)),
                     deriv.FileResult(payload, payload, error=payload, error_line=2)))
    assert_inert(render_report(run))
    assert_inert(render_report(run, {payload: payload}))


def test_the_cli_report_of_hostile_files_is_inert(tmp_path: Path, report_payloads: list[str],
                                                  hostile_document: Document) -> None:
    for number, payload in enumerate(report_payloads):
        folder = tmp_path / f"d{number}"
        folder.mkdir()
        (folder / (payload.replace("/", "\u2215")[:200] + ".md")).write_text(hostile_document(payload),
                                                                            encoding="utf-8")
    out = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", str(tmp_path), "-o", str(out)])
    assert result.exit_code == 2, result.output  # each file has a refuted step and an unreadable one
    assert f"{len(report_payloads)} refuted" in result.output
    page = out.read_text(encoding="utf-8")
    assert_inert(page)
    assert page.count('<span class="mark refuted"') >= 2 * len(report_payloads)  # the summary's line and the step's


#: What a terminal would act on: clear the screen, paint a verdict, set the window title, reorder.
TERMINAL = "\x1b[2J\x1b[H\x1b[32mAll steps proved.\x1b[0m \x1b]0;title\x07 \u202e \x9b2J \x07"


def test_the_terminal_report_shows_control_and_bidi_characters_as_escapes(
        report_payload: str, hostile_document: Document) -> None:
    """The text report of ``deriv check``: a document can not drive the terminal or reorder a line."""
    from deriv.render.text import render_run

    body = f"\n{TERMINAL}\n\n$$ {TERMINAL} = A_{{i,j}} $$\n\n$$ A_{{i,j}} = A_{{i,j}} \\quad \\text{{{TERMINAL}}} $$\n"
    name = TERMINAL + report_payload.replace("/", "\u2215")
    result = check_text(hostile_document(report_payload) + body, name)
    for file in (result, dataclasses.replace(result, title=TERMINAL, error=TERMINAL)):
        text = "\n".join(render_run(RunResult((file,)), seed=0))
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text), repr(text)
    assert [s.verdict for s in result.steps][0] is Verdict.REFUTED


@pytest.mark.parametrize("tex", [r"\text{<script>x</script>}", r"\href{javascript:x}{y}", r"\style{color:red}{y}",
                                 r"\class{x}{y}", r"\color{white}{y}", r"\phantom{y}", r"\cancel{y}",
                                 r"\hspace{-50em} y", r"\Huge y", r"\colorbox{red}{y}"])
def test_mathml_keeps_only_the_allow_list(tex: str) -> None:
    out = mathml.to_mathml(tex)
    if out.startswith("<code"):  # not drawn: the TeX as written, escaped
        assert out.endswith(">" + tex.replace("<", "&lt;").replace(">", "&gt;") + "</code>"), out
        return
    drawn = out.partition("<annotation")[0]
    for attribute in ("href=", " style=", "mathcolor", "mathbackground", "mathsize", 'class="x"', "-50em"):
        assert attribute not in drawn, (tex, out)


def test_the_sanitiser_drops_what_any_converter_might_make() -> None:
    import xml.etree.ElementTree as ET

    ns = mathml.MATHML_NS
    good = ET.fromstring(f'<math xmlns="{ns}" display="block" onload="x" style="a" class="b"><mrow id="c">'
                         f'<mo stretchy="false" xlink:href="y" xmlns:xlink="http://www.w3.org/1999/xlink">|</mo>'
                         f'<mspace width="100em"/><mspace width="-.2em"/><mspace width="-1em"/><mpadded voffset="2em" lspace="2em"/></mrow></math>')
    mathml.sanitise(good)
    assert [(e.tag.rpartition("}")[2], dict(e.attrib)) for e in good.iter()] == [
        ("math", {"display": "block"}), ("mrow", {}), ("mo", {"stretchy": "false"}), ("mspace", {}),
        ("mspace", {"width": "-.2em"}), ("mspace", {}), ("mpadded", {"lspace": "2em"})]
    for bad in ("<script/>", "<mphantom/>", "<annotation-xml/>", "<maction/>", "<mglyph/>",
                '<svg xmlns="http://www.w3.org/2000/svg"/>', '<p xmlns="http://www.w3.org/1999/xhtml"/>'):
        with pytest.raises(mathml.NotRendered):
            mathml.sanitise(ET.fromstring(f'<math xmlns="{ns}"><mrow>{bad}</mrow></math>'))


# --- The library boundary: nothing evaluates a string, nothing splices one -------------------------------------

SYMBOLS = {"x": "scalar", "y": "scalar", "A": "matrix N x N"}


@pytest.fixture
def no_string_evaluation(monkeypatch: pytest.MonkeyPatch) -> None:
    """``sympify`` of a string, ``parse_expr`` and ``S(...)`` raise while the test runs."""
    import sys

    import sympy
    import sympy.parsing.sympy_parser

    real = sympy.sympify

    def strict(value: object, *args: object, **kwargs: object) -> object:
        if isinstance(value, str):
            raise AssertionError(f"sympify called on a string: {value!r}")
        return real(value, *args, **kwargs)

    def never(*args: object, **kwargs: object) -> object:
        raise AssertionError("parse_expr called")

    for module in (sympy, sys.modules["sympy.core.sympify"]):
        monkeypatch.setattr(module, "sympify", strict)
    monkeypatch.setattr(sympy.parsing.sympy_parser, "parse_expr", never)


def test_decide_refuses_a_string_and_runs_nothing(library_payload: str, tmp_path: Path,
                                                   no_string_evaluation: None) -> None:
    marker = tmp_path / "ran"
    payload = library_payload.replace("{marker}", str(marker))
    for lhs, rhs in ((payload, 0), (0, payload), (payload, payload)):
        with pytest.raises(TypeError, match="never evaluated"):
            deriv.decide(lhs, rhs, SYMBOLS)  # type: ignore[arg-type]
    for kind in (payload, f"matrix {payload} x N"):  # a kind is read by deriv's own parser
        with pytest.raises(Exception):  # noqa: B017 - any refusal will do: what matters is the marker
            deriv.decide(sympy_symbol("x"), 0, {"x": kind})
    # As LaTeX, where a string is welcome: read by deriv's parser, an error or a refusal, never run.
    with pytest.raises((AssertionError, ValueError)):
        deriv.assert_holds(payload, "x", SYMBOLS)
    try:
        assert deriv.matrix_form(payload, "i", {"A": "matrix N x N"}) is None
    except deriv.DerivError:
        pass  # not LaTeX deriv reads: said so
    document = f"---\nsymbols:\n  x: scalar\ndefinitions:\n  - '{payload.replace(chr(39), chr(39) * 2)}'\n---\n$$ {payload} = x $$\n"
    assert check_text(document).steps or check_text(document).error
    assert not marker.exists()


def sympy_symbol(name: str) -> object:
    import sympy

    return sympy.Symbol(name)


@pytest.mark.parametrize("value", [0.5, True, None, [1], {"x": 1}, b"x", complex(1, 2)])
def test_decide_takes_sympy_expressions_and_exact_numbers_only(value: object, no_string_evaluation: None) -> None:
    import sympy

    with pytest.raises(TypeError, match="SymPy expression or an exact number"):
        deriv.decide(value, 0, SYMBOLS)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        deriv.decide(sympy.Float(0.5) * sympy.Symbol("x"), 0, SYMBOLS)  # a float inside is no exact number


def test_decide_takes_exact_numbers_as_sympy_would(no_string_evaluation: None) -> None:
    from fractions import Fraction

    import sympy

    x = sympy.Symbol("x")
    assert deriv.decide(2 * x - x, x, SYMBOLS).verdict is Verdict.PROVED
    assert deriv.decide(x - x, 0, SYMBOLS).verdict is Verdict.PROVED
    assert deriv.decide(sympy.Rational(1, 3), Fraction(1, 3), SYMBOLS).verdict is Verdict.PROVED
    assert deriv.decide(Fraction(1, 3), 0, SYMBOLS).verdict is Verdict.REFUTED


def test_a_splicing_member_is_refused_or_read_back_as_built(splice_payload: str, no_string_evaluation: None) -> None:
    """Never a step other than the one built: a ValueError, or the step's members are exactly those given."""
    payload = splice_payload
    for lhs, rhs in ((payload, "x"), ("x", payload)):
        try:
            step = deriv.assert_holds(lhs, rhs, SYMBOLS)
        except (ValueError, AssertionError):
            continue  # refused, or checked as built and found wanting (the read back passed)
        assert (step.lhs, step.rhs) == (lhs.strip(), rhs.strip()), (payload, step)
    for where in ("because", "label"):
        d = deriv.Derivation(SYMBOLS)
        try:
            d.chain("2 x", "x + x", **{where: payload})
            steps = d.check().steps
        except ValueError:
            continue
        assert [(s.lhs, s.rhs, getattr(s, "justification" if where == "because" else where)) for s in steps] == [
            ("2 x", "x + x", payload.strip())], (payload, steps)


@pytest.mark.parametrize("payload", ["x\n$$ 1 = 1 $$", "x\r\n---\nsymbols: {}", "x\u2028$$ x = x $$", "x\rx",
                                     "x\x0b2", "x\x85y"])
def test_a_member_or_name_is_one_line(payload: str) -> None:
    with pytest.raises(ValueError, match="one line"):
        deriv.assert_holds(payload, "x", SYMBOLS)
    with pytest.raises(ValueError, match="one line"):
        deriv.Derivation(SYMBOLS).chain("x", "x", because=payload)
    with pytest.raises(ValueError, match="one line"):
        deriv.assert_holds("x", "x", {**SYMBOLS, "z": payload})
    with pytest.raises(ValueError, match="one line"):
        deriv.Derivation(SYMBOLS, title=payload).to_markdown()
    with pytest.raises(ValueError, match="one line"):
        deriv.assert_holds("x", "x", SYMBOLS, definitions=[payload])


def test_names_kinds_and_titles_are_quoted_in_the_front_matter() -> None:
    d = deriv.Derivation({"x": "scalar # a comment", "y": "scalar"}, title="a: b --- 'c'")
    d.chain("x", "x")
    assert "unknown kind 'scalar # a comment'" in (d.check().error or "")  # read whole (not a YAML comment): refused
    d = deriv.Derivation({"x": "scalar"}, title="a: b --- 'c' $$ x = 2 x $$")
    d.chain("x", "x")
    assert [s.verdict for s in d.check().steps] == [Verdict.PROVED] and d.check().title == "a: b --- 'c' $$ x = 2 x $$"


def test_a_sympy_symbol_named_to_splice_is_refused() -> None:
    import sympy

    with pytest.raises(ValueError, match="may not contain"):
        deriv.assert_holds(sympy.Symbol("x $$ $$ y"), sympy.Symbol("y"), SYMBOLS)
    with pytest.raises(TypeError, match="LaTeX"):
        deriv.assert_holds(1.5, "x", SYMBOLS)  # type: ignore[arg-type]


#: Calls that could run a string as code, by module and function: none.  The engine converts
#: its own values with SymPy's strict ``_sympify``, which refuses a string.
SYMPIFY_SITES: set[tuple[str, str]] = set()
_EVALUATORS = frozenset({"sympify", "parse_expr", "parse_latex", "eval", "exec", "compile", "__import__", "S",
                         "lambdify"})
#: Of those, the ones that parse whatever they are given: named at all (not only called), they are found.
_PARSERS = frozenset({"sympify", "parse_expr", "parse_latex", "lambdify"})


def test_no_entry_point_evaluates_text() -> None:
    """A static check of the whole package: every call that could run a string as code is listed here."""
    import ast

    root = Path(deriv.__file__).resolve().parent
    found = set()
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]:
            for call in [n for n in ast.walk(function) if isinstance(n, ast.Call)]:
                name = call.func.id if isinstance(call.func, ast.Name) else (
                    call.func.attr if isinstance(call.func, ast.Attribute)
                    and (call.func.attr not in ("eval", "compile", "exec")
                         or isinstance(call.func.value, ast.Name) and call.func.value.id in ("builtins", "sympy"))
                    else None)
                if name in _EVALUATORS:
                    found.add((path.relative_to(root.parent).as_posix(), function.name))
            for named in [n for n in ast.walk(function) if isinstance(n, (ast.Name, ast.Attribute))]:
                # Passed on rather than called (``map(sympy.sympify, indices)``): as able to run a string.
                if (named.id if isinstance(named, ast.Name) else named.attr) in _PARSERS:
                    found.add((path.relative_to(root.parent).as_posix(), function.name))
    assert found <= SYMPIFY_SITES, found - SYMPIFY_SITES


def test_the_plugin_s_report_of_hostile_documents_is_inert(pytester: pytest.Pytester, report_payloads: list[str],
                                                         hostile_document: Document) -> None:
    pytester.makefile(".md", **{f"h{n:02d}": hostile_document(p) for n, p in enumerate(report_payloads)})
    pytester.runpytest("-p", "no:cacheprovider", "--deriv-report", "plugin.html")
    page = (pytester.path / "plugin.html").read_text(encoding="utf-8")
    assert_inert(page)
    assert page.count('<span class="mark refuted"') >= 2 * len(report_payloads)


def test_the_batch_entries_never_run_a_string(library_payload: str, tmp_path: Path) -> None:
    """``check_many``, ``reward`` and ``--batch`` take text, kinds, definitions and assumptions as
    strings: read by deriv's parsers or refused, never run (in the worker processes either)."""
    marker = tmp_path / "ran"
    payload = library_payload.replace("{marker}", str(marker))
    items = [{"id": 1, "text": f"$$ {payload} = x $$"}, {"id": 2, "text": payload},
             {"id": 3, "text": "$$ x = x $$", "symbols": {"x": payload}},
             {"id": 4, "text": "$$ x = x $$", "definitions": [payload]},
             {"id": 5, "text": "$$ x = x $$", "assumptions": [payload]},
             {"id": payload, "text": f"---\nsymbols:\n  x: scalar\ndefinitions:\n  - {json.dumps(payload)}\n---\n$$ x = x $$"}]
    results = deriv.check_many(items, symbols={"x": "scalar"}, timeout=5)
    assert [r.id for r in results][:5] == [1, 2, 3, 4, 5] and all(r.error or r.steps for r in results[2:])
    assert deriv.reward(payload, symbols={"x": "scalar"}) in (0.0, None)
    with pytest.raises(ValueError):
        deriv.reward("$$ x = x $$", symbols={"x": payload})
    assert not marker.exists()
