r"""The author's LaTeX as MathML Core, for the HTML report: TeX in, markup out.

:mod:`latex2mathml` does the conversion; this module post-processes its
output where MathML Core (what Chromium renders) differs from full MathML:

- Core ignores ``mathvariant`` except ``normal`` on a one-character
  ``<mi>``: ``\mathrm{relu}``, which the converter spells as four upright
  letters, becomes one ``<mi>relu</mi>`` (a multi-letter ``<mi>`` is
  upright in Core), and ``\mathrm{d}``, which it spells as an italic ``d``,
  is kept upright;
- ``\operatorname{tr}`` comes out as an operator ``<mo>tr</mo>``, spaced as
  a binary operator; it becomes a name followed by ``&#x2061;`` (function
  application), as are ``\exp``, ``\log`` and the like;
- a bar ``|`` or ``\|`` (also ``\lvert``, ``\rVert``) not made by ``\left``/``\right``
  is given no ``stretchy``, so Chromium's operator dictionary stretches it
  over the whole row and spaces it as an infix operator; bars in one row
  are paired, left to right (as deriv's reader pairs them), as non-stretchy
  prefix and postfix fences, and ``\langle``/``\rangle`` (an ``<mi>``) are made fences;
- a bracketed matrix with a script (``\\begin{bmatrix}..\\end{bmatrix}^{-1}``) comes out
  as a script element of four parts: the bracketed table is grouped as its base; any
  other script or fraction with the wrong number of parts falls back to escaped TeX;
- a sum under ``\\underbrace``/``\\overbrace`` in a display keeps its limits below;
- ``aligned``, ``alignedat``, ``split`` and ``gathered`` are converted as arrays (the
  converter would show their ``&``);
- ``columnalign`` is not honoured; a class of the report's style sheet
  (``align-left``, ...) replaces it -- never a ``style`` attribute, which the
  report's Content-Security-Policy would refuse.

Then the tree is sanitised against an allow-list (:func:`sanitise`), whatever
converter made it: only MathML Core elements that draw what they hold, each
attribute from a fixed set with a value of a fixed form.  ``\href`` (a
link), ``\style`` and ``\class`` (CSS from the document), colours (white on
white hides a term), sizes, and anything unknown are dropped; an element
outside the list (``<script>`` from ``\text{<script>}``, ``<mphantom>``
that hides a term, ``<menclose>`` that Chromium does not draw) makes the
whole display fall back to its escaped TeX.

The TeX is kept in ``<annotation encoding="application/x-tex">`` so that
copying the mathematics copies its source.  TeX the converter can not
handle -- it raises, or passes an unknown command through as
``<mi>\foo</mi>`` -- is shown as escaped TeX instead: never a crash, never
a silently wrong picture.

>>> print(to_mathml(r"\operatorname{tr}(X)", display=False))  # doctest: +ELLIPSIS
<math xmlns="..."><semantics><mrow><mi>tr</mi><mo>&#x2061;</mo>...<annotation encoding="application/x-tex">\operatorname{tr}(X)</annotation></semantics></math>
>>> print(to_mathml(r"\foo + 1"))
<code class="tex" title="not rendered: unknown command \foo">\foo + 1</code>
"""

from __future__ import annotations

import functools
import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

MATHML_NS = "http://www.w3.org/1998/Math/MathML"
_NS = "{" + MATHML_NS + "}"

#: Words that are function names: upright, followed by function application.
FUNCTION_NAMES = frozenset({
    "tr", "Tr", "exp", "log", "ln", "sin", "cos", "tan", "tanh", "sinh", "cosh", "diag", "det",
    "max", "min", "softmax", "softplus", "relu", "logistic", "sigmoid", "sgn", "sign", "arg",
    "cot", "sec", "csc", "arcsin", "arccos", "arctan", "arctanh", "artanh", "erf",
})

#: Bars, which the converter does not pair, and the fences it leaves as identifiers.
BARS = frozenset({"|", "\u2016"})
ANGLES = {"\u27e8": "prefix", "\u27e9": "postfix"}
_BAR_COMMANDS = {"\\lvert": "|", "\\rvert": "|", "\\lVert": "\\|", "\\rVert": "\\|"}
_BAR_COMMAND = re.compile(r"\\[lr][vV]ert(?![A-Za-z])")

