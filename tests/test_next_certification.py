"""My path: the best next certification with its reasons, and what the plan's exam fees
add up to (issue 21, item 2). The rules themselves: tests/test_choosing_logic.py."""

import re

import pytest
from django.urls import reverse

from roadmap.models import Certification, CertificationProgress, Claim, Skill, Source

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true", "HX-Current-URL": "http://testserver/path/"}
# The catalogue's answer for a Junior AI Engineer aiming at Senior AI Engineer: the MLOps
# certification covers four of the skills left, more than any other active one.
MLOPS = "azure-mlops-engineer-associate"


def path_html(client):
    return client.get(reverse("roadmap:path")).content.decode()


def text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


def next_box(html):
    """The best next certification's box, as words."""
    start = html.index('<div id="next-cert"')
    return text(html[start : html.index("</section>", start)])


def next_slug(html):
    start = html.index('<div id="next-cert"')
    box = html[start : html.index("</section>", start)]
    return re.search(r'Best next certification:\s*<a href="/certifications/([-\w]+)/">', box)[1]


def plan(user, slug, status="planned"):
    CertificationProgress.objects.create(
        user=user, certification=Certification.objects.get(slug=slug), status=status
    )


def plan_cost(html):
    start = html.index('<div class="plan-cost" id="plan-cost">')
    return text(html[start : html.index("</p>", start)])


def test_my_path_names_the_best_next_certification_and_why(alice_client, junior_to_senior):
    html = path_html(alice_client)
    assert next_slug(html) == MLOPS
    box = next_box(html)
    assert "Best next certification: Microsoft Certified: Machine Learning Operations" in box
    assert re.search(r"It covers 4 of your \d+ remaining core skills: ", box)
    assert "CI/CD for models" in box and "Drift monitoring" in box
    assert "It is not retiring: no retirement date is known." in box
    # Its cost and length: no source gives them yet, and the box says so.
    assert "Exam cost: no sourced figure yet." in box
    assert "Exam length: no sourced figure yet." in box
    # The skills link to their rows on the path.
    assert 'href="#skill-ci-cd-for-models"' in html


def test_the_reasons_give_sourced_cost_and_length_with_their_tier(alice_client, junior_to_senior):
    # Everything the MLOps certification covers is done: the next one has sourced figures.
    for slug in ("model-deployment", "ci-cd-for-models", "drift-monitoring", "cloud-platform"):
        alice_client.post(reverse("roadmap:skill_status", args=[slug]), {"status": "done"})
    html = path_html(alice_client)
    assert next_slug(html) != MLOPS
    box = next_box(html)
    assert re.search(r"Exam cost: USD [\d,]+ \((Third-party report|Official source)", box)
    assert re.search(r"Exam length: [\d,]+ minutes \(", box)


def test_the_target_it_fits_is_named(alice_client, junior_to_senior):
    # Listed for the target and covering the most: the Generative AI Developer.
    certification = Certification.objects.get(slug="aws-genai-developer-professional")
    certification.skills.add(*Skill.objects.filter(slug__in=["ci-cd-for-models", "evals"]))
    certification.skills.add(*Skill.objects.filter(slug__in=["drift-monitoring", "llmops"]))
    html = path_html(alice_client)
    assert next_slug(html) == "aws-genai-developer-professional"
    box = next_box(html)
    assert "It fits your target: the catalogue lists it for Senior AI Engineer." in box
    # Its sourced fee, in the currency of its general price; Japan's is told apart.
    assert "Exam cost: USD 300 (Third-party report; 3 sources in all)." in box
    assert "Exam cost in Japan: JPY 44,000 (tax included) (Third-party report)." in box
    assert re.search(r"Exam length: 170 minutes .* or 180 minutes .*: sources disagree\.", box)


def test_a_retired_certification_is_never_the_next_whatever_it_covers(
    alice_client, junior_to_senior
):
    retired = Certification.objects.get(slug="aws-ml-specialty")
    assert retired.is_retired
    retired.skills.add(*Skill.objects.all())
    html = path_html(alice_client)
    assert next_slug(html) != "aws-ml-specialty"
    assert "aws-ml-specialty" not in html[html.index('<div id="next-cert"') :][:3000]


def test_an_earned_certification_is_not_the_next_but_a_planned_one_says_so(
    alice_client, junior_to_senior
):
    plan(junior_to_senior, MLOPS, "preparing")
    box = next_box(path_html(alice_client))
    assert "on your plan: Preparing" in box
    CertificationProgress.objects.filter(user=junior_to_senior).update(status="earned")
    junior_to_senior.bump_progress_version()
    assert next_slug(path_html(alice_client)) != MLOPS


