from django.contrib import admin, messages
from django.contrib.admin.utils import NestedObjects
from django.db import models, router
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst

from accounts.models import Membership, Team, User

from . import facts
from .forms import ChangeSourceForm, SkillAdminForm
from .models import (
    CURRENT_DATA_YEAR,
    STALE_AFTER,
    CatalogueChange,
    CatalogueLoad,
    Certification,
    CertificationProgress,
    CertificationSource,
    CheckAttempt,
    CheckQuestion,
    Claim,
    Correction,
    Resource,
    ReviewAction,
    Role,
    RoleSkill,
    Skill,
    SkillArea,
    SkillProgress,
    Source,
)

# Users' data that catalogue rows point at, and what the delete page says instead of names.
USER_DATA = {
    SkillProgress: "people's progress on it",
    CertificationProgress: "people's certification plans",
    CheckAttempt: "people's self-check attempts",
    User: "people's current or target role",
    Membership: "targets suggested to team members",
    Team: "teams measured against it",
}
KEEP_INSTEAD = {
    "certification": "Set its retirement date instead: it then shows as retired, is never "
    "recommended, and stays on the plans of those who hold it.",
    "role": "Edit the role instead; people choose their own roles.",
    "skill": "Edit the skill instead, or take it off the roles that need it.",
}


class ProtectUserDataAdmin(admin.ModelAdmin):
    """Catalogue rows that users' data points at cannot be deleted (the foreign keys are
    PROTECT), and the delete page says so in counts: it never shows a user's name, status
    or plan to a catalogue editor."""

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        collector = NestedObjects(using=router.db_for_write(self.model))
        collector.collect(objs)
        held = {}
        for obj in collector.protected:
            if type(obj) in USER_DATA:
                held[type(obj)] = held.get(type(obj), 0) + 1
        if not held:
            return deleted, model_count, perms_needed, protected
        protected = [
            f"{capfirst(obj._meta.verbose_name)}: {obj}"
            for obj in collector.protected
            if type(obj) not in USER_DATA
        ]
        for model, count in held.items():
            protected.append(f"{USER_DATA[model]}: {count} (names are not shown)")
        advice = KEEP_INSTEAD.get(self.model._meta.model_name)
        if advice:
            protected.append(advice)
        return deleted, model_count, perms_needed, protected


class CatalogueAdmin(ProtectUserDataAdmin):
    # A URL typed without a scheme is taken as https, as Django 6 will do.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class ChangeSourceAdmin(CatalogueAdmin):
    """Certifications, roles and skills: an edit to a fact the pages show names its source
    (ChangeSourceForm), and the changelog records it."""

    form = ChangeSourceForm

    def save_model(self, request, obj, form, change):
        form.apply_change_source(obj)
        super().save_model(request, obj, form, change)


class FreshnessFilter(admin.SimpleListFilter):
    title = "freshness"
    parameter_name = "freshness"

    def lookups(self, request, model_admin):
        return [("stale", "Checked over a year ago"), ("fresh", "Checked within a year")]

    def queryset(self, request, queryset):
        cutoff = timezone.localdate() - STALE_AFTER
        if self.value() == "stale":
            return queryset.filter(checked_on__lt=cutoff)
        if self.value() == "fresh":
            return queryset.filter(checked_on__gte=cutoff)
        return queryset


@admin.register(Source)
class SourceAdmin(CatalogueAdmin):
    list_display = ["title", "publisher", "tier", "published_on", "checked_on", "fresh"]
    list_filter = ["kind", FreshnessFilter]
    search_fields = ["title", "publisher", "url"]
    prepopulated_fields = {"slug": ["title"]}

    @admin.display(description="Tier", ordering="kind")
    def tier(self, obj):
        return obj.tier_label

    @admin.display(boolean=True, description="Checked within a year")
    def fresh(self, obj):
        return not obj.is_stale


class RoleSkillInline(admin.TabularInline):
    model = RoleSkill
    extra = 0
    autocomplete_fields = ["skill"]


