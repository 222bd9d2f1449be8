"""The catalogue's search: the box in the header, the results page grouped by kind, its
results alone for htmx, bounds on the query, and safety against any text.

The unmarked tests run on whichever database DATABASE_URL names: on SQLite they test the
plain fallback, on PostgreSQL full-text search (run this file on both). The tests marked
`postgres` are about full-text search itself: stems, prefixes and ranking.
"""

import re

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roadmap import searching

pytestmark = pytest.mark.django_db

SEARCH = reverse("roadmap:search")


def page(client, q, **headers):
    return client.get(SEARCH, {"q": q}, headers=headers)


def links(response):
    """The result links, in order, by group: {"Skills": ["/skills/rag/", ...], ...}."""
    html = response.content.decode()
    out = {}
    for section in re.findall(r'<section class="search-group".*?</section>', html, re.S):
        heading = re.search(r"<h2[^>]*>([^<]+)</h2>", section).group(1)
        out[heading] = re.findall(r'<li class="search-hit">\s*<a href="([^"]+)"', section)
    return out


# --------------------------------------------------------------------------- the box


@pytest.mark.parametrize(
    "url", ["/", "/roles/ai-engineer/", "/skills/rag/", "/certifications/", "/accounts/login/"]
)
def test_every_page_has_the_search_box_in_its_header(client, url):
    html = client.get(url).content.decode()
    header = html.split('<header class="site-header">')[1].split("</header>")[0]
    assert '<form class="site-search" role="search" method="get" action="/search/">' in header
    assert 'name="q" maxlength="100"' in header
    # Elsewhere it is a plain form: it searches as one types only on the search page.
    assert "hx-get" not in header


def test_a_cached_catalogue_page_keeps_its_search_box_and_its_one_query(
    client, django_assert_num_queries
):
    client.get("/skills/")
    with django_assert_num_queries(1):  # the catalogue version: the page is from the cache
        html = client.get("/skills/").content.decode()
    assert 'action="/search/"' in html


# --------------------------------------------------------------------------- results


def test_it_finds_skills_roles_certifications_and_sources_grouped_by_kind(client):
    response = page(client, "engineer")
    assert response.status_code == 200
    found = links(response)
    assert list(found) == ["Skills", "Roles", "Certifications", "Sources"]
    assert "/roles/ai-engineer/" in found["Roles"]
    assert "/certifications/google-professional-data-engineer/" in found["Certifications"]
    assert all(url.startswith("/sources/#source-") for url in found["Sources"])
    # At most ten a kind, and the page says when more matched.
    assert all(len(urls) <= searching.PER_KIND for urls in found.values())
    assert "Only the 10 best matches are shown" in response.content.decode()


@pytest.mark.parametrize("q", ["AI-102", "ai-102", "ai 102", "AI102"])
def test_a_certification_is_found_by_its_exam_code_however_it_is_typed(client, q):
    found = links(page(client, q))
    # First; AI-103 follows, its summary naming AI-102 as what it replaces.
    assert found["Certifications"][0] == "/certifications/azure-ai-engineer-associate/"


def test_the_start_of_an_exam_code_finds_every_code_it_starts(client):
    found = links(page(client, "ai10"))["Certifications"]
    assert "/certifications/azure-ai-engineer-associate/" in found  # AI-102
    assert len(found) >= 2  # and AI-103


def test_an_exam_code_with_letters_after_the_hyphen_is_found(client):
    found = links(page(client, "MLA-C01"))
    assert found["Certifications"] == ["/certifications/aws-ml-engineer-associate/"]


def test_words_are_matched_as_prefixes_and_all_must_match(client):
    assert "/skills/kubernetes/" in links(page(client, "kubern"))["Skills"]
    assert "/skills/rag/" in links(page(client, "retriev"))["Skills"]
    # Both words: AWS's certifications, not every certification.
    both = links(page(client, "aws certified"))["Certifications"]
    assert both and all("aws" in url for url in both)


def test_a_result_shows_what_it_is(client):
    html = page(client, "AI-102").content.decode()
    assert "Microsoft Certified: Azure AI Engineer Associate" in html
    assert "exam AI-102" in html
    assert re.search(r'role="status">\d+ match(es)? for “AI-102”\.</p>', html)


def test_no_match_says_so_and_offers_the_lists(client):
    response = page(client, "zzzqqq")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing in the catalogue matches every word of “zzzqqq”" in html
    assert 'href="/skills/"' in html.split('id="results"')[1]
    assert links(response) == {}


@pytest.mark.parametrize("q", ["", "   ", "&|!", "()"])
def test_an_empty_query_is_the_page_with_no_results_and_no_error(client, q):
    response = page(client, q)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Search the catalogue</h1>" in html
    assert links(response) == {}
    assert 'role="alert">' not in html.split('id="results"')[1]


def test_the_query_stays_in_the_box_on_the_results_page(client):
    html = page(client, 'rag "quoted" <b>').content.decode()
    assert 'value="rag &quot;quoted&quot; &lt;b&gt;"' in html
    assert "<b>" not in html.split('id="results"')[1]


