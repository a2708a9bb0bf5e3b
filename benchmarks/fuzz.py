r"""Fuzz ``deriv check`` with mutated copies of the bundled derivations (issue 9).

Each document is one of ``derivations/*.md`` with one to three mutations
(bytes, LaTeX tokens, front matter, display structure), checked in a fresh
subprocess ``python -m deriv check --format json --timeout 2 FILE`` under an
outer hard timeout.  Every run is classified:

* ``ok``                  -- a JSON report came back, nothing below
* ``traceback``           -- "Traceback" on stderr or stdout
* ``hang``                -- the outer timeout was hit
* ``internal``            -- a message or the output says "internal error"
* ``error-without-line``  -- an ``error`` step without a line, or a file error naming no line
* ``bad-output``          -- no parsable JSON report (and none of the above)

    .venv/bin/python benchmarks/fuzz.py                      # 10,000 documents, 2 workers
    .venv/bin/python benchmarks/fuzz.py -n 1000 --jobs 4 --out /tmp/fuzz-failures
    .venv/bin/python benchmarks/fuzz.py --batch 50         # 50 documents per interpreter

It prints the counts per class (and per mutation kind for failures) and writes
each failing document, with the output it produced, to ``--out`` for
reproduction.  Document ``k`` of seed ``s`` is always the same document
(``mutated_document(s, k)``), so ``--seed S --start K -n 1`` redoes one.
``tests/test_check_fuzz.py`` runs a bounded number of them in the normal suite.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DERIVATIONS = sorted((ROOT / "derivations").glob("*.md"))
STEP_BUDGET = 2.0
#: The outer hard timeout: the step budget plus room for start-up (importing SymPy) and
#: a few steps that legitimately use some of their budget.
OUTER_TIMEOUT = 12.0
#: The document budget deriv is given: below the outer timeout, so a document that does
#: bounded but long work (the eigenvalue statement of hessian_eigenvalues.md checks 10,000
#: matrices and may take three step budgets) reports its remaining steps as timeouts
#: instead of being taken for a hang on a loaded machine.
DOCUMENT_BUDGET = 7.0

CLASSES = ("ok", "traceback", "hang", "internal", "error-without-line", "bad-output")
FAILURES = CLASSES[1:]


# -- mutations ----------------------------------------------------------------------------

def _display_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the inside of each ``$$ ... $$``."""
    return [(m.start(1), m.end(1)) for m in re.finditer(r"\$\$(.*?)\$\$", text, re.S)]


def _front_matter_end(text: str) -> int:
    end = text.find("\n---", 3)
    return end if end > 0 else 0


def _in_display(text: str, rng: random.Random) -> int:
    spans = _display_spans(text)
    if not spans:
        return rng.randrange(len(text) + 1)
    a, b = rng.choice(spans)
    return rng.randint(a, b)


def _insert_in_display(text: str, rng: random.Random, piece: str) -> str:
    at = _in_display(text, rng)
    return text[:at] + piece + text[at:]


def _replace_one(text: str, rng: random.Random, pattern: str, make) -> str:
    found = list(re.finditer(pattern, text))
    if not found:
        return text
    m = rng.choice(found)
    return text[: m.start()] + make(m) + text[m.end():]


def byte_flip(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return data
    at = rng.randrange(len(data))
    return data[:at] + bytes([data[at] ^ (1 << rng.randrange(8))]) + data[at + 1:]


def byte_insert(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) + 1)
    piece = bytes(rng.choice([rng.randrange(256), ord(rng.choice("{}[]()^_\\$&%#~-=+ \n\t"))])
                  for _ in range(rng.randint(1, 4)))
    return data[:at] + piece + data[at:]


