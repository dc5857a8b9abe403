"""One search index for all of Turbine's public content.

Apps register what they index (``register``) with a function that yields every public
``Document`` of their kind; their services call ``index`` after a write and ``unindex`` when
content is deleted or stops being public. ``search`` answers a query, accent- and
case-insensitive with French stemming, ranked so that a title match comes before a body match,
filterable by kind, theme and commune.

Two implementations sit behind this interface, chosen by the database vendor:
- PostgreSQL: a weighted ``tsvector`` column (title A, body B) under the ``turbine_fr`` text
  search configuration (French stemming after ``unaccent``), with a GIN index;
- SQLite: an FTS5 table holding the text already folded and stemmed in Python by the Snowball
  French stemmer, ranked by BM25 with the title weighted ten times the body.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection, transaction
from django.db.models import Count, F, QuerySet

from turbine.core.markdown import markdown_to_text
from turbine.core.models import SearchDocument

FTS_TABLE = "core_searchdocument_fts"
PG_CONFIG = "turbine_fr"
BATCH_SIZE = 500
_FTS_DELETE = "DELETE FROM core_searchdocument_fts WHERE rowid = %s"
_FTS_INSERT = "INSERT INTO core_searchdocument_fts (rowid, title, body) VALUES (%s, %s, %s)"


@dataclass(frozen=True)
class Document:
    """What the index knows of one piece of public content."""

    kind: str
    object_id: str
    title: str
    url: str
    body: str = ""
    themes: Sequence[str] = ()
    communes: Sequence[str] = ()


@dataclass(frozen=True)
class Kind:
    key: str
    label: str  # French plural, shown as a filter ("Communes")
    documents: Callable[[], Iterable[Document]]


@dataclass(frozen=True)
class Hit:
    kind: str
    kind_label: str
    object_id: str
    title: str
    url: str
    excerpt: str


@dataclass
class SearchPage:
    query: str
    hits: list[Hit]
    count: int
    counts_by_kind: dict[str, int] = field(default_factory=dict)


_registry: dict[str, Kind] = {}


def register(*, kind: str, label: str, documents: Callable[[], Iterable[Document]]) -> None:
    """Declare a kind of content. ``documents`` yields every public document of that kind."""
    _registry[kind] = Kind(key=kind, label=label, documents=documents)


def registered_kinds() -> list[Kind]:
    return sorted(_registry.values(), key=lambda k: k.label)


def kind_label(kind: str) -> str:
    return _registry[kind].label if kind in _registry else kind


# --- Text folding (SQLite path) ---------------------------------------------------------------

_WORD_RE = re.compile(r"\w+", re.UNICODE)
# Words too common to help a French search; PostgreSQL's French configuration drops them too.
_STOPWORDS = frozenset(
    [
        "a",
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "dans",
        "de",
        "des",
        "du",
        "elle",
        "en",
        "et",
        "eux",
        "il",
        "je",
        "la",
        "le",
        "les",
        "leur",
        "lui",
        "ma",
        "mais",
        "me",
        "meme",
        "mes",
        "moi",
        "mon",
        "ne",
        "nos",
        "notre",
        "nous",
        "on",
        "ou",
        "par",
        "pas",
        "pour",
        "qu",
        "que",
        "qui",
        "sa",
        "se",
        "ses",
        "son",
        "sur",
        "ta",
        "te",
        "tes",
        "toi",
        "ton",
        "tu",
        "un",
        "une",
        "vos",
        "votre",
        "vous",
        "c",
        "d",
        "j",
        "l",
        "m",
        "n",
        "s",
        "t",
        "y",
    ]
)


@lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("french")


def fold(text: str) -> str:
    """Lower-case and strip accents: "Évènement Vélo" -> "evenement velo"."""
    # Ligatures have no combining form: map them the way PostgreSQL's unaccent does.
    text = text.casefold().replace("œ", "oe").replace("æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def stem_words(text: str) -> list[str]:
    words = [w for w in _WORD_RE.findall(fold(text)) if w not in _STOPWORDS]
    return _stemmer().stemWords(words)


# --- Writing ----------------------------------------------------------------------------------


def _spaced(values: Iterable[str]) -> str:
    return " " + " ".join(values) + " " if values else " "


def index(documents: Iterable[Document]) -> int:
    """Add or replace documents in the index. Returns how many were written."""
    total = 0
    batch: list[Document] = []
    for document in documents:
        batch.append(document)
        if len(batch) >= BATCH_SIZE:
            total += _index_batch(batch)
            batch = []
    if batch:
        total += _index_batch(batch)
    return total


def _index_batch(batch: list[Document]) -> int:
    # The last version of a document wins when a batch names it twice.
    unique = {(d.kind, d.object_id): d for d in batch}
    rows = [
        SearchDocument(
            kind=d.kind,
            object_id=d.object_id,
            title=d.title[:300],
            body=d.body,
            url=d.url,
            themes=_spaced(d.themes),
            communes=_spaced(d.communes),
        )
        for d in unique.values()
    ]
    with transaction.atomic():
        SearchDocument.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["kind", "object_id"],
            update_fields=["title", "body", "url", "themes", "communes", "updated_at"],
        )
        kinds = {d.kind for d in unique.values()}
        rows_written = SearchDocument.objects.filter(
            kind__in=kinds, object_id__in=[d.object_id for d in unique.values()]
        ).values_list("id", "kind", "object_id")
        ids = [row_id for row_id, kind, object_id in rows_written if (kind, object_id) in unique]
        if connection.vendor == "postgresql":
            SearchDocument.objects.filter(id__in=ids).update(
                search_vector=SearchVector("title", weight="A", config=PG_CONFIG)
                + SearchVector("body", weight="B", config=PG_CONFIG)
            )
        else:
            texts = SearchDocument.objects.filter(id__in=ids).values_list("id", "title", "body")
            with connection.cursor() as cursor:
                cursor.executemany(_FTS_DELETE, [(i,) for i in ids])
                cursor.executemany(
                    _FTS_INSERT,
                    [
                        (i, " ".join(stem_words(title)), " ".join(stem_words(body)))
                        for i, title, body in texts
                    ],
                )
    return len(rows)


def unindex(*, kind: str, object_ids: Iterable[str | int]) -> None:
    """Remove documents from the index (deleted content, or content no longer public)."""
    object_ids = [str(o) for o in object_ids]
    with transaction.atomic():
        ids = list(
            SearchDocument.objects.filter(kind=kind, object_id__in=object_ids).values_list(
                "id", flat=True
            )
        )
        _delete_ids(ids)


def _delete_ids(ids: list[int]) -> None:
    if not ids:
        return
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.executemany(_FTS_DELETE, [(i,) for i in ids])
    SearchDocument.objects.filter(id__in=ids).delete()


def reindex(kinds: Sequence[str] | None = None) -> dict[str, int]:
    """Rebuild the index of the given kinds (all registered kinds by default) from their
    registered ``documents`` functions. Documents that no longer exist are dropped."""
    selected = [_registry[k] for k in kinds] if kinds else list(_registry.values())
    counts: dict[str, int] = {}
    for kind in selected:
        with transaction.atomic():
            stale = list(SearchDocument.objects.filter(kind=kind.key).values_list("id", flat=True))
            _delete_ids(stale)
            counts[kind.key] = index(kind.documents())
    return counts


# --- Reading ----------------------------------------------------------------------------------


def search(
    query: str,
    *,
    kinds: Sequence[str] = (),
    theme: str | None = None,
    commune: str | None = None,
    page: int = 1,
    page_size: int = 20,
) -> SearchPage:
    """Ranked public documents matching ``query``; ``counts_by_kind`` ignores the ``kinds``
    filter so a page can offer every kind with its number of results. Three queries at most."""
    query = query.strip()[:200]
    empty = SearchPage(query=query, hits=[], count=0)
    if not query:
        return empty
    page = max(page, 1)
    offset = (page - 1) * page_size
    if connection.vendor == "postgresql":
        return _search_postgresql(query, kinds, theme, commune, offset, page_size)
    return _search_sqlite(query, kinds, theme, commune, offset, page_size)


def _filtered(theme: str | None, commune: str | None) -> QuerySet[SearchDocument]:
    qs = SearchDocument.objects.all()
    if theme:
        qs = qs.filter(themes__contains=f" {theme} ")
    if commune:
        qs = qs.filter(communes__contains=f" {commune} ")
    return qs


def _search_postgresql(
    query: str,
    kinds: Sequence[str],
    theme: str | None,
    commune: str | None,
    offset: int,
    limit: int,
) -> SearchPage:
    ts_query = SearchQuery(query, config=PG_CONFIG, search_type="websearch")
    matching = _filtered(theme, commune).filter(search_vector=ts_query)
    counts = _counts(matching)
    if kinds:
        matching = matching.filter(kind__in=kinds)
    rows = (
        # normalization=1 divides by 1 + log(length): a short document whose title matches
        # ranks above a long one that merely lists the word, as BM25 does on SQLite.
        matching.annotate(rank=SearchRank(F("search_vector"), ts_query, normalization=1))
        .order_by("-rank", "title", "id")
        .only("kind", "object_id", "title", "url", "body")[offset : offset + limit]
    )
    return _page(query, list(rows), counts, kinds)


def _fts_expression(query: str) -> str | None:
    stems = stem_words(query)
    if not stems:
        return None
    # Every word must match; quoting makes FTS5 read each stem as a literal term.
    return " AND ".join(f'"{s}"' for s in stems)


def _search_sqlite(
    query: str,
    kinds: Sequence[str],
    theme: str | None,
    commune: str | None,
    offset: int,
    limit: int,
) -> SearchPage:
    expression = _fts_expression(query)
    if expression is None:
        return SearchPage(query=query, hits=[], count=0)
    # Joining the FTS table (rather than a correlated subquery) lets SQLite compute BM25 once
    # per matching row.
    where = [f"{FTS_TABLE} MATCH %s"]
    params: list[str | int] = [expression]
    if theme:
        where.append("d.themes LIKE %s")
        params.append(f"% {theme} %")
    if commune:
        where.append("d.communes LIKE %s")
        params.append(f"% {commune} %")
    base = (
        f"FROM {FTS_TABLE} JOIN core_searchdocument d ON d.id = {FTS_TABLE}.rowid "
        f"WHERE {' AND '.join(where)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT d.kind, COUNT(*) {base} GROUP BY d.kind", params)
        counts = dict(cursor.fetchall())
    kind_sql = ""
    if kinds:
        kind_sql = " AND d.kind IN (" + ", ".join(["%s"] * len(kinds)) + ")"
        params = [*params, *kinds]
    rows = SearchDocument.objects.raw(
        f"SELECT d.id, d.kind, d.object_id, d.title, d.url, d.body {base}{kind_sql} "
        f"ORDER BY bm25({FTS_TABLE}, 10.0, 1.0), d.title, d.id LIMIT %s OFFSET %s",
        [*params, limit, offset],
    )
    return _page(query, list(rows), counts, kinds)


def _counts(matching: QuerySet[SearchDocument]) -> dict[str, int]:
    return dict(matching.values_list("kind").annotate(n=Count("id")).order_by("kind"))


def _excerpt(body: str, length: int = 220) -> str:
    # Bodies hold the Markdown users wrote: show its words, not its syntax. Only the start is
    # rendered (a page of hits stays cheap); the excerpt is far shorter.
    body = markdown_to_text(body[: length * 8])
    return body if len(body) <= length else body[:length].rsplit(" ", 1)[0] + " …"


def _page(
    query: str, rows: list[SearchDocument], counts: dict[str, int], kinds: Sequence[str]
) -> SearchPage:
    hits = [
        Hit(
            kind=row.kind,
            kind_label=kind_label(row.kind),
            object_id=row.object_id,
            title=row.title,
            url=row.url,
            excerpt=_excerpt(row.body),
        )
        for row in rows
    ]
    count = sum(n for k, n in counts.items() if not kinds or k in kinds)
    return SearchPage(query=query, hits=hits, count=count, counts_by_kind=counts)


# --- Matching a text against one kind ---------------------------------------------------------


@dataclass(frozen=True)
class TermMatch:
    """A document holding some of the searched words: the words (as the caller gave them)
    found in its title and in its body, through the same folding and French stemming as
    ``search``."""

    object_id: str
    title_words: frozenset[str]
    body_words: frozenset[str]


_LEXEME_RE = re.compile(r"'((?:[^']|'')+)':([0-9A-D,]+)")


def match_words(words: Sequence[str], *, kind: str, limit: int = 400) -> list[TermMatch]:
    """Documents of ``kind`` that hold ANY of ``words`` (unlike ``search``, which wants them
    all), best ranked first, each with the words it holds. Two queries on either database."""
    words = list(dict.fromkeys(w for w in words if _WORD_RE.fullmatch(fold(w))))[:40]
    if not words:
        return []
    if connection.vendor == "postgresql":
        return _match_words_postgresql(words, kind, limit)
    return _match_words_sqlite(words, kind, limit)


def _by_stem(words: Sequence[str], stems: Sequence[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for word, stem in zip(words, stems, strict=True):
        if stem and stem not in found:
            found[stem] = word
    return found


def _match_words_sqlite(words: list[str], kind: str, limit: int) -> list[TermMatch]:
    stems = _by_stem(words, [next(iter(stem_words(w)), "") for w in words])
    if not stems:
        return []
    expression = " OR ".join(f'"{s}"' for s in stems)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT d.object_id, {FTS_TABLE}.title, {FTS_TABLE}.body FROM {FTS_TABLE} "  # noqa: S608
            f"JOIN core_searchdocument d ON d.id = {FTS_TABLE}.rowid "
            f"WHERE {FTS_TABLE} MATCH %s AND d.kind = %s "
            f"ORDER BY bm25({FTS_TABLE}, 10.0, 1.0), d.id LIMIT %s",
            [expression, kind, limit],
        )
        rows = cursor.fetchall()
    result = []
    for object_id, title, body in rows:
        in_title = {stems[s] for s in set(title.split()) & stems.keys()}
        in_body = {stems[s] for s in set(body.split()) & stems.keys()} - in_title
        result.append(TermMatch(str(object_id), frozenset(in_title), frozenset(in_body)))
    return result


def _match_words_postgresql(words: list[str], kind: str, limit: int) -> list[TermMatch]:
    with connection.cursor() as cursor:
        # PostgreSQL's own stems of each word, so the comparison below uses its lexemes.
        cursor.execute(
            f"SELECT w, to_tsvector('{PG_CONFIG}', w)::text FROM unnest(%s::text[]) AS w",  # noqa: S608
            [words],
        )
        lexemes = dict(cursor.fetchall())
    stems = _by_stem(
        words,
        [(m.group(1) if (m := _LEXEME_RE.search(lexemes.get(w) or "")) else "") for w in words],
    )
    if not stems:
        return []
    ts_query = SearchQuery(" | ".join(f"'{s}'" for s in stems), config="simple", search_type="raw")
    rows = (
        SearchDocument.objects.filter(kind=kind, search_vector=ts_query)
        .annotate(rank=SearchRank(F("search_vector"), ts_query, normalization=1))
        .order_by("-rank", "id")
        .values_list("object_id", "search_vector")[:limit]
    )
    result = []
    for object_id, vector in rows:
        in_title: set[str] = set()
        in_body: set[str] = set()
        for lexeme, positions in _LEXEME_RE.findall(str(vector)):
            word = stems.get(lexeme.replace("''", "'"))
            if word is None:
                continue
            (in_title if "A" in positions else in_body).add(word)
        result.append(TermMatch(str(object_id), frozenset(in_title), frozenset(in_body - in_title)))
    return result
