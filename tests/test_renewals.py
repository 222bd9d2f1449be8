"""Keeping held certifications current: expiry and renewal window from the sourced rules,
the Renewals section of My path, renewal notices, the exam date, and the calendar feed."""

import datetime
import io
import json

import icalendar
import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from roadmap.models import Certification, CertificationProgress, Claim, Notice, Source
from roadmap.renewals import NO_VALIDITY, NO_WINDOW, add_months, renewal_for

from .helpers import make_learner

pytestmark = pytest.mark.django_db

D = datetime.date
MLOPS = "Microsoft Certified: Machine Learning Operations (MLOps) Engineer Associate"


def cert(slug):
    return Certification.objects.get(slug=slug)


def earned(user, slug, on):
    return CertificationProgress.objects.create(
        user=user, certification=cert(slug), status="earned", earned_on=on
    )


def dates(slug, on, user=None):
    """The Renewal of `slug` earned on `on`, from the catalogue's own claims."""
    user = user or make_learner("holder")
    plan = earned(user, slug, on)
    return renewal_for(plan, list(Claim.objects.filter(certification=plan.certification).shown()))


# ------------------------------------------------------------------ the rules, pure


def test_months_are_added_to_the_same_day_or_the_months_last():
    assert add_months(D(2026, 9, 3), 12) == D(2027, 9, 3)
    assert add_months(D(2028, 2, 29), 12) == D(2029, 2, 28)
    assert add_months(D(2027, 8, 31), -6) == D(2027, 2, 28)
    assert add_months(D(2026, 1, 10), 24) == D(2028, 1, 10)


def test_a_microsoft_associate_expires_after_a_year_and_renewal_opens_six_months_before():
    renewal = dates("azure-mlops-engineer-associate", D(2026, 9, 3))
    assert renewal.expires_on == D(2027, 9, 3)
    assert renewal.opens_on == D(2027, 3, 3)
    assert renewal.validity.source.slug == "microsoft-renew-certification"
    assert renewal.window.source.slug == "microsoft-renew-certification"
    assert renewal.state(D(2027, 3, 2)) == "upcoming"
    assert renewal.state(D(2027, 3, 3)) == "open"
    assert renewal.state(D(2027, 9, 3)) == "expired"


def test_a_google_professional_lasts_two_years_and_opens_sixty_days_before():
    renewal = dates("google-professional-ml-engineer", D(2026, 1, 10))
    assert renewal.expires_on == D(2028, 1, 10)
    assert renewal.opens_on == D(2028, 1, 10) - datetime.timedelta(days=60)


def test_aws_lasts_three_years_with_no_sourced_opening_of_renewal():
    renewal = dates("aws-ml-engineer-associate", D(2025, 6, 1))
    assert renewal.expires_on == D(2028, 6, 1)
    assert renewal.opens_on is None
    assert renewal.window_note == NO_WINDOW
    assert [c.text for c in renewal.how] == [
        "Pass the current version of the exam before it expires"
    ]


def test_a_rule_for_exams_from_a_day_gives_no_date_to_one_earned_before_it():
    user = make_learner("cka-holder")
    before = dates("cka", D(2024, 1, 15), user)
    assert before.expires_on is None
    assert "earned from 1 Apr 2024" in before.validity_note
    CertificationProgress.objects.filter(user=user).delete()
    after = dates("cka", D(2024, 5, 1), user)
    assert after.expires_on == D(2026, 5, 1)


def test_a_rule_in_words_only_is_shown_but_no_date_is_counted():
    renewal = dates("azure-ai-fundamentals-ai-900", D(2025, 1, 1))
    assert renewal.expires_on is None
    assert renewal.validity.text.startswith("Does not expire")


def test_a_certification_without_a_validity_claim_says_no_sourced_rule():
    slug = (
        Certification.objects.exclude(claims__attribute=Claim.Attribute.VALIDITY)
        .values_list("slug", flat=True)
        .first()
    )
    renewal = dates(slug, D(2025, 1, 1))
    assert renewal.expires_on is None
    assert renewal.validity_note == NO_VALIDITY


