"""Corrections from anyone, their state in public: a reader without an account may send
one (bounded, throttled per address, with a source), each page lists its open and accepted
corrections (never the sender), and the review queue shows them as it does the others.
The signed-in side and the queue's decisions are in test_review.py."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from roadmap.models import Correction, Role
from roadmap.views import corrections as views

pytestmark = pytest.mark.django_db

TEXT = "The exam price went up to USD 175 this spring"
SOURCE = "https://example.org/vendor/pricing"
PAGES = {
    "certification": ("aws-ml-engineer-associate", "Exam cost"),
    "role": ("ai-engineer", "Pay"),
    "skill": ("rag", "Summary"),
}


def new_url(kind="certification"):
    slug, _ = PAGES[kind]
    return reverse("roadmap:correction_new") + f"?{kind}={slug}"


def page_url(kind="certification"):
    slug, _ = PAGES[kind]
    return {
        "certification": reverse("roadmap:certification", args=[slug]),
        "role": reverse("roadmap:role", args=[slug]),
        "skill": reverse("roadmap:skill", args=[slug]),
    }[kind]


def send(client, kind="certification", address="10.0.0.1", **fields):
    data = {
        "fact": PAGES[kind][1],
        "what_is_wrong": TEXT,
        "source_url": SOURCE,
        "contact": "",
        "website": "",
        **fields,
    }
    return client.post(new_url(kind), data, REMOTE_ADDR=address)


def listed(html):
    """The page's corrections section, or ''."""
    match = re.search(r'<section id="corrections".*?</section>', html, re.S)
    return match.group(0) if match else ""


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser(
        "editor-ann", "ann@example.com", "pw-editor-long-1"
    )


# --------------------------------------------------------------------------- sending


def test_a_reader_without_an_account_sends_one_through_the_real_form_with_csrf():
    browser = Client(enforce_csrf_checks=True)
    form = browser.get(new_url())
    assert form.status_code == 200
    html = form.content.decode()
    assert "You need no account" in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    # Without the token: refused, nothing saved.
    assert send(browser).status_code == 403
    assert not Correction.objects.exists()
    response = send(browser, csrfmiddlewaretoken=token)
    assert response.status_code == 302
    assert response["Location"] == page_url() + "#corrections"
    correction = Correction.objects.get()
    assert correction.user is None
    assert (correction.what_is_wrong, correction.source_url) == (TEXT, SOURCE)
    page = browser.get(response["Location"]).content.decode()
    assert "is listed on its page as waiting for review" in page  # the thank-you message
    section = listed(page)
    assert TEXT in section and SOURCE in section and "Waiting for review" in section


@pytest.mark.parametrize("kind", list(PAGES))
def test_a_new_correction_shows_at_once_on_a_page_already_cached(client, kind):
    before = client.get(page_url(kind)).content.decode()
    assert "No correction is waiting for review or accepted for this page." in before
    assert send(client, kind).status_code == 302
    after = listed(client.get(page_url(kind)).content.decode())
    assert TEXT in after and PAGES[kind][1] in after


def test_the_page_never_shows_who_sent_it_nor_their_address(client, alice):
    client.force_login(alice)
    send(client, contact="alice.private@example.com")
    send(Client(), contact="anonymous.reader@example.org", what_is_wrong="Second one.")
    for viewer in (Client(), client):
        html = viewer.get(page_url()).content.decode()
        section = listed(html)
        assert TEXT in section and "Second one." in section
        assert "alice" not in section and "@example" not in section
        assert "alice.private@example.com" not in html
        assert "anonymous.reader@example.org" not in html


def test_the_source_link_is_marked_as_a_readers_and_not_followed(client):
    send(client)
    section = listed(client.get(page_url()).content.decode())
    assert f'<a href="{SOURCE}" rel="nofollow ugc noopener noreferrer">' in section


