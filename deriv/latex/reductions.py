"""The grammar's callbacks: LALR reductions to :mod:`deriv.latex.ast` nodes.

In: the children of each rule of ``grammar.lark`` as the parser reduces it
(tokens and nodes already built).  Out: syntax tree nodes.  Built during the
parse itself, so deep input never recurses here.  Problems found while
building are :class:`SyntaxProblem` with a 1-based column in the math.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from lark import Token, Transformer

from deriv.latex.ast import (
    Add,
    BigSum,
    Builtin,
    Call,
    Entrywise,
    Frac,
    Group,
    Hadamard,
    Inner,
    Kronecker,
    Nabla,
    Name,
    Neg,
    Node,
    Number,
    Partial,
    Partials,
    Prime,
    Product,
    Relation,
    Literal,
    LiteralRow,
    Root,
    Scripted,
    SumIndex,
    juxtaposed_names,
)
from deriv.latex.lexer import ENTRYWISE_MARK, LexError
from deriv.latex.product_scope import index_past_its_sum, stray_factor
from deriv.names import SCALAR_FUNCTIONS, shown_builtin


class SyntaxProblem(LexError):
    """A syntax problem found while building the tree (math column)."""


def problem_at(message: str, node: Any) -> SyntaxProblem:
    return SyntaxProblem(message, getattr(node, "column", 1) or 1)


@dataclass
class _Chain:
    """Factors of a product being collected (left-recursive rule)."""

    factors: list[Node] = field(default_factory=list)
    ops: list[str] = field(default_factory=list)

    def node(self) -> Node:
        if len(self.factors) == 1:
            return self.factors[0]
        return Product(tuple(self.factors), tuple(self.ops), column=self.factors[0].column)


@dataclass(frozen=True)
class _Script:
    """One parsed script: its comma-separated items, or the transpose mark."""

    items: tuple[Node, ...]
    transpose: bool = False
    column: int = 0


def _is_transpose(script: _Script) -> bool:
    """``^T``, ``^{T}``, ``^\\top``, ``^{\\top}``, ``^{\\mathsf{T}}``."""
    if script.transpose:
        return True
    if len(script.items) != 1:
        return False
    item = script.items[0]
    return isinstance(item, Name) and item.name == "T"


def _scripted(base: Node, scripts: list[tuple[str, _Script]]) -> Node:
    """Attach ``_`` and ``^`` scripts to ``base``."""
    sub: tuple[Node, ...] | None = None
    sup: Node | None = None
    transpose = letter_t = False
    for kind, script in scripts:
        if kind == "_":
            _reject_order_statistic(base, script.items)
            sub = script.items
        elif _is_transpose(script):
            transpose, letter_t = True, not script.transpose
        elif len(script.items) != 1 or isinstance(script.items[0], Relation):
            raise SyntaxProblem("a superscript must be a single expression", script.column)
        else:
            sup = _entrywise(script.items[0])
    power_first = sup is not None and sub is not None and scripts[0][0] == "^"
    return Scripted(base, sub=sub, sup=sup, transpose=transpose, column=base.column, letter_t=letter_t,
                    power_first=power_first)


def _reject_order_statistic(base: Node, items: tuple[Node, ...]) -> None:
    """``x_{(1)}`` is the smallest entry of ``x`` to a statistician (an order statistic), entry 1 to
    others: a subscript wholly in parentheses is an error asking for the entry's plain spelling."""
    for item in items:
        if isinstance(item, Group) and item.bracket == "(":
            raise problem_at(
                "a subscript in parentheses, as in x_{(1)}, is an order statistic (the smallest entry) to "
                "statisticians and an entry to others: write x_{1} for the entry (declare a name such as "
                "x_{(1)} for the other)", item)


def _is_mark(node: Node) -> bool:
    return isinstance(node, Name) and node.name == ENTRYWISE_MARK


