"""Reading Markdown derivation documents: displays, labels, directives, lines."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from deriv.read.document import (
    Declaration,
    Directive,
    Display,
    parse_document,
    read_document,
)
from deriv.budget import time_budget
from deriv.errors import DerivError, FrontMatterError, InputError
from deriv.read.selection import select

FRONT = """\
---
symbols:
  X: matrix S x M
  W: matrix N x M
  Y: matrix S x N
  g: function
---
"""  # seven lines: the body starts on line 8


def rows(text: str) -> list[tuple[int, int, str | None, str]]:
    """(line, end_line, label, stripped text) of every display."""
    doc = parse_document(text)
    return [(d.line, d.end_line, d.label, d.text.strip()) for d in doc.displays]


# A chunk of the seed's W section, as written there (lines 19-37 of the seed).
SEED_CHUNK = FRONT + r"""
$$\left[\frac{\partial L}{\partial W}\right]_{m,n} = \frac{\partial g(Y)}{\partial W_{m,n}}$$

$$\left[\frac{\partial L}{\partial W}\right]_{m,n} = \frac{\partial g(Y)}{\partial W_{m,n}} \quad \text{because of } L = g(Y)$$
(1)

$$= \sum_{i,j} \frac{\partial g(Y)}{\partial Y_{i,j}} \frac{\partial Y_{i,j}}{\partial W_{m,n}} \quad \text{because of property above + chain rule}$$
 (2)

$$= \sum_{i,j} \frac{\partial g(Y)}{\partial Y_{i,j}} \frac{\partial}{\partial W_{m,n}} \left( \left[ X W^T \right]_{i,j} + \mathcal{P}_{i,j} \right)$$
 (3)

(4)

Expanding  $\left[XW^T\right]_{i,j}$  we get:

$$\left[XW^{T}\right]_{i,j} = \sum_{k} X_{i,k} W_{k,j}^{T} \tag{5}$$

$$= \sum_{k} X_{i,k} W_{j,k}
\qquad \text{flipping rows and columns for } W \text{ transpose}$$
 (6)

$$
\frac{\partial L}{\partial \mathbf{b}} = \sum_{i} \frac{\partial L}{\partial \mathbf{y}_{i}}
$$

$$(7)$$

$$= \sum_{i} \sum_{j} \frac{\partial g(Y)}{\partial Y_{i,j}} W_{j,k}$$

