import datetime
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models, transaction
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
    # Changes whenever the user's progress or plans change (bump_progress_version): part of
    # the key under which their rendered path is cached (roadmap/caching.py), so a tick
    # shows at once.
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
    # Opt-in: a private calendar feed (iCalendar) of exam days and renewal windows at
    # /calendar/<token>.ics, for calendar apps that cannot sign in. Resetting it makes a new
    # token, so the old address shows nothing.
    calendar_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # Opt-in: a digest of the changes that touch the user's plan (manage.py send_digests).
    notify_by_email = models.BooleanField(
        default=False,
        verbose_name="email me about changes",
        help_text="A digest of changes to certifications on your plan and skills on your path.",
    )
    # Which subscription the digests belong to: moved on each new opt-in and signed into the
    # unsubscribe link, so a link mailed for an earlier subscription no longer works.
    subscription = models.PositiveIntegerField(default=0, editable=False)
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

    def bump_progress_version(self):
        """Make the user's cached path render afresh (roadmap/caching.py): called whenever
        what it shows of them changes. An UPDATE with F(), so concurrent bumps all count;
        only the primary key is needed (``User(pk=...)`` will do)."""
        User.objects.filter(pk=self.pk).update(progress_version=models.F("progress_version") + 1)

    def set_notify_by_email(self, wanted):
        """Turn the digest emails on or off. Turning them on is a new subscription: the
        unsubscribe links mailed for an earlier one stop working."""
        fields = ["notify_by_email"]
        if wanted and not self.notify_by_email:
            self.subscription += 1
            fields.append("subscription")
        self.notify_by_email = wanted
        self.save(update_fields=fields)

    @property
    def calendar_url(self):
        """The secret address of the user's calendar feed, on the site's own URL; ''."""
        if not self.calendar_token:
            return ""
        return settings.SITE_URL + reverse("roadmap:calendar_feed", args=[self.calendar_token])

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
        return reverse("accounts:team", args=[self.pk])

    # The team's rules. Each change locks the team's row first, then (where it needs them)
    # its memberships in id order: every caller takes the locks in the same order, so two
    # changes never deadlock, and each one sees what the one before it committed. So a team
    # keeps an owner under any interleaving, and is written here once.

    @classmethod
    @transaction.atomic
    def start(cls, owner, **fields):
        """A new team with `owner` as its owner, within the per-person cap."""
        # The owner's row serialises their own creations: two at once cannot pass the cap.
        User.objects.select_for_update().filter(pk=owner.pk).exists()
        cap = settings.TEAMS_OWNED_PER_PERSON
        owned = Membership.objects.filter(user=owner, role=Membership.Role.OWNER).count()
        if owned >= cap:
            raise TeamChangeRefused(
                f"You own {owned} teams, the most one person may: hand one over or end one "
                "before starting another."
            )
        team = cls.objects.create(**fields)
        Membership.objects.create(team=team, user=owner, role=Membership.Role.OWNER)
        return team

    def _lock(self):
        """Lock the team's row (the first lock every change takes); refused if it is gone."""
        if not Team.objects.select_for_update().filter(pk=self.pk).exists():
            raise TeamChangeRefused("This team no longer exists.")

    def _locked_memberships(self):
        """The team's memberships, locked in id order, after the team's row."""
        self._lock()
        return list(Membership.objects.select_for_update().filter(team=self).order_by("pk"))

    def _member(self, memberships, user, manager=False, owner=False):
        mine = next((m for m in memberships if m.user_id == user.pk), None)
        if mine is None:
            raise TeamChangeRefused("You are no longer in this team.")
        if owner and mine.role != Membership.Role.OWNER:
            raise TeamChangeRefused("Only an owner can do that, and you are no longer one.")
        if manager and not mine.manages:
            raise TeamChangeRefused("Only a manager can do that, and you are no longer one.")
        return mine

    @transaction.atomic
    def make_invite(self, by, days, max_uses=None):
        """A new invite link, made by a manager, within the cap of open links per team."""
        memberships = self._locked_memberships()
        self._member(memberships, by, manager=True)
        now = timezone.now()
        cap = settings.ACTIVE_INVITES_PER_TEAM
        if self.invites.filter(revoked_at=None, expires_at__gt=now).count() >= cap:
            raise TeamChangeRefused(
                f"The team already has {cap} open invite links, the most it may: withdraw "
                "one before making another."
            )
        return Invite.objects.create(
            team=self,
            created_by=by,
            expires_at=now + datetime.timedelta(days=days),
            max_uses=max_uses,
        )

    @transaction.atomic
    def join(self, user, invite):
        """`user` joins through `invite`; True if they joined, False if already a member.
        A use is counted only when a membership is made."""
        self._lock()
        if Membership.objects.filter(team=self, user=user).exists():
            return False
        invite = Invite.objects.select_for_update().get(pk=invite.pk, team=self)
        problem = invite.why_unusable(user)
        if problem:
            raise TeamChangeRefused(problem)
        Membership.objects.create(team=self, user=user)
        Invite.objects.filter(pk=invite.pk).update(uses=models.F("uses") + 1)
        TeamEvent.tell_managers(self, TeamEvent.Kind.JOINED, user)
        return True

    @transaction.atomic
    def leave(self, user):
        """`user` leaves; True when they were the last member and the team is gone. The
        only owner of a team with other members hands over first."""
        memberships = self._locked_memberships()
        mine = self._member(memberships, user)
        others = [m for m in memberships if m.pk != mine.pk]
        if not others:
            self.delete()
            return True
        if mine.role == Membership.Role.OWNER and not _owners(others):
            raise TeamChangeRefused(
                "You are the team's only owner: make someone else an owner first, then leave."
            )
        mine.delete()
        TeamEvent.tell_managers(self, TeamEvent.Kind.LEFT, user)
        return False

    @transaction.atomic
    def set_role(self, by, membership_pk, role):
        """An owner gives a member a role, ownership included; the team keeps an owner."""
        memberships = self._locked_memberships()
        self._member(memberships, by, owner=True)
        target = next((m for m in memberships if m.pk == membership_pk), None)
        if target is None:
            raise TeamChangeRefused("That person is no longer in the team.")
        others = [m for m in memberships if m.pk != target.pk]
        if role != Membership.Role.OWNER and not _owners(others):
            raise TeamChangeRefused("The team needs an owner: make someone else one first.")
        target.role = role
        target.save(update_fields=["role"])

    @transaction.atomic
    def remove(self, by, membership_pk):
        """A manager removes a member (only an owner removes an owner). The link they
        joined by, and any made before, no longer let them back in."""
        memberships = self._locked_memberships()
        mine = self._member(memberships, by, manager=True)
        target = next((m for m in memberships if m.pk == membership_pk), None)
        if target is None:
            raise TeamChangeRefused("That person is no longer in the team.")
        if target.pk == mine.pk:
            raise TeamChangeRefused("To leave the team yourself, use “Leave this team”.")
        if target.role == Membership.Role.OWNER and mine.role != Membership.Role.OWNER:
            raise TeamChangeRefused("Only an owner can remove an owner.")
        target.delete()
        Removal.objects.update_or_create(
            team=self, user_id=target.user_id, defaults={"removed_at": timezone.now()}
        )
        TeamEvent.tell_managers(self, TeamEvent.Kind.REMOVED, target.user, by=by)

    @classmethod
    @transaction.atomic
    def hand_over_from(cls, user):
        """Before `user`'s account goes: each team left without an owner passes to its
        longest-standing manager, else its longest-standing member; a team left with nobody
        goes too, its invite links with it."""
        teams = (
            cls.objects.select_for_update(of=("self",))
            .filter(memberships__user=user)
            .order_by("pk")
        )
        for team in list(teams):
            memberships = list(
                Membership.objects.select_for_update().filter(team=team).order_by("pk")
            )
            others = [m for m in memberships if m.user_id != user.pk]
            if not others:
                team.delete()
            elif not _owners(others):
                seniority = sorted(others, key=lambda m: (m.joined_at, m.pk))
                managers = [m for m in seniority if m.role == Membership.Role.MANAGER]
                heir = (managers or seniority)[0]
                heir.role = Membership.Role.OWNER
                heir.save(update_fields=["role"])


