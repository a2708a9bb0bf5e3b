"""Decide the statements of :mod:`deriv.meaning.statements` (one result each).

* ``M \\succ 0`` / ``M \\succeq 0``: ``proved`` when an assumption or an
  established fact says so (``\\succ`` gives ``\\succeq``) and every random
  instance agrees; else ``tested`` / ``refuted``.  On an instance the matrix
  is certified exactly (its symmetric part's characteristic polynomial);
  a counterexample shows the matrix and, when a pivot shows one, a vector
  ``x`` with ``x^T M x <= 0``.
* ``q > 0 \\quad \\forall x \\neq 0``: on an instance, the Gram matrix of the
  quadratic form ``q`` in ``x`` is certified definite -- every ``x`` at once.
  A sign proof may use only facts that do not mention ``x`` (the
  document's ``x`` is not the quantified one) and ``x \\neq 0``.
* ``H \\succ 0 \\implies \\lambda(H) > 0``: for a symmetric ``H``, ``proved`` by
  the every-size argument of :func:`deriv.engine.spectrum.every_size` (the
  spectral theorem cited for real eigenvectors), with the symbolic 2x2 and
  3x3 proof and 10,000 random certified matrices beside it (``tested`` if
  the every-size argument is not shown); for a general ``H``, refuted by a
  verified non-symmetric counterexample.
* second-order conditions: :mod:`deriv.engine.premises`.
"""

from __future__ import annotations

import time


from deriv.budget import StepTimeout, time_budget
from deriv.check.chain_state import Situation, Step
from deriv.check.facts import Established
from deriv.check.progress import DECIDE, budget
from deriv.context import Constraint, Context
from deriv.engine import certified, premises
from deriv.engine.certified import DomainError, PrecisionError
from deriv.engine.decide import Session
from deriv.engine.definite_instances import MAX_BITS, certify_at, drawn, structured
from deriv.engine.plan import sizes_to_try
from deriv.engine.gram import gram_proof
from deriv.engine.signs import prove
from deriv.engine.spectrum import every_size, nonsymmetric_counterexample, symbolic_check
from deriv.engine.spectrum_random import check_random
from deriv.errors import DerivError, MeaningError, UnsupportedError
from deriv.ir import index
from deriv.latex.parser import parse_display
from deriv.meaning.assumed_symmetry import assumed_symmetric, assumptions_about
from deriv.meaning.assumptions import build_constraint, plain_name
from deriv.meaning.builder import Builder
from deriv.meaning.domains import KINK, member_conditions, written_definitions
from deriv.meaning.smoothness import smooth_where_defined
from deriv.engine.domain_gaps import unshown
from deriv.meaning.statements import Definiteness, Eigenvalues, SecondOrder, Statement
from deriv.names import DUMMY_NAMES, Kind, fresh
from deriv.read.document import Display
from deriv.results import Counterexample, Verdict

#: Random instances a definiteness statement is certified on.
TRIALS = 8
#: Random positive semi-definite matrices for the semi-definite twin (the definite claim gets 10,000).
PSD_COUNT = 2_000
#: An eigenvalue statement may take this many step budgets (see :func:`run_statement`).
EIGEN_BUDGETS = 3


class Outcome:
    """A statement's verdict, message, counterexample and (when proved) the fact it establishes."""

    def __init__(self, verdict: Verdict, message: str, counterexample: Counterexample | None = None,
                 fact: Constraint | None = None, method: str = "") -> None:
        self.verdict, self.message, self.counterexample, self.fact, self.method = verdict, message, counterexample, fact, method


def run_statement(display: Display, statement: Statement, situation: Situation,
                  established: Established) -> tuple[Step, Constraint | None]:
    """A display that states a property (``M \\succ 0``, ``... \\forall x \\neq 0``, ``\\implies``): its
    result, and the fact it establishes for later claims (None unless proved, or when expected to fail)."""
    directive, text = display.directive, display.text.strip()
    if directive is not None and directive.kind == "skip":
        return Step(display, display.label, "statement", text, "", Verdict.SKIPPED,
                    message=directive.argument or "skipped"), None
    started, expect_fail = time.perf_counter(), directive is not None and directive.kind == "expect-fail"
    outcome = _outcome(statement, text, situation, established)
    fact = outcome.fact if outcome.verdict is Verdict.PROVED and not expect_fail else None
    return Step(display, display.label, "statement", text, "", outcome.verdict, message=outcome.message,
                method=outcome.method, counterexample=outcome.counterexample, started=started,
                expect_fail=expect_fail), fact