def byte_delete(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return data
    at = rng.randrange(len(data))
    return data[:at] + data[at + rng.randint(1, 40):]


def drop_brace(text: str, rng: random.Random) -> str:
    return _replace_one(text, rng, r"[{}]", lambda m: "")


def duplicate_sum(text: str, rng: random.Random) -> str:
    return _replace_one(text, rng, r"\\sum(_\{[^}]*\}|_\w)?", lambda m: m.group(0) + " " + m.group(0))


def swap_indices(text: str, rng: random.Random) -> str:
    return _replace_one(text, rng, r"_\{(\w),(\w)\}", lambda m: "_{%s,%s}" % (m.group(2), m.group(1)))


def change_index(text: str, rng: random.Random) -> str:
    return _replace_one(text, rng, r"_\{(\w),(\w)\}",
                        lambda m: "_{%s,%s}" % (m.group(1), rng.choice("ijkmnpqz")))


def insert_frac(text: str, rng: random.Random) -> str:
    return _insert_in_display(text, rng, rng.choice([r"\frac{", r"\frac{1}{", r"\frac{\partial}{\partial W}",
                                                     r"\frac{1}{0}", r"\frac{\partial^2 L}{\partial W^2}"]))


def huge_exponent(text: str, rng: random.Random) -> str:
    piece = rng.choice([r" 10^{10^{10}} ", r" 2^{2^{2^{2^{2^{2}}}}} ", r" ((10^{64})^{64})^{64} ",
                        r" 99999999999999999999^{99999999} ", r" x^{-10^{9}} ", r" \exp(\exp(\exp(100))) "])
    return _insert_in_display(text, rng, piece)


def deep_nesting(text: str, rng: random.Random) -> str:
    n = rng.choice([50, 200, 1000, 5000])
    kind = rng.randrange(4)
    if kind == 0:
        piece = "(" * n + "x" + ")" * n
    elif kind == 1:
        piece = "{" * n + "x" + "}" * n
    elif kind == 2:
        piece = r"\frac{1}{" * min(n, 300) + "x" + "}" * min(n, 300)
    else:
        piece = " ".join(["\\sum_k"] * min(n, 500)) + " X_{k,k}"
    return _insert_in_display(text, rng, piece)


def token_noise(text: str, rng: random.Random) -> str:
    piece = rng.choice([r"\left(", r"\right)", "^", "_", "&", r"\\", r"\quad", r"\text{", r"\sqrt",
                        r"\delta", r"\partial", "=", r"\leq", r"\circ", "^T", r"\operatorname{tr}",
                        r"\mathcal{P}", r"\begin{aligned}", r"\end{aligned}", "1\\,000", "2 3", "'",
                        r"\tag{", r"\underbrace{", r"\nabla", r"\|", "|", r"\langle", r"\sum_{k=1}^{}"])
    return _insert_in_display(text, rng, piece)


def _yaml_lines(text: str) -> tuple[list[str], int]:
    end = _front_matter_end(text)
    return text[:end].split("\n"), end


def _set_yaml_line(text: str, rng: random.Random, pattern: str, make) -> str:
    lines, end = _yaml_lines(text)
    cands = [n for n, line in enumerate(lines) if re.search(pattern, line)]
    if not cands:
        return text
    n = rng.choice(cands)
    lines[n] = make(lines[n])
    return "\n".join(lines) + text[end:]


def wrong_kind(text: str, rng: random.Random) -> str:
    kind = rng.choice(["vector", "matrix S x", "matrix S x S x S", "scalar", "function", "elementwise",
                       "blah", "identity", "ones 0", "matrix 0 x 0", "matrix -1 x 2", "matrix S x 10000000000",
                       "rows of Q", "columns of X", "symmetric matrix S x M", "positive", "", "[1, 2]",
                       "{a: b}", "logistic", "softmax"])
    return _set_yaml_line(text, rng, r"^  \w+: ", lambda line: line.split(":")[0] + ": " + kind)


def drop_symbol(text: str, rng: random.Random) -> str:
    return _set_yaml_line(text, rng, r"^  \w+: ", lambda line: "")


def self_reference(text: str, rng: random.Random) -> str:
    lines, end = _yaml_lines(text)
    if "definitions:" not in text[:end]:
        lines.append("definitions:")
    at = lines.index("definitions:") + 1 if "definitions:" in lines else len(lines)
    extra = rng.choice([["  - L = L + 1"], ["  - Y = Z", "  - Z = Y"], ["  - Y_{i,j} = Y_{j,i}"],
                        ["  - L = g(L)"], ["  - Q = ((10^{64})^{64})^{64}"], ["  - B_{i,j} = B_{i,j} + b_j"],
                        ["  - S = 1"], ["  - i = 2"], ['  - "[Y]_{i,j} = 1"'], ["  - = 1"], ["  - L"]])
    lines[at:at] = extra
    return "\n".join(lines) + text[end:]


def yaml_noise(text: str, rng: random.Random) -> str:
    lines, end = _yaml_lines(text)
    if len(lines) < 2:
        return text
    n = rng.randrange(1, len(lines))
    lines[n] = rng.choice(["\t" + lines[n], lines[n].lstrip(), lines[n] + " : :", "symbols:", "indices:\n  i: Q",
                           "assumptions:\n  - x > 0", "title: [", "symbols: 3", lines[n] + "\n" + lines[n]])
    return "\n".join(lines) + text[end:]


def unclose_display(text: str, rng: random.Random) -> str:
    return _replace_one(text, rng, r"\$\$", lambda m: "")


def environment(text: str, rng: random.Random) -> str:
    env = rng.choice(["multline", "multline*", "align*", "gather", "alignat", "flalign", "eqnarray*",
                      "equation*", "split", "math", "foo", "aligned"])
    spans = _display_spans(text)
    if not spans:
        return text
    a, b = rng.choice(spans)
    inner = text[a:b]
    if rng.random() < 0.5:  # the environment replaces the $$
        return text[: a - 2] + f"\\begin{{{env}}}{inner}\\end{{{env}}}" + text[b + 2:]
    return text[:a] + f"\\begin{{{env}}}{inner}\\end{{{env}}}" + text[b:]


def directive(text: str, rng: random.Random) -> str:
    piece = rng.choice(["<!-- deriv: continue 99 -->", "<!-- deriv: expect-fail", "<!-- deriv: skip -->",
                        "<!-- deriv: bogus -->", "<!-- deriv: continue -->", "<!-- deriv: assume x > 0 -->",
                        "(3)", "\\[ x \\]", "\\[", "$$", "$$ = $$", "$$\\tag{1}$$"])
    spans = _display_spans(text)
    at = rng.choice(spans)[0] - 2 if spans else len(text)
    return text[:at] + piece + "\n" + text[at:]


def duplicate_display(text: str, rng: random.Random) -> str:
    spans = _display_spans(text)
    if not spans:
        return text
    a, b = rng.choice(spans)
    return text[:b + 2] + ("\n\n$$" + text[a:b] + "$$") * rng.randint(1, 30) + text[b + 2:]


TEXT_MUTATIONS = {
    "drop-brace": drop_brace, "duplicate-sum": duplicate_sum, "swap-indices": swap_indices,
    "change-index": change_index, "insert-frac": insert_frac, "huge-exponent": huge_exponent,
    "deep-nesting": deep_nesting, "token-noise": token_noise, "wrong-kind": wrong_kind,
    "drop-symbol": drop_symbol, "self-reference": self_reference, "yaml-noise": yaml_noise,
    "unclose-display": unclose_display, "environment": environment, "directive": directive,
    "duplicate-display": duplicate_display,
}
BYTE_MUTATIONS = {"byte-flip": byte_flip, "byte-insert": byte_insert, "byte-delete": byte_delete}
#: Pieces the suite (tests/test_check_fuzz.py) leaves out while a finding they trigger is open:
#: piece -> the xfail test in tests/test_check_harness_findings.py.  The script keeps them.
KNOWN_FINDINGS: dict[str, str] = {}
_PIECE_MUTATIONS = ("huge-exponent", "self-reference")


@dataclass
class Mutated:
    index: int
    source: str
    kinds: list[str]
    data: bytes
    suffix: str = ".md"


# -- the formats a mutated document is written in (issue 21) ------------------------------

def math_fences(text: str, rng: random.Random) -> str:
    """Every ``$$…$$`` as a GitHub math fence (some in a quote, some left open)."""
    def fence(m: re.Match[str]) -> str:
        mark = rng.choice(["```", "~~~", "````"])
        body = f"{mark}math\n{m.group(1).strip()}\n" + ("" if rng.random() < 0.05 else mark)
        return "\n".join("> " + line for line in body.split("\n")) if rng.random() < 0.1 else body
    return re.sub(r"\$\$(.*?)\$\$", fence, text, flags=re.S)


def quarto(text: str, rng: random.Random) -> str:
    """The front matter nested under ``deriv:`` beside Quarto's keys."""
    end = _front_matter_end(text)
    if not text.startswith("---\n") or not end:
        return text
    nested = "\n".join("  " + line for line in text[4:end].split("\n"))
    return f"---\nformat: html\njupyter: python3\nderiv:\n{nested}{text[end:]}"


def notebook(text: str, rng: random.Random) -> str:
    """A notebook: the paragraphs as Markdown cells, a code cell now and then."""
    cells = []
    for part in re.split(r"\n\n+", text):
        kind = "code" if rng.random() < 0.1 else "markdown"
        cells.append({"cell_type": kind, "metadata": {}, "source": part.splitlines(keepends=True)})
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}, indent=1)


