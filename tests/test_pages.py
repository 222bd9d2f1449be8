import pytest
from django.urls import reverse
from django.utils.html import escape

from roadmap.models import Certification, Claim, Source

pytestmark = pytest.mark.django_db


def page(client, url, status=200, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == status, url
    return response.content.decode()


def test_home_shows_the_ladder_in_order_with_the_adjacent_roles(client):
    html = page(client, reverse("roadmap:home"))
    html = html[html.index("The ladder") :]
    titles = [
        "Junior AI Engineer",
        "AI Engineer</a>",
        "Senior AI Engineer",
        "AI Architect / Principal AI Engineer",
        "Head of AI",
    ]
    positions = [html.index(t) for t in titles]
    assert positions == sorted(positions)
    adjacent = html.index("Adjacent roles")
    for title in ("Data Scientist", "ML Engineer", "Data Engineer", "Data Analyst"):
        assert html.index(title) > adjacent


def test_home_shows_one_series_up_the_ladder_with_kind_year_proxy_and_source(client):
    html = page(client, reverse("roadmap:home"))
    pay = html[html.index('id="pay"') : html.index('id="ladder-heading"')]
    assert "Pay up the ladder in United States" in pay
    assert "U.S. Bureau of Labor Statistics, Occupational Employment and Wage Statistics" in pay
    junior = pay[pay.index(">Junior AI Engineer</a>") : pay.index(">AI Engineer</a>")]
    assert "median USD 133,080 a year" in junior
    assert "data for May 2024, before 2025" in junior
    assert "Not this role's own pay:</strong> the closest official occupation" in junior
    assert "“Software developers”" in junior
    assert "Official BLS figure, as relayed by resources.nopmark.com:" in junior
    head = pay[pay.index(">Head of AI</a>") : pay.index("Beside the ladder")]
    assert "median USD 171,200 a year" in head
    # The guide's and the surveys' one-off figures are not put on the BLS axis.
    assert "USD 110,000" not in pay and "USD 300,600" not in pay


def test_the_role_cards_send_to_each_role_s_pay(client):
    html = page(client, reverse("roadmap:home"))
    card = html[html.index('id="role-ai-engineer"') : html.index('id="role-senior-ai-engineer"')]
    assert 'href="/roles/ai-engineer/#pay"' in card
    assert "Adds 19 skills" in card
    assert "our estimate; no source gives a range" in card


def test_a_role_page_shows_every_figure_of_its_region_and_warns_they_are_not_comparable(
    client,
):
    html = page(client, reverse("roadmap:role", args=["ai-engineer"]))
    mine = html[html.index("AI Engineer in United States") : html.index("Up the ladder in")]
    assert "Not comparable as they stand:" in mine
    assert "median USD 300,600 a year" in mine
    assert "Third-party report of Levels.fyi data, by VnExpress International:" in mine
    assert "data for March 2024, before 2025" in mine
    assert "median USD 246,250 a year" in mine and "San Francisco" in mine
    # The series first, newest data first.
    assert mine.index("USD 133,080") < mine.index("USD 132,270") < mine.index("USD 300,600")


def test_a_role_without_any_figure_says_so(client):
    Claim.objects.filter(role__slug="data-analyst").delete()
    html = page(client, reverse("roadmap:role", args=["data-analyst"]))
    assert "No sourced figure yet in this region (United States)." in html
    row = html[html.index('<strong class="pay-mark">(this role)</strong>') :][:120]
    assert "no figure in this series" in row


def test_home_says_what_each_rung_adds(client):
    html = page(client, reverse("roadmap:home"))
    mid = html[html.index('id="role-ai-engineer"') : html.index('id="role-senior-ai-engineer"')]
    assert "Adds 19 skills" in mid
    assert "Retrieval-augmented generation (RAG)" in mid


def test_a_role_page_marks_skills_inherited_from_lower_rungs(client):
    html = page(client, reverse("roadmap:role", args=["ai-engineer"]))
    assert "Adds 19 skills, and carries over 15 from lower rungs." in html
    python = html[html.index(">Python</a>") :][:300]
    assert "from Junior AI Engineer" in python
    rag = html[html.index(">Retrieval-augmented generation (RAG)</a>") :][:300]
    assert "Core" in rag
    assert "from " not in rag


def test_a_role_page_marks_a_retired_certification_and_names_its_successors(client):
    html = page(client, reverse("roadmap:role", args=["ai-engineer"]))
    recommended, retired = html.split("Retired: not recommended")
    assert "Google Professional Machine Learning Engineer" in recommended
    assert "AWS Certified Machine Learning – Specialty" not in recommended
    assert "AWS Certified Machine Learning – Specialty" in retired
    assert "Retired 31 Mar 2026" in retired
    assert "AWS Certified Machine Learning Engineer – Associate" in retired


def test_a_role_page_shows_salary_with_source_and_date_and_the_next_roles(client):
    html = page(client, reverse("roadmap:role", args=["senior-ai-engineer"]))
    assert "over USD 200,000" in html
    assert "data for 2026" in html
    assert "The guide (a third-party report):" in html
    assert "<cite" in html
    next_roles = html[html.index("Where it leads") :]
    assert "AI Architect / Principal AI Engineer" in next_roles
    assert "Head of AI" in next_roles


def test_an_adjacent_role_lists_its_own_skills(client):
    html = page(client, reverse("roadmap:role", args=["data-analyst"]))
    # The same words as on the home page's card for it.
    assert "Needs 5 skills." in html
    assert "Needs 5 skills:" in page(client, reverse("roadmap:home"))
    assert "No source gives a typical number of years" in html


def test_a_role_is_never_on_both_sides_of_a_role_page(client):
    html = page(client, reverse("roadmap:role", args=["data-scientist"]))
    moves = html[html.index("Where it leads") :]
    # AI Engineer leads to Data Scientist and back: listed once, as a move either way.
    assert moves.count(">AI Engineer</a>") == 1
    assert "(a move either way)" in moves
    assert "People reach it from" in moves  # Junior AI Engineer and Data Analyst
    reach = moves[moves.index("People reach it from") :]
    assert "AI Engineer</a>" not in reach.replace("Junior AI Engineer</a>", "")


def test_the_top_of_the_ladder_says_so(client):
    html = page(client, reverse("roadmap:role", args=["head-of-ai"]))
    assert "This is the top of the ladder." in html


def test_a_skill_page_shows_why_prerequisites_unlocks_roles_and_certifications(client):
    html = page(client, reverse("roadmap:skill", args=["rag"]))
    assert "cut hallucinated diagnoses by 70%" in html
    assert "Source: <cite" in html
    learn_first = html[html.index("Learn first") : html.index("What it unlocks")]
    assert "Prompt engineering" in learn_first
    assert "Context-window management" in learn_first
    assert "LlamaIndex" in html[html.index("What it unlocks") : html.index("Roles that need it")]
    assert "AI Engineer" in html[html.index("Roles that need it") :]
    certs = html[html.index("Certifications that cover it") :]
    assert "AWS Certified Generative AI Developer – Professional" in certs
    retired = certs[certs.index("Retired: not recommended") :]
    assert "Microsoft Certified: Azure AI Engineer Associate" in retired


def test_a_skill_page_links_only_to_official_home_pages(client):
    html = page(client, reverse("roadmap:skill", args=["pytorch"]))
    assert 'href="https://pytorch.org/"' in html
    assert "Nothing: you can start here." not in html


def test_the_skill_list_shows_every_area(client):
    html = page(client, reverse("roadmap:skills"))
    for area in ("Programming", "Trustworthy AI", "Collaboration and leadership"):
        assert area in html


@pytest.mark.parametrize(
    "url",
    ["/roles/no-such-role/", "/skills/no-such-skill/", "/certifications/no-such-cert/"],
)
def test_an_unknown_slug_gives_a_404_page(client, url):
    html = page(client, url, status=404)
    assert "Page not found" in html


def test_the_certifications_page_shows_lifecycle_facts_and_their_sources(client):
    html = page(client, reverse("roadmap:certifications"))
    assert "24 certifications" in html
    aws = html[html.index('id="cert-aws-ml-specialty"') :]
    aws = aws[: aws.index("</article>")]
    assert '<span class="badge badge-retired">Retired</span>' in aws
    assert "retired 31 Mar 2026" in aws
    # Figures are on the certification's own page, each beside its source.
    assert "Cost, exam and validity: 14 sourced facts, each with its source" in aws
    assert "USD 300" not in aws
    assert "AWS Certified Machine Learning Engineer – Associate" in aws
    llmops = html[html.index('id="cert-llmops-trustworthy-ai"') :]
    assert "a category of certifications, not a single certificate" in llmops


def test_azure_ai_102_shows_its_retirement_successor_and_renewal_each_with_a_source(client):
    html = page(client, reverse("roadmap:certification", args=["azure-ai-engineer-associate"]))
    assert "This certification is retired" in html
    assert "Azure AI Apps and Agents Developer Associate" in html
    assert "retired 30 Jun 2026" in html
    assert "A free online renewal assessment" in html
    assert "Validity of one year; free online renewal assessment:" in html
    assert "https://examinotion.com/blog/ai-102-retirement-ai-103-successor-path" in html
    assert (
        "https://dev.to/datta_kharad_3fd1383b5036/"
        "ai-102-certification-validity-renewal-recertification-guide-10fg"
    ) in html


def test_google_pmle_shows_cost_and_length_with_their_source(client):
    html = page(client, reverse("roadmap:certification", args=["google-professional-ml-engineer"]))
    assert "USD 200" in html
    assert "120 minutes" in html
    assert "Cost USD 200; exam length 2 hours:" in html
    # The vendor's own page, and the official validity rule, first among the sources.
    assert 'href="https://cloud.google.com/certification/machine-learning-engineer"' in html
    validity = html[html.index("<dt>Valid for</dt>") :]
    assert validity.index("Official source:") < validity.index("2 years") + 200


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"provider": "AWS"}, 4, "Google Professional Data Engineer"),
        ({"status": "retired"}, 4, "Google Professional Data Engineer"),
        ({"level": "category"}, 1, "AWS Certified"),
        ({"provider": "AWS", "status": "active"}, 3, 'id="cert-aws-ml-specialty"'),
    ],
)
def test_certification_filters_work_with_and_without_htmx(client, query, shown, hidden):
    url = reverse("roadmap:certifications")
    full = client.get(url, query)
    fragment = client.get(url, query, headers={"HX-Request": "true"})
    for response in (full, fragment):
        assert response.status_code == 200
        html = response.content.decode()
        assert f"{shown} certification" in html
        assert hidden not in html
        assert "HX-Request" in response["Vary"]
    assert "<html" in full.content.decode()
    assert "<html" not in fragment.content.decode()
    assert fragment.content.decode().lstrip().startswith('<div id="results"')