def _outcome(statement: Statement, text: str, situation: Situation, established: Established) -> Outcome:
    """The statement decided within the walk's budgets (or why it is not)."""
    options, progress = situation.options, situation.progress
    stop = None if situation.replaying else progress.at(situation.index, DECIDE)
    if not options.decide or situation.replaying:
        return Outcome(Verdict.SKIPPED, "not decided")
    if stop is not None:  # a worker was killed here: do not run it again
        return Outcome(stop.verdict, stop.message)
    if progress.expired():
        return Outcome(Verdict.TIMEOUT, progress.expired_message())
    try:
        seconds = options.timeout
        if isinstance(statement, Eigenvalues) and seconds is not None:
            # A fixed amount of work (10,000 matrices, about 2 s of CPU), which a
            # loaded machine can stretch: a few step budgets, ticking so the
            # supervisor sees it is alive, never past the document's budget.
            seconds *= EIGEN_BUDGETS
        facts = established.facts  # made outside the budget, as each step made its own
        with time_budget(budget(seconds, progress)):
            return decide_statement(statement, text, situation.context, situation.session, facts,
                                    options.seed, lambda: progress.at(situation.index, DECIDE))
    except StepTimeout:
        return Outcome(Verdict.TIMEOUT, f"ran out of its {options.timeout:g} s budget")
    except Exception as error:  # noqa: BLE001 - one statement must never abort the document
        return Outcome(Verdict.ERROR, f"internal error while deciding: {type(error).__name__}: {error}")


def decide_statement(statement: Statement, latex: str, context: Context, session: Session,
                     facts: list[Constraint], seed: int = 0, tick=None) -> Outcome:
    """The verdict on one statement; ``tick`` is called now and then during long work."""
    try:
        if isinstance(statement, Eigenvalues):
            return _eigenvalues(statement, context, tick)
        if isinstance(statement, SecondOrder):
            found = premises.decide(statement.hypotheses, statement.conclusion, seed)
            return Outcome(Verdict(found.kind), found.message, method="exact" if found.kind != "undecided" else "none")
        if isinstance(statement, Definiteness):
            constraint = _matrix_constraint(statement, latex, context)
        else:
            constraint = build_constraint(latex, context)
        outcome = _undefined_somewhere(constraint, context, facts) or _definite(constraint, context, session, facts)
        if isinstance(statement, Definiteness) and statement.order:  # say which matrix M is
            outcome.message = f"M = {statement.matrix}: {outcome.message}"
        return outcome
    except DerivError as error:
        return Outcome(getattr(error, "verdict", Verdict.ERROR), error.message)


def _undefined_somewhere(constraint: Constraint, context: Context, facts: list[Constraint]) -> Outcome | None:
    """Undecided when the form is undefined somewhere the sign prover does not rule out
    (``\\frac{q}{x} x \\geq 0 \\quad \\forall z \\neq 0`` at ``x = 0``, a denominator SymPy cancelled):
    a statement about every point is not proved, nor tested, where it has no value at some."""
    # A defined name it writes carries its definition's conditions (s = c / c: undefined at c = 0).
    conditions = constraint.conditions | member_conditions(written_definitions(constraint.expr, context.definitions),
                                                           constraint.expr)
    conditions = frozenset(c for c in conditions if not (c.relation == KINK and smooth_where_defined(c.expr, context)))
    lacked = unshown(conditions, frozenset(), context, dict(constraint.ranges), facts)
    if not lacked:
        return None
    where = "; ".join(c.text() for c in lacked)
    return Outcome(Verdict.UNDECIDED, f"not decided: the statement is undefined where {where} fails, "
                   "and deriv does not decide a statement about every point where it has no value at some", method="none")


def _matrix_constraint(statement: Definiteness, latex: str, context: Context) -> Constraint:
    chain, _ = parse_display(statement.matrix)
    if chain.leading or chain.relations or len(chain.members) != 1:
        raise MeaningError("write M \\succ 0 with one matrix M")
    builder = Builder(context)
    value = builder.build(chain.members[0])
    if value.rows != value.cols or value.is_scalar:
        raise MeaningError(f"\\succ 0 needs a square matrix, not {value.describe()}")
    row, col = index("_arow"), index("_acol")
    builder.uses.use(row.name, value.rows, "entry of the matrix")
    builder.uses.use(col.name, value.cols, "entry of the matrix")
    expr, _ = builder.finish(value.entry(row, col), {n: (r, "front matter") for n, r in context.index_ranges.items()})
    return Constraint(latex, "pd" if statement.strict else "psd", expr, (row, col), ((row, value.rows), (col, value.cols)),
                      conditions=member_conditions(builder.conditions, expr, builder.sum_limits))


