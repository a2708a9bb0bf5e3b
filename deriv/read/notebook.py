"""Jupyter notebooks (``.ipynb``): their Markdown cells, in order, as one Markdown text.

The JSON is read with the standard library: deriv needs the cells' type and
source and the notebook's metadata, which nbformat 4 has kept stable; nbformat
itself would add jsonschema, traitlets and jupyter_core to every install to
validate what is not read.  A format-3 notebook (``worksheets``) is refused
with the command that upgrades it.

Declarations: the first Markdown cell's front matter (as in a Markdown
file), or the notebook metadata's ``deriv`` key (what ``Edit Notebook
Metadata`` writes), not both.  Cells are joined with a blank line and an empty HTML comment between, so
nothing runs from one cell into the next -- no display, list item, quote or
comment (a fence left open at a cell's end is closed on the blank line);
Jupyter renders each cell on its own.  Each cell's first line in the
joined text is kept so that every location says its cell (counted among all
cells, code too, from 1, as Jupyter's cell list shows them) and its line.
"""

from __future__ import annotations

import json

import yaml

from deriv.errors import InputError
from deriv.read.blocks import open_fence

#: The line after each cell: an HTML block, which ends every list and quote the cell leaves open
#: (the next cell's indented line is then code, as Jupyter shows it, not a list item's
#: paragraph) and closes an HTML comment the cell leaves open (Jupyter ends it with the cell).
CELL_END = "<!-- -->"
#: (first line in the joined text, cell number): where each Markdown cell went.
CellStarts = tuple[tuple[int, int], ...]


def notebook_markdown(text: str, path: str | None = None) -> tuple[str, CellStarts]:
    """The Markdown of a notebook's JSON ``text`` and where its cells start."""
    notebook = _load(text, path)
    cells = notebook.get("cells")
    if not isinstance(cells, list):
        hint = ("; it is nbformat 3: upgrade it with jupyter nbconvert --to notebook --inplace"
                if "worksheets" in notebook else "")
        raise InputError(f"not a Jupyter notebook: no list of cells{hint}", path=path, line=1)
    parts: list[str] = []
    starts: list[tuple[int, int]] = []
    line = 1
    header = _metadata_front(notebook.get("metadata"), path)
    if header:
        parts.append(header + "\n")
        line += header.count("\n") + 2  # its lines and the blank line after it
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "markdown":
            continue
        source = _source(cell.get("source"), number, path)
        if header and not starts and source.split("\n", 1)[0].rstrip() == "---":  # a front matter's opening
            raise InputError("declarations both in the notebook metadata 'deriv' and in the first Markdown "
                             f"cell's front matter (cell {number}): keep one", path=path, line=1)
        starts.append((line, number))
        parts.append(f"{source}\n{open_fence(source) or ''}\n{CELL_END}")
        line += source.count("\n") + 3  # a line blank or closing a fence, then CELL_END
    return "\n".join(parts), tuple(starts)


def cell_line(starts: CellStarts, line: int) -> tuple[int, int] | None:
    """(cell, line in the cell) of a line of the joined text; None before the first cell."""
    found = None
    for first, number in starts:
        if first > line:
            break
        found = (number, line - first + 1)
    return found


def notebook_place(starts: CellStarts, line: int) -> str:
    """``cell 3 line 2``, or where in the metadata's declarations (joined as front matter) ``line`` is."""
    found = cell_line(starts, line)
    if found is None and not starts and line <= 1:
        return "notebook (no Markdown cell)"
    if found is None:
        return f"notebook metadata 'deriv', line {line - 1} of it as YAML"
    return f"cell {found[0]} line {found[1]}"


def _load(text: str, path: str | None) -> dict:
    try:
        notebook = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"notebook is not valid JSON: {error.msg}", path=path, line=error.lineno,
                         column=error.colno) from None
    except RecursionError:
        raise InputError("notebook is nested too deeply to read", path=path, line=1) from None
    except ValueError:  # the one other thing json raises: a number of more digits than Python converts
        raise InputError("notebook is not readable JSON: it holds a number of more than 4300 digits", path=path,
                         line=1) from None
    if not isinstance(notebook, dict):
        raise InputError("not a Jupyter notebook: its JSON is not an object", path=path, line=1)
    return notebook


def _source(source: object, number: int, path: str | None) -> str:
    """A cell's source: nbformat writes a list of lines (each with its newline) or one string."""
    if isinstance(source, list) and all(isinstance(part, str) for part in source):
        source = "".join(source)
    if not isinstance(source, str):
        raise InputError(f"cell {number}: its source is not text", path=path, line=1)
    return source.replace("\r\n", "\n").replace("\r", "\n").removesuffix("\n")


def _metadata_front(metadata: object, path: str | None) -> str:
    """The metadata's ``deriv`` declarations as a front matter block, or ''."""
    if not isinstance(metadata, dict) or metadata.get("deriv") is None:
        return ""
    declarations = metadata["deriv"]
    if not isinstance(declarations, dict):
        raise InputError("notebook metadata 'deriv' must be an object of deriv's keys (symbols, indices, ...)",
                         path=path, line=1)
    body = yaml.safe_dump(declarations, sort_keys=False, allow_unicode=True, width=10_000)
    return f"---\n{body}---"