$$\tag{11}$$
"""


def test_seed_shaped_document() -> None:
    doc = parse_document(SEED_CHUNK, "seed.md")
    got = [(d.line, d.end_line, d.label, d.environment, d.directive) for d in doc.displays]
    assert got == [
        (9, 9, None, "$$", None),
        (11, 11, "1", "$$", None),
        (14, 14, "2", "$$", None),
        (17, 17, "3", "$$", None),  # the `(4)` after a blank line labels nothing
        (24, 24, None, "$$", None),  # \tag stays in the text for the LaTeX reader
        (26, 27, "6", "$$", None),
        (30, 32, "7", "$$", None),  # `$$(7)$$` after one blank line is a label
        (36, 36, "11", "$$", None),  # so is `$$\tag{11}$$`
    ]
    assert doc.displays[4].text.endswith(r"W_{k,j}^{T} \tag{5}")
    assert doc.displays[5].text == (
        "= \\sum_{k} X_{i,k} W_{j,k}\n\\qquad \\text{flipping rows and columns for } W "
        "\\text{ transpose}"
    )
    assert doc.displays[6].text.startswith("\n\\frac")  # line + newlines = file line
    assert doc.problems == ()
    assert doc.front is not None and doc.front.symbols[0] == Declaration("X", "matrix", ("S", "M"), 3)
    assert doc.title is None


def test_the_real_seed_reads_without_problems() -> None:
    seed = Path(__file__).resolve().parents[1] / "docs" / "seed-notes.txt"
    doc = read_document(seed)
    assert doc.problems == ()
    # no front matter; the prose states two shapes (line 129: `$Y \in \mathbb{R}^{S \times N}$`, ...)
    assert doc.front is not None and [(d.name, d.sizes, d.line) for d in doc.front.symbols] == [
        ("Y", ("S", "N"), 129), ("W", ("N", "M"), 129)]
    by_line = {d.line: d.label for d in doc.displays}
    assert by_line[21] == "1" and by_line[86] == "6" and by_line[121] == "11" and by_line[143] == "5"
    assert 88 not in by_line and 123 not in by_line and 145 not in by_line
    assert len(doc.displays) == 49


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # several displays on one line, text around them
        ("a $$x = y$$ and $$= z$$ b\n", [(1, 1, None, "x = y"), (1, 1, None, "= z")]),
        # `(7)` on the rest of the closing line, or on the next line
        ("$$x = y$$ (7)\n", [(1, 1, "7", "x = y")]),
        ("$$x = y$$\n  (A.1-b)  \ntext\n", [(1, 1, "A.1-b", "x = y")]),
        # the next-line label belongs to the last display of the line
        ("$$a=b$$ $$= c$$\n(3)\n", [(1, 1, None, "a=b"), (1, 1, "3", "= c")]),
        # a blank line between display and `(7)`: no label
        ("$$x = y$$\n\n(7)\n", [(1, 1, None, "x = y")]),
        # `$$(7)$$` across lines, one blank line allowed; two blank lines: no label
        ("$$x = y$$\n\n$$\n(7)\n$$\n", [(1, 1, "7", "x = y")]),
        ("$$x = y$$\n\n\n$$(7)$$\n", [(1, 1, None, "x = y")]),
        # a stray label display is not a display
        ("text\n\n$$(4)$$\n\n$$a = b$$\n", [(5, 5, None, "a = b")]),
        # \[ \] and equation environments
        ("\\[ x = y \\]\n(2)\n", [(1, 1, "2", "x = y")]),
        ("\\[\nx \\\\] = y\n\\]\n", [(1, 3, None, "x \\\\] = y")]),
        ("\\begin{equation}\n  x = y\n\\end{equation}\n", [(1, 3, None, "x = y")]),
        ("\\begin{equation*} x = y \\end{equation*}\n", [(1, 1, None, "x = y")]),
        # inline math and escaped dollars are not displays
        ("inline $x = y$ and \\$$5 price\n\n$$a = b$$\n", [(3, 3, None, "a = b")]),
        # `$$` inside a code span is not a display
        ("write `$$x = y$$` for math\n", []),
        ("write ``a ` $$x$$`` here\n", []),
        ("x ``` unmatched run $$a = b$$\n", [(1, 1, None, "a = b")]),
        # a dollar sign inside the math
        ("$$x = \\$ y$$\n", [(1, 1, None, "x = \\$ y")]),
        # an empty display is kept (as a problem display, text ''), so it is reported
        ("$$ $$\n$$a=b$$\n", [(1, 1, None, ""), (2, 2, None, "a=b")]),
    ],
)
def test_displays(body: str, expected: list[tuple[int, int, str | None, str]]) -> None:
    assert rows(body) == expected


ALIGN = r"""Some text.

\begin{align}
  \frac{\partial L}{\partial W_{m,n}} &= \sum_{i,j} G_{i,j} \frac{\partial Y_{i,j}}{\partial W_{m,n}} \\
  &= \sum_{i} G_{i,m} X_{i,n} \\[2pt]
  &= \left[G^T X\right]_{m,n} \nonumber
\end{align}
(9)
"""


def test_align_gives_one_display_per_row() -> None:
    doc = parse_document(ALIGN)
    assert [(d.line, d.end_line, d.label, d.environment) for d in doc.displays] == [
        (4, 4, None, "align"),
        (5, 5, None, "align"),
        (6, 7, "9", "align"),
    ]
    assert doc.displays[1].text == "= \\sum_{i} G_{i,m} X_{i,n}"
    assert doc.displays[2].text == "= \\left[G^T X\\right]_{m,n} \\nonumber"
    assert "&" not in "".join(d.text for d in doc.displays)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("\\begin{align*} a &= b \\\\ &= c \\\\ \\end{align*}\n",
         [(1, 1, None, "a  = b"), (1, 1, None, "= c")]),
        # aligned inside $$ is split too
        ("$$\n\\begin{aligned}\na &= b \\\\\n&= c\n\\end{aligned}\n$$\n(4)\n",
         [(3, 3, None, "a  = b"), (4, 6, "4", "= c")]),
        # a matrix inside a row keeps its own & and \\
        ("\\begin{align}\nA &= \\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix} \\\\\n&= B\n\\end{align}\n",
         [(2, 2, None, "A  = \\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}"), (3, 4, None, "= B")]),
        # \& is a literal ampersand, not an alignment point
        ("\\begin{gather}\na \\& b = c\n\\end{gather}\n", [(2, 3, None, "a \\& b = c")]),
        # a bracket at the start of a row is math, not a spacing argument
        ("\\begin{align}\na &= b \\\\\n[X]_{i} &= c\n\\end{align}\n",
         [(2, 2, None, "a  = b"), (3, 4, None, "[X]_{i}  = c")]),
    ],
)
def test_align_variants(body: str, expected: list[tuple[int, int, str | None, str]]) -> None:
    assert rows(body) == expected


FENCES = FRONT + """
```markdown
$$ X = W $$
<!-- deriv: skip -->
# Not a title
```

