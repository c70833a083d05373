"""Forms of the programme's population pages: the filter (reused by every programme view),
the upload, outreach and district quotas."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from diagnosis.firmdata import District, Industry, SizeClass
from diagnosis.models import OutreachCampaign
from diagnosis.queries.population import PopulationFilters, PopulationStatus

ANY_YES_NO = [("", _("Any")), ("yes", _("Yes")), ("no", _("No"))]
_FLAG = {"": None, "yes": True, "no": False}


class PopulationFilterForm(forms.Form):
    """Which population firms to show or write to. Bound to GET data (an empty form selects
    everything); `districts` limits the district choices to a district officer's."""

    district = forms.MultipleChoiceField(
        label=_("District"), choices=District.choices, required=False
    )
    industry = forms.TypedMultipleChoiceField(
        label=_("Industry division"), choices=Industry.choices, coerce=int, required=False
    )
    size_class = forms.MultipleChoiceField(
        label=_("Size class"), choices=SizeClass.choices, required=False
    )
    status = forms.MultipleChoiceField(
        label=_("Status"),
        choices=PopulationStatus.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    above_scale = forms.ChoiceField(
        label=_("Above designated size (规上)"), choices=ANY_YES_NO, required=False
    )
    specialised = forms.ChoiceField(
        label=_("Specialised and sophisticated (专精特新)"), choices=ANY_YES_NO, required=False
    )
    q = forms.CharField(label=_("Name or credit code"), max_length=100, required=False)

    def __init__(self, *args: Any, districts: Iterable[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if districts is not None:
            allowed = set(districts)
            field = self.fields["district"]
            assert isinstance(field, forms.MultipleChoiceField)
            field.choices = [choice for choice in District.choices if choice[0] in allowed]
        for name in ("district", "industry", "size_class"):
            self.fields[name].widget.attrs.update({"size": "4"})

    def filters(self) -> PopulationFilters:
        """The cleaned selection (call after is_valid())."""
        data = self.cleaned_data
        return PopulationFilters(
            districts=tuple(data["district"]),
            industries=tuple(data["industry"]),
            size_classes=tuple(data["size_class"]),
            statuses=tuple(data["status"]),
            above_scale=_FLAG[data["above_scale"]],
            specialised=_FLAG[data["specialised"]],
            search=data["q"].strip(),
        )


class PopulationUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Population file (CSV or XLSX)"),
        help_text=_("The first row names the columns, in Chinese or English (see the template)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )

    def clean_file(self) -> Any:
        uploaded = self.cleaned_data["file"]
        if uploaded.size > settings.POPULATION_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is %(limit)s. Split it into smaller files."),
                params={
                    "size": filesizeformat(uploaded.size),
                    "limit": filesizeformat(settings.POPULATION_IMPORT_MAX_BYTES),
                },
            )
        if uploaded.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return uploaded


class ImportConfirmForm(forms.Form):
    valid_only = forms.BooleanField(
        label=_("Import only the valid rows and leave the rows with errors out"), required=False
    )


class OutreachForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Send"),
        choices=OutreachCampaign.Kind.choices,
        widget=forms.RadioSelect,
    )
    reminder_days = forms.IntegerField(
        label=_("Remind firms that started at least this many days ago"),
        min_value=1,
        max_value=365,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == OutreachCampaign.Kind.REMINDER and not data.get("reminder_days"):
            self.add_error("reminder_days", _("Say after how many days firms are reminded."))
        return data


class DistrictQuotaForm(forms.Form):
    """One target per district; an empty field means no quota for that district."""

    def __init__(self, *args: Any, targets: dict[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for district in District:
            self.fields[district.value] = forms.IntegerField(
                label=district.label,
                min_value=0,
                max_value=1_000_000,
                required=False,
                initial=targets.get(district.value),
            )

    def targets(self) -> dict[str, int | None]:
        return {district.value: self.cleaned_data[district.value] for district in District}
