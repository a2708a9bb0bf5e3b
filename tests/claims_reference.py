r"""Independent reference for the claims harness (tests/test_engine_claims_differential.py).

Claims are small trees of our own (no deriv code, no LaTeX parsing): scalar
expressions over declared scalars, sizes, vectors and matrices.  A tree is

* rendered to the LaTeX deriv reads (:func:`latex`), and
* evaluated here, exactly: ``Fraction`` for everything rational, ``mpmath.iv``
  intervals (rigorous) for ``\exp``, ``\log`` and irrational ``\sqrt``; matrices
  are lists of rows, definiteness is decided by exact minors (Sylvester).

:func:`refute` searches a pool of structured instances (sizes 1-4, entries in
{-2, -1, 0, 1, 2} with halves, zero / equal / opposite / parallel /
orthogonal vectors, rank-deficient matrices) that satisfy the document's
assumptions, plus, for a claim in one scalar, the real roots of the difference
and rational points between them, and returns a certified counterexample or
None.  Finding none proves nothing: only a refutation is a verdict.
"""

from __future__ import annotations

import itertools
import random
import functools
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable, Union

import mpmath
import sympy

IV = mpmath.iv
IV.prec = 120

# -- the trees --------------------------------------------------------------------------


@dataclass(frozen=True)
class Num:
    q: Fraction


@dataclass(frozen=True)
class Sym:
    name: str  # a declared scalar


@dataclass(frozen=True)
class Size:
    name: str  # a size used as a value


@dataclass(frozen=True)
class Bin:
    op: str  # + - * /
    x: "Expr"
    y: "Expr"


@dataclass(frozen=True)
class Pow:
    x: "Expr"
    k: int  # >= 2


@dataclass(frozen=True)
class Fn:
    name: str  # abs exp log sqrt neg
    x: "Expr"


@dataclass(frozen=True)
class Dot:
    u: "Vec"
    v: "Vec"


@dataclass(frozen=True)
class NormSq:
    u: "Vec"


@dataclass(frozen=True)
class Quad:
    u: "Vec"
    m: "Mat"
    v: "Vec"


@dataclass(frozen=True)
class Trace:
    m: "Mat"


Expr = Union[Num, Sym, Size, Bin, Pow, Fn, Dot, NormSq, Quad, Trace]


@dataclass(frozen=True)
class VSym:
    name: str


@dataclass(frozen=True)
class VBin:
    op: str  # + -
    u: "Vec"
    v: "Vec"


@dataclass(frozen=True)
class VScale:
    k: Expr
    u: "Vec"


@dataclass(frozen=True)
class MatVec:
    m: "Mat"
    u: "Vec"


Vec = Union[VSym, VBin, VScale, MatVec]


@dataclass(frozen=True)
class MSym:
    name: str


@dataclass(frozen=True)
class MT:
    m: "Mat"


@dataclass(frozen=True)
class MMul:
    m: "Mat"
    n: "Mat"


@dataclass(frozen=True)
class MBin:
    op: str  # + -
    m: "Mat"
    n: "Mat"


@dataclass(frozen=True)
class MScale:
    k: Expr
    m: "Mat"


@dataclass(frozen=True)
class Eye:
    k: Expr  # k I_N
    size: str


@dataclass(frozen=True)
class Outer:
    u: Vec
    v: Vec


Mat = Union[MSym, MT, MMul, MBin, MScale, Eye, Outer]

RELATIONS = {">": ">", "<": "<", ">=": r"\geq", "<=": r"\leq", "!=": r"\neq"}


@dataclass(frozen=True)
class Claim:
    lhs: Expr
    rel: str  # a key of RELATIONS
    rhs: Expr


@dataclass(frozen=True)
class Definite:
    m: Mat
    strict: bool


@dataclass(frozen=True)
class Forall:
    q: Expr  # a homogeneous quadratic form in the vector ``var``
    strict: bool
    var: str


Statement = Union[Claim, Definite, Forall]


@dataclass(frozen=True)
class Declared:
    """The document's objects: kind and shape of every name, and its assumptions."""

    scalars: dict[str, bool]  # name -> positive
    vectors: dict[str, tuple[str, bool]]  # name -> (size, positive)
    matrices: dict[str, tuple[str, str, str]]  # name -> (rows, cols, "plain"|"symmetric"|"positive")
    assumptions: tuple[Statement, ...]


