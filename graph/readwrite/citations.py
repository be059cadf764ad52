"""Citing the sources of the data: CSL-JSON items, BibTeX entries and an APA-style reference list.

Everything starts from one CSL-JSON item per catalogue entry (:func:`csl_item`, from a
:class:`~stancegraph.graph.queries.catalogue.SourceInfo`): ``id`` (the source's short id, also the BibTeX
key and the anchor of its reference in a report), ``type`` (from ``dcterms:type``: an article is
``article-newspaper`` with the outlet as ``container-title``; a statement or transcript is a ``document``
with that ``genre``; a dataset a ``dataset``), ``title``, ``publisher``, ``issued`` and ``URL`` where the
catalogue records one. Nothing is added that the catalogue does not hold: no author (the catalogue
names the outlet that published a report, not who wrote it) and no URL the data does not give.

:func:`to_bibtex` writes those items as BibTeX and :func:`references` formats them in the author-date
style of the APA Publication Manual (7th edition, chapters 8 to 10), for works without an author: the
title takes the author's place (a stand-alone work's in italics, with its kind in square brackets), then
the date, then the outlet or publisher, then the URL; the list is in alphabetical order of its first
words ("The" and "A" aside), and a citation in the text is the title's first words and the year. It is
"APA-like": titles keep the catalogue's case rather than being recased.

Examples
--------
>>> import datetime as dt
>>> from stancegraph.graph.queries import SourceInfo
>>> source = SourceInfo("https://w3id.org/stancegraph/id/source/r-1", "r-1", "Talks resume in Geneva",
...                     "Reuters", dt.date(2025, 11, 23), None, 3, "article")
>>> csl_item(source)["type"], csl_item(source)["issued"]
('article-newspaper', {'date-parts': [[2025, 11, 23]]})
>>> (ref,) = references([source])
>>> ref.text
'Talks resume in Geneva. (2025, November 23). Reuters.'
>>> ref.in_text
'("Talks resume in Geneva," 2025)'
>>> print(to_bibtex([source]), end="")
@article{r-1,
  title = {{Talks resume in Geneva}},
  journal = {Reuters},
  year = {2025},
  month = nov,
  date = {2025-11-23},
}
"""

from __future__ import annotations

__all__ = [
    "CitationFormat",
    "CITATION_FORMATS",
    "Reference",
    "csl_item",
    "csl_items",
    "to_csl_json",
    "to_bibtex",
    "references",
    "write_citations",
]

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stancegraph.graph.queries.catalogue import SourceInfo


class CitationFormat(StrEnum):
    """How :func:`write_citations` writes a list of sources."""

    BIBTEX = "bibtex"
    CSL_JSON = "csl-json"
    APA = "apa"


#: The values of :class:`CitationFormat`.
CITATION_FORMATS = tuple(f.value for f in CitationFormat)

#: CSL item types of the catalogue's ``dcterms:type`` values (CSL 1.0.2); other values give ``document``.
_CSL_TYPES = {
    "article": "article-newspaper",
    "statement": "document",
    "transcript": "document",
    "dataset": "dataset",
}
#: What APA writes in square brackets after the title of such a work.
_APA_KINDS = {"statement": "Statement", "transcript": "Transcript", "dataset": "Data set"}
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# LaTeX's special characters, as BibTeX field text; BibTeX counts every brace, escaped or not, so braces
# become commands whose own braces are balanced
_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIBTEX_SPECIAL = re.compile("[" + re.escape("".join(_BIBTEX_ESCAPES)) + "]")
_URL_ESCAPES = {"{": "%7B", "}": "%7D", "\\": "%5C"}
_SPACE = re.compile(r"\s+")
_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9_:./-]+")
_SMALL_WORDS = frozenset("a an and after at by for from in of on or over that the to while with".split())
_LEADING_ARTICLE = re.compile(r"^(the|a|an)\s+", re.IGNORECASE)


def _plain(text: str) -> str:
    """One line of text: runs of white space (newlines too) as one space."""
    return _SPACE.sub(" ", text).strip()


