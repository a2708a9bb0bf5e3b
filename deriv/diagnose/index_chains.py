"""Index expressions read as sums of matrix products: chains of contracted indices.

In: a built index expression (entries of declared or defined arrays, entries
of inverses ``[A^{-1}]_{k,l}`` and of powers ``[A^K]_{k,l}``, deltas, sums,
index-free scalars such as ``\\det A``) and its free indices.  Out: LaTeX
proposals of its matrix form, or none.  Each term is a product of factors,
each factor an edge between its two indices (a vector's second end is the
unit end of a column); an index summed over joins two edges, so a term is a
chain from the row index to the column index (``X^{-T} a b^T X^{-T}``),
times closed chains (traces) and chains between two unit ends (``a^T B c``).
Terms with the same chain are added; a prefix and a suffix common to all
terms are factored out.  Nothing here is trusted: the caller decides every
proposal against the input (docs/cli.md, "Matrix forms").
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import sympy
from sympy import Add, Expr, Indexed, Mul, Pow, Sum, Symbol

from deriv.ir import Delta, Determinant, InverseEntry, MatrixArg, MatrixPower, base_name, free_indices, fresh_index
from deriv.meaning.printing import DerivLatexPrinter

#: The second end of a vector's edge: the single column of a column vector.
UNIT = Symbol("_unit")
#: The all-ones column vector (its size comes from its neighbour in the product).
ONES = r"\mathbf{1}"
#: Most terms a product of sums is multiplied out into (a form with more is no help).
_TERMS = 64
#: Longest run of one factor written as a power (``X X X`` as ``X^{3}``).
_RUN = 9


class _NoChain(Exception):
    """The expression is not a sum of matrix chains (an elementwise function, an index used thrice)."""


@dataclass(frozen=True)
class _Edge:
    """One factor: its LaTeX, the LaTeX of its transpose, its two ends and their extents."""

    text: str
    transposed: str
    ends: tuple[Expr, Expr]
    extents: tuple[Expr, Expr]

    def oriented(self, start: Expr) -> tuple[str, Expr]:
        """The factor read from end ``start`` (transposed when that is its column end), and its other end."""
        if self.ends[0] == start:
            return self.text, self.ends[1]
        return self.transposed, self.ends[0]


@dataclass(frozen=True)
class _Term:
    """``scalar`` (index-free) times ``scalars`` (traces, ``a^T B c``) times the matrix ``chain``."""

    scalar: Expr
    scalars: tuple[str, ...]
    chain: tuple[str, ...]


class Reader:
    """Reads index expressions as chains, with the shapes of the names in ``shape_of``
    (``symmetric``: the names declared symmetric, whose transpose is written as the name)."""

    def __init__(self, shape_of, symmetric: frozenset[str] = frozenset()) -> None:
        self.shape_of = shape_of
        self.symmetric = symmetric
        self.determinants: dict[Symbol, str] = {}

    # -- the proposals ------------------------------------------------------------------
    def forms(self, expr: Expr, free: Sequence[Symbol], shape: tuple[Expr, Expr]) -> list[str]:
        """The proposals for ``expr`` (combined and factored first, then term by term); [] when none."""
        try:
            terms = _merged([self._term(t, bound, free, shape) for t, bound in _terms(expr, {})])
        except _NoChain:
            return []
        if not terms:
            return []
        written = [self._written(terms)]
        factored = self._factored(terms)
        return ([factored] if factored else []) + written

    def matrix_text(self, arg: MatrixArg) -> str:
        """The LaTeX of a whole matrix argument (``X``, ``X^T X + \\lambda I_{M}``)."""
        forms = self.forms(arg.body, (arg.row, arg.col), (arg.rows, arg.cols))
        if not forms:
            raise _NoChain(str(arg.body))
        return forms[-1]

    # -- one term -------------------------------------------------------------------------
    def _term(self, factors: list[Expr], bound: dict, free: Sequence[Symbol], shape) -> _Term:
        scalar, edges, bound = self._edges(factors, dict(bound), free, shape)
        edges = _diagonals(edges, bound, free)
        for index, extent in bound.items():
            ends = sum(e.ends.count(index) for e in edges)
            if ends == 0:
                scalar *= extent  # summed over and used nowhere: a count
            elif ends == 1:  # summed over in one factor: times the ones vector (1^T a)
                edges.append(_Edge(ONES, ONES + "^T", (index, UNIT), (extent, sympy.S.One)))
        _check_degrees(edges, bound, free)
        _check_extents(edges, bound)
        chain = _without_identities(_chain(edges, free))
        scalars = _closed(edges)
        return _Term(scalar, tuple(scalars), tuple(_runs(chain)))

    def _edges(self, factors: list[Expr], bound: dict, free: Sequence[Symbol], shape) -> tuple[Expr, list, dict]:
        scalar: Expr = sympy.S.One
        edges: list[_Edge] = []
        factors = _contracted(factors, bound)
        for factor in factors:
            if not free_indices(factor) - {UNIT}:
                scalar *= self._scalar(factor)
            elif isinstance(factor, Delta):
                edges.append(_identity(factor, free, shape))
            else:
                edges.append(self._edge(factor))
        return scalar, edges, bound

    def _scalar(self, factor: Expr) -> Expr:
        """An index-free factor, its determinants replaced by placeholder symbols (printed by :meth:`_latex`)."""
        def placeholder(node: Determinant) -> Symbol:
            text = self.matrix_text(node.arg)
            found = next((s for s, t in self.determinants.items() if t == text), None)
            if found is None:  # the x ends the name: Dt1x is not part of Dt10x when printed ones are replaced
                found = Symbol(f"Dt{len(self.determinants)}x")
                self.determinants[found] = text
            return found
        if factor.has(MatrixArg) and not factor.has(Determinant):
            raise _NoChain(str(factor))
        made = factor.replace(lambda e: isinstance(e, Determinant), placeholder)
        if made.has(MatrixArg):
            raise _NoChain(str(factor))
        return made

    def _edge(self, factor: Expr) -> _Edge:
        if isinstance(factor, Indexed):
            return self._entry(factor)
        if isinstance(factor, InverseEntry):
            text, transposed = _inverse_texts(self.matrix_text(factor.arg))
            if self._symmetric(factor.arg):  # (X^T X)^{-T} is (X^T X)^{-1}
                transposed = text
            return _Edge(text, transposed, factor.position, (factor.arg.rows, factor.arg.cols))
        if isinstance(factor, MatrixPower):
            base = _bracketed(self.matrix_text(factor.arg))
            power = f"{base}^{{{_print(factor.exponent)}}}"
            return _Edge(power, f"({power})^T", factor.position, (factor.arg.rows, factor.arg.cols))
        raise _NoChain(str(factor))

    def _entry(self, factor: Indexed) -> _Edge:
        shape = self.shape_of(base_name(factor))
        if shape is None or len(shape) != 2 or any(i.is_Integer for i in factor.indices):
            raise _NoChain(base_name(factor))
        name = _print(Symbol(base_name(factor)))  # Sigma is \Sigma
        if len(factor.indices) == 2:
            transposed = name if base_name(factor) in self.symmetric else f"{name}^T"
            return _Edge(name, transposed, tuple(factor.indices), tuple(shape))
        if len(factor.indices) == 1 and shape[1] == 1:
            return _Edge(name, f"{name}^T", (factor.indices[0], UNIT), (shape[0], sympy.S.One))
        raise _NoChain(name)

    def _symmetric(self, arg: MatrixArg) -> bool:
        """Whether the argument's entries are symmetric as written (``X^T X``, ``A + A^T``) or it is a
        name declared symmetric."""
        body = arg.body
        if isinstance(body, Indexed) and base_name(body) in self.symmetric:
            return True
        return arg.rows == arg.cols and body.xreplace({arg.row: arg.col, arg.col: arg.row}) == body

    # -- printing -------------------------------------------------------------------------
    def _written(self, terms: list[_Term]) -> str:
        """The terms as a sum, positive terms first."""
        ordered = sorted(terms, key=_order)
        text = ""
        for term in ordered:
            part = self._term_text(term)
            if not text:
                text = part
            else:
                text += f" - {part[1:]}" if part.startswith("-") else f" + {part}"
        return text

    def _term_text(self, term: _Term) -> str:
        scalars = term.scalars
        if len(scalars) == 1 and not term.chain and scalars[0].startswith("("):
            scalars = (scalars[0][1:-1],)  # a scalar alone needs no brackets (a^T X^{-1} b)
        body = " ".join(scalars + term.chain)
        scalar = term.scalar
        sign = "-" if scalar.could_extract_minus_sign() else ""
        scalar = -scalar if sign else scalar
        if scalar == 1:
            return sign + (body or "1")
        coefficient = self._latex(scalar)
        if isinstance(scalar, Add):
            coefficient = rf"\left({coefficient}\right)"
        return f"{sign}{coefficient} {body}".rstrip()

    def _latex(self, scalar: Expr) -> str:
        text = _print(scalar)
        for name, matrix in self.determinants.items():
            determinant = rf"\det{_bracketed(matrix, '(', ')')}"
            text = text.replace(rf"\log{{\left({name} \right)}}", rf"\log{determinant}").replace(str(name), determinant)
        return text

    def _factored(self, terms: list[_Term]) -> str | None:
        """``c P (c_1 R_1 + c_2 R_2) S`` for the chains ``P R_t S`` of two or more terms, else None
        (``c``: a scalar all terms share, or the sign all have)."""
        if len(terms) < 2 or any(t.scalars for t in terms):
            return None
        chains = [t.chain for t in terms]
        head = _common(chains)
        tail = _common([c[head:][::-1] for c in chains])
        if head + tail == 0 or any(len(c) <= head + tail for c in chains):
            return None
        shared = _shared([t.scalar for t in terms])
        inner = [_Term(sympy.expand(t.scalar / shared), (), t.chain[head:len(t.chain) - tail]) for t in terms]
        middle = rf"\left({self._written(inner)}\right)"
        body = (*chains[0][:head], middle, *chains[0][len(chains[0]) - tail:])
        return self._term_text(_Term(shared, (), body))


def _order(term: _Term) -> tuple[bool, bool]:
    """Positive terms first, and a multiple of the identity after the others (``X^T X + \\lambda I_{M}``)."""
    return term.scalar.could_extract_minus_sign(), len(term.chain) == 1 and term.chain[0].startswith("I_{")


def _shared(scalars: list[Expr]) -> Expr:
    """What all terms' scalars have in common: the same symbolic part (``\\det X``) if all have it,
    times the greatest common numeric factor, negative when all are (``-\\frac{1}{2}`` of ``-\\frac{1}{2} c, -d``)."""
    split = [s.as_coeff_Mul() for s in scalars]
    rests = {rest for _, rest in split}
    shared = rests.pop() if len(rests) == 1 else sympy.S.One
    numbers = [c for c, _ in split]
    factor = sympy.gcd_list(numbers) if all(c.is_Rational for c in numbers) else sympy.S.One
    return (-factor if all(c < 0 for c in numbers) else factor) * shared


_PRINTER = DerivLatexPrinter({"mul_symbol": None})


def _print(expr: Expr) -> str:
    return _PRINTER.doprint(expr)


# -- terms ------------------------------------------------------------------------------
def _terms(expr: Expr, bound: dict) -> list[tuple[list[Expr], dict]]:
    """``expr`` as a sum of products: each product's factors and the indices summed over (with extents)."""
    if isinstance(expr, Add):
        return [t for arg in expr.args for t in _terms(arg, bound)]
    if isinstance(expr, Sum):
        inner = dict(bound)
        for index, low, high in expr.limits:
            if low != 0 or index in inner:
                raise _NoChain(str(expr))
            inner[index] = high + 1
        return _terms(expr.function, inner)
    if isinstance(expr, Mul):
        products: list[tuple[list[Expr], dict]] = [([], bound)]
        for arg in expr.args:
            products = [_joined(f, b, g, c, bound) for f, b in products for g, c in _terms(arg, bound)]
            if len(products) > _TERMS:
                raise _NoChain("too many terms")
        return products
    if isinstance(expr, Pow) and expr.exp.is_Integer and 1 < expr.exp <= _RUN and free_indices(expr.base):
        return _terms(Mul(*[expr.base] * int(expr.exp), evaluate=False), bound)
    return [([expr], bound)]


