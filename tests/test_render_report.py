r"""The HTML report: ``deriv report`` through CliRunner, the renderer, and the plugin's ``--deriv-report``.

The page is parsed with the standard library's HTML parser: the tests look
at elements and attributes, not at substrings of markup.  What a browser
makes of it is tests/test_render_browser.py's business.
"""

from __future__ import annotations

import re
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from deriv.check.checker import check_text
from deriv.cli import main
from deriv.read.document import read_document
from deriv.render.html import SYMBOLS, render_fragment, render_report
from deriv.render.mathml import to_mathml
from deriv.render.text import render_details
from deriv.results import RunResult, StepResult, Verdict

REPO = Path(__file__).resolve().parents[1]

WRONG = textwrap.dedent(r"""
    ---
    title: A wrong step
    symbols:
      A: matrix N x N
    ---
    Some prose with <script>alert(1)</script> and $A_{i,j}$ inline.

    $$ \sum_k \delta_{i,k} A_{k,j} = A_{i,j} \tag{1} $$

    $$ \sum_k \delta_{i,k} A_{j,k} = A_{i,j} $$
    (2)

    $$ = \foo A_{i,j} $$
""").lstrip()


class Page(HTMLParser):
    """Elements as [tag, attributes, text content], in document order."""

    VOID = frozenset({"meta", "link", "img", "br", "hr", "input", "mspace"})

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[list] = []
        self.open: list[int] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append([tag, {k: v or "" for k, v in attrs}, ""])
        if tag not in self.VOID:
            self.open.append(len(self.elements) - 1)

    def handle_endtag(self, tag: str) -> None:
        while self.open and self.elements[self.open.pop()][0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        for index in self.open:  # an element's text is all the text inside it
            self.elements[index][2] += data

    def find(self, tag: str, **attrs: str) -> list[list]:
        return [e for e in self.elements if e[0] == tag
                and all(a in e[1].get(k.rstrip("_"), "").split() for k, a in attrs.items())]


def report(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", *args, "-o", str(out)])
    return result.exit_code, result.output, out.read_text(encoding="utf-8") if out.exists() else ""


def test_the_bundled_derivations_become_one_self_contained_page(tmp_path: Path) -> None:
    status, output, text = report(tmp_path, str(REPO / "derivations"))
    assert status == 0 and "76 proved, 16 expected-fail (92 steps, 9 files)" in output
    page = Page(text)
    # Nothing is fetched: no script, no linked style or font, no image, no url() in the style.
    assert not page.find("script") and not page.find("link") and not page.find("img")
    assert not re.search(r"url\(|@import|\bsrc=", text)
    # Every display of every document is MathML, with its TeX as written in the annotation.
    displays = [d for p in sorted((REPO / "derivations").glob("*.md")) for d in read_document(p).displays]
    blocks = page.find("math", display="block")
    annotations = [e[2] for e in page.find("annotation") if e[1].get("encoding") == "application/x-tex"]
    assert len(blocks) == len(displays) == 85  # a few displays hold two steps (a = b = c; two results), one none
    assert [d.text.strip() for d in displays] == [a for a in annotations if a in {d.text.strip() for d in displays}]
    assert "<code class=\"tex\"" not in text  # latex2mathml rendered all of them
    # One mark per step, each with its symbol and word; the counts in the summary.
    marks = [e for e in page.find("span", class_="mark") if e[1].get("id")]
    assert len(marks) == 92
    assert {e[1]["class"].split()[1] for e in marks} == {"proved", "expected-fail"}
    assert page.find("p", class_="counts") and "Every step passes." in text


def test_a_failing_step_is_linked_from_the_summary_and_explained_as_the_cli_does(tmp_path: Path) -> None:
    (tmp_path / "wrong.md").write_text(WRONG, encoding="utf-8")
    status, _, text = report(tmp_path, str(tmp_path / "wrong.md"))
    assert status == 2  # an error step (\foo) outranks the refuted one, as for deriv check
    page = Page(text)
    links = [e[1]["href"] for e in page.elements if e[0] == "a" and e[1].get("href", "").startswith("#s")]
    summary_links = links[: len(page.find("li"))]
    assert summary_links == ["#s1-2", "#s1-3"]
    ids = {e[1].get("id") for e in page.elements}
    assert {"s1-2", "s1-3"} <= ids
    # Under the refuted step: the lines deriv check prints, word for word.
    result = check_text(WRONG, str(tmp_path / "wrong.md"))
    refuted = result.steps[1]
    assert refuted.verdict is Verdict.REFUTED
    lines = [line.strip() for line in render_details(refuted, result.path)]
    values = {key: value for key, _, value in (line.partition(": ") for line in lines)}
    dds = {e[1]["class"]: e[2] for e in page.find("dd") if e[1].get("class")}
    assert dds["counterexample"] == refuted.counterexample.describe()  # all its lines, if several
    assert values["counterexample"] == refuted.counterexample.describe().splitlines()[0]
    assert dds["reproduce"] == values["reproduce"] == f"deriv check {tmp_path / 'wrong.md'} --seed 0"
    assert "(2)" in [e[2] for e in page.find("div", class_="label")]


def test_prose_is_escaped_and_unrenderable_tex_is_shown_as_written(tmp_path: Path) -> None:
    (tmp_path / "wrong.md").write_text(WRONG, encoding="utf-8")
    _, _, text = report(tmp_path, str(tmp_path / "wrong.md"))
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    fallback = Page(text).find("code", class_="tex")
    assert [e[2] for e in fallback] == [r"= \foo A_{i,j}"]
    assert len(Page(text).find("math", display="block")) == 2 and len(Page(text).find("math")) == 3  # one inline


def test_a_multi_line_detail_keeps_its_shape() -> None:
    message = "unexpected ')'\n  x = x ) + 1\n        ^"  # a caret under the error
    step = StepResult(5, None, "=", "x", "x ) + 1", Verdict.ERROR, message=message)
    pres = [e[2] for e in Page(render_fragment(step)).find("pre")]
    assert pres == [message]


@pytest.mark.parametrize("tex", [r"\frac{a}{", r"\begin{cases} a", r"x_{", r"\text{a & b}", r"\foo", "", " \\tag{3} "])
def test_tex_the_converter_rejects_falls_back_and_never_raises(tex: str) -> None:
    out = to_mathml(tex)
    assert out.startswith('<code class="tex"') and out.endswith("</code>")


def test_mathml_is_post_processed_for_mathml_core() -> None:
    relu = to_mathml(r"\mathrm{relu}(x) + \operatorname{tr}(X) + \frac{\mathrm{d} E}{\mathrm{d} x}")
    assert "mathvariant" not in relu  # Chromium ignores it on anything but one letter
    assert "<mi>relu</mi><mo>&#x2061;</mo>" in relu and "<mi>tr</mi><mo>&#x2061;</mo>" in relu
    assert relu.count("<mtext>d</mtext>") == 2  # upright differentials, not an italic d
    # Bars pair as fences that do not stretch over the row (Chromium would, and space them as infix).
    bars = re.findall(r'<mo ([^>]*)>(\||\u2016)</mo>', to_mathml(r"\|x\|_2^2 + \lvert a \rvert + |b|"))
    forms = [(dict(re.findall(r'(\w+)="(\w+)"', attrs))["form"], bar) for attrs, bar in bars]
    assert forms == [("prefix", "\u2016"), ("postfix", "\u2016")] + [("prefix", "|"), ("postfix", "|")] * 2
    assert all('stretchy="false"' in attrs for attrs, _ in bars) and len(bars) == 6


def test_a_result_without_its_text_is_drawn_from_its_steps() -> None:
    step = StepResult(3, "4", "=", r"\sum_k A_{k}", r"A_{1}", Verdict.REFUTED, message="the two sides differ")
    fragment = render_fragment(step)
    page = Page(fragment)
    assert page.find("style") and page.find("math", display="block")
    marks = [e[2] for e in page.find("span", class_="mark")]
    assert marks == [f"{SYMBOLS[Verdict.REFUTED]} refuted"] * 2  # beside the step, and in its details
    assert "(4)" in fragment and "reproduce" not in fragment  # no file to rerun
    whole = render_report(RunResult((check_text(WRONG, "w.md"),)))  # no sources: steps only
    assert len(Page(whole).find("math", display="block")) == 2  # the \foo step falls back


def test_an_unwritable_output_is_a_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["report", str(REPO / "derivations" / "chain_rule.md"),
                                       "-o", str(tmp_path / "missing" / "r.html")])
    assert result.exit_code == 2 and "can not write" in result.output and "Traceback" not in result.output


def test_the_plugin_writes_the_same_page_serially_and_under_xdist(pytester: pytest.Pytester) -> None:
    pytester.makefile(".md", wrong=WRONG, other=WRONG.replace("A wrong step", "Another"))
    pytester.runpytest("-p", "no:cacheprovider", "--deriv-report", "serial.html")
    pytester.runpytest_subprocess("-n", "2", "-p", "no:cacheprovider", "--deriv-report", "parallel.html")
    serial, parallel = ((pytester.path / n).read_text(encoding="utf-8") for n in ("serial.html", "parallel.html"))
    assert serial == parallel
    cli = tmp = pytester.path / "cli.html"
    CliRunner().invoke(main, ["report", "other.md", "wrong.md", "-o", str(tmp)])
    # The page deriv report writes for the same documents, byte for byte.
    assert cli.read_text(encoding="utf-8") == serial





@pytest.mark.parametrize(("markdown", "html"), [
    ("[x](javascript:alert(1)) after", "x after"),  # was 'x) after': the link ended at the first ')'
    ("[x](JaVaScRiPt:a(b(c))) after", "x after"),
    ("[x](data:text/html,(a)) after", "x after"),
    ("[w](https://en.wikipedia.org/wiki/Norm_(mathematics)) after",
     '<a href="https://en.wikipedia.org/wiki/Norm_(mathematics)" rel="noopener noreferrer">w</a> after'),
    ("[r](notes(1).md).", '<a href="notes(1).md" rel="noopener noreferrer">r</a>.'),
    ("([x](a.md))", '(<a href="a.md" rel="noopener noreferrer">x</a>)'),
    ("[x](javascript:a(b) c", "[x](javascript:a(b) c"),  # not a link: text as written
])
def test_a_link_with_parentheses_in_its_address_is_one_link_or_none(markdown: str, html: str) -> None:
    from deriv.render.prose import render_inline

    assert render_inline(markdown) == html


def test_a_file_name_that_is_no_utf8_gives_a_page_not_a_crash(tmp_path: Path) -> None:
    """Python names b'\\xff.md' '\\udcff.md'; the report wrote it raw and failed with UnicodeEncodeError."""
    name = tmp_path / b"\xffbad.md".decode("utf-8", "surrogateescape")
    name.write_text("---\nsymbols:\n  x: scalar\n---\n\n$$ x = x + 1 $$\n")
    out = tmp_path / "r.html"
    result = CliRunner().invoke(main, ["report", "--no-cache", str(name), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert "\ufffdbad.md" in out.read_text(encoding="utf-8")
