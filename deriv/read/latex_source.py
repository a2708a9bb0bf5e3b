"""Read a LaTeX source (``.tex``): its displays, macros, ``\\input`` files and deriv comments.

In: the path of a ``.tex`` file.  Out: the same :class:`~deriv.read.document.Document`
the Markdown reader gives, and a map from its lines back to the files they came from.

The file is first *flattened*: every ``\\input{f}`` / ``\\include{f}`` is replaced by
the lines of ``f.tex`` (only files inside the document's folder, each at most once on
the way in, so a cycle is an error and never a hang); comments, ``verbatim``-like
environments, ``\\verb`` and ``\\iffalse ... \\fi`` become spaces (never read as
mathematics); ``% deriv: expect-fail`` comments become the directives the display
scanner knows; the ``% deriv:`` comment block is the front matter.  The flattened
text keeps one line per line (an ``\\input`` line is split around the file it
brings), so the display scanner (:func:`~deriv.read.document.scan_body`) finds
``equation``, ``align``, ``\\[ \\]``, ``$$``, ``\\newcommand`` exactly as in
Markdown, and every line it reports is mapped back (:func:`relocated`) to the file
and line the author wrote.
"""

from __future__ import annotations

import bisect
import os
import re
import textwrap
from dataclasses import dataclass, field, replace

from deriv.errors import DerivError, InputError
from deriv.read.document import Display, Document, scan_body
from deriv.read.files import MAX_BYTES, inside, read_text_file
from deriv.read.frontmatter import parse_front_matter
from deriv.read.latex_lines import Clean, clean_lines  # what of each line is code
from deriv.read.rows import DISPLAY_ENVS
from deriv.results import FileResult, StepResult, Unchecked

#: ``\\input`` files open at once at most (a deeper chain is an error on its line).
MAX_DEPTH = 16
#: ``\\input`` commands followed in one document at most (a file brought in twice counts twice).
MAX_INPUTS = 1000
_INCLUDE = re.compile(r"\\(input|include)(?![A-Za-z])\s*(?:\{([^{}]*)\}|([^\s{}\\%$]+))")
#: Commands that bring in other files which deriv does not follow: an error, never silently unread.
_UNFOLLOWED = re.compile(r"\\(subfile|subimport|import|inputfrom|includefrom|subinputfrom|subincludefrom)(?![A-Za-z])")
_TITLE = re.compile(r"\\(?:title|section\*?)\s*(?:\[[^\]]*\])?\s*\{([^{}]*)\}")


@dataclass(frozen=True)
class Origin:
    """Lines ``first``... of the flattened document are lines ``line``... of ``path``."""

    first: int
    path: str
    line: int


@dataclass
class Flat:
    """A ``.tex`` file with its ``\\input`` files in place, one entry per line."""

    lines: list[str] = field(default_factory=list)
    blank: set[int] = field(default_factory=set)
    origins: list[Origin] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)
    header: int | None = None  # line of the ``% deriv:`` block
    yaml: list[str] = field(default_factory=list)
    size: int = 0

    def where(self, line: int) -> tuple[str, int]:
        """The file and line a line of the flattened document was written on."""
        if not self.origins or line < 1:
            return (self.origins[0].path if self.origins else ""), line
        i = bisect.bisect_right([o.first for o in self.origins], line) - 1
        origin = self.origins[max(i, 0)]
        return origin.path, origin.line + line - origin.first