def _entrywise(sup: Node) -> Node:
    """``{\\circ n}`` (read as the mark times ``n``) as a Hadamard power's exponent ``n``;
    any other superscript as it is."""
    if isinstance(sup, Product) and _is_mark(sup.factors[0]) and not sup.ops[0]:
        rest = sup.factors[1:]
        body = rest[0] if len(rest) == 1 else Product(rest, sup.ops[1:], column=rest[0].column)
        return Entrywise(body, column=sup.column)
    if isinstance(sup, Add) and _is_mark(sup.terms[0][1]) and len(sup.terms) == 2 and sup.terms[1][0] < 0:
        return Entrywise(Neg(sup.terms[1][1], column=sup.column), column=sup.column)  # X^{\circ -1}
    if _is_mark(sup) or any(_is_mark(n) for n in _parts(sup)):
        raise problem_at("a Hadamard power is written X^{\\circ n}, with the exponent n after \\circ", sup)
    return sup


def _parts(node: Node) -> tuple[Node, ...]:
    if isinstance(node, Product):
        return node.factors
    if isinstance(node, Add):
        return tuple(t for _, t in node.terms)
    return ()


def _big_sum(token: Token, sub: _Script, sup: _Script | None, body: Node) -> BigSum:
    product = token.value == "prod"
    indices = _sum_indices(sub, sup, product)
    stray = stray_factor(indices, body) if product else None
    if stray is not None:
        raise problem_at(
            "a factor that does not use the product's index follows its terms, and readers disagree on "
            "whether it is inside the product (raised to the number of terms) or after it: bracket "
            "one of them, as (\\prod_i x_i) c or \\prod_i (x_i c)", stray)
    return BigSum(indices, body, column=token.column or 0, product=product)


def _sum_indices(sub: _Script, sup: _Script | None, product: bool = False) -> tuple[SumIndex, ...]:
    """``\\sum_{i,j}``, ``\\sum_i``, ``\\sum_{ij}``, ``\\sum_{k=1}^{M}``; also ``\\prod_{i \\neq j}``."""
    indices: list[SumIndex] = []
    for item in sub.items:
        if product and len(sub.items) == 1 and isinstance(item, Relation) and isinstance(item.left, Name) \
                and item.relation == "!=" and isinstance(item.right, Name) and sup is None:
            indices.append(SumIndex(item.left.name, column=item.column, excluded=item.right))
        elif isinstance(item, Name):
            indices.append(SumIndex(item.name, column=item.column))
        elif isinstance(item, Relation) and isinstance(item.left, Name) and item.relation == "=":
            indices.append(SumIndex(item.left.name, lower=item.right, column=item.column))
        elif isinstance(item, Product) and (names := juxtaposed_names(item)):
            indices += [SumIndex(f.name, column=f.column) for f in names]  # \sum_{ij}
        else:
            raise problem_at("unsupported summation index: write \\sum_{i}, \\sum_{i,j} "
                           "or \\sum_{k=1}^{M}", item)
    if sup is not None:
        if len(indices) != 1 or sup.transpose or len(sup.items) != 1:
            raise SyntaxProblem("an upper bound needs exactly one summation index", sup.column)
        indices[0] = SumIndex(indices[0].name, indices[0].lower, sup.items[0], indices[0].column)
    return tuple(indices)


def _bare_builtin(node: Node) -> Builtin | None:
    """``node`` when it is an operator written without brackets (``\\log x``, ``\\tanh^2 x``)."""
    if isinstance(node, Scripted) and node.sub is None and not node.transpose:
        node = node.base
    return node if isinstance(node, Builtin) and node.bare else None


#: The inverse function ``\\f^{-1}`` may mean: a builtin, or (not supported) its name in words.
_INVERSES = {"sin": "arcsin", "cos": "arccos", "tan": "arctan", "tanh": "arctanh", "exp": "log", "log": "exp",
             "sinh": "arsinh", "cosh": "arcosh", "cot": "arccot", "sec": "arcsec", "csc": "arccsc",
             "arcsin": "sin", "arccos": "cos", "arctan": "tan", "arctanh": "tanh", "erf": "erfinv"}


