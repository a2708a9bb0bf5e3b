"""Stage 1, reading: a Markdown file's bytes to a :class:`~deriv.read.document.Document`.

In: a path or a string.  Out: a ``Document`` -- its
:class:`~deriv.read.frontmatter.FrontMatter` (declarations as written, kinds
parsed), and its displays as raw LaTeX text with line numbers, labels and
directives.  No LaTeX is parsed and nothing is given meaning here.
"""