# -- LaTeX ------------------------------------------------------------------------------

def _paren(text: str) -> str:
    return rf"\left({text}\right)"


def _num(q: Fraction) -> str:
    body = str(abs(q.numerator)) if q.denominator == 1 else rf"\frac{{{abs(q.numerator)}}}{{{q.denominator}}}"
    return "-" + body if q < 0 else body


def _expr(e: Expr) -> tuple[str, int]:
    """LaTeX and its precedence: 0 a sum, 1 a product or signed, 2 a closed form, 3 a name or number."""
    if isinstance(e, Num):
        return _num(e.q), (3 if e.q.denominator == 1 else 2) if e.q >= 0 else 0
    if isinstance(e, Sym):
        return (rf"\{e.name}" if len(e.name) > 1 else e.name), 3
    if isinstance(e, Size):
        return e.name, 3
    if isinstance(e, Bin):
        return _bin(e)
    if isinstance(e, Pow):
        return rf"{_at(e.x, 3)}^{{{e.k}}}", 2
    if isinstance(e, Fn):
        return _fn(e)
    if isinstance(e, Dot):
        return rf"{_vat(e.u)}^T {_vat(e.v)}", 1
    if isinstance(e, NormSq):
        return rf"\|{_vec(e.u)}\|^2", 2
    if isinstance(e, Quad):
        return rf"{_vat(e.u)}^T {_mat_at(e.m, 2)} {_vat(e.v)}", 1
    if isinstance(e, Trace):
        return rf"\operatorname{{tr}}\left({_mat(e.m)}\right)", 2
    raise TypeError(e)


def _at(e: Expr, level: int) -> str:
    text, prec = _expr(e)
    return _paren(text) if prec < level else text


def _bin(e: Bin) -> tuple[str, int]:
    if e.op == "+":
        return f"{_at(e.x, 0)} + {_at(e.y, 1 if _signed(e.y) else 0)}", 0
    if e.op == "-":
        return f"{_at(e.x, 0)} - {_at(e.y, 1)}", 0
    if e.op == "*":
        left = _at(e.x, 1)
        right = _at(e.y, 2) if isinstance(e.y, Num) or _signed(e.y) else _at(e.y, 1)
        return f"{left} {right}", 1
    return rf"\frac{{{_at(e.x, 0)}}}{{{_at(e.y, 0)}}}", 2


def _signed(e: Expr) -> bool:
    text, _ = _expr(e)
    return text.startswith("-")


def _fn(e: Fn) -> tuple[str, int]:
    inner, _ = _expr(e.x)
    if e.name == "abs":
        return rf"\left|{inner}\right|", 2
    if e.name == "sqrt":
        return rf"\sqrt{{{inner}}}", 2
    if e.name == "neg":
        return f"-{_at(e.x, 1)}", 0
    return rf"\{e.name}\left({inner}\right)", 2


def _vec(v: Vec) -> str:
    if isinstance(v, VSym):
        return v.name
    if isinstance(v, VBin):
        return f"{_vec(v.u)} {v.op} {_vat(v.v)}"
    if isinstance(v, VScale):
        return f"{_at(v.k, 2)} {_vat(v.u)}"
    return f"{_mat_at(v.m, 2)} {_vat(v.u)}"


def _vat(v: Vec) -> str:
    return v.name if isinstance(v, VSym) else _paren(_vec(v))


def _mat(m: Mat) -> str:
    if isinstance(m, MSym):
        return m.name
    if isinstance(m, MT):
        return f"{_mat_at(m.m, 3)}^T"
    if isinstance(m, MMul):
        return f"{_mat_at(m.m, 2)} {_mat_at(m.n, 2)}"
    if isinstance(m, MBin):
        return f"{_mat(m.m)} {m.op} {_mat_at(m.n, 2)}"
    if isinstance(m, MScale):
        return f"{_at(m.k, 2)} {_mat_at(m.m, 2)}"
    if isinstance(m, Eye):
        return f"{_at(m.k, 2)} I_{m.size}"
    return f"{_vat(m.u)} {_vat(m.v)}^T"


def _mat_level(m: Mat) -> int:
    if isinstance(m, (MSym, MT)):
        return 3
    return 2 if isinstance(m, MMul) else 1


def _mat_at(m: Mat, level: int) -> str:
    return _paren(_mat(m)) if _mat_level(m) < level else _mat(m)


