"""Keeping the catalogue true: what changed, who must hear of it, and what readers reported.

CatalogueChange is the public changelog: one row per change to a fact a page shows, written
in the same transaction as the change (roadmap/changes.py). It names no editor. Notice is
one change told to one person whose plan or path it touches; Digest is one email of
notices. Correction is what a reader, signed in or not, says is wrong: its page lists it
(never who sent it) while it waits and once accepted, and hides it once rejected.
ReviewAction records every decision taken in the review queue, and who took it.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from .catalogue import Certification, Role, Skill, Source

# Bounds on what a change row holds: values longer than this are cut with an ellipsis.
VALUE_LENGTH = 500


class CatalogueChangeQuerySet(models.QuerySet):
    def public(self):
        return self.order_by("-changed_at", "-pk")


class CatalogueChange(models.Model):
    class Origin(models.TextChoices):
        EDIT = "edit", "Edited by the catalogue's editors"
        LOAD = "load", "Catalogue release"
        CORRECTION = "correction", "A reader's correction, accepted"
        SCHEDULE = "schedule", "Reached its retirement date"

    class Kind(models.TextChoices):
        ADDED = "added", "Added"
        CHANGED = "changed", "Changed"
        REMOVED = "removed", "Removed"

    changed_at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CHANGED)
    origin = models.CharField(max_length=12, choices=Origin.choices, default=Origin.EDIT)
    # What it is about. SET_NULL: the history outlives the row; the names below stay.
    certification = models.ForeignKey(
        Certification, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes"
    )
    role = models.ForeignKey(
        Role, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes"
    )
    skill = models.ForeignKey(
        Skill, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes"
    )
    subject_name = models.CharField(max_length=200)
    # Which fact: a field's or a claim attribute's code, and its label in words.
    fact = models.CharField(max_length=40)
    fact_label = models.CharField(max_length=120)
    old_value = models.CharField(max_length=VALUE_LENGTH, blank=True)
    new_value = models.CharField(max_length=VALUE_LENGTH, blank=True)
    # The source behind the new value (or the old one, for a removal), as it was then.
    source = models.ForeignKey(
        Source, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source_title = models.CharField(max_length=330, blank=True)
    source_url = models.URLField(max_length=500, blank=True)

    objects = CatalogueChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [
            models.Index(fields=["certification", "-changed_at"], name="change_cert_idx"),
            models.Index(fields=["role", "-changed_at"], name="change_role_idx"),
            models.Index(fields=["skill", "-changed_at"], name="change_skill_idx"),
        ]

    def __str__(self):
        return f"{self.subject_name}: {self.fact_label}"

    def get_absolute_url(self):
        return reverse("roadmap:change", args=[self.pk])

    @property
    def subject(self):
        return self.certification or self.role or self.skill

    @property
    def subject_kind(self):
        """'certification', 'role' or 'skill': the changelog's filter for its subject."""
        for name in ("certification", "role", "skill"):
            if getattr(self, f"{name}_id"):
                return name
        return ""

    @property
    def summary(self):
        """'Retirement date: none → 30 Jun 2026', in words."""
        if self.kind == self.Kind.ADDED or self.fact == "correction":
            return f"{self.fact_label}: {self.new_value}"
        if self.kind == self.Kind.REMOVED:
            return f"{self.fact_label} removed (was {self.old_value})"
        return f"{self.fact_label}: {self.old_value or 'none'} → {self.new_value or 'none'}"


class Notice(models.Model):
    """One change told to one person. Unique per (user, change): never told twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    # Either a change to the catalogue or, for a team's managers, something that happened in
    # the team (accounts.TeamEvent).
    change = models.ForeignKey(
        CatalogueChange, on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    team_event = models.ForeignKey(
        "accounts.TeamEvent", on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField(null=True, blank=True)
    # The email that carried it; empty until a digest takes it (send_digests).
    digest = models.ForeignKey(
        "Digest", on_delete=models.SET_NULL, null=True, blank=True, related_name="notices"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "change"], name="notice_once_per_change"),
            models.CheckConstraint(
                condition=models.Q(change__isnull=True) ^ models.Q(team_event__isnull=True),
                name="notice_of_a_change_or_a_team_event",
            ),
        ]
        indexes = [models.Index(fields=["user", "seen_at"], name="notice_unseen_idx")]

    def __str__(self):
        if self.team_event_id:
            return f"Notice to user {self.user_id} of team event {self.team_event_id}"
        return f"Notice to user {self.user_id} of change {self.change_id}"


class Digest(models.Model):
    """One email of notices. Made (with its notices) in one transaction, then sent; a digest
    left unsent by a crash is sent by the next run, and a sent one is never sent again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Digest {self.pk} to user {self.user_id}"


class CorrectionQuerySet(models.QuerySet):
    def shown_on(self, kind, slug):
        """What a certification's, role's or skill's page lists: its open and accepted
        corrections, newest first (a rejected one is the sender's and the editors' alone)."""
        return self.filter(
            **{f"{kind}__slug": slug},
            state__in=[Correction.State.OPEN, Correction.State.ACCEPTED],
        ).order_by("-created_at", "-pk")


class Correction(models.Model):
    """A reader's report that a fact is wrong, with the source that says so. Its page lists
    its text, source and state while it is open and once accepted; never its sender (a
    user, or nobody for a reader without an account) nor the contact address."""

    class State(models.TextChoices):
        OPEN = "open", "Waiting for review"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Not accepted"

    # Empty for a reader who sent it without an account.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="corrections",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    certification = models.ForeignKey(
        Certification, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    role = models.ForeignKey(
        Role, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    skill = models.ForeignKey(
        Skill, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject_name = models.CharField(max_length=200)
    fact_label = models.CharField(max_length=120, blank=True)
    what_is_wrong = models.TextField(max_length=2000)
    source_url = models.URLField(max_length=500)
    contact = models.CharField(max_length=200, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reply = models.TextField(
        max_length=2000,
        blank=True,
        help_text="Shown to the sender with the decision, and on the page once accepted.",
    )

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Correction to {self.subject_name}: {self.fact_label or 'a fact'}"

    @property
    def subject(self):
        return self.certification or self.role or self.skill


class ReviewAction(models.Model):
    """A decision taken in the review queue: what, on what, by whom, when."""

    class Kind(models.TextChoices):
        SOURCE_CHECKED = "source_checked", "Source checked"
        CONFLICT_SETTLED = "conflict_settled", "Conflict settled"
        CORRECTION_ACCEPTED = "correction_accepted", "Correction accepted"
        CORRECTION_REJECTED = "correction_rejected", "Correction rejected"
        QUESTION_CHECKED = "question_checked", "Self-check question checked"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    subject = models.CharField(max_length=300)
    note = models.TextField(max_length=2000, blank=True)
    # For a settled conflict: which one, and its values when settled. It comes back to the
    # queue if the values change.
    conflict_key = models.CharField(max_length=64, blank=True, db_index=True)
    conflict_values = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.subject}"
