"""Open data: the JSON API's shape, caching headers and CORS; JSON-LD; the sitemap."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roadmap.models import Certification, Role, Skill

pytestmark = pytest.mark.django_db

LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"

# The published shape: adding a field is fine, renaming or dropping one breaks clients,
# so these lists change only with a new API version.
CLAIM_FIELDS = {
    "slug", "fact", "fact_label", "topic", "value", "amount", "amount_high", "unit",
    "on_date", "text", "qualifier", "figure_kind", "region", "population", "occupation",
    "is_proxy", "data_year", "period", "source", "supersedes", "change",
}  # fmt: skip
SHAPES = {
    "certifications": {
        "slug", "name", "provider", "level", "exam_code", "url", "summary", "status",
        "retires_on", "successors", "skills", "roles", "claims", "sources", "page", "changes",
    },
    "roles": {
        "slug", "title", "kind", "rank", "alternative_titles", "years_min", "years_max",
        "years_estimated", "summary", "responsibilities", "next_roles", "skills", "claims",
        "sources", "page", "changes",
    },
    "skills": {
        "slug", "name", "area", "summary", "why_it_matters", "why_source", "prerequisites",
        "effort_hours_low", "effort_hours_high", "claims", "page", "changes",
    },
    "sources": {
        "slug", "title", "publisher", "url", "kind", "tier", "relays", "published_on",
        "checked_on", "page",
    },
}  # fmt: skip


def get_json(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response["Content-Type"].startswith("application/json"), url
    return response, json.loads(response.content)


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_every_list_has_the_published_shape_and_the_licence(client, name):
    response, data = get_json(client, f"/api/v1/{name}/")
    assert response.status_code == 200
    assert set(data) == {"licence", "catalogue_version", "count", "items"}
    assert data["licence"]["url"] == LICENCE_URL
    assert response["Link"] == f'<{LICENCE_URL}>; rel="license"'
    assert data["count"] == len(data["items"]) > 0
    for item in data["items"]:
        assert set(item) == SHAPES[name], item.get("slug")
        for claim in item.get("claims", []):
            assert set(claim) == CLAIM_FIELDS
            assert claim["source"]  # every figure names its source


def test_a_certification_carries_its_lifecycle_claims_and_sources(client):
    _, data = get_json(client, "/api/v1/certifications/aws-ml-specialty/")
    assert data["status"] == "retired"
    assert data["retires_on"] == "2026-03-31"
    assert data["successors"]
    _, retired = get_json(client, "/api/v1/certifications/?status=retired")
    assert "aws-ml-specialty" in {c["slug"] for c in retired["items"]}
    assert {c["status"] for c in retired["items"]} == {"retired"}
    _, sources = get_json(client, "/api/v1/sources/")
    known = {s["slug"] for s in sources["items"]}
    assert {s["source"] for s in data["sources"]} <= known
    assert {c["source"] for c in data["claims"]} <= known


def test_the_api_answers_304_while_the_catalogue_is_unchanged(client):
    first, _ = get_json(client, "/api/v1/certifications/")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag and modified
    again = client.get("/api/v1/certifications/", headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    since = client.get("/api/v1/certifications/", headers={"if-modified-since": modified})
    assert since.status_code == 304

    cert = Certification.objects.get(slug="google-professional-data-engineer")
    cert.exam_code = "PDE-2"
    cert.save()
    changed = client.get("/api/v1/certifications/", headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "PDE-2" in changed.content.decode()


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/certifications/does-not-exist/", 404),
        ("/api/v1/roles/does-not-exist/", 404),
        ("/api/v1/skills/does-not-exist/", 404),
        ("/api/v1/certifications/?status=everlasting", 422),
        ("/api/v1/roles/?kind=sideways", 422),
        ("/api/v1/skills/?area=nowhere", 400),
        ("/api/v1/certifications/?provider=Nobody", 400),
    ],
)
def test_only_a_200_answer_becomes_a_304(client, url, status):
    current = client.get("/api/v1/certifications/")
    etag, modified = current["ETag"], current["Last-Modified"]
    for headers in ({"if-none-match": etag}, {"if-modified-since": modified}):
        response = client.get(url, headers=headers)
        assert response.status_code == status, headers
        assert json.loads(response.content)["detail"]
        assert not response.has_header("ETag")
    # The same validators on a valid request still save the download.
    valid = url.split("?")[0] if "?" in url else "/api/v1/certifications/"
    assert client.get(valid, headers={"if-none-match": etag}).status_code == 304


def test_errors_are_json_with_a_reason_and_carry_no_validators(client):
    response, data = get_json(client, "/api/v1/certifications/no-such-thing/")
    assert response.status_code == 404 and data["detail"]
    assert not response.has_header("ETag")
    response, data = get_json(client, "/api/v1/certifications/?status=everlasting")
    assert response.status_code == 422
    assert data["detail"][0]["loc"] == ["query", "status"]
    response, data = get_json(client, "/api/v1/skills/?area=nowhere")
    assert response.status_code == 400 and "area" in data["detail"]


def test_any_site_may_read_it_with_get_but_not_write(client):
    response = client.get("/api/v1/roles/", headers={"origin": "https://example.org"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    preflight = client.options(
        "/api/v1/roles/",
        headers={
            "origin": "https://example.org",
            "access-control-request-method": "GET",
        },
    )
    assert preflight.status_code == 200
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Credentials" not in preflight
    assert client.post("/api/v1/roles/").status_code == 405
    # The rest of the site is not opened to other origins.
    page = client.get("/roles/", headers={"origin": "https://example.org"})
    assert "Access-Control-Allow-Origin" not in page


def test_the_openapi_document_describes_every_path(client):
    response, doc = get_json(client, "/api/v1/openapi.json")
    assert doc["openapi"].startswith("3.")
    assert set(doc["paths"]) == {
        "/api/v1/",
        "/api/v1/certifications/",
        "/api/v1/certifications/{slug}/",
        "/api/v1/roles/",
        "/api/v1/roles/{slug}/",
        "/api/v1/skills/",
        "/api/v1/skills/{slug}/",
        "/api/v1/sources/",
    }
    schemas = doc["components"]["schemas"]
    assert set(schemas["CertificationOut"]["properties"]) == SHAPES["certifications"]
    assert set(schemas["ClaimOut"]["properties"]) == CLAIM_FIELDS
    statuses = schemas["CertificationOut"]["properties"]["status"]
    assert statuses["enum"] == ["active", "retiring", "retired"]


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    endpoint=st.sampled_from(["certifications", "roles", "skills", "sources"]),
    params=st.dictionaries(
        st.sampled_from(["status", "provider", "kind", "area", "page", "x"]),
        st.one_of(
            st.sampled_from(["active", "retired", "ladder", "Google Cloud", "llm", ""]),
            st.text(max_size=200),
        ),
        max_size=3,
    ),
)
def test_any_query_string_is_answered_or_refused_never_a_500(client, endpoint, params):
    cache.clear()
    response = client.get(f"/api/v1/{endpoint}/", params)
    assert response.status_code in (200, 400, 422)
    data = json.loads(response.content)
    if response.status_code == 200:
        assert data["count"] == len(data["items"])
    else:
        assert data["detail"]


# --------------------------------------------------------------------------- JSON-LD


def json_ld(client, url):
    page = client.get(url).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1, url
    return json.loads(blocks[0])


# Google's required properties for salary estimates and the schema.org types' own names;
# a distribution also needs one sourced figure (no 10th/90th percentile is ever invented).
def test_a_role_with_its_own_sourced_pay_is_an_occupation_with_estimated_salary(client):
    data = json_ld(client, "/roles/junior-ai-engineer/")
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Occupation"
    assert data["name"] == "Junior AI Engineer"
    assert data["occupationLocation"] == [{"@type": "AdministrativeArea", "name": "United States"}]
    (salary,) = data["estimatedSalary"]
    assert salary["@type"] == "MonetaryAmountDistribution"
    assert {"name", "currency", "duration", "median"} <= set(salary)
    assert (salary["currency"], salary["duration"], salary["median"]) == ("USD", "P1Y", 110000)
    assert "source:" in salary["description"]
    for figure in ("percentile10", "percentile90"):
        assert figure not in salary


def test_a_role_with_only_proxy_pay_claims_no_salary_of_its_own(client):
    role = Role.objects.get(slug="head-of-ai")
    assert role.claims.filter(attribute="salary", is_proxy=True).exists()
    data = json_ld(client, role.get_absolute_url())
    assert data["@type"] == "Occupation" and data["name"] == role.title
    assert "estimatedSalary" not in data and "occupationLocation" not in data


def test_a_certification_page_is_an_educational_occupational_credential(client):
    cert = Certification.objects.get(slug="aws-ml-engineer-associate")
    data = json_ld(client, cert.get_absolute_url())
    assert data["@type"] == "EducationalOccupationalCredential"
    assert data["name"] == cert.name
    assert data["credentialCategory"] == "certification"
    assert data["recognizedBy"] == {"@type": "Organization", "name": cert.provider}
    assert data["url"].endswith(cert.get_absolute_url())


def test_json_ld_cannot_close_its_script_element(client):
    role = Role.objects.get(slug="ai-engineer")
    role.summary = "Ends here </script><script>alert(1)</script>"
    role.save()
    data = json_ld(client, role.get_absolute_url())
    assert data["description"] == role.summary


# --------------------------------------------------------------------------- sitemap


def test_the_sitemap_lists_public_pages_only(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locs = [loc.text for loc in ET.fromstring(response.content).iter(f"{ns}loc")]
    paths = {re.sub(r"^https?://[^/]+", "", loc) for loc in locs}
    assert {"/", "/changes/", "/open-data/", "/roles/head-of-ai/", "/skills/rag/"} <= paths
    assert "/certifications/aws-ml-specialty/" in paths
    assert not any(p.startswith(("/path/", "/accounts/", "/admin/", "/teams/")) for p in paths)
    assert (
        len(paths)
        == 6 + Role.objects.count() + Skill.objects.count() + Certification.objects.count()
    )


def test_the_licence_is_on_the_sources_and_open_data_pages(client):
    for url in ("/sources/", "/open-data/"):
        page = client.get(url).content.decode()
        assert f'href="{LICENCE_URL}" rel="license"' in page, url
        assert "CC BY 4.0" in page


def test_sitemap_and_feed_links_come_from_site_url_not_the_host_header(client):
    from django.conf import settings as django_settings

    from roadmap.models import CatalogueChange

    cert = Certification.objects.get(slug="aws-ml-specialty")
    cert.summary = "A new summary, so the feed has an entry."
    cert.save()
    assert CatalogueChange.objects.exists()
    bodies = {}
    for host in ("LocalHost:9999", "localhost"):
        for url in ("/sitemap.xml", "/changes/feed/"):
            response = client.get(url, headers={"host": host})
            assert response.status_code == 200
            body = response.content.decode()
            links = re.findall(r'(?:<loc>|href=")(https?://[^<"]+)', body)
            assert links, url
            assert all(link.startswith(django_settings.SITE_URL + "/") for link in links), url
            assert "LocalHost" not in body and "9999" not in body
            bodies.setdefault(url, set()).add(body)
    # One answer whatever the Host: the feed's cache is not split by it either.
    assert all(len(variants) == 1 for variants in bodies.values())


@pytest.mark.django_db
def test_a_claim_that_replaced_another_names_it_and_the_change(client):
    _, skills = get_json(client, "/api/v1/skills/?area=strategy-governance")
    (eu,) = [s for s in skills["items"] if s["slug"] == "eu-ai-act"]
    new = next(c for c in eu["claims"] if c["slug"] == "eu-ai-act-high-risk-omnibus-pubaffairs")
    assert new["supersedes"] == "eu-ai-act-high-risk-gfmd"
    assert new["change"].startswith("Regulation (EU) 2026/1744")