def latex(s: Statement) -> str:
    """The display's LaTeX (without ``$$``)."""
    if isinstance(s, Claim):
        return f"{_expr(s.lhs)[0]} {RELATIONS[s.rel]} {_expr(s.rhs)[0]}"
    if isinstance(s, Definite):
        return rf"{_mat(s.m)} \succ{'' if s.strict else 'eq'} 0"
    rel = ">" if s.strict else r"\geq"
    return rf"{_expr(s.q)[0]} {rel} 0 \quad \forall {s.var} \neq 0"


def assumption_latex(s: Statement) -> str:
    if isinstance(s, Claim) and s.rel == "!=" and isinstance(s.lhs, NormSq):
        return rf"{_vec(s.lhs.u)} \neq 0"  # a vector is nonzero
    return latex(s)


def front_matter(d: Declared) -> str:
    lines = ["---", "title: claims harness", "symbols:"]
    for name, positive in d.scalars.items():
        key = rf"\{name}" if len(name) > 1 else name
        lines.append(f"  {key}: {'positive ' if positive else ''}scalar")
    for name, (size, positive) in d.vectors.items():
        lines.append(f"  {name}: {'positive ' if positive else ''}vector {size}")
    for name, (rows, cols, kind) in d.matrices.items():
        prefix = "" if kind == "plain" else kind + " "
        lines.append(f"  {name}: {prefix}matrix {rows} x {cols}")
    if d.assumptions:
        lines.append("assumptions:")
        lines += ["  - " + assumption_latex(a).replace("\\", "\\\\").join('""') for a in d.assumptions]
    return "\n".join(lines + ["---", "", ""])


# -- exact values -------------------------------------------------------------------------

Value = Union[Fraction, "mpmath.ctx_iv.ivmpf"]  # an exact rational, or a rigorous interval


class Undefined(Exception):
    """A side is undefined (or its sign can not be certified) at this point."""


def _iv(x: Value):
    if isinstance(x, RATIONAL):
        q = Fraction(x)
        return IV.mpf(q.numerator) / IV.mpf(q.denominator)
    return x


def _exact_sqrt(q: Fraction) -> Fraction | None:
    n, d = sympy.integer_nthroot(q.numerator, 2), sympy.integer_nthroot(q.denominator, 2)
    return Fraction(int(n[0]), int(d[0])) if n[1] and d[1] else None


def _positive(x: Value) -> bool:
    return x > 0 if isinstance(x, RATIONAL) else bool(x.a > 0)


def _negative_or_zero(x: Value) -> bool:
    return x <= 0 if isinstance(x, RATIONAL) else bool(x.b <= 0)


def apply_fn(name: str, x: Value) -> Value:
    if name == "neg":
        return -x
    if name == "abs":
        if isinstance(x, RATIONAL):
            return abs(x)
        if x.a >= 0 or x.b <= 0:
            return x if x.a >= 0 else -x
        raise Undefined("abs of an interval around 0")
    if name == "exp":
        return 1 if x == 0 else IV.exp(_iv(x))
    if name == "log":
        if _negative_or_zero(x) or not _positive(x):
            raise Undefined("log of a value not certainly positive")
        return 0 if x == 1 else IV.log(_iv(x))
    if name == "sqrt":
        if isinstance(x, RATIONAL):
            if x < 0:
                raise Undefined("sqrt of a negative value")
            root = _exact_sqrt(Fraction(x))
            return root if root is not None else IV.sqrt(_iv(x))
        if x.a < 0:
            raise Undefined("sqrt of an interval not certainly >= 0")
        return IV.sqrt(x)
    raise ValueError(name)


RATIONAL = (int, Fraction)


def _norm(q: Fraction) -> int | Fraction:
    return q.numerator if q.denominator == 1 else q


def _arith(op: str, x: Value, y: Value) -> Value:
    if type(x) is int and type(y) is int and op != "/":  # the common case, fast
        return x + y if op == "+" else x - y if op == "-" else x * y
    if isinstance(x, RATIONAL) and isinstance(y, RATIONAL):
        if op == "/":
            if y == 0:
                raise Undefined("division by 0")
            return _norm(Fraction(x) / y)
        return _norm(Fraction({"+": x + y, "-": x - y, "*": x * y}[op]))
    a, b = _iv(x), _iv(y)
    if op == "/":
        if b.a <= 0 <= b.b:
            raise Undefined("division by an interval around 0")
        return a / b
    return {"+": a + b, "-": a - b, "*": a * b}[op]


