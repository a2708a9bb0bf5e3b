"""The xdist controller's scheduling of documents (:class:`deriv.pytest_xdist.DocumentScheduling`),
driven without xdist's processes: workers simulated as xdist's run their items (each keeps its last
item back until more come or it is shut down), a document's cost paid by its first item run.

What must hold for any collection: every item runs exactly once, a document's items all on one
worker, nothing is left waiting (no worker holds a single item while others are pending), and the
documents are dealt one at a time, largest first, so two workers end close together.
"""

from __future__ import annotations

import heapq
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("xdist")

from deriv.pytest_xdist import DocumentScheduling


class Node:
    """A worker as xdist's runs one: items arrive in chunks; it runs one while it holds two or more,
    or all of them once shut down."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.gateway = SimpleNamespace(id=name)
        self.shutting_down = False
        self.queue: list[int] = []
        self.ran: list[int] = []

    def send_runtest_some(self, indices: list[int]) -> None:
        assert not self.shutting_down
        self.queue += indices

    def shutdown(self) -> None:
        self.shutting_down = True

    def next_item(self) -> int | None:
        return self.queue[0] if len(self.queue) >= 2 or (self.shutting_down and self.queue) else None

    def __repr__(self) -> str:
        return self.name


def make_config(root: Path, workers: int) -> Any:
    options = {"tx": [f"{workers}*popen"], "maxschedchunk": None}
    return SimpleNamespace(getvalue=options.__getitem__, getoption=options.__getitem__, rootpath=root)


def run(root: Path, collection: list[str], costs: dict[str, float], workers: int = 2,
        crash: tuple[int, int] | None = None) -> tuple[dict[str, Node], list[Node], float]:
    """Simulate the run; each item's worker, the workers, and when the last one ended.
    ``crash=(worker, after)``: that worker dies after running ``after`` items."""
    scheduler = DocumentScheduling(make_config(root, workers))
    nodes = [Node(f"gw{n}") for n in range(workers)]
    for node in nodes:
        scheduler.add_node(node)
        scheduler.add_node_collection(node, collection)
    scheduler.schedule()
    ran_on: dict[str, Node] = {}
    checked: set[tuple[str, str]] = set()
    clock = {node.name: 0.0 for node in nodes}
    live = list(nodes)
    def cost(node: Node) -> float:  # of the item the node runs next: its document's, if first there
        document = collection[node.queue[0]].split("::")[0]
        return 0.0 if (node.name, document) in checked else costs.get(document, 0.01)

    for _ in range(10 * len(collection) + 10):
        # The next event: the runnable worker whose item ends first.
        runnable = [(clock[n.name] + cost(n), n.name, n) for n in live if n.next_item() is not None]
        if not runnable:
            break
        end, _, node = heapq.nsmallest(1, runnable)[0]
        if crash is not None and node is nodes[crash[0]] and len(node.ran) == crash[1]:
            live.remove(node)
            scheduler.remove_node(node)
            continue
        index = node.queue.pop(0)
        nodeid = collection[index]
        assert nodeid not in ran_on, f"{nodeid} ran twice"
        clock[node.name] = end
        checked.add((node.name, nodeid.split("::")[0]))
        ran_on[nodeid] = node
        node.ran.append(index)
        scheduler.mark_test_complete(node, index)
        if scheduler.tests_finished:
            for other in live:
                other.shutdown()
    return ran_on, nodes, max(clock.values())


def corpus(root: Path, sizes: list[int], steps: int = 3) -> list[str]:
    collection = []
    for number, size in enumerate(sizes):
        name = f"d{number:02d}.md"
        (root / name).write_text("x" * size, encoding="utf-8")
        collection += [f"{name}::{step}" for step in range(steps)]
    return collection


def test_every_item_runs_once_and_each_document_on_one_worker(tmp_path: Path) -> None:
    collection = corpus(tmp_path, [100 + n for n in range(10)])
    ran_on, _, _ = run(tmp_path, collection, {})
    assert sorted(ran_on) == sorted(collection)
    for document in {nodeid.split("::")[0] for nodeid in collection}:
        assert len({ran_on[n] for n in collection if n.startswith(document)}) == 1


def test_documents_are_dealt_largest_first(tmp_path: Path) -> None:
    sizes = [300, 100, 900, 500, 700, 200]
    collection = corpus(tmp_path, sizes)
    _, nodes, _ = run(tmp_path, collection, {})
    first_items = sorted((min(node.ran.index(i) for i in node.ran if collection[i].startswith(d)), node.name, d)
                         for node in nodes for d in {collection[i].split("::")[0] for i in node.ran})
    by_node = {node.name: [d for _, name, d in first_items if name == node.name] for node in nodes}
    size_of = {f"d{n:02d}.md": size for n, size in enumerate(sizes)}
    for documents in by_node.values():
        assert [size_of[d] for d in documents] == sorted((size_of[d] for d in documents), reverse=True)
    assert {by_node["gw0"][0], by_node["gw1"][0]} == {"d02.md", "d04.md"}  # the two largest go first


def test_one_slow_document_does_not_hold_up_a_batch_behind_it(tmp_path: Path) -> None:
    """The largest (and slowest) document on one worker, all the others on the other: the run takes
    the slow document's time, not that plus a batch of documents dealt along with it."""
    collection = corpus(tmp_path, [5000] + [100] * 19)
    costs = {"d00.md": 10.0, **{f"d{n:02d}.md": 0.5 for n in range(1, 20)}}
    ran_on, _, end = run(tmp_path, collection, costs)
    assert end == pytest.approx(10.0)
    assert {ran_on[n] for n in collection if n.startswith("d00")} != {ran_on[n] for n in collection[3:]}


