"""Every fact a claim: sources with tiers, conflicts shown, pay in context (issue 10)."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from roadmap.catalogue import CatalogueError, load_catalogue
from roadmap.models import Claim, Role, Source

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def fact(html, label):
    """The <dd> of one fact on a page."""
    start = html.index(f"<dt>{label}")
    return html[start : html.index("</dd>", start)]


# ------------------------------------------------------------------ conflicts, tiers


def test_a_conflict_shows_every_value_each_with_its_source(client):
    html = page(client, reverse("roadmap:certification", args=["aws-ml-engineer-associate"]))
    length = fact(html, "Exam length")
    assert "Sources disagree: 130 minutes or 170 minutes." in length
    assert "Jayendra" in length and "CloudaQube" in length
    assert length.count('<li class="claim">') == 3


def test_official_sources_come_first_in_a_conflict(client):
    html = page(client, reverse("roadmap:certification", args=["azure-ai-engineer-associate"]))
    length = fact(html, "Exam length")
    assert "Sources disagree: 100 minutes or 120 minutes." in length
    assert length.index("Official source:") < length.index("Third-party report:")


def test_every_claim_on_a_page_names_its_tier_in_words(client):
    for slug in ("aws-genai-developer-professional", "google-professional-data-engineer"):
        html = page(client, reverse("roadmap:certification", args=[slug]))
        claims = html.split('<li class="claim">')[1:]
        assert len(claims) >= 8
        for item in claims:
            item = item[: item.index("</li>")]
            assert 'class="tier tier-' in item
            assert any(
                words in item
                for words in ("Official source:", "Third-party report", "The guide", "relayed by")
            )


def test_wordings_of_one_rule_are_not_called_a_conflict(client):
    html = page(client, reverse("roadmap:certification", args=["azure-ai-engineer-associate"]))
    renewal = fact(html, "Renewal")
    assert "A free online renewal assessment" in renewal
    assert "Sources disagree" not in renewal


def test_a_fact_no_source_gives_says_so(client):
    html = page(
        client, reverse("roadmap:certification", args=["azure-ai-apps-agents-developer-associate"])
    )
    assert "No sourced figure yet." in fact(html, "Exam cost")
    assert "100 minutes" in fact(html, "Exam length")


@pytest.mark.parametrize(
    ("slug", "cost", "length", "validity"),
    [
        ("azure-ai-engineer-associate", "USD 165", "100 minutes", "1 year"),
        ("azure-ai-apps-agents-developer-associate", None, "100 minutes", "1 year"),
        ("aws-ml-engineer-associate", "USD 150", "130 minutes", "3 years"),
        ("aws-genai-developer-professional", "USD 300", "170 minutes", "3 years"),
        ("aws-ml-specialty", "USD 300", "170 minutes", "3 years"),
        ("google-professional-ml-engineer", "USD 200", "120 minutes", "2 years"),
        ("google-professional-data-engineer", "USD 200", "120 minutes", "2 years"),
    ],
)
def test_the_seven_exams_show_cost_length_and_validity_where_known(
    client, slug, cost, length, validity
):
    html = page(client, reverse("roadmap:certification", args=[slug]))
    if cost:
        assert cost in fact(html, "Exam cost")
    assert length in fact(html, "Exam length")
    assert validity in fact(html, "Valid for")


def test_a_disputed_date_in_law_is_shown_as_disputed(client):
    html = page(client, reverse("roadmap:skill", args=["eu-ai-act"]))
    high_risk = fact(html, "Applies from: High-risk obligations")
    assert "Sources disagree: 2 Aug 2026 or 2 Dec 2027." in high_risk
    assert "tzun.ai" in high_risk and "GFMD" in high_risk


# ------------------------------------------------------------------------- pay


def test_a_proxy_figure_is_never_shown_unlabelled(client):
    proxies = Claim.objects.filter(is_proxy=True).select_related("role")
    assert proxies.count() >= 6
    for claim in proxies:
        html = page(client, f"{claim.role.get_absolute_url()}?region={claim.country}")
        figure = html.index(claim.figure_label)
        box = html[figure : html.index("</div>", figure)]
        assert "Not this role's own pay:" in box, claim.slug
        assert f"the closest official occupation,\n    “{claim.occupation}”" in box


def test_every_role_page_shows_a_pay_figure_with_kind_year_region_and_tier(client):
    for role in Role.objects.all():
        html = page(client, role.get_absolute_url())
        salary = html[html.index('id="salary-heading"') : html.index("</section>")]
        assert "No sourced figure yet." not in salary, role.slug
        assert "United States" in salary or "San Francisco" in salary
        assert "<cite" in salary
        assert any(word in salary for word in ("median", "over", "average", "percentile"))


def test_data_older_than_2025_shows_its_year(client):
    html = page(client, reverse("roadmap:role", args=["data-scientist"]))
    old = html.index("median USD 108,020")
    assert "data for May 2023, before 2025" in html[old : html.index("</div>", old)]
    assert "Official BLS figure, as relayed by startrightcareers.com" in html
    html = page(client, reverse("roadmap:role", args=["ai-engineer"]))
    recent = html.index("median USD 246,250")
    assert "before 2025" not in html[recent : html.index("</div>", recent)]


def test_a_range_says_what_kind_of_range_it_is(client):
    html = page(client, reverse("roadmap:role", args=["ml-engineer"]))
    assert "USD 120,555–397,710 a year (range)" in html
    assert "the source does not say when the data is from" in html


# ------------------------------------------------------------------ the top rungs


@pytest.mark.parametrize("slug", ["head-of-ai", "ai-architect"])
def test_the_top_rungs_add_at_least_four_sourced_skills(slug):
    role = Role.objects.get(slug=slug)
    sourced = [rs.skill for rs in role.role_skills.all() if rs.skill.why_source_id]
    assert len(sourced) >= 4
    for skill in sourced:
        assert skill.why_it_matters


def test_head_of_ai_shows_its_sourced_responsibilities(client):
    html = page(client, reverse("roadmap:role", args=["head-of-ai"]))
    assert "Manage AI budgets" in html
    assert "AI strategy" in html
    assert "Chief AI Officers cut through complexity" in html


# ----------------------------------------------------------- a claim needs a source


def test_the_model_refuses_a_claim_without_a_source():
    role = Role.objects.get(slug="data-analyst")
    claim = Claim(slug="x", role=role, attribute="salary", amount=1, unit="USD")
    with pytest.raises(ValidationError) as error:
        claim.full_clean()
    assert "source" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        claim.save()


def test_the_model_refuses_a_proxy_without_its_occupation_and_a_pay_figure_without_kind():
    source = Source.objects.get(slug="guide")
    role = Role.objects.get(slug="data-analyst")
    claim = Claim(slug="x", role=role, attribute="salary", amount=1, unit="USD", source=source)
    with pytest.raises(ValidationError) as error:
        claim.full_clean()
    assert "figure_kind" in error.value.message_dict
    claim.figure_kind, claim.is_proxy = "median", True
    with pytest.raises(ValidationError, match="names the official occupation"):
        claim.full_clean()


def test_admin_refuses_a_claim_without_a_source(admin_client):
    role = Role.objects.get(slug="data-analyst")
    response = admin_client.post(
        reverse("admin:roadmap_claim_add"),
        {"slug": "no-source", "role": role.pk, "attribute": "cost", "amount": "10", "unit": "USD"},
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Claim.objects.filter(slug="no-source").exists()


def test_the_loader_refuses_a_claim_without_a_source(tmp_path):
    fixture = tmp_path / "bad.json"
    fixture.write_text(
        json.dumps(
            [
                {
                    "model": "roadmap.claim",
                    "fields": {
                        "slug": "no-source",
                        "role": ["data-analyst"],
                        "attribute": "cost",
                        "amount": 10,
                        "unit": "USD",
                    },
                }
            ]
        )
    )
    with pytest.raises(CatalogueError, match=r"bad.json, record 1 \(roadmap.claim\): source"):
        load_catalogue([fixture])
    assert not Claim.objects.filter(slug="no-source").exists()


def test_an_admin_edit_to_a_claim_survives_a_reload():
    claim = Claim.objects.get(
        slug="aws-ml-engineer-associate-cost-cloudaqube-aws-genai-certification"
    )
    claim.qualifier = "checked again by an admin"
    claim.save()
    out = io.StringIO()
    call_command("load_catalogue", stdout=out)
    claim.refresh_from_db()
    assert claim.qualifier == "checked again by an admin"
    assert "roadmap.claim" in out.getvalue()


def test_reloading_the_catalogue_changes_nothing():
    out = io.StringIO()
    call_command("load_catalogue", stdout=out)
    assert "Added: 0" in out.getvalue() and "Updated: 0" in out.getvalue()


# -------------------------------------------------------------------------- admin


@pytest.mark.parametrize(
    ("look", "inside", "outside"),
    [
        (
            "conflicts",
            "aws-ml-engineer-associate-length-cloudaqube-aws-genai-certification",
            "google-professional-ml-engineer-cost-golearnquiz-pmle",
        ),
        (
            "third_party_only",
            "google-professional-ml-engineer-cost-golearnquiz-pmle",
            "google-professional-ml-engineer-validity-google-cloud-certification-faq",
        ),
        ("old_data", "data-scientist-pay-bls-2023", "ai-engineer-pay-builtin-sf-2026"),
    ],
)
def test_admin_filters_claims_that_need_a_look(admin_client, look, inside, outside):
    html = page(admin_client, reverse("admin:roadmap_claim_changelist") + f"?look={look}")
    assert inside in html
    assert outside not in html


@pytest.mark.parametrize(
    ("model", "slug"),
    [("certification", "aws-ml-specialty"), ("role", "data-scientist"), ("skill", "eu-ai-act")],
)
def test_claims_are_edited_inline_with_their_source(admin_client, model, slug):
    from django.apps import apps

    obj = apps.get_model("roadmap", model).objects.get(slug=slug)
    html = page(admin_client, reverse(f"admin:roadmap_{model}_change", args=[obj.pk]))
    assert 'name="claims-0-source"' in html
    assert 'name="claims-0-amount"' in html


# ------------------------------------------------------------------- provenance


def fixture_urls():
    for path in sorted((ROOT / "fixtures").glob("*.json")):
        for record in json.loads(path.read_text()):
            url = record["fields"].get("url")
            if url:
                yield path.name, record["fields"].get("slug") or record["fields"]["title"], url


def test_every_url_in_the_fixtures_comes_from_the_research_record():
    allowed = {
        line.strip()
        for line in (ROOT / "tests" / "data" / "allowed_urls.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    invented = [(f, key, url) for f, key, url in fixture_urls() if url not in allowed]
    assert invented == []


def test_no_mirror_or_proxy_host_is_published_as_a_link():
    hosts = ("workers.dev", "rproxy", "govskope")
    assert [url for _, _, url in fixture_urls() if any(h in url for h in hosts)] == []


# ----------------------------------------------------------------- the migration


MIGRATE_SCRIPT = """
import django, datetime
django.setup()
from django.core.management import call_command
from django.db.migrations.executor import MigrationExecutor
from django.db import connection
call_command("migrate", "roadmap", "0007", verbosity=0)
call_command("migrate", "accounts", verbosity=0)
state = ("roadmap", "0007_user_data_protected")
apps = MigrationExecutor(connection).loader.project_state(state).apps
Source = apps.get_model("roadmap", "Source")
Role = apps.get_model("roadmap", "Role")
Certification = apps.get_model("roadmap", "Certification")
CertificationSource = apps.get_model("roadmap", "CertificationSource")
SalaryBand = apps.get_model("roadmap", "SalaryBand")
today = datetime.date(2026, 11, 28)
guide = Source.objects.create(slug="guide", title="Guide", publisher="-", checked_on=today,
                              kind="guide")