#: Form -> (suffix, how to write it); drawn after the mutations, so that the Markdown
#: documents of a seed stay the ones they were before the other forms came.
FORMS = {"math-fences": (".md", math_fences), "quarto": (".qmd", quarto), "notebook": (".ipynb", notebook)}


def _in_form(doc: Mutated, rng: random.Random) -> Mutated:
    form = rng.choice([None] * 5 + sorted(FORMS))
    if form is None:
        return doc
    try:
        text = doc.data.decode("utf-8")
    except UnicodeDecodeError:
        return doc  # bytes that are not text stay a Markdown file
    suffix, write = FORMS[form]
    return Mutated(doc.index, doc.source, doc.kinds + [f"form:{form}"], write(text, rng).encode("utf-8"), suffix)


def mutated_document(seed: int, index: int, skip_known: bool = False, sources: list[Path] | None = None) -> Mutated:
    """Document ``index`` of run ``seed``: always the same bytes (for the same ``sources``).

    ``skip_known``: redraw a mutation that inserts a piece of ``KNOWN_FINDINGS``.
    """
    rng = random.Random(f"{seed}:{index}")
    source = rng.choice(sources or DERIVATIONS)
    text = source.read_text(encoding="utf-8")
    kinds: list[str] = []
    names = list(TEXT_MUTATIONS) + list(BYTE_MUTATIONS)
    for _ in range(rng.choice([1, 1, 2, 3])):
        kind = rng.choice(names)
        kinds.append(kind)
        if kind in TEXT_MUTATIONS:
            while True:
                mutated = TEXT_MUTATIONS[kind](text, rng)
                if not (skip_known and kind in _PIECE_MUTATIONS and any(
                        mutated.count(p) > text.count(p) for p in KNOWN_FINDINGS)):
                    break
            text = mutated
    data = text.encode("utf-8")
    for kind in kinds:
        if kind in BYTE_MUTATIONS:
            data = BYTE_MUTATIONS[kind](data, rng)
    return _in_form(Mutated(index, source.name, kinds, data), rng)