def _joined(left: list[Expr], left_bound: dict, right: list[Expr], right_bound: dict,
            outer: dict) -> tuple[list[Expr], dict]:
    """The product of two products, the right one's summed indices renamed where the left one sums the same
    (``outer``: the indices summed around both)."""
    clashes = {k: fresh_index(str(k).lstrip("_")) for k in right_bound if k in left_bound and k not in outer}
    renamed = [f.xreplace(clashes) for f in right]
    joined = {**left_bound, **{clashes.get(k, k): v for k, v in right_bound.items()}}
    return left + renamed, joined


def _contracted(factors: list[Expr], bound: dict) -> list[Expr]:
    """The factors with every delta of a summed index summed over (``\\sum_k \\delta_{i,k} X_{k,j} = X_{i,j}``)."""
    factors = list(factors)
    while True:
        found = next((f for f in factors if isinstance(f, Delta) and set(f.args) & set(bound)), None)
        if found is None:
            return factors
        a, b = found.args
        gone, kept = (b, a) if b in bound else (a, b)
        del bound[gone]
        factors.remove(found)
        factors = [f.xreplace({gone: kept}) for f in factors]


def _identity(factor: Delta, free: Sequence[Symbol], shape) -> _Edge:
    if len(free) != 2 or set(factor.args) != set(free) or shape[0] != shape[1]:
        raise _NoChain(str(factor))
    text = f"I_{{{_print(shape[0])}}}"
    return _Edge(text, text, tuple(factor.args), (shape[0], shape[1]))