def test_sources_that_disagree_on_the_validity_give_no_date():
    plan = earned(make_learner("holder"), "azure-mlops-engineer-associate", D(2026, 1, 1))
    source = Source.objects.get(slug="guide")
    claims = [
        Claim(pk=-1, attribute="validity", amount=1, unit="years", source=source),
        Claim(pk=-2, attribute="validity", amount=2, unit="years", source=source),
    ]
    renewal = renewal_for(plan, claims)
    assert renewal.expires_on is None
    assert renewal.validity_note.startswith("Sources disagree: 1 year or 2 years")


# ------------------------------------------------------------------ My path


def test_my_path_shows_renewals_with_the_rule_and_its_source(client):
    user = make_learner("holder")
    today = datetime.date.today()
    earned(user, "azure-mlops-engineer-associate", add_months(today, -7))
    earned(user, "aws-ml-engineer-associate", today)
    client.force_login(user)
    page = client.get(reverse("roadmap:path")).content.decode()
    section = page[page.index('id="renewals"') :]
    microsoft = section[section.index('id="renewal-azure-mlops-engineer-associate"') :]
    microsoft = (
        microsoft[: microsoft.index("</li>\n\n")] if "</li>\n\n" in microsoft else microsoft
    )
    assert "Renewal is open now" in microsoft
    expires = add_months(add_months(today, -7), 12)
    assert f"{expires.day} {expires:%b %Y}" in microsoft
    assert "Microsoft" in microsoft  # the source of the rule
    aws = section[section.index('id="renewal-aws-ml-engineer-associate"') :]
    assert "renewal opens on" not in aws[: aws.index("</dl>")]
    assert NO_WINDOW in aws


def test_my_path_says_when_nothing_is_held(client):
    user = make_learner("planner")
    client.force_login(user)
    page = client.get(reverse("roadmap:path")).content.decode()
    assert "No certification earned yet" in page


# ------------------------------------------------------------------ the exam date


def test_a_planned_exam_date_is_saved_and_shown_back(client):
    user = make_learner("planner")
    client.force_login(user)
    day = datetime.date.today() + datetime.timedelta(days=40)
    url = reverse("roadmap:certification_plan", args=["azure-ai-apps-agents-developer-associate"])
    response = client.post(url, {"status": "preparing", "exam_on": day.isoformat()}, follow=True)
    assert response.status_code == 200
    plan = CertificationProgress.objects.get(user=user)
    assert plan.exam_on == day
    assert f'value="{day.isoformat()}"' in response.content.decode()


@pytest.mark.parametrize("day", ["1969-12-31", "2200-01-01", "not a date"])
def test_an_exam_date_out_of_range_is_refused_with_a_message(client, day):
    user = make_learner("planner")
    client.force_login(user)
    url = reverse("roadmap:certification_plan", args=["azure-ai-apps-agents-developer-associate"])
    response = client.post(url, {"status": "planned", "exam_on": day})
    assert response.status_code == 400
    assert "date" in response.content.decode().lower()
    assert not CertificationProgress.objects.filter(user=user).exists()


def test_earning_it_clears_the_exam_date(client):
    user = make_learner("planner")
    client.force_login(user)
    url = reverse("roadmap:certification_plan", args=["azure-ai-apps-agents-developer-associate"])
    client.post(url, {"status": "planned", "exam_on": "2027-01-05"})
    client.post(url, {"status": "earned", "earned_on": "2026-11-01"})
    plan = CertificationProgress.objects.get(user=user)
    assert (plan.exam_on, plan.earned_on) == (None, D(2026, 11, 1))


def test_the_exam_date_goes_out_in_the_export_and_comes_back_in_the_import(client):
    user = make_learner("planner")
    client.force_login(user)
    url = reverse("roadmap:certification_plan", args=["azure-ai-apps-agents-developer-associate"])
    client.post(url, {"status": "planned", "exam_on": "2027-01-05"})
    exported = client.get(reverse("roadmap:export_json")).content
    assert json.loads(exported)["certifications"][0]["exam_on"] == "2027-01-05"
    CertificationProgress.objects.filter(user=user).update(exam_on=None)
    client.post(reverse("roadmap:import"), {"data": exported.decode(), "action": "apply"})
    assert CertificationProgress.objects.get(user=user).exam_on == D(2027, 1, 5)