# -- running and classifying ----------------------------------------------------------------

@dataclass
class Outcome:
    doc: Mutated
    klass: str
    detail: str
    seconds: float
    stdout: str
    stderr: str


_LINE = re.compile(r"\bline \d+")


def classify(returncode: int, stdout: str, stderr: str) -> tuple[str, str]:
    """(class, detail) of a finished run."""
    if "Traceback" in stderr or "Traceback" in stdout:
        return "traceback", stderr.strip().splitlines()[-1] if stderr.strip() else "in stdout"
    if "internal error" in stderr or "internal error" in stdout:
        found = re.search(r"[^\n\"]*internal error[^\n\"]*", stdout + "\n" + stderr)
        return "internal", found.group(0).strip() if found else "internal error"
    try:
        report = json.loads(stdout)
        files = report["files"]
    except (ValueError, KeyError, TypeError):
        return "bad-output", f"exit {returncode}: {stderr.strip()[-200:]}"
    for f in files:
        if f.get("error") and not _LINE.search(f["error"]):
            return "error-without-line", f"file error: {f['error'][:200]}"
        for s in f.get("steps", []):
            if s.get("verdict") == "error" and not s.get("line"):
                return "error-without-line", f"step error: {s.get('message', '')[:200]}"
    return "ok", ""


