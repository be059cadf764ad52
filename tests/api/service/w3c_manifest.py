"""The W3C SPARQL 1.1 query-evaluation tests: reading their manifests, and comparing results the way the
suite defines it.

``make`` fetches the suite into ``build/w3c-sparql11`` (from the rdflib source distribution on PyPI; see
the Makefile). The manifests are read with rdflib under the suite's published base
(``http://www.w3.org/2009/sparql/docs/tests/data-sparql11/<category>/``): the query, data and result files are
named by those IRIs, a named graph is named by its file's IRI, and :func:`local` maps an IRI back to the
file.

Results are compared as RDF terms (lexical form, datatype, language tag; a literal without either is an
``xsd:string``; numbers by value, see :func:`literal`), solutions as multisets (as sequences when the outer
query orders them), blank nodes up to a one-to-one renaming; graphs the same way, triple by triple. The
result parsers are small ones of our own: rdflib's would normalise the lexical forms of booleans, dates
and more as it reads them, and hide a difference.
"""

from __future__ import annotations

import csv
import io
import json
import re
import struct
import xml.etree.ElementTree as ElementTree
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pyoxigraph
import rdflib
from rdflib.collection import Collection

SUITE = Path(__file__).resolve().parents[3] / "build" / "w3c-sparql11"
PUBLISHED = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/"

MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
DAWGT = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-dawg#")
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")

#: The test types run here; the others test syntax, updates, the protocol or the service description.
EVALUATION_TYPES = (MF.QueryEvaluationTest, MF.CSVResultFormatTest)
_NOT_APPROVED = {
    DAWGT.Rejected: "rejected by the working group",
    DAWGT.Withdrawn: "withdrawn by the working group",
    DAWGT.NotClassified: "not classified by the working group",
}
#: Categories that cannot run against one closed store, and why.
SKIPPED_CATEGORIES = {
    "service": "SERVICE federation: the tests need other SPARQL endpoints on the network",
    "entailment": "entailment regimes (RDFS, OWL, D): neither server implements them",
}

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_RESULTS = "{http://www.w3.org/2005/sparql-results#}"

#: A term: ("uri", iri) | ("bnode", label) | ("literal", lexical form, datatype, language) | ("csv", text).
Term = tuple[str, ...]
Row = dict[str, Term]


@dataclass(frozen=True)
class Case:
    """One evaluation test: its files by IRI (see :func:`local`)."""

    name: str
    kind: str
    query: str
    result: str
    data: tuple[str, ...] = ()
    graph_data: tuple[str, ...] = ()

    @property
    def category(self) -> str:
        return self.name.split("/")[0]


def local(iri: str, suite: Path = SUITE) -> Path:
    """The file of the suite published at ``iri``."""
    if not iri.startswith(PUBLISHED):
        raise ValueError(f"{iri} is not a file of the W3C SPARQL 1.1 test suite")
    return suite / iri[len(PUBLISHED) :]


