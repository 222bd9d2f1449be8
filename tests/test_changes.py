"""The public changelog and its feed; notices to the people a change touches; the digest."""

import datetime
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.core import mail, serializers
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.subscriptions import unsubscribe_url
from roadmap import digests
from roadmap.changelog import note_retirements
from roadmap.models import (
    CatalogueChange,
    CatalogueVersion,
    Certification,
    CertificationProgress,
    Claim,
    Digest,
    Notice,
    Role,
    Skill,
)

from .helpers import make_learner

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def feed_titles(client, query=""):
    response = client.get(reverse("roadmap:changes_feed") + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    return [entry.find(f"{ATOM}title").text for entry in root.iter(f"{ATOM}entry")]


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser(
        "editor-zoe", "zoe@example.com", "pw-editor-long-1"
    )


def admin_edit_certification(client, certification, status=302, **changes):
    """Post the admin's change form for the certification, as an editor would."""
    url = reverse("admin:roadmap_certification_change", args=[certification.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "skills": [s.pk for s in certification.skills.all()],
            "roles": [r.pk for r in certification.roles.all()],
            "successors": [s.pk for s in certification.successors.all()],
            "certification_sources-TOTAL_FORMS": "0",
            "certification_sources-INITIAL_FORMS": "0",
            "claims-TOTAL_FORMS": "0",
            "claims-INITIAL_FORMS": "0",
            "change_reason": "Checked the vendor's page",
            **changes,
        }
    )
    data.pop("sources", None)
    response = client.post(url, data)
    assert response.status_code == status, response.content.decode()[:2000]
    return response


# --------------------------------------------------------------------------- changelog


def test_the_first_load_is_the_baseline_not_a_change():
    # The test database was loaded from empty: nothing to report.
    assert not CatalogueChange.objects.exists()


def test_an_admin_edit_appears_in_the_changelog_and_the_feed_without_the_editors_name(
    client, editor
):
    cert = Certification.objects.get(slug="google-professional-data-engineer")
    client.force_login(editor)
    day = timezone.localdate() + datetime.timedelta(days=200)
    admin_edit_certification(client, cert, retires_on=day.isoformat())
    client.logout()

    change = CatalogueChange.objects.get()
    assert (change.certification, change.fact, change.old_value) == (cert, "retires_on", "")
    assert change.new_value == f"{day.day} {day:%b %Y}"
    assert change.origin == CatalogueChange.Origin.EDIT
    page = client.get(reverse("roadmap:changes")).content.decode()
    assert "Retirement date" in page
    assert change.new_value in page
    assert "Edited by the catalogue&#x27;s editors" in page
    assert "editor-zoe" not in page and "zoe@example.com" not in page
    assert feed_titles(client) == [f"{cert.name}: Retirement date: none → {change.new_value}"]
    # Its own page, and the certification's history, both show it.
    assert change.new_value in client.get(change.get_absolute_url()).content.decode()
    history = client.get(reverse("roadmap:changes"), {"certification": cert.slug})
    assert change.new_value in history.content.decode()


def test_a_catalogue_load_that_changes_a_figure_appears_with_its_source(client, tmp_path):
    claim = (
        Claim.objects.select_related("source", "certification")
        .filter(certification__slug="google-professional-ml-engineer", attribute="cost")
        .order_by("pk")
        .first()
    )
    record = serializers.serialize(
        "python", [claim], use_natural_foreign_keys=True, use_natural_primary_keys=True
    )[0]
    old_label = claim.value_label
    record["fields"]["amount"] = str(claim.amount + 50)
    path = tmp_path / "update.json"
    path.write_text(json.dumps([record], default=str))
    out = io.StringIO()
    call_command("load_catalogue", str(path), stdout=out)
    assert "Updated: 1" in out.getvalue()

    change = CatalogueChange.objects.get()
    assert change.origin == CatalogueChange.Origin.LOAD
    assert (change.old_value, change.fact_label) == (old_label, "Exam cost")
    assert change.new_value == f"USD {int(claim.amount) + 50}"
    assert change.source_title == str(claim.source)
    page = client.get(reverse("roadmap:changes")).content.decode()
    assert "Catalogue release" in page
    assert claim.source.title in page
    titles = feed_titles(client, "?certification=google-professional-ml-engineer")
    assert titles == [f"{claim.certification.name}: Exam cost: {old_label} → {change.new_value}"]
    # Loading the same file again changes nothing, so records nothing.
    call_command("load_catalogue", str(path), stdout=io.StringIO())
    assert CatalogueChange.objects.count() == 1


def test_a_removed_claim_is_recorded_but_a_deleted_certification_takes_no_history_with_it():
    cert = Certification.objects.get(slug="google-professional-ml-engineer")
    claim = cert.claims.filter(attribute="cost").first()
    claim.delete()
    removed = CatalogueChange.objects.get()
    assert removed.kind == CatalogueChange.Kind.REMOVED
    assert removed.old_value == claim.value_label
    # Deleting the certification itself records no claim removals, and keeps the history.
    Certification.objects.get(slug="google-professional-ml-engineer").delete()
    removed.refresh_from_db()
    assert CatalogueChange.objects.count() == 1
    assert removed.certification is None
    assert removed.subject_name == cert.name


def test_the_changelog_filters_by_role_and_pages_newest_first(client):
    role = Role.objects.get(slug="ai-engineer")
    for n in range(55):
        role.summary = f"Summary number {n}"
        role.save()
    Skill.objects.filter(slug="rag").update(name="RAG")  # no signal: not recorded
    skill = Skill.objects.get(slug="docker")
    skill.summary = "Containers, briefly."
    skill.save()

    first = client.get(reverse("roadmap:changes"), {"role": role.slug}).content.decode()
    assert "<ins>Summary number 54</ins>" in first
    assert "<ins>Summary number 4</ins>" not in first
    assert "Containers, briefly." not in first
    assert "Page 1 of 2" in first
    second = client.get(reverse("roadmap:changes"), {"role": role.slug, "page": 2})
    assert "<ins>Summary number 0</ins>" in second.content.decode()
    # A page beyond the last shows the last; nonsense shows the first: never an error.
    assert client.get(reverse("roadmap:changes"), {"page": "999"}).status_code == 200
    assert client.get(reverse("roadmap:changes"), {"page": "x"}).status_code == 200
    unknown = client.get(reverse("roadmap:changes"), {"role": "no-such-role"})
    assert unknown.status_code == 400
    assert "Some filters were not understood" in unknown.content.decode()


def test_each_catalogue_page_links_to_its_own_history(client):
    for url, query in [
        ("/certifications/aws-ml-specialty/", "certification=aws-ml-specialty"),
        ("/roles/ai-engineer/", "role=ai-engineer"),
        ("/skills/rag/", "skill=rag"),
    ]:
        page = client.get(url).content.decode()
        assert f'href="/changes/?{query}"' in page, url
        assert f'href="/corrections/new/?{query}' in page, url


# --------------------------------------------------------------------------- notices


@pytest.fixture
def planner():
    user = make_learner("planner")
    user.notify_by_email = True
    user.save()
    cert = Certification.objects.get(slug="google-professional-data-engineer")
    CertificationProgress.objects.set_plan(user, cert, "planned")
    return user


def test_a_retirement_date_on_a_planned_certification_is_one_notice_and_one_email(client, planner):
    bystander = make_learner("bystander")
    bystander.notify_by_email = True
    bystander.save()
    client.force_login(planner)
    assert "since your last visit" not in client.get(reverse("roadmap:path")).content.decode()
    cert = Certification.objects.get(slug="google-professional-data-engineer")
    cert.retires_on = timezone.localdate() + datetime.timedelta(days=60)
    cert.save()

    assert Notice.objects.filter(user=planner).count() == 1
    assert not Notice.objects.filter(user=bystander).exists()
    # The cached path shows it at once.
    path = client.get(reverse("roadmap:path")).content.decode()
    assert "1 change since your last visit" in path

    call_command("send_digests", stdout=io.StringIO())
    call_command("send_digests", stdout=io.StringIO())  # cron ran again: nothing new
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [planner.email]
    assert message.subject == "1 change to your AI engineer roadmap"
    assert cert.name in message.body and "Retirement date" in message.body
    assert unsubscribe_url(planner) in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # Opening the list of changes clears the count on the path.
    notices = client.get(reverse("roadmap:notices")).content.decode()
    assert "Retirement date" in notices and "New" in notices
    assert "since your last visit" not in client.get(reverse("roadmap:path")).content.decode()


def test_a_digest_run_killed_half_way_is_finished_by_the_next_without_repeats(planner):
    second = make_learner("second")
    second.notify_by_email = True
    second.save()
    cert = Certification.objects.get(slug="google-professional-data-engineer")
    CertificationProgress.objects.set_plan(second, cert, "preparing")
    cert.retires_on = timezone.localdate() + datetime.timedelta(days=60)
    cert.save()

    sent_to = []

    def dies_on_the_second(digest):
        if sent_to:
            raise SystemExit("killed")
        digests.send_digest(digest)
        sent_to.append(digest.user.username)

    with pytest.raises(SystemExit):
        digests.run(send=dies_on_the_second)
    assert len(mail.outbox) == 1
    assert Digest.objects.filter(sent_at__isnull=True).count() == 1

    call_command("send_digests", stdout=io.StringIO())
    call_command("send_digests", stdout=io.StringIO())
    assert sorted(m.to[0] for m in mail.outbox) == sorted([planner.email, second.email])


def test_a_digest_made_but_not_sent_before_a_crash_is_sent_once(planner):
    cert = Certification.objects.get(slug="google-professional-data-engineer")
    cert.retires_on = timezone.localdate() + datetime.timedelta(days=60)
    cert.save()
    assert digests.collect() == 1  # then the process died before sending
    call_command("send_digests", stdout=io.StringIO())
    call_command("send_digests", stdout=io.StringIO())
    assert len(mail.outbox) == 1
    assert Notice.objects.get(user=planner).digest.sent_at is not None


def test_no_email_without_opting_in_and_none_after_unsubscribing(client, planner):
    cert = Certification.objects.get(slug="google-professional-data-engineer")
    planner.notify_by_email = False
    planner.save()
    cert.retires_on = timezone.localdate() + datetime.timedelta(days=60)
    cert.save()
    call_command("send_digests", stdout=io.StringIO())
    assert mail.outbox == []
    assert Notice.objects.filter(user=planner).count() == 1  # still shown on the path

    planner.notify_by_email = True
    planner.save()
    url = unsubscribe_url(planner)
    # Following the link only asks; the button (or a mail client's one-click POST) stops
    # them, without signing in.
    assert "Stop the emails" in client.get(url).content.decode()
    planner.refresh_from_db()
    assert planner.notify_by_email
    response = client.post(url)
    assert response.status_code == 200
    planner.refresh_from_db()
    assert not planner.notify_by_email
    assert client.post(url[:-3] + "xyz/").status_code == 404


def mailed_unsubscribe_link(planner, days):
    """Send a digest about a new retirement date and return the link the email carries."""
    mail.outbox.clear()
    cert = Certification.objects.get(slug="google-professional-data-engineer")
    cert.retires_on = timezone.localdate() + datetime.timedelta(days=days)
    cert.save()
    call_command("send_digests", stdout=io.StringIO())
    (message,) = mail.outbox
    return next(
        word.removeprefix(settings.SITE_URL)
        for word in message.body.split()
        if "/unsubscribe/" in word
    )


def test_an_unsubscribe_link_stops_working_once_its_owner_subscribes_again(client, planner):
    from django.test import Client

    old = mailed_unsubscribe_link(planner, 60)
    assert client.post(old).status_code == 200
    planner.refresh_from_db()
    assert not planner.notify_by_email

    owner = Client()
    owner.force_login(planner)
    owner.post(reverse("accounts:notifications"), {"notify": "on"})
    planner.refresh_from_db()
    assert planner.notify_by_email
    # Whoever kept the old email (or a copy of the link) can no longer turn them off.
    for method in (client.get, client.post):
        stale = method(old)
        assert stale.status_code == 404
        assert "an earlier subscription" in stale.content.decode()
    planner.refresh_from_db()
    assert planner.notify_by_email

    fresh = mailed_unsubscribe_link(planner, 70)
    assert fresh != old
    assert client.post(fresh).status_code == 200
    planner.refresh_from_db()
    assert not planner.notify_by_email


def test_saving_the_profile_while_subscribed_keeps_the_mailed_link_working(client, planner):
    from django.test import Client

    link = mailed_unsubscribe_link(planner, 60)
    owner = Client()
    owner.force_login(planner)
    owner.post(
        reverse("accounts:notifications"), {"notify": "on"}
    )  # already on: not a new subscription
    assert client.post(link).status_code == 200
    planner.refresh_from_db()
    assert not planner.notify_by_email


def test_a_change_to_a_skill_on_the_path_is_a_notice_for_its_learners_only(client):
    on_path = make_learner("climber")  # junior → senior: needs the senior rung's skills
    elsewhere = make_learner("analyst", current=None, target="data-analyst")
    skill = Role.objects.get(slug="senior-ai-engineer").role_skills.first().skill
    skill.summary = "A clearer summary."
    skill.save()
    assert Notice.objects.filter(user=on_path).count() == 1
    assert not Notice.objects.filter(user=elsewhere).exists()


def test_a_certification_reaching_its_retirement_day_is_noted_once(planner):
    cert = Certification.objects.get(slug="google-professional-data-engineer")
    Certification.objects.filter(pk=cert.pk).update(
        retires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert note_retirements() >= 1
    assert note_retirements() == 0
    retired = CatalogueChange.objects.get(certification=cert, fact="status")
    assert (retired.old_value, retired.new_value) == ("Active", "Retired")
    assert retired.origin == CatalogueChange.Origin.SCHEDULE
    assert Notice.objects.filter(user=planner, change=retired).count() == 1


def test_email_opt_in_needs_an_email_address(client, django_user_model):
    user = django_user_model.objects.create_user("no-mail", "", "pw-long-enough-1")
    client.force_login(user)
    response = client.post(reverse("accounts:notifications"), {"notify": "on"}, follow=True)
    assert "Add an email address" in response.content.decode()
    user.refresh_from_db()
    assert not user.notify_by_email


def test_my_data_includes_corrections_notices_and_the_email_setting(client, planner):
    from roadmap.models import Correction

    cert = Certification.objects.get(slug="google-professional-data-engineer")
    cert.retires_on = timezone.localdate() + datetime.timedelta(days=60)
    cert.save()
    Correction.objects.create(
        user=planner,
        certification=cert,
        subject_name=cert.name,
        fact_label="Exam cost",
        what_is_wrong="It costs more now.",
        source_url="https://example.org/price",
    )
    client.force_login(planner)
    data = json.loads(client.get(reverse("accounts:my_data")).content)
    assert data["profile"]["email_me_about_changes"] is True
    assert [(c["fact"], c["state"]) for c in data["corrections"]] == [("Exam cost", "open")]
    (notice,) = data["notices"]
    assert notice["about"] == cert.name and notice["emailed"] is False


def test_a_mail_server_failure_leaves_the_digest_for_the_next_run(planner):
    import smtplib

    cert = Certification.objects.get(slug="google-professional-data-engineer")
    cert.retires_on = timezone.localdate() + datetime.timedelta(days=60)
    cert.save()

    def refused(digest):
        raise smtplib.SMTPServerDisconnected("gone")

    assert digests.run(send=refused)[2] == 0
    assert Digest.objects.get().sent_at is None
    call_command("send_digests", stdout=io.StringIO())
    assert len(mail.outbox) == 1


def test_a_date_set_in_code_as_text_is_recorded_as_the_date_it_is():
    cert = Certification.objects.get(slug="google-professional-data-engineer")
    cert.retires_on = "2027-01-31"
    cert.save()
    cert.retires_on = datetime.date(2027, 1, 31)
    cert.save()  # the same day: not a change
    (change,) = CatalogueChange.objects.all()
    assert change.new_value == "31 Jan 2027"


def test_the_changelog_and_feed_are_cached_yet_a_new_change_shows_at_once(
    client, django_assert_num_queries
):
    role = Role.objects.get(slug="ai-engineer")
    role.summary = "First wording."
    role.save()
    client.get(reverse("roadmap:changes"))
    client.get(reverse("roadmap:changes_feed"))
    with django_assert_num_queries(1):  # the catalogue version; the rest from the cache
        assert (
            "<ins>First wording.</ins>" in client.get(reverse("roadmap:changes")).content.decode()
        )
    with django_assert_num_queries(1):
        client.get(reverse("roadmap:changes_feed"))
    # A feed reader that has this version gets a 304.
    etag = client.get(reverse("roadmap:changes_feed"))["ETag"]
    again = client.get(reverse("roadmap:changes_feed"), headers={"if-none-match": etag})
    assert again.status_code == 304
    role.summary = "Second wording."
    role.save()
    assert "<ins>Second wording.</ins>" in client.get(reverse("roadmap:changes")).content.decode()
    assert "Second wording." in feed_titles(client)[0]
    newer = client.get(reverse("roadmap:changes_feed"), headers={"if-none-match": etag})
    assert newer.status_code == 200 and newer["ETag"] != etag


def test_a_page_with_no_changes_says_so_and_since_when(client):
    released = CatalogueVersion.released()
    assert released is not None
    for query in ({}, {"skill": "python"}):
        page = client.get(reverse("roadmap:changes"), query).content.decode()
        text = " ".join(page.split())
        assert f"since the catalogue was first released on {released:%-d %B %Y}" in text
    assert "Nothing has changed in Python since" in text


def test_a_link_mailed_before_subscriptions_were_counted_works_until_the_next_one(client, planner):
    from django.core import signing

    from accounts.subscriptions import SALT

    old_style = reverse(
        "accounts:unsubscribe", args=[signing.Signer(salt=SALT).sign(str(planner.pk))]
    )
    assert client.get(old_style).status_code == 200
    planner.set_notify_by_email(False)
    planner.set_notify_by_email(True)
    assert client.post(old_style).status_code == 404
    planner.refresh_from_db()
    assert planner.notify_by_email


def test_an_admin_edit_of_a_fact_names_its_source_in_the_changelog(client, editor):
    from roadmap.models import Source

    cert = Certification.objects.get(slug="google-professional-data-engineer")
    client.force_login(editor)
    day = (timezone.localdate() + datetime.timedelta(days=120)).isoformat()
    url = reverse("admin:roadmap_certification_change", args=[cert.pk])
    # Without a source or a decision the form says what is missing, and nothing changes.
    form = client.get(url).context["adminform"].form
    assert "change_source" in form.fields and "change_reason" in form.fields
    refused = admin_edit_certification(client, cert, status=200, retires_on=day, change_reason="")
    assert "Say where the new value comes from" in refused.content.decode()
    cert.refresh_from_db()
    assert cert.retires_on is None and not CatalogueChange.objects.exists()
    # With a source, the changelog shows it, linked.
    source = Source.objects.exclude(url="").order_by("pk").first()
    admin_edit_certification(
        client, cert, retires_on=day, change_source=source.pk, change_reason=""
    )
    change = CatalogueChange.objects.get()
    assert (change.source, change.source_url) == (source, source.url)
    page = client.get(change.get_absolute_url()).content.decode()
    assert "No source recorded for this change" not in page
    assert source.url in page
    # A review decision stands in for a source where none in the list says it.
    later = (timezone.localdate() + datetime.timedelta(days=150)).isoformat()
    admin_edit_certification(client, cert, retires_on=later, change_reason="Review of 2 Dec")
    latest = CatalogueChange.objects.order_by("-pk").first()
    assert latest.source is None and latest.source_title == "Review of 2 Dec"
