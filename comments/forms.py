from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Comment, RejectReason, Report
from .pipeline import normalise_line, normalise_text


class NormalisedCharField(forms.CharField):
    """Normalises before validating, so length limits count the text that is stored."""

    def __init__(self, *, one_line=False, **kwargs):
        self.one_line = one_line
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_line(value) if self.one_line else normalise_text(value)


class ReviewForm(forms.Form):
    author_name = NormalisedCharField(
        one_line=True,
        label=_("Name"),
        max_length=Comment._meta.get_field("author_name").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        help_text=_("Never shown to anyone but our moderators."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    body = NormalisedCharField(
        label=_("Your review"),
        min_length=2,
        max_length=Comment._meta.get_field("body").max_length,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # Bot traps (see comments.pipeline): a field people do not see, and the form's stamp.
    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    token = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this review?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
    )


class RejectForm(forms.Form):
    """Why a review is rejected: one of the editors' reasons, and an optional note.

    Used by the queue's bulk "Reject" and by every row's one-click reject.
    """

    reason = forms.ModelChoiceField(
        label=_("Reason"),
        queryset=RejectReason.objects.active(),
        to_field_name="label",
        required=False,
        empty_label=None,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=180,
        required=False,
        help_text=_("Kept in the review's moderation history; the author does not see it."),
    )

    def reason_text(self):
        """The words the decision keeps: "Off-topic: a note"."""
        reason, note = self.cleaned_data["reason"], self.cleaned_data["note"].strip()
        return ": ".join(str(part) for part in (reason, note) if part)