Instance = dict  # name -> Fraction | list[Fraction] | list[list[Fraction]]; sizes by name


@dataclass
class Evaluator:
    inst: Instance
    fixed: str | None = None  # a vector that changes between calls: matrices without it are cached
    cache: dict = field(default_factory=dict)

    def expr(self, e: Expr) -> Value:
        if isinstance(e, Num):
            return _norm(e.q)
        if isinstance(e, (Sym, Size)):
            return self.inst[e.name]
        if isinstance(e, Bin):
            return _arith(e.op, self.expr(e.x), self.expr(e.y))
        if isinstance(e, Pow):
            x = self.expr(e.x)
            return x ** e.k if isinstance(x, RATIONAL) else x ** e.k
        if isinstance(e, Fn):
            return apply_fn(e.name, self.expr(e.x))
        if isinstance(e, Dot):
            return _sum(_arith("*", p, q) for p, q in zip(self.vec(e.u), self.vec(e.v), strict=True))
        if isinstance(e, NormSq):
            return _sum(_arith("*", p, p) for p in self.vec(e.u))
        if isinstance(e, Quad):
            mv = _matvec(self.mat(e.m), self.vec(e.v))
            return _sum(_arith("*", p, q) for p, q in zip(self.vec(e.u), mv, strict=True))
        if isinstance(e, Trace):
            m = self.mat(e.m)
            return _sum(m[i][i] for i in range(len(m)))
        raise TypeError(e)

    def vec(self, v: Vec) -> list[Value]:
        if isinstance(v, VSym):
            return list(self.inst[v.name])
        if isinstance(v, VBin):
            return [_arith(v.op, p, q) for p, q in zip(self.vec(v.u), self.vec(v.v), strict=True)]
        if isinstance(v, VScale):
            k = self.expr(v.k)
            return [_arith("*", k, p) for p in self.vec(v.u)]
        return _matvec(self.mat(v.m), self.vec(v.u))

    def mat(self, m: Mat) -> list[list[Value]]:
        if self.fixed is not None and self.fixed not in names_in(m):
            if m not in self.cache:
                self.cache[m] = self._mat(m)
            return self.cache[m]
        return self._mat(m)

    def _mat(self, m: Mat) -> list[list[Value]]:
        if isinstance(m, MSym):
            return [list(r) for r in self.inst[m.name]]
        if isinstance(m, MT):
            return [list(c) for c in zip(*self.mat(m.m))]
        if isinstance(m, MMul):
            a, b = self.mat(m.m), self.mat(m.n)
            assert len(a[0]) == len(b)
            return [[_sum(_arith("*", a[i][k], b[k][j]) for k in range(len(b))) for j in range(len(b[0]))]
                    for i in range(len(a))]
        if isinstance(m, MBin):
            a, b = self.mat(m.m), self.mat(m.n)
            return [[_arith(m.op, p, q) for p, q in zip(r, s, strict=True)] for r, s in zip(a, b, strict=True)]
        if isinstance(m, MScale):
            k = self.expr(m.k)
            return [[_arith("*", k, p) for p in r] for r in self.mat(m.m)]
        if isinstance(m, Eye):
            k, n = self.expr(m.k), self.inst[m.size]
            return [[k if i == j else 0 for j in range(n)] for i in range(n)]
        u, v = self.vec(m.u), self.vec(m.v)
        return [[_arith("*", p, q) for q in v] for p in u]


def _sum(values) -> Value:
    total: Value = 0
    for v in values:
        total = _arith("+", total, v)
    return total


def _matvec(m: list[list[Value]], v: list[Value]) -> list[Value]:
    assert len(m[0]) == len(v)
    return [_sum(_arith("*", p, q) for p, q in zip(row, v, strict=True)) for row in m]


# -- definiteness (exact) ---------------------------------------------------------------

def det(m: list[list[Fraction]]) -> Fraction:
    """Exact determinant by elimination with row exchanges."""
    a = [list(r) for r in m]
    n, sign, out = len(a), 1, Fraction(1)
    for c in range(n):
        pivot = next((r for r in range(c, n) if a[r][c] != 0), None)
        if pivot is None:
            return Fraction(0)
        if pivot != c:
            a[c], a[pivot], sign = a[pivot], a[c], -sign
        out *= a[c][c]
        for r in range(c + 1, n):
            f = a[r][c] / a[c][c]
            a[r] = [x - f * y for x, y in zip(a[r], a[c])]
    return sign * out


