"""Every fact a claim: sources with tiers, conflicts shown, pay in context (issue 10)."""

import datetime
import io
import json
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from roadmap.loading import CatalogueError, load_catalogue
from roadmap.models import Certification, Claim, Role, Source

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
    html = page(client, reverse("roadmap:certification", args=["iapp-aigp"]))
    length = fact(html, "Exam length")
    assert "Sources disagree: 180 minutes or 165 minutes." in length
    assert length.index("Official source:") < length.index("Third-party report:")


def test_exam_time_and_seat_time_are_one_rule_not_a_dispute(client):
    html = page(client, reverse("roadmap:certification", args=["azure-ai-engineer-associate"]))
    length = fact(html, "Exam length</dt>")
    assert "100 minutes" in length and "Sources disagree" not in length
    seat = fact(html, "Exam length: Seat time")
    assert "120 minutes" in seat and "Sources disagree" not in seat
    assert "Official source:" in seat and "CertQuests" in seat
    assert "Sources disagree" not in html


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


def fact_names(html):
    """The facts a page lists, in their order, as their <dt> reads."""
    facts = html[html.index('<dl class="facts claims-list">') :]
    facts = facts[: facts.index("</dl>")]
    return [" ".join(name.split()) for name in re.findall(r"<dt>(.*?)</dt>", facts, re.S)]


def test_a_certification_lists_its_facts_in_order_even_those_no_source_gives(client):
    html = page(client, reverse("roadmap:certification", args=["ckad"]))
    assert fact_names(html) == [
        "Exam cost",
        "Exam length",
        "Questions",
        "Passing score",
        "Valid for",
        "Renewal",
    ]
    for missing in ("Exam length", "Questions", "Passing score", "Renewal"):
        assert "No sourced figure yet." in fact(html, missing), missing
    assert "No sourced figure yet." not in fact(html, "Exam cost")


def test_a_fact_for_one_region_names_its_region(client):
    html = page(client, reverse("roadmap:certification", args=["azure-ai-engineer-associate"]))
    assert fact_names(html)[:3] == [
        "Exam cost (United States)",
        "Exam length",
        "Exam length: Seat time",
    ]


def test_a_skill_lists_its_facts_in_the_order_of_their_kind_not_alphabetically(client):
    html = page(client, reverse("roadmap:skill", args=["eu-ai-act"]))
    kinds = [name.split(":")[0] for name in fact_names(html)]
    assert kinds == ["Applies from"] * 7 + ["Published", "Adopted", "Adopted", "In force"]


def test_an_official_figure_added_later_is_still_listed_first(client):
    official = Source.objects.create(
        slug="cncf-ckad",
        title="CKAD",
        publisher="CNCF",
        kind="official",
        checked_on=datetime.date(2026, 12, 1),
    )
    Claim.objects.create(
        slug="ckad-cost-cncf",
        certification=Certification.objects.get(slug="ckad"),
        attribute=Claim.Attribute.COST,
        amount=445,
        unit="USD",
        source=official,
    )
    cost = fact(page(client, reverse("roadmap:certification", args=["ckad"])), "Exam cost")
    assert cost.index("Official source:") < cost.index("Third-party report:")


def test_a_facts_history_lists_the_oldest_value_first_whatever_order_it_was_recorded_in(
    client,
):
    ckad = Certification.objects.get(slug="ckad")
    source = Source.objects.get(slug="examcert-ckad-2026")

    def launch(slug, day, **change):
        return Claim.objects.create(
            slug=f"ckad-launch-{slug}",
            certification=ckad,
            attribute=Claim.Attribute.LAUNCH,
            on_date=datetime.date.fromisoformat(day),
            source=source,
            **change,
        )

    # Recorded out of order: two old dates on the same day, then an older one.
    first_in_march = launch("a", "2025-03-01")
    second_in_march = launch("b", "2025-03-01")
    june = launch("c", "2024-06-01")
    launch("d", "2026-01-01", supersedes=second_in_march, change="the third notice")
    launch("e", "2026-01-01", supersedes=first_in_march, change="the second notice")
    launch("f", "2027-01-01", supersedes=june, change="the first notice")
    launched = fact(page(client, reverse("roadmap:certification", args=["ckad"])), "Launched")
    history = launched[launched.index('class="claims history"') :]
    assert re.findall(r"changed by (the \w+ notice)", history) == [
        "the first notice",
        "the second notice",
        "the third notice",
    ]


