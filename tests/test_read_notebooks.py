"""Reading, Jupyter notebooks (docs/format.md): Markdown cells in order, declarations, cell locations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import deriv
from deriv.errors import InputError
from deriv.read.notebook import cell_line, notebook_markdown
from deriv.read.selection import select

SYMBOLS = {"symbols": {"x": "scalar"}}


def _notebook(*cells: tuple[str, str], metadata: dict | None = None) -> str:
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": metadata or {},
                       "cells": [{"cell_type": kind, "metadata": {}, "source": text.splitlines(keepends=True)}
                                 for kind, text in cells]})


def _check(tmp_path: Path, text: str) -> deriv.FileResult:
    path = tmp_path / "nb.ipynb"
    path.write_text(text)
    return deriv.check_file(path)


def test_declarations_in_the_metadata(tmp_path: Path) -> None:
    text = _notebook(("markdown", "Prose.\n\n$$ x + x = 2 x $$"), ("code", "x = 1\n$$ x = 3 x $$"),
                     ("markdown", "$$ x + x = 3 x $$"), metadata={"deriv": SYMBOLS})
    result = _check(tmp_path, text)
    assert [(s.cell, s.verdict.value) for s in result.steps] == [((1, 3), "proved"), ((3, 1), "refuted")]


def test_declarations_in_the_first_cells_front_matter(tmp_path: Path) -> None:
    text = _notebook(("code", "import numpy"), ("markdown", "---\nsymbols:\n  x: scalar\n---\n# Title"),
                     ("markdown", "<!-- deriv: expect-fail -->\n$$ x + x = 3 x $$"))
    result = _check(tmp_path, text)
    assert result.title == "Title"
    assert [(s.cell, s.verdict.value) for s in result.steps] == [((3, 2), "expected-fail")]


def test_a_display_never_runs_from_one_cell_into_the_next(tmp_path: Path) -> None:
    result = _check(tmp_path, _notebook(("markdown", "$$ x + x"), ("markdown", "= 2 x $$"),
                                        metadata={"deriv": SYMBOLS}))
    assert [(s.cell, s.verdict.value) for s in result.steps] == [((1, 1), "error"), ((2, 1), "error")]
    assert all("unclosed" in s.message for s in result.steps)


def test_a_fence_open_at_a_cells_end_ends_there(tmp_path: Path) -> None:
    result = _check(tmp_path, _notebook(("markdown", "```python\n$$ x = 3 x $$"), ("markdown", "$$ x + x = 3 x $$"),
                                        ("markdown", "> ```\n> code"), ("markdown", "$$ x = x $$"),
                                        metadata={"deriv": SYMBOLS}))
    assert [(s.cell, s.verdict.value) for s in result.steps] == [((2, 1), "refuted"), ((4, 1), "proved")]


@pytest.mark.parametrize(("text", "message"), [
    ("{", "notebook is not valid JSON"),
    ("[1]", "its JSON is not an object"),
    ('{"worksheets": [], "metadata": {}}', "nbformat 3"),
    ('{"cells": [{"cell_type": "markdown", "source": 3}]}', "cell 1: its source is not text"),
    ('{"cells": [], "metadata": {"deriv": [1]}}', "metadata 'deriv' must be an object"),
])
def test_unreadable_notebooks(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        notebook_markdown(text, "nb.ipynb")


def test_declarations_in_both_places_is_an_error() -> None:
    text = _notebook(("markdown", "---\nsymbols:\n  x: scalar\n---"), metadata={"deriv": SYMBOLS})
    with pytest.raises(InputError, match="both in the notebook metadata"):
        notebook_markdown(text)


def test_a_file_error_is_reported_not_raised(tmp_path: Path) -> None:
    result = _check(tmp_path, "{")
    assert result.error and "not valid JSON" in result.error and result.error_line == 1


@pytest.mark.parametrize(("metadata", "cells", "where"), [
    ({"deriv": {"symbols": {"x": "blah"}}}, [("markdown", "$$ x = x $$")], "notebook metadata 'deriv', line 2 of it as YAML"),
    (None, [("code", "1"), ("markdown", "---\nsymbols:\n  x: blah\n---")], "cell 2 line 3"),
])
def test_a_declaration_error_says_where_in_the_notebook(tmp_path: Path, metadata, cells, where: str) -> None:
    result = _check(tmp_path, _notebook(*cells, metadata=metadata))
    assert result.error and result.error.startswith(where + ": ") and result.error_line is None


def test_folder_selection(tmp_path: Path) -> None:
    (tmp_path / "a.ipynb").write_text(_notebook(("markdown", "$$ x = x $$"), metadata={"deriv": SYMBOLS}))
    (tmp_path / "b.ipynb").write_text(_notebook(("markdown", "# Plots"), ("code", "plot()")))
    (tmp_path / "c.ipynb").write_text(_notebook(("markdown", "$$ x + x = 3 x $$")))
    (tmp_path / "d.ipynb").write_text("{ not json")
    assert select(tmp_path / "a.ipynb") is None
    assert not select(tmp_path / "b.ipynb").suspicious
    assert select(tmp_path / "c.ipynb").suspicious
    assert "can not be read" in select(tmp_path / "d.ipynb").reason


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["markdown", "code", "raw"]),
                          st.lists(st.sampled_from(["a", "", "$x$", "b c"]), min_size=1, max_size=4)),
                max_size=6),
       st.booleans())
def test_every_joined_line_maps_back_to_its_cell(cells: list, header: bool) -> None:
    """An independent reference: each Markdown cell's line k is line k of that cell."""
    text = _notebook(*((kind, "\n".join(lines)) for kind, lines in cells),
                     metadata={"deriv": SYMBOLS} if header else None)
    joined, starts = notebook_markdown(text)
    rows = joined.split("\n")
    for number, (kind, lines) in enumerate(cells, start=1):
        if kind != "markdown":
            continue
        first = next(line for line, cell in starts if cell == number)
        for k, content in enumerate("\n".join(lines).removesuffix("\n").split("\n"), start=1):
            assert rows[first + k - 2] == content
            assert cell_line(starts, first + k - 1) == (number, k)