def test_text_from_a_reader_is_escaped_on_the_page(client):
    send(client, what_is_wrong='<script>alert("x")</script> and <b>bold</b>')
    section = listed(client.get(page_url()).content.decode())
    assert "<script>" not in section and "<b>" not in section
    assert "&lt;script&gt;" in section


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"source_url": ""}, "This field is required."),
        ({"source_url": "javascript:alert(1)"}, "Enter a web address starting with http"),
        ({"source_url": "ftp://example.org/file"}, "Enter a web address starting with http"),
        ({"source_url": "https://example.org/" + "a" * 500}, "at most 500 characters"),
        ({"what_is_wrong": ""}, "This field is required."),
        ({"what_is_wrong": "x" * 2001}, "at most 2000 characters"),
        ({"contact": "not an address"}, "Enter a valid email address."),
        ({"contact": "a" * 190 + "@example.org"}, "at most 200 characters"),
    ],
)
def test_without_an_account_bad_input_is_refused_with_its_message(client, fields, message):
    response = send(client, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Correction.objects.exists()


def test_an_email_address_is_optional_and_kept_for_the_editors(client):
    assert send(client, contact="reader@example.org").status_code == 302
    assert Correction.objects.get().contact == "reader@example.org"


def test_a_robot_that_fills_the_trap_is_thanked_and_nothing_is_saved(client):
    form = client.get(new_url()).content.decode()
    trap = re.search(r'<div class="trap" aria-hidden="true">.*?</div>', form, re.S).group(0)
    assert 'name="website"' in trap and 'tabindex="-1"' in trap
    response = send(client, website="https://spam.example/")
    assert response.status_code == 302
    assert not Correction.objects.exists()


# --------------------------------------------------------------------------- throttling


def test_readers_without_an_account_are_throttled_per_address(client):
    cache.clear()
    for _ in range(views.HOURLY_LIMIT):
        assert send(client, address="10.0.0.7").status_code == 302
    refused = send(client, address="10.0.0.7")
    assert refused.status_code == 429
    assert "wait an hour" in refused.content.decode()
    assert Correction.objects.count() == views.HOURLY_LIMIT
    # Another address is not held back by this one.
    assert send(client, address="10.0.0.8").status_code == 302


def test_all_readers_without_an_account_together_have_a_daily_bound(client, monkeypatch):
    cache.clear()
    monkeypatch.setattr(views, "ANONYMOUS_DAILY_LIMIT", 3)
    for n in range(3):
        assert send(client, address=f"10.0.1.{n}").status_code == 302
    assert send(client, address="10.0.1.99").status_code == 429
    assert Correction.objects.count() == 3


def test_a_signed_in_reader_is_not_counted_against_the_address(client, alice):
    cache.clear()
    for _ in range(views.HOURLY_LIMIT):
        send(client, address="10.0.0.9")
    assert send(client, address="10.0.0.9").status_code == 429
    client.force_login(alice)
    assert send(client, address="10.0.0.9").status_code == 302


# --------------------------------------------------------------------------- states


def test_an_accepted_correction_stays_on_the_page_with_the_editors_note(client, editor):
    send(client)
    correction = Correction.objects.get()
    editors = Client()
    editors.force_login(editor)
    note = "Checked against the vendor page: the price changed."
    editors.post(
        reverse("review_queue"),
        {"action": "correction_accepted", "pk": correction.pk, "note": note},
    )
    section = listed(client.get(page_url()).content.decode())
    assert "Accepted" in section and "Waiting for review" not in section
    assert TEXT in section and note in section and "editor-ann" not in section


def test_a_rejected_correction_leaves_the_page(client, editor):
    send(client)
    correction = Correction.objects.get()
    editors = Client()
    editors.force_login(editor)
    editors.post(reverse("review_queue"), {"action": "correction_rejected", "pk": correction.pk})
    section = listed(client.get(page_url()).content.decode())
    assert TEXT not in section
    assert "No correction is waiting for review or accepted for this page." in section


def test_only_the_twenty_most_recent_are_listed(client):
    role = Role.objects.get(slug="ai-engineer")
    Correction.objects.bulk_create(
        Correction(
            role=role,
            subject_name=role.title,
            fact_label="Pay",
            what_is_wrong=f"Correction number {n}.",
            source_url=SOURCE,
        )
        for n in range(25)
    )
    section = listed(client.get(page_url("role")).content.decode())
    assert section.count('class="correction"') == 20
    assert "Only the 20 most recent are listed" in section


def test_a_correction_to_another_page_is_not_listed_here(client):
    send(client, "skill")
    assert TEXT not in listed(client.get(page_url("certification")).content.decode())


# --------------------------------------------------------------------------- review queue


def test_the_review_queue_shows_one_from_a_reader_without_an_account(client, editor):
    send(client, contact="reader@example.org")
    client.force_login(editor)
    queue = client.get(reverse("review_queue")).content.decode()
    assert TEXT in queue and SOURCE in queue
    assert "by a reader without an account" in queue
    assert "contact: reader@example.org" in queue
    assert 'value="correction_accepted"' in queue
