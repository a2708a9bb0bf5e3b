"""LaTeX sources (``.tex``): the same derivation as Markdown gets the same verdicts, each
step located in the file and line it was written on; comments, verbatim text and
``\\iffalse`` are never read; ``\\input`` stays inside the document's folder."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import deriv
from deriv.read.latex_lines import clean_lines
from deriv.read.latex_source import flatten

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "linear_layer_bias.tex"
INPUT = ROOT / "examples" / "linear_layer_bias" / "corrected.tex"

BLOCK = """% deriv:
%   symbols:
%     a: scalar
%     b: scalar
"""


def check(tmp_path: Path, body: str, name: str = "doc.tex", **files: str) -> deriv.FileResult:
    for other, text in files.items():
        target = tmp_path / other
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    (tmp_path / name).write_text(body, encoding="utf-8")
    return deriv.check_file(tmp_path / name)


def verdicts(result: deriv.FileResult) -> list[tuple[str, int, str | None]]:
    return [(s.verdict.value, s.line, s.file and Path(s.file).name) for s in result.steps]


def test_example_has_the_markdown_verdicts_and_its_own_lines() -> None:
    tex = deriv.check_file(EXAMPLE)
    markdown = deriv.check_file(ROOT / "derivations" / "linear_layer_bias.md")
    assert tex.error is None
    assert [(s.verdict, s.label) for s in tex.steps] == [(s.verdict, s.label) for s in markdown.steps]
    # Each step on the line its display starts (an align row: its own line), in its own file.
    main, corrected = EXAMPLE.name, INPUT.name
    assert verdicts(tex) == [
        ("proved", 27, None), ("expected-fail", 36, None),
        ("proved", 3, corrected), ("expected-fail", 10, corrected), ("expected-fail", 14, corrected),
        ("proved", 19, corrected), ("proved", 21, corrected),
        ("proved", 26, corrected), ("proved", 28, corrected), ("proved", 29, corrected),
        ("proved", 44, None),
    ]
    for step in tex.steps:
        lines = (ROOT / step.file if step.file else EXAMPLE).read_text().split("\n")
        written = lines[step.line - 1].strip()
        assert written and not written.startswith("%"), (step, written, main)
        if step.label:
            assert f"\\tag{{{step.label}}}" in "".join(lines[step.line - 1: step.line + 2])


def test_example_through_the_cli_and_json(tmp_path: Path) -> None:
    from click.testing import CliRunner
    import json

    from deriv.cli import main

    result = CliRunner().invoke(main, ["check", "--format", "json", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    steps = json.loads(result.output)["files"][0]["steps"]
    assert steps[2]["file"] == str(INPUT.relative_to(ROOT)) or steps[2]["file"].endswith("corrected.tex")
    assert "file" not in steps[0] and steps[2]["line"] == 3


def test_displays_of_every_environment(tmp_path: Path) -> None:
    body = BLOCK + r"""
\begin{equation} (a+b)^2 = a^2 + 2ab + b^2 \end{equation}
\begin{equation*} a b = b a \end{equation*}
\begin{gather} a + b = b + a \\ a - a = 0 \end{gather}
\begin{multline*} (a + b)^2 \\ = a^2 + 2ab + b^2 \end{multline*}
\[ a = a \]
$$ b = b $$
\begin{align}
  (a - b)^2 &= a^2 - 2ab + b^2 \label{eq:sq} \\
            &= b^2 - 2ab + a^2 \nonumber \\
            &= (b - a)^2
\end{align}
"""
    result = check(tmp_path, body)
    assert [s.verdict.value for s in result.steps] == ["proved"] * 10
    assert [s.line for s in result.steps] == [6, 7, 8, 8, 9, 10, 11, 13, 14, 15]


def test_comments_are_never_read(tmp_path: Path) -> None:
    body = BLOCK + r"""
% $$ a = a + 1 $$
% \begin{equation} a = 2 a \end{equation}
\begin{align}
  a + b &= b + a \\
% &= a + a + 1 \\
  &= a + b % = 0 here is a comment
\end{align}
"""
    result = check(tmp_path, body)
    assert [(s.verdict.value, s.line) for s in result.steps] == [("proved", 9), ("proved", 11)]


def test_escaped_percent_is_not_a_comment(tmp_path: Path) -> None:
    # `\%` is a percent sign, read (and refused), not the start of a comment hiding `= 2 a`
    result = check(tmp_path, BLOCK + "\n\\[ a = a \\% = 2 a \\]\n")
    assert [s.verdict.value for s in result.steps] == ["error"]
    assert "\\%" in result.steps[0].message


def test_verbatim_iffalse_and_after_end_document_are_not_read(tmp_path: Path) -> None:
    body = BLOCK + r"""