def _diagonals(edges: list[_Edge], bound: dict, free: Sequence[Symbol]) -> list[_Edge]:
    """A vector's entry ``a_p`` at an index that two other factors join (or one, ``p`` free) is the
    diagonal matrix ``\\operatorname{diag}(a)`` between them (``a_i [A B]_{i,j}``); ``bound`` gains its new index."""
    edges = list(edges)
    while True:
        pairs = ((e, _joined_by(e, edges, bound, free)) for e in edges)
        vector, moved = next(((e, m) for e, m in pairs if m is not None), (None, None))
        if vector is None or moved is None:
            return edges
        fresh, at, extent = fresh_index("d"), vector.ends[0], vector.extents[0]
        ends = (fresh, moved.ends[1]) if moved.ends[0] == at else (moved.ends[0], fresh)
        text = rf"\operatorname{{diag}}({vector.text})"
        edges = [e for e in edges if e is not vector and e is not moved]
        edges += [_Edge(text, text, (at, fresh), (extent, extent)), _Edge(moved.text, moved.transposed, ends, moved.extents)]
        bound[fresh] = extent


def _joined_by(vector: _Edge, edges: list[_Edge], bound: dict, free: Sequence[Symbol]) -> _Edge | None:
    """The factor to move off ``vector``'s index when that index joins it to more factors than a chain allows."""
    if vector.ends[1] is not UNIT or not vector.text.replace("\\", "").isalpha():
        return None
    at = vector.ends[0]
    others = [e for e in edges if e is not vector and at in e.ends]
    if len(others) != (1 if at in free else 2 if at in bound else -1) or any(e.ends[0] == e.ends[1] for e in others):
        return None
    return min(others, key=lambda e: e.ends[1] is UNIT)  # a matrix rather than another vector


