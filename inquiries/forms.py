"""Portal forms; the services validate, the views map their ValidationError onto these fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tickets.models import Priority, TicketType

from .models import AnswerTemplate, Category, Status


class InquiryEditForm(forms.Form):
    customer_name = forms.CharField(label=_("Customer name"), max_length=100)
    company = forms.CharField(label=_("Company"), max_length=150, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    message = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 8}))
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    product = forms.CharField(label=_("Product"), max_length=100, required=False)
    consent_contact = forms.BooleanField(label=_("Consents to be contacted"), required=False)
    tags = forms.CharField(label=_("Tags"), max_length=300, required=False, help_text=_("Comma-separated."))

    # Service errors name the public field "name" for customer_name; show them on the field.
    ERROR_FIELDS = {"name": "customer_name", "consent": "consent_contact"}


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)


class ConvertForm(forms.Form):
    """Asked before converting (as the Slack modal does): title prefilled with the subject."""

    title = forms.CharField(label=_("Ticket title"), max_length=200)
    ticket_type = forms.ChoiceField(label=_("Ticket type"), choices=TicketType.choices)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.P3)


class AnswerForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Template"), queryset=AnswerTemplate.objects.filter(is_active=True), required=False
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 12}))
