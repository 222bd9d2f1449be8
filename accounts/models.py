from django.contrib.auth.models import AbstractUser
from django.db import models


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
    display_name = models.CharField(
        max_length=60, blank=True, help_text="The name a shared page shows (optional)."
    )

    @property
    def public_name(self):
        """The name a shared page may show: the display name, else the username unless it
        looks like an email address (never published); '' when there is neither."""
        if self.display_name:
            return self.display_name
        return "" if "@" in self.username else self.username
