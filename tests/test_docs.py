"""The documentation (README.md, docs/, benchmarks/README.md): its Python examples run as
doctests, the format tour is proved, every link resolves, every module is in the layout."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md")), REPO / "benchmarks" / "README.md"]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_the_examples_run_as_doctests(page: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(REPO)  # the examples name derivations/ relative to the repository
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    results = doctest.testfile(str(page), module_relative=False, optionflags=flags, globs={}, raise_on_error=False)
    assert results.failed == 0, capsys.readouterr().out


def test_the_library_page_has_its_examples() -> None:
    found = doctest.DocTestParser().get_examples((REPO / "docs" / "library.md").read_text(encoding="utf-8"))
    assert len(found) >= 15


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_relative_link_resolves(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        if not re.match(r"[a-z]+:", target):
            assert (page.parent / target).exists(), f"{page.name}: {target}"


def test_the_readme_is_what_a_newcomer_reads_in_five_minutes() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(readme.encode()) < 15_000
    for heading in ("## Quickstart", "## An example", "## Documentation"):
        assert heading in readme


def test_every_module_is_in_the_architecture_pages_layout() -> None:
    layout = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8").split("## Layout", 1)[1]
    package = REPO / "deriv"
    missing = [str(p.relative_to(package)) for p in package.rglob("*.py")
               if f"`{p.relative_to(package)}`" not in layout]
    assert not missing, f"add to docs/architecture.md's layout: {missing}"


def test_the_format_tour_is_one_document_whose_steps_are_all_proved() -> None:
    import deriv
    from deriv.check.options import CheckOptions

    page = (REPO / "docs" / "format.md").read_text(encoding="utf-8")
    section = page.split("## Format tour", 1)[1]
    block = section.split("```markdown\n", 1)[1].split("\n```\n", 1)[0]
    result = deriv.check_text(block + "\n", options=CheckOptions(isolate=False))
    assert result.error is None, result.error
    assert [s.verdict.value for s in result.steps] == ["proved"] * 15, [(s.line, s.message) for s in result.steps]


def test_every_line_of_the_construct_table_gets_its_verdict() -> None:
    import deriv
    from deriv.check.options import CheckOptions

    page = (REPO / "docs" / "format.md").read_text(encoding="utf-8")
    section = page.split("## Every construct, one line each", 1)[1].split("\n## ", 1)[0]
    front = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    rows = [line.split(" | ") for line in section.splitlines() if line.startswith("| ") and "`$$" in line]
    displays = [cells[1].strip("` ").replace("\\|", "|") for cells in rows]
    expected = [cells[2].strip(" |") for cells in rows]
    text = "---\n" + front + "---\n\n" + "\n".join(f"{d}\n" for d in displays)
    result = deriv.check_text(text, options=CheckOptions(isolate=False))
    assert result.error is None, result.error
    assert [s.verdict.value for s in result.steps] == expected, [(s.rhs, s.message) for s in result.steps]
    assert len(rows) >= 20