def is_definite(m: list[list[Value]], strict: bool) -> bool:
    """Whether x^T m x > 0 (>= 0) for every real x != 0: minors of the symmetric part."""
    if not all(isinstance(x, RATIONAL) for r in m for x in r):
        raise Undefined("a matrix entry is not rational")
    n = len(m)
    s = [[Fraction(m[i][j] + m[j][i], 2) for j in range(n)] for i in range(n)]
    if strict:
        return all(det([r[:k] for r in s[:k]]) > 0 for k in range(1, n + 1))
    return all(det([[s[i][j] for j in sub] for i in sub]) >= 0
               for k in range(1, n + 1) for sub in itertools.combinations(range(n), k))


# -- a statement at one instance -----------------------------------------------------------

def violated(s: Statement, inst: Instance) -> bool:
    """True when ``s`` certainly fails at ``inst``; raises Undefined when that can not be told."""
    ev = Evaluator(inst)
    if isinstance(s, Definite):
        return not is_definite(ev.mat(s.m), s.strict)
    if isinstance(s, Forall):
        return not is_definite(gram(s, inst), s.strict)
    d = _arith("-", ev.expr(s.lhs), ev.expr(s.rhs))
    if isinstance(d, RATIONAL):
        return not {">": d > 0, "<": d < 0, ">=": d >= 0, "<=": d <= 0, "!=": d != 0}[s.rel]
    if s.rel in (">", ">="):
        return bool(d.b < 0)
    if s.rel in ("<", "<="):
        return bool(d.a > 0)
    return False  # != fails only at an exact 0, which an interval never shows


def holds(s: Statement, inst: Instance) -> bool:
    """True when ``s`` certainly holds at ``inst`` (the assumptions' test)."""
    if isinstance(s, Claim):
        negation = {">": "<=", "<": ">=", ">=": "<", "<=": ">", "!=": None}[s.rel]
        if negation is None:
            d = _arith("-", Evaluator(inst).expr(s.lhs), Evaluator(inst).expr(s.rhs))
            return d != 0 if isinstance(d, RATIONAL) else not (d.a <= 0 <= d.b)
        return violated(Claim(s.lhs, negation, s.rhs), inst)
    return not violated(s, inst)


def gram(s: Forall, inst: Instance) -> list[list[Value]]:
    """The Gram matrix of a quadratic form in ``s.var`` (checked homogeneous quadratic)."""
    n = inst[inst["size:" + s.var]]
    evaluator = Evaluator(dict(inst), fixed=s.var)

    def ev(x: list) -> Fraction:
        evaluator.inst[s.var] = x
        return _exact(evaluator.expr(s.q))

    e = [[int(i == j) for j in range(n)] for i in range(n)]
    diag = [ev(e[i]) for i in range(n)]
    g = [[diag[i] if i == j else (ev([p + q for p, q in zip(e[i], e[j])]) - diag[i] - diag[j]) / 2
          for j in range(n)] for i in range(n)]
    probe = [Fraction(k % 3 - 1, 1 + k % 2) for k in range(n)]
    form = sum(probe[i] * g[i][j] * probe[j] for i in range(n) for j in range(n))
    if ev(probe) != form or ev([2 * p for p in probe]) != 4 * form:
        raise Undefined("not a homogeneous quadratic form")
    return g


def _exact(x: Value) -> Fraction:
    if not isinstance(x, RATIONAL):
        raise Undefined("not rational")
    return Fraction(x)


# -- instances ------------------------------------------------------------------------------

GRID = (-2, -1, 0, 1, 2)
HALVES = (Fraction(-1, 2), Fraction(1, 2))


def _entry(rng: random.Random, positive: bool, halves: bool = False) -> int | Fraction:
    """An entry of the grid; halves only for scalars (array arithmetic stays in ints, fast)."""
    values = GRID + HALVES if halves and rng.random() < 0.3 else GRID
    return rng.choice([g for g in values if g > 0 or not positive])


