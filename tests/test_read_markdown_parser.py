"""Reading Markdown by a real parser (docs/format.md, "Displays"): markdown-it-py finds the math.

Three kinds of test: a differential one (the text-search scanner deriv used
before, still the LaTeX reader's, against the parser: every Markdown document
of the repository and generated paragraphs of prose, code spans, escapes and
every delimiter give the same displays, lines and columns); a property (on
generated documents with lists, quotes, fences and HTML, every display's
line and column point at its math in the file); and the cases where the two
differ, each a bug of the scanner before (CommonMark's block structure wins).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import deriv
from deriv.errors import DerivError
from deriv.read import document as reading
from deriv.read.blocks import Blocks, block_of
from deriv.read.document import Document, parse_document, scan_body
from deriv.render.github import render_github
from deriv.render.json import render_json
from deriv.results import RunResult

ROOT = Path(__file__).resolve().parent.parent
FRONT = "---\nsymbols:\n  a: scalar\n  b: scalar\n  c: scalar\n---\n"  # the body starts on line 7


def code_blocks(text: str, start: int) -> Blocks:
    """The code blocks and math fences of ``text[start:]``, from CommonMark's block structure alone."""
    from markdown_it import MarkdownIt

    blocks = Blocks()
    starts = [start] + [m.end() + start for m in re.finditer("\n", text[start:])]
    for token in MarkdownIt("commonmark").disable("inline").parse(text[start:]):
        if token.type in ("code_block", "fence") and token.map:
            block_of(text, starts, token, blocks)
    return blocks


def searched(text: str) -> Document:
    """The document as the text-search scanner reads it (the reference)."""

    def scan(text: str, path: str, front, start: int, **_: object) -> Document:  # type: ignore[no-untyped-def]
        blocks = code_blocks(text, start)
        return scan_body(text, path, front, start, code=blocks.code, math_fences=blocks.math, hidden=blocks.hidden)

    original = reading.scan_body
    reading.scan_body = scan  # type: ignore[assignment]
    try:
        return parse_document(text)
    finally:
        reading.scan_body = original


def seen(read, text: str) -> tuple[object, ...]:  # type: ignore[no-untyped-def]
    """What later stages get from ``read(text)``: displays (with line and column), problems,
    declarations, macros; or the error it raises."""
    try:
        doc = read(text)
    except DerivError as error:
        return (str(error),)
    displays = [(d.text, d.line, d.column, d.end_line, d.label, d.environment, d.problem,
                 d.directive and d.directive.kind, len(d.assumes)) for d in doc.displays]
    front = doc.front and (doc.front.symbols, doc.front.definitions)
    return displays, sorted((p.message, p.line) for p in doc.problems), front, doc.title, doc.macros


@pytest.mark.parametrize("path", sorted(str(p.relative_to(ROOT)) for folder in ("derivations", "examples")
                                        for p in (ROOT / folder).rglob("*") if p.suffix in (".md", ".qmd")))
def test_the_repository_documents_read_alike(path: str) -> None:
    text = (ROOT / path).read_text(encoding="utf-8")
    assert seen(parse_document, text) == seen(searched, text)


ATOMS = ["a = b", "a", "b + c", "= c", "a \\\\ &= b", "x \\in \\mathbb{R}^n", "\\$", "5", "a_{1} = b^{2}"]
PIECES = st.one_of(
    st.sampled_from(["word", "text here", "\\$", "$5", "costs $5 and $6", "\\\\", "``a ` $$b$$``", "`$$`",
                     "*emph $a$*", "[link $a=b$](u)", "![image $$a = b$$](u)", "(3)", "\\tag{2}", "$$", "$", "\\[",
                     "&", "<!-- deriv: skip x -->",
                     "<!-- x $a=b$ -->", "\\newcommand{\\R}{\\mathbb{R}}", "\\begin{align} a &= b \\\\ &= c \\end{align}"]),
    st.builds(lambda d, m: d.format(m), st.sampled_from(
        ["${}$", "$${}$$", "$$ {} $$", "\\[{}\\]", "\\({}\\)", "$`{}`$", "`{}`", "\\begin{{equation}}{}\\end{{equation}}"]),
        st.sampled_from(ATOMS)),
)
#: Lines of prose: each starts with a word, so that no line opens a block (the block rules are
#: compared on the repository's documents and tested below).
LINES = st.builds(lambda words: "word " + " ".join(words), st.lists(PIECES, min_size=1, max_size=4))
PARAGRAPHS = st.lists(st.one_of(LINES, st.just("")), min_size=1, max_size=10).map("\n".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PARAGRAPHS)
def test_generated_paragraphs_read_alike(body: str) -> None:
    text = FRONT + body + "\n"
    assert seen(parse_document, text) == seen(searched, text)