def _proof(constraint: Constraint, context: Context, facts: list[Constraint]) -> list[str] | None:
    """The facts that show it, or None."""
    if constraint.over is None:  # M \succ 0: an equal fact (succ gives succeq)
        stronger = ("pd",) if constraint.relation == "pd" else ("pd", "psd")
        for fact in [*context.assumptions, *facts]:
            if fact.relation in stronger and fact.ranges == constraint.ranges and fact.expr == constraint.expr:
                return [fact.latex]
        return None
    vector = constraint.over
    usable = [f for f in [*context.assumptions, *facts] if not _about(f, vector, context)]
    declared = context.declared[vector]
    row = index("_arow")
    nonzero = Constraint(f"{vector} \\neq 0", "nonzero", declared.entry(row, 0), (row,), ((row, declared.shape[0]),))
    found = prove(constraint.expr, constraint.relation, context, [*usable, nonzero], {})
    return list(found.used) if found is not None else None


def _about(fact: Constraint, vector: str, context: Context) -> bool:
    """Whether ``fact`` says something about the document's ``vector``, directly or
    through a definition (``s = x^T A x`` with ``s > 0``): a statement for every
    ``x`` may not use it.  A fact for every ``vector`` itself is about no one value."""
    if fact.over == vector:
        return False
    return vector in context.reached(fact.expr)


def _definite(constraint: Constraint, context: Context, session: Session, facts: list[Constraint]) -> Outcome:
    strict = constraint.relation in ("pd", ">")
    used = _proof(constraint, context, facts)
    if used is None:
        used = gram_proof(constraint, context, [*context.assumptions, *facts])
    plan = sizes_to_try(tuple(context.sizes))
    tried = _tried(constraint, session, plan)
    if isinstance(tried, Outcome):
        return tried
    failed = next(((label, instance, found, matrix) for label, instance, found, matrix in tried if found.kind == "fails"), None)
    if failed is not None:
        label, instance, found, matrix = failed
        where = "a random instance" if label.startswith("a random") else f"an instance where {label}"
        proof = f" (although it was proved from {'; '.join(used)}: please report this)" if used else ""
        return Outcome(Verdict.REFUTED, f"not positive {'' if strict else 'semi-'}definite on {where}"
                       + (" that satisfies the assumptions exactly" if context.assumptions else "") + proof,
                       _example(matrix, found, instance, context.names_used(constraint.expr)))
    checked = sum(found.kind == "holds" for _, _, found, _ in tried)
    unsure = [instance for _, instance, found, _ in tried if found.kind not in ("holds", "fails")]
    if unsure and (strict or not checked):
        shown = ", ".join(f"{s} = {v}" for s, v in unsure[0].sizes.items())
        return Outcome(Verdict.UNDECIDED, f"could not decide: at {len(unsure)} instance(s) (the first at {shown}) the matrix "
                       f"could not be certified either way at {MAX_BITS} bits: its smallest eigenvalue is 0 or too close to 0 to tell")
    what = (f"certified (exactly, or in ball arithmetic) at {checked} instances: random ones at sizes "
            f"{'; '.join(', '.join(f'{s} = {v}' for s, v in p.items()) for p in plan)} and structured ones "
            "(names 0, a matrix of rank 1, a name scaled small or large, matrices c I and scalars c)")
    if unsure:
        what += f"; {len(unsure)} more (singular, or too close to it at {MAX_BITS} bits) could not be certified either way"
    if used is not None:
        reason = f"proved from {'; '.join(used)}" if used else "proved by signs"  # a sign proof that used no fact
        return Outcome(Verdict.PROVED, f"{reason}; {what}", fact=constraint, method="symbolic+exact")
    return Outcome(Verdict.TESTED, f"{what}; testing only, not proved", method="exact")


def _tried(constraint: Constraint, session: Session, plan: list[dict]) -> list[tuple] | Outcome:
    """``(label, instance, certified, matrix)`` on the random and the structured instances, or why there are none."""
    try:
        tried = [("a random instance", *drawn(session, trial, plan[trial % len(plan)], constraint))
                 for trial in range(max(TRIALS, len(plan)))]
    except UnsupportedError as error:
        # No draw meets the assumptions (x^T x \leq 1): a structured instance that does may still refute it.
        failed = [t for t in _structured_tries(constraint, session, plan, []) if t[2].kind == "fails"]
        return failed or Outcome(Verdict.UNDECIDED, f"could not decide: {error.message}")
    except (DomainError, PrecisionError) as error:
        return Outcome(Verdict.UNDECIDED, f"could not decide: the matrix could not be evaluated on a random instance ({error})")
    if any(found.kind == "fails" for _, _, found, _ in tried):
        return tried  # refuted already
    return _structured_tries(constraint, session, plan, tried)


def _structured_tries(constraint: Constraint, session: Session, plan: list[dict], tried: list[tuple]) -> list[tuple]:
    """``tried`` and the structured instances after it, up to the first that fails."""
    for label, instance in _structured(session, plan[0], constraint.expr):
        try:
            tried.append((label, instance, *certify_at(constraint, instance, session)))
        except (UnsupportedError, ArithmeticError):
            continue
        if tried[-1][2].kind == "fails":
            break  # one counterexample refutes it: the rest would only cost time
    return tried


