"""Documents checked through an executor (deriv.distributed, as on a Dask cluster) get what a local
run gets -- LaTeX sources too, which were sent as Markdown and lost their ``% deriv:`` block: an
error ('no front matter') where a local run proves their steps."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from deriv.check.checker import check_paths
from deriv.check.options import CheckOptions
from deriv.distributed import check_paths_on

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def timeless(run) -> list:
    return [replace(f, steps=tuple(replace(s, seconds=0.0) for s in f.steps)) for f in run.files]


def test_latex_sources_and_notebooks_through_an_executor_get_what_a_local_run_gets() -> None:
    paths = [str(EXAMPLES / name) for name in ("linear_layer.tex", "linear_layer_bias.tex", "linear_layer.ipynb",
                                                "linear_layer.qmd")]
    options = CheckOptions()
    with ThreadPoolExecutor(1) as executor:
        remote = check_paths_on(executor, paths, options)
    local = check_paths(paths, options)
    assert timeless(remote) == timeless(local)
    assert all(f.error is None and f.steps for f in remote.files)