BLOCK_LINES = st.builds(
    lambda prefix, line: prefix + line,
    st.sampled_from(["", "", "- ", "> ", "1. ", "    ", "  ", "# ", "> - ", "\t", " \t", "  \t\t", ">\t", "<div>",
                     "<!-- c --> "]),
    st.one_of(LINES, st.sampled_from(["$$", "\\[", "\\]", "```", "```math", "~~~", "\\begin{align}",
                                      "\\end{align}", "a &= b \\\\", "$$ (1)", "</div>", ""])))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(BLOCK_LINES, min_size=1, max_size=12).map("\n".join))
def test_every_display_is_where_its_line_and_column_say(body: str) -> None:
    text = FRONT + body + "\n"
    lines = text.split("\n")
    for display in parse_document(text).displays:
        if display.problem:
            continue
        first = display.text.split("\n", 1)[0]
        if display.environment == "align":
            first = first.lstrip(" \t")[:1]  # a row's `&` are taken out of its text
        assert _under(lines[display.line - 1], display.column, first), display
        assert _under(lines[display.line - 1], display.math_column, first.lstrip(" \t")), display


def _under(line: str, column: int, text: str) -> bool:
    """``text`` stands in ``line`` from ``column`` on (its blanks, macro definitions taken
    out, stand for anything)."""
    found = line[column - 1:column - 1 + len(text)]
    return len(found) == len(text) and all(t in (" ", f) for t, f in zip(text, found))


# --- the columns -------------------------------------------------------------------------------

@pytest.mark.parametrize("body, expected", [
    ("Since $$ a = b $$ holds", [(7, 10)]),
    ("> quoted\n> $$ a\n> = b $$", [(8, 6)]),
    ("- item\n\n  \\[a = b\\]", [(9, 5)]),
    ("\\begin{align}\n  a &= b \\\\\n  &= c\n\\end{align}", [(8, 3), (9, 4)]),  # a row that starts with `&` starts at its relation
    ("text \\begin{align} a &= b \\\\ &= c \\end{align}", [(7, 20), (7, 31)]),
    ("$$\na = b\n$$", [(7, 3)]),  # the math starts on the next line: just after the opener
    ("```math\n  a = b\n```", [(8, 3)]),
])
def test_a_display_knows_the_column_its_math_starts_at(body: str, expected: list[tuple[int, int]]) -> None:
    assert [(d.line, d.math_column) for d in parse_document(FRONT + body + "\n").displays] == expected


def test_json_and_github_annotations_give_the_column() -> None:
    result = deriv.check_text(FRONT + "Hence $$ a + b = b + a $$ and\n\n  $$ a b = a + b $$\n", "c.md")
    steps = json.loads(render_json(RunResult((result,))))["files"][0]["steps"]
    assert [(s["line"], s["column"], s["verdict"]) for s in steps] == [(7, 10, "proved"), (9, 6, "refuted")]
    annotations = render_github(RunResult((result,))).splitlines()
    assert annotations[0].startswith("::error file=c.md,line=9,col=6,")


# --- where the scanner before was wrong (CommonMark's block structure wins) ---------------------

