"""TeX's argument rule for ``\\frac`` and ``\\sqrt`` written without braces (docs/format.md).

An unbraced argument is exactly one token, as TeX reads it: ``\\frac1N`` is
``\\frac{1}{N}``, ``\\frac12N`` is ``\\frac{1}{2}N``, ``\\sqrt x^2`` is
``(\\sqrt{x})^2``.  Whatever a reader could take for something else is an
error: a command as an unbraced argument, digits glued to a one-digit
argument (``\\frac123``), a mixed number (``2\\frac12``), a missing argument.
End to end with ``deriv.check_text``, and a property test against the braced
spelling as the reference.
"""

from __future__ import annotations

import dataclasses
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import deriv
from deriv.check.options import CheckOptions
from deriv.errors import LatexSyntaxError
from deriv.latex.parser import parse_display, parse_expression
from deriv.render.text import render_details
from helpers import displays, front_matter

SYMBOLS = {"x": "vector N", "a": "scalar", "b": "scalar", "c": "scalar", "p": "positive scalar",
           "alpha": "scalar", "A": "matrix N x N", "y": "vector N"}


def steps(*maths: str, symbols: dict[str, str] = SYMBOLS, definitions: tuple[str, ...] = (), extra: str = ""):
    text = front_matter(symbols, definitions, quoted=True, extra=extra) + displays(*maths)
    result = deriv.check_text(text, options=CheckOptions(isolate=False))
    assert result.error is None, result.error
    return result.steps


def verdict(math: str, **kw) -> str:
    (step,) = steps(math, **kw)
    return step.verdict.value


def message(math: str) -> str:
    (step,) = steps(math)
    assert step.verdict.value == "error", (math, step.verdict, step.message)
    return step.message


# -- read as TeX reads them ------------------------------------------------------------

@pytest.mark.parametrize("math", [
    r"\frac1N = \frac{1}{N}",
    r"\frac12 = \frac{1}{2}",
    r"\frac12N = \frac{N}{2}",                    # one token each: (1/2) N
    r"\frac{1}N = \frac{1}{N}",
    r"\frac1{N} = \frac{1}{N}",
    r"\frac 1 {2N} = \frac{1}{2N}",
    r"\frac 1 2 = \frac{1}{2}",                   # spaces between arguments, as TeX skips them
    r"\frac\alpha2 = \frac{\alpha}{2}",
    r"\frac a b c = \frac{ac}{b}",
    r"\frac{a}b c = \frac{ac}{b}",
    r"\dfrac12 + \tfrac12 = 1",
    r"\frac{\frac12}{3} = \frac16",
    r"\frac\partial{\partial a} a^2 = 2a",
    r"\frac{d}{da} a^3 = 3 a^2",
    r"\frac1p p = 1",
    r"\sqrt2 \cdot \sqrt2 = 2",
    r"\sqrt4 = 2",
    r"\sqrt p^2 = p",                             # (\sqrt p)^2
    r"\sqrt(a^2 + 1) = \sqrt{a^2 + 1}",           # a bracket after \sqrt stays its argument
    r"\sqrt\left(a^2 + 1\right) = \sqrt{a^2 + 1}",
    r"\frac1N \sum_i x_i = \frac{1}{N} \sum_i x_i",
])
def test_unbraced_arguments_are_one_token_each(math):
    assert verdict(math) == "proved"


@pytest.mark.parametrize("math", [
    r"\frac12N = \frac{1}{2N}",                   # never more than one token
    r"\frac1N = \frac{1}{2N}",
    r"\frac\alpha2 = \frac{2}{\alpha}",
    r"\frac{a}b c = \frac{a}{bc} + 1",
    r"\sqrt2 \cdot \sqrt2 = 3",
    r"\frac 1 {2N} = \frac{1}{N}",
])
def test_wrong_steps_with_unbraced_arguments_are_refuted(math):
    assert verdict(math) == "refuted"