class _Flattener:
    def __init__(self, path: str) -> None:
        self.path = path
        self.folder = os.path.dirname(path)
        self.root = os.path.realpath(self.folder or ".")
        self.flat = Flat()
        self.texts: dict[str, list[Clean]] = {}
        self.inputs = 0
        self.excluded: set[str] = set()  # \excludecomment's environments, for every file after it

    def file(self, shown: str, real: str, text: str, stack: tuple[str, ...]) -> None:
        """Add the lines of one file (``shown`` as the caller names it)."""
        if real not in self.texts:
            # A file's last line end closes that line; it opens no empty line (that would end a paragraph).
            self.texts[real] = clean_lines(_normal(text).removesuffix("\n"), self.excluded)
        for number, clean in enumerate(self.texts[real], 1):
            if clean.header or clean.yaml is not None:
                self._block(shown, clean, stack)
            if clean.problem:
                self.flat.problems.append((len(self.flat.lines) + 1, clean.problem))
            if not clean.directive and (unfollowed := _UNFOLLOWED.search(clean.text)):
                self.flat.problems.append((len(self.flat.lines) + 1, f"\\{unfollowed.group(1)} is not followed: "
                                           "deriv reads files brought in by \\input and \\include only"))
            parts = [] if clean.directive else list(_INCLUDE.finditer(clean.text))
            if not parts:
                self._line(clean.text, clean.blank, shown, number)
                continue
            pos = 0  # the pieces of a line around an \input end no paragraph, even when empty
            for m in parts:
                self._line(clean.text[pos:m.start()], False, shown, number)
                self._include(m, stack)
                pos = m.end()
            self._line(clean.text[pos:], False, shown, number)

    def _line(self, text: str, blank: bool, shown: str, number: int) -> None:
        flat = self.flat
        flat.size += len(text) + 1
        if flat.size > MAX_BYTES:
            raise InputError("document is too large with its \\input files (the limit is 5 MB)", path=self.path)
        flat.lines.append(text)
        here = len(flat.lines)
        if blank:
            flat.blank.add(here)
        last = flat.origins[-1] if flat.origins else None
        if last is None or last.path != shown or last.line + here - last.first != number:
            flat.origins.append(Origin(here, shown, number))

    def _block(self, shown: str, clean: Clean, stack: tuple[str, ...]) -> None:
        flat, here = self.flat, len(self.flat.lines) + 1
        if clean.header:
            if len(stack) > 1:
                flat.problems.append((here, "a % deriv: declarations block belongs in the file checked, not in an "
                                            f"\\input file: check {shown} itself"))
            elif flat.header is not None:
                flat.problems.append((here, f"a second % deriv: block (the first is on line {flat.header})"))
            else:
                flat.header = here
            return
        if len(stack) == 1 and flat.header is not None and len(flat.yaml) == here - flat.header - 1:
            flat.yaml.append(clean.yaml or "")

    def _include(self, m: re.Match[str], stack: tuple[str, ...]) -> None:
        name = (m.group(2) if m.group(2) is not None else m.group(3)).strip()
        command = f"\\{m.group(1)}{{{name}}}"
        here = len(self.flat.lines)
        found = self._resolve(name, command, here)
        if found is None:
            return
        real, relative = found
        if real in stack:
            chain = " -> ".join(os.path.basename(p) for p in (*stack, real))
            self.flat.problems.append((here, f"{command} is a cycle ({chain}): it is not read again"))
            return
        self.inputs += 1
        if self.inputs > MAX_INPUTS:
            self.flat.problems.append((here, f"{command}: more than {MAX_INPUTS} \\input commands followed"))
            return
        if len(stack) > MAX_DEPTH:
            self.flat.problems.append((here, f"{command}: \\input files nested more than {MAX_DEPTH} deep"))
            return
        try:
            text = read_text_file(real)
        except InputError as error:
            self.flat.problems.append((here, f"{command}: {error.message}"))
            return
        self.file(os.path.normpath(os.path.join(self.folder, relative)), real, text, (*stack, real))

    def _resolve(self, name: str, command: str, here: int) -> tuple[str, str] | None:
        """The real path and the name relative to the folder of the file ``name`` means
        (``name.tex`` first, as LaTeX looks), or None with the problem recorded."""
        if not name:
            self.flat.problems.append((here, f"{command} names no file"))
            return None
        for relative in ([name] if name.endswith(".tex") else [name + ".tex", name]):
            real = os.path.realpath(os.path.join(self.root, relative))
            if not inside(real, self.root):
                self.flat.problems.append((here, f"{command} is outside the document's folder: "
                                                 "deriv reads no file outside it"))
                return None
            if os.path.isfile(real):
                return real, relative
        self.flat.problems.append((here, f"{command}: no file {name if name.endswith('.tex') else name + '.tex'} "
                                         f"in the document's folder"))
        return None


def _normal(text: str) -> str:
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def flatten(path: str, text: str | None = None) -> Flat:
    """The file at ``path`` (or ``text`` as if it were there) with its ``\\input`` files in place."""
    flattener = _Flattener(path)
    source = read_text_file(path) if text is None else text
    flattener.file(path, os.path.realpath(path), source, (os.path.realpath(path),))
    return flattener.flat


