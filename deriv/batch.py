r"""Many derivations at once, as generated text: :func:`check_many` and :func:`reward`.

A language model's derivation has no front matter: its declarations come
beside it, as data (``symbols``, ``definitions``), shared by every item or
given per item.  Each item is checked in a worker process that is killed
when its budget runs out (:mod:`deriv.check.isolate`), so one item that
hangs, crashes its worker or holds unreadable LaTeX costs at most its own
budget and never stalls the others; nothing process-wide changes in the
caller, so calls from several threads at once are safe.

>>> import deriv
>>> [item] = deriv.check_many([{"id": "a", "text": "$$ (A B)^T = A^T B^T $$"}],
...                           symbols={"A": "matrix N x N", "B": "matrix N x N"})
>>> item.first_wrong, item.steps[0].verdict.value
(0, 'refuted')
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from deriv.check.options import CheckOptions
from deriv.errors import DerivError
from deriv.read.frontmatter import FrontMatter
from deriv.read.given import overridden
from deriv.results import WRONG, ItemResult, Verdict

#: The verdicts a reward pays for; any other (undecided, timeout -- or skipped, expected-fail,
#: which a generated text can not ask for) is no step the checker vouched for.
PAID = frozenset({Verdict.PROVED, Verdict.TESTED})


def check_many(items: Iterable[Mapping[str, object]], *, symbols: Mapping[str, str] | None = None,
               definitions: Sequence[str] = (), assumptions: Sequence[str] = (), jobs: int = 1,
               timeout: float = 10.0, document_timeout: float = 60.0, seed: int = 0,
               executor: object = None) -> list[ItemResult]:
    """Check each item (``{"id", "text", "symbols"?, "definitions"?, "assumptions"?, "quantity"?}``);
    the results in the items' order.

    ``symbols``, ``definitions`` and ``assumptions`` are declared for every
    item (written as under the front matter's keys); an item's own are added
    to them (an item's symbol replaces a shared one of the same name), and a
    text's own front matter to both (a name it declares otherwise is an
    error).  A malformed item gets a result with an ``error``, never an
    exception; malformed shared declarations are a :class:`ValueError`.
    An item's ``quantity`` (LaTeX of what its problem asks for, read with its declarations) makes
    each final answer of its text the step ``quantity = answer`` (:mod:`deriv.check.quantity`).
    ``timeout`` is each step's budget, ``document_timeout`` each item's.
    ``executor`` runs the items elsewhere: a :class:`concurrent.futures.Executor`,
    a Dask ``Client`` or a scheduler address (:mod:`deriv.distributed`).
    """
    shared = _declarations({"symbols": symbols, "definitions": definitions, "assumptions": assumptions},
                           "the shared declarations")
    options = CheckOptions(seed=seed, timeout=timeout, document_timeout=document_timeout)
    return list(each_checked(items, shared, options, jobs, executor))


def each_checked(items: Iterable[object], shared: FrontMatter | None, options: CheckOptions,
                 jobs: int = 1, executor: object = None) -> Iterator[ItemResult]:
    """Each item checked, one result at a time, in order, as soon as it is known."""
    if executor is not None:
        from deriv.distributed import executor_for, map_in_order

        yield from map_in_order(executor_for(executor), _check_item,
                                ((item, n, shared, options) for n, item in enumerate(items)))
        return
    if jobs <= 1:
        yield from (_check_item(item, n, shared, options) for n, item in enumerate(items))
        return
    from deriv.check.isolate import warm

    warm(jobs)  # before any thread: workers forked now, not made by a fork server later
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(lambda pair: _check_item(pair[1], pair[0], shared, options), enumerate(items))


def reward(text: str, *, symbols: Mapping[str, str] | None = None, definitions: Sequence[str] = (),
           assumptions: Sequence[str] = (), quantity: str | None = None, timeout: float = 10.0,
           document_timeout: float = 60.0, seed: int = 0, tested: float = 1.0,
           wrong: float = 0.0, undecided: float | None = None) -> float | None:
    r"""A reward for one generated derivation: 1.0 when every step is proved, ``tested``
    when the weakest is tested, ``wrong`` (0.0) when a step is refuted or can not be read,
    ``undecided`` (``None``) when a step is undecided or ran out of time -- or when there is
    no step at all, or a step is anything else not proved or tested.  Declarations the caller gives that are themselves wrong raise
    :class:`ValueError`: that is the caller's mistake, not the text's.

    ``quantity`` (LaTeX of what the problem asks for) checks each final answer as the step
    ``quantity = answer``, whichever chain it follows; a text with no final answer then earns
    ``undecided``, and a quantity that can not be read (or names a name only the text gives) ``wrong``.

    >>> reward(r"$$ \operatorname{tr}(A B) = \operatorname{tr}(B A) $$", symbols={"A": "matrix N x M", "B": "matrix M x N"})
    1.0
    """
    shared = _declarations({"symbols": symbols, "definitions": definitions, "assumptions": assumptions},
                           "the declarations")
    options = CheckOptions(seed=seed, timeout=timeout, document_timeout=document_timeout)
    if not isinstance(text, str):
        raise TypeError(f"reward() takes the derivation as a string, not {type(text).__name__}")
    if quantity is not None and not isinstance(quantity, str):
        raise TypeError(f"reward() takes the quantity as LaTeX (a string), not {type(quantity).__name__}")
    [item] = each_checked([{"text": text, **({"quantity": quantity} if quantity is not None else {})}], shared, options)
    verdicts = {step.verdict for step in item.steps}
    if item.error is not None or verdicts & WRONG or Verdict.UNEXPECTED_PASS in verdicts:
        return wrong
    if not verdicts or not verdicts <= PAID:
        return undecided
    return tested if Verdict.TESTED in verdicts else 1.0


def _check_item(item: object, number: int, shared: FrontMatter | None, options: CheckOptions) -> ItemResult:
    """Never raises for a bad item: its result carries the error."""
    if isinstance(item, BadLine):
        return ItemResult(None, error=item.message)
    ident = item.get("id", number) if isinstance(item, Mapping) else number
    try:
        text, own = _item_parts(item)
        given = overridden(shared, own)
        quantity = _quantity(item)
    except (DerivError, ValueError) as error:
        return ItemResult(ident, error=str(error))
    from deriv.check.checker import check_text
    from deriv.distributed import require_children

    require_children()
    # Whether the text changes its given problem is found where it is read: in the worker, in budget.
    shown = ident if isinstance(ident, (str, int)) else number  # a caller's object is never str()-ed
    file = check_text(text, f"<item {shown}>", replace(options, generated=True, quantity=quantity), given=given)
    message = f"line {file.error_line}: {file.error}" if file.error and file.error_line else file.error
    return ItemResult(ident, file.steps, message)


_ITEM_KEYS = ("id", "text", "symbols", "definitions", "assumptions", "quantity")


def _item_parts(item: object) -> tuple[str, FrontMatter | None]:
    """The item's text and its own declarations."""
    if not isinstance(item, Mapping):
        raise ValueError(f"an item is an object with 'id' and 'text', not {type(item).__name__}")
    unknown = sorted(set(map(str, item)) - set(_ITEM_KEYS))
    if unknown:
        raise ValueError(f"unknown item key '{unknown[0]}' (allowed: {', '.join(_ITEM_KEYS)})")
    text = item.get("text")
    if not isinstance(text, str):
        raise ValueError(f"an item's 'text' is a string, not {type(text).__name__}")
    return text, _declarations({key: item.get(key) for key in _ITEM_KEYS[2:5]}, "the item's declarations")


def _quantity(item: object) -> str | None:
    """The item's ``quantity``: LaTeX of what its problem asks for, or None when it gives none."""
    quantity = item.get("quantity") if isinstance(item, Mapping) else None
    if quantity is None:
        return None
    if not isinstance(quantity, str):
        raise ValueError(f"an item's 'quantity' is LaTeX (a string), not {type(quantity).__name__}")
    if not quantity.strip():
        raise ValueError("an item's 'quantity' is empty: give the LaTeX of what the problem asks for, or leave it out")
    return quantity


def _declarations(sections: Mapping[str, object], where: str) -> FrontMatter | None:
    from deriv.read.given import given_front

    present = {key: value for key, value in sections.items() if value}
    if not present:
        return None
    if "symbols" in present and not isinstance(present["symbols"], Mapping):
        raise ValueError(f"{where}: 'symbols' is a mapping of names to kinds, as under symbols:")
    for key in ("definitions", "assumptions"):
        value = present.get(key, [])
        if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
            raise ValueError(f"{where}: '{key}' is a list of equations, as under {key}:")
        if key in present:
            present[key] = list(value)
    try:
        return given_front(present, where)
    except DerivError as error:
        raise ValueError(error.message) from None


def answer_lines(lines: Iterable[str | bytes], symbols_file: str | None, options: CheckOptions,
                 jobs: int = 1, executor: object = None) -> Iterator[str]:
    """``deriv check --batch``: a JSON line out for each item line in, declarations for all
    from ``symbols_file`` (written as a front matter is)."""
    from deriv.read.files import read_text_file
    from deriv.read.given import given_file
    from deriv.render.json import render_item

    shared = given_file(read_text_file(symbols_file), symbols_file) if symbols_file else None
    yield from map(render_item, each_checked(read_lines(lines), shared, options, jobs, executor))


@dataclass(frozen=True)
class BadLine:
    """A line of a batch file that is not an item (the CLI reads them): its result is an error."""

    message: str


def read_lines(lines: Iterable[str | bytes]) -> Iterator[object]:
    """The items of a JSON-lines stream (text, or bytes read as UTF-8); a line that is not
    one JSON object is a :class:`BadLine`, and the stream goes on."""
    for number, raw in enumerate(lines, 1):
        try:
            line = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        except UnicodeDecodeError as error:
            yield BadLine(f"line {number}: not UTF-8 text ({error.reason} at byte {error.start})")
            continue
        line = line.removeprefix("\ufeff") if number == 1 else line  # a byte order mark opens the file
        if not line.strip():
            continue
        try:
            item = strict_json(line)
        except (ValueError, RecursionError) as error:
            yield BadLine(f"line {number}: not JSON: {error}")
            continue
        yield item if isinstance(item, dict) else BadLine(f"line {number}: an item is a JSON object, "
                                                          f"not {type(item).__name__}")


def strict_json(text: str) -> object:
    """JSON as the standard says: no ``NaN`` or ``Infinity`` (nor a number too large for a
    float), which no output line may carry, and no key twice in one object (which one the
    writer meant is not known)."""
    import json
    import math

    def number(word: str) -> float:
        value = float(word)
        if not math.isfinite(value):
            raise ValueError(f"the number {word[:20]} is too large")
        return value

    def constant(word: str) -> object:
        raise ValueError(f"{word} is not JSON")

    def unique(pairs: list[tuple[str, object]]) -> dict[str, object]:
        seen: dict[str, object] = {}
        for key, value in pairs:
            if key in seen:
                raise ValueError(f"key '{key[:40]}' appears twice in one object")
            seen[key] = value
        return seen

    return json.loads(text, parse_float=number, parse_constant=constant, object_pairs_hook=unique)


__all__ = ["BadLine", "answer_lines", "check_many", "each_checked", "read_lines", "reward", "strict_json"]