def test_a_history_restore_request_gets_the_whole_page(client):
    response = client.get(
        reverse("roadmap:certifications"),
        {"provider": "AWS"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in response.content.decode()


def test_the_filter_form_asks_htmx_to_push_the_url_and_works_without_it(client):
    html = page(client, reverse("roadmap:certifications"))
    assert 'hx-push-url="true"' in html
    assert 'method="get"' in html
    assert '<button type="submit">Filter</button>' in html


@pytest.mark.parametrize(
    "query",
    [{"status": "forever"}, {"level": "wizard"}, {"provider": "Nobody"}, {"status": "x" * 5000}],
)
def test_an_invalid_filter_gives_a_clear_400_never_a_500(client, query):
    response = client.get(reverse("roadmap:certifications"), query)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Some filters were not understood" in html
    assert "24 certifications" in html


def test_the_sources_page_lists_every_source_and_what_cites_it(client):
    html = page(client, reverse("roadmap:sources"))
    for source in Source.objects.all():
        assert escape(source.title) in html
    guide = html[html.index('id="source-guide"') :]
    guide = guide[: guide.index("</article>")]
    assert "Pay: <a" in guide
    assert "median USD 110,000" in guide
    assert "no publication date given" in guide
    certqna = html[html.index('id="source-certqna-aws-mls-c01"') :]
    assert "retired on 31 March 2026" in certqna[: certqna.index("</article>")]
    bls = html[html.index('id="source-startright-data-scientists"') :]
    assert "Official BLS figure, as relayed by startrightcareers.com" in bls[:1500]


def test_a_catalogue_edit_shows_at_once_on_every_cached_page(client):
    for url in ("/certifications/", "/", "/skills/rag/", "/sources/"):
        client.get(url)  # fill the cache
    cert = Certification.objects.get(slug="google-professional-data-engineer")
    cert.name = "Google Cloud Professional Data Engineer (renamed)"
    cert.save()
    assert "(renamed)" in client.get("/certifications/").content.decode()
    role = cert.roles.get(slug="data-engineer")
    role.summary = "A summary edited in admin."
    role.save()
    assert "A summary edited in admin." in client.get("/").content.decode()
    from roadmap.models import Skill

    Skill.objects.get(slug="rag").prerequisites.clear()
    assert "Nothing: you can start here." in client.get("/skills/rag/").content.decode()


def test_the_cached_pages_hold_no_user_data(alice_client):
    from django.test import Client

    assert "Sign out" in alice_client.get("/").content.decode()  # alice fills the cache
    html = Client().get("/").content.decode()
    assert "Sign in" in html
    assert "alice" not in html
    assert "Sign out" not in html


def test_a_source_checked_over_a_year_ago_is_shown_as_possibly_stale(client):
    import datetime

    from django.utils import timezone

    guide = Source.objects.get(slug="guide")
    html = client.get("/roles/senior-ai-engineer/").content.decode()
    assert "possibly out of date" not in html
    guide.checked_on = timezone.localdate() - datetime.timedelta(days=400)
    guide.save()
    for url in ("/roles/senior-ai-engineer/", "/sources/", "/certifications/aws-ml-specialty/"):
        assert "possibly out of date: checked over a year ago" in client.get(url).content.decode()
    fresh = Source.objects.get(slug="certqna-aws-mls-c01")
    sources = client.get("/sources/").content.decode()
    certqna = sources[sources.index(f'id="source-{fresh.slug}"') :]
    assert "possibly out of date" not in certqna[: certqna.index("</article>")]


def test_the_site_has_an_icon(client):
    html = page(client, reverse("roadmap:home"))
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    response = client.get("/static/favicon.svg")
    assert response.status_code == 200
    assert b"<svg" in b"".join(response.streaming_content)


def test_skills_are_listed_alphabetically_whatever_their_case(client):
    html = page(client, reverse("roadmap:skills"))
    frameworks = html[html.index("Machine learning frameworks") :]
    names = ["PyTorch", "scikit-learn", "TensorFlow"]
    positions = [frameworks.index(f">{name}</a>") for name in names]
    assert positions == sorted(positions)


def test_the_level_filter_offers_only_levels_some_certification_has(client):
    Certification.objects.filter(level="foundational").delete()
    html = page(client, reverse("roadmap:certifications"))
    select = html[html.index('name="level"') : html.index("</select>", html.index('name="level"'))]
    assert "Professional" in select
    assert "Foundational" not in select


def test_the_sources_page_names_no_path_in_a_repository(client):
    html = page(client, reverse("roadmap:sources"))
    assert "shared/" not in html and "seed" not in html


def test_the_guide_is_named_for_what_it_is(client):
    role = " ".join(page(client, reverse("roadmap:role", args=["senior-ai-engineer"])).split())
    assert "the 2026 guide this catalogue starts from, publisher not named" in role
    assert "read 28 Nov 2026" in role
    assert "Not named in the guide" not in role
    sources = " ".join(page(client, reverse("roadmap:sources")).split())
    guide = sources[sources.index('id="source-guide"') :][:1500]
    assert "publisher not named" in guide
    assert "Why a third-party report: nobody stands behind it by name" in guide


def test_the_certification_filter_varies_on_the_history_restore_header(client):
    vary = client.get("/certifications/")["Vary"]
    assert "HX-Request" in vary and "HX-History-Restore-Request" in vary