# ------------------------------------------------------------------ notices


def test_a_notice_is_made_once_when_a_renewal_window_opens(client):
    user = make_learner("holder")
    today = datetime.date.today()
    plan = earned(user, "azure-mlops-engineer-associate", add_months(today, -6))
    earned(user, "google-professional-ml-engineer", today)  # opens in 22 months
    call_command("note_renewals", stdout=io.StringIO())
    call_command("note_renewals", stdout=io.StringIO())  # the next day's run: nothing new
    notices = Notice.objects.filter(user=user)
    assert [(n.renewal_id, n.renewal_opens_on) for n in notices] == [
        (plan.pk, add_months(add_months(add_months(today, -6), 12), -6))
    ]
    client.force_login(user)
    path = client.get(reverse("roadmap:path")).content.decode()
    assert "1 change since your last visit" in path
    page = client.get(reverse("roadmap:notices")).content.decode()
    assert "Renewal is open" in page
    assert "(MLOps) Engineer Associate" in page


def test_the_digest_tells_an_opted_in_holder_that_renewal_opened(settings):
    user = make_learner("holder")
    user.set_notify_by_email(True)
    today = datetime.date.today()
    earned(user, "azure-mlops-engineer-associate", add_months(today, -8))
    call_command("send_digests", stdout=io.StringIO())
    call_command("send_digests", stdout=io.StringIO())
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject.startswith(f"Renewal open for {MLOPS}")
    assert "renewal opened on" in message.body
    assert settings.SITE_URL + reverse("roadmap:path") + "#renewal-" in message.body


def test_no_notice_for_a_window_that_is_not_open():
    user = make_learner("holder")
    earned(user, "azure-mlops-engineer-associate", datetime.date.today())
    earned(user, "aws-ml-engineer-associate", D(2020, 1, 1))  # expired; no opening rule
    call_command("note_renewals", stdout=io.StringIO())
    assert not Notice.objects.filter(user=user).exists()


# ------------------------------------------------------------------ the calendar feed


def make_feed(client, user):
    client.force_login(user)
    client.post(reverse("accounts:calendar"), {"action": "start"})
    user.refresh_from_db()
    return user.calendar_url


def test_the_calendar_feed_parses_as_icalendar_with_exams_and_renewals(settings):
    user = make_learner("holder")
    today = datetime.date.today()
    earned_on = add_months(today, -2)
    earned(user, "azure-mlops-engineer-associate", earned_on)
    exam = today + datetime.timedelta(days=30)
    CertificationProgress.objects.create(
        user=user, certification=cert("aws-ml-engineer-associate"), status="planned", exam_on=exam
    )
    url = make_feed(Client(), user)
    assert url.startswith(settings.SITE_URL + "/calendar/")
    response = Client().get(url.removeprefix(settings.SITE_URL))  # no session at all
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    feed = icalendar.Calendar.from_ical(response.content)
    events = {str(e["SUMMARY"]): e for e in feed.walk("VEVENT")}
    assert set(events) == {
        "Exam: AWS Certified Machine Learning Engineer – Associate",
        f"Renewal window: {MLOPS}",
        f"{MLOPS} expires",
    }
    expires = add_months(earned_on, 12)
    window = events[f"Renewal window: {MLOPS}"]
    assert window.decoded("DTSTART") == add_months(expires, -6)
    assert window.decoded("DTEND") == expires
    assert "Microsoft" in str(window["DESCRIPTION"])
    assert (
        str(window["URL"]) == settings.SITE_URL + "/certifications/azure-mlops-engineer-associate/"
    )
    assert (
        events["Exam: AWS Certified Machine Learning Engineer – Associate"].decoded("DTSTART")
        == exam
    )
    assert len({str(e["UID"]) for e in events.values()}) == 3


