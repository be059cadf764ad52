"""The W3C SPARQL 1.1 query-evaluation tests, run through our /sparql and through a real Oxigraph server side
by side: every test that passes through Oxigraph must pass through ours too (ours in-process, Oxigraph a
real server).

The suite is not in the repository: ``make test`` fetches it into ``build/w3c-sparql11`` (see the Makefile and
:mod:`w3c_manifest`). For each test both stores are emptied and given the test's dataset with the Graph
Store Protocol (our ``/store`` with the bearer token, Oxigraph's ``/store``): ``qt:data`` in the default
graph, each ``qt:graphData`` (and each file a ``FROM`` names) in the named graph of its file's IRI, parsed
here with the file's IRI as base and sent as N-Triples to both. The query is POSTed as
``application/sparql-query`` with its file's IRI as ``BASE``, and the answer is compared with the expected
one in every format the test concerns: SPARQL JSON always, and XML, TSV or CSV when the expected file is
in that format; N-Triples and Turtle for graphs. Run with ``-rP`` (or ``-s``) to see the counts.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pyoxigraph
import pytest

from ...conftest import running_oxigraph
from . import w3c_manifest as w3c
from .conftest import in_process_service

pytestmark = pytest.mark.remote

XSD = "http://www.w3.org/2001/XMLSchema#"

#: Tests that pass through Oxigraph and fail through ours on purpose: name -> why. (None today: SERVICE is
#: refused by ours, but its tests are left out for both; FROM names graphs the harness has loaded.)
EXPECTED_DIFFERENCES: dict[str, str] = {}

#: Tests that fail through Oxigraph itself (and so through ours, which runs the same engine), with why. A
#: test failing through Oxigraph that is not listed here fails this module: a corrupted expected file, or an
#: engine upgrade that changed an answer. A listed test that passes again is only reported.
KNOWN_ENGINE_FAILURES = {
    "aggregates/agg-empty-group": "GROUP BY over no solutions: the suite expects one empty group, the "
    "engine returns no solution",
    "csv-tsv-res/csv03": 'the store keeps "1.0E6"^^xsd:double by value and writes it back as "1000000"',
    "csv-tsv-res/tsv03": 'the store turns "-3"^^xsd:negativeInteger into "-3"^^xsd:integer',
    "functions/bnode01": "BNODE(str) gives the same blank node for the same string in different solutions "
    "(_:foo); the function must give a fresh one per solution",
    "functions/plus-1": 'same solutions, another order: the expected ORDER BY sorts "1" apart from '
    '"1"^^xsd:string (RDF 1.0); in RDF 1.1 they are one term',
    "functions/plus-2": "as plus-1",
    "functions/strdt03": 'STRDT("abc"^^xsd:string, ...) is an error in the expected result (RDF 1.0); in '
    "RDF 1.1 that literal is a simple literal and the engine accepts it",
    "functions/strlang03": "as strdt03, for STRLANG",
}

#: (Accept, parser) by format name.
_FORMATS = {
    "json": ("application/sparql-results+json", w3c.parse_json),
    "xml": ("application/sparql-results+xml", w3c.parse_xml),
    "tsv": ("text/tab-separated-values", w3c.parse_tsv),
    "csv": ("text/csv", w3c.parse_csv),
    "n-triples": ("application/n-triples", None),
    "turtle": ("text/turtle", None),
}


def _formats(case: w3c.Case) -> list[str]:
    """The formats to ask for: JSON and the expected file's own format (CSV alone: it loses the types)."""
    extension = case.result.rsplit(".", 1)[-1]
    if extension in ("srx", "srj", "tsv"):
        return ["json"] + ({"srx": ["xml"], "tsv": ["tsv"]}.get(extension, []))
    if extension == "csv":
        return ["csv"]
    return ["n-triples", "turtle"]


@dataclass
class Endpoint:
    """A server under test: the client that reaches it, where it answers queries and takes graphs, and the
    named graphs it holds now."""

    name: str
    http: httpx.Client
    query_url: str
    store_url: str
    auth: dict[str, str]
    graphs: set[str] = field(default_factory=set)


def _problem(response: httpx.Response) -> str:
    return f"HTTP {response.status_code}: {' '.join(response.text.split())[:300]}"


_COUNT_GRAPHS = (
    "SELECT ?g (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } } GROUP BY ?g"
)


def _size(n_triples: bytes) -> int:
    return len({line for line in n_triples.splitlines() if line.strip()})