#: A ``\tag{...}`` is the step's label, shown beside the display by the report.
_TAG = re.compile(r"\\tag\*?\s*\{[^{}]*\}")
#: ``\mathrm{d}``: the converter drops the font of a single letter; ``\text`` keeps it upright.
_ROMAN_LETTER = re.compile(r"\\mathrm\s*\{\s*([A-Za-z])\s*\}")

ET.register_namespace("", MATHML_NS)


class NotRendered(Exception):
    """The converter could not turn this TeX into trustworthy MathML."""


#: The longest TeX converted (the checker reads no longer display): past it the converter
#: took 40 s on a display of 1 MB, which the report showed as TeX anyway.
MAX_TEX = 20_000


@functools.lru_cache(maxsize=1 << 12)  # prose repeats its inline math ($x$ a hundred thousand times)
def to_mathml(tex: str, *, display: bool = True) -> str:
    """``<math>`` for ``tex``, or the escaped TeX in a ``<code class="tex">`` when it can not be rendered."""
    if len(tex) > MAX_TEX:
        return fallback(tex, f"longer than {MAX_TEX} characters")
    try:
        return _convert(tex, display)
    except NotRendered as exc:
        return fallback(tex, str(exc))
    except Exception as exc:  # noqa: BLE001 - the converter's own errors are many and undocumented
        return fallback(tex, f"{type(exc).__name__}")


def fallback(tex: str, why: str) -> str:
    """The TeX as written, escaped, saying why it is not rendered."""
    return f'<code class="tex" title="not rendered: {html.escape(why)}">{html.escape(tex.strip(), quote=False)}</code>'


def _convert(tex: str, display: bool) -> str:
    # Imported when a report is made, not when deriv is.
    from latex2mathml.converter import convert

    source = _ROMAN_LETTER.sub(r"\\text{\1}", _TAG.sub("", tex))
    source = _BAR_COMMAND.sub(lambda m: " " + _BAR_COMMANDS[m.group()] + " ", source).strip()
    source = _as_arrays(source)
    if not source:
        raise NotRendered("no mathematics")
    root = ET.fromstring(convert(source, display="block" if display else "inline"))
    if not display:
        root.attrib.pop("display", None)  # inline is MathML's default
    _check_tokens(root)
    _regroup_scripted_tables(root)
    _check_arity(root)
    if display:
        _limits_under_braces(root)
    _fix(root)
    sanitise(root)
    children = list(root)
    for child in children:
        root.remove(child)
    semantics = ET.SubElement(root, _NS + "semantics")
    if len(children) == 1 and children[0].tag == _NS + "mrow":
        semantics.append(children[0])
    else:  # <semantics> takes exactly one presentation child
        ET.SubElement(semantics, _NS + "mrow").extend(children)
    annotation = ET.SubElement(semantics, _NS + "annotation", {"encoding": "application/x-tex"})
    annotation.text = tex.strip()
    text = ET.tostring(root, encoding="unicode", short_empty_elements=False)
    # U+2061 is invisible: written as a character reference, so the source says what it is.
    return text.replace("\u2061", "&#x2061;")


#: ``aligned`` and its kin, which the converter reads as a row with ``&`` in it: as arrays
#: whose columns alternate right and left (``gathered``: one centred column).
_ALIGNED = re.compile(r"\\(begin|end)\{(aligned|alignedat|split|gathered)\}(\{\d+\})?")


def _as_arrays(source: str) -> str:
    def replace(match: re.Match[str]) -> str:
        if match.group(1) == "end":
            return "\\end{array}"
        columns = "c" if match.group(2) == "gathered" else "rl" * 8
        return "\\begin{array}{" + columns + "}"

    return _ALIGNED.sub(replace, source)


#: How many children each scripted or fractional element has in MathML.
ARITY = {_NS + name: count for name, count in (
    ("msub", 2), ("msup", 2), ("msubsup", 3), ("munder", 2), ("mover", 2), ("munderover", 3),
    ("mfrac", 2), ("mroot", 2))}


def _regroup_scripted_tables(root: ET.Element) -> None:
    """``\\begin{bmatrix}..\\end{bmatrix}^{-1}`` comes out as ``<msup>`` of bracket, table, bracket
    and script: the bracketed table is the base, grouped in an ``<mrow>`` (not shrunk into the
    script)."""
    for element in root.iter():
        extra = len(element) - ARITY.get(element.tag, len(element))
        if extra <= 0 or element.tag not in _SCRIPTED or element[0].tag != _NS + "mo":
            continue
        scripts = ARITY[element.tag] - 1
        base = list(element)[: len(element) - scripts]
        if not any(child.tag == _NS + "mtable" for child in base):
            continue
        group = ET.Element(_NS + "mrow")
        for child in base:
            element.remove(child)
            group.append(child)
        element.insert(0, group)


