"""A synthetic statements corpus, for benchmarks and load tests: realistic skew, reproducible by seed.

Actors and targets are drawn with log-normal popularity (a few very active actors, a few much-discussed
targets), two camps that mostly agree within and disagree across, dates spread over a year, and sources
each reporting a few hundred statements. The rows are written in the statements-CSV ingest format
(``actor, target, stance, date, source, quote, confidence``).

No two rows state the same stance (the same actor, target, stance, date and source, which a load would
store once, :mod:`~stancegraph.graph.ingestion.duplicates`): a row that would repeat one of its source
moves to the next free day.

A share of the rows (``contradicts_share``, 1 % by default) are *denials*: a later report in which the
actor of an earlier row says the opposite (endorses <-> rejects, concedes <-> demands) about the same
target, in another source (the denials of each block of rows have a source of their own), with
``contradicts`` naming that row. Every row then has an ``id``
(``s0000001`` ...) that such references use; with ``contradicts_share=0`` the columns and rows are those
of a corpus without contradictions. The other rows do not depend on the share: a denial replaces the
row that would have stood in its place, and the rest stay as they are.

Examples
--------
>>> rows = list(synthetic_statements(3, actors=5, targets=4, seed=1))
>>> sorted(rows[0])
['actor', 'confidence', 'contradicts', 'date', 'id', 'quote', 'source', 'stance', 'target']
>>> rows == list(synthetic_statements(3, actors=5, targets=4, seed=1))
True
>>> sorted(next(synthetic_statements(1, contradicts_share=0)))
['actor', 'confidence', 'date', 'quote', 'source', 'stance', 'target']
>>> rows = list(synthetic_statements(2000, contradicts_share=0.05, seed=2))
>>> denial = next(row for row in rows if row["contradicts"])
>>> claim = rows[int(denial["contradicts"][1:]) - 1]
>>> (denial["actor"], denial["target"]) == (claim["actor"], claim["target"])
True
>>> claim["date"] < denial["date"] and claim["source"] != denial["source"]
True
"""

from __future__ import annotations

__all__ = [
    "COLUMNS",
    "COLUMNS_WITH_CONTRADICTIONS",
    "CONTRADICTS_SHARE",
    "OPPOSITE",
    "synthetic_statements",
    "write_statements_csv",
]

import csv
import datetime as dt
import itertools
import random
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

#: The columns of a corpus without contradictions (``contradicts_share=0``).
COLUMNS = ("actor", "target", "stance", "date", "source", "quote", "confidence")
#: The columns of a corpus with contradictions.
COLUMNS_WITH_CONTRADICTIONS = ("id", *COLUMNS, "contradicts")
#: The default share of denials.
CONTRADICTS_SHARE = 0.01
#: The stance a denial takes: the opposite of the one it disputes.
OPPOSITE = {"endorses": "rejects", "rejects": "endorses", "concedes": "demands", "demands": "concedes"}
_START = dt.date(2025, 1, 1)
_STATEMENTS_PER_SOURCE = 250
_RECENT = 2_000  # rows a denial may dispute: the most recent ones (bounded memory)
_DENIAL_DELAY = 14  # a denial comes 1 to this many days after what it disputes
_BATCH = 10_000  # rows written between two calls of on_rows