def _power_problem(func: str, power: Node | None) -> str:
    """Why ``\\func^{power}`` is not read: ``\\sin^{-1}`` is the inverse function to some
    readers and the reciprocal to others (both readings shown); any power but a positive
    whole one is not understood."""
    shown = shown_builtin(func)
    ending = (f"{shown}^{{...}} is only understood with a positive whole power, as in "
              f"{shown}^2(a) for ({shown} a)^2")
    minus_one = isinstance(power, Neg) and isinstance(power.body, Number) and power.body.text == "1"
    if minus_one and func in _INVERSES:
        name = _INVERSES[func]
        inverse = shown_builtin(name) if name in SCALAR_FUNCTIONS else f"\\operatorname{{{name}}}"
        choice = (f"write {inverse}(a) or ({shown} a)^{{-1}}" if name in SCALAR_FUNCTIONS
                  else f"{inverse} is not supported; write ({shown} a)^{{-1}} for the reciprocal")
        return (f"{shown}^{{-1}} is ambiguous: the inverse function {inverse}(a) to some readers, the reciprocal "
                f"1/{shown}(a) to others; {choice} ({ending})")
    return f"{ending}; write ({shown} a)^{{-1}} for a reciprocal"


def _reject_bare_argument(before: Node, after: Node) -> None:
    """``\\log x y`` is ``\\log(xy)`` to some readers and ``(\\log x) y`` to others
    (``\\operatorname{tr} A B``, ``\\tanh 2x`` likewise): a factor written right
    after an operator without brackets is an error that asks for them.  Another
    such operator may follow (``\\log x \\log y``), and so may a factor after an
    explicit ``\\cdot``."""
    builtin = _bare_builtin(before)
    if builtin is None or _bare_builtin(after) is not None:
        return
    shown = shown_builtin(builtin.func)
    raise problem_at(
        f"{shown} without brackets is followed by another factor, and readers disagree on where its "
        f"argument ends: write {shown}(...) around the whole argument, or put the operator after the other factors",
        after,
    )


#: Why a factor after ``\\nabla_w L`` is an error (also :mod:`deriv.meaning.differentials`).
NABLA_SCOPE = ("\\nabla applies to the one factor after it, and readers take it to apply to the whole product: "
               "bracket its argument, as in \\nabla_w \\left(\\frac{1}{2} w^T w\\right)")


def _numeric(node: Node) -> bool:
    """A number as written: ``2``, ``\\frac{1}{2}``, ``(3)``."""
    if isinstance(node, Group):
        return _numeric(node.body)
    return isinstance(node, Number) or (isinstance(node, Frac) and _numeric(node.num) and _numeric(node.den))


def _takes_the_product(nabla: Nabla) -> bool:
    """``\\nabla_w \\frac{1}{2} \\|Xw - y\\|^2``: a gradient whose own factor is a number takes the whole
    product after it -- the gradient of the number alone (0) is a reading no one means."""
    body = nabla.body
    return _numeric(body) or (isinstance(body, Product) and _numeric(body.factors[0]))


def _absorbed(nabla: Nabla, op: str, after: Node) -> Nabla:
    """The gradient with ``after`` joined to its product."""
    body = nabla.body
    factors, ops = (body.factors, body.ops) if isinstance(body, Product) else ((body,), ())
    return replace(nabla, body=Product((*factors, after), (*ops, op), column=factors[0].column))


def _reject_factor_after_nabla(chain: _Chain, after: Node) -> None:
    """``\\nabla_w`` takes one factor (``\\nabla_w L``), so ``\\nabla_w \\frac{1}{2} w^T w`` would be the
    gradient of ``\\frac{1}{2}`` times ``w^T w``, where a reader sees the gradient of the whole product:
    a factor after the gradient's own is an error that asks for brackets.  After a call
    (``\\nabla f(Y) x^T``) the argument ends where it shows: the meaning stage allows it when ``f``
    is a declared function, and the node says a factor followed."""
    last = chain.factors[-1]
    if isinstance(last, Nabla):
        body = last.body.base if isinstance(last.body, Scripted) and last.body.sup is None else last.body
        if not isinstance(body, Call):
            raise problem_at(NABLA_SCOPE, after)
        chain.factors[-1] = replace(last, followed=True)


