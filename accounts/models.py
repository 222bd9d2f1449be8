import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils import timezone

from roadmap.models.claims import PayRegion


class User(AbstractUser):
    """The project's own user model, in place from the first migration.

    `current_role` empty means "not in an AI role yet". Changing either role never touches
    progress: progress belongs to skills, not to roles.
    """

    # PROTECT: deleting a role in admin must never clear people's roles behind their backs.
    current_role = models.ForeignKey(
        "roadmap.Role",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty: not in an AI role yet.",
    )
    target_role = models.ForeignKey(
        "roadmap.Role", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Changes whenever the user's progress or plans change (roadmap/signals.py): part of
    # the key under which their rendered path is cached, so a tick shows at once.
    progress_version = models.PositiveIntegerField(default=0, editable=False)
    # Pace is optional: with it, the path estimates a date range per rung.
    hours_per_week = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Hours a week you can give to learning (optional)."
    )
    # Sharing is opt-in: a read-only page of the path at /shared/<token>/, revocable.
    share_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    share_notes = models.BooleanField(
        default=False, help_text="Show notes and evidence links on the shared page."
    )
    # Opt-in: a digest of the changes that touch the user's plan (manage.py send_digests).
    notify_by_email = models.BooleanField(
        default=False,
        verbose_name="email me about changes",
        help_text="A digest of changes to certifications on your plan and skills on your path.",
    )
    display_name = models.CharField(
        max_length=60, blank=True, help_text="The name a shared page shows (optional)."
    )
    # The country whose pay figures the pages show this user first (empty: the default).
    pay_region = models.CharField(
        max_length=2,
        choices=PayRegion.choices,
        blank=True,
        verbose_name="pay shown for",
        help_text="The country whose pay figures the pages show you.",
    )

    @property
    def public_name(self):
        """The name a shared page may show: the display name, else the username unless it
        looks like an email address (never published); '' when there is neither."""
        if self.display_name:
            return self.display_name
        return "" if "@" in self.username else self.username


def invite_token():
    return secrets.token_urlsafe(24)


class Team(models.Model):
    """People who track their paths together, each member by consent. A Head of AI (or any
    manager) sees who knows what against a reference role; members see the team's counts
    and their own row."""

    name = models.CharField(max_length=80)
    # PROTECT: a catalogue edit never deletes a team.
    reference_role = models.ForeignKey(
        "roadmap.Role",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The role the team's coverage is measured against.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("team", args=[self.pk])


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        MANAGER = "manager", "Manager"
        MEMBER = "member", "Member"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)
    # A manager's suggestion of a target role: the member accepts or declines it; nothing
    # about the member changes without them.
    suggested_role = models.ForeignKey(
        "roadmap.Role", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="membership_once_per_team")
        ]

    def __str__(self):
        return f"{self.user} in {self.team} ({self.get_role_display()})"

    @property
    def manages(self):
        return self.role in (self.Role.OWNER, self.Role.MANAGER)


class Invite(models.Model):
    """A link that lets people join a team: unguessable, expiring, optionally limited in
    uses, revocable."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invites")
    token = models.CharField(max_length=64, unique=True, default=invite_token)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    max_uses = models.PositiveIntegerField(null=True, blank=True)
    uses = models.PositiveIntegerField(default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Invite to {self.team}"

    def get_absolute_url(self):
        return reverse("join_team", args=[self.token])

    def why_unusable(self, now=None):
        """'' when the link works; else why not, in words."""
        now = now or timezone.now()
        if self.revoked_at:
            return "This invite link was withdrawn by the team's managers."
        if now >= self.expires_at:
            return "This invite link has expired."
        if self.max_uses is not None and self.uses >= self.max_uses:
            return "This invite link has been used as many times as it allows."
        return ""