def test_keeping_a_role_current_the_next_certification_fits_the_role(alice_client, alice):
    from .helpers import role

    alice.current_role = alice.target_role = role("ai-engineer")
    alice.save()
    html = path_html(alice_client)
    Certification.objects.get(slug=next_slug(html)).roles.add(role("ai-engineer"))
    box = next_box(path_html(alice_client))
    assert "It fits your role: the catalogue lists it for AI Engineer." in box


def test_a_tick_that_changes_the_choice_sends_the_new_one_out_of_band(
    alice_client, junior_to_senior
):
    # Learning changes nothing that is left: the box stays as it is.
    response = alice_client.post(
        reverse("roadmap:skill_status", args=["ci-cd-for-models"]),
        {"status": "learning"},
        headers=HTMX,
    )
    assert 'id="next-cert"' not in response.content.decode()
    changed = False
    for slug in ("model-deployment", "ci-cd-for-models", "drift-monitoring", "cloud-platform"):
        html = alice_client.post(
            reverse("roadmap:skill_status", args=[slug]), {"status": "done"}, headers=HTMX
        ).content.decode()
        if 'id="next-cert"' in html:
            changed = True
            assert '<div id="next-cert" hx-swap-oob="true">' in html
            # The box after the swap is the box a reload shows.
            assert next_box(html) == next_box(path_html(alice_client))
    assert changed
    assert next_slug(path_html(alice_client)) != MLOPS


def test_the_plan_adds_up_its_sourced_exam_fees(alice_client, junior_to_senior):
    plan(junior_to_senior, "aws-genai-developer-professional")  # USD 300
    plan(junior_to_senior, "cka", "preparing")  # USD 445
    plan(junior_to_senior, "azure-ai-apps-agents-developer-associate")  # no sourced cost
    plan(junior_to_senior, "iapp-aigp", "earned")  # paid already: not counted
    plan(junior_to_senior, "azure-ai-engineer-associate")  # retired: not counted
    cost = plan_cost(path_html(alice_client))
    assert cost == (
        "For the 3 certifications you plan or prepare for: USD 745 in exam fees from sources; "
        "1 certification without a sourced cost (Azure AI Apps and Agents Developer "
        "Associate). Not counted, because it is retired and can no longer be taken: "
        "Microsoft Certified: Azure AI Engineer Associate."
    )


def test_fees_the_sources_disagree_on_add_up_to_a_range(alice_client, junior_to_senior):
    plan(junior_to_senior, "iapp-aigp")  # USD 649 for members, 799 for others
    plan(junior_to_senior, "cka")
    cost = plan_cost(path_html(alice_client))
    assert "USD 1,094–1,244 in exam fees from sources." in cost
    assert "A range: sources give different fees for some of them." in cost


def test_fees_in_different_currencies_are_totalled_apart_and_never_converted(
    alice_client, junior_to_senior
):
    Claim.objects.bulk_create(
        [
            Claim(
                slug="test-ai-103-cost",
                certification=Certification.objects.get(
                    slug="azure-ai-apps-agents-developer-associate"
                ),
                attribute="cost",
                amount=126,
                unit="EUR",
                source=Source.objects.get(slug="guide"),
            )
        ]
    )
    plan(junior_to_senior, "azure-ai-apps-agents-developer-associate")
    plan(junior_to_senior, "cka")
    cost = plan_cost(path_html(alice_client))
    assert "EUR 126 and USD 445 in exam fees from sources." in cost
    assert "Fees in different currencies are never added together or converted." in cost
    assert "571" not in cost


def test_a_plan_without_any_sourced_fee_says_so(alice_client, junior_to_senior):
    plan(junior_to_senior, "azure-ai-apps-agents-developer-associate")
    cost = plan_cost(path_html(alice_client))
    assert cost == (
        "No sourced exam fee for the 1 certification you plan or prepare for: "
        "Azure AI Apps and Agents Developer Associate."
    )


def test_the_breakdown_shows_each_fee_with_its_sources_tier(alice_client, junior_to_senior):
    plan(junior_to_senior, "aws-genai-developer-professional")
    html = path_html(alice_client)
    start = html.index("<summary>How the fees add up</summary>")
    breakdown = text(html[start : html.index("</details>", start)])
    assert (
        "AWS Certified Generative AI Developer – Professional: counted as USD 300. USD 300 "
        "(Third-party report; 3 sources in all); Japan: JPY 44,000 (tax included) "
        "(Third-party report)." in breakdown
    )


def test_planning_with_htmx_updates_the_total(alice_client, junior_to_senior):
    plan(junior_to_senior, "cka")
    response = alice_client.post(
        reverse("roadmap:certification_plan", args=["ckad"]),
        {"status": "planned", "return_to": "path"},
        headers=HTMX,
    )
    assert "USD 890 in exam fees from sources" in plan_cost(response.content.decode())