~~~~
$$ also ignored
~~~
still code $$ no $$
~~~~

````python
``` not the end
$$ a = b $$
````
$$ X = X $$
"""


def test_code_fences_are_ignored() -> None:
    doc = parse_document(FENCES)
    assert [(d.line, d.text) for d in doc.displays] == [(25, " X = X ")]
    assert doc.problems == () and doc.title is None


def test_unclosed_fence_runs_to_the_end() -> None:
    assert rows("$$a=b$$\n```\n$$c=d$$\n") == [(1, 1, None, "a=b")]


DIRECTIVES = FRONT + """
<!-- deriv: expect-fail -->
$$X = W$$

<!-- an ordinary comment, $$ X = Y $$ inside is not math -->
<!--deriv:skip notation only, not a step-->

Some prose in between.

$$Y = X$$
(3)

<!--
  deriv: continue 3
-->
$$= W$$

<!-- deriv: continue (3) -->
$$= Y$$
"""


def test_directives_apply_to_the_next_display() -> None:
    doc = parse_document(DIRECTIVES)
    assert [(d.line, d.directive) for d in doc.displays] == [
        (10, Directive("expect-fail", "", 9)),
        (17, Directive("skip", "notation only, not a step", 13)),
        (23, Directive("continue", "3", 20)),
        (26, Directive("continue", "3", 25)),
    ]
    assert doc.problems == ()


@pytest.mark.parametrize(
    ("body", "messages"),
    [
        ("<!-- deriv: expect-fial -->\n$$a=b$$\n", [(1, "unknown deriv directive 'expect-fial'")]),
        ("<!-- deriv: -->\n$$a=b$$\n", [(1, "unknown deriv directive ''")]),
        ("<!-- deriv: continue -->\n$$a=b$$\n", [(1, "needs exactly one label")]),
        ("<!-- deriv: continue 3 4 -->\n$$a=b$$\n", [(1, "needs exactly one label")]),
        # a word after expect-fail / expect-tested was dropped: the bare directive was read
        ("<!-- deriv: expect-tested please -->\n$$a=b$$\n",
         [(1, "'expect-tested' takes no argument, but 'please' follows it")]),
        ("<!-- deriv: expect-fail for N = 1 -->\n$$a=b$$\n",
         [(1, "'expect-fail' takes no argument, but 'for N = 1' follows it")]),
        ("$$a=b$$\n<!-- deriv: skip -->\n", [(2, "no display after it")]),
        ("<!-- deriv: skip -->\n<!-- deriv: expect-fail -->\n$$a=b$$\n",
         [(2, "the one at line 1 already applies")]),
        ("$$a=b$$\n\ntext <!-- never closed\n$$c=d$$\n", [(3, "never closed")]),
    ],
)
def test_directive_problems_are_collected_not_raised(
    body: str, messages: list[tuple[int, str]]
) -> None:
    doc = parse_document(body, "d.md")
    assert [(p.line, p.path) for p in doc.problems] == [(line, "d.md") for line, _ in messages]
    for problem, (_, message) in zip(doc.problems, messages):
        assert isinstance(problem, DerivError) and message in problem.message
    assert doc.displays[0].text == "a=b"


def test_two_directives_keep_the_first() -> None:
    doc = parse_document("<!-- deriv: skip -->\n<!-- deriv: expect-fail -->\n$$a=b$$\n$$= c$$\n")
    assert [d.directive for d in doc.displays] == [Directive("skip", "", 1), None]


