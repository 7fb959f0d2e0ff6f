"""Browser forms. They validate input; the views hand the cleaned data to the services."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from erp.people.models import Department
from erp.people.selectors import agent_users

from .models import Category, Status, Ticket
from .services.attachments import ALLOWED_EXTENSIONS, validate_attachments
from .services.ratings import MAX_RATING_COMMENT, SCORES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); limits checked on clean."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(f".{e}" for e in ALLOWED_EXTENSIONS)}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        files = [single(item, initial) for item in data] if isinstance(data, (list, tuple)) else [single(data, initial)]
        files = [f for f in files if f]
        validate_attachments(files)
        return files


def attachment_field():
    return MultipleFileField(
        label=_("Attachments"),
        help_text=_("Up to 5 files, 10 MB each: png, jpg, gif, pdf, txt, log, zip, csv, xlsx."),
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        employee = getattr(user, "employee", None)
        return f"{employee.display_name} ({user.get_username()})" if employee else user.get_username()


# A requester answers one plain question instead of impact × urgency (two dropdowns that let
# anyone mint a P1 and page the on-call): (impact, urgency) per answer; agents re-triage.
WORK_IMPACT = {
    "none": ("low", "medium"),
    "some": ("medium", "medium"),
    "blocked": ("medium", "high"),
    "stopped": ("high", "medium"),
}
WORK_IMPACT_CHOICES = [
    ("none", _("No, I can work; it is inconvenient")),
    ("some", _("Part of my work is slowed down")),
    ("blocked", _("I cannot do an important task")),
    ("stopped", _("Yes, work has stopped for me or my team")),
]


class TicketForm(forms.ModelForm):
    """Create and edit. Agent-only fields are removed for requesters by the view."""

    tags = forms.CharField(label=_("Tags"), required=False, help_text=_("Separate with commas, e.g. vpn, 재택"))
    attachments = attachment_field()
    requester = PersonChoiceField(
        label=_("Requester"),
        queryset=get_user_model().objects.filter(is_active=True).select_related("employee"),
        required=False,
        help_text=_("Leave empty to file the ticket for yourself."),
    )
    assignee = PersonChoiceField(label=_("Assignee"), queryset=agent_users(), required=False)

    class Meta:
        model = Ticket
        fields = ["ticket_type", "title", "description", "category", "impact", "urgency", "group", "sensitive"]
        widgets = {"title": forms.TextInput(attrs={"autofocus": True, "maxlength": 200})}

    def __init__(self, *args, agent=False, editing=False, requester_only=False, **kwargs):
        kwargs.setdefault("label_suffix", "")  # "제목", not Django's "제목:"
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(is_active=True)
        self.fields["group"].queryset = Department.objects.filter(is_active=True)
        self.fields["group"].required = False
        if self.instance.pk:
            self.initial.setdefault("tags", ", ".join(self.instance.tag_list))
        if editing:
            # The type is part of the number (INC/SR); assignee and requester have their own actions.
            for name in ("ticket_type", "requester", "assignee"):
                self.fields.pop(name)
        if not agent:
            self.fields.pop("requester", None)
            self.fields.pop("assignee", None)
            if not editing:
                # Routing picks the group (category default, routing rules); a requester
                # cannot know which IT team handles what.
                self.fields.pop("group", None)
                self.fields.pop("impact", None)
                self.fields.pop("urgency", None)
                self.fields["work_impact"] = forms.ChoiceField(
                    label=_("Has your work stopped?"),
                    choices=WORK_IMPACT_CHOICES,
                    initial="some",
                    required=False,
                    widget=forms.RadioSelect,
                    help_text=_("The IT team sets the priority from your answer and may adjust it."),
                )
        if requester_only:
            for name in list(self.fields):
                if name not in ("title", "description", "attachments"):
                    self.fields.pop(name)

    def impact_urgency(self) -> tuple[str, str]:
        """The chosen impact and urgency, or those the requester's plain answer stands for."""
        data = self.cleaned_data
        if "work_impact" in self.fields:
            return WORK_IMPACT.get(data.get("work_impact") or "some", WORK_IMPACT["some"])
        return data["impact"], data["urgency"]

    def save(self, commit=True):  # pragma: no cover - guard: views go through services
        raise NotImplementedError("Use tickets.services.ticket_create / ticket_update.")


class AssignForm(forms.Form):
    assignee = PersonChoiceField(label=_("Assignee"), queryset=agent_users(), required=False)
    auto = forms.BooleanField(label=_("Pick automatically (round-robin)"), required=False)

    def __init__(self, *args, group=None, **kwargs):
        super().__init__(*args, **kwargs)
        if group is not None:
            # Offer the group's own agents (and keep the current assignee choosable); the
            # service still accepts any agent, e.g. from the admin or Slack.
            current = self.initial.get("assignee")
            in_group = Q(employee__department=group) | Q(pk=current) if current else Q(employee__department=group)
            self.fields["assignee"].queryset = agent_users().filter(in_group)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    reason = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, allowed=None, **kwargs):
        super().__init__(*args, **kwargs)
        if allowed is not None:
            self.fields["status"].choices = [(v, label) for v, label in Status.choices if v in allowed]


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20000)
    internal = forms.BooleanField(label=_("Internal note (agents only)"), required=False)
    attachments = attachment_field()


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Satisfaction"),
        coerce=int,
        choices=[(n, "★" * n) for n in reversed(SCORES)],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose 1 to 5 stars.")},
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=MAX_RATING_COMMENT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CloseForm(forms.Form):
    resolution = forms.CharField(
        label=_("Resolution"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept as the ticket's resolution when it has none yet."),
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class ToolbarForm(forms.Form):
    """The agent's action toolbar on the ticket page: one form, the pressed button says what to
    do. One resolution box serves Resolve and Close, one note box the status change, the
    escalation and the close (each service checks what it needs, e.g. an escalation reason)."""

    ACTIONS = ("assign_me", "status", "resolve", "escalate", "close")

    action = forms.ChoiceField(
        choices=[(action, action) for action in ACTIONS],
        error_messages={
            "required": _("Choose what to do with the ticket."),
            "invalid_choice": _("Choose what to do with the ticket."),
        },
    )
    status = forms.ChoiceField(label=_("New status"), choices=Status.choices, required=False)
    resolution = forms.CharField(
        label=_("Resolution"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown to the requester when you resolve or close the ticket."),
    )
    reason = forms.CharField(
        label=_("Note or reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For a status change or closing (optional) and for an escalation (required)."),
    )

    def __init__(self, *args, allowed=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if allowed is not None:
            self.fields["status"].choices = [(v, label) for v, label in Status.choices if v in allowed]

    def clean(self):
        data = super().clean()
        if data.get("action") == "status" and not data.get("status"):
            self.add_error("status", _("Choose the new status."))
        return data