def _parse_manifest(iri: str, suite: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(local(iri, suite), format="turtle", publicID=iri)


def _test_name(entry: rdflib.term.Node, category: str) -> str:
    text = str(entry)
    return f"{category}/{re.split('[#/]', text)[-1]}"


def read_manifests(suite: Path = SUITE) -> tuple[list[Case], dict[str, str], int]:
    """The evaluation tests to run, those left out (name: reason) and how many manifests were read.

    The categories are those that ``manifest-all.ttl`` includes (``mf:include``); tests of other types
    (syntax, update, protocol, service description) are neither run nor listed.
    """
    top_iri = PUBLISHED + "manifest-all.ttl"
    top = _parse_manifest(top_iri, suite)
    includes = [
        str(item)
        for manifest in top.subjects(rdflib.RDF.type, MF.Manifest)
        for collection in top.objects(manifest, MF.include)
        for item in Collection(top, collection)
    ]
    cases: list[Case] = []
    left_out: dict[str, str] = {}
    for include in includes:
        category = include[len(PUBLISHED) :].split("/")[0]
        graph = _parse_manifest(include, suite)
        entries = [
            entry
            for manifest in graph.subjects(rdflib.RDF.type, MF.Manifest)
            for collection in graph.objects(manifest, MF.entries)
            for entry in Collection(graph, collection)
        ]
        for entry in entries:
            kind = graph.value(entry, rdflib.RDF.type)
            if kind not in EVALUATION_TYPES:
                continue
            name = _test_name(entry, category)
            action = graph.value(entry, MF.action)
            approval = graph.value(entry, DAWGT.approval)
            if category in SKIPPED_CATEGORIES:
                left_out[name] = SKIPPED_CATEGORIES[category]
            elif approval in _NOT_APPROVED:
                left_out[name] = _NOT_APPROVED[approval]  # type: ignore[index]
            elif graph.value(action, SD.entailmentRegime) is not None:
                left_out[name] = SKIPPED_CATEGORIES["entailment"]
            elif graph.value(action, QT.serviceData) is not None:
                left_out[name] = SKIPPED_CATEGORIES["service"]
            else:
                cases.append(
                    Case(
                        name=name,
                        kind=str(kind).split("#")[-1],
                        query=str(graph.value(action, QT.query)),
                        result=str(graph.value(entry, MF.result)),
                        data=tuple(sorted(str(d) for d in graph.objects(action, QT.data))),
                        graph_data=tuple(sorted(str(d) for d in graph.objects(action, QT.graphData))),
                    )
                )
    return cases, left_out, 1 + len(includes)


# -- the dataset and the query -------------------------------------------------------------------------

_DATASET_CLAUSE = re.compile(r"\bFROM\s+(?:NAMED\s+)?<([^>]*)>", re.IGNORECASE)


def query_text(case: Case, suite: Path = SUITE) -> str:
    """The query, with its file's IRI as base (relative IRIs such as ``GRAPH <data.ttl>`` name the files)."""
    return f"BASE <{case.query}>\n" + local(case.query, suite).read_text(encoding="utf-8")


def dataset_graphs(case: Case, suite: Path = SUITE) -> list[str]:
    """The named graphs to load: the test's ``qt:graphData``, and the files its ``FROM`` / ``FROM NAMED``
    clauses name (neither server fetches a ``FROM`` IRI: both pick the graph of that name in the store)."""
    text = local(case.query, suite).read_text(encoding="utf-8")
    named = list(case.graph_data)
    for iri in _DATASET_CLAUSE.findall(text):
        resolved = rdflib.URIRef(iri, base=case.query)
        if str(resolved).startswith(PUBLISHED) and local(str(resolved), suite).is_file():
            named.append(str(resolved))
    return sorted(set(named))


def n_triples(iris: Iterable[str], suite: Path = SUITE) -> bytes:
    """The files as one N-Triples document: each parsed with its own IRI as base and fresh blank nodes,
    so that two files (or one file loaded twice) never share a blank node."""
    triples: list[pyoxigraph.Triple] = []
    for iri in iris:
        path = local(iri, suite)
        rdf_format = pyoxigraph.RdfFormat.from_extension(path.suffix.lstrip("."))
        parsed = pyoxigraph.parse(path=path, format=rdf_format, base_iri=iri, rename_blank_nodes=True)
        triples += [quad.triple for quad in parsed]
    return pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES) or b""


def ordered(case: Case, suite: Path = SUITE) -> bool:
    """Whether the outer query sorts its solutions (an ``ORDER BY`` after the last closing brace)."""
    text = local(case.query, suite).read_text(encoding="utf-8")
    return bool(re.search(r"\bORDER\s+BY\b", text[text.rfind("}") + 1 :], re.IGNORECASE))


# -- results as terms ----------------------------------------------------------------------------------


@dataclass
class Answer:
    """A query's answer: a boolean (ASK), or rows with their variables (SELECT), or triples (graphs)."""

    boolean: bool | None = None
    variables: tuple[str, ...] | None = None
    rows: list[Row] = field(default_factory=list)


_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {
    _XSD + name
    for name in (
        "integer nonPositiveInteger negativeInteger long int short byte nonNegativeInteger unsignedLong "
        "unsignedInt unsignedShort unsignedByte positiveInteger"
    ).split()
}


def _number(lexical: str, datatype: str) -> str:
    """A numeric literal's value as text (``"1.0"^^xsd:decimal`` is ``"1"^^xsd:decimal``); other literals,
    and ill-typed ones, as they are."""
    try:
        if datatype in _INTEGERS:
            return str(int(lexical.strip()))
        if datatype == _XSD + "decimal":
            value = Decimal(lexical.strip())
            return "0" if value == 0 else format(value.normalize(), "f")
        if datatype == _XSD + "double":
            return repr(float(lexical.strip()))
        if datatype == _XSD + "float":
            return repr(struct.unpack("f", struct.pack("f", float(lexical.strip())))[0])
    except (ValueError, ArithmeticError, OverflowError, struct.error):
        pass
    return lexical


def literal(lexical: str, datatype: str | None = None, language: str | None = None) -> Term:
    """A literal as compared: a language tag in lower case, no datatype meaning ``xsd:string``, and the
    numeric datatypes by value, because the suite's expected files use XSD 1.0 canonical forms
    (``"1.0"^^xsd:decimal``, ``"3.0E4"^^xsd:double``) where a conforming engine may return ``"1"``."""
    if language:
        return ("literal", lexical, _LANG_STRING, language.lower())
    datatype = datatype or _XSD_STRING
    return ("literal", _number(lexical, datatype), datatype, "")


