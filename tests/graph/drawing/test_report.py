"""Reports: what they say (the query functions' answers, denied claims never a position), that they cite
every source they rest on, how they escape, and their errors. The browser tests are in
tests/browser/test_report.py."""

from __future__ import annotations

import html
import io
import re

import pypdf
import pytest

from stancegraph.graph import UnknownEntityError, ingest, iri_for, stances, who
from stancegraph.graph.analysis.network_options import Contested
from stancegraph.graph.drawing import report, report_content
from stancegraph.graph.drawing.report import Selection, selected_report_stances
from stancegraph.graph.drawing.views import selected_stances
from stancegraph.graph.queries import plan_sources
from stancegraph.graph.queries.stances import stances_by_iri
from stancegraph.graph.readwrite import references

from ..conftest import demand_corpus

HOSTILE = (
    '<img src=x onerror="window.__pwned=1">',
    "</script><script>window.__pwned=2</script>",
    "<svg onload=alert(1)>",
)


def escaped(text: str) -> str:
    """``text`` as Jinja writes it into HTML (markupsafe's entities for quotes)."""
    return html.escape(text).replace("&#x27;", "&#39;").replace("&quot;", "&#34;")


def hostile_rows() -> str:
    """Three hostile actors rejecting points of the US draft, from hostile sources with hostile quotes,
    and the first one denying its claim (so the contested section shows hostile text on both sides)."""

    def cell(text: str) -> str:
        return '"' + text.replace('"', '""') + '"'

    rows = ["id,actor,target,stance,date,source,document,quote,contradicts"]
    for i, text in enumerate(HOSTILE):
        rows.append(
            f"h{i},{cell(text)},us-28/{i + 6},rejects,2025-11-2{i + 2},{cell('Pub ' + text)},"
            f"{cell('Doc ' + text)},{cell('Quote ' + text)},"
        )
    rows.append(
        f"d0,{cell(HOSTILE[0])},us-28/6,endorses,2025-11-25,{cell('Pub ' + HOSTILE[2])},"
        f"{cell('Denial ' + HOSTILE[1])},{cell(HOSTILE[2])},h0"
    )
    return "\n".join(rows) + "\n"


@pytest.fixture(scope="module")
def plan_report(bundled_store):
    return report(bundled_store, plan="us-28")


@pytest.fixture(scope="module")
def bundled_store():
    from stancegraph.graph import load_bundled, open_store

    with open_store() as store:
        load_bundled(store)
        yield store


@pytest.fixture(scope="module")
def hostile_store():
    from stancegraph.graph import load_bundled, open_store

    with open_store() as store:
        load_bundled(store)
        ingest(store, ("hostile.csv", io.StringIO(hostile_rows())))
        yield store


def test_positions_are_who_holds_what(bundled_store, plan_report) -> None:
    content = plan_report.content
    assert content.positions, "the US draft has reported stances"
    for row in content.positions:
        for name, holders in zip(row.stances, row.holders, strict=True):
            expected = who(bundled_store, name, row.target)
            assert [h.actor for h in holders] == [h.actor for h in expected], (row.target, name)
            assert [len(h.stances) for h in holders] == [len(h.stances) for h in expected]


def test_a_denied_claim_is_listed_but_is_no_position(plan_report) -> None:
    content = plan_report.content
    claim = iri_for("stance", "umerov-claim")
    assert claim in {s.iri for s in content.stances}
    held = {s.iri for row in content.positions for holders in row.holders for h in holders for s in h.stances}
    assert claim not in held
    (pair,) = [p for p in content.contested if p.claim.iri == claim]
    assert pair.dispute.iri == iri_for("stance", "umerov-denial") and pair.denied
    plan_row = next(r for r in content.positions if r.target == iri_for("plan", "us-28"))
    endorsers = plan_row.holders[plan_row.stances.index("endorses")]
    assert iri_for("actor", "ukraine") not in {h.actor for h in endorsers}
    assert content.positions_count == len(content.stances) - 1


def test_the_selection_is_the_plan_and_its_points(bundled_store, plan_report) -> None:
    content = plan_report.content
    on_plan = [
        s
        for s in stances(bundled_store)
        if s.target == iri_for("plan", "us-28") or s.target.startswith(iri_for("plan", "us-28") + "/")
    ]
    assert sorted(s.iri for s in content.stances) == sorted(s.iri for s in on_plan)
    assert content.fit is not None and content.fit.plan == iri_for("plan", "us-28")
    assert len(content.pages) == 2 and len(content.figures) == 3  # plan view, agreement; + heat map


