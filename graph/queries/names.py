"""IRIs, short ids and names: how people refer to nodes, and how we resolve what they type.

A node's IRI is ``https://w3id.org/stancegraph/id/{kind}/{slug}``; its *short id* is the ``{slug}``
(``us``, ``ru-no-nato``, ``us-28/7``). People may name a node by IRI, by short id, or by a label
(``skos:prefLabel`` / ``skos:altLabel``, compared case- and accent-insensitively); a label that fits more
than one node is refused with the candidates listed.
"""

from __future__ import annotations

__all__ = [
    "ID_NS",
    "KINDS",
    "slugify",
    "iri_for",
    "short_id",
    "kind_of",
    "normalise_label",
    "resolve",
    "label_index",
]

import re
import unicodedata
from collections.abc import Mapping
from typing import TYPE_CHECKING

from stancegraph.graph.errors import AmbiguousNameError, UnknownEntityError
from stancegraph.ontology.namespaces import ID_NS, SG_NS

if TYPE_CHECKING:
    from stancegraph.graph.store import Store

#: The kinds of node that have an IRI of their own, and the classes a "kind" filter accepts.
KINDS: Mapping[str, tuple[str, ...]] = {
    "actor": ("Actor", "State", "Person", "Organization", "Coalition"),
    "target": ("Target", "Demand", "Plan", "PlanPoint", "Issue"),
    "demand": ("Demand",),
    "plan": ("Plan",),
    "point": ("PlanPoint",),
    "issue": ("Issue",),
    "stance": ("Stance",),
    "source": ("Source",),
    "coder": ("Coder",),
}

_SG = SG_NS
_SLUG_DROP = re.compile(r"[^a-z0-9]+")


def slugify(label: str) -> str:
    """Turn a label into a slug: lower-case ASCII letters, digits and single hyphens.

    Parameters
    ----------
    label : str
        Any text, e.g. an actor's name.

    Returns
    -------
    str
        The slug; ``ValueError`` if nothing is left (a label of punctuation only).

    Examples
    --------
    >>> slugify("Volodymyr Zelensky")
    'volodymyr-zelensky'
    >>> slugify("  Île-de-France / EU  ")
    'ile-de-france-eu'
    """
    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode("ascii")
    slug = _SLUG_DROP.sub("-", ascii_text.lower()).strip("-")
    if not slug:
        raise ValueError(f"cannot make an identifier from {label!r}: it has no letters or digits")
    return slug


def iri_for(kind: str, slug: str) -> str:
    """The IRI of a node of ``kind`` ('actor', 'demand', 'plan', 'stance', 'source', 'issue', 'post').

    Examples
    --------
    >>> iri_for("actor", "us")
    'https://w3id.org/stancegraph/id/actor/us'
    >>> iri_for("point", "us-28/7")
    'https://w3id.org/stancegraph/id/plan/us-28/7'
    """
    folder = "plan" if kind == "point" else kind
    return f"{ID_NS}{folder}/{slug}"


def short_id(iri: str) -> str:
    """The short id of one of our IRIs (the part after the kind); other IRIs are returned unchanged.

    Examples
    --------
    >>> short_id("https://w3id.org/stancegraph/id/plan/us-28/7")
    'us-28/7'
    >>> short_id("http://example.org/x")
    'http://example.org/x'
    """
    if not iri.startswith(ID_NS):
        return iri
    _, _, rest = iri[len(ID_NS) :].partition("/")
    return rest or iri


def kind_of(iri: str) -> str | None:
    """The kind folder of one of our IRIs (``'actor'``, ``'plan'`` ...), or None for a foreign IRI.

    Examples
    --------
    >>> kind_of("https://w3id.org/stancegraph/id/actor/us")
    'actor'
    """
    if not iri.startswith(ID_NS):
        return None
    kind, sep, _ = iri[len(ID_NS) :].partition("/")
    return kind if sep else None


def normalise_label(text: str) -> str:
    """Fold a label for comparison: accents stripped, case folded, runs of spaces collapsed.

    Examples
    --------
    >>> normalise_label("  Volodymyr   ZELENSKY ")
    'volodymyr zelensky'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(ascii_text.casefold().split())


def _class_values(kind: str | None) -> str:
    if kind is None:
        names = sorted({c for classes in KINDS.values() for c in classes})
    else:
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")
        names = list(KINDS[kind])
    return " ".join(f"<{_SG}{name}>" for name in names)


_NAMES_QUERY = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?node ?label WHERE {{
  VALUES ?class {{ {classes} }}
  ?node a ?class .
  OPTIONAL {{ {{ ?node skos:prefLabel ?label }} UNION {{ ?node skos:altLabel ?label }} }}
}}
"""