def synthetic_statements(
    n: int,
    *,
    actors: int = 200,
    targets: int = 100,
    seed: int = 0,
    contradicts_share: float = CONTRADICTS_SHARE,
) -> Iterator[dict[str, str]]:
    """``n`` statements as dicts of the CSV columns.

    Parameters
    ----------
    n : int
        Number of statements.
    actors, targets : int
        How many distinct actors (``Actor 00001`` ...) and targets (``Target 0001`` ...).
    seed : int
        The random seed; the same arguments give the same rows.
    contradicts_share : float, default 0.01
        The share of rows (0..1) that deny an earlier row (see the module docstring); each row then
        also has an ``id`` and a ``contradicts`` cell (empty but for denials). 0: no contradictions, and
        neither column.
    """
    if n < 0 or actors < 1 or targets < 1:
        raise ValueError(
            f"need n >= 0, actors >= 1 and targets >= 1, got n={n}, actors={actors}, targets={targets}"
        )
    if not 0 <= contradicts_share <= 1:
        raise ValueError(f"contradicts_share is a share between 0 and 1, got {contradicts_share}")
    rng = random.Random(seed)
    denials = random.Random(f"{seed}/contradicts")  # its own stream: the other rows stay as they are
    recent: deque[dict[str, str]] = deque(maxlen=_RECENT)
    taken: set[tuple[int, int, str, int]] = set()  # (actor, target, stance, day) of this source's rows
    denied: set[tuple[str, str, str, str]] = set()  # (actor, target, stance, date) of its denials
    actor_weights = [rng.lognormvariate(0.0, 1.0) for _ in range(actors)]
    target_weights = [rng.lognormvariate(0.0, 1.0) for _ in range(targets)]
    actor_ids = rng.choices(range(actors), weights=actor_weights, k=n)
    target_ids = rng.choices(range(targets), weights=target_weights, k=n)
    for i, (a, t) in enumerate(zip(actor_ids, target_ids, strict=True)):
        same_camp = a % 2 == t % 2
        roll = rng.random()
        agree = roll < (0.8 if same_camp else 0.2)
        stance = (
            ("endorses" if rng.random() < 0.8 else "concedes")
            if agree
            else ("rejects" if rng.random() < 0.85 else "demands")
        )
        source = i // _STATEMENTS_PER_SOURCE
        if i % _STATEMENTS_PER_SOURCE == 0:
            taken.clear()
            denied.clear()
        offset = source * 7 + rng.randrange(7)
        while (a, t, stance, offset % 365) in taken:  # the same stance again: the next free day
            offset += 1
        taken.add((a, t, stance, offset % 365))
        day = _START + dt.timedelta(days=offset % 365)
        row = {
            "actor": f"Actor {a:05d}",
            "target": f"Target {t:04d}",
            "stance": stance,
            "date": day.isoformat(),
            "source": f"Synthetic source {source:05d}",
            "quote": f"statement {i}",
            "confidence": f"{0.5 + rng.random() / 2:.2f}",
        }
        if not contradicts_share:
            yield row
            continue
        row["id"] = f"s{i + 1:07d}"
        row["contradicts"] = ""
        # a denial disputes a recent row of an earlier source (the rows of this source come last in
        # ``recent``), so it is reported elsewhere
        earlier = len(recent) - min(i % _STATEMENTS_PER_SOURCE, len(recent))
        if denials.random() < contradicts_share and earlier > 0:
            claim = recent[denials.randrange(earlier)]
            delay = dt.timedelta(days=denials.randint(1, _DENIAL_DELAY))
            later = dt.date.fromisoformat(claim["date"]) + delay
            opposite = OPPOSITE[claim["stance"]]
            while (claim["actor"], claim["target"], opposite, later.isoformat()) in denied:
                later += dt.timedelta(days=1)
            denied.add((claim["actor"], claim["target"], opposite, later.isoformat()))
            row.update(
                actor=claim["actor"],
                target=claim["target"],
                stance=opposite,
                date=later.isoformat(),
                source=f"{row['source']} denials",
                quote=f"statement {i} (denies statement {int(claim['id'][1:]) - 1})",
                contradicts=claim["id"],
            )
        recent.append(row)
        yield row


def write_statements_csv(
    out: str | Path | IO[str],
    n: int,
    *,
    actors: int = 200,
    targets: int = 100,
    seed: int = 0,
    contradicts_share: float = CONTRADICTS_SHARE,
    on_rows: Callable[[int], None] | None = None,
) -> int:
    """Write :func:`synthetic_statements` as a statements CSV to a path or text stream; returns ``n``.

    ``on_rows``, if given, is called with the number of rows written after each batch of them (for a
    progress bar)."""
    options = {"actors": actors, "targets": targets, "seed": seed, "contradicts_share": contradicts_share}
    if isinstance(out, (str, Path)):
        with open(out, "w", newline="", encoding="utf-8") as stream:
            return write_statements_csv(stream, n, on_rows=on_rows, **options)
    columns = COLUMNS_WITH_CONTRADICTIONS if contradicts_share else COLUMNS
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    rows = synthetic_statements(n, **options)
    while batch := list(itertools.islice(rows, _BATCH)):
        writer.writerows(batch)
        if on_rows is not None:
            on_rows(len(batch))
    return n