def test_every_source_used_is_cited_once_in_the_list_and_in_the_text(bundled_store, plan_report) -> None:
    content, page = plan_report.content, plan_report.html
    used = {s.source for s in content.stances}
    used |= {s.source for p in content.contested for s in (p.claim, p.dispute)}
    used |= {s.source for found in content.demand_reports.values() for s in found}
    for plan in content.versions_fit.plans:
        used |= set(plan_sources(bundled_store, plan))
    assert {s.iri for s in content.cited} == used
    listed = re.findall(r'<li id="ref-([^"]+)">', page)
    assert sorted(listed) == sorted(s.id for s in content.cited)
    for key in listed:
        assert f'href="#ref-{key}"' in page, f"{key} is in the list but cited nowhere in the text"
    for s in content.cited:
        assert escaped(s.title) in page


@pytest.mark.parametrize(
    "selection",
    [
        {"actor": "umerov"},
        {"actor": "russia", "since": "2025-11-21"},
        {"plan": "e3-counter", "contested": "exclude"},
        {"plan": "us-28", "contested": "only"},
        {"until": "2025-11-20"},
    ],
    ids=lambda s: ",".join(f"{k}={v}" for k, v in s.items()),
)
def test_whatever_the_selection_the_list_is_what_the_text_cites(bundled_store, selection) -> None:
    made = report(bundled_store, **selection)
    listed = re.findall(r'<li id="ref-([^"]+)">', made.html)
    cited = set(re.findall(r'<a class="sg-cite" href="#ref-([^"]+)">', made.html))
    assert listed and sorted(listed) == sorted(cited) == sorted(s.id for s in made.content.cited)
    for page in made.content.pages:  # no graph without an edge
        assert page.edge_count > 0


def test_an_actor_without_demands_gets_no_plan_fit_table(bundled_store) -> None:
    made = report(bundled_store, actor="umerov")
    assert "Rustem Umerov makes no demand in this graph" in made.html
    assert "Per plan version" not in made.html and made.content.plan_reports == {}
    assert [p.title for p in made.content.pages] == ["Stances: actors and targets"]  # no tie to draw


def test_filters_narrow_the_report(bundled_store) -> None:
    dated = report_content(bundled_store, since="2025-11-21", until="2025-11-21")
    assert dated.stances and {s.stated_on.isoformat() for s in dated.stances} == {"2025-11-21"}
    russia = report_content(bundled_store, actor="russia")
    assert {s.actor for s in russia.stances} == {iri_for("actor", "russia")}
    only = report_content(bundled_store, plan="us-28", contested="only")
    assert only.stances and all(s.contested for s in only.stances)
    undisputed = report_content(bundled_store, plan="us-28", contested="exclude")
    assert not any(s.contested for s in undisputed.stances) and undisputed.contested == ()
    sure = report_content(bundled_store, plan="us-28", min_confidence=0.9)
    assert sure.stances and all(s.confidence is not None and s.confidence >= 0.9 for s in sure.stances)
    assert "confidence at least 0.9" in sure.selection.describe()


def test_bad_input_names_what_and_how_to_fix(bundled_store) -> None:
    with pytest.raises(UnknownEntityError, match="no plan is named 'us-29'.*stancegraph targets"):
        report_content(bundled_store, plan="us-29")
    with pytest.raises(UnknownEntityError, match="no actor is named 'nobody'"):
        report_content(bundled_store, actor="nobody")
    with pytest.raises(ValueError, match="since must be an ISO date such as 2025-11-21, not '21/11/2025'"):
        report_content(bundled_store, since="21/11/2025")
    with pytest.raises(ValueError, match="swap the two dates"):
        report_content(bundled_store, since="2025-12-01", until="2025-11-01")
    with pytest.raises(ValueError, match="contested"):
        report_content(bundled_store, contested="sometimes")


