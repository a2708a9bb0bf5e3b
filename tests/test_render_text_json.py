"""The text and JSON renderers, on hand-built results (no engine involved)."""

from __future__ import annotations

import doctest
import json
import re

import pytest

import deriv.render.json as render_json_module
import deriv.render.text as text
from deriv.render import render_json, render_run
from deriv.render.json import counterexample_to_json
from deriv.results import Counterexample, FileResult, RunResult, StepResult, Suggestion, Verdict

STEP_KEYS = {
    "line", "column", "label", "relation", "lhs", "rhs", "verdict", "method", "message",
    "justification", "suggestion", "counterexample", "seconds",
}  # fmt: skip
FILE_KEYS = {"path", "title", "error", "steps"}
VERDICTS = {
    "proved", "tested", "refuted", "error", "expected-fail", "unexpected-pass",
    "undecided", "skipped", "timeout",
}  # fmt: skip


def block_of(lines: list[str], prefix: str) -> list[str]:
    """The step line starting with ``prefix`` (after indent) and its detail lines."""
    start = next(i for i, line in enumerate(lines) if line.strip().startswith(prefix))
    end = start + 1
    while end < len(lines) and lines[end].startswith(text.DETAIL):
        end += 1
    return lines[start:end]


# --- text: step lines ---------------------------------------------------------


def test_step_line_has_verdict_label_and_line(make_step):
    line = text.render_step_line(make_step("proved", line=14, label="2"))
    assert line.split() == ["proved", "(2)", "line", "14"]


def test_unlabelled_step_shows_dash(make_step):
    line = text.render_step_line(make_step("tested", label=None, message="held 24 times"))
    assert line.split()[:2] == ["tested", "-"]
    assert line.endswith("held 24 times")


def test_columns_are_padded_to_the_widest(make_step):
    run = RunResult(
        (
            FileResult(
                "a.md",
                None,
                steps=(
                    make_step("proved", line=9, label="1"),
                    make_step("unexpected-pass", line=120, label="10", message="holds"),
                ),
            ),
        )
    )
    first, second = text.render_run(run)[1:3]
    # The label and line columns start at the same offset on both lines.
    assert first.index("(1)") == second.index("(10)")
    assert first.index("line 9") == second.index("line 120")


def test_proved_step_keeps_its_line_short_and_says_how_it_was_read_below(make_step):
    step = make_step("proved", message="read 1 - z as \\mathbf{1}_H - z (broadcast)", justification="chain rule")
    assert "broadcast" not in text.render_step_line(step)
    assert text.render_details(step, "a.md") == ["      message: read 1 - z as \\mathbf{1}_H - z (broadcast)"]
    assert text.render_details(make_step("proved", message=""), "a.md") == []


def test_long_message_is_clipped_on_the_line_and_given_in_full_below(make_step):
    message = "the members differ " + "because of reasons " * 10
    step = make_step("undecided", message=message)
    line = text.render_step_line(step)
    assert line.endswith("...")
    assert len(line) < 120
    details = text.render_details(step, "a.md")
    assert any(message.strip() in d for d in details)


def test_multiline_message_keeps_its_shape(make_step):
    step = make_step("error", message="unexpected token\n  X_{i,\n      ^")
    details = text.render_details(step, "a.md")
    assert details[0].strip() == "message: unexpected token"
    assert details[1].endswith("X_{i,")
    assert details[2].strip() == "^"


def test_control_characters_from_documents_are_escaped(make_step):
    step = make_step("error", message="bad byte \x1b[31m here", rhs="\x07")
    lines = [text.render_step_line(step), *text.render_details(step, "a.md")]
    assert not any("\x1b" in line or "\x07" in line for line in lines)
    assert "\\x1b[31m" in lines[0]


# --- text: details ------------------------------------------------------------


