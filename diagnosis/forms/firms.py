from django import forms
from django.utils.translation import gettext_lazy as _

from diagnosis.firmdata import District, Industry, normalise_credit_code, validate_credit_code

# A select with no choice made yet: the first entry, never a real industry or district, so
# nobody registers a firm in division 13 or in Huangpu by not looking.
CHOOSE = ("", _("Choose…"))


class FirmProfileForm(forms.Form):
    """What the firm's owner may change later (the credit code identifies the firm)."""

    name = forms.CharField(label=_("Firm name"), max_length=200)
    industry = forms.TypedChoiceField(
        label=_("Industry (GB/T 4754 division)"),
        choices=[CHOOSE, *Industry.choices],
        coerce=int,
        empty_value=None,
    )
    employees = forms.IntegerField(label=_("Employees"), min_value=1, max_value=1_000_000)
    revenue = forms.DecimalField(
        label=_("Annual revenue (10,000 yuan)"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text=_("Last financial year, in 万元."),
    )
    district = forms.ChoiceField(label=_("District"), choices=[CHOOSE, *District.choices])


class FirmForm(FirmProfileForm):
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=30,
        help_text=_("18 characters, as printed on the business licence."),
    )
    field_order = ["name", "credit_code"]

    def clean_credit_code(self) -> str:
        code = normalise_credit_code(self.cleaned_data["credit_code"])
        validate_credit_code(code)
        return code


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Colleague's email"), max_length=254)