\begin{verbatim}
$$ a = 2 a $$
\end{verbatim}
\begin{lstlisting}
\begin{equation} a = 3 a \end{equation}
\end{lstlisting}
\verb|$$ a = 4 a $$| and \verb+\[ a = 5 a \]+
\iffalse
\ifx\a\b \fi
\[ a = 6 a \]
\fi
\[ a b = b a \]
\end{document}
\[ a = 7 a \]
"""
    result = check(tmp_path, body)
    assert [(s.verdict.value, s.line) for s in result.steps] == [("proved", 17)]


def test_a_directive_can_not_close_the_comment_it_becomes(tmp_path: Path) -> None:
    # found by the fuzz test: the text after --> was read as Markdown, a \\[ in it as a display
    result = check(tmp_path, BLOCK + "% deriv: assume a = b --> \\[ a = 2 a \\]\n\\[ a = a \\]\n")
    assert [(s.verdict.value, s.line) for s in result.steps] == [("error", 5), ("proved", 6)]


def test_a_directive_inside_a_display_is_an_error_not_math(tmp_path: Path) -> None:
    result = check(tmp_path, BLOCK + "\\begin{align}\n a &= a \\\\\n% deriv: expect-fail\n &= 2 a\n\\end{align}\n")
    assert [s.verdict.value for s in result.steps] == ["proved", "error"]
    assert "inside a display" in result.steps[1].message


def test_directives_as_comments(tmp_path: Path) -> None:
    body = BLOCK + r"""
