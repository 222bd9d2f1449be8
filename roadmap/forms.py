from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import Truncator

from .loading import cycle_created_by
from .models import (
    Certification,
    CertificationProgress,
    Skill,
    SkillProgress,
    Source,
    http_url,
    sane_date,
    sane_exam_date,
)


class HttpURLField(forms.URLField):
    """A web link: http or https only, with one clear message for anything else."""

    default_validators = [http_url]

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        kwargs.setdefault("max_length", 500)
        super().__init__(**kwargs)


class CertificationFilterForm(forms.Form):
    provider = forms.ChoiceField(required=False)
    level = forms.ChoiceField(
        required=False, choices=[("", "Any level"), *Certification.Level.choices]
    )
    status = forms.ChoiceField(
        required=False, choices=[("", "Any status"), *Certification.Status.choices]
    )

    def __init__(self, *args, providers=(), levels=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [("", "Any provider")] + [(p, p) for p in providers]
        if levels is not None:  # offer only the levels some certification has
            self.fields["level"].choices = [("", "Any level")] + [
                (value, label) for value, label in Certification.Level.choices if value in levels
            ]

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("provider"):
            queryset = queryset.filter(provider=data["provider"])
        if data.get("level"):
            queryset = queryset.filter(level=data["level"])
        if data.get("status"):
            queryset = queryset.filter(status_code=data["status"])
        return queryset


class SlugList(forms.Field):
    """Every value of a repeated parameter (?c=a&c=b), blanks dropped, each once, in the
    order given. Never drawn by Django: the template lays out its checkboxes."""

    widget = forms.MultipleHiddenInput
    LONGEST = 80  # no slug is longer

    def to_python(self, value):
        if not value:
            return []
        if not isinstance(value, (list, tuple)):
            raise ValidationError("Choose certifications from the list.", code="invalid")
        return list(dict.fromkeys(v.strip()[: self.LONGEST + 1] for v in value if v.strip()))


class CompareForm(forms.Form):
    """Which certifications to compare: ?c=<slug>, two to five times, in the order given.

    `certifications` are every certification ({slug: Certification}); cleaned, ``c`` is the
    chosen Certification objects. One alone is valid (the page asks for another); more
    than five, an unknown name or a category is refused with a message."""

    c = SlugList(required=False, label="Certifications to compare")

    def __init__(self, data, certifications):
        super().__init__(data)
        self.certifications = certifications

    def clean_c(self):
        from .comparing import MOST

        slugs = self.cleaned_data["c"]
        if len(slugs) > MOST:
            raise ValidationError(
                f"Choose at most {MOST} certifications to compare: you chose {len(slugs)}. "
                "Untick some and compare again."
            )
        for slug in slugs:
            certification = self.certifications.get(slug)
            if certification is None:
                raise ValidationError(
                    "There is no certification called “%(name)s”: choose from the list.",
                    params={"name": Truncator(slug).chars(SlugList.LONGEST)},
                )
            if certification.is_category:
                raise ValidationError(
                    "%(name)s is a category of certifications, not a single certificate: "
                    "it has no exam to compare.",
                    params={"name": certification.name},
                )
        return [self.certifications[slug] for slug in slugs]


class ChangeSourceForm(forms.ModelForm):
    """An admin form for a catalogue row whose facts the pages show: an edit that changes
    one of them says where the new value comes from (a source, or the review decision), so
    the changelog can show it instead of "No source recorded for this change"."""

    change_source = forms.ModelChoiceField(
        queryset=Source.objects.order_by("title"),
        required=False,
        label="Source of this change",
        help_text="Where the new value comes from. Needed when you change a fact the pages "
        "show (a name, a date, a summary...).",
    )
    change_reason = forms.CharField(
        max_length=300,
        required=False,
        label="Or the review decision",
        help_text="When no source in the list says it: the decision behind the change, e.g. "
        "“Vendor's page checked on 2 Dec 2026”.",
    )

    def clean(self):
        from .changelog import TRACKED

        data = super().clean()
        tracked = {fact.field for fact in TRACKED[self._meta.model]}
        changed = tracked & set(self.changed_data)
        if (
            self.instance.pk
            and changed
            and not (data.get("change_source") or data.get("change_reason", "").strip())
        ):
            self.add_error(
                "change_source",
                forms.ValidationError(
                    "Say where the new value comes from: choose its source, or name the "
                    "review decision.",
                    code="no_source",
                ),
            )
        return data

    def apply_change_source(self, obj):
        """Hand the source (or the decision) to the changelog for this save."""
        obj.change_source = self.cleaned_data.get("change_source")
        obj.change_reason = self.cleaned_data.get("change_reason", "").strip()


class SkillAdminForm(ChangeSourceForm):
    class Meta:
        model = Skill
        fields = [
            "slug",
            "name",
            "area",
            "summary",
            "why_it_matters",
            "why_source",
            "prerequisites",
            "effort_hours_low",
            "effort_hours_high",
        ]

    def clean(self):
        data = super().clean()
        low, high = data.get("effort_hours_low"), data.get("effort_hours_high")
        if (low is None) != (high is None):
            raise forms.ValidationError("Give both ends of the effort estimate, or neither.")
        if low is not None and high is not None and high < low:
            self.add_error("effort_hours_high", "The high end cannot be below the low end.")
        return data

    def clean_prerequisites(self):
        prerequisites = self.cleaned_data["prerequisites"]
        cycle = cycle_created_by(self.instance, prerequisites)
        if cycle:
            raise forms.ValidationError(
                "These prerequisites would make a cycle: %(cycle)s. A skill cannot, "
                "through its prerequisites, require itself.",
                code="prerequisite_cycle",
                params={"cycle": " → ".join(cycle)},
            )
        return prerequisites


class SkillNoteForm(forms.ModelForm):
    evidence_url = HttpURLField(
        required=False,
        label="Evidence link",
        help_text="A web address; https:// is added if you leave it out.",
    )

    class Meta:
        model = SkillProgress
        fields = ["note", "evidence_url", "hours_estimate"]
        labels = {
            "note": "Note",
            "evidence_url": "Evidence link",
            "hours_estimate": "Your estimate (hours)",
        }
        help_texts = {
            "note": "Up to 5,000 characters.",
            "hours_estimate": (
                "How many hours you expect it to take you, 1 to 2,000. Your pace on My path "
                "uses it instead of admins’ estimate. Leave empty to use theirs."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No maxlength: a browser would cut a longer paste silently; the form says instead.
        self.fields["note"].widget.attrs.pop("maxlength", None)


class CertificationPlanForm(forms.Form):
    REMOVE = "remove"
    status = forms.ChoiceField(
        choices=[*CertificationProgress.Status.choices, (REMOVE, "Remove from my plan")],
        error_messages={"invalid_choice": "Choose planned, preparing, earned or remove."},
    )
    # The same range the database keeps: a date it would refuse is a message, not a 500.
    earned_on = forms.DateField(required=False, label="Date earned", validators=[sane_date])
    credential_url = HttpURLField(required=False, label="Credential link")
    exam_on = forms.DateField(required=False, label="Exam date", validators=[sane_exam_date])

    def __init__(self, *args, certification, existing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.certification = certification
        self.existing = existing

    def clean(self):
        data = super().clean()
        status = data.get("status")
        new_plan = status in (
            CertificationProgress.Status.PLANNED,
            CertificationProgress.Status.PREPARING,
        )
        if new_plan and self.certification.is_retired:
            already = self.existing is not None and self.existing.status == status
            if not already:
                successors = [s.name for s in self.certification.successors.all()]
                message = f"{self.certification.name} is retired and can no longer be earned."
                if successors:
                    message += f" Plan {' or '.join(successors)} instead."
                raise forms.ValidationError(message, code="retired")
        if (
            status == CertificationProgress.Status.EARNED
            and data.get("earned_on")
            and data["earned_on"] > timezone.localdate()
        ):
            self.add_error("earned_on", "The date you earned it cannot be in the future.")
        return data


class CorrectionForm(forms.Form):
    """What a reader says is wrong with a fact, and the source that says otherwise."""

    OTHER = "Something else on the page"

    fact = forms.ChoiceField(label="Which fact")
    what_is_wrong = forms.CharField(
        label="What is wrong",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What the page says, and what it should say instead (up to 2,000 characters).",
    )
    source_url = HttpURLField(
        label="A source that says otherwise",
        help_text="The web address of the page that shows the right figure or date.",
    )
    contact = forms.EmailField(
        label="Your email address (optional)",
        max_length=200,
        required=False,
        help_text="Only if you would like an editor to write back. Only the editors see it; "
        "the page never shows it.",
    )
    # A trap for robots: hidden from people (correction_form.html: off screen, out of the tab
    # order, hidden from screen readers), filled in by scripts that fill every field. Filled
    # in, the sender is thanked as usual and nothing is saved.
    website = forms.CharField(
        label="Leave this empty",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, facts=(), **kwargs):
        super().__init__(*args, **kwargs)
        labels = list(dict.fromkeys([*facts, self.OTHER]))
        self.fields["fact"].choices = [(label, label) for label in labels]

    @property
    def is_robot(self):
        return bool(self.is_bound and self.data.get("website", "").strip())
