"""Checking on a Dask cluster (deriv.distributed): a local cluster of two worker
processes gives exactly what a local run gives, in the same order, from the
library (``check_many(..., executor=client)``) and the CLI (``--scheduler``)."""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest
from click.testing import CliRunner

import deriv
from deriv.cli import main

distributed = pytest.importorskip("distributed")

SQUARE = {"A": "matrix N x N", "B": "matrix N x N"}
ITEMS = [{"id": n, "text": text} for n, text in enumerate([
    "$$ (A B)^T = B^T A^T $$", "$$ A B = B A $$", "$$ \\frac{ $$",
    "$$ \\operatorname{tr}(A B) = \\operatorname{tr}(B A) $$", "$$ (A + B)^T = A^T + B^T = B^T $$"])]


@pytest.fixture(scope="module")
def client():
    import dask

    # Each item is checked in a killable process of its own: a Dask worker may start one
    # only when it is not a daemon (docs/library.md, "Past one machine").
    with dask.config.set({"distributed.worker.daemon": False}):
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                           dashboard_address=None)
    with distributed.Client(cluster) as connected:
        yield connected
    cluster.close()


def without_times(items) -> list:
    return [replace(item, steps=tuple(replace(s, seconds=0.0) for s in item.steps)) for item in items]


def test_check_many_on_a_cluster_gives_what_a_local_run_gives(client) -> None:
    local = deriv.check_many(ITEMS, symbols=SQUARE)
    remote = deriv.check_many(ITEMS, symbols=SQUARE, executor=client)
    assert without_times(remote) == without_times(local)
    assert [r.first_wrong for r in remote] == [None, 0, 0, None, 1]


def test_any_executor_will_do_and_a_wrong_one_is_a_type_error() -> None:
    with ThreadPoolExecutor(2) as pool:
        found = deriv.check_many(ITEMS[:2], symbols=SQUARE, executor=pool)
    assert [r.first_wrong for r in found] == [None, 0]
    with pytest.raises(TypeError, match="executor"):
        deriv.check_many(ITEMS[:1], symbols=SQUARE, executor=42)


def test_the_cli_checks_documents_and_batches_on_a_scheduler(client, tmp_path) -> None:
    address = client.scheduler.address
    folder = tmp_path / "documents"
    folder.mkdir()
    head = "---\nsymbols:\n  A: matrix N x N\n  B: matrix N x N\n---\n\n"
    for n, item in enumerate(ITEMS):
        (folder / f"d{n}.md").write_text(head + str(item["text"]) + "\n")
    (folder / "unreadable.md").write_bytes(head.encode() + b"\xff\xfe $$ A = A $$\n")
    local = CliRunner().invoke(main, ["check", "--no-cache", "--format", "json", str(folder)])
    remote = CliRunner().invoke(main, ["check", "--scheduler", address, "--format", "json", str(folder)])
    assert remote.exit_code == local.exit_code

    def verdicts(output: str) -> list:
        return [[(s["line"], s["verdict"], s["message"]) for s in f["steps"]] for f in json.loads(output)["files"]]

    assert verdicts(remote.output) == verdicts(local.output)
    batch = tmp_path / "items.jsonl"
    batch.write_text("\n".join(json.dumps({**item, "symbols": SQUARE}) for item in ITEMS) + "\n")
    lines = [CliRunner().invoke(main, ["check", "--batch", str(batch), *extra]).output for extra in
             ([], ["--scheduler", address])]
    assert re.sub(r'"seconds": [0-9.e-]+', "", lines[0]) == re.sub(r'"seconds": [0-9.e-]+', "", lines[1])