def test_label_display_does_not_take_the_directive() -> None:
    doc = parse_document("<!-- deriv: expect-fail -->\n$$(1)$$\n\n$$a=b$$\n")
    assert [(d.line, d.directive) for d in doc.displays] == [(4, Directive("expect-fail", "", 1))]


@pytest.mark.parametrize(
    ("body", "problem_line", "after"),
    [
        ("$$a = b\n\n$$c = d$$\n", 1, [(3, "c = d")]),
        ("x $$a=b$$ $$c = d\n\n\\[e = f\\]\n", 1, [(1, "a=b"), (3, "e = f")]),
        ("\\[ a = b\n\n$$c = d$$\n", 1, [(3, "c = d")]),
        ("\\begin{align}\na &= b\n\n$$c = d$$\n", 1, [(4, "c = d")]),
        ("\\begin{align*}\na &= b\n", 1, []),
    ],
)
def test_unclosed_display_is_a_problem_display_and_reading_goes_on(
    body: str, problem_line: int, after: list[tuple[int, str]]
) -> None:
    doc = parse_document(body)
    broken = [d for d in doc.displays if d.problem]
    assert [(d.line, d.end_line, d.text) for d in broken] == [(problem_line, problem_line, "")]
    assert "unclosed" in (broken[0].problem or "")
    assert broken[0].environment in ("$$", "\\[", "align")
    assert [(d.line, d.text) for d in doc.displays if not d.problem] == after


def test_unclosed_display_takes_its_directive() -> None:
    doc = parse_document("<!-- deriv: skip -->\n$$a = b\n")
    assert doc.displays[0].directive == Directive("skip", "", 1)
    assert doc.displays[0].problem and doc.problems == ()


def test_blockquote_markers_are_blanked() -> None:
    doc = parse_document("> $$\n> a > b\n>$$\n")
    assert [(d.line, d.text) for d in doc.displays] == [(1, "\n  a > b\n ")]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("---\ntitle: From YAML\n---\n# Heading\n", "From YAML"),
        ("---\nsymbols:\n  X: scalar\n---\n\n# Heading one #\n# Second\n", "Heading one"),
        ("## Your Paper\n\nno level-1 heading\n", None),
        ("```\n# comment\n```\n# Real\n", "Real"),
        ("#NoSpace\n", None),
    ],
)
def test_titles(text: str, title: str | None) -> None:
    assert parse_document(text).title == title


def test_crlf_and_bom_keep_line_numbers() -> None:
    text = "\ufeff" + FRONT.replace("\n", "\r\n") + "\r\n$$X = W$$\r\n(1)\r\n\r\n$$= Y\r\n$$\r\n"
    doc = parse_document(text)
    assert [(d.line, d.end_line, d.label, d.text) for d in doc.displays] == [
        (9, 9, "1", "X = W"),
        (12, 13, None, "= Y\n"),
    ]
    assert doc.front is not None and len(doc.front.symbols) == 4


def test_crlf_and_bom_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "n.md"
    path.write_bytes(b"\xef\xbb\xbf---\r\nsymbols:\r\n  y: scalar\r\n  n: scalar\r\n---\r\n$$y = n$$\r\n")
    doc = read_document(path)
    assert doc.path == str(path)
    assert doc.front is not None and [(s.name, s.line) for s in doc.front.symbols] == [("y", 3), ("n", 4)]
    assert [(d.line, d.text) for d in doc.displays] == [(6, "y = n")]


@pytest.mark.parametrize(
    ("front", "message", "line"),
    [
        ("symbols:\n  X: matrix S x M\n   W: scalar\n", "not valid YAML", 4),
        ("symbols:\n  X: tensor 3\n", "unknown kind 'tensor 3'", 3),
        ("symbols:\n  X: scalar\n  X: scalar\n", "declared twice", 4),
        ("- a\n- b\n", "must be a mapping", 2),
    ],
)
def test_front_matter_errors_raise_with_file_lines(front: str, message: str, line: int) -> None:
    with pytest.raises(FrontMatterError) as info:
        parse_document(f"---\n{front}---\n\n$$a=b$$\n", "bad.md")
    assert message in info.value.message and (info.value.path, info.value.line) == ("bad.md", line)


