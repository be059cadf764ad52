"""How fast are one-mode congruence + conflict networks? stancegraph against its peer and its floor.

Three ways to the same two actor x actor matrices (boolean qualifier, no normalisation):

- stancegraph: ``one_mode(statements, aggregation="congruence")`` and ``"conflict"`` on a
  :class:`~stancegraph.graph.analysis.Statements` table with string labels (the table is built
  once beforehand, as a loaded data set would be; its build time is shown on its own line).
- networkx (the peer, 20k only): ``bipartite.generic_weighted_projected_graph`` of the actor-target graph
  with weight functions computing the same congruence and conflict; only the two projections are timed.
- scipy floor: the bare sparse products from integer codes, X X^T and X S^T with X the actors x
  (level, target) count matrix and S the same with the levels swapped (building X included).

The results are checked for equality (exactly against the floor; on a sample of pairs against networkx).
At 1M statements each method runs twice (best time kept) in its own child process so that its peak
resident memory (``ru_maxrss``) is its own; "data" is the peak before the networks were computed.

Run: ``.venv/bin/python benchmarks/networks_speed.py`` (add ``--small`` for a quick 20k-only run).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time

import numpy as np
import scipy.sparse as sp

TARGETS = {"networkx": 100.0, "floor": 3.0}  # ours >= 100x faster than networkx, <= 3x the floor


def synthetic(n: int, actors: int, targets: int, seed: int = 0) -> dict[str, np.ndarray]:
    """Statements with skewed (log-normal) actor activity and target popularity; two camps by parity."""
    rng = np.random.default_rng(seed)
    actor_p = rng.lognormal(0.0, 1.0, actors)
    target_p = rng.lognormal(0.0, 1.0, targets)
    actor = rng.choice(actors, n, p=actor_p / actor_p.sum())
    target = rng.choice(targets, n, p=target_p / target_p.sum())
    camp = (actor % 2) == (target % 2)
    agree = (rng.random(n) < np.where(camp, 0.85, 0.15)).astype(np.int64)
    return {
        "actor": actor,
        "target": target,
        "agree": agree,
        "actors": np.int64(actors),
        "targets": np.int64(targets),
    }


def statements_of(data: dict[str, np.ndarray]):
    from stancegraph.graph.analysis.statements_table import Statements

    actor_labels = np.array([f"actor-{i:05d}" for i in range(int(data["actors"]))], dtype=object)
    target_labels = np.array([f"target-{i:04d}" for i in range(int(data["targets"]))], dtype=object)
    stance = np.where(data["agree"] == 1, "endorses", "rejects").astype(object)
    return Statements.from_columns(
        actor=actor_labels[data["actor"]], target=target_labels[data["target"]], stance=stance
    )


def ours(statements):
    from stancegraph.graph.analysis.networks import one_mode

    return (one_mode(statements, aggregation="congruence"), one_mode(statements, aggregation="conflict"))


def floor(data: dict[str, np.ndarray]) -> tuple[sp.csr_array, sp.csr_array]:
    a, t = int(data["actors"]), int(data["targets"])
    ones = np.ones(len(data["actor"]))
    x = sp.csr_array((ones, (data["actor"], data["agree"] * t + data["target"])), shape=(a, 2 * t))
    swapped_columns = (1 - data["agree"]) * t + data["target"]
    swapped = sp.csr_array((ones, (data["actor"], swapped_columns)), shape=(a, 2 * t))
    return x @ x.T, x @ swapped.T


def networkx_peer(data: dict[str, np.ndarray]):
    """Build the bipartite actor-target graph (counts of agree/disagree on each edge), then project."""
    import networkx as nx
    from networkx.algorithms import bipartite

    graph = nx.Graph()
    actors = [f"actor-{i:05d}" for i in range(int(data["actors"]))]
    graph.add_nodes_from(actors, bipartite=0)
    graph.add_nodes_from((f"target-{j:04d}" for j in range(int(data["targets"]))), bipartite=1)
    for i, j, k in zip(data["actor"].tolist(), data["target"].tolist(), data["agree"].tolist(), strict=True):
        u, v = actors[i], f"target-{j:04d}"
        if not graph.has_edge(u, v):
            graph.add_edge(u, v, agree=0, disagree=0)
        graph.edges[u, v]["agree" if k else "disagree"] += 1
    used = [a for a in actors if graph.degree(a)]

    def congruence(g, u, v):
        return sum(
            g[u][n]["agree"] * g[v][n]["agree"] + g[u][n]["disagree"] * g[v][n]["disagree"]
            for n in set(g[u]) & set(g[v])
        )

    def conflict(g, u, v):
        return sum(
            g[u][n]["agree"] * g[v][n]["disagree"] + g[u][n]["disagree"] * g[v][n]["agree"]
            for n in set(g[u]) & set(g[v])
        )

    start = time.perf_counter()
    projected = (
        bipartite.generic_weighted_projected_graph(graph, used, weight_function=congruence),
        bipartite.generic_weighted_projected_graph(graph, used, weight_function=conflict),
    )
    return projected, time.perf_counter() - start


def best_of(repeats: int, fn, *args):
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn(*args)
        times.append(time.perf_counter() - start)
    return min(times), result


def check_against_floor(nets, products, rows: np.ndarray | None = None) -> None:
    """Our matrices equal the floor's without its diagonal (all cells, or the given rows)."""
    for net, product in zip(nets, products, strict=True):
        codes = np.array([int(label.split("-")[1]) for label in net.row_labels])  # actors with statements
        expected = product[codes][:, codes].tolil() if rows is None else None
        if rows is None:
            expected.setdiag(0)
            expected = sp.csr_array(expected.tocsr())
            expected.eliminate_zeros()
            assert abs(net.matrix - expected).max() == 0 and net.matrix.nnz == expected.nnz
        else:  # large: compare a sample of rows
            mine = net.matrix[rows].toarray()
            theirs = product[codes[rows]][:, codes].toarray()
            theirs[np.arange(len(rows)), rows] = 0
            np.testing.assert_array_equal(mine, theirs)