def test_on_the_search_page_the_box_searches_as_one_types(client):
    html = page(client, "rag").content.decode()
    header = html.split('<header class="site-header">')[1].split("</header>")[0]
    assert 'hx-get="/search/"' in header
    assert 'hx-trigger="input changed delay:300ms, search"' in header
    assert 'hx-target="#results"' in header


# --------------------------------------------------------------------------- bounds


def test_a_query_over_100_characters_is_refused_with_a_clear_message(client):
    response = page(client, "a" * 101)
    assert response.status_code == 400
    html = response.content.decode()
    assert "A search can be at most 100 characters long, and this one has 101" in html
    assert links(response) == {}
    # The box keeps what fits.
    assert f'value="{"a" * 100}"' in html


def test_a_query_of_exactly_100_characters_is_searched(client):
    assert page(client, "rag " + "x" * 96).status_code == 200


def test_a_huge_query_is_refused_not_searched(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        assert page(client, "rag " * 5000).status_code == 400


def test_only_the_first_eight_words_count():
    assert searching.words("a b c d e f g h i j") == list("abcdefgh")


# --------------------------------------------------------------------------- htmx


def test_htmx_gets_the_results_alone_and_the_count_for_the_status_line(client):
    response = page(client, "kubern", **{"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "<header" not in html
    assert '<a href="/skills/kubernetes/">Kubernetes</a>' in html
    assert '<p id="search-status" hx-swap-oob="innerHTML">' in html
    assert "HX-Request" in response["Vary"]


def test_a_history_restore_gets_the_whole_page(client):
    response = page(
        client, "kubern", **{"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    html = response.content.decode()
    assert "<header" in html and "hx-swap-oob" not in html


def test_htmx_with_a_too_long_query_gets_the_message_in_the_results(client):
    response = page(client, "b" * 101, **{"HX-Request": "true"})
    assert response.status_code == 400  # htmx swaps a 400 (base.html's htmx-config)
    assert "at most 100 characters" in response.content.decode()


def test_search_answers_get_only(client):
    assert client.post(SEARCH, {"q": "rag"}).status_code == 405


# --------------------------------------------------------------------------- safety


@pytest.mark.parametrize(
    "q",
    [
        "'",
        '"',
        "rag'",
        "'); DROP TABLE roadmap_skill; --",
        "a & b | !c",
        "(rag",
        "rag:*",
        ":*",
        "!!",
        "<->",
        "rag <-> llm",
        "\\",
        "rag\\:*",
        "%_%",
        "ä ö ü é",
        "日本語",
        "🙂",
        "kubern'):* | 'a",
    ],
)
def test_any_punctuation_is_searched_safely(client, q):
    response = page(client, q)
    assert response.status_code == 200
    assert "<h1>Search the catalogue</h1>" in response.content.decode()


def test_punctuation_separates_words_and_does_not_change_the_query(client):
    # The tsquery operators are separators: "kubern|zzz" still needs both words.
    assert links(page(client, "kubern|zzz")) == {}
    assert "/skills/kubernetes/" in links(page(client, "(kubern)"))["Skills"]
    assert "/skills/kubernetes/" in links(page(client, "'kubern':*"))["Skills"]


def test_the_text_search_query_holds_only_quoted_words():
    terms = searching.words("a'b & c|d !e (f) g:* \\h")
    assert terms == ["a", "b", "c", "d", "e", "f", "g", "h"]
    assert searching.tsquery(terms[:2]) == "'a':* & 'b':*"


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(q=st.text(max_size=120))
def test_any_text_gives_results_or_a_clear_refusal_never_a_500(client, q):
    response = page(client, q)
    if "\x00" in q:
        assert response.status_code == 400  # refused before the view (RefuseNulMiddleware)
    elif len(q.strip()) > searching.MAX_LENGTH:
        assert response.status_code == 400
    else:
        assert response.status_code == 200


# --------------------------------------------------------------------------- cost


@pytest.mark.parametrize("q", ["engineer", "AI-102"])
def test_a_search_makes_one_query_per_kind(client, django_assert_num_queries, q):
    with django_assert_num_queries(4):  # skills (with their areas), roles, certifications, sources
        page(client, q)


# --------------------------------------------------------------------------- PostgreSQL


@pytest.mark.postgres
def test_on_postgresql_a_name_match_ranks_above_a_mention_in_a_summary(client):
    found = links(page(client, "rag"))
    assert found["Skills"][0] == "/skills/rag/"
    assert len(found["Skills"]) > 1  # the others only mention it


@pytest.mark.postgres
def test_on_postgresql_words_are_stemmed(client):
    # "certifications" and "certified" share the stem "certifi"; "engineering" finds
    # "Engineer" roles.
    assert "/roles/data-engineer/" in links(page(client, "engineering"))["Roles"]
    assert links(page(client, "certifications aws"))["Certifications"]


@pytest.mark.postgres
def test_on_postgresql_a_query_of_stop_words_alone_finds_nothing_without_error(client):
    response = page(client, "the of and")
    assert response.status_code == 200
    assert links(response) == {}


@pytest.mark.postgres
def test_on_postgresql_the_search_is_full_text_ranked(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        page(client, "kubern")
    sql = " ".join(q["sql"] for q in queries)
    assert "to_tsvector" in sql and "to_tsquery" in sql and "ts_rank" in sql
    assert "''kubern'':*" in sql  # the quoted word, as a literal
