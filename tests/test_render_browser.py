"""The HTML report in a real browser: headless Chromium renders it, measures it, photographs it.

``deriv report`` writes the bundled derivations and one wrong document; a
copy of the page with a measuring script appended is opened with
``--dump-dom``, and the script writes what the browser laid out (the size
of every ``<math>``, the box, colours and text of every verdict mark, the
height of a display-style sum) into the DOM, which Chromium prints.  A
screenshot of the page itself is saved under the test's temporary folder,
for a person to look at.  No Python dependency: the browser is driven by
its command line.

Chromium is Debian's ``chromium`` package (``.ci/run`` installs it when it
is missing, with a math font).  Where no browser can be installed the test
is skipped, loudly: a warning in pytest's summary says so.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from deriv.cli import main

REPO = Path(__file__).resolve().parents[1]
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

WRONG = r"""---
title: A wrong step, for the report's failure marks
symbols:
  A: matrix N x N
---
The first step is right, the second swaps the indices of $A$.

$$ \sum_k \delta_{i,k} A_{k,j} = A_{i,j} \tag{1} $$

$$ \sum_k \delta_{i,k} A_{j,k} = A_{i,j} \tag{2} $$
"""

#: Appended to a copy of the report: measures the layout and writes it into the DOM as JSON.
MEASURE = """
<script>
function box(e) { const r = e.getBoundingClientRect(); return [r.width, r.height]; }
function measure() {
  const marks = [...document.querySelectorAll('.marks .mark')].map(e => {
    const s = getComputedStyle(e);
    return {text: e.textContent, box: box(e), color: s.color, background: s.backgroundColor,
            visibility: s.visibility, display: s.display, opacity: s.opacity};
  });
  const sums = [...document.querySelectorAll('math[display=block] mo')].filter(e => e.textContent === '\\u2211');
  const size = parseFloat(getComputedStyle(document.querySelector('math')).fontSize);
  const out = {maths: [...document.querySelectorAll('math')].map(box), marks,
               sum_heights: sums.map(e => box(e)[1]), font_size: size};
  const pre = document.createElement('pre');
  pre.id = 'deriv-measurements';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
}
document.fonts.ready.then(measure);
</script>
"""


def without_policy(page: str) -> str:
    """The page without its Content-Security-Policy, so that a script appended to it runs."""
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">\n', page)
    assert policy, "the report carries no Content-Security-Policy"
    return page.replace(policy.group(), "")


def find_browser() -> str | None:
    for name in (os.environ.get("DERIV_CHROMIUM", ""), *BROWSERS):
        if name and (path := shutil.which(name)):
            return path
    return None


def run_browser(browser: str, profile: Path, *args: str) -> str:
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
               "--disable-extensions", f"--user-data-dir={profile}", *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, f"{browser} failed ({done.returncode}): {done.stderr[-2000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def browser() -> str:
    found = find_browser()
    if found is None:
        reason = ("NO BROWSER: the HTML report was not rendered in a browser. Install Chromium "
                  "(apt-get install chromium fonts-dejavu-extra; .ci/run does) or set DERIV_CHROMIUM.")
        warnings.warn(reason, pytest.PytestWarning, stacklevel=1)
        pytest.skip(reason)
    return found


def test_the_report_renders_its_mathematics_and_marks_in_chromium(browser: str, tmp_path: Path) -> None:
    (tmp_path / "wrong.md").write_text(WRONG, encoding="utf-8")
    page = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", str(REPO / "derivations"), str(tmp_path / "wrong.md"),
                                       "-o", str(page)])
    assert result.exit_code == 1, result.output  # the wrong step is refuted
    text = page.read_text(encoding="utf-8")
    measuring = tmp_path / "measure.html"
    measuring.write_text(without_policy(text).replace("</body>", MEASURE + "</body>"), encoding="utf-8")

    dom = run_browser(browser, tmp_path / "profile", "--virtual-time-budget=10000", "--dump-dom",
                      measuring.as_uri())
    found = re.search(r'<pre id="deriv-measurements">(.*?)</pre>', dom, re.DOTALL)
    assert found, "the measuring script did not run: " + dom[-500:]
    data = json.loads(found.group(1).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))

    # Every <math> of the page was laid out with a size: nothing collapsed or hidden.
    assert len(data["maths"]) == text.count("<math ") > 56
    assert all(w > 0 and h > 0 for w, h in data["maths"]), [m for m in data["maths"] if not (m[0] and m[1])]
    # One visible mark per step, its word and symbol readable, its colour not its background's.
    marks = data["marks"]
    steps = int(re.search(r"\((\d+) steps", result.output).group(1))  # type: ignore[union-attr]
    assert len(marks) == steps > 76  # the bundled derivations' steps, and WRONG's two
    for mark in marks:
        assert mark["box"][0] > 10 and mark["box"][1] > 5, mark
        assert mark["visibility"] == "visible" and mark["display"] != "none" and mark["opacity"] == "1", mark
        assert mark["color"] != mark["background"], mark
    words = [m["text"].split(maxsplit=1) for m in marks]
    assert {w for _, w in words} == {"proved", "expected-fail", "refuted"}
    assert all(len(symbol) == 1 for symbol, _ in words)
    # Display style, with a math font: a sum is drawn larger than the text around it.
    assert data["sum_heights"] and min(data["sum_heights"]) > 1.2 * data["font_size"], (
        "\\sum is drawn small: no OpenType MATH font was found (install fonts-dejavu-extra)")

    screenshot = tmp_path / "report.png"
    run_browser(browser, tmp_path / "profile", f"--screenshot={screenshot}", "--window-size=1200,2600",
                page.as_uri())
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and screenshot.stat().st_size > 50_000
    print(f"screenshot: {screenshot}")


#: Appended to a copy of a hostile report: did anything run, is the refutation on top, did the style apply?
INSPECT = """
<script NONCE>
setTimeout(() => {
  const outcome = document.querySelector('.outcome'), r = outcome.getBoundingClientRect();
  const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  const placed = [...document.querySelectorAll('body *')].filter(
    e => ['fixed', 'absolute', 'sticky'].includes(getComputedStyle(e).position));
  const refuted = document.querySelector('.failures .mark.refuted');
  const out = {title: document.title, pwned: document.documentElement.hasAttribute('data-pwned'),
               outcome: outcome.textContent, on_top: outcome.contains(top), placed: placed.length,
               refuted_listed: !!refuted, refuted_visible: !!refuted && refuted.getBoundingClientRect().height > 5,
               refuted_background: refuted ? getComputedStyle(refuted).backgroundColor : '',
               scripts: document.scripts.length, frames: document.querySelectorAll('iframe,object,embed,img').length};
  const pre = document.createElement('pre');
  pre.id = 'deriv-inspection';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
}, 1000);
</script>
"""


def hostile_report(tmp_path: Path, payloads: list[str], hostile_document: Callable[[str], str]) -> str:
    """``deriv report`` of one document per payload of tests/hostile/report.txt, each beside a refuted step."""
    folder = tmp_path / "hostile"
    folder.mkdir()
    for number, payload in enumerate(payloads):
        (folder / f"{number:02d}.md").write_text(hostile_document(payload), encoding="utf-8")
    page = tmp_path / "hostile.html"
    result = CliRunner().invoke(main, ["report", str(folder), "-o", str(page)])
    assert result.exit_code == 2 and f"{len(payloads)} refuted" in result.output, result.output
    return page.read_text(encoding="utf-8")


def inspect(browser: str, tmp_path: Path, name: str, page: str) -> dict:
    path = tmp_path / f"{name}.html"
    path.write_text(page, encoding="utf-8")
    dom = run_browser(browser, tmp_path / "profile", "--virtual-time-budget=5000", "--dump-dom", path.as_uri())
    found = re.search(r'<pre id="deriv-inspection">(.*?)</pre>', dom, re.DOTALL)
    assert found, f"{name}: the inspecting script did not run: " + dom[-500:]
    return json.loads(found.group(1).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))


def test_a_hostile_report_runs_nothing_and_keeps_its_refutation_on_top(
        browser: str, tmp_path: Path, report_payloads: list[str], hostile_document: Callable[[str], str]) -> None:
    page = hostile_report(tmp_path, report_payloads, hostile_document)
    expected = {"title": "deriv report", "pwned": False, "on_top": True, "placed": 0, "refuted_listed": True,
                "refuted_visible": True, "scripts": 1, "frames": 0}
    # The escaping and the sanitiser alone, with the policy taken out: no payload runs.
    bare = inspect(browser, tmp_path, "bare", without_policy(page).replace("</body>", INSPECT.replace("NONCE", "") + "</body>"))
    assert {k: bare[k] for k in expected} == expected, bare
    assert bare["outcome"].startswith("Some steps "), bare
    # The page as written, only the inspecting script let in by a nonce: the style sheet's hash is
    # right (the verdict's colour is drawn) and nothing else runs.
    nonce = "deriv-test-nonce"
    allowed = page.replace(html.escape("default-src 'none';"),
                           html.escape(f"default-src 'none'; script-src 'nonce-{nonce}';"), 1)
    assert allowed != page
    inspected = inspect(browser, tmp_path, "policy", allowed.replace(
        "</body>", INSPECT.replace("NONCE", f'nonce="{nonce}"') + "</body>"))
    assert {k: inspected[k] for k in expected} == expected, inspected
    assert inspected["refuted_background"] not in ("", "rgba(0, 0, 0, 0)"), inspected
    # The policy alone: a script that got past everything else does not run.
    breached = tmp_path / "breached.html"
    breached.write_text(page.replace("</body>", "<script>document.title='PWNED'</script>"
                                     "<img src=x onerror=\"document.title='PWNED'\"></body>"), encoding="utf-8")
    dom = run_browser(browser, tmp_path / "profile", "--virtual-time-budget=3000", "--dump-dom", breached.as_uri())
    assert re.search(r"<title>(.*?)</title>", dom).group(1) == "deriv report"  # type: ignore[union-attr]


#: The constructs of matrix calculus, each drawn in a display of its own.
CONSTRUCTS = {
    "partial": r"\frac{\partial}{\partial X_{m,n}} \operatorname{tr}(A X)",
    "double_sum": r"\sum_{i,j} A_{i,j} B_{i,j}",
    "bracket_entry": r"\left[ X W^T \right]_{m,n}",
    "plain_bracket_entry": r"[X]_{m,n}",
    "underbrace": r"\underbrace{\sum_k X_{i,k} W_{j,k}}_{[X W^T]_{i,j}}",
    "bold": r"\mathbf{x}^\top \mathbf{A} \mathbf{x}",
    "hadamard": r"A \circ B^\top",
    "bmatrix_inverse": r"\begin{bmatrix} a & b \\ c & d \end{bmatrix}^{-1}",
    "aligned": r"\begin{aligned} f &= \operatorname{tr}(A X) \\ &= \sum_{i,k} A_{i,k} X_{k,i} \end{aligned}",
}

#: Measures each construct's parts and writes them into the DOM as JSON.
CONSTRUCT_MEASURE = """
<script>
function rect(e) { const r = e.getBoundingClientRect(); return {l: r.left, t: r.top, r: r.right, b: r.bottom, h: r.height}; }
document.fonts.ready.then(() => {
  const out = {};
  for (const d of document.querySelectorAll('div[data-construct]')) {
    const m = d.querySelector('math');
    const tables = [...m.querySelectorAll('mtable')], sums = [...m.querySelectorAll('mo')].filter(e => e.textContent === '\\u2211');
    out[d.dataset.construct] = {
      math: rect(m), font: parseFloat(getComputedStyle(m).fontSize), fallback: !!d.querySelector('code'),
      table_font: tables.map(t => parseFloat(getComputedStyle(t).fontSize)),
      scripts: [...m.querySelectorAll('msup, msub')].map(e => ({base: rect(e.children[0]), script: rect(e.children[1])})),
      sums: sums.map(s => ({sum: rect(s), limit: s.nextElementSibling ? rect(s.nextElementSibling) : null,
                            under: s.parentElement.tagName.toLowerCase()})),
      brackets: [...m.querySelectorAll('mo')].filter(e => '[]'.includes(e.textContent)).map(rect),
      equals: [...m.querySelectorAll('mo')].filter(e => e.textContent === '=').map(rect),
    };
  }
  const pre = document.createElement('pre'); pre.id = 'deriv-constructs'; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>
"""


def test_the_constructs_of_matrix_calculus_are_drawn_as_written(browser: str, tmp_path: Path) -> None:
    from deriv.render.mathml import to_mathml
    from deriv.render.style import CSS

    body = "".join(f'<div class="display" data-construct="{name}">{to_mathml(tex)}</div>'
                   for name, tex in CONSTRUCTS.items())
    page = tmp_path / "constructs.html"
    page.write_text(f"<!DOCTYPE html><html><head><meta charset='utf-8'><style>{CSS}</style></head>"
                    f"<body class='deriv'>{body}{CONSTRUCT_MEASURE}</body></html>", encoding="utf-8")
    dom = run_browser(browser, tmp_path / "profile", "--virtual-time-budget=10000", "--dump-dom", page.as_uri())
    found = re.search(r'<pre id="deriv-constructs">(.*?)</pre>', dom, re.DOTALL)
    assert found, "the measuring script did not run: " + dom[-500:]
    data = json.loads(found.group(1).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))
    assert not [name for name, d in data.items() if d["fallback"]]  # every construct is drawn, none as TeX
    font = data["partial"]["font"]
    # A bracketed matrix with a script: the table keeps the display's size, the script sits at its top right.
    inverse = data["bmatrix_inverse"]
    assert inverse["table_font"] == [font] and inverse["math"]["h"] > 2 * font
    [script] = [s for s in inverse["scripts"] if s["base"]["h"] > 2 * font]
    assert script["script"]["l"] >= script["base"]["r"] - 1 and script["script"]["b"] < script["base"]["b"]
    # A sum under a brace keeps its limit below it, as every display sum does.
    for name in ("underbrace", "double_sum"):
        assert all(s["under"] == "munder" and s["limit"]["t"] >= s["sum"]["b"] - 2 for s in data[name]["sums"]), name
    # Brackets written without \left..\right do not stretch; with them they enclose the row.
    assert all(b["h"] < 1.6 * font for b in data["plain_bracket_entry"]["brackets"])
    # aligned: one row per line, the equals signs one above the other.
    first, second = data["aligned"]["equals"]
    assert abs(first["l"] - second["l"]) < 1 and second["t"] > first["b"]
    screenshot = tmp_path / "constructs.png"
    run_browser(browser, tmp_path / "profile", f"--screenshot={screenshot}", "--window-size=900,1400", page.as_uri())
    print(f"screenshot: {screenshot}")