def check_against_networkx(nets, projected, rng: np.random.Generator) -> int:
    checked = 0
    for net, graph in zip(nets, projected, strict=True):
        index = {label: i for i, label in enumerate(net.row_labels)}
        dense = net.to_dense()
        edges = list(graph.edges(data="weight"))
        for e in rng.choice(len(edges), size=min(2000, len(edges)), replace=False):
            u, v, w = edges[e]
            assert dense[index[u], index[v]] == w, (u, v, w)
            checked += 1
        assert np.count_nonzero(dense) == 2 * sum(1 for _, _, w in edges if w)
    return checked


def child(method: str, n: int, actors: int, targets: int) -> None:
    """Run one method at scale in this process and print its timings and memory as JSON."""
    data = synthetic(n, actors, targets)
    built = time.perf_counter()
    statements = statements_of(data) if method == "ours" else None
    build = time.perf_counter() - built
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    seconds = []
    for _ in range(2):  # best of two: the first run also pays for the first touch of fresh memory
        result = None
        start = time.perf_counter()
        result = ours(statements) if method == "ours" else floor(data)
        seconds.append(time.perf_counter() - start)
    seconds = min(seconds)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    nnz = [r.matrix.nnz if method == "ours" else r.nnz for r in result]
    if method == "ours":  # checked after the peak was read: a sample of rows against the floor
        rows = np.random.default_rng(1).choice(len(result[0].row_labels), size=200, replace=False)
        check_against_floor(result, floor(data), rows)
    print(
        json.dumps(
            {"seconds": seconds, "build": build, "data_mb": before / 1024, "peak_mb": peak / 1024, "nnz": nnz}
        )
    )


def run_child(method: str, n: int, actors: int, targets: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", method, str(n), str(actors), str(targets)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(small: bool) -> int:
    rows = []
    n, actors, targets = 20_000, 1_000, 300
    data = synthetic(n, actors, targets)
    build, statements = best_of(1, statements_of, data)
    mine_s, mine = best_of(5, ours, statements)
    floor_s, products = best_of(5, floor, data)
    check_against_floor(mine, products)
    projected, nx_s = networkx_peer(data)
    checked = check_against_networkx(mine, projected, np.random.default_rng(2))
    rows += [
        (n, "statements table build (once, not timed below)", build, None, None),
        (n, "stancegraph one_mode congruence + conflict", mine_s, None, None),
        (n, "scipy floor: bare sparse products", floor_s, None, None),
        (n, "networkx generic_weighted_projected_graph x2", nx_s, None, None),
    ]
    ratios = {"20k vs networkx": nx_s / mine_s, "20k vs floor": mine_s / floor_s}
    if not small:
        n, actors, targets = 1_000_000, 10_000, 2_000
        big_ours = run_child("ours", n, actors, targets)
        big_floor = run_child("floor", n, actors, targets)
        rows += [
            (n, "statements table build (once, not timed below)", big_ours["build"], None, None),
            (
                n,
                "stancegraph one_mode congruence + conflict",
                big_ours["seconds"],
                big_ours["data_mb"],
                big_ours["peak_mb"],
            ),
            (
                n,
                "scipy floor: bare sparse products",
                big_floor["seconds"],
                big_floor["data_mb"],
                big_floor["peak_mb"],
            ),
        ]
        ratios["1M vs floor"] = big_ours["seconds"] / big_floor["seconds"]
        nnz = big_ours["nnz"]
    print(f"{'statements':>10}  {'method':<48} {'seconds':>9} {'data MB':>9} {'peak MB':>9}")
    for size, name, seconds, data_mb, peak_mb in rows:
        mem = f"{data_mb:9.0f} {peak_mb:9.0f}" if peak_mb else f"{'':>9} {'':>9}"
        print(f"{size:>10,}  {name:<48} {seconds:9.3f} {mem}")
    print()
    print(
        f"20k: 1,000 actors x 300 targets; results equal to the floor (all cells) and to networkx "
        f"({checked} sampled edges)"
    )
    if not small:
        print(
            f"1M: 10,000 actors x 2,000 targets; {nnz[0]:,} congruence and {nnz[1]:,} conflict ties; "
            "200 sampled rows equal to the floor"
        )
    ok = True
    for name, ratio in ratios.items():
        if "networkx" in name:
            good = ratio >= TARGETS["networkx"]
            print(
                f"{name}: stancegraph is {ratio:,.0f}x faster (target >= {TARGETS['networkx']:.0f}x): "
                f"{'met' if good else 'MISSED'}"
            )
        else:
            good = ratio <= TARGETS["floor"]
            print(
                f"{name}: stancegraph takes {ratio:.2f}x the floor's time "
                f"(target <= {TARGETS['floor']:.0f}x): {'met' if good else 'MISSED'}"
            )
        ok &= good
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], *(int(v) for v in sys.argv[3:6]))
    else:
        sys.exit(main(small="--small" in sys.argv))