def _reject_juxtaposed_after_slash(chain: _Chain, after: Node) -> None:
    """``a / b c`` is ``(a/b) c`` to a left-to-right reading and ``a/(b c)`` to readers for whom
    writing side by side binds tighter (``1/2x``): a factor written right after a divisor is an
    error that asks for ``\\frac``.  A bracketed divisor (``a/(b+c) d``) ends where it shows."""
    if chain.ops and chain.ops[-1] == "/" and not isinstance(chain.factors[-1], Group):
        raise problem_at(
            "a factor written right after a / divisor reads two ways, (a/b) c or a/(b c): write "
            "\\frac{a}{b} c or \\frac{a}{b c}", after)


def _reject_mixed_number(before: Node, after: Node) -> None:
    """``2\\frac{1}{2}`` (``2\\frac12``) shows as 2½, two and a half to a reader, but is
    ``2 \\cdot \\frac{1}{2}`` to TeX: a number written right before a fraction of numbers is
    an error that asks for one of the two."""
    if isinstance(before, Number) and isinstance(after, Frac) and isinstance(after.num, Number) \
            and isinstance(after.den, Number):
        raise problem_at(
            f"{before.text} right before a fraction of numbers reads as a mixed number ({before.text} and "
            f"{after.num.text}/{after.den.text}) to some readers and as a product to TeX: write "
            f"{before.text} \\cdot \\frac{{{after.num.text}}}{{{after.den.text}}} for the product", after)