def _vector(rng: random.Random, n: int, positive: bool, others: list[list[Fraction]]) -> list[Fraction]:
    """Random, zero, or related to a vector already drawn (equal, opposite, parallel, orthogonal)."""
    roll = rng.random()
    if positive or not others or roll < 0.45:
        v = [_entry(rng, positive) for _ in range(n)]
        if not positive and roll < 0.1:
            v = [0] * n
        elif not positive and roll < 0.2:
            v[rng.randrange(n)] = 0
        return v
    base = rng.choice(others)
    if len(base) != n:
        return [_entry(rng, False) for _ in range(n)]
    if roll < 0.8:
        return [rng.choice((1, -1, 2, -2)) * x for x in base]
    if n == 1:
        return [0]
    i, j = rng.sample(range(n), 2)  # orthogonal: a rotation of two entries, the rest 0
    w = [0] * n
    w[i], w[j] = -base[j], base[i]
    return w


def _matrix(rng: random.Random, r: int, c: int, kind: str) -> list[list[Fraction]]:
    roll = rng.random()
    if kind == "positive":
        return [[_entry(rng, True) for _ in range(c)] for _ in range(r)]
    if roll < 0.1:
        m = [[0] * c for _ in range(r)]
    elif roll < 0.25 and kind == "symmetric":  # definite ones with eigenvalues below 1, and singular ones
        m = [[rng.choice((0, Fraction(1, 2), 1, 2)) if i == j else 0 for j in range(c)] for i in range(r)]
    elif roll < 0.35:  # rank one
        u = [_entry(rng, False) for _ in range(r)]
        v = [_entry(rng, False) for _ in range(c)]
        m = [[p * q for q in v] for p in u]
    elif roll < 0.5 and r == c:  # a Gram matrix, maybe singular, plus a small shift
        b = [[_entry(rng, False) for _ in range(c)] for _ in range(rng.randint(1, r))]
        shift = rng.choice((0, 0, 1))
        m = [[sum(b[k][i] * b[k][j] for k in range(len(b))) + (shift if i == j else 0) for j in range(c)]
             for i in range(r)]
    else:
        m = [[_entry(rng, False) for _ in range(c)] for _ in range(r)]
    if kind == "symmetric":
        m = [[m[i][j] if i <= j else m[j][i] for j in range(c)] for i in range(r)]
    return m


SIZES = ("N", "M")


def draw_instance(d: Declared, rng: random.Random, sizes: dict[str, int]) -> Instance:
    inst: Instance = dict(sizes)
    for name, positive in d.scalars.items():
        inst[name] = _entry(rng, positive, halves=True)
    drawn: list[list[Fraction]] = []
    for name, (size, positive) in d.vectors.items():
        inst[name] = _vector(rng, sizes[size], positive, drawn)
        inst["size:" + name] = size
        drawn.append(inst[name])
    for name, (r, c, kind) in d.matrices.items():
        inst[name] = _matrix(rng, sizes[r], sizes[c], kind)
    return inst


def _satisfies(d: Declared, inst: Instance) -> bool:
    try:
        return all(holds(a, inst) for a in d.assumptions)
    except Undefined:
        return False


def pool(d: Declared, rng: random.Random, per_size: int = 10) -> list[Instance]:
    """Instances at every size assignment in 1-4 that satisfy the assumptions exactly."""
    out: list[Instance] = []
    for n, m in itertools.product(range(1, 5), range(1, 5)):
        found = 0
        for _ in range(per_size * 4):
            inst = draw_instance(d, rng, {"N": n, "M": m})
            if _satisfies(d, inst):
                out.append(inst)
                found += 1
                if found == per_size:
                    break
    return out


# -- one scalar: the roots of the difference ---------------------------------------------------

def to_sympy(e: Expr, names: dict[str, sympy.Symbol]) -> sympy.Expr:
    """A scalar tree without arrays as a SymPy expression (for its roots)."""
    if isinstance(e, Num):
        return sympy.Rational(e.q.numerator, e.q.denominator)
    if isinstance(e, (Sym, Size)):
        return names[e.name] if e.name in names else sympy.Symbol(e.name, real=True)
    if isinstance(e, Bin):
        x, y = to_sympy(e.x, names), to_sympy(e.y, names)
        return {"+": x + y, "-": x - y, "*": x * y, "/": x / y}[e.op]
    if isinstance(e, Pow):
        return to_sympy(e.x, names) ** e.k
    if isinstance(e, Fn):
        x = to_sympy(e.x, names)
        return {"abs": sympy.Abs, "exp": sympy.exp, "log": sympy.log, "sqrt": sympy.sqrt,
                "neg": lambda y: -y}[e.name](x)
    raise TypeError(e)