def test_a_display_never_runs_from_one_block_into_the_next() -> None:
    # The scanner joined `$$ a` of the quote and `= a $$` of the list into one display.
    body = "> $$ a\n- = a $$\n"
    assert [(d.line, d.problem is not None) for d in parse_document(FRONT + body).displays] == [(7, True), (8, True)]
    assert [(d.line, d.text) for d in searched(FRONT + body).displays] == [(7, " a\n- = a ")]


def test_an_environment_opening_a_line_ends_the_paragraph_before_it() -> None:
    # amsmath's environments interrupt a paragraph: an unclosed `\[` before one is an error there,
    # and the environment is read (the scanner read one display from `\[` to a later `\]`).
    body = "text \\[ a\n\\begin{equation} a = a \\end{equation}\nword \\]\n"
    displays = parse_document(FRONT + body).displays
    assert [(d.line, d.text.strip(), d.problem is not None) for d in displays] == [(7, "", True), (8, "a = a", False)]


def test_code_spans_pair_as_commonmark_pairs_them() -> None:
    # docs/format.md's own paragraph: backtick runs of several lengths; the scanner paired them
    # otherwise and read `$$…$$` and `\[…\]` inside code spans as two displays.
    body = ("  before it did not (`> ```` in a quote), display math with a relation inside\n"
            "  is an `error` (write it outside, or in a ```` ```math ```` fence), never\n"
            "  silently code.\n"
            "- **Formats**: `.md` (any Markdown: `$$…$$` on its own lines or inline, `\\[…\\]`,\n")
    assert parse_document(FRONT + body).displays == ()
    assert len(searched(FRONT + body).displays) == 2


# --- what the scanner did and the parser keeps ------------------------------------------------

@pytest.mark.parametrize("body", [
    "<!-- deriv: expect-fail --> $$ (a b)^2 = a^2 b $$\n",  # a comment and a display on one line
    "<div align=\"center\">\n<!-- deriv: expect-fail -->\n$$ (a b)^2 = a^2 b $$\n</div>\n",  # math in HTML
])
def test_math_in_html_is_read_with_its_directive(body: str) -> None:
    result = deriv.check_text(FRONT + body)
    assert [s.verdict.value for s in result.steps] == ["expected-fail"]


@pytest.mark.parametrize("body, texts", [
    ("costs $5 and $6 $$ a = b $$", ["a = b"]),
    ("\\$ a = b \\$ and \\\\[ a \\\\]", []),
    ("`$$ a = b $$` and ``a ` $$b$$``", []),
    ("$$ a = b $$2", ["a = b"]),  # a digit after `$$` is no money: the display is read
    ("$`a \\in \\mathbb{R}`$ $$ a = a $$", ["a = a"]),
    ("$$\na = b\n$$ and $$ = c $$", ["a = b", "= c"]),
    ("[link \\[a = b\\] x](u) and [$$ = c $$](v)", ["a = b", "= c"]),  # in a link's text
    ("[x \\[ y](u)", [""]),  # an unclosed `\[` in a link's text: an error
    ("![the $$ a = a $$ rule](u.png) ![`$$ b $$`](v)", ["a = a"]),  # in an image's description
])
def test_which_dollars_are_math(body: str, texts: list[str]) -> None:
    assert [d.text.strip() for d in parse_document(FRONT + body + "\n").displays] == texts


def test_a_directive_or_a_definition_in_a_code_span_is_not_read() -> None:
    body = "Write `<!-- deriv: expect-fail -->` or `\\newcommand{\\R}{x}` before it.\n\n$$ a = a $$\n"
    doc = parse_document(FRONT + body)
    assert [(d.text, d.directive) for d in doc.displays] == [(" a = a ", None)]
    assert doc.macros == () and doc.problems == ()


def test_unclosed_openers_in_a_long_paragraph_take_linear_time() -> None:
    import time

    def seconds(n: int) -> float:
        start = time.perf_counter()
        parse_document(FRONT + "$$ a\n" * n + "\\[ b\n" * n + "\\begin{align}\n" * n + "x \\( c " * n)
        return time.perf_counter() - start

    small, large = seconds(1000), seconds(8000)
    assert large < 20 * max(small, 0.01)