def _structured(session: Session, sizes: dict, expr):
    try:
        yield from structured(session, sizes, expr)
    except (UnsupportedError, ArithmeticError):
        return


def _example(matrix, found, instance, taken: set[str]) -> Counterexample:
    # The matrix and the vector are named for the message: never as one of the document's objects.
    m, x = fresh(("M",) + DUMMY_NAMES["matrix"], taken), fresh(("x",) + DUMMY_NAMES["vector"], taken)
    n = len(matrix)
    shown = "[" + "; ".join(", ".join(certified.show(x) for x in row) for row in matrix) + "]" if n <= 6 else f"a {n}x{n} matrix"
    if found.witness:
        lhs = f"{x}^T {m} {x} = {certified.show(found.value)} at {x} = [{', '.join(map(str, found.witness))}]"
    else:
        lhs = "a characteristic polynomial of the symmetric part whose coefficients do not alternate"
    return Counterexample(sizes=tuple((str(s), v) for s, v in instance.sizes.items()), indices=(), lhs_value=lhs,
                          rhs_value="0", seed=instance.seed, trial=instance.trial, note=f"{m} = {shown}")


def _kept_by_assumptions(name: str, context: Context) -> Outcome | None:
    """Undecided where a matrix not declared symmetric has assumptions that may make it so
    (``H = (A + A^T)/2``): the non-symmetric matrix a refutation chooses may violate them.
    (The hypothesis the statement writes is its own: ``\\succeq \\implies > 0`` is refuted
    by ``[0]`` whatever is assumed.)"""
    about = assumptions_about(name, context)
    if not about:
        return None
    listed = "; ".join(fact.latex for fact in about)
    return Outcome(Verdict.UNDECIDED, f"{name} is not declared symmetric; the matrix that would refute it, "
                   f"{name} = [1, -5; 5, 1], may violate the assumptions about {name} ({listed}), which may make it "
                   f"symmetric: declare {name}: symmetric matrix")


def _eigenvalues(statement: Eigenvalues, context: Context, tick=None) -> Outcome:
    name = statement.name
    declared = context.declared.get(name)
    if declared is None or declared.kind not in (Kind.MATRIX, Kind.SYMMETRIC) or declared.shape[0] != declared.shape[1]:
        raise MeaningError(f"{name} must be a declared square matrix (symmetric matrix n x n, or matrix n x n)")
    strict = statement.strict_hypothesis
    relation = "> 0" if statement.strict_conclusion else "\\geq 0"
    if declared.kind != Kind.SYMMETRIC and not assumed_symmetric(name, context):
        kept = _kept_by_assumptions(name, context)
        if kept is not None:
            return kept
        counter = nonsymmetric_counterexample()
        example = Counterexample(sizes=(("n", 2),), indices=(), lhs_value="eigenvalues 1 + 5i, 1 - 5i (not real)",
                                 rhs_value="0", seed=0, note=counter.describe() if counter else "")
        return Outcome(Verdict.REFUTED, f"{name} is not declared symmetric, and then the claim fails: "
                       + (counter.describe() if counter else ""), example, method="exact")
    if not strict and statement.strict_conclusion:
        example = Counterexample(sizes=(("n", 1),), indices=(), lhs_value="eigenvalue 0", rhs_value="0", seed=0,
                                 note="H = [0] is positive semi-definite")
        return Outcome(Verdict.REFUTED, "H = [0] is positive semi-definite with eigenvalue 0", example, method="exact")
    general = every_size(strict)
    symbolic = [symbolic_check(n, strict) for n in (2, 3)]
    random_part = check_random(strict=strict, tick=tick) if strict else check_random(PSD_COUNT, strict=False, tick=tick)
    if random_part.failure:
        return Outcome(Verdict.REFUTED, f"on random matrices: {random_part.failure}")
    small = "; ".join(s.what for s in symbolic if s.shown)
    tested = (f"symbolically for general {small}; " if small else "") + (
        f"{random_part.describe()}, each certified exactly ({'pivots of a fraction-free LU' if strict else 'an exact factor B B^T'}, "
        "Descartes on the exact characteristic polynomial)")
    if not general.shown:
        return Outcome(Verdict.TESTED, f"not shown for every size ({general.what}); {tested}; testing only, not proved",
                       method="exact")
    hypothesis = "positive definite" if strict else "positive semi-definite"
    return Outcome(Verdict.PROVED, (
        f"every eigenvalue of a symmetric {hypothesis} matrix is real and {relation}: cited, not shown: {general.cited}; "
        f"shown {general.what}; also checked: {tested}"), method="symbolic+exact")


__all__ = ["Outcome", "decide_statement", "plain_name", "run_statement"]