class ClaimInline(admin.StackedInline):
    """Claims edited on their certification, role or skill, each with its source."""

    model = Claim
    extra = 0
    autocomplete_fields = ["source"]
    fk_name = None  # set per subject below
    fieldsets = [
        (None, {"fields": [("slug", "attribute", "topic"), "source"]}),
        (
            "Value",
            {"fields": [("amount", "amount_high", "unit"), ("on_date", "text"), "qualifier"]},
        ),
        (
            "Whom and when it describes",
            {
                "fields": [
                    ("figure_kind", "region", "data_year", "period"),
                    ("country", "pay_period", "series"),
                    "population",
                    ("occupation", "is_proxy"),
                ]
            },
        ),
    ]


class CertificationClaimInline(ClaimInline):
    fk_name = "certification"


class RoleClaimInline(ClaimInline):
    fk_name = "role"


class SkillClaimInline(ClaimInline):
    fk_name = "skill"


@admin.register(Role)
class RoleAdmin(ChangeSourceAdmin):
    list_display = ["title", "kind", "rank", "years_range", "years_estimated"]
    list_filter = ["kind"]
    search_fields = ["title", "alternative_titles", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["next_roles", "sources"]
    inlines = [RoleSkillInline, RoleClaimInline]

    @admin.display(description="Years")
    def years_range(self, obj):
        return obj.years_label or "—"


@admin.register(SkillArea)
class SkillAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class ResourceInline(admin.TabularInline):
    model = Resource
    formfield_overrides = CatalogueAdmin.formfield_overrides
    extra = 0


class CheckQuestionInline(admin.StackedInline):
    """A skill's self-check questions, edited under the skill (roadmap/checks.py: the rules)."""

    model = CheckQuestion
    formfield_overrides = CatalogueAdmin.formfield_overrides
    extra = 0
    fieldsets = [
        (None, {"fields": [("key", "kind", "is_active"), "prompt", "options", "correct"]}),
        (None, {"fields": [("answer", "tolerance"), "explanation", ("source_url", "checked_on")]}),
    ]


@admin.register(CheckQuestion)
class CheckQuestionAdmin(CatalogueAdmin):
    list_display = ["key", "skill", "kind", "is_active", "checked_on"]
    list_filter = ["kind", "is_active", "skill__area"]
    list_select_related = ["skill"]
    search_fields = ["key", "prompt", "skill__name"]
    autocomplete_fields = ["skill"]
    fieldsets = [(None, {"fields": ["skill"]}), *CheckQuestionInline.fieldsets]


@admin.register(Skill)
class SkillAdmin(ChangeSourceAdmin):
    form = SkillAdminForm
    list_display = ["name", "area", "why_source"]
    list_filter = ["area"]
    list_select_related = ["area", "why_source"]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["prerequisites", "why_source"]
    inlines = [ResourceInline, SkillClaimInline, CheckQuestionInline]


@admin.register(RoleSkill)
class RoleSkillAdmin(admin.ModelAdmin):
    list_display = ["role", "skill", "importance"]
    list_filter = ["importance", "role"]
    list_select_related = ["role", "skill"]
    search_fields = ["role__title", "skill__name"]
    autocomplete_fields = ["role", "skill"]


@admin.register(Resource)
class ResourceAdmin(CatalogueAdmin):
    list_display = ["title", "skill", "url"]
    list_select_related = ["skill"]
    search_fields = ["title", "url", "skill__name"]
    autocomplete_fields = ["skill"]


class StatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Certification.Status.choices

    def queryset(self, request, queryset):
        if self.value() in Certification.Status.values:
            return queryset.with_status_code(self.value())
        return queryset


class CertificationSourceInline(admin.TabularInline):
    model = CertificationSource
    extra = 0
    autocomplete_fields = ["source"]


@admin.register(Certification)
class CertificationAdmin(ChangeSourceAdmin):
    list_display = [
        "name",
        "provider",
        "level",
        "exam_code",
        "status_badge",
        "retires_on",
        "successor_names",
    ]
    list_filter = ["provider", "level", StatusFilter]
    search_fields = ["name", "exam_code", "provider"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["skills", "roles", "successors"]
    inlines = [CertificationClaimInline, CertificationSourceInline]
    actions = ["mark_retired_today"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("successors")

    @admin.display(description="Status")
    def status_badge(self, obj):
        status = obj.status
        return format_html('<span class="badge badge-{}">{}</span>', status.value, status.label)

    @admin.display(description="Successor")
    def successor_names(self, obj):
        return ", ".join(s.name for s in obj.successors.all()) or "—"

    @admin.action(description="Mark selected certifications retired today", permissions=["change"])
    def mark_retired_today(self, request, queryset):
        # One save each, not update(): the changelog and the people planning each one hear
        # of it (roadmap/changelog.py), and the catalogue version moves.
        count = 0
        for certification in queryset:
            certification.retires_on = timezone.localdate()
            # The changelog names the decision when no source is cited for the date.
            certification.change_reason = "The editors' decision to retire it today"
            certification.save()
            count += 1
        self.message_user(
            request, f"{count} certification(s) marked retired as of today.", messages.SUCCESS
        )


class FactFilter(admin.SimpleListFilter):
    """Filters that need every claim about the same thing at once (a small table)."""

    title = "needs a look"
    parameter_name = "look"

    def lookups(self, request, model_admin):
        return [
            ("conflicts", "Has conflicts"),
            ("third_party_only", "Third-party only"),
            ("old_data", "Data older than 2025"),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "old_data":
            return queryset.filter(data_year__lt=CURRENT_DATA_YEAR)
        if value not in ("conflicts", "third_party_only"):
            return queryset
        pks = []
        for fact in facts.group(Claim.objects.select_related("source")):
            if value == "conflicts" and fact.conflict:
                pks.extend(c.pk for c in fact.claims)
            official = {Source.Kind.OFFICIAL, Source.Kind.RELAY}
            if value == "third_party_only" and not any(
                c.source.kind in official for c in fact.claims
            ):
                pks.extend(c.pk for c in fact.claims)
        return queryset.filter(pk__in=pks)


@admin.register(Claim)
class ClaimAdmin(CatalogueAdmin):
    list_display = ["slug", "subject_name", "attribute", "value", "source", "tier", "data_year"]
    list_filter = [FactFilter, "attribute", "source__kind", "is_proxy"]
    list_select_related = ["certification", "role", "skill", "source"]
    search_fields = ["slug", "topic", "occupation", "source__title", "source__publisher"]
    autocomplete_fields = ["certification", "role", "skill", "source"]

    @admin.display(description="About")
    def subject_name(self, obj):
        return str(obj.subject)

    @admin.display(description="Value")
    def value(self, obj):
        return obj.figure_label if obj.figure_kind else obj.value_label

    @admin.display(description="Tier")
    def tier(self, obj):
        return obj.source.tier_label


@admin.register(CatalogueLoad)
class CatalogueLoadAdmin(admin.ModelAdmin):
    list_display = ["model", "key", "loaded_at"]
    list_filter = ["model"]
    search_fields = ["key"]
    readonly_fields = ["model", "key", "digest", "loaded_at"]

    def has_add_permission(self, request):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that only the app writes: admins read them; nobody edits or deletes them
    here (the changelog is public history, the review log an audit trail)."""

    formfield_overrides = CatalogueAdmin.formfield_overrides

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CatalogueChange)
class CatalogueChangeAdmin(ReadOnlyAdmin):
    list_display = ["changed_at", "subject_name", "fact_label", "old_value", "new_value", "origin"]
    list_filter = ["origin", "kind", "fact"]
    search_fields = ["subject_name", "fact_label", "old_value", "new_value"]
    date_hierarchy = "changed_at"


@admin.register(ReviewAction)
class ReviewActionAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "subject", "by", "note"]
    list_filter = ["kind"]
    list_select_related = ["by"]
    search_fields = ["subject", "note"]


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    """Decided in the review queue (recorded there); listed here to search past ones."""

    list_display = ["created_at", "subject_name", "fact_label", "state", "reviewed_at"]
    list_filter = ["state"]
    search_fields = ["subject_name", "fact_label", "what_is_wrong", "source_url"]
    readonly_fields = [
        "user",
        "created_at",
        "certification",
        "role",
        "skill",
        "subject_name",
        "fact_label",
        "what_is_wrong",
        "source_url",
        "contact",
        "state",
        "reviewed_at",
        "reviewed_by",
        "reply",
    ]

    def has_add_permission(self, request):
        return False
