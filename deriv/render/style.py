"""The HTML report's style sheet, inlined into every page (no external files).

Every rule is scoped under ``.deriv``, so the same sheet can sit inside a
notebook cell without restyling the notebook.

Mathematics needs an OpenType MATH font for stretchy fences and large
operators (measured in Chromium: with an ordinary serif font ``\\left[``
does not stretch around a fraction and ``\\sum`` is a small sigma).  A
self-contained page can not ship one without tripling its size, so the
sheet names the math fonts that systems have: Cambria Math (Windows), STIX
Two Math (macOS), Latin Modern / DejaVu Math TeX Gyre (Linux, e.g. Debian's
fonts-dejavu-extra), then the generic ``math``.

Verdict colours pair a pale background with dark text (contrast above 7:1);
the symbol and word beside the colour carry the same information.
"""

from __future__ import annotations

CSS = """\
.deriv { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
  color: #1f2328; max-width: 62rem; margin: 0 auto; padding: 0 1rem 3rem; }
.deriv math { font-family: "Cambria Math", "STIX Two Math", "Latin Modern Math", "DejaVu Math TeX Gyre",
  "TeX Gyre Termes Math", "Noto Sans Math", math; font-size: 1.1em; }
.deriv h1 { font-size: 1.6rem; margin: 1.2rem 0 .4rem; }
.deriv h2 { font-size: 1.25rem; margin: 2rem 0 .6rem; border-bottom: 1px solid #d0d7de; padding-bottom: .2rem; }
.deriv h2 .title { font-weight: normal; color: #57606a; margin-left: .5rem; }
.deriv h3, .deriv h4, .deriv h5, .deriv h6 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
.deriv code, .deriv pre { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
  font-size: .88em; }
.deriv pre { white-space: pre-wrap; background: #f6f8fa; padding: .4rem .6rem; border-radius: 4px; }
.deriv code.tex { background: #fff8c5; padding: 0 .25rem; border-radius: 3px; }
.deriv .summary { border-bottom: 2px solid #d0d7de; padding-bottom: .6rem; }
.deriv .counts .total, .deriv .seed { color: #57606a; }
.deriv .outcome { font-weight: 600; }
.deriv .status-0 { color: #116329; } .deriv .status-1 { color: #a40e26; } .deriv .status-2 { color: #7d4e00; }
.deriv .failures li { margin: .15rem 0; }
.deriv .display { display: grid; grid-template-columns: minmax(0, 1fr) auto minmax(9rem, auto); gap: .8rem;
  align-items: center; margin: .5rem 0; padding: .15rem .4rem; border-left: 4px solid transparent; }
.deriv .display.failing { border-left-color: #cf222e; background: #fff5f5; }
.deriv .display .math { overflow-x: auto; overflow-y: hidden; padding: .25rem 0; text-align: center; }
.deriv mtd.align-left { text-align: left; } .deriv mtd.align-center { text-align: center; }
.deriv mtd.align-right { text-align: right; }
.deriv .display .label { color: #57606a; white-space: nowrap; }
.deriv .display .marks { display: flex; flex-direction: column; align-items: flex-start; gap: .2rem; }
.deriv a.step { text-decoration: none; }
.deriv .mark { display: inline-block; white-space: nowrap; font-size: .85rem; font-weight: 600;
  padding: .05rem .5rem; border-radius: 1rem; border: 1px solid; }
.deriv .mark .symbol { font-weight: bold; }
.deriv .mark.proved, .deriv .mark.expected-fail { color: #116329; background: #dafbe1; border-color: #4ac26b; }
.deriv .mark.tested { color: #0a4d6e; background: #ddf4ff; border-color: #54aeff; }
.deriv .mark.skipped { color: #424a53; background: #eaeef2; border-color: #afb8c1; }
.deriv .mark.refuted, .deriv .mark.unexpected-pass { color: #82071e; background: #ffebe9; border-color: #ff8182; }
.deriv .mark.error, .deriv .mark.timeout, .deriv .mark.undecided {
  color: #6b4400; background: #fff8c5; border-color: #d4a72c; }
.deriv dl.details { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .15rem .8rem;
  margin: 0 0 1rem 1rem; padding: .5rem .8rem; background: #f6f8fa; border-radius: 4px; font-size: .92rem; }
.deriv dl.details dt { color: #57606a; font-weight: 600; }
.deriv dl.details dd { margin: 0; overflow-wrap: anywhere; }
.deriv dl.details dd.suggestion { font-weight: 600; }
.deriv dl.details dd pre { margin: 0; padding: .1rem .3rem; background: #fff; }
.deriv .file-error { background: #fff8c5; padding: .5rem .8rem; border-radius: 4px; }
.deriv .where { color: #57606a; }
.deriv blockquote { margin: .5rem 0; padding-left: 1rem; border-left: 3px solid #d0d7de; color: #424a53; }
@media print { .deriv .display.failing { background: none; } }
"""