def _check_degrees(edges: list[_Edge], bound: dict, free: Sequence[Symbol]) -> None:
    """Each summed index ends exactly two edges, each free index one; nothing else is an end."""
    counts: dict[Expr, int] = {}
    for edge in edges:
        for end in edge.ends:
            counts[end] = counts.get(end, 0) + 1
    for end, count in counts.items():
        if end is UNIT:
            continue
        wanted = 2 if end in bound else 1 if end in free else 0
        if count != wanted:
            raise _NoChain(str(end))
    if any(index not in counts for index in free):
        raise _NoChain("a free index is in no factor")


def _check_extents(edges: list[_Edge], bound: dict) -> None:
    """Each summed index runs over the whole side of every factor it joins (not ``\\sum_{k=1}^{N-1}``)."""
    for edge in edges:
        for end, extent in zip(edge.ends, edge.extents):
            if end in bound and sympy.expand(bound[end] - extent) != 0:
                raise _NoChain(f"{end} runs to {bound[end]}, not {extent}")


# -- chains -----------------------------------------------------------------------------
def _walk(edges: list[_Edge], start: Expr, stops: set) -> tuple[list[str], Expr, list[str]]:
    """Follow edges from index ``start`` until a stop or the unit end (used edges removed): the
    factors met, where it stopped, and the same factors read the other way (their transposes)."""
    texts: list[str] = []
    backwards: list[str] = []
    at = start
    while True:
        edge = next((e for e in edges if at in e.ends), None)
        if edge is None:
            raise _NoChain(str(at))
        edges.remove(edge)
        text, at = edge.oriented(at)
        texts.append(text)
        backwards.append(edge.oriented(at)[0] if edge.ends[0] != edge.ends[1] else edge.transposed)
        if at is UNIT or at in stops:
            return texts, at, backwards