def test_a_script_after_a_roots_one_token_is_the_roots():
    """``\\sqrt b^2`` is ``(\\sqrt b)^2`` as TeX draws it (the 2 outside the radical), never
    ``\\sqrt{b^2} = |b|``: undefined for a negative ``b``, so not equal to ``|b|``."""
    assert verdict(r"\sqrt b^2 = |b|") == "refuted"
    assert verdict(r"\sqrt{b^2} = |b|") in ("proved", "tested")
    assert verdict(r"\sqrt x_1 = \sqrt{x_1}") == "proved"     # (\sqrt x)_1, entry by entry


def test_the_variance_of_issue_nineteen_as_lecturers_write_it():
    symbols = {"x": "vector N", "mu": "scalar"}
    definitions = (r"\sigma^2 = \frac1N \sum_i (x_i - \mu)^2",)
    kw = {"symbols": symbols, "definitions": definitions}
    assert verdict(r"\frac{\partial \sigma^2}{\partial x_k} = \frac2N (x_k - \mu)", **kw) == "proved"
    assert verdict(r"\frac{\partial \sigma^2}{\partial x_k} = \frac1N (x_k - \mu)", **kw) == "refuted"


def test_a_macro_expanding_to_an_unbraced_fraction():
    extra = "macros:\n  - \\newcommand{\\half}{\\frac12}\n"
    (step,) = steps(r"\half a = \frac{a}{2}", extra=extra)
    assert step.verdict.value == "proved"
    assert step.lhs == r"\half a"


def test_scripts_keep_their_tex_meaning():
    """``a^12`` is ``a^1 2`` and ``x_12`` is ``x_1 2`` in TeX (one token a script), never ``a^{12}``."""
    assert verdict(r"a^12 = 2a") == "proved"
    assert verdict(r"a^12 = a^{12}") == "refuted"
    assert verdict(r"x_12 = 2 x_1") == "proved"
    assert verdict(r"A_12 = 2 A_{1,2}") == "error"


# -- what could be read as something else: errors ---------------------------------------

@pytest.mark.parametrize("math,words", [
    (r"\frac\frac12 3 = a", "exactly one token"),
    (r"\frac\mathbf{x}2 = a", "exactly one token"),
    (r"\frac\hat{a}2 = a", "exactly one token"),
    (r"\frac(a)b = a", "exactly one token"),
    (r"\frac+1 2 = a", "exactly one token"),
    (r"\sqrt\hat{y} = a", "exactly one token"),
    (r"\sqrt\partial = a", "exactly one token"),
    (r"\frac123 = a", "not one number"),         # \frac{1}{2}3 to TeX, 1/23 or 12/3 to a reader
    (r"\frac12 3 = a", "not one number"),
    (r"\frac1 23 = a", "not one number"),
    (r"\sqrt12 = a", "not one number"),          # \sqrt{1}2 to TeX
    (r"\sqrt 1 2 = a", "not one number"),
    (r"a = \frac", "missing an argument"),
    (r"a = \frac1", "missing an argument"),
    (r"a = \frac{1}", "missing an argument"),
    (r"a = \sqrt", "missing an argument"),
    (r"(\frac1) = a", "missing an argument"),
    (r"\left(\frac1\right) = a", "missing an argument"),
    (r"\frac{\frac1}{2} = a", "missing an argument"),
    (r"2\frac12 = \frac52", "mixed number"),        # 2½ to a reader, 2 * 1/2 to TeX
    (r"2\frac{1}{2} = 1", "mixed number"),
    (r"\sqrt2 a = a", "readers disagree"),          # the guard stays (docs/format.md)
    (r"\sqrt a b = a", "readers disagree"),
])
def test_what_a_reader_could_misread_is_an_error(math, words):
    assert words in message(math)


def test_the_mixed_number_guard_leaves_products_alone():
    assert verdict(r"2 \cdot \frac12 = 1") == "proved"
    assert verdict(r"2\frac{a}{2} = a") == "proved"
    assert verdict(r"a\frac12 = \frac{a}{2}") == "proved"


# -- the echo of a display that does not parse -------------------------------------------

def test_an_unparsable_display_is_echoed_as_written():
    (step,) = steps(r"\sigma^2 = \frac\frac12 3")
    assert (step.lhs, step.rhs) == ("", r"\sigma^2 = \frac\frac12 3")
    shown = "\n".join(render_details(step, "doc.md"))
    assert r"step: \sigma^2 = \frac\frac12 3" in shown
    assert "  =  " not in shown