@pytest.mark.parametrize(
    ("slug", "cost", "length", "validity"),
    [
        ("azure-ai-engineer-associate", "USD 165", "100 minutes", "1 year"),
        ("azure-ai-apps-agents-developer-associate", None, "100 minutes", "1 year"),
        ("aws-ml-engineer-associate", None, "130 minutes", "3 years"),
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
    else:
        assert "No sourced figure yet." in fact(html, "Exam cost")
    assert length in fact(html, "Exam length")
    assert validity in fact(html, "Valid for")


def test_the_omnibus_is_shown_as_the_current_rule_and_the_old_date_as_history(client):
    html = page(client, reverse("roadmap:skill", args=["eu-ai-act"]))
    high_risk = fact(html, "Applies from: High-risk obligations (Annex III")
    current, history = (
        " ".join(part.split()) for part in high_risk.split('class="claims history"')
    )
    assert "2 Dec 2027" in current and "2 Aug 2026" not in current
    assert "the current rule, set by Regulation (EU) 2026/1744" in current
    assert "Council of the EU figure, as relayed by Pubaffairs Bruxelles" in current
    assert "tzun.ai" in current
    was = " ".join(history.split())
    assert 'Was <span class="claim-value old-value">2 Aug 2026</span>' in was
    assert "changed by Regulation (EU) 2026/1744 (the Digital Omnibus on AI)." in was
    assert "GFMD" in was
    assert "Sources disagree" not in html
    assert "2 Aug 2028" in fact(html, "Applies from: High-risk obligations (Annex I:")
    assert "2 Dec 2026" in fact(html, "Applies from: New prohibited practices")
    assert "27 Jul 2026" in fact(html, "In force: Regulation (EU) 2026/1744")


def test_the_ai_literacy_duty_shows_its_new_wording_and_its_unchanged_date(client):
    html = page(client, reverse("roadmap:skill", args=["ai-literacy"]))
    rule = fact(html, "The rule: AI literacy duty (Article 4)")
    current, history = rule.split('class="claims history"')
    assert "take measures to support" in current and "no particular level" in current
    assert "keep the duty, in a softened form" in current
    assert "sufficient level" not in current and "sufficient level" in history
    assert "Sources disagree" not in html
    assert "2 Feb 2025" in fact(html, "Applies from: AI literacy duty (Article 4)")
    assert "2 Aug 2026" not in html


def test_a_superseded_claim_is_history_never_a_conflict():
    from roadmap import facts

    old = Claim.objects.get(slug="eu-ai-act-high-risk-gfmd")
    assert old.superseded_by.change.startswith("Regulation (EU) 2026/1744")
    claims = Claim.objects.filter(skill__slug="eu-ai-act").select_related("source")
    assert facts.conflicts(claims) == []
    (high_risk,) = [f for f in facts.group(claims) if f.topic.endswith("(Annex III systems)")]
    assert [(o.slug, n.slug) for o, n in high_risk.history] == [
        ("eu-ai-act-high-risk-gfmd", "eu-ai-act-high-risk-omnibus-pubaffairs")
    ]
    assert old not in high_risk.claims


def test_a_superseding_claim_names_the_change_and_the_same_fact():
    old = Claim.objects.get(slug="eu-ai-act-high-risk-gfmd")
    other_topic = Claim.objects.get(slug="eu-ai-act-gpai-sipoch")
    new = Claim(
        slug="x",
        skill=old.skill,
        attribute=old.attribute,
        topic=old.topic,
        source=old.source,
        on_date="2030-01-01",
        supersedes=other_topic,
    )
    with pytest.raises(ValidationError) as error:
        new.full_clean(validate_unique=False)
    assert set(error.value.message_dict) == {"supersedes", "change"}
    new.supersedes = Claim.objects.get(slug="ai-literacy-rule-euai-act")
    new.change = "A law"
    with pytest.raises(ValidationError, match="same subject"):
        new.full_clean(validate_unique=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(
            slug="y",
            skill=old.skill,
            attribute=old.attribute,
            topic="t",
            source=old.source,
            on_date="2030-01-01",
            supersedes=old,
        )


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
        slug="aws-ml-engineer-associate-length-cloudaqube-aws-genai-certification"
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


def test_a_range_whose_ends_are_equal_reads_as_one_value():
    from roadmap.models.catalogue import years_range_label
    from roadmap.templatetags.facts import span

    assert (span(24, 24), span(24, 30), span(190, None)) == ("24", "24–30", "190")
    assert years_range_label(3, 3) == "3 years"
    assert years_range_label(1, 1) == "1 year"
    assert years_range_label(2, 4) == "2–4 years"
    claim = Claim(amount=Decimal("50"), amount_high=Decimal("50"), unit="questions")
    assert claim.value_label == "50 questions"
    claim.amount_high = Decimal("65")
    assert claim.value_label == "50–65 questions"


# ------------------------------------------------- certifications of December 2026

NEW_CERTIFICATIONS = {
    # slug: (exam code, a value each page shows, the label of that fact)
    "aws-ai-practitioner": ("AIF-C01", "USD 100", "Exam cost"),
    "databricks-genai-engineer-associate": ("", "45 questions", "Questions"),
    "databricks-ml-associate": ("", "48 questions", "Questions"),
    "databricks-ml-professional": ("", "59 questions", "Questions"),
    "nvidia-genai-llm-associate": ("NCA-GENL", "60 minutes", "Exam length"),
    "nvidia-genai-llm-professional": ("NCP-GENL", "USD 400", "Exam cost"),
    "iapp-aigp": ("AIGP", "100 questions", "Questions"),
    "cka": ("CKA", "24 months", "Valid for"),
    "ckad": ("CKAD", "24 months", "Valid for"),
    "azure-ai-fundamentals-ai-900": ("AI-900", "USD 99", "Exam cost"),
    "azure-ai-fundamentals-ai-901": ("AI-901", "Does not expire", "Valid for"),
    "azure-mlops-engineer-associate": ("AI-300", "1 year", "Valid for"),
    "snowpro-specialty-genai": ("GES-C01", "USD 375", "Exam cost"),
    "tensorflow-developer-certificate": ("", "1 May 2024", "Retirement"),
}


@pytest.mark.parametrize("slug", sorted(NEW_CERTIFICATIONS))
def test_each_new_certification_shows_its_sourced_facts_with_their_tiers(client, slug):
    code, value, label = NEW_CERTIFICATIONS[slug]
    html = page(client, reverse("roadmap:certification", args=[slug]))
    shown = fact(html, label)
    assert value in shown
    assert 'class="tier tier-' in shown
    claims = html.split('<li class="claim">')[1:]
    assert claims and all('class="tier tier-' in c[: c.index("</li>")] for c in claims)
    if code:
        assert f"<dd>{code}</dd>" in html
    assert "Skills it covers" in html and "None listed." not in html.split("Skills it covers")[1]


def test_the_new_certifications_link_their_official_page_where_one_was_seen(client):
    from roadmap.models import Certification

    official = dict(Certification.objects.filter(url__gt="").values_list("slug", "url"))
    for slug in ("aws-ai-practitioner", "databricks-genai-engineer-associate", "iapp-aigp", "cka"):
        assert official[slug].startswith("https://")
        assert official[slug] in page(client, reverse("roadmap:certification", args=[slug]))


def test_the_aws_exams_have_their_codes_and_mla_no_cost_from_another_exams_page(client):
    html = page(client, reverse("roadmap:certifications"))
    for code in ("MLA-C01", "AIP-C01", "AIF-C01"):
        assert f"<dd>{code}</dd>" in html
    assert not Claim.objects.filter(
        certification__slug="aws-ml-engineer-associate", attribute=Claim.Attribute.COST
    ).exists()


def test_google_pmle_shows_its_2026_exam_change(client):
    html = page(client, reverse("roadmap:certification", args=["google-professional-ml-engineer"]))
    assert "1 Jun 2026" in fact(html, "Launched: New exam version")
    assert "Gemini Enterprise Agent Platform" in fact(html, "The rule: New exam version")


def test_a_retired_exam_points_to_its_successor(client):
    html = page(client, reverse("roadmap:certification", args=["azure-ai-fundamentals-ai-900"]))
    assert "This certification is retired" in html
    assert "Microsoft Certified: Azure AI Fundamentals (exam AI-901)" in html


# ---------------------------------------------------------------- the sources page


def test_a_category_of_certifications_is_not_shown_as_an_active_certificate(client):
    for url in (
        reverse("roadmap:certification", args=["llmops-trustworthy-ai"]),
        reverse("roadmap:certifications"),
    ):
        html = page(client, url)
        item = html[html.index("<dt>Status</dt>") :] if "cert-card" not in html else ""
        if not item:
            item = html[html.index('id="cert-llmops-trustworthy-ai"') :]
            item = item[: item.index("</article>")]
        item = item[: item.index("</dl>")]
        assert "Category, not a certificate" in item
        assert "badge-active" not in item and ">Active<" not in item


def test_the_sources_page_never_says_not_recorded_beside_a_title_or_a_link(client):
    html = page(client, reverse("roadmap:sources"))
    for card in html.split('<article class="source-card"')[1:]:
        heading = card[: card.index("</h2>")]
        assert "not recorded" not in heading
        if "<a href=" in heading:
            assert "link was not recorded" not in card
            assert "link not recorded" not in card
    assert Source.objects.filter(title__icontains="not recorded").count() == 0


def test_the_sources_page_shows_each_pay_figures_occupation_proxy_region_and_year(client):
    html = page(client, reverse("roadmap:sources"))
    items = [" ".join(i.split()) for i in html.split('<li class="cited-claim">')[1:]]
    pay = [i[: i.index("</li>")] for i in items if i.startswith("Pay")]
    assert len(pay) == Claim.objects.filter(attribute=Claim.Attribute.SALARY).count() > 0
    for item in pay:
        assert "occupation: " in item
        assert "a proxy: the closest official occupation" in item or "not a proxy" in item
        assert "data from " in item or "year not stated" in item
    proxy = next(i for i in pay if "Database architects" in i)
    assert "a proxy: the closest official occupation, not the role itself" in proxy
    assert "United States" in proxy and "data from May 2024" in proxy


def test_the_sources_page_marks_a_superseded_claim(client):
    html = " ".join(page(client, reverse("roadmap:sources")).split())
    card = html[html.index('id="source-gfmd-eu-ai-act-documents"') :]
    card = card[: card.index("</article>")]
    assert "(no longer the rule: changed by Regulation (EU) 2026/1744" in card


def test_a_moment_is_stored_as_an_instant_and_shown_in_the_zone_of_that_day(client):
    import datetime

    from django.core.exceptions import ValidationError

    claim = Claim.objects.get(
        slug="azure-ai-engineer-associate-retirement-examinotion-ai-102-retirement"
    )
    # 11:59 PM in Chicago on 30 June is summer time: 04:59 UTC the next day.
    assert claim.instant.astimezone(datetime.UTC) == datetime.datetime(
        2026, 7, 1, 4, 59, tzinfo=datetime.UTC
    )
    html = page(client, reverse("roadmap:certification", args=["azure-ai-engineer-associate"]))
    assert "30 Jun 2026, 11:59 PM CDT (UTC−05:00)" in html
    assert "Central Standard Time" not in html
    # The same time in winter is standard time.
    winter = Claim(on_date=datetime.date(2026, 1, 15), at_time=datetime.time(23, 59))
    winter.time_zone = "America/Chicago"
    assert winter.value_label == "15 Jan 2026, 11:59 PM CST (UTC−06:00)"
    for bad in (
        {"time_zone": "Central Standard Time"},
        {"time_zone": ""},
    ):
        wrong = Claim(
            certification=claim.certification,
            attribute=claim.attribute,
            source=claim.source,
            on_date=claim.on_date,
            at_time=claim.at_time,
            slug="wrong-zone",
            **bad,
        )
        with pytest.raises(ValidationError):
            wrong.full_clean()
