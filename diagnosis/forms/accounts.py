from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from diagnosis import ratelimit
from diagnosis.models import User


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
    """Django's form, with the reset emails to one address limited per hour."""

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        try:
            ratelimit.email_sent(user=email)
        except ratelimit.EmailLimitReached as error:
            raise forms.ValidationError(str(error)) from None
        return email
