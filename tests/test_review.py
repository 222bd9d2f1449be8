"""Corrections from readers and the admins' review queue."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roadmap.models import (
    CatalogueChange,
    Certification,
    Claim,
    Correction,
    ReviewAction,
    Role,
    Source,
)

pytestmark = pytest.mark.django_db

CERT = "aws-ml-engineer-associate"
NEW = reverse("roadmap:correction_new") + f"?certification={CERT}"
SECRET = "The exam now costs USD 999 according to the vendor"


def send(client, **fields):
    data = {
        "fact": "Exam cost",
        "what_is_wrong": SECRET,
        "source_url": "https://example.org/pricing",
        "contact": "",
        **fields,
    }
    return client.post(NEW, data)


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser(
        "editor-ann", "ann@example.com", "pw-editor-long-1"
    )


def public_pages(client):
    client.logout()
    urls = [
        f"/certifications/{CERT}/",
        "/certifications/",
        "/changes/",
        "/changes/feed/",
        f"/api/v1/certifications/{CERT}/",
    ]
    return "".join(client.get(url).content.decode() for url in urls)


# --------------------------------------------------------------------------- corrections


def test_a_correction_waits_on_its_page_then_is_accepted_and_its_sender_sees_why(
    client, alice, editor
):
    client.force_login(alice)
    form = client.get(NEW + "&fact=Exam+cost").content.decode()
    assert '<option value="Exam cost" selected>' in form
    response = send(client, contact="alice.private@example.com")
    assert response.status_code == 302
    correction = Correction.objects.get()
    assert correction.user == alice and correction.certification.slug == CERT
    mine = client.get(reverse("roadmap:corrections")).content.decode()
    assert "Waiting for review" in mine and SECRET in mine
    # Its page lists it as waiting, with its source, never who sent it; nowhere else shows
    # it before an editor decides.
    public = public_pages(client)
    assert public.count(SECRET) == 1
    assert "alice" not in public
    assert "Waiting for review" in client.get(f"/certifications/{CERT}/").content.decode()

    client.force_login(editor)
    queue = client.get(reverse("review_queue")).content.decode()
    assert SECRET in queue
    note = "Confirmed on the vendor pricing page; cost updated."
    client.post(
        reverse("review_queue"),
        {"action": "correction_accepted", "pk": correction.pk, "note": note},
    )
    correction.refresh_from_db()
    assert correction.state == Correction.State.ACCEPTED
    assert correction.reviewed_by == editor
    action = ReviewAction.objects.get()
    assert (action.kind, action.by) == (ReviewAction.Kind.CORRECTION_ACCEPTED, editor)
    change = CatalogueChange.objects.get()
    assert change.origin == CatalogueChange.Origin.CORRECTION
    assert change.new_value == note and change.source_url == "https://example.org/pricing"
    public = public_pages(client)
    assert note in public
    assert "editor-ann" not in public and "alice" not in public
    client.force_login(alice)
    mine = client.get(reverse("roadmap:corrections")).content.decode()
    assert "Accepted" in mine and note in mine


def test_a_rejected_correction_leaves_its_page_and_never_reaches_the_changelog(
    client, alice, editor
):
    client.force_login(alice)
    send(client)
    correction = Correction.objects.get()
    assert SECRET in public_pages(client)  # waiting, on its page
    client.force_login(editor)
    client.post(
        reverse("review_queue"),
        {"action": "correction_rejected", "pk": correction.pk, "note": "The source is a forum."},
    )
    assert not CatalogueChange.objects.exists()
    assert SECRET not in public_pages(client)
    client.force_login(alice)
    mine = client.get(reverse("roadmap:corrections")).content.decode()
    assert "Not accepted" in mine and "The source is a forum." in mine
    # Deciding twice is refused: it is no longer open.
    client.force_login(editor)
    again = client.post(
        reverse("review_queue"), {"action": "correction_accepted", "pk": correction.pk}
    )
    assert again.status_code == 404


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"source_url": ""}, "This field is required."),
        ({"source_url": "javascript:alert(1)"}, "Enter a web address starting with http"),
        ({"what_is_wrong": ""}, "This field is required."),
        ({"what_is_wrong": "x" * 2001}, "at most 2000 characters"),
        ({"fact": "Not a fact of this page"}, "Select a valid choice"),
    ],
)
def test_a_correction_without_a_usable_source_is_refused_and_what_was_typed_kept(
    alice_client, fields, message
):
    response = send(alice_client, **fields)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "The correction was not sent" in page
    if fields.get("what_is_wrong", SECRET) == SECRET:
        assert SECRET in page  # kept in the form
    assert not Correction.objects.exists()


def test_corrections_are_throttled_per_person(alice_client):
    cache.clear()
    for _ in range(5):
        assert send(alice_client).status_code == 302
    refused = send(alice_client)
    assert refused.status_code == 429
    assert "wait an hour" in refused.content.decode()
    assert Correction.objects.count() == 5


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    fact=st.one_of(st.sampled_from(["Exam cost", "Retirement date", ""]), st.text(max_size=40)),
    what=st.text(max_size=2100),
    url=st.one_of(
        st.text(max_size=60),
        st.builds(lambda s: f"https://example.org/{s}", st.text(max_size=600)),
    ),
    contact=st.text(max_size=250),
)
def test_any_correction_form_input_is_saved_or_refused_never_a_500(
    alice_client, fact, what, url, contact
):
    cache.clear()  # the throttle is not what this test is about
    before = Correction.objects.count()
    response = send(alice_client, fact=fact, what_is_wrong=what, source_url=url, contact=contact)
    assert response.status_code in (302, 400)
    saved = Correction.objects.count() - before
    assert saved == (1 if response.status_code == 302 else 0)
    if saved:
        correction = Correction.objects.latest("pk")
        assert correction.source_url.startswith(("http://", "https://"))
        assert len(correction.what_is_wrong) <= 2000
        correction.delete()


# --------------------------------------------------------------------------- review queue


def test_a_stale_source_is_in_the_queue_until_checked_and_the_check_is_recorded(client, editor):
    source = Source.objects.order_by("pk").first()
    source.checked_on = timezone.localdate() - datetime.timedelta(days=400)
    source.save()
    client.force_login(editor)
    queue = client.get(reverse("review_queue")).content.decode()
    stale = queue.split('id="stale"')[1].split('id="retiring"')[0]
    assert source.title in stale

    client.post(reverse("review_queue"), {"action": "source_checked", "pk": source.pk})
    source.refresh_from_db()
    assert source.checked_on == timezone.localdate()
    assert source.checked_by == editor
    queue = client.get(reverse("review_queue")).content.decode()
    stale = queue.split('id="stale"')[1].split('id="retiring"')[0]
    assert source.title not in stale
    action = ReviewAction.objects.get()
    assert (action.kind, action.by, action.subject) == (
        ReviewAction.Kind.SOURCE_CHECKED,
        editor,
        str(source),
    )
    recent = queue.split('id="recent"')[1]
    assert "Source checked" in recent and "editor-ann" in recent


def test_the_staleness_threshold_is_a_setting(client, editor, settings):
    source = Source.objects.order_by("pk").first()
    source.checked_on = timezone.localdate() - datetime.timedelta(days=70)
    source.save()
    client.force_login(editor)

    def stale():
        page = client.get(reverse("review_queue")).content.decode()
        return page.split('id="stale"')[1].split('id="retiring"')[0]

    assert source.title not in stale()
    settings.REVIEW_SOURCE_MONTHS = 2
    assert source.title in stale()
    assert (
        "Sources checked over 2 months ago" in client.get(reverse("review_queue")).content.decode()
    )


def test_certifications_retiring_within_90_days_are_listed(client, editor):
    cert = Certification.objects.get(slug="google-professional-data-engineer")
    cert.retires_on = timezone.localdate() + datetime.timedelta(days=30)
    cert.save()
    client.force_login(editor)
    page = client.get(reverse("review_queue")).content.decode()
    retiring = page.split('id="retiring"')[1].split('id="conflicts"')[0]
    assert cert.name in retiring


def test_a_conflict_leaves_the_queue_when_settled_with_a_reason_and_returns_if_values_change(
    client, editor
):
    client.force_login(editor)
    page = client.get(reverse("review_queue"))
    conflicts = page.context["conflicts"]
    assert conflicts, "the catalogue has facts whose sources disagree"
    first = conflicts[0]
    refused = client.post(
        reverse("review_queue"),
        {"action": "conflict_settled", "conflict": first["key"], "note": ""},
        follow=True,
    )
    assert "the note is required" in refused.content.decode()
    client.post(
        reverse("review_queue"),
        {"action": "conflict_settled", "conflict": first["key"], "note": "Both are real."},
    )
    keys = [c["key"] for c in client.get(reverse("review_queue")).context["conflicts"]]
    assert first["key"] not in keys
    assert len(keys) == len(conflicts) - 1
    assert ReviewAction.objects.get().note == "Both are real."
    # A new value in the same conflict brings it back.
    claim = Claim.objects.get(pk=first["fact"].claims[-1].pk)
    if claim.amount is not None:
        claim.amount += 1
    else:
        claim.on_date = claim.on_date + datetime.timedelta(days=1)
    claim.save()
    keys = [c["key"] for c in client.get(reverse("review_queue")).context["conflicts"]]
    assert first["key"] in keys


def test_staff_without_permission_cannot_act(client, django_user_model):
    clerk = django_user_model.objects.create_user(
        "clerk", "clerk@example.com", "pw-clerk-long-1", is_staff=True
    )
    source = Source.objects.order_by("pk").first()
    client.force_login(clerk)
    response = client.post(reverse("review_queue"), {"action": "source_checked", "pk": source.pk})
    assert response.status_code == 403
    assert not ReviewAction.objects.exists()


def test_the_admin_index_links_to_the_queue(client, editor):
    client.force_login(editor)
    assert reverse("review_queue") in client.get(reverse("admin:index")).content.decode()


@pytest.mark.parametrize(
    ("today", "months", "cutoff"),
    [
        (datetime.date(2026, 11, 29), 12, datetime.date(2025, 11, 29)),
        (datetime.date(2026, 3, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2024, 3, 31), 1, datetime.date(2024, 2, 29)),
        (datetime.date(2026, 1, 15), 25, datetime.date(2023, 12, 15)),
    ],
)
def test_the_staleness_cutoff_is_that_many_months_back(settings, today, months, cutoff):
    from roadmap.review import stale_cutoff

    settings.REVIEW_SOURCE_MONTHS = months
    assert stale_cutoff(today) == cutoff


def test_the_changelog_and_the_review_log_cannot_be_edited_or_deleted_in_admin(client, editor):
    role = Role.objects.get(slug="ai-engineer")
    role.summary = "Reworded."
    role.save()
    change = CatalogueChange.objects.get()
    client.force_login(editor)
    page = client.get(reverse("admin:roadmap_cataloguechange_change", args=[change.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    delete = reverse("admin:roadmap_cataloguechange_delete", args=[change.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert CatalogueChange.objects.filter(pk=change.pk).exists()


CONTACT = "reader-contact@example.net"


@pytest.fixture
def full_queue(alice, editor):
    """One of each: a stale source, a retiring certification, open conflicts (the catalogue
    has some), a correction with its sender's contact, and a recorded decision."""
    source = Source.objects.order_by("pk").first()
    source.checked_on = timezone.localdate() - datetime.timedelta(days=400)
    source.save()
    cert = Certification.objects.get(slug="google-professional-data-engineer")
    cert.retires_on = timezone.localdate() + datetime.timedelta(days=30)
    cert.save()
    Correction.objects.create(
        user=alice,
        certification=Certification.objects.get(slug=CERT),
        subject_name="AWS",
        fact_label="Exam cost",
        what_is_wrong=SECRET,
        source_url="https://example.org/pricing",
        contact=CONTACT,
    )
    ReviewAction.objects.create(
        kind=ReviewAction.Kind.SOURCE_CHECKED, by=editor, subject="Decided-by-editor-ann"
    )
    return {"source": source, "cert": cert}