% deriv: expect-fail
\[ a + b = a \]
%% deriv: skip not yet
\[ a = b \]
\[ a = a \] % deriv: expect-fail
"""
    result = check(tmp_path, body)
    got = [(s.verdict.value, s.line) for s in result.steps]
    assert ("expected-fail", 7) in got and ("skipped", 9) in got
    assert any(s.verdict.value == "error" and s.line == 10 and "own" in s.message for s in result.steps)


def test_input_without_extension_and_include(tmp_path: Path) -> None:
    body = BLOCK + "\\[ a b = b a \\]\n\\input{parts/one}\n\\include{two}\n\\[ a = a \\]\n"
    result = check(tmp_path, body, **{"parts/one.tex": "\n\\[ a + b = b + a \\]\n", "two.tex": "\\[ b = b \\]\n"})
    assert verdicts(result) == [("proved", 5, None), ("proved", 2, "one.tex"), ("proved", 1, "two.tex"),
                                ("proved", 8, None)]


def test_input_cycle_is_an_error_and_no_hang(tmp_path: Path) -> None:
    body = BLOCK + "\\input{a}\n\\[ a = a \\]\n"
    result = check(tmp_path, body, **{"a.tex": "\\input{b}\n", "b.tex": "\\[ b = b \\]\n\\input{a}\n\\input{doc}\n"})
    errors = [s for s in result.steps if s.verdict.value == "error"]
    assert len(errors) == 2 and all("cycle" in s.message for s in errors)
    assert {(s.file and Path(s.file).name, s.line) for s in errors} == {("b.tex", 2), ("b.tex", 3)}
    assert [s.verdict.value for s in result.steps if s.verdict.value != "error"] == ["proved", "proved"]


def test_missing_input_names_the_file(tmp_path: Path) -> None:
    result = check(tmp_path, BLOCK + "\\input{sections/nowhere}\n\\[ a = a \\]\n")
    error = result.steps[0]
    assert error.verdict.value == "error" and error.line == 5 and "sections/nowhere.tex" in error.message


@pytest.mark.parametrize("name", ["../outside", "../../etc/passwd", "/etc/passwd", "inner/../../outside"])
def test_input_outside_the_folder_is_an_error_and_not_read(tmp_path: Path, name: str) -> None:
    (tmp_path / "outside.tex").write_text("\\[ a = 2 a \\]\n")
    inner = tmp_path / "doc"
    inner.mkdir()
    result = check(inner, BLOCK + f"\\input{{{name}}}\n")
    assert [s.verdict.value for s in result.steps] == ["error"]
    assert "outside the document's folder" in result.steps[0].message


def test_input_through_a_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.tex").write_text("\\[ a = 2 a \\]\n")
    inner = tmp_path / "doc"
    inner.mkdir()
    (inner / "link.tex").symlink_to(tmp_path / "secret.tex")
    result = check(inner, BLOCK + "\\input{link}\n")
    assert [s.verdict.value for s in result.steps] == ["error"]


def test_user_macros_with_arguments_and_starred(tmp_path: Path) -> None:
    body = BLOCK + r"""\newcommand{\sq}[1]{\left(#1\right)^2}
\newcommand*{\two}{2}
\DeclareMathOperator{\tr}{tr}
\[ \sq{a + b} = a^2 + \two a b + b^2 \]
"""
    result = check(tmp_path, body)
    assert [s.verdict.value for s in result.steps] == ["proved"]


def test_def_of_a_command_the_math_uses_is_an_error(tmp_path: Path) -> None:
    result = check(tmp_path, BLOCK + "\\def\\frac#1#2{#2/#1}\n\\[ \\frac{a}{b} = a / b \\]\n")
    assert result.error and "\\def" in result.error and result.error_line == 5
    unused = check(tmp_path, BLOCK + "\\def\\foo{x}\n\\[ a = a \\]\n")
    assert [s.verdict.value for s in unused.steps] == ["proved"]


def test_redefining_a_command_deriv_reads_is_an_error(tmp_path: Path) -> None:
    result = check(tmp_path, BLOCK + "\\renewcommand{\\frac}[2]{#2/#1}\n\\[ a = a \\]\n")
    assert any(s.verdict.value == "error" and "can not be redefined" in s.message for s in result.steps)


def test_crlf_line_ends(tmp_path: Path) -> None:
    body = (BLOCK + "\n% deriv: expect-fail\n\\[ a = 2 a \\]\n\\[ a b = b a \\]\n").replace("\n", "\r\n")
    result = check(tmp_path, body)
    assert [(s.verdict.value, s.line) for s in result.steps] == [("expected-fail", 7), ("proved", 8)]


def test_no_block_is_the_markdown_rule(tmp_path: Path) -> None:
    bare = check(tmp_path, "\\[ a = a \\]\n")
    assert bare.error and "no % deriv: block and no declaration" in bare.error and bare.error_line == 1
    prose = check(tmp_path, "Let $a, b \\in \\mathbb{R}$.\n\\[ a b = b a \\]\n")
    assert [s.verdict.value for s in prose.steps] == ["proved"]


def test_a_block_in_an_input_file_is_an_error(tmp_path: Path) -> None:
    result = check(tmp_path, BLOCK + "\\input{part}\n", **{"part.tex": "% deriv:\n%   symbols:\n%     c: scalar\n"})
    assert [(s.verdict.value, Path(s.file).name, s.line) for s in result.steps] == [("error", "part.tex", 1)]


def test_yaml_error_in_the_block_is_on_its_line(tmp_path: Path) -> None:
    result = check(tmp_path, "\\documentclass{article}\n% deriv:\n%   symbols:\n%     a: tensor\n")
    assert result.error and result.error_line == 4


def test_backquotes_and_tildes_are_latex_not_markdown(tmp_path: Path) -> None:
    body = BLOCK + "``quoted'' text \\[ a = 2 a \\] and ``more''\n~~~\n\\[ a b = b a \\]\n"
    result = check(tmp_path, body)
    assert [s.verdict.value for s in result.steps] == ["refuted", "proved"]


def test_clean_lines_keep_one_line_per_line() -> None:
    text = "a % c\n\\verb|%|b\n\\begin{verbatim}\n$$x$$\n\\end{verbatim} c\n"
    lines = clean_lines(text)
    assert len(lines) == len(text.split("\n"))
    assert [line.text.rstrip() for line in lines] == ["a", "        b", "", "", "               c", ""]


def test_flattened_lines_map_back(tmp_path: Path) -> None:
    (tmp_path / "p.tex").write_text("x\ny\n")
    (tmp_path / "m.tex").write_text("one \\input{p} two\nthree\n")
    flat = flatten(str(tmp_path / "m.tex"))
    assert flat.lines[:5] == ["one ", "x", "y", " two", "three"]  # a file's last newline opens no line
    assert [flat.where(n)[1] for n in range(1, 7)] == [1, 1, 2, 1, 2, 3]


def test_input_in_a_comment_or_verbatim_and_includegraphics_are_not_followed(tmp_path: Path) -> None:
    body = BLOCK + ("% \\input{wrong}\n\\begin{verbatim}\n\\input{wrong}\n\\end{verbatim}\n"
                    "\\includegraphics{wrong}\n\\[ a = a \\]\n\\endinput\n\\input{wrong}\n")
    result = check(tmp_path, body, **{"wrong.tex": "\\[ a = 2 a \\]\n"})
    assert [(s.verdict.value, s.line) for s in result.steps] == [("proved", 10)]


def test_input_nesting_and_count_are_bounded(tmp_path: Path) -> None:
    files = {f"n{k}.tex": f"\\input{{n{k + 1}}}\n" for k in range(30)}
    deep = check(tmp_path, BLOCK + "\\input{n0}\n\\[ a = a \\]\n", **files)
    assert [s.verdict.value for s in deep.steps] == ["error", "proved"] and "deep" in deep.steps[0].message
    # Each file brings the next in twice: 2^20 inputs unless counted.
    doubling = {f"d{k}.tex": f"\\input{{d{k + 1}}}\\input{{d{k + 1}}}\n" for k in range(20)}
    wide = check(tmp_path, BLOCK + "\\input{d0}\n\\[ a = a \\]\n", name="wide.tex", **doubling)
    assert wide.error or any("more than" in s.message for s in wide.steps)
    assert [s.verdict.value for s in wide.steps if s.verdict.value != "error"] == ["proved"]


def test_a_directory_named_by_input_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "sub.tex").mkdir()
    result = check(tmp_path, BLOCK + "\\input{sub}\n\\[ a = a \\]\n")
    assert [s.verdict.value for s in result.steps] == ["error", "proved"]


def test_line_numbers_in_messages_are_the_authors(tmp_path: Path) -> None:
    body = BLOCK + "\\input{defs}\n\\newcommand{\\two}{2}\n\\[ a = a \\]\n"
    result = check(tmp_path, body, **{"defs.tex": "\n\n\\newcommand{\\two}{2}\n"})
    [error] = [s for s in result.steps if s.verdict.value == "error"]
    assert error.file is None and error.line == 6
    assert "line 3 of" in error.message and "defs.tex" in error.message


def test_a_directive_in_an_input_file_is_its_own(tmp_path: Path) -> None:
    body = BLOCK + "\\[ a = a \\]\n\\input{part}\n"
    result = check(tmp_path, body, **{"part.tex": "% deriv: expect-fail\n\\[ = 2 a \\]\n"})
    assert verdicts(result) == [("proved", 5, None), ("expected-fail", 2, "part.tex")]


@pytest.mark.parametrize("math", [
    "\\[ a = a \\] % \\[ a = 2 a \\]",
    "\\begin{equation} a = a % = 2 a\n\\end{equation}",
    "\\[ a = a \\]\n%\\[ = 2 a \\]",
    "\\iffalse \\[ a = 2 a \\] \\fi \\[ a = a \\]",
])
def test_hidden_math_never_joins_a_chain(tmp_path: Path, math: str) -> None:
    result = check(tmp_path, BLOCK + math + "\n")
    assert [s.verdict.value for s in result.steps] == ["proved"]


def test_the_block_ends_at_a_comment_indented_less(tmp_path: Path) -> None:
    body = BLOCK + "% an ordinary comment: not YAML\n% deriv: expect-fail\n\\[ a = 2 a \\]\n"
    result = check(tmp_path, body)
    assert [(s.verdict.value, s.line) for s in result.steps] == [("expected-fail", 7)]
    inside = check(tmp_path, "% deriv:\n%   symbols:\n%\n%     a: scalar\n\\[ a = a \\]\n")
    assert [s.verdict.value for s in inside.steps] == ["proved"]


def test_a_file_error_from_an_input_file_names_it(tmp_path: Path) -> None:
    body = BLOCK + "\n\n\n\\input{macros}\n\\[ \\half a = a \\]\n"
    result = check(tmp_path, body, **{"macros.tex": "\n\\def\\half{\\frac{1}{2}}\n"})
    assert result.error and result.error.startswith(f"{tmp_path / 'macros.tex'}, line 2: ") and result.error_line is None


from hypothesis import assume, given, settings, strategies as st  # noqa: E402

_LINE = st.one_of(st.sampled_from(["", "a = b", "% c", "x % y", "\\[ t \\]"]),
                  st.integers(1, 3).map(lambda k: f"\\input{{f{k}}}"),
                  st.integers(1, 3).map(lambda k: f"pre \\input{{f{k}}} post"))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(_LINE, max_size=6), min_size=4, max_size=4), st.booleans())
def test_every_flattened_line_maps_to_the_line_it_came_from(tmp_path_factory, files, crlf) -> None:
    folder = tmp_path_factory.mktemp("flat")
    end = "\r\n" if crlf else "\n"
    for k, lines in enumerate(files):
        # file k only brings in later files: no cycle, so every line of every file appears
        kept = [line if "\\input{f" not in line or int(line.split("{f")[1][0]) > k else "a = b" for line in lines]
        (folder / ("main.tex" if k == 0 else f"f{k}.tex")).write_bytes(end.join(kept).encode())
    flat = flatten(str(folder / "main.tex"))
    assert not flat.problems
    for number, text in enumerate(flat.lines, 1):
        shown, line = flat.where(number)
        source = Path(shown).read_text().replace("\r\n", "\n").split("\n")[line - 1]
        code = source.split("%")[0]
        if "\\input" not in code:
            assert text.rstrip() == code.rstrip()
        else:
            assert text.strip() in code  # a piece of the line around its \input


def _verbatim_open(tokens: list[str]) -> bool:
    """Whether a verbatim environment is still open after ``tokens`` (where the marker's ``%`` follows)."""
    open_ = False
    for token in tokens:
        if token == "\\begin{verbatim}":
            open_ = True
        elif token == "\\end{verbatim}":
            open_ = False
    return open_


_TOKENS = st.sampled_from([
    "a", " = ", "b", "\n", "\r\n", "\n\n", "%", "\\%", "\\\\", "$$", "$", "\\[", "\\]", "\\verb|", "|",
    "\\begin{verbatim}", "\\end{verbatim}", "\\begin{align}", "&=", "\\end{align}", "\\iffalse", "\\fi",
    "\\input{", "}", "{", "% deriv:", "%   symbols:", "%     a: scalar", "% deriv: expect-fail", "`", "~~~",
    "<!--", "-->", "\\newcommand{\\q}{a}", "\\q", "\\def\\q{b}", "\\end{document}",
])


@settings(max_examples=80, deadline=None)
@given(st.lists(_TOKENS, max_size=40), st.lists(_TOKENS, max_size=10))
def test_any_text_reads_or_is_refused_and_comments_are_never_read(tmp_path_factory, tokens, hidden) -> None:
    from deriv.errors import DerivError
    from deriv.read.latex_source import read_latex

    assume("\\verb|" not in tokens)  # inside an unclosed \\verb a % is no comment
    assume(not _verbatim_open(tokens))  # nor inside an unclosed verbatim environment
    folder = tmp_path_factory.mktemp("fuzz")
    # A comment's text (up to its line end) carries the marker; it must never reach the mathematics.
    text = BLOCK + "\n" + "".join(tokens) + "%ZQZ" + "".join(t for t in hidden if "\n" not in t) + "ZQZ\n" + "".join(tokens)
    (folder / "x.tex").write_text("\\[ b = b \\]\n")
    try:
        document = read_latex(str(folder / "doc.tex"), text)
    except DerivError as error:
        assert "ZQZ" not in str(error)
        return
    assert not any("ZQZ" in d.text for d in document.displays)
    assert not any("ZQZ" in m.body for m in document.macros)


def test_files_brought_in_otherwise_are_an_error_not_silently_unread(tmp_path: Path) -> None:
    result = check(tmp_path, BLOCK + "\\subfile{proof}\n\\import{dir/}{proof}\n\\[ a = a \\]\n")
    assert [(s.verdict.value, s.line) for s in result.steps] == [("error", 5), ("error", 6), ("proved", 7)]
    assert "\\subfile is not followed" in result.steps[0].message


def markdown_as_latex(markdown: str) -> str:
    """A Markdown derivation as a LaTeX source, line for line: the front matter as the
    ``% deriv:`` block, each directive as a ``% deriv:`` comment, the rest as written."""
    lines = markdown.split("\n")
    out, front = [], lines[0].strip() == "---"
    for number, line in enumerate(lines):
        if front:
            closing = number > 0 and line.strip() in ("---", "...")
            out.append("% deriv:" if number == 0 else "%" if closing else "%   " + line)
            front = not closing
            continue
        directive = re.fullmatch(r"\s*<!--\s*deriv:(.*)-->\s*", line)
        out.append(f"% deriv:{directive.group(1)}" if directive else line)
    return "\n".join(out)


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "derivations").glob("*.md")))
def test_every_bundled_derivation_as_latex_has_its_verdicts_and_lines(tmp_path: Path, name: str) -> None:
    markdown = ROOT / "derivations" / name
    tex = tmp_path / name.replace(".md", ".tex")
    tex.write_text(markdown_as_latex(markdown.read_text(encoding="utf-8")), encoding="utf-8")
    expected = [(s.verdict, s.line, s.label, s.message) for s in deriv.check_file(markdown).steps]
    assert [(s.verdict, s.line, s.label, s.message) for s in deriv.check_file(tex).steps] == expected
