"""A synthetic statements corpus, for benchmarks and load tests: realistic skew, reproducible by seed.

Actors and targets are drawn with log-normal popularity (a few very active actors, a few much-discussed
targets), two camps that mostly agree within and disagree across, dates spread over a year, and sources
each reporting a few hundred statements. The rows are written in the statements-CSV ingest format
(``actor, target, stance, date, source, quote, confidence``).

Examples
--------
>>> rows = list(synthetic_statements(3, actors=5, targets=4, seed=1))
>>> sorted(rows[0])
['actor', 'confidence', 'date', 'quote', 'source', 'stance', 'target']
>>> rows == list(synthetic_statements(3, actors=5, targets=4, seed=1))
True
"""

from __future__ import annotations

__all__ = ["COLUMNS", "synthetic_statements", "write_statements_csv"]

import csv
import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path
from typing import IO

COLUMNS = ("actor", "target", "stance", "date", "source", "quote", "confidence")
_START = dt.date(2025, 1, 1)
_STATEMENTS_PER_SOURCE = 250


def synthetic_statements(
    n: int, *, actors: int = 200, targets: int = 100, seed: int = 0
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
    """
    if n < 0 or actors < 1 or targets < 1:
        raise ValueError(
            f"need n >= 0, actors >= 1 and targets >= 1, got n={n}, actors={actors}, targets={targets}"
        )
    rng = random.Random(seed)
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
        day = _START + dt.timedelta(days=(source * 7 + rng.randrange(7)) % 365)
        yield {
            "actor": f"Actor {a:05d}",
            "target": f"Target {t:04d}",
            "stance": stance,
            "date": day.isoformat(),
            "source": f"Synthetic source {source:05d}",
            "quote": f"statement {i}",
            "confidence": f"{0.5 + rng.random() / 2:.2f}",
        }


def write_statements_csv(
    out: str | Path | IO[str], n: int, *, actors: int = 200, targets: int = 100, seed: int = 0
) -> int:
    """Write :func:`synthetic_statements` as a statements CSV to a path or text stream; returns ``n``."""
    if isinstance(out, (str, Path)):
        with open(out, "w", newline="", encoding="utf-8") as stream:
            return write_statements_csv(stream, n, actors=actors, targets=targets, seed=seed)
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(synthetic_statements(n, actors=actors, targets=targets, seed=seed))
    return n
