"""What users record: their progress on skills and their certification plans."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from ..path import DONE_OR_SKIPPED
from .catalogue import MAX_EFFORT_HOURS, Certification, Skill

# Every date and time a user records lies between these: PostgreSQL stores times that
# Python cannot read back (year 10000 in UTC), and one such value broke every page of an
# account. The database refuses values outside [floor, ceiling); forms and imports also
# refuse anything more than a day in the future.
TIMESTAMP_FLOOR = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
TIMESTAMP_CEILING = datetime.datetime(2200, 1, 1, tzinfo=datetime.UTC)


def sane_timestamp(value):
    """A recorded date and time: not before 1970 and not more than a day from now."""
    latest = timezone.now() + datetime.timedelta(days=1)
    if value is not None and not TIMESTAMP_FLOOR <= value <= latest:
        raise ValidationError(
            "Give a date and time between 1 January 1970 and tomorrow.", code="out_of_range"
        )


def sane_date(value):
    """A recorded day: not before 1970 and not after tomorrow."""
    latest = timezone.localdate() + datetime.timedelta(days=1)
    if value is not None and not TIMESTAMP_FLOOR.date() <= value <= latest:
        raise ValidationError("Give a date between 1 January 1970 and today.", code="out_of_range")


def readable_timestamp(field, dates=False):
    """A check constraint that keeps `field` empty or within the readable range."""
    floor, ceiling = TIMESTAMP_FLOOR, TIMESTAMP_CEILING
    if dates:
        floor, ceiling = floor.date(), ceiling.date()
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True})
        | Q(**{f"{field}__gte": floor, f"{field}__lt": ceiling}),
        name=f"%(class)s_{field}_in_range",
        violation_error_message="Give a date between 1 January 1970 and tomorrow.",
    )


# Its own code, so that form fields do not swap the message for their generic "invalid" one.
http_url = URLValidator(
    schemes=["http", "https"],
    message="Enter a web address starting with http:// or https://.",
    code="not_web_address",
)


class SkillProgressQuerySet(models.QuerySet):
    def locked_for(self, user, skill):
        """The user's row for this skill, created if missing and locked until the transaction
        ends. Safe under concurrent identical requests: the insert ignores a conflict on the
        unique (user, skill) pair instead of failing, so exactly one row exists."""
        rows = self.select_for_update().filter(user=user, skill=skill)
        row = rows.first()  # the usual case: one query
        if row is None:
            self.bulk_create([self.model(user=user, skill=skill)], ignore_conflicts=True)
            row = rows.get()
        return row

    def record_status(self, user, skill, status):
        """The one write of a skill's status: the user's row, locked, set (never toggled)
        and saved in one transaction (the save's signals move the user's cached path).
        Returns the saved row."""
        with transaction.atomic():
            progress = self.locked_for(user, skill)
            progress.set_status(status)
            progress.save()
        return progress

    def record_check(self, user, skill, when):
        """A self-check passed (CheckAttempt.finish): the date shows beside "Done". The
        status is the learner's to set: a row made here stays "not started"."""
        with transaction.atomic():
            progress = self.locked_for(user, skill)
            progress.checked_at = when
            progress.save(update_fields=["checked_at", "updated_at"])
        return progress

    def credit(self, user, skills):
        """Mark done what the user's current role already covers: each of `skills` not yet
        done or skipped. Each remembers the status it had, for `undo_credit`. No completion
        time is set: the skill was not learned here, so it is not in the history chart.
        Returns the skills changed."""
        changed = []
        with transaction.atomic():
            for skill in skills:
                row = self.locked_for(user, skill)
                if row.status in DONE_OR_SKIPPED:
                    continue
                row.credited_from = row.status
                row.status = self.model.Status.DONE
                row.save()
                changed.append(skill)
        return changed

    def undo_credit(self, user):
        """Put back every credited skill the user has not changed since. Returns how many."""
        undone = 0
        with transaction.atomic():
            for row in self.select_for_update().filter(user=user).exclude(credited_from=""):
                if row.status == self.model.Status.DONE:
                    row.status = row.credited_from
                    undone += 1
                row.credited_from = ""
                row.save()
        return undone


