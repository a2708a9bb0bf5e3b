"""The LALR parser's shipped table (deriv.latex.grammar): current, equivalent, read-only."""

from __future__ import annotations

from pathlib import Path

import pytest

from deriv.latex import grammar
from deriv.latex.lexer import tokenize

SAMPLES = [
    r"\left[X W^T\right]_{i,j} = \sum_k X_{i,k} W_{j,k}",
    r"= \frac{\partial g(Y)}{\partial Y_{i,j}} \circ h'(X) + \sqrt{x} - \norm{b}",
    r"\sum_{k=1}^{M} \delta_{k,n} W_{j,k}",
]


def test_the_shipped_table_is_made_from_the_current_grammar() -> None:
    loaded = grammar.load_table(grammar.GRAMMAR.read_text(encoding="utf-8"))
    assert loaded is not None, "grammar.lark changed (or lark did): run python -m deriv.latex.grammar"


@pytest.mark.parametrize("math", SAMPLES)
def test_the_table_parses_as_the_grammar_does(math: str) -> None:
    text = grammar.GRAMMAR.read_text(encoding="utf-8")
    loaded = grammar.load_table(text)
    assert loaded is not None
    assert loaded.parse(tokenize(math)) == grammar.analyse(text).parse(tokenize(math))


def test_without_a_table_the_grammar_is_analysed_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(grammar, "TABLE", tmp_path / "missing" / "grammar.lark-table")
    monkeypatch.setattr(grammar, "_parser", None)
    parser = grammar.lalr_parser()
    assert parser.parse(tokenize(SAMPLES[0]))
    assert list(tmp_path.iterdir()) == []


def test_a_table_from_another_grammar_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stale = tmp_path / "grammar.lark-table"
    stale.write_bytes(grammar.table_key("start: OTHER") + b"\n" + grammar.TABLE.read_bytes().partition(b"\n")[2])
    monkeypatch.setattr(grammar, "TABLE", stale)
    assert grammar.load_table(grammar.GRAMMAR.read_text(encoding="utf-8")) is None
