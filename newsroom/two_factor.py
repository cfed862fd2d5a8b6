"""Optional two-factor login for staff (django-otp, TOTP).

Opt-in per user: someone with a confirmed TOTP device (admin → OTP_TOTP → TOTP devices)
must type the current code from their authenticator app to log in; everyone else logs in
with a password as before. The check is at login, the only way into the admin, so pages
cost no extra query. django-otp throttles wrong codes on the device.
"""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_otp import match_token, user_has_device


class AdminLoginForm(AdminAuthenticationForm):
    otp_token = forms.CharField(
        label=_("Code from your authenticator app"),
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_("Only if you have turned on two-factor login."),
    )

    def clean(self):
        cleaned_data = super().clean()
        user = self.get_user()
        if user is not None and user_has_device(user, confirmed=True):
            device = match_token(user, cleaned_data.get("otp_token", "").strip())
            if device is None:
                raise ValidationError(
                    _("Enter the current code from your authenticator app."),
                    code="otp_required",
                )
            # django-otp's user_logged_in handler records the verified device in the session.
            user.otp_device = device
        return cleaned_data