def _check_arity(root: ET.Element) -> None:
    """A script or fraction with the wrong number of parts draws something else: refuse it."""
    for element in root.iter():
        if element.tag in ARITY and len(element) != ARITY[element.tag]:
            name = str(element.tag).rpartition("}")[2]
            raise NotRendered(f"<{name}> with {len(element)} parts, not {ARITY[element.tag]}")


#: Under- and over-braces (the converter's ``\\underbrace``, ``\\overbrace``).
_BRACES = frozenset({"\u23df", "\u23de"})
_LARGE_OPERATORS = frozenset("\u2211\u220f\u2210\u22c3\u22c2")


def _limits_under_braces(root: ET.Element) -> None:
    """In a display, a sum under a brace keeps its limits below, as TeX sets it: the
    converter gives it the inline ``<msub>`` there."""
    for brace in root.iter():
        if brace.tag not in (_NS + "munder", _NS + "mover") or len(brace) != 2:
            continue
        if (brace[1].text or "") not in _BRACES:
            continue
        for element in brace[0].iter():
            if element.tag in (_NS + "msub", _NS + "msubsup") and element[0].tag == _NS + "mo" \
                    and (element[0].text or "") in _LARGE_OPERATORS:
                element.tag = _NS + ("munder" if element.tag == _NS + "msub" else "munderover")


def _check_tokens(root: ET.Element) -> None:
    """An unknown command survives as ``<mi>\\foo</mi>``: refuse it."""
    for element in root.iter():
        if element.tag in (_NS + "mi", _NS + "mo", _NS + "mn") and element.text and "\\" in element.text:
            raise NotRendered(f"unknown command {element.text.strip()}")


def _fix(parent: ET.Element) -> None:
    """Post-process in place, children first."""
    for child in list(parent):
        _fix(child)
    _merge_upright_letters(parent)
    _function_names(parent)
    _fences(parent)
    if parent.tag == _NS + "mtd" and parent.get("columnalign") in ("left", "center", "right"):
        parent.set("class", f"align-{parent.attrib.pop('columnalign')}")


def _is_upright_letter(element: ET.Element) -> bool:
    return (element.tag == _NS + "mi" and element.get("mathvariant") == "normal"
            and len(element.text or "") == 1 and len(element) == 0)


def _merge_upright_letters(parent: ET.Element) -> None:
    """An ``<mrow>`` of upright one-letter ``<mi>`` (``\\mathrm{relu}``) as one ``<mi>relu</mi>``."""
    children = list(parent)
    if parent.tag != _NS + "mrow" or len(children) < 2 or not all(_is_upright_letter(c) for c in children):
        return
    word = "".join(c.text or "" for c in children)
    for child in children:
        parent.remove(child)
    parent.tag = _NS + "mi"
    parent.text = word


def _function_names(parent: ET.Element) -> None:
    """A word as operator (``<mo>tr</mo>``) or name: ``<mi>tr</mi><mo>&#x2061;</mo>``."""
    children = list(parent)
    for position, child in enumerate(children):
        word = (child.text or "").strip()
        if child.tag not in (_NS + "mo", _NS + "mi") or len(child) or not (
            word in FUNCTION_NAMES or (child.tag == _NS + "mo" and len(word) > 1 and word.isalpha())
        ):
            continue
        child.tag = _NS + "mi"
        child.attrib.clear()
        following = children[position + 1] if position + 1 < len(children) else None
        if following is not None and following.tag == _NS + "mo" and following.text == "\u2061":
            continue
        apply = ET.Element(_NS + "mo")
        apply.text = "\u2061"
        parent.insert(list(parent).index(child) + 1, apply)


_SCRIPTED = frozenset(_NS + t for t in ("msub", "msup", "msubsup"))


def _core_operator(element: ET.Element) -> ET.Element | None:
    """The ``<mo>`` an element is, or carries as base (``\\|_2`` is a ``<msub>`` of one)."""
    if element.tag == _NS + "mo":
        return element
    if element.tag in _SCRIPTED and len(element) and element[0].tag == _NS + "mo":
        return element[0]
    return None


