from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from diagnosis.models import Assignment, Firm, Provider, ProviderMembership, User


class ProviderAssignmentForm(forms.Form):
    provider = forms.ModelChoiceField(label=_("Provider"), queryset=Provider.objects.all())

    def __init__(self, *args: Any, firm: Firm, **kwargs: Any) -> None:
        assignment = getattr(firm, "assignment", None)
        kwargs.setdefault("initial", {"provider": assignment.provider_id if assignment else None})
        kwargs.setdefault("prefix", f"firm-{firm.pk}")
        super().__init__(*args, **kwargs)


class ConsultantAssignmentForm(forms.Form):
    consultant = forms.ModelChoiceField(
        label=_("Consultant"),
        queryset=User.objects.none(),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def __init__(self, *args: Any, assignment: Assignment, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"consultant": assignment.consultant_id})
        kwargs.setdefault("prefix", f"firm-{assignment.firm_id}")
        super().__init__(*args, **kwargs)
        consultant = self.fields["consultant"]
        assert isinstance(consultant, forms.ModelChoiceField)
        consultant.queryset = User.objects.filter(
            provider_memberships__provider=assignment.provider_id,
            provider_memberships__role=ProviderMembership.Role.CONSULTANT,
        )