class SeenMixin:
    """For a user's row about a skill or certification (SEEN_OF names which): did what it is
    about change after the user last marked it or opened its page?"""

    def changed_since_seen(self, subject):
        if subject.content_changed_at is None:
            return False
        last = max(t for t in (self.updated_at, self.seen_at) if t is not None)
        return subject.content_changed_at > last


class SkillProgress(SeenMixin, models.Model):
    """One user's progress on one skill. A skill ticked once counts on every role needing it."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        LEARNING = "learning", "Learning"
        DONE = "done", "Done"
        SKIPPED = "skipped", "Skipped"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="skill_progress"
    )
    # PROTECT: a catalogue edit never deletes anyone's progress (admin says why it refuses).
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="progress")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    started_at = models.DateTimeField(null=True, blank=True, validators=[sane_timestamp])
    completed_at = models.DateTimeField(null=True, blank=True, validators=[sane_timestamp])
    note = models.TextField(blank=True, max_length=5000)
    evidence_url = models.URLField(
        blank=True, max_length=500, validators=[http_url], help_text="A link that shows your work."
    )
    updated_at = models.DateTimeField(auto_now=True)
    # When the user last opened the skill's page: an update they have seen is not flagged.
    seen_at = models.DateTimeField(null=True, blank=True)
    # Set when the user's current role vouched for the skill: the status it had before,
    # restored by "undo". Any status the user sets afterwards clears it.
    # The database default keeps inserts that predate the column (old code mid-deploy, raw
    # SQL) working.
    # When the skill's self-check was last passed (roadmap/checks.py): "Done, checked on ...".
    checked_at = models.DateTimeField(null=True, blank=True)
    credited_from = models.CharField(
        max_length=20, blank=True, default="", db_default="", choices=Status.choices
    )
    # The user's own estimate of the hours it will take them, beside any sourced one.
    hours_estimate = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_EFFORT_HOURS)],
        verbose_name="your estimate (hours)",
    )

    SEEN_OF = ("skill",)

    objects = SkillProgressQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "skill"], name="skillprogress_one_per_skill"),
            readable_timestamp("started_at"),
            readable_timestamp("completed_at"),
        ]

    def __str__(self):
        return f"{self.user} · {self.skill}: {self.get_status_display()}"

    def set_status(self, status, now=None):
        """Set (never toggle) the status, keeping the start and completion times true."""
        now = now or timezone.now()
        self.status = status
        self.credited_from = ""
        if status in (self.Status.LEARNING, self.Status.DONE) and self.started_at is None:
            self.started_at = now
        if status == self.Status.DONE:
            self.completed_at = self.completed_at or now
        else:
            self.completed_at = None


class CertificationProgressQuerySet(models.QuerySet):
    def set_plan(self, user, certification, status, earned_on=None, credential_url=""):
        """Put a certification on the user's plan with this status (or take it off with
        "remove"). An earned one keeps a date (today if none is given) and its link; a
        planned one has neither."""
        if status == "remove":
            self.filter(user=user, certification=certification).delete()
            return None
        earned = status == CertificationProgress.Status.EARNED
        progress, _ = self.update_or_create(
            user=user,
            certification=certification,
            defaults={
                "status": status,
                "earned_on": (earned_on or timezone.localdate()) if earned else None,
                "credential_url": credential_url if earned else "",
            },
        )
        return progress


class CertificationProgress(SeenMixin, models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        PREPARING = "preparing", "Preparing"
        EARNED = "earned", "Earned"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certification_progress"
    )
    certification = models.ForeignKey(
        Certification, on_delete=models.PROTECT, related_name="progress"
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    earned_on = models.DateField(null=True, blank=True, validators=[sane_date])
    credential_url = models.URLField(blank=True, max_length=500, validators=[http_url])
    updated_at = models.DateTimeField(auto_now=True)
    seen_at = models.DateTimeField(null=True, blank=True)

    SEEN_OF = ("certification",)

    objects = CertificationProgressQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "certification"], name="certificationprogress_one_per_cert"
            ),
            readable_timestamp("earned_on", dates=True),
        ]

    def __str__(self):
        return f"{self.user} · {self.certification}: {self.get_status_display()}"

    @property
    def facts_changed_since_planned(self):
        return self.changed_since_seen(self.certification)
