"""The report draws what was written (deriv.render.mathml): scripts and fractions with
the right number of parts or escaped TeX, bracketed matrices as a script's base, sums
under braces with limits below, aligned environments as tables (docs/cli.md)."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

import pytest

from deriv.render.mathml import ARITY, MATHML_NS, to_mathml

N = "{" + MATHML_NS + "}"
PIECES = [r"\begin{bmatrix} a & b \\ c & d \end{bmatrix}", r"\begin{pmatrix} x \\ y \end{pmatrix}", r"\left[X\right]",
          r"\underbrace{\sum_k X_{i,k}}_{s}", r"\frac{\partial f}{\partial x}", r"\mathbf{x}", r"(A B)", "A"]
SCRIPTS = ["", "^{-1}", "^T", "_{m,n}", "^\\top", "_{i}^{2}"]


def tree(markup: str) -> ET.Element | None:
    return None if markup.startswith("<code") else ET.fromstring(markup.replace("&#x2061;", "\u2061"))


@pytest.mark.parametrize("piece, script", list(itertools.product(PIECES, SCRIPTS)))
def test_every_script_and_fraction_has_its_parts_or_the_tex_is_shown(piece: str, script: str) -> None:
    root = tree(to_mathml(piece + script + r" \circ B"))
    if root is None:  # only TeX's own error, a double subscript (\underbrace{..}_{s}_{m,n}), is not drawn
        assert piece.startswith(r"\underbrace") and script.startswith("_"), piece + script
        return
    for element in root.iter():
        if element.tag in ARITY:
            assert len(element) == ARITY[element.tag], ET.tostring(element, encoding="unicode")
        assert not (element.tag == N + "mi" and (element.text or "").strip() == "&")


def test_a_bracketed_matrix_is_the_base_of_its_script() -> None:
    root = tree(to_mathml(r"\begin{bmatrix} a & b \\ c & d \end{bmatrix}^{-1}"))
    assert root is not None
    [power] = root.iter(N + "msup")
    base, exponent = list(power)
    assert base.tag == N + "mrow" and [c.tag for c in base] == [N + "mo", N + "mtable", N + "mo"]
    assert "".join(exponent.itertext()) == "\u22121"


def test_a_sum_under_a_brace_keeps_its_limit_below_in_a_display_only() -> None:
    tex = r"\underbrace{\sum_k x_k}_{s}"
    shown = tree(to_mathml(tex))
    inline = tree(to_mathml(tex, display=False))
    assert shown is not None and inline is not None
    assert [e.tag for e in shown.iter() if e.tag in (N + "munder", N + "msub")][:3] == [N + "munder"] * 3
    assert any(e.tag == N + "msub" and e[0].text == "\u2211" for e in inline.iter())


@pytest.mark.parametrize("environment", ["aligned", "split", "gathered"])
def test_aligned_environments_are_tables(environment: str) -> None:
    root = tree(to_mathml(rf"\begin{{{environment}}} f &= a \\ &= b \end{{{environment}}}"))
    assert root is not None
    assert len(list(root.iter(N + "mtr"))) == 2 and not any((e.text or "") == "&" for e in root.iter())


def test_a_script_with_too_many_parts_that_is_not_a_matrix_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    import latex2mathml.converter

    wrong = ('<math xmlns="http://www.w3.org/1998/Math/MathML"><msup><mi>a</mi><mi>b</mi><mi>c</mi></msup></math>')
    monkeypatch.setattr(latex2mathml.converter, "convert", lambda *args, **kwargs: wrong)
    assert to_mathml("a^b").startswith('<code class="tex" title="not rendered: &lt;msup&gt; with 3 parts')
