"""The search index, on whichever database the suite runs (SQLite and PostgreSQL in CI)."""

from __future__ import annotations

import pytest

from turbine.core import search
from turbine.core.models import SearchDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def documents(territory):
    search.index(
        [
            search.Document(
                kind="test",
                object_id="1",
                title="Atelier de réparation de Vélo",
                body="Chaque samedi à Lens.",
                url="/velo/",
                themes=["mobilite"],
                communes=["62498"],
            ),
            search.Document(
                kind="test",
                object_id="2",
                title="Plan de déplacements",
                body="Les nouvelles mobilités partagées du bassin minier.",
                url="/plan/",
                themes=["mobilite", "energie"],
                communes=["62119"],
            ),
            search.Document(
                kind="test",
                object_id="3",
                title="Mobilité solidaire",
                body="Transport à la demande.",
                url="/solidaire/",
                themes=["solidarite-justice-sociale"],
                communes=["62498"],
            ),
            search.Document(
                kind="test",
                object_id="4",
                title="Nœud ferroviaire",
                body="Gare de Lens et œuvres d'art.",
                url="/noeud/",
            ),
        ]
    )


def titles(page: search.SearchPage) -> list[str]:
    return [hit.title for hit in page.hits]


def test_it_finds_accented_words_without_accents(documents):
    assert titles(search.search("velo")) == ["Atelier de réparation de Vélo"]
    assert titles(search.search("VÉLO")) == ["Atelier de réparation de Vélo"]


def test_it_stems_french_words(documents):
    found = titles(search.search("mobilite"))
    assert "Plan de déplacements" in found  # "mobilités" in the body
    assert "Mobilité solidaire" in found


def test_it_ranks_a_title_match_above_a_body_match(documents):
    assert titles(search.search("mobilite")) == ["Mobilité solidaire", "Plan de déplacements"]


def test_it_folds_ligatures(documents):
    assert titles(search.search("noeud")) == ["Nœud ferroviaire"]


def test_it_needs_every_word(documents):
    assert titles(search.search("velo lens")) == ["Atelier de réparation de Vélo"]
    assert titles(search.search("velo bethune")) == []


def test_it_filters_by_kind_theme_and_commune(documents):
    assert search.search("lens", kinds=["test"]).count == 2
    assert {h.kind for h in search.search("lens").hits} >= {"test", "commune"}
    assert titles(search.search("mobilite", theme="energie")) == ["Plan de déplacements"]
    assert titles(search.search("mobilite", commune="62498")) == ["Mobilité solidaire"]


def test_it_counts_by_kind_regardless_of_the_kind_filter(documents):
    page = search.search("lens", kinds=["test"])
    assert page.counts_by_kind["test"] == 2
    assert page.counts_by_kind["commune"] >= 1


def test_it_paginates(documents):
    first = search.search("lens", page=1, page_size=2)
    second = search.search("lens", page=2, page_size=2)
    assert len(first.hits) == 2
    assert not {h.url for h in first.hits} & {h.url for h in second.hits}


def test_it_replaces_and_removes_documents(documents):
    search.index([search.Document(kind="test", object_id="1", title="Autre", url="/autre/")])
    assert search.search("velo").count == 0
    assert titles(search.search("autre")) == ["Autre"]
    search.unindex(kind="test", object_ids=["1"])
    assert search.search("autre").count == 0
    assert not SearchDocument.objects.filter(kind="test", object_id="1").exists()


def test_it_ignores_empty_and_punctuation_queries(documents):
    assert search.search("   ").count == 0
    assert search.search('" * ( ) AND OR NEAR').count == 0


def test_it_survives_fts_syntax_in_the_query(documents):
    # FTS5 and tsquery operators in user text must not raise.
    assert search.search('velo" OR "x').count >= 0
    assert search.search("-velo").count >= 0


def test_it_finds_communes_after_reindex(territory):
    counts = search.reindex(["commune"])
    assert counts == {"commune": 150}
    assert titles(search.search("bethune", kinds=["commune"]))[0] == "Béthune"


def test_it_ranks_the_commune_above_the_agglomeration_that_lists_it(territory):
    search.reindex(["commune", "agglomeration"])
    assert titles(search.search("béthune"))[0] == "Béthune"
    assert titles(search.search("lievin"))[0] == "Liévin"


def test_it_answers_in_a_bounded_number_of_queries(documents, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        search.search("lens", kinds=["test"], theme="mobilite")


def test_it_shows_snippets_as_plain_text_not_markdown(client, territory):
    search.index(
        [
            search.Document(
                kind="test",
                object_id="md",
                title="Composteur collectif",
                body="## Le projet\n\nUn **composteur** pour [la résidence](https://exemple.fr)"
                " & ses <voisins>.\n\n- bacs\n- broyat",
                url="/compost/",
            )
        ]
    )
    (hit,) = search.search("composteur").hits
    assert hit.excerpt == "Le projet Un composteur pour la résidence & ses <voisins>. bacs broyat"
    html = client.get("/recherche/", {"q": "composteur"}).content.decode()
    assert "Un composteur pour la résidence &amp; ses &lt;voisins&gt;." in html
    assert "**" not in html and "](https" not in html and "## " not in html