def test_refuted_details(make_step, counterexample):
    step = make_step(
        "refuted",
        line=20,
        label="3",
        message="members differ",
        justification="chain rule",
        counterexample=counterexample,
        suggestion=(Suggestion("swap-indices", r"X_{n,m}", Verdict.TESTED, "swap m and n"),),
    )
    details = [d.strip() for d in text.render_details(step, "derivations/w.md", seed=0)]
    assert f"counterexample: {counterexample.describe()}" in details
    assert "suggestion: swap m and n (tested): X_{n,m}" in details
    assert "justification: chain rule" in details
    assert any(d.startswith("step: ") and step.rhs in d for d in details)
    # The hint reruns with the counterexample's own seed, not the run's.
    assert "reproduce: deriv check derivations/w.md --seed 5" in details


def test_reproduce_hint_uses_run_seed_without_counterexample(make_step):
    details = text.render_details(make_step("tested"), "my notes.md", seed=42)
    assert details[-1].strip() == "reproduce: deriv check 'my notes.md' --seed 42"


@pytest.mark.parametrize("verdict", ["skipped", "expected-fail"])
def test_deliberate_verdicts_show_no_members_or_hint(make_step, verdict):
    details = text.render_details(make_step(verdict, message="as marked"), "a.md")
    assert not any("step:" in d or "reproduce:" in d for d in details)


# --- text: files and the run ----------------------------------------------------


def test_header_has_path_and_title(make_run):
    lines = text.render_run(make_run("proved"))
    assert lines[0] == "derivations/notes.md -- Notes"


def test_file_error_line():
    broken = FileResult("missing.md", None, error="no such file")
    assert text.render_file(broken) == ["missing.md: error: no such file"]
    located = FileResult("bad.md", None, error="front matter is not valid YAML", error_line=3)
    assert text.render_file(located) == ["bad.md:3: error: front matter is not valid YAML"]


def test_file_without_steps_says_so():
    lines = text.render_file(FileResult("empty.md", "Empty"))
    assert lines == ["empty.md -- Empty", "  no steps to check"]


def test_mixed_run_shows_every_step_and_error(mixed_run):
    lines = text.render_run(mixed_run)
    step_lines = [line for line in lines if line.startswith("  ") and not line.startswith(text.DETAIL)]
    assert len(step_lines) == len(mixed_run.steps)
    assert "derivations/broken.md:3: error: front matter is not valid YAML" in lines
    for verdict in VERDICTS:
        assert any(line.split()[0] == verdict for line in step_lines), verdict


def test_quiet_shows_only_steps_that_did_not_pass(mixed_run):
    lines = text.render_run(mixed_run, quiet=True)
    shown = {line.split()[0] for line in lines if line.startswith("  ") and not line.startswith(text.DETAIL)}
    assert shown == {"refuted", "error", "undecided", "unexpected-pass", "timeout"}
    assert "derivations/broken.md:3: error: front matter is not valid YAML" in lines


def test_quiet_strict_shows_tested(make_run):
    lines = text.render_run(make_run("tested"), quiet=True)
    assert not any(line.startswith("  ") for line in lines)  # no step lines at all
    lines = text.render_run(make_run("proved", "tested"), quiet=True, strict=True)
    assert [line.split()[0] for line in lines if line.startswith("  tested")] == ["tested"]
    assert not any(line.startswith("  proved") for line in lines)


def test_quiet_all_passing_prints_only_summary(make_run):
    assert text.render_run(make_run("proved", "proved"), quiet=True) == [
        "2 proved (2 steps, 1 file)"
    ]


# --- text: summary --------------------------------------------------------------


def test_summary_lists_nonzero_counts_and_totals(make_run):
    run = make_run("proved", "proved", "refuted", "tested")
    lines = text.render_summary(run, elapsed=0.534)
    assert lines[0] == "2 proved, 1 tested, 1 refuted (4 steps, 1 file) in 0.53 s"
    assert "weaker than proved" in lines[1]


def test_summary_counts_file_errors(mixed_run):
    line = text.render_summary(mixed_run)[0]
    assert line.startswith("3 proved, 1 tested, 1 refuted, 1 error, 1 expected-fail")
    assert line.endswith("1 timeout, 1 file error (11 steps, 3 files)")


