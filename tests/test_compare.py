"""Certifications side by side: /certifications/compare/?c=one&c=two (issue 21, item 1)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from roadmap.models import Certification, Skill, SkillProgress
from roadmap.selectors import remaining_skills

pytestmark = pytest.mark.django_db

URL = "/certifications/compare/"
HTMX = {"HX-Request": "true", "HX-Current-URL": "http://testserver/certifications/compare/"}


def compare(client, *slugs, **kwargs):
    return client.get(URL, [("c", slug) for slug in slugs], **kwargs)


def card(html, slug):
    """One certification's card in the comparison."""
    start = html.index(f'<article class="compare-card" id="compare-{slug}"')
    return html[start : html.index("</article>", start)]


def row(html, label):
    """The value of one row of a card, tags and runs of spaces removed."""
    start = html.index("<dd", html.index(f"<dt>{label}</dt>"))
    dd = html[start : html.index("</dd>", start)]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", dd)).strip()


def ticked(html):
    return re.findall(r'<input type="checkbox" name="c" value="([-\w]+)"[^>]*\bchecked\b', html)


def test_the_address_is_the_comparison_shared_as_it_is():
    assert reverse("roadmap:compare") == URL


def test_two_certifications_stand_side_by_side_with_every_row(client):
    response = compare(client, "iapp-aigp", "cka")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Compare IAPP Artificial Intelligence Governance Professional, Certified" in html
    assert "Comparing 2 certifications" in html
    assert 'class="compare-grid compare-n2"' in html
    for slug in ("iapp-aigp", "cka"):
        one = card(html, slug)
        for label in (
            "Provider",
            "Level",
            "Exam cost",
            "Exam length",
            "Questions",
            "Passing score",
            "Valid for",
            "Renewal",
            "Status and retirement",
            "Skills it covers",
            "Your remaining skills",
        ):
            assert f"<dt>{label}</dt>" in one, (slug, label)
    aigp = card(html, "iapp-aigp")
    assert row(aigp, "Provider") == "IAPP, exam AIGP"
    assert row(aigp, "Level") == "Professional"
    assert row(card(html, "cka"), "Exam cost").startswith("USD 445")


def test_the_columns_keep_the_order_of_the_address(client):
    html = compare(client, "cka", "iapp-aigp", "aws-ai-practitioner").content.decode()
    order = re.findall(r'<article class="compare-card" id="compare-([-\w]+)"', html)
    assert order == ["cka", "iapp-aigp", "aws-ai-practitioner"]
    html = compare(client, "aws-ai-practitioner", "cka").content.decode()
    order = re.findall(r'<article class="compare-card" id="compare-([-\w]+)"', html)
    assert order == ["aws-ai-practitioner", "cka"]


def test_each_figure_shows_its_sources_trust_tier_as_the_certification_page_does(client):
    html = compare(client, "iapp-aigp", "cka").content.decode()
    aigp = card(html, "iapp-aigp")
    # The official FAQ and the third-party guide, each named with its tier.
    assert "Official source:" in row(aigp, "Questions")
    assert "Certification FAQs" in row(aigp, "Questions")
    assert "Third-party report:" in row(aigp, "Questions")
    # Prices for members and for everyone else, each labelled, neither merged.
    cost = row(aigp, "Exam cost")
    assert "IAPP members: USD 649" in cost and "Non-members: USD 799" in cost
    assert cost.count("Third-party report:") == 2


def test_a_dispute_shows_every_value(client):
    html = compare(client, "aws-ml-specialty", "aws-ml-engineer-associate").content.decode()
    length = row(card(html, "aws-ml-specialty"), "Exam length")
    assert "Sources disagree: 170 minutes or 180 minutes." in length
    assert "170 minutes" in length and "180 minutes" in length


def test_a_missing_figure_says_so(client):
    html = compare(client, "aws-ml-engineer-associate", "cka").content.decode()
    assert row(card(html, "aws-ml-engineer-associate"), "Exam cost") == "No sourced figure yet."
    assert row(card(html, "cka"), "Renewal") == "No sourced figure yet."