def test_unclosed_front_matter() -> None:
    with pytest.raises(FrontMatterError, match="never closed") as info:
        parse_document("---\nsymbols:\n  X: scalar\n\n$$X = X$$\n", "u.md")
    assert info.value.line == 1


def test_no_front_matter_and_empty_front_matter() -> None:
    assert parse_document("$$a=b$$\n").front is None
    empty = parse_document("---\n---\n$$a=b$$\n")
    assert empty.front is not None and empty.front.symbols == ()
    assert empty.displays[0].line == 3
    assert parse_document("").displays == ()


@pytest.mark.parametrize(
    ("content", "message", "line"),
    [
        (b"---\nsymbols:\n\x00\x01\x02junk", "binary", 3),
        (b"$$a=b$$\n\xff\xfe\xfd not text\n", "not UTF-8 text", 2),
        (b"\xff\xfe$\x00$\x00", "UTF-16", 1),
    ],
)
def test_unreadable_bytes(tmp_path: Path, content: bytes, message: str, line: int) -> None:
    path = tmp_path / "junk.md"
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        read_document(path)
    assert message in info.value.message
    assert (info.value.path, info.value.line) == (str(path), line)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file") as info:
        read_document(tmp_path / "missing.md")
    assert info.value.path == str(tmp_path / "missing.md")
    with pytest.raises(InputError, match="directory"):
        read_document(tmp_path)


def test_too_large_file(tmp_path: Path) -> None:
    path = tmp_path / "big.md"
    with open(path, "wb") as handle:
        handle.truncate(5 * 1024 * 1024 + 1)  # sparse: cheap to make
    with pytest.raises(InputError, match="too large"):
        read_document(path)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads everything")
def test_permission_denied(tmp_path: Path) -> None:
    path = tmp_path / "locked.md"
    path.write_text("$$a=b$$\n")
    path.chmod(0)
    with pytest.raises(InputError, match="(?i)permission denied"):
        read_document(path)


def test_nul_in_text_is_an_input_error() -> None:
    with pytest.raises(InputError, match="binary") as info:
        parse_document("a\nb\x00", "t.md")
    assert info.value.line == 2


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"# Project\n\nSome README text.\n", False),
        (b"---\ntitle: A blog post\ntags: [x]\n---\n$$a=b$$\n", False),
        (b"---\ntitle: Notes\nsymbols:\n  X: scalar\n---\n", True),
        (b"\xef\xbb\xbf---\r\nsymbols: {X: scalar}\r\n---\r\n", True),
        (b"---\nsymbols:\n  X: scalar\n", True),  # unclosed: reported by the checker
        (b"---\ntitle: t\n---\nsymbols: not front matter\n", False),
        (b"---\nx:\n  symbols: nested\n---\n", False),
        (b"\x00\xff\xfe binary", False),
        (b"", False),
    ],
)
def test_a_folder_checks_only_files_with_deriv_front_matter(tmp_path: Path, content: bytes, expected: bool) -> None:
    path = tmp_path / "README.md"
    path.write_bytes(content)
    assert (select(path) is None) is expected


def test_selection_never_raises(tmp_path: Path) -> None:
    assert select(tmp_path / "missing.md") is not None
    assert select(tmp_path) is not None


def test_displays_are_frozen() -> None:
    display = parse_document("$$a=b$$").displays[0]
    assert display == Display("a=b", 1, 1, None, None, "$$")
    with pytest.raises(AttributeError):
        display.text = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    "body",
    [
        # Each would take many seconds if the scan were quadratic.
        "\\[ x\n" * 20_000,  # every opener unclosed in one long paragraph
        "`" + " `` ".join("`" * k for k in range(1, 1000)) + "\n",  # many unmatched code spans
        "$$ a\n" + "b\n" * 100_000,  # one unclosed display over a huge paragraph
        "<!-- deriv: skip -->\n" * 20_000,
        "\\begin{align}\n" * 20_000,
        "$$\\begin{aligned}" + "{" * 50_000 + "$$\n",
    ],
)
def test_pathological_input_does_not_hang(body: str) -> None:
    # A hang guard, not a speed test: a quadratic scan of these inputs takes
    # minutes, a linear one milliseconds, so a generous budget tells them
    # apart on any machine.  The reader's speed is measured in
    # benchmarks/bench_large.py.
    with time_budget(30):
        document = parse_document(body)
    assert isinstance(document.displays, tuple | list)
