from axes import admin as axes_admin
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import transaction

from .deletion import forget_account
from .models import Invite, Membership, Team, User


@admin.register(User)
class AccountAdmin(UserAdmin):
    """Deleting a user here is deleting their account: the same path as their own
    deletion (teams handed over, sign-in records and sessions gone)."""

    def delete_model(self, request, obj):
        forget_account(obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for user in queryset.order_by("pk"):
                forget_account(user)


class MembershipInline(admin.TabularInline):
    """Who is in the team and with what role: for support. Members' progress is never in
    admin."""

    model = Membership
    extra = 0
    fields = ["user", "role", "joined_at"]
    readonly_fields = ["joined_at"]
    raw_id_fields = ["user"]


class InviteInline(admin.TabularInline):
    model = Invite
    extra = 0
    fields = ["created_by", "created_at", "expires_at", "max_uses", "uses", "revoked_at"]
    readonly_fields = ["created_by", "created_at", "uses"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "reference_role", "created_at"]
    search_fields = ["name"]
    inlines = [MembershipInline, InviteInline]


if admin.site.is_registered(AccessAttempt):

    class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
        """django-axes' own, but its clean-up action deletes rows: it needs delete permission
        (axes declares none, so any staff who could view attempts could run it). Axes' handler
        reads attributes its middleware sets only on sign-in requests: set them first, or the
        action is a 500."""

        @admin.action(description="Clean up expired attempts", permissions=["delete"])
        def cleanup_expired_attempts(self, request, queryset):
            AxesProxyHandler.update_request(request)
            return super().cleanup_expired_attempts(request, queryset)

    admin.site.unregister(AccessAttempt)
    admin.site.register(AccessAttempt, AccessAttemptAdmin)