def test_one_step_documents_are_never_held_back(tmp_path: Path) -> None:
    """xdist's workers keep their last item back: a worker sent a one-step document alone would
    wait with it until the end of the run."""
    collection = corpus(tmp_path, [100 + n for n in range(8)], steps=1)
    costs = {f"d{n:02d}.md": 1.0 for n in range(8)}
    ran_on, _, end = run(tmp_path, collection, costs)
    assert sorted(ran_on) == sorted(collection)
    assert end == pytest.approx(4.0)


def test_other_tests_are_scheduled_beside_documents(tmp_path: Path) -> None:
    collection = [*(f"tests/test_a.py::t{n}" for n in range(30)), *corpus(tmp_path, [100, 200, 300])]
    ran_on, _, _ = run(tmp_path, collection, {"d02.md": 1.0})
    assert sorted(ran_on) == sorted(collection)


def test_a_crashed_workers_items_go_to_the_other(tmp_path: Path) -> None:
    collection = corpus(tmp_path, [100 + n for n in range(6)])
    ran_on, nodes, _ = run(tmp_path, collection, {}, crash=(0, 4))
    # xdist reports the item a worker died in as failed (it is not run again); the rest all run.
    assert len(ran_on) == len(collection) - 1
    assert len(nodes[0].ran) == 4


@settings(max_examples=60, deadline=None)
@given(sizes=st.lists(st.integers(0, 3000), min_size=1, max_size=12),
       steps=st.lists(st.integers(1, 4), min_size=12, max_size=12),
       others=st.integers(0, 12), workers=st.integers(1, 3))
def test_any_collection_runs_completely_and_never_splits_a_document(
        tmp_path_factory: pytest.TempPathFactory, sizes: list[int], steps: list[int], others: int,
        workers: int) -> None:
    root = tmp_path_factory.mktemp("docs")
    collection = [f"test_x.py::t{n}" for n in range(others)]
    for number, size in enumerate(sizes):
        (root / f"d{number:02d}.md").write_text("x" * size, encoding="utf-8")
        collection += [f"d{number:02d}.md::{step}" for step in range(steps[number])]
    ran_on, _, _ = run(root, collection, {})
    assert sorted(ran_on) == sorted(collection)
    for number in range(len(sizes)):
        assert len({ran_on[n] for n in collection if n.startswith(f"d{number:02d}.md")}) == 1
