from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm

from roadmap.models import PayRegion, Role
from roadmap.pay import DEFAULT_REGION

from . import invite_mail
from .models import Team, User


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        required=True,
        help_text="We send it a link to confirm it. Used only to sign in and reset your password.",
        max_length=254,
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["username", "email"]

    def clean_email(self):
        # Whether another account has it is never said here (accounts/views/account.py signup).
        return self.cleaned_data["email"].strip()


class SignInForm(AuthenticationForm):
    """Django's sign-in form, taking a username or an email address."""

    username = forms.CharField(
        label="Username or email address",
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That username or email address and password do not match an account.",
    }


class RoleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, role):
        if role.is_ladder:
            return f"{role.rank}. {role.title}"
        return f"{role.title} (adjacent role)"


class ProfileForm(forms.ModelForm):
    current_role = RoleChoiceField(
        queryset=Role.objects.all(),
        required=False,
        empty_label="Not in an AI role yet",
        label="Where you are now",
    )
    target_role = RoleChoiceField(
        queryset=Role.objects.all(),
        required=True,
        empty_label="Choose a target role",
        label="Where you want to go",
        help_text=(
            "At the top, or happy where you are? Choose your current role again to keep it "
            "current: its skills, what changed since you marked them, and the certifications "
            "that fit it."
        ),
        error_messages={"required": "Choose the role you are aiming for, or your own role."},
    )

    hours_per_week = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=80,
        label="Hours a week for learning (optional)",
        help_text="With it, your path estimates when you may finish each rung.",
    )

    pay_region = forms.ChoiceField(
        required=False,
        choices=[("", f"{PayRegion(DEFAULT_REGION).label} (the default)"), *PayRegion.choices],
        label="Show pay for",
        help_text="The country whose pay figures the pages show you; nothing is converted.",
    )

    class Meta:
        model = User
        fields = ["current_role", "target_role", "hours_per_week", "pay_region"]

    def clean(self):
        data = super().clean()
        # A form without the current role (TargetRoleForm) checks against the one kept.
        if "current_role" in self.fields:
            current = data.get("current_role")
        else:
            current = self.instance.current_role
        target = data.get("target_role")
        # The current role as the target is allowed: "keep my role current".
        if target and target.is_below(current):
            self.add_error("target_role", "This role is below your current one on the ladder.")
        return data


class TargetRoleForm(ProfileForm):
    """ "Make this my target" on a role's page: the profile's target, by the profile's rules,
    and nothing else of the profile."""

    current_role = None
    hours_per_week = None
    pay_region = None

    class Meta(ProfileForm.Meta):
        fields = ["target_role"]

    def save(self):
        self.instance.save(update_fields=["target_role"])
        return self.instance


class JoinRolesForm(ProfileForm):
    """Right after joining a team: the member's roles (the profile's rules) and, in the same
    step, credit for what their current role covers. Skipping it changes nothing."""

    hours_per_week = None  # kept as it is: the profile page sets it
    credit = forms.BooleanField(
        required=False,
        initial=True,
        label="Mark done the skills my current role already covers",
        help_text="So the team counts what you know (nothing, if you are not in an AI role yet). "
        "You can undo it on your path.",
    )

    class Meta(ProfileForm.Meta):
        fields = ["current_role", "target_role"]


class TeamForm(forms.ModelForm):
    reference_role = RoleChoiceField(
        queryset=Role.objects.all(),
        empty_label="Choose a role",
        label="Measure the team against",
        help_text="The role whose skills the team page counts (for example Senior AI Engineer).",
        error_messages={"required": "Choose the role to measure the team against."},
    )

    class Meta:
        model = Team
        fields = ["name", "reference_role"]
        labels = {"name": "Team name"}
        error_messages = {"name": {"required": "Give the team a name."}}


class InviteForm(forms.Form):
    days = forms.IntegerField(
        min_value=1, max_value=30, initial=7, label="Valid for (days, 1 to 30)"
    )
    max_uses = forms.IntegerField(
        min_value=1,
        max_value=500,
        required=False,
        label="How many people may use it (optional, up to 500)",
    )


class InviteByEmailForm(forms.Form):
    """Addresses to send invite links to, each its own single-use link. Bounded: at most
    MAX_ADDRESSES at once, the whole field at most MAX_FIELD_CHARS characters."""

    addresses = forms.CharField(
        max_length=invite_mail.MAX_FIELD_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        label=f"Email addresses (one a line, up to {invite_mail.MAX_ADDRESSES})",
        help_text="Each is sent its own link that works once. We keep no copy of the addresses.",
        error_messages={"required": "Give at least one email address."},
    )
    days = forms.IntegerField(
        min_value=1, max_value=30, initial=7, label="Links valid for (days, 1 to 30)"
    )

    def clean_addresses(self):
        good, bad = invite_mail.split_addresses(self.cleaned_data["addresses"])
        given = len(good) + len(bad)
        if given > invite_mail.MAX_ADDRESSES:
            raise forms.ValidationError(
                f"At most {invite_mail.MAX_ADDRESSES} addresses at a time: you gave {given}. "
                "Nothing was sent."
            )
        self.good, self.bad = good, bad
        return self.cleaned_data["addresses"]


class JoinForm(forms.Form):
    agree = forms.BooleanField(
        label="I agree: the team's managers may see what is listed above.",
        error_messages={"required": "Tick the box to agree, or do not join."},
    )


class TeamFilterForm(forms.Form):
    STATUSES = [
        ("", "Any status"),
        ("done", "Someone has done it"),
        ("learning", "Someone is learning it"),
        ("not_started", "Someone has not started it"),
    ]

    measure = forms.ChoiceField(
        required=False,
        label="Measure against",
        choices=[("reference", "The team's role"), ("target", "Each member's own target")],
    )
    order = forms.ChoiceField(
        required=False,
        label="Members",
        choices=[
            ("joined", "In the order they joined"),
            ("name", "By name"),
            ("progress", "Most progress first"),
        ],
    )
    area = forms.ChoiceField(required=False, label="Area")
    status = forms.ChoiceField(required=False, choices=STATUSES, label="Status")
    gaps = forms.BooleanField(
        required=False, label="Only gaps (core skills nobody or one person has)"
    )

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "Every area"), *((a, a) for a in areas)]

    def keep(self, line):
        """Whether a skill's line passes the filters."""
        data = self.cleaned_data
        if data.get("area") and line.area != data["area"]:
            return False
        if data.get("status") and not any(cell[0] == data["status"] for cell in line.cells):
            return False
        return not (data.get("gaps") and not line.warning)