def _keys(sources: Sequence[SourceInfo]) -> list[str]:
    """A citation key per source: its short id made safe for BibTeX, unique in the list."""
    keys: list[str] = []
    taken: set[str] = set()
    for source in sources:
        base = _KEY_UNSAFE.sub("-", source.id).strip("-") or "source"
        key, n = base, 1
        while key in taken:
            n += 1
            key = f"{base}-{n}"
        taken.add(key)
        keys.append(key)
    return keys


def csl_item(source: SourceInfo, *, key: str | None = None) -> dict:
    """The CSL-JSON item of one source (see the module's notes for the fields).

    Parameters
    ----------
    source : SourceInfo
        A catalogue entry (:func:`stancegraph.graph.queries.sources`).
    key : str, optional
        The item's ``id``; by default the source's short id made safe for BibTeX.

    Returns
    -------
    dict
        A CSL-JSON item (CSL 1.0.2 data schema).
    """
    kind = (source.kind or "").strip().lower()
    csl_type = _CSL_TYPES.get(kind, "webpage" if source.url and not kind else "document")
    item: dict = {"id": key or _keys([source])[0], "type": csl_type, "title": _plain(source.title)}
    publisher = _plain(source.publisher)
    if publisher:
        item["container-title" if csl_type == "article-newspaper" else "publisher"] = publisher
    if kind in _APA_KINDS and csl_type == "document":
        item["genre"] = _APA_KINDS[kind]
    if source.issued is not None:
        item["issued"] = {"date-parts": [[source.issued.year, source.issued.month, source.issued.day]]}
    if source.url:
        item["URL"] = source.url.strip()
    return item


def csl_items(sources: Iterable[SourceInfo]) -> list[dict]:
    """The CSL-JSON items of several sources, in their order, with unique ids."""
    sources = list(sources)
    return [csl_item(s, key=k) for s, k in zip(sources, _keys(sources), strict=True)]


def to_csl_json(sources: Iterable[SourceInfo]) -> str:
    """The sources as a CSL-JSON document (a JSON array of items), for Zotero, pandoc or citeproc."""
    return json.dumps(csl_items(sources), indent=2, ensure_ascii=False) + "\n"


def _bibtex_text(text: str) -> str:
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_ESCAPES[m.group()], _plain(text))


def to_bibtex(sources: Iterable[SourceInfo]) -> str:
    """The sources as BibTeX entries: ``@article`` for news articles (the outlet as ``journal``),
    ``@misc`` for the rest (the publisher as ``howpublished``, the kind as ``note``).

    Titles are braced twice so that styles keep their case; LaTeX's special characters are escaped, so a
    title cannot end a field or an entry. ``date`` (ISO) is biblatex's, beside BibTeX's ``year`` and
    ``month``.
    """
    entries = []
    for item in csl_items(sources):
        fields = [("title", "{" + _bibtex_text(item["title"]) + "}")]
        if item["type"] == "article-newspaper":
            kind = "article"
            if "container-title" in item:
                fields.append(("journal", _bibtex_text(item["container-title"])))
        else:
            kind = "misc"
            if "publisher" in item:
                fields.append(("howpublished", _bibtex_text(item["publisher"])))
            if "genre" in item:
                fields.append(("note", _bibtex_text(item["genre"])))
        lines = [f"@{kind}{{{item['id']},"] + [f"  {name} = {{{value}}}," for name, value in fields]
        if "issued" in item:
            year, month, day = item["issued"]["date-parts"][0]
            lines += [
                f"  year = {{{year}}},",
                f"  month = {_BIBTEX_MONTHS[month - 1]},",
                f"  date = {{{year:04d}-{month:02d}-{day:02d}}},",
            ]
        if "URL" in item:  # read verbatim by biblatex and hyperref: only what would unbalance the entry
            url = "".join(_URL_ESCAPES.get(c, c) for c in item["URL"] if not c.isspace())
            lines.append(f"  url = {{{url}}},")
        entries.append("\n".join([*lines, "}"]))
    return "\n\n".join(entries) + ("\n" if entries else "")