def _load(endpoint: Endpoint, case: w3c.Case) -> str | None:
    """Give ``endpoint`` exactly the test's dataset and check that it holds it; None, or what went wrong."""
    http = endpoint.http
    wanted = {iri: w3c.n_triples([iri]) for iri in w3c.dataset_graphs(case)}
    default = w3c.n_triples(case.data)
    headers = {**endpoint.auth, "Content-Type": "application/n-triples"}
    steps = [("PUT", {"default": ""}, default)]
    steps += [("DELETE", {"graph": iri}, None) for iri in sorted(endpoint.graphs - wanted.keys())]
    steps += [("PUT", {"graph": iri}, body) for iri, body in wanted.items()]
    for method, params, body in steps:
        response = http.request(method, endpoint.store_url, params=params, content=body, headers=headers)
        if response.status_code not in (200, 201, 204):
            return f"loading the data ({method} {params}): {_problem(response)}"
        if method == "DELETE":
            endpoint.graphs.discard(params["graph"])
        elif "graph" in params:
            endpoint.graphs.add(params["graph"])
    sizes = {"": _size(default), **{iri: _size(body) for iri, body in wanted.items()}}
    response = http.post(
        endpoint.query_url,
        content=_COUNT_GRAPHS,
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
    )
    if response.status_code != 200:
        return f"counting the data: {_problem(response)}"
    held = {
        row.get("g", {}).get("value", ""): int(row["n"]["value"])
        for row in response.json()["results"]["bindings"]
    }
    if held != {graph: n for graph, n in sizes.items() if n}:
        return f"the store holds {held} triples by graph after loading, not {sizes}"
    return None


def _evaluate(endpoint: Endpoint, case: w3c.Case, expected: w3c.Answer) -> str | None:
    """Run the test through ``endpoint``: None if it passes, else why not."""
    http = endpoint.http
    failed = _load(endpoint, case)
    if failed:
        return failed
    query = w3c.query_text(case)
    in_order = w3c.ordered(case)
    for fmt in _formats(case):
        accept, parser = _FORMATS[fmt]
        response = http.post(
            endpoint.query_url,
            content=query.encode(),
            headers={"Content-Type": "application/sparql-query", "Accept": accept},
        )
        if response.status_code != 200:
            return f"{fmt}: {_problem(response)}"
        answered_as = response.headers.get("content-type", "").split(";")[0].strip()
        if answered_as != accept:
            return f"{fmt}: asked for {accept}, answered with {answered_as!r}"
        try:
            if parser is None:
                rdf_format = pyoxigraph.RdfFormat.from_media_type(accept)
                answer = w3c.parse_graph(response.content, rdf_format)
            else:
                answer = parser(response.content)
        except (SyntaxError, ValueError, KeyError) as error:
            return f"{fmt}: unreadable answer ({error}): {response.text[:300]!r}"
        wrong = w3c.difference(expected, answer, in_order)
        if wrong:
            return f"{fmt}: {wrong}"
    return None


def _how(failure: str) -> tuple[str, str]:
    """How a test failed: the format, and whether the answer came and was wrong or did not come."""
    if failure.startswith(("loading", "counting", "the store holds")):
        return "", "the data did not load"
    fmt, _, rest = failure.partition(": ")
    for kind in ("HTTP", "unreadable", "asked for"):
        if rest.startswith(kind):
            return fmt, kind
    return fmt, "wrong answer"


@dataclass(frozen=True)
class Servers:
    ours: Endpoint
    oxigraph: Endpoint


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    """Our service in-process with an empty store, and an Oxigraph server of its own (not the session one)."""
    with contextlib.ExitStack() as stack:
        service = stack.enter_context(
            in_process_service(tmp_path_factory.mktemp("w3c-ours"), load_bundled=False)
        )
        oxigraph = stack.enter_context(running_oxigraph(tmp_path_factory.mktemp("w3c-oxigraph")))
        http = stack.enter_context(httpx.Client(timeout=60))
        yield Servers(
            Endpoint("ours", service.client, "/sparql", "/store", service.auth),
            Endpoint("oxigraph", http, oxigraph.url + "/query", oxigraph.url + "/store", {}),
        )


def _suite() -> tuple[list[w3c.Case], dict[str, str], int]:
    if not (w3c.SUITE / "manifest-all.ttl").is_file():
        pytest.fail(
            f"the W3C SPARQL 1.1 tests are not in {w3c.SUITE}: `make test` fetches them (from the rdflib "
            "source distribution on PyPI); or deselect this module with --deselect"
        )
    return w3c.read_manifests()


