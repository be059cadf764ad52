"""Citations of the sources: BibTeX that a BibTeX parser reads back, CSL-JSON that a CSL processor
formats, and the APA-style reference list, on the bundled catalogue and on hostile titles."""

from __future__ import annotations

import codecs
import datetime as dt
import json

import latexcodec  # noqa: F401  (registers the "ulatex" codec)
import pybtex.database
import pytest
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON

from stancegraph.graph.queries import SourceInfo, sources
from stancegraph.graph.readwrite import (
    csl_items,
    references,
    to_bibtex,
    to_csl_json,
    write_citations,
)

HOSTILE_TITLE = "Ends} @misc{evil, title={x \\ 100% & $5 #1 a_b ~ ^\nnext line"


def source(title: str, *, kind: str | None = "article", url: str | None = None, **changes) -> SourceInfo:
    fields = dict(
        iri="https://w3id.org/stancegraph/id/source/s-1",
        id="s-1",
        title=title,
        publisher="Reuters",
        issued=dt.date(2025, 11, 23),
        url=url,
        stances=1,
        kind=kind,
    )
    fields.update(changes)
    return SourceInfo(**fields)


@pytest.fixture(scope="module")
def catalogue(bundled_memory) -> tuple[SourceInfo, ...]:
    return sources(bundled_memory)


@pytest.fixture(scope="module")
def bundled_memory():
    from stancegraph.graph import load_bundled, open_store

    with open_store() as store:
        load_bundled(store)
        yield store


def test_bibtex_of_the_catalogue_parses_with_one_entry_per_source(catalogue) -> None:
    parsed = pybtex.database.parse_string(to_bibtex(catalogue), "bibtex")
    assert sorted(parsed.entries) == sorted(s.id for s in catalogue)
    for s in catalogue:
        entry = parsed.entries[s.id]
        assert entry.type == ("article" if s.kind == "article" else "misc")
        assert entry.fields["title"] == "{" + s.title + "}"  # braced once more: styles keep its case
        outlet = entry.fields["journal" if s.kind == "article" else "howpublished"]
        assert outlet == s.publisher
        assert entry.fields["date"] == s.issued.isoformat() and entry.fields["year"] == str(s.issued.year)
        assert "url" not in entry.fields  # the catalogue records none: none is made up


def test_a_hostile_title_stays_inside_its_field(catalogue) -> None:
    hostile = source(HOSTILE_TITLE, publisher="Pub } {", kind="statement", url="https://e.org/a_b%20c}")
    parsed = pybtex.database.parse_string(to_bibtex([hostile, *catalogue]), "bibtex")
    assert sorted(parsed.entries) == sorted(["s-1", *(s.id for s in catalogue)])  # no "evil" entry
    entry = parsed.entries["s-1"]
    assert set(entry.fields) == {"title", "howpublished", "note", "year", "month", "date", "url"}
    assert entry.fields["note"] == "Statement" and entry.fields["url"] == "https://e.org/a_b%20c%7D"
    title = entry.fields["title"]
    for written in (r"100\%", r"\&", r"\$5", r"\#1", r"a\_b", r"\textbraceright{}", r"\textbackslash{}"):
        assert written in title
    assert codecs.decode(r"100\% \& \#1 a\_b", "ulatex") == "100% & #1 a_b"  # LaTeX reads them back
    assert "\n" not in title and "next line" in title


def test_csl_json_items_are_formatted_by_a_csl_processor(catalogue) -> None:
    items = json.loads(to_csl_json(catalogue))
    assert [i["id"] for i in items] == [s.id for s in catalogue]
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = [str(entry) for entry in bibliography.bibliography()]
    assert len(rendered) == len(catalogue)
    for s in catalogue:
        (entry,) = [text for text in rendered if s.title in text]
        assert s.publisher in entry and str(s.issued.year) in entry


def test_csl_fields_follow_the_catalogue_type() -> None:
    article, statement, dataset, untyped = csl_items(
        [
            source("A"),
            source("B", kind="statement", id="b"),
            source("C", kind="dataset", id="c", issued=None),
            source("D", kind=None, id="d", url="https://example.org/d"),
        ]
    )
    assert article["type"] == "article-newspaper" and article["container-title"] == "Reuters"
    assert statement["type"] == "document" and statement["genre"] == "Statement"
    assert statement["publisher"] == "Reuters" and "container-title" not in statement
    assert dataset["type"] == "dataset" and "issued" not in dataset
    assert untyped["type"] == "webpage" and untyped["URL"] == "https://example.org/d"
    assert all("author" not in item for item in (article, statement, dataset, untyped))


def test_ids_stay_unique_and_safe_as_bibtex_keys() -> None:
    items = csl_items([source("A", id="x y{1}"), source("B", id="x y{1}"), source("C", id="")])
    assert [i["id"] for i in items] == ["x-y-1", "x-y-1-2", "source"]


def test_the_apa_list_is_alphabetical_with_the_outlet_after_the_date(catalogue) -> None:
    found = references(catalogue)
    assert len(found) == len(catalogue)
    firsts = [ref.text.removeprefix("The ").casefold() for ref in found]
    assert firsts == sorted(firsts)
    by_key = {ref.key: ref for ref in found}
    assert by_key["st-2025-11-21"].text == (
        "Ukraine's security chief denies backing the US 28-point plan while Europe scrambles to respond. "
        "(2025, November 21). The Straits Times."
    )
    kremlin = by_key["kremlin-2025-11-21"]
    assert kremlin.text == (
        "Transcript of President Putin's remarks on the US peace plan [Transcript]. (2025, November 21). "
        "TASS; Interfax."
    )
    # a stand-alone work's title is in italics, a newspaper article's outlet
    assert kremlin.parts[0] == ("Transcript of President Putin's remarks on the US peace plan", True)
    assert ("The Straits Times.", True) in by_key["st-2025-11-21"].parts
    in_text = [ref.in_text for ref in found]
    assert len(set(in_text)) == len(in_text)  # every citation in the text names one work
    assert by_key["st-2025-11-21"].in_text == '("Ukraine\'s security chief denies," 2025)'
    assert by_key["peskov-2025-11-25"].in_text == "(Kremlin spokesman, 2025)"
    assert write_citations(catalogue, "apa").splitlines() == [ref.text for ref in found]


def test_an_undated_work_and_a_known_url() -> None:
    (ref,) = references([source("Talks?", issued=None, url="https://example.org/r")])
    assert ref.text == "Talks? (n.d.). Reuters. https://example.org/r"
    assert ref.in_text == '("Talks?," n.d.)' and ref.url == "https://example.org/r"


def test_an_unknown_format_is_refused_by_name(catalogue) -> None:
    with pytest.raises(ValueError, match="unknown citation format 'ris'; use one of bibtex, csl-json, apa"):
        write_citations(catalogue, "ris")