@dataclass(frozen=True)
class Reference:
    """One entry of an APA-style reference list.

    ``parts`` and ``citation`` are runs of text, each with whether it is set in italics, so that HTML
    and plain text are made from the same words; ``key`` is the CSL id (the anchor of the entry),
    ``source`` the source's IRI, ``url`` its address when the catalogue records one.
    """

    key: str
    source: str
    parts: tuple[tuple[str, bool], ...]
    citation: tuple[tuple[str, bool], ...]
    url: str | None = None

    @property
    def text(self) -> str:
        """The entry as plain text."""
        return "".join(text for text, _ in self.parts)

    @property
    def in_text(self) -> str:
        """The citation in the text, as plain text: ``("Title words," 2025)``."""
        return "".join(text for text, _ in self.citation)


def _date_text(item: dict) -> str:
    if "issued" not in item:
        return "(n.d.)."
    year, month, day = item["issued"]["date-parts"][0]
    return f"({year}, {_MONTHS[month - 1]} {day})."


def _sentence(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."


def _short_title(title: str, words: int) -> str:
    """The first ``words`` words of a title, less the small words that would end it mid-phrase."""
    cut = [w.rstrip(",;:.") for w in title.split()[:words]]
    while len(cut) > 1 and cut[-1].casefold() in _SMALL_WORDS:
        cut.pop()
    return " ".join(cut)


def _sort_key(item: dict) -> tuple:
    title = _LEADING_ARTICLE.sub("", item["title"]).casefold()
    date = tuple(item.get("issued", {"date-parts": [[0, 0, 0]]})["date-parts"][0])
    return (title, date, item["id"])


def references(sources: Iterable[SourceInfo]) -> tuple[Reference, ...]:
    """The APA-style reference list of the sources (see the module's notes), in alphabetical order.

    Parameters
    ----------
    sources : iterable of SourceInfo
        Catalogue entries, in any order; each becomes one :class:`Reference`.

    Returns
    -------
    tuple of Reference
        Sorted by the first significant word of the title, then the date.
    """
    sources = list(sources)
    by_key = {k: s for s, k in zip(sources, _keys(sources), strict=True)}
    items = sorted(csl_items(sources), key=_sort_key)
    # in-text citations: the fewest first words of the title (four at least) that tell the works apart
    words = {item["id"]: 4 for item in items}
    for _ in range(50):
        seen: dict[tuple[str, str], list[str]] = {}
        for item in items:
            label = (_short_title(item["title"], words[item["id"]]), _date_text(item))
            seen.setdefault(label, []).append(item["id"])
        clashes = [ids for ids in seen.values() if len(ids) > 1]
        if not clashes:
            break
        for ids in clashes:
            for key in ids:
                words[key] += 1
    found = []
    for item in items:
        standalone = item["type"] != "article-newspaper"
        genre = item.get("genre") or ("Data set" if item["type"] == "dataset" else "")
        parts: list[tuple[str, bool]] = []
        if genre:
            parts += [(item["title"], standalone), (f" [{genre}].", False)]
        else:
            parts.append((_sentence(item["title"]), standalone))
        parts.append((" " + _date_text(item), False))
        outlet = item.get("container-title") or item.get("publisher")
        if outlet:
            parts += [(" ", False), (_sentence(outlet), not standalone)]
        if "URL" in item:
            parts.append((" " + item["URL"], False))
        year = str(item["issued"]["date-parts"][0][0]) if "issued" in item else "n.d."
        short = _short_title(item["title"], words[item["id"]])
        citation = (
            (("(", False), (short, True), (f", {year})", False))
            if standalone
            else (('("' + short + ",", False), (f'" {year})', False))
        )
        source = by_key[item["id"]]
        found.append(Reference(item["id"], source.iri, tuple(parts), citation, item.get("URL")))
    return tuple(found)


def write_citations(sources: Iterable[SourceInfo], format: CitationFormat | str) -> str:
    """The sources in one of :data:`CITATION_FORMATS`: BibTeX, CSL-JSON or the APA-style list as text.

    Raises
    ------
    ValueError
        An unknown format.
    """
    try:
        chosen = CitationFormat(format)
    except ValueError:
        raise ValueError(
            f"unknown citation format {format!r}; use one of {', '.join(CITATION_FORMATS)}"
        ) from None
    if chosen is CitationFormat.BIBTEX:
        return to_bibtex(sources)
    if chosen is CitationFormat.CSL_JSON:
        return to_csl_json(sources)
    return "".join(ref.text + "\n" for ref in references(sources))