def _check_command(paths: list[Path]) -> list[str]:
    """``deriv check`` of ``paths`` as JSON, under the fuzz budgets (per step and per document)."""
    return [sys.executable, "-m", "deriv", "check", "--no-cache", "--format", "json", "--timeout", str(STEP_BUDGET),
            "--document-timeout", str(DOCUMENT_BUDGET), *map(str, paths)]


def run_one(doc: Mutated, folder: Path, outer_timeout: float = OUTER_TIMEOUT) -> Outcome:
    path = folder / f"fuzz-{doc.index}{doc.suffix}"
    path.write_bytes(doc.data)
    started = time.perf_counter()
    try:
        proc = subprocess.run(
            _check_command([path]), capture_output=True, timeout=outer_timeout, cwd=folder,
            env={**os.environ, "NO_COLOR": "1"},
        )
    except subprocess.TimeoutExpired as expired:
        out = (expired.stdout or b"").decode("utf-8", "replace")
        err = (expired.stderr or b"").decode("utf-8", "replace")
        return Outcome(doc, "hang", f"no report after {outer_timeout} s", time.perf_counter() - started, out, err)
    finally:
        path.unlink(missing_ok=True)
    out = proc.stdout.decode("utf-8", "replace")
    err = proc.stderr.decode("utf-8", "replace")
    klass, detail = classify(proc.returncode, out, err)
    return Outcome(doc, klass, detail, time.perf_counter() - started, out, err)


def run_batch(docs: list[Mutated], folder: Path, outer_timeout: float = OUTER_TIMEOUT) -> list[Outcome]:
    """Check ``docs`` in one subprocess (one interpreter start-up for all of them).

    Each document is still checked in deriv's own killable worker under the
    step and document budgets, so one bad document can not take the others
    down.  Anything the batch can not attribute to one document -- a
    traceback, a hang of the whole process, output that is not one JSON
    report with a file per document -- sends every document of the batch
    through :func:`run_one` on its own.
    """
    if len(docs) == 1:
        return [run_one(docs[0], folder, outer_timeout)]
    paths = [folder / f"fuzz-{doc.index}{doc.suffix}" for doc in docs]
    for doc, path in zip(docs, paths):
        path.write_bytes(doc.data)
    started = time.perf_counter()
    try:
        proc = subprocess.run(
            _check_command(paths), capture_output=True, timeout=outer_timeout * len(docs), cwd=folder,
            env={**os.environ, "NO_COLOR": "1"},
        )
        out = proc.stdout.decode("utf-8", "replace")
        err = proc.stderr.decode("utf-8", "replace")
        report = json.loads(out) if "Traceback" not in out + err else None
        files = report["files"] if isinstance(report, dict) else None
    except (subprocess.TimeoutExpired, ValueError, KeyError):
        files = None
    finally:
        for path in paths:
            path.unlink(missing_ok=True)
    if not isinstance(files, list) or len(files) != len(docs):
        return [run_one(doc, folder, outer_timeout) for doc in docs]
    each = (time.perf_counter() - started) / len(docs)
    outcomes = []
    for doc, file in zip(docs, files):
        single = json.dumps({**report, "files": [file]})
        klass, detail = classify(proc.returncode, single, "")
        outcomes.append(Outcome(doc, klass, detail, each, single, err))
    return outcomes