def test_a_retired_certification_is_shown_as_retired_with_its_successor_to_add(client):
    html = compare(client, "aws-ml-specialty", "cka").content.decode()
    status = row(card(html, "aws-ml-specialty"), "Status and retirement")
    assert status.startswith("Retired on 31 Mar 2026: it can no longer be earned")
    assert '<span class="badge badge-retired">Retired</span>' in card(html, "aws-ml-specialty")
    assert "we do not recommend it" in status
    # What its sources say of the date, with their tiers.
    assert "31 Mar 2026 Third-party report:" in status
    assert "Successors: AWS Certified AI Practitioner" in status
    assert (
        'href="/certifications/compare/?c=aws-ml-specialty&amp;c=cka&amp;c=aws-ai-practitioner"'
        in card(html, "aws-ml-specialty")
    )
    assert "No retirement date known." in row(card(html, "cka"), "Status and retirement")


def test_each_column_can_be_removed_by_a_link_that_keeps_the_others(client):
    html = compare(client, "cka", "iapp-aigp", "ckad").content.decode()
    remove = re.search(r'class="compare-remove" href="([^"]+)"', card(html, "iapp-aigp"))
    assert remove.group(1) == "/certifications/compare/?c=cka&amp;c=ckad"


def test_an_anonymous_visitor_is_invited_to_sign_in_for_their_remaining_skills(client):
    html = compare(client, "cka", "ckad").content.decode()
    yours = row(card(html, "cka"), "Your remaining skills")
    assert yours == "Sign in to see how many of your remaining skills it covers."
    assert 'href="/accounts/login/?next=/certifications/compare/%3Fc%3Dcka%26c%3Dckad"' in html
    assert not re.search(r"\d+ of your", html)


def test_a_learner_sees_how_many_of_their_remaining_skills_each_covers(
    alice_client, junior_to_senior
):
    left = remaining_skills(junior_to_senior)
    covers = set(
        Certification.objects.get(slug="aws-ml-engineer-associate").skills.values_list(
            "slug", flat=True
        )
    )
    mine = [s for s in left if s in covers]
    assert mine, "the test needs a certification that covers a remaining skill"
    html = compare(alice_client, "aws-ml-engineer-associate", "iapp-aigp").content.decode()
    yours = row(card(html, "aws-ml-engineer-associate"), "Your remaining skills")
    assert yours.startswith(f"{len(mine)} of your {len(left)} remaining skills:")
    # Done is no longer remaining: the count moves with the learner's progress.
    SkillProgress.objects.record_status(junior_to_senior, Skill.objects.get(slug=mine[0]), "done")
    html = compare(alice_client, "aws-ml-engineer-associate", "iapp-aigp").content.decode()
    yours = row(card(html, "aws-ml-engineer-associate"), "Your remaining skills")
    assert yours.startswith(f"{len(mine) - 1} of your {len(left) - 1} remaining skill")


def test_a_learner_without_a_target_is_asked_to_choose_one(alice_client):
    html = compare(alice_client, "cka", "ckad").content.decode()
    yours = row(card(html, "cka"), "Your remaining skills")
    assert yours.startswith("Choose a target role in your profile")


def test_without_a_choice_the_page_offers_every_certification_but_categories(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tick two to 5 certifications below" in html
    boxes = re.findall(r'<input type="checkbox" name="c" value="([-\w]+)"', html)
    real = Certification.objects.exclude(level="category")
    assert sorted(boxes) == sorted(real.values_list("slug", flat=True))
    assert "llmops-trustworthy-ai" not in boxes
    # A retired one can be compared, and says it is retired.
    label = html[html.index('id="pick-aws-ml-specialty"') :]
    assert '<span class="badge badge-retired">Retired</span>' in label[: label.index("</label>")]
    assert ticked(html) == []


def test_the_checkboxes_show_what_is_compared(client):
    html = compare(client, "cka", "iapp-aigp").content.decode()
    assert sorted(ticked(html)) == ["cka", "iapp-aigp"]


def test_one_certification_asks_for_another_and_keeps_it_ticked(client):
    response = compare(client, "cka")
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "Choose at least one more certification below to compare with "
        "Certified Kubernetes Administrator (CKA)." in html
    )
    assert ticked(html) == ["cka"]
    assert "compare-card" not in html