def test_w3c_query_evaluation_passes_through_our_endpoint_wherever_it_passes_through_oxigraph(
    servers: Servers,
) -> None:
    cases, left_out, manifests = _suite()
    ours: dict[str, str | None] = {}
    theirs: dict[str, str | None] = {}
    for case in cases:
        expected = w3c.expected_answer(case)
        ours[case.name] = _evaluate(servers.ours, case, expected)
        theirs[case.name] = _evaluate(servers.oxigraph, case, expected)
    passed_ours = {name for name, failure in ours.items() if failure is None}
    passed_theirs = {name for name, failure in theirs.items() if failure is None}
    lost = sorted(passed_theirs - passed_ours)
    gained = sorted(passed_ours - passed_theirs)
    left = ", ".join(f"{n} {why.split(':')[0]}" for why, n in Counter(left_out.values()).items())
    summary = (
        f"{manifests} manifests, {len(cases)} query-evaluation tests run (left out: {left}); passed through "
        f"our /sparql: {len(passed_ours)}, through Oxigraph: {len(passed_theirs)}; only through Oxigraph: "
        f"{lost}; only through ours: {gained}"
    )
    print(summary)
    for name in sorted(n for n in ours if ours[n] or theirs[n]):
        print(f"  {name}\n    ours:     {ours[name] or 'pass'}\n    oxigraph: {theirs[name] or 'pass'}")
    # the harness itself: it found the suite, and the reference server passes nearly all of it
    assert len(cases) >= 150, summary
    assert len(passed_theirs) >= 0.9 * len(cases), (
        summary + "\n" + "\n".join(f"{n}: {theirs[n]}" for n in sorted(theirs) if theirs[n])
    )
    unexpected = {name: ours[name] for name in lost if name not in EXPECTED_DIFFERENCES}
    assert not unexpected, summary + "\n" + "\n".join(f"{n}: {why}" for n, why in unexpected.items())
    # where both fail, ours must fail the same way (a wrong answer, not an error where Oxigraph answers)
    unlike = {
        n: (ours[n], theirs[n]) for n in ours if ours[n] and theirs[n] and _how(ours[n]) != _how(theirs[n])
    }
    assert not unlike, (
        summary + "\n" + "\n".join(f"{n}: ours {o}; Oxigraph {t}" for n, (o, t) in unlike.items())
    )
    stale = sorted(set(EXPECTED_DIFFERENCES) - set(lost))
    assert not stale, f"listed as expected differences but no longer differing: {stale}"
    new_failures = {n: why for n, why in theirs.items() if why and n not in KNOWN_ENGINE_FAILURES}
    assert not new_failures, (
        summary
        + "\nfailing through Oxigraph too and not known (check the expected file, or the engine):\n"
        + "\n".join(f"{n}: {why}" for n, why in new_failures.items())
    )
    fixed = sorted(n for n in KNOWN_ENGINE_FAILURES if n in passed_theirs)
    if fixed:
        print(f"known engine failures that pass now (remove them from KNOWN_ENGINE_FAILURES): {fixed}")


def test_the_comparison_tells_results_apart() -> None:
    """The comparison itself: blank nodes up to renaming, literals as terms, order only when asked."""
    a, b = ("uri", "http://e/a"), ("uri", "http://e/b")
    one = w3c.literal("1", XSD + "integer")
    one_again = w3c.literal("01", XSD + "integer")
    rows = [{"x": ("bnode", "x1"), "y": a}, {"x": ("bnode", "x2"), "y": b}]
    renamed = [{"x": ("bnode", "z"), "y": b}, {"x": ("bnode", "w"), "y": a}]
    assert w3c.same_rows(rows, renamed, in_order=False)
    assert not w3c.same_rows(rows, renamed, in_order=True)
    merged = [{"x": ("bnode", "z"), "y": a}, {"x": ("bnode", "z"), "y": b}]
    assert not w3c.same_rows(rows, merged, in_order=False)
    assert w3c.same_rows([{"n": one}], [{"n": one_again}], in_order=False)  # numbers by value
    assert not w3c.same_rows([{"n": one}], [{"n": w3c.literal("1", XSD + "decimal")}], in_order=False)
    assert w3c.literal("1.0", XSD + "decimal") == w3c.literal("1", XSD + "decimal")
    assert w3c.literal("3.0E4", XSD + "double") == w3c.literal("30000", XSD + "double")
    assert w3c.literal("01") != w3c.literal("1")
    assert w3c.literal("x") == w3c.literal("x", XSD + "string")
    assert w3c.literal("x", language="EN") == w3c.literal("x", language="en")
    assert not w3c.same_rows([{"n": one}], [{"n": one}, {"n": one}], in_order=False)
    assert w3c.difference(w3c.Answer(boolean=True), w3c.Answer(boolean=False), in_order=False)