#: The Markdown reader's message, in LaTeX's words.
NO_DECLARATIONS = ("no % deriv: block and no declaration in the text: a LaTeX derivation declares its symbols "
                   "in a comment block (a line % deriv:, then %   symbols: and the rest of the front matter), "
                   "or states them as in 'Let $x \\in \\mathbb{R}^n$'")


def read_latex(path: str | os.PathLike[str], text: str | None = None) -> Document:
    """The document of the ``.tex`` file at ``path``, its lines those of the flattened text."""
    document = _document(os.fspath(path), text)
    if document.front is None:
        raise DerivError(NO_DECLARATIONS, path=document.path, line=1)
    return document


def _document(name: str, text: str | None) -> Document:
    """:func:`read_latex`'s document, declared or not."""
    flat = flatten(name, text)
    front = None
    if flat.header is not None:
        front = parse_front_matter(textwrap.dedent("\n".join(flat.yaml)), flat.header + 1, name)
    body = "\n".join(flat.lines)
    title = _TITLE.search(body)
    document = scan_body(body, name, front, 0, blank_lines=flat.blank,
                         title=title.group(1).strip() if title else None)
    if unread := _display_macro(body) or _primitive_definition(body, document):
        raise DerivError(unread[1], path=name, line=unread[0])  # every step that uses it would be misread
    problems = [DerivError(message, path=name, line=line) for line, message in flat.problems]
    displays = tuple(_without_directives(d) for d in document.displays)
    return replace(document, displays=displays, problems=document.problems + tuple(problems))


def _without_directives(display: Display) -> Display:
    """A display with a ``% deriv:`` line inside it (become a directive comment in the text the
    scanner reads: a literal ``<!--`` is never left in it) is an error, never read as math."""
    if "<!--" not in display.text:
        return display
    return replace(display, text="", problem="a % deriv: directive inside a display: put it on the line before it")


#: ``\\def\\x`` and its kin, which deriv does not read, and ``\\newcommand`` / ``\\providecommand``.
_DEFINITION = re.compile(r"\\(def|gdef|edef|xdef|let|DeclareRobustCommand|newcommand|providecommand)"
                         r"\*?\s*\{?\s*\\([A-Za-z]+)")
#: Commands LaTeX (with amsmath) defines, which deriv reads: ``\providecommand`` keeps LaTeX's
#: meaning and ``\newcommand`` stops LaTeX with an error, while deriv would expand the new body.
LATEX_COMMANDS = frozenset(
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi varpi "
    "rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma "
    "Upsilon Phi Psi Omega ell arccos arcsin arctan arg cos cosh cot coth csc deg det dim exp gcd hom inf "
    "ker lg lim liminf limsup ln log max min Pr sec sin sinh sup tan tanh sqrt prod top cdot times circ "
    "otimes oplus odot oslash nabla infty vec hat bar tilde dot ddot widehat widetilde overline check breve "
    "acute grave mathbf mathit mathcal mathbb boldsymbol langle rangle lvert rvert lVert rVert le ge leq geq "
    "neq in prime succ succeq prec preceq cdots ldots dots".split())


def _primitive_definition(body: str, document: Document) -> tuple[int, str] | None:
    """The first ``\\def\\x`` (``\\let``, ...) of a command the mathematics uses: deriv does not
    read them, and reading ``\\x`` as deriv knows it (or not at all) would misread the author.
    Nor ``\\providecommand`` / ``\\newcommand`` of a command LaTeX has (:data:`LATEX_COMMANDS`)."""
    used = set(re.findall(r"\\([A-Za-z]+)", "\n".join([d.text for d in document.displays] +
                                                      [m.body for m in document.macros])))
    for m in _DEFINITION.finditer(body):
        command, name = m.groups()
        if name in used and (command not in ("newcommand", "providecommand") or name in LATEX_COMMANDS):
            return body.count("\n", 0, m.start()) + 1, _unread(command, name)
    return None