def staff_with(django_user_model, *codenames):
    from django.contrib.auth.models import Permission

    clerk = django_user_model.objects.create_user(
        "clerk", "clerk@example.com", "pw-clerk-long-1", is_staff=True
    )
    for codename in codenames:
        clerk.user_permissions.add(
            Permission.objects.get(content_type__app_label="roadmap", codename=codename)
        )
    return clerk


def test_staff_without_any_permission_may_not_read_the_queue(
    client, django_user_model, full_queue
):
    client.force_login(staff_with(django_user_model))
    response = client.get(reverse("review_queue"))
    assert response.status_code == 403
    page = response.content.decode()
    assert SECRET not in page and CONTACT not in page and "editor-ann" not in page
    # The admin's home does not offer a link that would only be refused.
    assert 'id="review-queue-link"' not in client.get(reverse("admin:index")).content.decode()


def test_staff_who_may_view_corrections_see_only_them_and_cannot_decide(
    client, django_user_model, full_queue
):
    client.force_login(staff_with(django_user_model, "view_correction"))
    assert 'id="review-queue-link"' in client.get(reverse("admin:index")).content.decode()
    response = client.get(reverse("review_queue"))
    assert response.status_code == 200
    page = response.content.decode()
    assert SECRET in page and CONTACT in page
    assert full_queue["source"].title not in page
    assert full_queue["cert"].name not in page
    assert 'id="conflicts"' not in page and "Settle: keep both" not in page
    assert "Decided-by-editor-ann" not in page and "editor-ann" not in page
    assert 'value="correction_accepted"' not in page  # no change permission, no buttons
    correction = Correction.objects.get()
    refused = client.post(
        reverse("review_queue"), {"action": "correction_accepted", "pk": correction.pk}
    )
    assert refused.status_code == 403
    correction.refresh_from_db()
    assert correction.state == Correction.State.OPEN


def test_staff_who_may_check_sources_see_only_stale_sources(client, django_user_model, full_queue):
    client.force_login(staff_with(django_user_model, "change_source"))
    page = client.get(reverse("review_queue")).content.decode()
    assert full_queue["source"].title in page and 'value="source_checked"' in page
    assert SECRET not in page and CONTACT not in page
    assert full_queue["cert"].name not in page
    assert "Decided-by-editor-ann" not in page
    assert 'id="conflicts"' not in page and 'id="corrections"' not in page


def test_staff_who_may_view_the_review_log_see_who_decided_what(
    client, django_user_model, full_queue
):
    client.force_login(staff_with(django_user_model, "view_reviewaction"))
    page = client.get(reverse("review_queue")).content.decode()
    assert "Decided-by-editor-ann" in page and "editor-ann" in page
    assert SECRET not in page and CONTACT not in page
    assert full_queue["source"].title not in page