def test_the_same_certification_twice_counts_once(client):
    html = compare(client, "cka", "cka").content.decode()
    assert "Choose at least one more certification" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            [("c", "cka"), ("c", "no-such-cert")],
            "There is no certification called “no-such-cert”: choose from the list.",
        ),
        (
            [
                ("c", s)
                for s in (
                    "cka",
                    "ckad",
                    "iapp-aigp",
                    "aws-ai-practitioner",
                    "ibm-ai-engineering",
                    "sql",
                )
            ],
            "Choose at most 5 certifications to compare: you chose 6.",
        ),
        (
            [("c", "cka"), ("c", "llmops-trustworthy-ai")],
            "LLMOps and trustworthy-AI certifications is a category of certifications, "
            "not a single certificate: it has no exam to compare.",
        ),
        (
            [("c", "cka"), ("c", "<script>alert(1)</script>")],
            "There is no certification called “&lt;script&gt;alert(1)&lt;/script&gt;”",
        ),
    ],
)
def test_bad_input_is_a_400_that_says_what_was_wrong(client, query, message):
    response = client.get(URL, query)
    assert response.status_code == 400
    html = response.content.decode()
    assert '<p class="errors" role="alert">' in html
    assert message in html
    assert "compare-card" not in html
    # The form is still there, to try again.
    assert 'id="compare-form"' in html


def test_a_very_long_name_is_refused_without_echoing_all_of_it(client):
    response = client.get(URL, {"c": ["cka", "x" * 5000]})
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is no certification called" in html
    assert "x" * 200 not in html


def test_a_write_to_the_comparison_is_405(client):
    assert client.post(URL, {"c": ["cka", "ckad"]}).status_code == 405


def test_with_htmx_the_comparison_comes_back_with_the_checkboxes_out_of_band(client):
    response = compare(client, "cka", "ckad", headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="comparison"')
    assert "<html" not in html and "<h1>" not in html
    assert '<fieldset id="compare-choices" class="compare-choices" hx-swap-oob="true">' in html
    assert sorted(ticked(html)) == ["cka", "ckad"]
    assert "Comparing Certified Kubernetes Administrator (CKA), " in html
    assert "HX-Request" in response["Vary"]


def test_with_htmx_bad_input_is_a_400_fragment_with_the_message(client):
    query = [("c", s) for s in ("cka", "ckad", "iapp-aigp", "aws-ai-practitioner", "sql", "rag")]
    response = client.get(URL, query, headers=HTMX)
    assert response.status_code == 400
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="comparison"')
    assert "Choose at most 5 certifications to compare: you chose 6." in html


def test_a_history_restore_gets_the_whole_page(client):
    headers = {**HTMX, "HX-History-Restore-Request": "true"}
    html = compare(client, "cka", "ckad", headers=headers).content.decode()
    assert "<h1>Compare certifications</h1>" in html
    assert html.count('id="compare-choices"') == 1


def test_the_certification_list_lets_a_visitor_tick_certifications_to_compare(client):
    html = client.get(reverse("roadmap:certifications")).content.decode()
    assert (
        '<form id="compare-picks" class="compare-picks" method="get" '
        'action="/certifications/compare/">' in html
    )
    boxes = re.findall(
        r'<input type="checkbox" name="c" value="([-\w]+)" form="compare-picks">', html
    )
    assert "cka" in boxes and "iapp-aigp" in boxes
    assert "llmops-trustworthy-ai" not in boxes


def test_a_certification_page_links_to_a_comparison_and_to_its_successor(client):
    html = client.get(reverse("roadmap:certification", args=["cka"])).content.decode()
    assert (
        '<a href="/certifications/compare/?c=cka">Compare it with other certifications</a>' in html
    )
    html = client.get(reverse("roadmap:certification", args=["aws-ml-specialty"])).content.decode()
    assert (
        '<a href="/certifications/compare/?c=aws-ml-specialty&amp;c=aws-ai-practitioner">'
        "Compare it with AWS Certified AI Practitioner</a>" in html
    )


def test_my_path_offers_to_compare_the_certifications_it_suggests(alice_client, junior_to_senior):
    html = alice_client.get(reverse("roadmap:path")).content.decode()
    section = html[html.index('id="recommended-certs"') : html.index("My certification plan")]
    suggested = re.findall(r'<li>\s*<a href="/certifications/([-\w]+)/">', section)
    assert len(suggested) > 1
    link = re.search(r'<a href="([^"]+)">Compare these side by side</a>', section).group(1)
    assert link == "/certifications/compare/?" + "&amp;".join(f"c={s}" for s in suggested)
    # The link works as it is.
    response = alice_client.get(link.replace("&amp;", "&"))
    assert response.status_code == 200
    assert f"Comparing {len(suggested)} certifications" in response.content.decode()


def test_a_signed_in_comparison_is_private(alice_client, junior_to_senior):
    response = compare(alice_client, "cka", "ckad")
    assert "no-store" in response["Cache-Control"]
    assert Client().get(URL, {"c": ["cka", "ckad"]}).get("Cache-Control", "") == ""
