import datetime

import pytest

from roadmap.models import Certification

TODAY = datetime.date(2026, 11, 28)


@pytest.mark.parametrize(
    ("retires_on", "expected"),
    [
        (None, "active"),
        (TODAY + datetime.timedelta(days=91), "active"),
        (TODAY + datetime.timedelta(days=90), "retiring"),
        (TODAY + datetime.timedelta(days=1), "retiring"),
        (TODAY, "retired"),
        (TODAY - datetime.timedelta(days=200), "retired"),
    ],
)
@pytest.mark.django_db
def test_status_is_computed_from_the_retirement_date(retires_on, expected):
    cert = Certification.objects.create(
        slug="x", name="X", provider="P", level="associate", retires_on=retires_on
    )
    assert cert.status_on(TODAY) == expected
    # The database computes the same status, so filters agree with what pages show.
    annotated = Certification.objects.with_status(TODAY).get(pk=cert.pk)
    assert annotated.status_code == expected


@pytest.mark.django_db
def test_the_catalogue_shows_the_guides_certifications_with_the_right_status_today():
    today = datetime.date(2026, 11, 28)
    statuses = {c.slug: c.status_on(today) for c in Certification.objects.all()}
    assert statuses["aws-ml-specialty"] == "retired"
    assert statuses["azure-ai-engineer-associate"] == "retired"
    assert statuses["google-professional-ml-engineer"] == "active"
    # Three months before the Azure retirement it was already flagged as retiring.
    assert (
        Certification.objects.get(slug="azure-ai-engineer-associate").status_on(
            datetime.date(2026, 4, 15)
        )
        == "retiring"
    )
