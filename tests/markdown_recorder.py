"""A pytest plugin that compares Markdown's two readers on every document a test run parses.

    PYTHONPATH=tests .venv/bin/python -m pytest -p markdown_recorder tests/test_read_*.py

Each text ``parse_document`` reads is also read by the text-search scanner
(the reference of ``tests/test_read_markdown_parser.py``); the run ends with
the number of distinct documents and those that read differently (displays,
lines, columns, problems, declarations, macros), each written (if any) to
``markdown-differences.txt`` in the current folder.
"""

from __future__ import annotations

from pathlib import Path

import deriv.read.document as reading

_texts: set[str] = set()
_original = reading.markdown_math


def _recording(text: str, start: int, html: bool = True):  # type: ignore[no-untyped-def]
    _texts.add(text)
    return _original(text, start, html)


def pytest_configure(config) -> None:  # type: ignore[no-untyped-def]
    reading.markdown_math = _recording  # type: ignore[assignment]


def pytest_unconfigure(config) -> None:  # type: ignore[no-untyped-def]
    reading.markdown_math = _original  # type: ignore[assignment]
    from test_read_markdown_parser import searched, seen

    differ = [text for text in sorted(_texts) if seen(reading.parse_document, text) != seen(searched, text)]
    if differ:
        Path("markdown-differences.txt").write_text("\n\n=====\n\n".join(differ), encoding="utf-8")
    print(f"\nmarkdown_recorder: {len(_texts)} documents, {len(differ)} read differently")
