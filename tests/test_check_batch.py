"""Many generated derivations at once: ``deriv.check_many``, ``deriv.reward`` and
``deriv check --batch`` (declarations given beside the text, isolation per item,
thread safety, JSON lines out)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
from dataclasses import replace

import pytest
from click.testing import CliRunner

import deriv
from helpers import misbehaving_decider
from deriv.cli import main
from deriv.results import Verdict

SQUARE = {"A": "matrix N x N", "B": "matrix N x N"}


def without_times(items) -> list:
    return [replace(item, steps=tuple(replace(s, seconds=0.0) for s in item.steps)) for item in items]


def verdicts(item) -> list[str]:
    return [step.verdict.value for step in item.steps]


def test_items_come_back_in_order_with_their_first_wrong_step() -> None:
    items = [
        {"id": "good", "text": "$$ (A B)^T = B^T A^T $$"},
        {"id": 7, "text": "$$ (A B)^T = B^T A^T = A^T B^T $$"},
        {"id": None, "text": "$$ A B = B A $$"},
        {"text": "$$ A + B = B + A $$"},
    ]
    results = deriv.check_many(items, symbols=SQUARE)
    assert [r.id for r in results] == ["good", 7, None, 3]  # no id: the item's 0-based position
    assert [verdicts(r) for r in results] == [["proved"], ["proved", "refuted"], ["refuted"], ["proved"]]
    assert [r.first_wrong for r in results] == [None, 1, 0, None]


def test_an_unreadable_step_is_an_error_step_and_counts_as_wrong() -> None:
    [item] = deriv.check_many([{"id": 1, "text": "$$ A = B^T $$\n\n$$ \\frac{ $$"}], symbols=SQUARE)
    assert verdicts(item) == ["refuted", "error"] and item.first_wrong == 0
    [item] = deriv.check_many([{"id": 1, "text": "$$ A^T = A^T $$\n\n$$ \\frac{ $$"}], symbols=SQUARE)
    assert verdicts(item) == ["proved", "error"] and item.first_wrong == 1


@pytest.mark.parametrize("item, says", [
    ("text only", "an item is an object"),
    ({"id": 1}, "'text' is a string"),
    ({"id": 1, "text": 3}, "'text' is a string"),
    ({"id": 1, "text": "$$ A = A $$", "answer": "A"}, "unknown item key 'answer'"),
    ({"id": 1, "text": "$$ A = A $$", "symbols": ["A"]}, "'symbols' is a mapping"),
    ({"id": 1, "text": "$$ A = A $$", "definitions": "f = A"}, "'definitions' is a list"),
    ({"id": 1, "text": "$$ A = A $$", "symbols": {"A": "tensor"}}, "'A'"),
])
def test_a_malformed_item_gets_an_error_not_an_exception(item, says) -> None:
    [result] = deriv.check_many([item], symbols=SQUARE)
    assert result.steps == () and says in result.error and result.first_wrong is None


def test_an_items_symbols_replace_shared_ones_and_its_definitions_add_up() -> None:
    items = [{"id": 1, "text": "$$ x + x = 2 x $$", "symbols": {"x": "scalar"}},
             {"id": 2, "text": "$$ A^T = A $$", "symbols": {"A": "symmetric N"}},
             {"id": 3, "text": "$$ A^T = A $$"},
             {"id": 4, "text": "$$ f = \\operatorname{tr}(B^T A) $$", "definitions": ["f = \\sum_{i,j} A_{i,j} B_{i,j}"]}]
    results = deriv.check_many(items, symbols=SQUARE)
    assert [verdicts(r) for r in results] == [["proved"], ["proved"], ["refuted"], ["proved"]]


def test_a_text_with_front_matter_adds_to_the_given_declarations_but_may_not_contradict_them() -> None:
    agrees = "---\nsymbols:\n  A: matrix N x N\n  c: scalar\n---\n\n$$ c A = A c $$\n"
    contradicts = "---\nsymbols:\n  A: vector N\n---\n\n$$ A = A $$\n"
    ok, bad = deriv.check_many([{"id": 1, "text": agrees}, {"id": 2, "text": contradicts}], symbols=SQUARE)
    assert verdicts(ok) == ["proved"]
    assert bad.steps == () and "one name, one meaning" in bad.error and "'matrix N x N'" in bad.error


def test_declarations_given_beside_the_text_are_never_spliced_into_it() -> None:
    # A kind that would close the front matter and open a display if pasted as text.
    [item] = deriv.check_many([{"id": 1, "text": "$$ A = A $$", "symbols": {"A": "matrix N x N\n---\n$$ 1 = 2 $$"}}])
    assert item.steps == () and item.error
    with pytest.raises(ValueError, match="shared declarations"):
        deriv.check_many([{"id": 1, "text": "$$ A = A $$"}], symbols={"A": "matrix N x N\n---\n$$ 1 = 2 $$"})


def test_text_as_models_write_it_one_chain_across_displays_environments_and_prose() -> None:
    text = textwrap.dedent(r"""
        We want the gradient of $f = \operatorname{tr}(A X)$ with respect to $X$. First
        \[ f = \sum_{i} \sum_{k} A_{i,k} X_{k,i} \]
        then entry by entry
        \begin{align}
        \frac{\partial f}{\partial X_{m,n}} &= \sum_i \sum_k A_{i,k} \delta_{k,m} \delta_{i,n} \\
        &= A_{m,n}
        \end{align}
        So the gradient is
        $$ \boxed{\frac{\partial f}{\partial X} = A^T} $$
    """)
    [item] = deriv.check_many([{"id": 0, "text": text}], symbols={"A": "matrix N x N", "X": "matrix N x N"},
                              definitions=[r"f = \operatorname{tr}(A X)"])
    assert verdicts(item) == ["proved", "proved", "refuted", "proved"] and item.first_wrong == 2


@pytest.mark.parametrize("text, expected", [
    (r"$$ \operatorname{tr}(A B) = \operatorname{tr}(B A) $$", 1.0),
    (r"$$ (A B)^T = A^T B^T $$", 0.0),
    (r"$$ A B = B A $$", 0.0),
    (r"$$ W^T X = X^T W $$", 0.0),
    (r"$$ \frac{ $$", 0.0),
    ("no mathematics at all", None),
])
def test_reward(text, expected) -> None:
    symbols = {**SQUARE, "W": "matrix N x M", "X": "matrix N x M"}
    assert deriv.reward(text, symbols=symbols) == expected


def test_reward_of_a_tested_step_and_of_undecided_ones_is_configurable() -> None:
    tested = r"$$ \frac{1}{x^2 + 1} \le 1 $$"
    symbols = {"x": "scalar"}
    result = deriv.check_many([{"id": 0, "text": tested}], symbols=symbols)[0]
    assert result.steps[0].verdict is Verdict.TESTED
    assert deriv.reward(tested, symbols=symbols) == 1.0
    assert deriv.reward(tested, symbols=symbols, tested=0.5) == 0.5
    assert deriv.reward("no display at all", symbols=symbols, undecided=-1.0) == -1.0


def test_reward_raises_for_the_callers_own_bad_declarations() -> None:
    with pytest.raises(ValueError, match="'A'"):
        deriv.reward("$$ A = A $$", symbols={"A": "matrix N by N"})
    with pytest.raises(TypeError):
        deriv.reward(b"$$ A = A $$", symbols=SQUARE)  # type: ignore[arg-type]


def test_two_threads_at_once_get_what_one_gets() -> None:
    items = [{"id": n, "text": text} for n, text in enumerate(
        ["$$ (A B)^T = B^T A^T $$", "$$ A B = B A $$", "$$ \\operatorname{tr}(A B) = \\operatorname{tr}(B A) $$",
         "$$ (A + B)^T = A^T + B^T $$"] * 2)]
    alone = deriv.check_many(items, symbols=SQUARE)
    found: dict[int, list] = {}
    threads = [threading.Thread(target=lambda n=n: found.__setitem__(n, deriv.check_many(items, symbols=SQUARE, jobs=2)))
               for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert without_times(found[0]) == without_times(alone) == without_times(found[1])


def test_one_item_that_hangs_and_one_that_crashes_its_worker_cost_only_their_budget() -> None:
    # In a fresh interpreter the workers are forked from it and inherit the patched
    # decide_equal: one step sleeps with the in-process alarm blocked, one kills its worker.
    script = misbehaving_decider(hang="77", crash="99") + textwrap.dedent('''
        import json, time
        import deriv
        texts = ["$$ x + x = 2 x $$", "$$ 77 x = 77 x $$", "$$ x = x $$", "$$ 99 x = 99 x $$", "$$ \\\\frac{ $$",
                 "$$ x x = x^2 $$"]
        started = time.monotonic()
        results = deriv.check_many([{"id": n, "text": t} for n, t in enumerate(texts)], symbols={"x": "scalar"},
                                   timeout=0.5)
        print(json.dumps([round(time.monotonic() - started)] + [[s.verdict.value for s in r.steps] for r in results]))
    ''')
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    seconds, *found = json.loads(done.stdout)
    assert found == [["proved"], ["timeout"], ["proved"], ["error"], ["error"], ["proved"]], done.stderr
    assert seconds < 30


def run_cli(args: list[str], stdin: str | None = None):
    return CliRunner().invoke(main, ["check", *args], input=stdin)


def test_cli_batch_writes_one_json_line_per_input_line_and_exits_0(tmp_path) -> None:
    lines = [json.dumps({"id": "a", "text": "$$ (A B)^T = B^T A^T $$"}), "not json", "",
             json.dumps({"id": "b", "text": "$$ A B = B A $$"}), json.dumps([1, 2])]
    batch = tmp_path / "items.jsonl"
    batch.write_text("\n".join(lines) + "\n")
    shared = tmp_path / "symbols.yaml"
    shared.write_text("symbols:\n  A: matrix N x N\n  B: matrix N x N\n")
    result = run_cli(["--batch", str(batch), "--symbols", str(shared)])
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.output.splitlines()]
    assert [o["id"] for o in out] == ["a", None, "b", None]
    assert [o["first_wrong"] for o in out] == [None, None, 0, None]
    assert out[0]["steps"][0]["verdict"] == "proved" and out[2]["steps"][0]["counterexample"] is not None
    assert out[1]["error"].startswith("line 2: not JSON") and out[3]["error"].startswith("line 5: an item")


def test_cli_batch_reads_standard_input() -> None:
    item = json.dumps({"id": 1, "text": "$$ x + y = y + x $$", "symbols": {"x": "scalar", "y": "scalar"}})
    result = run_cli(["--batch", "-"], stdin=item + "\n")
    assert result.exit_code == 0 and json.loads(result.output)["steps"][0]["verdict"] == "proved"


@pytest.mark.parametrize("args, says", [
    (["--symbols", "s.yaml"], "give --batch"),
    (["--batch", "-", "derivations"], "give no PATH"),
])
def test_cli_batch_usage_errors(args, says) -> None:
    result = run_cli(args, stdin="")
    assert result.exit_code == 2 and says in result.output


def test_cli_batch_symbols_file_is_read_as_a_front_matter(tmp_path) -> None:
    shared = tmp_path / "symbols.yaml"
    shared.write_text("title: t\nsymbols:\n  A: matrix N x N\n")
    result = run_cli(["--batch", "-", "--symbols", str(shared)], stdin="")
    assert result.exit_code == 2 and "'title' belongs in a document" in result.output
    shared.write_text("symbols:\n  y: scalar\n  n: scalar\n")  # YAML 1.1 would read y and n as booleans
    item = json.dumps({"id": 1, "text": "$$ y n = n y $$"})
    result = run_cli(["--batch", "-", "--symbols", str(shared)], stdin=item + "\n")
    assert json.loads(result.output)["steps"][0]["verdict"] == "proved"