report = Source.objects.create(slug="report", title="Report", publisher="-", checked_on=today,
                               kind="third_party")
cert = Certification.objects.create(slug="c", name="C", provider="P", level="associate",
    cost=300, currency="USD", exam_minutes=170, exam_questions=65,
    validity="One year, like every associate certification", renewal="A free assessment")
CertificationSource.objects.create(certification=cert, source=guide, supports="name")
CertificationSource.objects.create(certification=cert, source=report,
                                   supports="65 questions; USD 300; 170 minutes")
role = Role.objects.create(slug="r", title="R", kind="adjacent", summary="-")
SalaryBand.objects.create(slug="r-median", role=role, region="United States", currency="USD",
    figure_kind="median", amount=110000, years_min=0, years_max=2, population="entry level",
    as_of=today, source=guide)
call_command("migrate", "roadmap", verbosity=0)
from roadmap.models import Claim
for c in Claim.objects.order_by("slug"):
    print(c.slug, c.attribute, c.value_label, c.source.slug, c.population, c.data_year)
"""


def test_the_migration_keeps_every_value_and_its_source(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'old.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", MIGRATE_SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines() == [
        "c-cost-report cost USD 300 report  None",
        "c-length-report exam_minutes 170 minutes report  None",
        "c-questions-report questions 65 questions report  None",
        "c-renewal-guide renewal A free assessment guide  None",
        "c-validity-guide validity 1 year guide  None",
        "r-median salary USD 110,000 guide entry level, 0–2 years 2026",
    ]
