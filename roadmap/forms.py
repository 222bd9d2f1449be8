from django import forms

from .catalogue import cycle_created_by
from .models import Certification, Skill


class CertificationFilterForm(forms.Form):
    provider = forms.ChoiceField(required=False)
    level = forms.ChoiceField(
        required=False, choices=[("", "Any level"), *Certification.Level.choices]
    )
    status = forms.ChoiceField(
        required=False, choices=[("", "Any status"), *Certification.Status.choices]
    )

    def __init__(self, *args, providers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [("", "Any provider")] + [(p, p) for p in providers]

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("provider"):
            queryset = queryset.filter(provider=data["provider"])
        if data.get("level"):
            queryset = queryset.filter(level=data["level"])
        if data.get("status"):
            queryset = queryset.filter(status_code=data["status"])
        return queryset


class SkillAdminForm(forms.ModelForm):
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
        ]

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
