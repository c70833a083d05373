from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordResetForm
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from diagnosis import ratelimit
from diagnosis.models import User
from diagnosis.services.notifications import send_email


class SignupForm(forms.Form):
    email = forms.EmailField(label=_("Work email"), max_length=254)
    name = forms.CharField(label=_("Your name"), max_length=100)
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput, strip=False)

    def clean_email(self) -> str:
        """Whether the address has an account is not said here: it is emailed to it."""
        return self.cleaned_data["email"].lower()

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            user = User(email=data.get("email", ""), name=data.get("name", ""))
            try:
                password_validation.validate_password(first, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class ThrottledPasswordResetForm(PasswordResetForm):
    """Django's form, with the reset emails to one address limited per hour and sent as
    our own message (emails/password-reset-*) in the user's language: its subject names
    the service, not the host, and its link is built on SITE_URL, never on the Host
    header of the request."""

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        try:
            ratelimit.email_sent(user=email)
        except ratelimit.EmailLimitReached as error:
            raise forms.ValidationError(str(error)) from None
        return email

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        user = context["user"]
        path = reverse("password_reset_confirm", args=[context["uid"], context["token"]])
        send_email(
            "password-reset",
            [user],
            {
                "name": str(user),
                "email": user.email,
                "url": settings.SITE_URL + path,
                "hours": max(1, settings.PASSWORD_RESET_TIMEOUT // 3600),
            },
        )