def _chain(edges: list[_Edge], free: Sequence[Symbol]) -> list[str]:
    """The matrix chain from the row index to the column index (or through two unit ends), removed from ``edges``."""
    if not free:
        return []
    row, col = (list(free) + [None])[:2]
    texts, end, _ = _walk(edges, row, {col} if col is not None else set())
    if col is None or end == col:
        return texts
    _, _, back = _walk(edges, col, set())
    return texts + back[::-1]


def _without_identities(chain: list[str]) -> list[str]:
    """``I_{K} \\operatorname{diag}(p)`` is ``\\operatorname{diag}(p)``: an identity beside another factor
    (of its size, as the chain's indices join them) is left out."""
    kept = [text for text in chain if not text.startswith("I_{")]
    return kept or chain[:1]


def _closed(edges: list[_Edge]) -> list[str]:
    """The scalars left: chains between two unit ends (``a^T B c``) and closed chains (traces); empties ``edges``."""
    scalars: list[str] = []
    while edges:
        ones = [e for e in edges if e.text == ONES]  # 1^T a rather than a^T 1
        edge = next((e for e in ones + edges if UNIT in e.ends), None)
        if edge is not None:
            edges.remove(edge)
            first, at = edge.oriented(UNIT)
            rest = _walk(edges, at, set())[0] if at is not UNIT else []
            scalars.append(f"({' '.join(_runs([first, *rest]))})")
            continue
        edge = edges.pop()
        rest = _walk(edges, edge.ends[1], {edge.ends[0]})[0] if edge.ends[0] != edge.ends[1] else []
        scalars.append(rf"\operatorname{{tr}}({' '.join(_runs([edge.text, *rest]))})")
    return scalars


def _runs(chain: list[str]) -> list[str]:
    """Runs of one plain name or its transpose written as powers: ``X X`` is ``X^{2}``, ``X^T X^T`` is ``(X^{2})^T``."""
    made: list[str] = []
    count = 0
    for n, text in enumerate(chain):
        count += 1
        if n + 1 < len(chain) and chain[n + 1] == text:
            continue
        name = text[:-2] if text.endswith("^T") else text
        if count > 1 and name.replace("\\", "").isalpha():
            power = f"{name}^{{{count}}}"
            made.append(f"({power})^T" if text.endswith("^T") else power)
        else:
            made.extend([text] * count)
        count = 0
    return made


def _merged(terms: list[_Term]) -> list[_Term]:
    """Terms with the same scalars and chain added up; those that cancel dropped."""
    sums: dict[tuple, Expr] = {}
    for term in terms:
        key = (term.scalars, term.chain)
        sums[key] = sums.get(key, sympy.S.Zero) + term.scalar
    return [_Term(sympy.expand(s), k[0], k[1]) for k, s in sums.items() if sympy.expand(s) != 0]


def _common(chains: list[tuple[str, ...]]) -> int:
    """The length of the prefix all chains share."""
    length = 0
    for column in zip(*chains):
        if len(set(column)) != 1:
            break
        length += 1
    return length


# -- inverses ---------------------------------------------------------------------------
def _bracketed(text: str, left: str = "", right: str = "") -> str:
    """``text`` as an operand: a plain name as it is (or in ``left``, ``right``), anything else in ``\\left( \\right)``."""
    plain = text.replace("\\", "").isalpha()
    return f"{left}{text}{right}" if plain else rf"\left({text}\right)"


def _inverse_texts(matrix: str) -> tuple[str, str]:
    """The LaTeX of the inverse of ``matrix`` and of its transpose (``X^{-1}``, ``X^{-T}``)."""
    if matrix.endswith("^T") and matrix[:-2].replace("\\", "").isalpha():
        name = matrix[:-2]
        return f"{name}^{{-T}}", f"{name}^{{-1}}"
    base = _bracketed(matrix)
    return f"{base}^{{-1}}", f"{base}^{{-T}}"


def chain_forms(expr: Expr, free: Sequence[Symbol], shape: tuple[Expr, Expr], shape_of,
                symmetric: frozenset[str] = frozenset()) -> Iterator[str]:
    """The proposals of :class:`Reader` for ``expr`` with free indices ``free`` (row, column), unverified."""
    yield from Reader(shape_of, symmetric).forms(expr, free, shape)