def label_index(store: Store, *, kind: str | None = None) -> dict[str, tuple[str, ...]]:
    """Map every folded label, alt label and short id of the nodes of ``kind`` to their IRIs.

    One query for the whole store: use it to resolve many names at once (ingesting a CSV).

    Parameters
    ----------
    store : Store
        Where to look: the default graph, which holds the reference data (actors, targets).
    kind : str, optional
        One of :data:`KINDS` ('actor', 'target', 'plan', ...); all kinds when None.

    Returns
    -------
    dict[str, tuple[str, ...]]
        Folded name -> IRIs carrying it (more than one means the name is ambiguous).
    """
    result = store.query(_NAMES_QUERY.format(classes=_class_values(kind)))
    index: dict[str, set[str]] = {}
    for node, label in result:
        iri = node.value
        if label is not None:
            index.setdefault(normalise_label(label.value), set()).add(iri)
        index.setdefault(normalise_label(short_id(iri)), set()).add(iri)
    return {name: tuple(sorted(iris)) for name, iris in index.items()}


_EXISTS_QUERY = """
ASK {{ VALUES ?class {{ {classes} }} {{ ?node a ?class }} UNION {{ GRAPH ?g {{ ?node a ?class }} }} }}
"""


def resolve(store: Store, name: str, *, kind: str | None = None) -> str:
    """Resolve what a person typed (an IRI, a short id or a label) to one node's IRI.

    Parameters
    ----------
    store : Store
        The graph to look in.
    name : str
        ``https://w3id.org/stancegraph/id/actor/us``, ``us``, ``us-28/7`` or ``"United States"``.
    kind : str, optional
        Restrict to one of :data:`KINDS`.

    Returns
    -------
    str
        The IRI.

    Raises
    ------
    UnknownEntityError
        Nothing of that kind has this name; the message suggests how to list what there is.
    AmbiguousNameError
        The label fits several nodes; ``candidates`` holds ``(iri, label)`` pairs to choose from.
    """
    from pyoxigraph import NamedNode

    classes = _class_values(kind)
    text = name.strip()
    what = kind or "node"
    if not text:
        raise UnknownEntityError(f"an empty name names no {what}")
    candidates = [text] if "://" in text else [iri_for(k, text) for k in _kinds_for_short_id(kind)]
    for iri in candidates:
        try:
            node = NamedNode(iri)
        except ValueError:  # not an IRI (spaces, quotes ...): it can still be a label
            continue
        if store.query(_EXISTS_QUERY.format(classes=classes), bindings={"node": node}):
            return iri
    iris = label_index(store, kind=kind).get(normalise_label(text), ())
    matches = [(iri, _pref_label(store, iri)) for iri in iris]
    if len(matches) == 1:
        return matches[0][0]
    if not matches:
        hint = f"`stancegraph {'actors' if kind == 'actor' else 'targets'}`" if kind else "a SPARQL query"
        raise UnknownEntityError(
            f"no {what} is named {text!r} (by IRI, short id or label); list the names with {hint}"
        )
    listing = "; ".join(f"{short_id(iri)} ({label})" for iri, label in matches)
    raise AmbiguousNameError(
        f"{text!r} names {len(matches)} {what}s: {listing}; use one of the short ids", tuple(matches)
    )


def _pref_label(store: Store, iri: str) -> str:
    from pyoxigraph import NamedNode

    rows = store.query(
        "SELECT ?label WHERE { ?node <http://www.w3.org/2004/02/skos/core#prefLabel> ?label } LIMIT 1",
        bindings={"node": NamedNode(iri)},
    )
    return rows.rows[0][0].value if len(rows) else ""


def _kinds_for_short_id(kind: str | None) -> list[str]:
    if kind is None:
        return ["actor", "demand", "plan", "issue", "stance", "source"]
    if kind == "target":
        return ["demand", "plan", "issue"]
    if kind in ("point",):
        return ["plan"]
    return [kind]