def test_summary_without_tested_has_no_note(make_run):
    assert text.render_summary(make_run("proved", "skipped")) == ["1 proved, 1 skipped (2 steps, 1 file)"]


def test_summary_of_nothing():
    assert text.render_summary(RunResult(())) == ["nothing checked (0 steps, 0 files)"]


def test_strict_note(make_run):
    note = text.render_summary(make_run("tested", "tested"), strict=True)[1]
    assert note == "note: 2 steps were only tested on random instances, --strict counts that as failing"


# --- text: colour ---------------------------------------------------------------


def test_no_escape_codes_without_color(mixed_run):
    assert not any("\x1b[" in line for line in text.render_run(mixed_run, color=False))


def test_color_marks_verdicts(make_run):
    lines = text.render_run(make_run("refuted", "proved"), color=True)
    refuted = next(line for line in lines if "refuted" in line and "(1)" in line)
    assert "\x1b[31m" in refuted  # red
    assert "\x1b[" in lines[-1]  # the summary is coloured by outcome too


# --- JSON -----------------------------------------------------------------------


def test_json_matches_spec_schema(mixed_run):
    doc = json.loads(render_json(mixed_run))
    assert set(doc) == {"version", "files", "summary"}
    assert doc["version"] == 1
    assert set(doc["summary"]) == VERDICTS
    assert sum(doc["summary"].values()) == len(mixed_run.steps)
    assert len(doc["files"]) == 3
    for file in doc["files"]:
        assert set(file) == FILE_KEYS
        for step in file["steps"]:
            assert set(step) == STEP_KEYS
            assert step["verdict"] in VERDICTS
            assert isinstance(step["line"], int)
    broken = doc["files"][2]
    assert broken["error"] == "line 3: front matter is not valid YAML" and broken["steps"] == []


def test_json_counterexample_and_nulls(mixed_run):
    doc = json.loads(render_json(mixed_run))
    steps = doc["files"][0]["steps"]
    refuted = steps[2]
    assert refuted["verdict"] == "refuted"
    assert refuted["counterexample"]["seed"] == 5
    assert refuted["counterexample"]["sizes"] == {"M": 2, "N": 3, "S": 4}
    assert steps[3]["label"] is None and steps[3]["counterexample"] is None


def test_json_is_ascii_and_round_trips_unicode():
    step_run = RunResult((FileResult("ü.md", "Größe", steps=()),))
    out = render_json(step_run)
    assert out.isascii()
    assert json.loads(out)["files"][0]["title"] == "Größe"


# --- doctests of the renderer modules (pytest only collects doctests under tests/) --


@pytest.mark.parametrize("module", [text, render_json_module])
def test_module_doctests(module):
    failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert tried > 0 and failures == 0


def test_render_run_is_pure(mixed_run):
    assert render_run(mixed_run) == render_run(mixed_run)
    assert isinstance(render_run(mixed_run), list)
    assert Verdict.PROVED.value in render_run(mixed_run)[1]


def test_counterexample_with_precision(make_step):
    cx = Counterexample(sizes=(("n", 2),), indices=(), lhs_value="[0.5 +/- 1e-40]", rhs_value="0.6",
                        seed=1, precision="certified at 128 bits")  # fmt: skip
    details = text.render_details(make_step("refuted", counterexample=cx), "a.md")
    assert any("(certified at 128 bits)" in d for d in details)
    assert counterexample_to_json(cx)["precision"] == "certified at 128 bits" and "tolerance" not in counterexample_to_json(cx)


# --- notebooks: Markdown with TeX beside the HTML (docs/library.md) -------------------------

MARKUP = ["<img src=x onerror=alert(1)>", "$$ x $$ <script>", "`code`", "[link](javascript:alert(1))",
          "**bold**", "\\begin{script}", "a\nb", "x_1 & y", "```"]