class TreeBuilder(Transformer):
    """Grammar callbacks, applied as the LALR parser reduces."""

    def start(self, c: list) -> tuple:
        leading = c[0] if isinstance(c[0], Token) else None
        rest = c[1:] if leading is not None else c
        return leading, tuple(rest[0::2]), tuple(rest[1::2])

    def expr(self, c: list) -> Node:
        first: Node
        if isinstance(c[0], Token):
            first = Neg(c[1], column=c[0].column or 0) if c[0] == "-" else c[1]  # the lexer sets every column
            c = c[2:]
        else:
            first, c = c[0], c[1:]
        if not c:
            return first
        terms = [(1, first)] + [(1 if op == "+" else -1, t) for op, t in zip(c[0::2], c[1::2])]
        stray = index_past_its_sum([t for _, t in terms])
        if stray is not None:
            raise problem_at(
                f"{stray[0]} is summed by the \\sum before this term, whose body ends at the + or -, and used "
                f"again here: bracket the body, \\sum_{stray[0]} (x_{stray[0]} + y_{stray[0]}), or name this index "
                "otherwise", stray[1])
        return Add(tuple(terms), column=first.column)

    def term(self, c: list) -> Node:
        operands = [x.node() if isinstance(x, _Chain) else x for x in c[0::2]]
        operators = c[1::2]
        if len({op.value == "otimes" for op in operators}) > 1:
            # Hadamard and Kronecker products do not associate with each other.
            raise problem_at("\\otimes next to \\circ: bracket one of them, as in (A \\circ B) \\otimes C", operators[0])
        result = operands[0]
        for op, right in zip(operators, operands[1:]):
            if op.value == "otimes":
                result = Kronecker(result, right, column=result.column)
            else:
                result = Hadamard(result, right, column=result.column, divide=op.value == "oslash")
        return result

    def ptail(self, c: list) -> Node:
        return c[0].node() if isinstance(c[0], _Chain) else c[0]

    def product_sum(self, c: list) -> Node:
        chain: _Chain = c[0]
        if len(c) == 2:
            _reject_bare_argument(chain.factors[-1], c[-1])
            _reject_juxtaposed_after_slash(chain, c[-1])
        _reject_factor_after_nabla(chain, c[-1])
        chain.ops.append("" if len(c) == 2 else c[1].value)
        chain.factors.append(c[-1])
        return chain.node()

    def product(self, c: list) -> _Chain:
        if len(c) == 1:
            return _Chain([c[0]], [])
        chain: _Chain = c[0]
        last = chain.factors[-1]
        if isinstance(last, Nabla) and _takes_the_product(last):
            chain.factors[-1] = _absorbed(last, "" if len(c) == 2 else c[1].value, c[-1])
            return chain
        if len(c) == 2:
            _reject_bare_argument(chain.factors[-1], c[-1])
            _reject_mixed_number(chain.factors[-1], c[-1])
            _reject_juxtaposed_after_slash(chain, c[-1])
        _reject_factor_after_nabla(chain, c[-1])
        chain.ops.append("" if len(c) == 2 else c[1].value)
        chain.factors.append(c[-1])
        return chain

    def bigsum(self, c: list) -> BigSum:
        return _big_sum(c[0], c[2], c[4] if len(c) == 6 else None, c[-1])

    def bigsum_sup_first(self, c: list) -> BigSum:
        return _big_sum(c[0], c[4], c[2], c[-1])

    def signed_body(self, c: list) -> Node:
        """``\\sum_i -x_i``: the sign belongs to the body, as it would after a ``(``."""
        return Neg(c[1], column=c[0].column or 0) if c[0] == "-" else c[1]

    def factor(self, c: list) -> Node:
        return c[0] if len(c) == 1 else _scripted(c[0], c[1])

    bare = factor

    def builtin_bare(self, c: list) -> Builtin:
        return Builtin(c[0].value, c[1], column=c[0].column, bare=True)

    def builtin_sum(self, c: list) -> Builtin:
        """``\\log \\sum_j \\exp z_j``: a builtin right before a \\sum takes the whole sum (whose body
        runs to the next + or -, as for any \\sum), as readers of the log-sum-exp take it."""
        func, body = c
        if func.value in ("sqrt", "norm"):  # TeX roots only the \sum sign: \sqrt{\sum_i x_i} is meant
            raise problem_at(f"write \\{func.value}{{...}} around the whole \\sum", func)
        return Builtin(func.value, body, column=func.column, bare=True)

    def product_builtin_sum(self, c: list) -> Node:
        return self.product_sum([*c[:-2], self.builtin_sum(c[-2:])])

    def builtin_power(self, c: list) -> Scripted:
        """``\\tanh^2(a)`` is ``(\\tanh a)^2``; only a positive whole power,
        because ``\\tanh^{-1}`` is the inverse function to many readers."""
        func, script, body = c[0], c[2], c[3]
        arg = body.body if isinstance(body, Group) else body
        power = script.items[0] if len(script.items) == 1 and not script.transpose else None
        if func.value in ("sqrt", "norm") or not (
            isinstance(power, Number) and power.text.isdigit() and int(power.text) >= 1
        ):
            raise problem_at(_power_problem(func.value, power), func)
        bare = not isinstance(body, Group)
        return Scripted(Builtin(func.value, arg, column=func.column, bare=bare), sup=power, column=func.column)

    def inner(self, c: list) -> Inner:
        return Inner(c[1], c[3], column=c[0].column)

    def literal(self, c: list) -> Literal:
        rows = tuple(row for row in c if isinstance(row, LiteralRow))
        return Literal(c[0].value, rows, column=c[0].column)

    def literal_row(self, c: list) -> LiteralRow:
        cells = tuple(x for x in c if not isinstance(x, Token))
        return LiteralRow(cells, column=cells[0].column)

    def root(self, c: list) -> Root:
        return Root(c[2], c[5], column=c[0].column)

    def builtin_group(self, c: list) -> Builtin:
        func, group = c
        if func.value == "sqrt" and group.bracket == "[":
            raise problem_at("\\sqrt[n]{...} (an n-th root) is not supported", func)
        return Builtin(func.value, group.body, column=func.column)

    def builtin_prime_call(self, c: list) -> Builtin:
        """``\\tanh'(u)``: the builtin's derivative, a builtin of its own (``tanh'``)."""
        func, prime, _, body, _ = c
        return Builtin(func.value + prime.value, body, column=func.column)

    def scripts(self, c: list) -> list[tuple[str, _Script]]:
        return [(c[k].value, c[k + 1]) for k in range(0, len(c), 2)]

    def script(self, c: list) -> _Script:
        return _Script(c[1], column=c[0].column)

    def script_top(self, c: list) -> _Script:
        return _Script((), transpose=True, column=c[0].column)

    def script_name(self, c: list) -> _Script:
        return _Script((self.name(c),), column=c[0].column)

    def script_number(self, c: list) -> _Script:
        return _Script((self.number(c),), column=c[0].column)

    def script_items(self, c: list) -> tuple[Node, ...]:
        return tuple(x for x in c if not isinstance(x, Token))

    def script_item(self, c: list) -> Node:
        return c[0]

    def script_relation(self, c: list) -> Relation:
        return Relation(c[0], c[1].value, c[2], column=c[0].column)

    def group(self, c: list) -> Group:
        return Group(c[1], c[0].value, column=c[0].column)

    def name(self, c: list) -> Name:
        tok = c[0]
        return Name(tok.value, column=tok.column, font=getattr(tok, "font", None))

    def number(self, c: list) -> Number:
        return Number(c[0].value, column=c[0].column)

    def prime(self, c: list) -> Prime:
        return Prime(c[0], order=len(c[1].value), column=c[0].column)

    def call(self, c: list) -> Call:
        return Call(c[0], c[2], column=c[0].column)

    def prime_call(self, c: list) -> Call:
        func = Name(c[0].name + c[1].value, column=c[0].column, font=c[0].font)
        return Call(func, c[3], column=c[0].column)

    def frac(self, c: list) -> Frac:
        return Frac(c[1], c[2], column=c[0].column)

    def frac_part(self, c: list) -> Node:
        parts = c[1:-1]
        return parts[0] if len(parts) == 1 else Partials(tuple(parts), column=parts[0].column)

    def nabla(self, c: list) -> Nabla:
        if len(c) == 2:
            return Nabla(None, c[1], column=c[0].column)
        script = c[2]
        if script.transpose or len(script.items) != 1:
            raise SyntaxProblem("\\nabla takes one variable as its subscript, as in \\nabla_w L", script.column)
        return Nabla(script.items[0], c[3], column=c[0].column)

    def nabla_power(self, c: list) -> Nabla:
        """``\\nabla^2 E``, ``\\nabla_x^2 E``: the Hessian; no other order is read."""
        pairs = list(zip(c[1:-1:2], c[2:-1:2]))  # (SUB or SUP, its script)
        power = next(script for token, script in pairs if token.type == "SUP")
        order = power.items[0] if len(power.items) == 1 and not power.transpose else None
        if not (isinstance(order, Number) and order.text == "2"):
            raise problem_at("\\nabla^n is read only as \\nabla^2, the Hessian: write \\nabla^2 E or \\nabla_x^2 E", c[0])
        sub = [pair for pair in pairs if pair[0].type == "SUB"]
        return replace(self.nabla([c[0], *sub[0], c[-1]] if sub else [c[0], c[-1]]), order=2)

    def nabla_power_sup_first(self, c: list) -> Nabla:
        return self.nabla_power(c)

    def partial(self, c: list) -> Partial:
        return Partial(c[1] if len(c) == 2 else None, column=c[0].column)

    def partial_power(self, c: list) -> Partial:
        script = c[2]
        power = script.items[0] if len(script.items) == 1 and not script.transpose else None
        if not (isinstance(power, Number) and power.text.isdigit() and 1 <= int(power.text) <= 8):
            raise problem_at("\\partial^n needs a whole order n from 1 to 8, as in \\partial^2 L", c[0])
        return Partial(c[3] if len(c) == 4 else None, power=int(power.text), column=c[0].column)