#: A macro that opens or closes a display: ``\\newcommand{\\be}{\\begin{equation}}``, ``\\def\\ee{\\]}``,
#: ``\\let\\beq\\equation``.  deriv finds displays as written, not through macros.
_DISPLAY_MACRO = re.compile(
    r"\\(?:(?:re)?newcommand|providecommand|[gex]?def|let)\*?\s*\{?\s*\\([A-Za-z]+)\s*\}?\s*(?:\[\d\]\s*)?"
    r"(?:\{\s*(?:\\(?:begin|end)\s*\{([A-Za-z]+\*?)\}|\\\[|\\\]|\$\$)|=?\s*\\(?:end)?([A-Za-z]+\*?)(?![A-Za-z]))")


def _display_macro(body: str) -> tuple[int, str] | None:
    """The first macro that opens or closes a display and is used: its displays would be
    silently unread (an error on the definition's line)."""
    for m in _DISPLAY_MACRO.finditer(body):
        env = m.group(2) or m.group(3)
        if env is not None and env not in DISPLAY_ENVS:
            continue
        if len(re.findall(rf"\\{m.group(1)}(?![A-Za-z])", body)) > 1:
            return body.count("\n", 0, m.start()) + 1, (
                f"\\{m.group(1)} opens or closes a display: deriv finds displays as written, not through "
                "macros, so its math would not be read -- write \\begin{...} / \\[ ... \\] in full")
    return None


def _unread(command: str, name: str) -> str:
    if command in ("newcommand", "providecommand"):
        return (f"\\{name} is a LaTeX command: \\{command} of it keeps LaTeX's meaning or stops LaTeX, "
                f"and deriv would read the new one: write \\renewcommand{{\\{name}}}{{...}} or another name")
    return f"\\{name} is defined with \\{command}, which deriv does not read: write \\newcommand{{\\{name}}}{{...}}"


_LINE_WORD = re.compile(r"\b(line) (\d+)\b")


def relocated(result: FileResult, path: str) -> FileResult:
    """``result`` of the flattened ``.tex`` file at ``path`` with every line the author's:
    a step from an ``\\input`` file names that file (``StepResult.file``)."""
    try:
        flat = flatten(path)
    except DerivError:
        return result
    if len(flat.origins) <= 1:
        return result  # one file, line for line: nothing moves
    error = _lines_in(result.error, flat, path) if result.error else result.error
    error_line = result.error_line
    if error and error_line:
        shown, error_line = flat.where(error_line)
        if shown != path:  # a file error has no file of its own: the message names it
            error, error_line = f"{shown}, line {error_line}: {error}", None
    return replace(result, error=error, error_line=error_line, steps=tuple(_step(s, flat, path) for s in result.steps))


def _step(step: StepResult, flat: Flat, path: str) -> StepResult:
    if step.line < 1:
        return step
    shown, line = flat.where(step.line)
    return replace(step, line=line, file=None if shown == path else shown, message=_lines_in(step.message, flat, path))


def _lines_in(message: str, flat: Flat, path: str) -> str:
    """``line N`` in a message, N a line of the flattened text, as the author's line (and file)."""
    def one(m: re.Match[str]) -> str:
        shown, line = flat.where(int(m.group(2)))
        return f"{m.group(1)} {line}" + ("" if shown == path else f" of {shown}")

    return _LINE_WORD.sub(one, message)


_DOCUMENTCLASS = re.compile(r"^[ \t]*\\documentclass(?![A-Za-z])", re.M)
_HEADER = re.compile(r"^[ \t]*%+[ \t]*deriv[ \t]*:[ \t]*$", re.M)


def select_latex(path: str | os.PathLike[str]) -> Unchecked | None:
    """None when the ``.tex`` file is a derivation (a ``% deriv:`` block, or declarations in
    its text and a display); else why a folder run leaves it out (the Markdown rule)."""
    name = os.fspath(path)
    try:
        text = read_text_file(name)
        if _HEADER.search(text):
            return None
        document = _document(name, text)
    except DerivError:
        return None  # checked, so that what is wrong is reported
    except (RecursionError, ValueError):
        return Unchecked(name, "not readable as a LaTeX source")
    if document.front is not None and document.front.symbols and document.displays:
        return None
    if document.displays and _DOCUMENTCLASS.search(text):
        return Unchecked(name, "display math but no % deriv: block", suspicious=True)
    if document.displays:  # a part of a paper: checked through the file that inputs it
        return Unchecked(name, "an \\input part (no \\documentclass, no % deriv: block)")
    return Unchecked(name, "no % deriv: block and no display math")
