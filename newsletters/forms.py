from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Bounce, Newsletter


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Your email"), max_length=254)
    newsletters = forms.ModelMultipleChoiceField(
        label=_("Newsletters"),
        queryset=Newsletter.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one newsletter.")},
    )

    def __init__(self, *args, language, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["newsletters"].queryset = Newsletter.objects.filter(
            is_active=True, language=language
        )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class PreferencesForm(forms.Form):
    newsletters = forms.ModelMultipleChoiceField(
        label=_("The newsletters I receive"),
        queryset=Newsletter.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Each newsletter is written in its own language."),
    )


class BounceForm(forms.Form):
    """One bounce as the webhook takes it: ``{"email": ..., "type": "hard"|"soft",
    "description": ...}`` (docs/newsletters.md maps providers' payloads to it)."""

    email = forms.EmailField(max_length=254)
    type = forms.ChoiceField(choices=Bounce.Kind.choices)
    description = forms.CharField(max_length=500, required=False)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()