def test_an_unparsable_continuation_is_echoed_after_the_chains_last_member():
    first, second = steps(r"a = a", r"\leq \frac\frac12 3")
    assert (second.lhs, second.relation, second.rhs) == ("a", "<=", r"\frac\frac12 3")
    assert "step: a  <=  \\frac\\frac12 3" in "\n".join(render_details(second, "doc.md"))


def test_a_display_opening_with_left_is_no_continuation():
    """``\\left(`` starts with ``\\le`` but is no relation: the display starts a chain of its own."""
    first, second = steps(r"a = a", r"\left( a \right) = \frac\frac12 3")
    assert (second.lhs, second.rhs) == ("", r"\left( a \right) = \frac\frac12 3")


# -- the parser: braced and unbraced spellings give the same tree ------------------------

_TOKENS = ["a", "b", "N", "1", "7", r"\alpha", r"\lambda"]


def _braced(x: str) -> str:
    return "{" + x + "}"


def _joined(before: str, token: str, space: str) -> str:
    """``before`` then ``token``, with the space a control word needs before a letter (``\\frac a``)."""
    needs = re.search(r"\\[A-Za-z]+$", before) is not None and token[0].isalpha()
    return before + (space or " " if needs else space) + token


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(_TOKENS), st.sampled_from(_TOKENS), st.booleans(), st.booleans(), st.booleans(),
       st.sampled_from(["", " ", "  "]), st.sampled_from(["", " x", " + c", "^2", "_i"]))
def test_unbraced_arguments_parse_as_their_braced_spelling(num, den, brace_num, brace_den, tfrac, space, after):
    written = _joined(r"\tfrac" if tfrac else r"\frac", _braced(num) if brace_num else num, space)
    written = _joined(written, _braced(den) if brace_den else den, space) + after
    reference = f"\\frac{{{num}}}{{{den}}}{after}"
    assert _tree(parse_expression(written)) == _tree(parse_expression(reference)), written


def _tree(node: object) -> object:
    """A syntax tree without its columns (where each piece was written)."""
    if isinstance(node, tuple):
        return tuple(_tree(item) for item in node)
    if dataclasses.is_dataclass(node):
        return (type(node).__name__, *(_tree(getattr(node, f.name)) for f in dataclasses.fields(node)
                                       if f.name != "column"))
    return node


def test_the_parser_refuses_what_tex_would_not_read_alike():
    for text in (r"\frac", r"\frac1", r"\frac\frac12 3", r"\frac123", r"\sqrt12"):
        with pytest.raises(LatexSyntaxError):
            parse_display(text)


_PIECES = [r"\frac", r"\dfrac", r"\sqrt", "1", "2", "a", "N", r"\alpha", r"\partial", "{", "}", " ", "^", "_", "(",
           ")", "+", "=", r"\left(", r"\right)", "'", "&", r"\hat", r"\cdot"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=12))
def test_unbraced_arguments_never_crash_the_parser(pieces):
    """Any mix of \\frac, \\sqrt, digits, braces and scripts parses or is a syntax error: never a crash."""
    try:
        parse_display("".join(pieces))
    except LatexSyntaxError:
        pass


def test_a_scripted_name_is_no_one_token_argument():
    """``\\frac1W_1`` is ``\\frac{1}{W}_1`` to TeX: with ``W_1`` declared it could read as 1/W_1, an error."""
    symbols = {"W_1": "scalar", "a": "scalar"}
    (step,) = steps(r"\frac1W_1 = a", symbols=symbols)
    assert step.verdict.value == "error" and "exactly one token" in step.message
    assert verdict(r"\frac1{W_1} W_1 = 1", symbols={"W_1": "positive scalar"}) == "proved"


@pytest.mark.parametrize("math,expected", [
    (r"\frac12^2 = \frac14", "proved"),                  # the script is the fraction's, as in TeX
    (r"\frac12\frac12 = \frac14", "proved"),             # two fractions: no mixed number
    (r"\frac1a' = a", "error"),                          # a prime on a fraction is not read
    (r"\frac{1}{2}^{-1} = 2", "proved"),
])
def test_scripts_after_an_unbraced_fraction(math, expected):
    assert verdict(math) == expected