def _fences(parent: ET.Element) -> None:
    """Pair the bars of one row as prefix/postfix fences that do not stretch; angles too."""
    if parent.tag in _SCRIPTED:
        return  # a script's base is paired in the row around the script
    open_bars: set[str] = set()
    for child in parent:
        if child.tag == _NS + "mi" and child.text in ANGLES and len(child) == 0:
            child.tag = _NS + "mo"
            child.attrib.update({"form": ANGLES[child.text], "fence": "true", "stretchy": "false"})
            continue
        operator = _core_operator(child)
        if operator is None or operator.text not in BARS or "form" in operator.attrib:
            continue
        bar = operator.text or ""
        form = "postfix" if bar in open_bars else "prefix"
        open_bars ^= {bar}
        operator.attrib.update({"form": form, "fence": "true", "stretchy": "false"})


#: MathML Core elements that draw what they hold.  Not here: ``mphantom`` (hides a
#: term), ``maction`` and ``annotation-xml`` (can carry HTML), ``menclose`` (not in
#: Core: Chromium does not draw ``\cancel``), ``mglyph`` (loads an image).
ELEMENTS = frozenset(_NS + name for name in (
    "math", "semantics", "annotation", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "mfrac", "msqrt",
    "mroot", "mstyle", "merror", "mpadded", "msub", "msup", "msubsup", "munder", "mover", "munderover",
    "mmultiscripts", "mprescripts", "none", "mtable", "mtr", "mtd",
))
_BOOLEAN = frozenset({"true", "false"})
_LENGTH = re.compile(r"[+-]?(?:\d{1,2}(?:\.\d*)?|\.\d+)(?:em|ex)?")


@dataclass(frozen=True)
class Length:
    """A length attribute's allowed range in ems; a value outside it is dropped, not the display."""

    low: float
    high: float

    def allows(self, value: str) -> bool:
        return bool(_LENGTH.fullmatch(value)) and self.low <= float(value.rstrip("emx")) <= self.high


#: Spacing and sizes: enough for every spacing and fence command, not enough to move a term over
#: another display; backwards (``\!``) only a little, not over a term.
_SPACING = Length(-0.5, 4.0)
#: A shift up or down (an arrow's label): never onto the line above or below (a verdict's mark).
_SHIFT = Length(-0.5, 0.5)
#: The report's own classes (``columnalign`` becomes one); no other class survives.
ALIGN_CLASSES = frozenset({"align-left", "align-center", "align-right"})
#: Each attribute that survives, with the values it may have.
ATTRIBUTES: dict[str, object] = {
    "display": frozenset({"block", "inline"}),
    "displaystyle": _BOOLEAN,
    "scriptlevel": re.compile(r"[+-]?[0-3]"),
    "mathvariant": frozenset({"normal", "bold", "italic", "bold-italic", "double-struck", "script",
                              "bold-script", "fraktur", "bold-fraktur", "sans-serif", "monospace"}),
    "form": frozenset({"prefix", "infix", "postfix"}),
    **{name: _BOOLEAN for name in ("fence", "separator", "stretchy", "symmetric", "largeop",
                                   "movablelimits", "accent", "accentunder")},
    **{name: _SPACING for name in ("lspace", "rspace", "minsize", "maxsize", "width", "height", "depth",
                                   "linethickness")},
    "voffset": _SHIFT,
    "columnalign": frozenset({"left", "center", "right"}),
    "rowspan": re.compile(r"[1-9]\d?"),
    "columnspan": re.compile(r"[1-9]\d?"),
    "encoding": frozenset({"application/x-tex"}),
    "class": ALIGN_CLASSES,
}


def sanitise(root: ET.Element) -> None:
    """Keep only :data:`ELEMENTS` and :data:`ATTRIBUTES`, in place; :class:`NotRendered` for
    an element outside the list (the display is then shown as escaped TeX)."""
    for element in root.iter():
        if element.tag not in ELEMENTS:
            raise NotRendered(f"not drawn safely: <{str(element.tag).rpartition('}')[2]}>")
        for name, value in list(element.attrib.items()):
            if not allowed_attribute(name, value):
                del element.attrib[name]


def allowed_attribute(name: str, value: str) -> bool:
    """Whether ``name="value"`` may stay on a MathML element of the report."""
    rule = ATTRIBUTES.get(name)  # a namespaced name ({xlink}href) is never a key
    if isinstance(rule, frozenset):
        return value in rule
    if isinstance(rule, Length):
        return rule.allows(value)
    return isinstance(rule, re.Pattern) and rule.fullmatch(value) is not None