def save(outcome: Outcome, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    stem = f"{outcome.klass}-{outcome.doc.index}"
    (out / f"{stem}{outcome.doc.suffix}").write_bytes(outcome.doc.data)
    (out / f"{stem}.txt").write_text(
        f"class: {outcome.klass}\ndetail: {outcome.detail}\nsource: {outcome.doc.source}\n"
        f"mutations: {', '.join(outcome.doc.kinds)}\nseconds: {outcome.seconds:.2f}\n\n"
        f"--- stderr\n{outcome.stderr}\n--- stdout\n{outcome.stdout[:20000]}\n",
        encoding="utf-8",
    )
    return out / f"{stem}{outcome.doc.suffix}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--count", type=int, default=10_000, help="documents to run (default 10000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--start", type=int, default=0, help="index of the first document")
    parser.add_argument("--jobs", type=int, default=2, help="subprocesses at once (default 2)")
    parser.add_argument("--timeout", type=float, default=OUTER_TIMEOUT, help="outer hard timeout per document")
    parser.add_argument("--out", type=Path, default=Path("fuzz-failures"), help="folder for failing documents")
    parser.add_argument("--batch", type=int, default=1,
                        help="documents per subprocess (default 1: a fresh interpreter for each)")
    parser.add_argument("--exclude", action="append", default=[], metavar="NAME",
                        help="a bundled document not to mutate (e.g. hessian_eigenvalues.md, whose "
                             "10,000-matrix claims take seconds); repeatable")
    args = parser.parse_args(argv)
    sources = [p for p in DERIVATIONS if p.name not in args.exclude]

    counts: Counter[str] = Counter()
    by_kind: Counter[tuple[str, str]] = Counter()
    started = time.perf_counter()
    slowest = 0.0
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(args.jobs) as pool:
        indices = range(args.start, args.start + args.count)
        batches = ([mutated_document(args.seed, k, sources=sources) for k in indices[b:b + args.batch]]
                   for b in range(0, len(indices), max(1, args.batch)))
        results = pool.map(lambda batch: run_batch(batch, Path(tmp), args.timeout), batches)
        for n, outcome in enumerate((o for batch in results for o in batch), 1):
            counts[outcome.klass] += 1
            slowest = max(slowest, outcome.seconds)
            if outcome.klass != "ok":
                for kind in outcome.doc.kinds:
                    by_kind[(outcome.klass, kind)] += 1
                where = save(outcome, args.out)
                print(f"[{n}] {outcome.klass}: {outcome.detail[:160]}  ({', '.join(outcome.doc.kinds)}) -> {where}",
                      flush=True)
            elif n % 500 == 0:
                print(f"[{n}] {dict(counts)}", flush=True)
    elapsed = time.perf_counter() - started
    print(f"\n{sum(counts.values())} documents in {elapsed:.0f} s (slowest {slowest:.1f} s), seed {args.seed}")
    for klass in CLASSES:
        print(f"  {klass:20} {counts[klass]}")
    if by_kind:
        print("failures by mutation kind:")
        for (klass, kind), c in sorted(by_kind.items()):
            print(f"  {klass:20} {kind:20} {c}")
    return 1 if any(counts[k] for k in FAILURES) else 0


if __name__ == "__main__":
    sys.exit(main())