def test_hostile_labels_are_escaped_everywhere(hostile_store) -> None:
    made = report(hostile_store, plan="us-28")
    for page in (made.html, made.print_html):
        body = page.split("<body", 1)[1]
        for text in HOSTILE:
            assert text not in body  # never as markup
        assert escaped(HOSTILE[0]) in body  # but shown, as text
        assert escaped("Quote " + HOSTILE[0]) in body and escaped("Doc " + HOSTILE[1]) in body
        # the library's two scripts, and each graph's data and mount call: no more
        assert page.count("</script>") == (2 + 2 * len(made.content.pages) if page is made.html else 0)
    assert "<script" not in made.print_html
    cited_titles = {s.title for s in made.content.cited}
    assert {f"Doc {text}" for text in HOSTILE} <= cited_titles
    (pair,) = [p for p in made.content.contested if p.claim.actor_label == HOSTILE[0]]
    assert pair.denied


def test_the_pdf_is_the_print_version(bundled_store) -> None:
    made = report(bundled_store, actor="russia")
    out = io.BytesIO()
    made.save(out, format="pdf")
    pdf = pypdf.PdfReader(io.BytesIO(out.getvalue()))
    assert len(pdf.pages) >= 3 and pdf.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    assert text.startswith("Stance report: Russia Selection: any target; actor: Russia (russia)")
    assert "Interactive graphs" not in text  # the print version: figures, no scripts
    assert "Figure 1." in text and "Contested claims" in text
    for ref in references(made.content.cited):
        assert " ".join(ref.text.split()) in text, ref.key  # every source, as the reference list says it


# the report chooses its stances on the stance table; the reference is the selection it replaced, made on
# stances() (SPARQL) and selected_stances()
def reference_stances(store, selection: Selection, on_plan: set[str] | None) -> list:
    found = stances(store, actor=selection.actor, since=selection.since, until=selection.until)
    if on_plan is not None:
        found = tuple(s for s in found if s.target in on_plan)
    return selected_stances(found, selection.contested, selection.min_confidence)


def _selections(store, plan: str) -> list[tuple[Selection, set[str] | None]]:
    from stancegraph.graph.queries import targets

    everything = stances(store)
    actors = sorted({s.actor for s in everything})
    middle = sorted(s.stated_on for s in everything)[len(everything) // 2]
    plan_iri = iri_for("plan", plan)
    on_plan = {plan_iri, *(t.iri for t in targets(store, kind="point") if t.plan == plan_iri)}
    chosen = []
    for contested in Contested:
        for min_confidence in (0.0, 0.8):
            for actor in (None, actors[0], actors[-1]):
                for since, until in ((None, None), (middle, None), (None, middle)):
                    selection = Selection(
                        actor=actor,
                        since=since,
                        until=until,
                        contested=contested,
                        min_confidence=min_confidence,
                    )
                    chosen += [(selection, None), (selection, on_plan)]
    return chosen


def _check_against_sparql(store, plan: str) -> None:
    for selection, on_plan in _selections(store, plan):
        assert selected_report_stances(store, selection, on_plan) == reference_stances(
            store, selection, on_plan
        )
    assert stances_by_iri(store, [s.iri for s in stances(store, contested=True)]) == stances(
        store, contested=True
    )


def test_the_report_chooses_the_stances_sparql_chose_on_the_bundled_data(bundled) -> None:
    _check_against_sparql(bundled, "us-28")
    content = report_content(bundled, plan="us-28", contested="exclude")
    assert list(content.stances) == reference_stances(
        bundled, content.selection, {iri_for("plan", "us-28"), *(s.target for s in content.stances)}
    )
    expected: dict = {}
    for s in stances(bundled, stance="demands"):
        if not s.denied and s.actor in content.versions_fit.actors:
            expected.setdefault((s.actor, s.target), []).append(s)
    assert {k: tuple(v) for k, v in expected.items() if "demand/" in k[1]} == content.demand_reports


def test_the_report_chooses_the_stances_sparql_chose_on_a_synthetic_corpus(demand_store) -> None:
    _check_against_sparql(demand_store, "synth-a")


def test_the_report_after_a_write_shows_the_new_data(tmp_path) -> None:
    with demand_corpus(tmp_path) as store:
        selection = Selection(contested=Contested.ONLY)
        before = selected_report_stances(store, selection)
        store.update(
            "DELETE WHERE { GRAPH ?g { ?s <https://w3id.org/stancegraph/ontology#contradicts> ?o } }"
        )
        assert before and selected_report_stances(store, selection) == [] == reference_stances(
            store, selection, None
        )
        _check_against_sparql(store, "synth-a")
