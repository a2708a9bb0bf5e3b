"""The hostile-input corpus (tests/hostile/): every payload, every place it can reach, every run.

The HTML report is parsed with the standard library's HTML parser and held
to an allow-list: only the report's own elements and MathML Core, only
known attributes, no ``on*`` handler, no ``style`` attribute, links only to
anchors and the web, one style sheet (the report's), the policy first in
``<head>``.  What a real browser does with the same page is
tests/test_browser.py's business.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

import deriv
from deriv.check.checker import check_text
from deriv.cli import main
from deriv.render import mathml
from deriv.render.html import CSP, render_fragment, render_report
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
    parsed = Tags(page)
    assert not BIDI.search(page)
    for tag, attributes in parsed.tags:
        assert tag in HTML_TAGS | MATH_TAGS, tag
        allowed = HTML_ATTRIBUTES if tag in HTML_TAGS else frozenset(mathml.ATTRIBUTES) | {"xmlns"}
        assert set(attributes) <= allowed, (tag, attributes)
        if tag == "a" and "href" in attributes:
            assert SAFE_HREF.fullmatch(attributes["href"]), attributes
        if tag in MATH_TAGS and "class" in attributes:
            assert attributes["class"] in mathml.ALIGN_CLASSES, attributes
    assert [t for t, _ in parsed.tags].count("style") == 1 and parsed.text["style"] == "\n" + CSS
    if whole:
        metas = [a for t, a in parsed.tags if t == "meta"]
        assert metas[1] == {"http-equiv": "Content-Security-Policy", "content": CSP}  # right after the charset
        assert [a.get("name") for a in metas] == [None, None, "viewport"]
        assert parsed.text["title"] == "deriv report"


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
                         f'<mspace width="100em"/><mspace width="-.2em"/></mrow></math>')
    mathml.sanitise(good)
    assert [(e.tag.rpartition("}")[2], dict(e.attrib)) for e in good.iter()] == [
        ("math", {"display": "block"}), ("mrow", {}), ("mo", {"stretchy": "false"}), ("mspace", {}),
        ("mspace", {"width": "-.2em"})]
    for bad in ("<script/>", "<mphantom/>", "<annotation-xml/>", "<maction/>", "<mglyph/>",
                '<svg xmlns="http://www.w3.org/2000/svg"/>', '<p xmlns="http://www.w3.org/1999/xhtml"/>'):
        with pytest.raises(mathml.NotRendered):
            mathml.sanitise(ET.fromstring(f'<math xmlns="{ns}"><mrow>{bad}</mrow></math>'))