def _oxigraph_term(term) -> Term:
    if isinstance(term, pyoxigraph.NamedNode):
        return ("uri", term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return ("bnode", term.value)
    if isinstance(term, pyoxigraph.Literal):
        return literal(term.value, term.datatype.value, term.language)
    raise ValueError(f"unexpected term {term!r}")


def parse_json(body: bytes) -> Answer:
    """SPARQL 1.1 Query Results JSON."""
    document = json.loads(body)
    if "boolean" in document:
        return Answer(boolean=bool(document["boolean"]))
    rows = []
    for binding in document["results"]["bindings"]:
        row = {}
        for name, term in binding.items():
            if term["type"] == "uri":
                row[name] = ("uri", term["value"])
            elif term["type"] == "bnode":
                row[name] = ("bnode", term["value"])
            elif term["type"] in ("literal", "typed-literal"):
                row[name] = literal(term["value"], term.get("datatype"), term.get("xml:lang"))
            else:
                raise ValueError(f"unknown term type {term['type']!r}")
        rows.append(row)
    return Answer(variables=tuple(document["head"].get("vars", ())), rows=rows)


def parse_xml(body: bytes) -> Answer:
    """SPARQL Query Results XML."""
    root = ElementTree.fromstring(body)
    boolean = root.find(f"{_RESULTS}boolean")
    if boolean is not None:
        return Answer(boolean=(boolean.text or "").strip() == "true")
    variables = tuple(v.get("name", "") for v in root.iter(f"{_RESULTS}variable"))
    rows = []
    for result in root.iter(f"{_RESULTS}result"):
        row = {}
        for binding in result.findall(f"{_RESULTS}binding"):
            value = next(iter(binding))
            tag = value.tag.removeprefix(_RESULTS)
            text = value.text or ""
            if tag == "uri":
                row[binding.get("name", "")] = ("uri", text.strip())
            elif tag == "bnode":
                row[binding.get("name", "")] = ("bnode", text.strip())
            elif tag == "literal":
                language = value.get("{http://www.w3.org/XML/1998/namespace}lang")
                row[binding.get("name", "")] = literal(text, value.get("datatype"), language)
            else:
                raise ValueError(f"unknown term element {tag!r}")
        rows.append(row)
    return Answer(variables=variables, rows=rows)


def parse_tsv(body: bytes) -> Answer:
    """SPARQL 1.1 Query Results TSV (read by pyoxigraph's parser: terms in Turtle syntax)."""
    solutions = pyoxigraph.parse_query_results(body, pyoxigraph.QueryResultsFormat.TSV)
    if isinstance(solutions, pyoxigraph.QueryBoolean):
        return Answer(boolean=bool(solutions))
    names = [v.value for v in solutions.variables]
    rows = []
    for solution in solutions:
        rows.append({n: _oxigraph_term(solution[n]) for n in names if solution[n] is not None})
    return Answer(variables=tuple(names), rows=rows)


def parse_csv(body: bytes) -> Answer:
    """SPARQL 1.1 Query Results CSV, compared as text: ``_:x`` is a blank node, an empty cell unbound."""
    reader = csv.reader(io.StringIO(body.decode("utf-8"), newline=""))
    lines = list(reader)
    variables = tuple(lines[0]) if lines else ()
    rows = []
    for cells in lines[1:]:
        row: Row = {}
        for name, cell in zip(variables, cells, strict=False):
            if cell.startswith("_:"):
                row[name] = ("bnode", cell[2:])
            elif cell:
                row[name] = ("csv", cell)
        rows.append(row)
    return Answer(variables=variables, rows=rows)


def parse_graph(body: bytes, rdf_format: pyoxigraph.RdfFormat, base: str | None = None) -> Answer:
    """A graph, its triples as rows of ``s``, ``p``, ``o``."""
    rows = [
        {"s": _oxigraph_term(q.subject), "p": _oxigraph_term(q.predicate), "o": _oxigraph_term(q.object)}
        for q in pyoxigraph.parse(body, format=rdf_format, base_iri=base)
    ]
    return Answer(rows=rows)


def expected_answer(case: Case, suite: Path = SUITE) -> Answer:
    """The test's expected result, by its file's extension."""
    path = local(case.result, suite)
    body = path.read_bytes()
    extension = path.suffix.lstrip(".")
    if extension == "srx":
        return parse_xml(body)
    if extension == "srj":
        return parse_json(body)
    if extension == "tsv":
        return parse_tsv(body)
    if extension == "csv":
        return parse_csv(body)
    return parse_graph(body, pyoxigraph.RdfFormat.from_extension(extension), base=case.result)


# -- comparison ----------------------------------------------------------------------------------------

_SEARCH_BUDGET = 200_000  # candidate pairs tried when matching blank nodes, before giving up


def _shape(row: Row) -> tuple:
    """The row with every blank node made the same: rows that can match have the same shape."""
    return tuple(sorted((k, ("bnode",) if t[0] == "bnode" else t) for k, t in row.items()))


def _extend(mapping: dict[str, str], inverse: dict[str, str], mine: Row, theirs: Row) -> list[str] | None:
    """Map the blank nodes of ``mine`` to those of ``theirs`` consistently with ``mapping``: the labels
    newly mapped, or None if the rows cannot match."""
    added: list[str] = []
    for name, term in mine.items():
        other = theirs.get(name)
        if other is None or (term[0] == "bnode") != (other[0] == "bnode"):
            break
        if term[0] != "bnode":
            if term != other:
                break
            continue
        known = mapping.get(term[1])
        if known is None and other[1] not in inverse:
            mapping[term[1]], inverse[other[1]] = other[1], term[1]
            added.append(term[1])
        elif known != other[1]:
            break
    else:
        if len(mine) == len(theirs):
            return added
    for label in added:
        del inverse[mapping.pop(label)]
    return None


def same_rows(expected: Sequence[Row], actual: Sequence[Row], in_order: bool) -> bool:
    """Equal as multisets (sequences if ``in_order``) up to a one-to-one renaming of blank nodes."""
    if len(expected) != len(actual):
        return False
    if Counter(map(_shape, expected)) != Counter(map(_shape, actual)):
        return False
    mapping: dict[str, str] = {}
    inverse: dict[str, str] = {}
    if in_order:
        return all(_extend(mapping, inverse, e, a) is not None for e, a in zip(expected, actual, strict=True))
    mine = [row for row in expected if any(t[0] == "bnode" for t in row.values())]
    theirs = [row for row in actual if any(t[0] == "bnode" for t in row.values())]
    if not mine:
        return True  # the shapes are the rows themselves
    candidates = [[j for j, other in enumerate(theirs) if _shape(other) == _shape(row)] for row in mine]
    order = sorted(range(len(mine)), key=lambda i: len(candidates[i]))
    used = [False] * len(theirs)
    budget = [_SEARCH_BUDGET]

    def search(k: int) -> bool:
        if k == len(order):
            return True
        i = order[k]
        for j in candidates[i]:
            if used[j]:
                continue
            budget[0] -= 1
            if budget[0] < 0:
                return False
            added = _extend(mapping, inverse, mine[i], theirs[j])
            if added is None:
                continue
            used[j] = True
            if search(k + 1):
                return True
            used[j] = False
            for label in added:
                del inverse[mapping.pop(label)]
        return False

    return search(0)


def _show(rows: Sequence[Row], limit: int = 4) -> str:
    def term(t: Term) -> str:
        if t[0] == "uri":
            return f"<{t[1]}>"
        if t[0] == "bnode":
            return f"_:{t[1]}"
        if t[0] == "csv":
            return repr(t[1])
        suffix = f"@{t[3]}" if t[3] else ("" if t[2] == _XSD_STRING else f"^^<{t[2]}>")
        return f'"{t[1]}"{suffix}'

    shown = ["{" + ", ".join(f"{k}={term(v)}" for k, v in sorted(r.items())) + "}" for r in rows[:limit]]
    return "[" + ", ".join(shown) + (", ..." if len(rows) > limit else "") + "]"


def difference(expected: Answer, actual: Answer, in_order: bool) -> str | None:
    """None when ``actual`` is the expected result, else what differs (briefly)."""
    if expected.boolean is not None or actual.boolean is not None:
        if expected.boolean == actual.boolean:
            return None
        return f"expected boolean {expected.boolean}, got {actual.boolean}"
    if actual.variables is not None:  # the solutions are compared, not the heads; but a head must be whole
        unlisted = sorted({name for row in actual.rows for name in row} - set(actual.variables))
        if unlisted:
            return f"variables bound in the results but not in the head: {unlisted}"
    if same_rows(expected.rows, actual.rows, in_order):
        return None
    if in_order and same_rows(expected.rows, actual.rows, in_order=False):
        return "the expected solutions, in another order (the query has ORDER BY)"
    missing = [r for r in expected.rows if r not in actual.rows]
    extra = [r for r in actual.rows if r not in expected.rows]
    return (
        f"{len(expected.rows)} expected{' (in order)' if in_order else ''}, {len(actual.rows)} got; "
        f"expected only: {_show(missing)}; got only: {_show(extra)}"
    )