@pytest.mark.parametrize("payload", MARKUP)
def test_markdown_never_turns_document_text_into_markup(payload: str) -> None:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    from deriv.render.markdown import render_markdown, tex

    step = StepResult(3, payload, "=", payload, payload, Verdict.REFUTED, message=payload,
                      counterexample=Counterexample((("N", 2),), (), payload, payload, 0))
    # Read as Jupyter reads Markdown: the mathematics is set apart before the Markdown is parsed.
    rendered = MarkdownIt("commonmark").use(dollarmath_plugin).render(render_markdown(step))
    for dangerous in ("<img", "<script", "<a ", "<em>", "<h"):
        assert dangerous not in rendered, (payload, rendered)
    assert rendered.count("<strong>") == 1  # the verdict's own
    shown = tex(payload)
    assert shown.startswith("`") or not re.search(r"[<>&`$\n]|\\begin|\\end", shown[2:-2]), shown


@pytest.mark.parametrize("member", [
    r"\href{javascript:alert(1)}{x} = x", r"\require{action} x", r"\style{color:red}{x}", r"\class{mark}{x}",
    r"\cssId{a}{x}", r"\color{white}{+ 1}", r"\colorbox{white}{x}", r"\phantom{+ 1} x", r"\hspace{-100em} x",
    r"\Huge x", r"\unicode{x2713} x", r"\mmlToken{mi}{x}", r"\bbox[red]{x}", r"\toggle{x}{y}\endtoggle",
    r"\url{javascript:alert(1)}",
])
def test_markdown_typesets_no_tex_that_links_loads_or_styles(member: str) -> None:
    """MathJax would make a link (``\\href``), load an extension (``\\require``), style or move text
    (``\\color{white}``, ``\\hspace``) from a display: such TeX is shown as code, as the HTML report drops it."""
    from deriv.render.markdown import tex

    assert tex(member).startswith("`"), tex(member)
    assert tex(r"\frac{\partial L}{\partial W} = \hat{y}^T \mathbf{x} \operatorname{tr}(A)").startswith("$$")


def test_results_carry_html_markdown_and_plain_text_for_notebooks() -> None:
    import deriv

    result = deriv.check_text("---\nsymbols:\n  A: matrix N x N\n---\n\n$$ (A^T)^T = A $$\n")
    bundle = result._repr_mimebundle_()
    assert set(bundle) == {"text/html", "text/markdown", "text/plain"}
    assert "<math" in bundle["text/html"]
    assert "$$ (A^T)^T = A $$" in bundle["text/markdown"] and "**proved**" in bundle["text/markdown"]
    assert "proved" in bundle["text/plain"] and "<" not in bundle["text/plain"].replace("<text>", "")
    assert set(result._repr_mimebundle_(include=["text/markdown"])) == {"text/markdown"}
    assert set(result._repr_mimebundle_(exclude=["text/html"])) == {"text/markdown", "text/plain"}


def test_the_deriv_cell_magic_checks_a_cell_in_place() -> None:
    import deriv
    from deriv.notebook import check_cell

    registered: list = []

    class Shell:
        def register_magic_function(self, function, magic_kind, magic_name):
            registered.append((function, magic_kind, magic_name))

    deriv.load_ipython_extension(Shell())
    [(magic, kind, name)] = registered
    assert (kind, name) == ("cell", "deriv") and magic is check_cell
    cell = "symbols:\n  A: matrix N x N\n  B: matrix N x N\n$$ (A B)^T = B^T A^T $$\n\n$$ A B = B A $$\n"
    result = magic("--seed 2", cell)
    assert [(s.line, s.verdict.value) for s in result.steps] == [(4, "proved"), (6, "refuted")]
    assert result.steps[1].counterexample.seed == 2
    whole = magic("", "---\nsymbols:\n  x: scalar\n---\n$$ x + x = 2 x $$\n")
    assert [s.verdict.value for s in whole.steps] == ["proved"]
    # The declarations are read, not pasted: a '---' in them does not end anything early.
    bad = magic("", "symbols:\n  x: scalar\n---\n$$ 1 = 2 $$\n$$ x = x $$\n")
    assert bad.steps == () and "YAML" in (bad.error or "")
    with pytest.raises(ValueError, match="--seed"):
        magic("--color red", cell)