@functools.lru_cache(maxsize=100_000)
def names_in(e) -> frozenset[str]:
    return frozenset(_names_in(e))


def _names_in(e) -> set[str]:
    """Scalar and size names a tree mentions (arrays included, as their names)."""
    if isinstance(e, (Sym, Size, VSym, MSym)):
        return {e.name}
    if isinstance(e, Eye):
        return names_in(e.k) | {e.size}
    if isinstance(e, (Num, Fraction, int, str, bool)):
        return set()
    out: set[str] = set()
    for v in vars(e).values():
        out |= names_in(v)
    return out


def _inner_roots(e: Expr, t: sympy.Symbol, target: sympy.Expr) -> list[sympy.Expr]:
    """Real t with e(t) = target, for e a polynomial in t under abs/exp/log/sqrt (peeled)."""
    while isinstance(e, Fn) and e.name != "neg":
        target = {"exp": sympy.log, "log": sympy.exp, "sqrt": lambda y: y ** 2, "abs": lambda y: y}[e.name](target)
        if e.name == "abs":
            return _inner_roots(e.x, t, target) + _inner_roots(e.x, t, -target)
        e = e.x
    p = sympy.Poly(to_sympy(e, {"t": t}) - target, t)
    if p.degree() < 1 or p.degree() > 4:
        return []
    return [r for r in sympy.roots(p, filter="R", multiple=True)]


def scalar_points(claim: Claim, var: str) -> list[sympy.Expr]:
    """Where the two sides of a claim in one scalar meet, and rational points around them.

    The difference is a polynomial (its real roots, exactly), or one side is a
    function of a polynomial and the other a constant (roots by inverting it).
    """
    t = sympy.Symbol("t", real=True)
    points: list[sympy.Expr] = []
    lhs, rhs = to_sympy(claim.lhs, {var: t}), to_sympy(claim.rhs, {var: t})
    d = sympy.together(lhs - rhs)
    num, _ = sympy.fraction(d)
    if num.is_polynomial(t):
        points = list(sympy.Poly(num, t).real_roots()) if sympy.Poly(num, t).degree() >= 1 else []
    else:
        for side, other in ((claim.lhs, rhs), (claim.rhs, lhs)):
            if not other.has(t) and isinstance(side, Fn):
                points += _inner_roots(side, t, other)
    approx = sorted({Fraction(str(sympy.Rational(sympy.N(p, 30)).limit_denominator(10**6))) for p in points
                     if p.is_real})
    between = [(a + b) / 2 for a, b in zip(approx, approx[1:])]
    around = [approx[0] - 1, approx[-1] + 1] if approx else []
    return points + [sympy.Rational(q.numerator, q.denominator) for q in between + around]


def violated_at_algebraic(claim: Claim, var: str, r: sympy.Expr) -> bool:
    """At an irrational point: the difference is zero there by construction; checked numerically."""
    t = sympy.Symbol("t", real=True)
    d = (to_sympy(claim.lhs, {var: t}) - to_sympy(claim.rhs, {var: t})).subs(t, r)
    value = sympy.N(d, 60)
    if not value.is_real or abs(value) > sympy.Float(10) ** -40:
        return False  # not a root of this difference after all (or complex): decide nothing
    for side in (claim.lhs, claim.rhs):  # both sides defined there
        if not _defined_at(side, var, r):
            return False
    return claim.rel in (">", "<", "!=")


def _defined_at(e: Expr, var: str, r: sympy.Expr) -> bool:
    try:
        return _defined(e, var, r)
    except TypeError:  # a value that is not a number: decide nothing
        return False


def _defined(e: Expr, var: str, r: sympy.Expr) -> bool:
    if isinstance(e, Fn) and e.name in ("log", "sqrt"):
        inner = sympy.N(to_sympy(e.x, {var: r}), 60)
        if e.name == "log" and not inner > 0 or e.name == "sqrt" and not inner >= 0:
            return False
    if isinstance(e, Bin) and e.op == "/" and sympy.N(to_sympy(e.y, {var: r}), 60) == 0:
        return False
    return all(_defined(c, var, r) for c in vars(e).values() if isinstance(c, (Bin, Fn, Pow)))


# -- the search ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Refutation:
    where: str  # a readable instance
    irrational: bool = False  # found at an irrational root of the difference