def test_a_wrong_or_reset_calendar_address_is_a_404(settings):
    user = make_learner("holder")
    client = Client()
    old = make_feed(client, user).removeprefix(settings.SITE_URL)
    assert Client().get(old).status_code == 200
    assert Client().get("/calendar/not-the-token.ics").status_code == 404
    assert Client().get("/calendar/%00.ics").status_code in (400, 404)
    response = client.post(reverse("accounts:calendar"), {"action": "reset"}, follow=True)
    assert "the old one shows nothing" in response.content.decode()
    user.refresh_from_db()
    new = user.calendar_url.removeprefix(settings.SITE_URL)
    assert new != old
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200
    client.post(reverse("accounts:calendar"), {"action": "stop"})
    assert Client().get(new).status_code == 404


def test_each_user_gets_only_their_own_calendar(settings):
    alice, bob = make_learner("alice2"), make_learner("bob2")
    earned(alice, "azure-mlops-engineer-associate", datetime.date.today())
    earned(bob, "cka", datetime.date.today())
    alice_feed = Client().get(make_feed(Client(), alice).removeprefix(settings.SITE_URL))
    bob_feed = Client().get(make_feed(Client(), bob).removeprefix(settings.SITE_URL))

    def summaries(response):
        feed = icalendar.Calendar.from_ical(response.content)
        return sorted(str(e["SUMMARY"]) for e in feed.walk("VEVENT"))

    assert summaries(alice_feed) == [f"{MLOPS} expires", f"Renewal window: {MLOPS}"]
    assert summaries(bob_feed) == ["Certified Kubernetes Administrator (CKA) expires"]


def test_the_profile_page_shows_the_secret_address_and_says_it_is_secret(client):
    user = make_learner("holder")
    url = make_feed(client, user)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert url in page
    assert "Keep it secret" in page


def test_the_calendar_feed_takes_a_fixed_number_of_queries(settings, django_assert_num_queries):
    user = make_learner("holder")
    for slug in ("azure-mlops-engineer-associate", "cka", "aws-ml-engineer-associate"):
        earned(user, slug, datetime.date(2025, 6, 1))
    url = make_feed(Client(), user).removeprefix(settings.SITE_URL)
    anonymous = Client()
    with django_assert_num_queries(3):  # the user, the plans, the claims
        assert anonymous.get(url).status_code == 200


def test_my_data_lists_a_renewal_notice_and_says_the_calendar_is_on_without_its_address(client):
    user = make_learner("holder")
    earned(user, "azure-mlops-engineer-associate", add_months(datetime.date.today(), -7))
    call_command("note_renewals", stdout=io.StringIO())
    url = make_feed(client, user)
    response = client.get(reverse("accounts:my_data"))
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["calendar_feed_on"] is True
    assert url.rsplit("/", 1)[1].removesuffix(".ics") not in response.content.decode()
    (notice,) = data["notices"]
    assert notice["about"] == MLOPS
    assert notice["change"].startswith("Renewal opened on ")


def test_a_retired_certification_gets_no_renewal_window_nor_notice(client, settings):
    """Azure AI Engineer Associate retired on 30 Jun 2026; its page says it can no longer be
    renewed. Held, it still expires a year after it was earned."""
    user = make_learner("holder")
    today = datetime.date.today()
    retired = cert("azure-ai-engineer-associate").retires_on
    assert retired is not None and retired <= today
    on = add_months(today, -8)
    earned(user, "azure-ai-engineer-associate", on)
    call_command("note_renewals", stdout=io.StringIO())
    assert not Notice.objects.filter(user=user).exists()
    client.force_login(user)
    page = client.get(reverse("roadmap:path")).content.decode()
    item = page[page.index('id="renewal-azure-ai-engineer-associate"') :]
    item = item[: item.index("</dl>")]
    assert f"Retired on {retired.day} {retired:%b %Y}" in item
    assert "Renewal is open now" not in item
    feed = Client().get(make_feed(client, user).removeprefix(settings.SITE_URL))
    summaries = [
        str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(feed.content).walk("VEVENT")
    ]
    assert summaries == ["Microsoft Certified: Azure AI Engineer Associate expires"]