class TeamChangeRefused(Exception):
    """A change to a team that its rules refuse; the message says why, to the person."""


def _owners(memberships):
    return [m for m in memberships if m.role == Membership.Role.OWNER]


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
        return reverse("accounts:join_team", args=[self.token])

    def why_unusable(self, user=None, now=None):
        """'' when the link works (for `user`, if given); else why not, in words."""
        now = now or timezone.now()
        if user is not None and self.removed_since_made(user):
            return "You were removed from this team, so this link no longer lets you in."
        if self.revoked_at:
            return "This invite link was withdrawn by the team's managers."
        if now >= self.expires_at:
            return "This invite link has expired."
        if self.max_uses is not None and self.uses >= self.max_uses:
            return "This invite link has been used as many times as it allows."
        return ""

    def removed_since_made(self, user):
        """Whether `user` was removed from the team after this link was made."""
        return Removal.objects.filter(
            team_id=self.team_id, user=user, removed_at__gte=self.created_at
        ).exists()


class Removal(models.Model):
    """Who was removed from a team, and when: links made before then no longer let them
    back in (a new invite does)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    removed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="removal_once_per_team")
        ]

    def __str__(self):
        return f"{self.user} removed from {self.team}"


class TeamEvent(models.Model):
    """Something a team's managers are told of: a member joined, left or was removed, or
    answered a suggested target. It holds the member's public name as it was, and never
    anything of theirs beyond it (no notes, no evidence, no progress)."""

    class Kind(models.TextChoices):
        JOINED = "joined", "joined"
        LEFT = "left", "left"
        REMOVED = "removed", "was removed from"
        ACCEPTED = "accepted", "accepted the suggested target"
        DECLINED = "declined", "declined the suggested target"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    member_name = models.CharField(max_length=60)
    role_title = models.CharField(max_length=120, blank=True)  # of a suggestion answered
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.summary

    @property
    def summary(self):
        """'bea joined Platform AI.', 'bea accepted the suggested target (Head of AI).'"""
        if self.kind in (self.Kind.ACCEPTED, self.Kind.DECLINED):
            return (
                f"{self.member_name} {self.get_kind_display()} ({self.role_title}) in {self.team}."
            )
        return f"{self.member_name} {self.get_kind_display()} {self.team}."

    @classmethod
    def tell_managers(cls, team, kind, member, by=None, role=None):
        """Record the event and give each of the team's managers a notice of it (in the
        app, and in their digest if they opted in); the person who did it is not told."""
        from roadmap.models import Notice

        event = cls.objects.create(
            team=team,
            kind=kind,
            member_name=member.public_name or "A member",
            role_title=role.title if role else "",
        )
        managers = Membership.objects.filter(
            team=team, role__in=[Membership.Role.OWNER, Membership.Role.MANAGER]
        ).exclude(user_id__in=[member.pk, by.pk if by else None])
        Notice.objects.bulk_create(
            Notice(user_id=pk, team_event=event)
            for pk in managers.values_list("user_id", flat=True)
        )
        return event