def _project(inst: Instance, names: set[str]) -> tuple:
    return tuple((n, repr(inst[n])) for n in sorted(names) if n in inst)


def _array_free(s: Statement) -> bool:
    return isinstance(s, Claim) and not any(isinstance(x, (Dot, NormSq, Quad, Trace))
                                            for x in walk(s.lhs) + walk(s.rhs))


def _lone_scalar(s: Statement, d: Declared) -> str | None:
    """The one scalar an array-free claim's difference depends on (terms added to both sides cancel)."""
    if not isinstance(s, Claim) or not _array_free(s):
        return None
    free = (to_sympy(s.lhs, {}) - to_sympy(s.rhs, {})).free_symbols
    if len(free) == 1 and str(next(iter(free))) in d.scalars:
        return str(next(iter(free)))
    return None


def _scalar_grid(s: Claim, d: Declared, base: Instance) -> Refutation | None:
    """Every combination of the claim's scalars in -4..4 (halves too) and sizes 1-9 (or a sample)."""
    names = sorted(n for n in names_in(s) if n in d.scalars or n in SIZES)
    wide = tuple(range(-4, 5)) + HALVES
    axes = [[g for g in wide if g > 0 or not d.scalars[n]] if n in d.scalars else list(range(1, 10)) for n in names]
    combos = list(itertools.product(*axes))
    if len(combos) > 3000:
        combos = random.Random(len(combos)).sample(combos, 3000)
    touched = [a for a in d.assumptions if names_in(a) & set(names)]
    for values in combos:
        inst = {**base, **dict(zip(names, values))}
        try:
            if all(holds(a, inst) for a in touched) and violated(s, inst):
                return Refutation(", ".join(f"{n} = {v}" for n, v in zip(names, values)))
        except Undefined:
            continue
    return None


def walk(e) -> list:
    out = [e]
    for v in vars(e).values() if hasattr(e, "__dataclass_fields__") else ():
        if hasattr(v, "__dataclass_fields__"):
            out += walk(v)
    return out


def refute(s: Statement, d: Declared, instances: list[Instance]) -> Refutation | None:
    """A certified counterexample to ``s`` among ``instances`` (which satisfy ``d``'s assumptions)."""
    used = set(names_in(s)) | {n for a in d.assumptions for n in names_in(a)}
    if isinstance(s, Forall):
        used.discard(s.var)
    seen: set[tuple] = set()
    for inst in instances:
        key = _project(inst, used)
        if key in seen:
            continue
        seen.add(key)
        try:
            if violated(s, inst):
                return Refutation(", ".join(f"{n} = {v}" for n, v in key))
        except Undefined:
            continue
    if _array_free(s):
        found = _scalar_grid(s, d, instances[0])  # type: ignore[arg-type]
        if found is not None:
            return found
    var = _lone_scalar(s, d)
    if var is not None:
        return _refute_at_roots(s, d, var, instances[0])  # type: ignore[arg-type]
    return None


def _refute_at_roots(s: Claim, d: Declared, var: str, base: Instance) -> Refutation | None:
    for r in scalar_points(s, var):
        if r.is_Rational:
            inst = {**base, var: Fraction(int(r.p), int(r.q))}
            if d.scalars[var] and not inst[var] > 0 or not _satisfies(d, inst):
                continue
            try:
                if violated(s, inst):
                    return Refutation(f"{var} = {inst[var]}")
            except Undefined:
                continue
        elif _algebraic_ok(d, var, r) and violated_at_algebraic(s, var, r):
            return Refutation(f"{var} = {r}", irrational=True)
    return None


def _algebraic_ok(d: Declared, var: str, r: sympy.Expr) -> bool:
    """An irrational point satisfies the assumptions about ``var`` (only simple ones are tried)."""
    value = sympy.N(r, 60)
    if d.scalars[var] and not value > 0:
        return False
    for a in d.assumptions:
        if names_in(a) - {var}:
            continue
        if not isinstance(a, Claim):
            return False
        diff = sympy.N(to_sympy(a.lhs, {var: r}) - to_sympy(a.rhs, {var: r}), 60)
        if abs(diff) < sympy.Float(10) ** -40:
            return False  # too close to call: skip the point
        if not {">": diff > 0, "<": diff < 0, ">=": diff > 0, "<=": diff < 0, "!=": True}[a.rel]:
            return False
    return True


Generator = Callable[[random.Random], Statement]
