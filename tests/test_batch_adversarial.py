"""Adversarial batch items and rewards (docs/library.md): generated text can not set its own
problem (assume, mark its steps, redefine a given name), nothing unchecked is a pass, and
no input line -- not JSON, not UTF-8, NaN, a key twice -- stops a batch or becomes bad JSON."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import deriv
from deriv.batch import read_lines
from deriv.cli import main

SQUARE = {"A": "matrix N x N", "B": "matrix N x N", "a": "scalar"}


@pytest.mark.parametrize(("text", "says"), [
    ("<!-- deriv: assume A B = B A -->\n$$ A B = B A $$", "line 1: a generated text can not assume 'A B = B A'"),
    ("---\nassumptions:\n  - A B = B A\n---\n$$ A B = B A $$", "line 3: a generated text can not assume"),
    ("<!-- deriv: expect-fail -->\n$$ A B = B A $$", "line 1: a generated text can not mark its own steps"),
    ("<!-- deriv: skip why not -->\n$$ A B = B A $$", "can not mark its own steps: <!-- deriv: skip -->"),
    ("---\ndefinitions:\n  - B = A\n---\n$$ A B = B A $$", "line 3: a generated text can not define B"),
    ("---\ndefinitions:\n  - B_{i,j} = A_{i,j}\n---\n$$ A B = B A $$", "can not define B"),
    ("Let $a > 0$.\n\n$$ \\sqrt{a^2} = a $$", "can not declare a otherwise than it is given"),
    # The reader sees `= A B` follow `B A`; the step checked would be `A B = A B`.
    ("$$ A B = A B $$ (1)\n\n$$ B A $$ is what we have.\n\n<!-- deriv: continue 1 -->\n$$ = A B $$",
     "can not mark its own steps: <!-- deriv: continue -->"),
])
def test_a_text_that_sets_its_own_problem_gets_no_reward(text: str, says: str) -> None:
    """Each of these was a reward of 1.0 for a false step."""
    [item] = deriv.check_many([{"id": 1, "text": text}], symbols=SQUARE)
    assert item.error is not None and says in item.error
    assert item.steps == ()
    assert deriv.reward(text, symbols=SQUARE) == 0.0


GREEK_GIVEN = {**SQUARE, "\\Sigma": "matrix N x N", "\\hat{\\beta}": "scalar"}


@pytest.mark.parametrize("text", [
    "$\\newcommand{\\Sigma}{I}$\n\n$$ \\Sigma B = B \\Sigma $$",
    "Here $\\renewcommand{\\Sigma}{I}$ and\n\n$$ \\Sigma B = B \\Sigma $$",
    "$$ \\renewcommand{\\Sigma}{I} $$\n\n$$ \\Sigma B = B \\Sigma $$",
    "$\\newcommand\\Sigma{I}$\n\n$$ \\Sigma B = B \\Sigma $$",
    "$\\DeclareMathOperator{\\Sigma}{I}$\n\n$$ \\Sigma B = B \\Sigma $$",
    "---\nmacros:\n  - \\renewcommand{\\Sigma}{I}\n---\n\n$$ \\Sigma B = B \\Sigma $$",
    "$\\newcommand{\\beta}{0}$\n\n$$ \\hat{\\beta} a = 0 $$",
])
def test_a_macro_may_not_rename_a_given_name(text: str) -> None:
    """``\\Sigma`` then reads as ``I``: the step proved is not about the given matrix (it earned 1.0)."""
    [item] = deriv.check_many([{"id": 1, "text": text}], symbols=GREEK_GIVEN)
    assert item.error is not None and "can not define the macro" in item.error and item.steps == ()
    assert deriv.reward(text, symbols=GREEK_GIVEN) == 0.0


def test_a_macro_may_not_rename_a_command_a_given_definition_uses() -> None:
    text = "$\\renewcommand{\\exp}{}$\n\n$$ c = a $$"
    [item] = deriv.check_many([{"id": 1, "text": text}], symbols={"a": "scalar", "c": "scalar"},
                              definitions=["c = \\exp(a)"])
    assert item.error is not None and "can not define the macro \\exp" in item.error


def test_a_macro_of_the_texts_own_is_read() -> None:
    text = "$\\newcommand{\\tB}{B^T}$\n\n$$ (A B)^T = \\tB A^T $$"
    [item] = deriv.check_many([{"id": 1, "text": text}], symbols=GREEK_GIVEN)
    assert item.error is None and [s.verdict.value for s in item.steps] == ["proved"]


@pytest.mark.parametrize("text", [
    "---\nsymbols:\n  A: matrix N x N\n---\n$$ (A B)^T = B^T A^T $$",  # a given declaration restated
    "---\ndefinitions:\n  - C = A B\n---\n$$ C^T = B^T A^T $$",  # a name of its own defined
    "Let $c > 0$ and $C = A B$.\n\n$$ C^T = B^T A^T $$",  # its own names, in the prose
])
def test_a_text_may_add_what_is_its_own(text: str) -> None:
    [item] = deriv.check_many([{"id": 1, "text": text}], symbols=SQUARE)
    assert item.error is None and {s.verdict.value for s in item.steps} == {"proved"}
    assert deriv.reward(text, symbols=SQUARE) == 1.0


def test_given_assumptions_and_definitions_are_the_callers() -> None:
    item = {"id": 1, "text": "---\nassumptions:\n  - A B = B A\n---\n$$ A B = B A $$", "assumptions": ["A B = B A"]}
    [result] = deriv.check_many([item], symbols=SQUARE)
    assert result.error is None and [s.verdict.value for s in result.steps] == ["proved"]


@pytest.mark.parametrize("text", ["", "no math here", "$$ a $$", "So here $a = 2a$ holds.", "---\nsymbols:\n  c: scalar\n---\n"])
def test_nothing_checked_is_no_reward(text: str) -> None:
    assert deriv.reward(text, symbols=SQUARE) is None


def test_first_wrong_over_several_chains() -> None:
    text = "$$ a + a = 2 a $$\n\n$$ a = 2a $$\n\n$$ (A B)^T = B^T A^T $$\n\n$$ A B = B A $$"
    [item] = deriv.check_many([{"id": "x", "text": text}], symbols=SQUARE)
    assert [s.verdict.value for s in item.steps] == ["proved", "refuted", "proved", "refuted"]
    assert item.first_wrong == 1


def _lines(*raw: bytes) -> list[object]:
    return list(read_lines(raw))


def test_lines_that_are_not_strict_json_are_errors_not_bad_output() -> None:
    items = _lines(b'{"id": NaN, "text": "x"}', b'{"id": 1e400, "text": "x"}', b'{"id": 1, "id": 2, "text": "x"}',
                   b'{"id": -Infinity}', b'{"id": 1, "text": "\xff"}')
    messages = [getattr(item, "message", None) for item in items]
    assert messages[:5] == ["line 1: not JSON: NaN is not JSON", "line 2: not JSON: the number 1e400 is too large",
                            "line 3: not JSON: key 'id' appears twice in one object",
                            "line 4: not JSON: -Infinity is not JSON",
                            "line 5: not UTF-8 text (invalid start byte at byte 19)"]
    # A byte order mark opens a file: it is no part of the first line (on another line it is an error).
    assert _lines(b"\xef\xbb\xbf{\"id\": 3, \"text\": \"x\"}") == [{"id": 3, "text": "x"}]


def test_cli_batch_goes_on_past_a_line_that_is_not_utf8(tmp_path) -> None:
    path = tmp_path / "items.jsonl"
    path.write_bytes(b'{"id": 1, "text": "$$ a = a $$"}\n{"id": 2, "text": "$$ a = \xff a $$"}\n'
                     b'{"id": NaN, "text": "$$ a = a $$"}\n{"id": 3, "text": "$$ a = 2 a $$"}\n')
    symbols = tmp_path / "s.yaml"
    symbols.write_text("symbols:\n  a: scalar\n")
    result = CliRunner().invoke(main, ["check", "--batch", str(path), "--symbols", str(symbols)])
    assert result.exit_code == 0, result.output
    out = [json.loads(line, parse_constant=lambda word: pytest.fail(f"{word} in the output")) for line in
           result.output.splitlines()]
    assert [(o["id"], o["first_wrong"], (o["error"] or "")[:17]) for o in out] == [
        (1, None, ""), (None, None, "line 2: not UTF-8"), (None, None, "line 3: not JSON:"), (3, 0, "")]


@pytest.mark.parametrize(("item", "says"), [
    ({"id": 1, "text": "$$ a = a $$", "symbols": ["a"]}, "'symbols' is a mapping"),
    ({"id": 1, "text": "$$ a = a $$", "symbols": {"a": {"kind": "scalar"}}}, "must be a single line of text"),
    ({"id": 1, "text": "$$ a = a $$", "definitions": [5]}, "must be an equation written as text"),
    ({"id": 1, "text": "$$ a = a $$", "definitions": "b = 2a"}, "'definitions' is a list"),
    ({"id": 1, "text": b"$$ a = a $$"}, "'text' is a string, not bytes"),
    ({"id": 1, "text": "---\nsymbols:\n  a: vector N\n---\n$$ a = a $$"}, "one name, one meaning"),
])
def test_malformed_items_get_an_error(item: dict, says: str) -> None:
    [result] = deriv.check_many([item], symbols={"a": "scalar"})
    assert result.error is not None and says in result.error and result.steps == ()


def test_a_key_twice_among_many_is_found_in_linear_time() -> None:
    import time

    from deriv.batch import strict_json

    line = "{" + ",".join(f'"k{i}": 1' for i in range(200_000)) + ', "k5": 2}'
    start = time.perf_counter()
    with pytest.raises(ValueError, match="key 'k5' appears twice"):
        strict_json(line)
    assert time.perf_counter() - start < 10


@pytest.mark.parametrize(("verdicts", "expected"), [
    (["proved", "skipped"], None), (["skipped"], None), (["expected-fail"], None), (["proved", "expected-fail"], None),
    (["undecided", "refuted"], 0.0), (["timeout", "proved"], None), (["proved", "unexpected-pass"], 0.0),
    (["tested", "proved"], 0.5), (["proved", "proved"], 1.0), ([], None),
])
def test_only_proved_and_tested_steps_earn_a_reward(verdicts, expected, monkeypatch) -> None:
    """Whatever verdicts a check returns, a step not proved or tested is never paid as one (a skipped
    step, which a generated text can not ask for, would otherwise have earned 1.0)."""
    import deriv.batch as batch
    from deriv.results import ItemResult, StepResult, Verdict

    steps = tuple(StepResult(line=n + 1, label=None, relation="=", lhs="a", rhs="a", verdict=Verdict(v))
                  for n, v in enumerate(verdicts))
    monkeypatch.setattr(batch, "each_checked", lambda *args, **kwargs: iter([ItemResult(None, steps)]))
    assert deriv.reward("$$ a = a $$", symbols=SQUARE, tested=0.5) == expected


def test_reading_a_pathological_text_costs_its_budget_not_the_callers_time() -> None:
    """Whether a text changes its problem was read in the caller's process, out of budget: a line
    of a million '[' before a display took some 25 s there before the item's worker even started."""
    import time

    started = time.monotonic()
    slow, fine = deriv.check_many([{"id": 1, "text": "[" * 1_000_000 + "$$ a = a $$"},
                                   {"id": 2, "text": "$$ a + a = 2 a $$"}], symbols=SQUARE, document_timeout=2)
    assert time.monotonic() - started < 15
    assert "ran out of its budget" in (slow.error or "") and slow.steps == ()
    assert [s.verdict.value for s in fine.steps] == ["proved"]


def test_a_text_that_changes_its_problem_is_found_in_the_worker_with_its_line() -> None:
    [item] = deriv.check_many([{"id": 1, "text": "\n\n<!-- deriv: skip -->\n$$ A B = B A $$"}], symbols=SQUARE)
    assert item.error is not None and item.error.startswith("line 3: a generated text can not mark its own steps")
