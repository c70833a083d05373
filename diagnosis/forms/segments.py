"""The segment filter of the coverage and results pages: district, division and size class,
with the firm directory's parameter names and values (so their links carry it over)."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from diagnosis.firmdata import District, Industry, SizeClass
from diagnosis.forms.directory import DistrictField
from diagnosis.queries.population import PopulationFilters


class SegmentForm(forms.Form):
    """Every district is a valid choice: the view asks permissions.py whether the user may
    see the districts chosen (another district is a 404, as for any of its objects)."""

    district = DistrictField(label=_("District"), choices=District.choices, required=False)
    division = forms.TypedMultipleChoiceField(
        label=_("Industry division"), choices=Industry.choices, coerce=int, required=False
    )
    size = forms.MultipleChoiceField(
        label=_("Size class"), choices=SizeClass.choices, required=False
    )

    def __init__(self, *args: Any, districts: Iterable[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if districts is not None:  # a district officer is offered their districts only
            allowed = set(districts)
            self.fields["district"].widget.choices = [
                choice for choice in District.choices if choice[0] in allowed
            ]
        for name in ("district", "division", "size"):
            self.fields[name].widget.attrs.update({"size": "4"})

    def filters(self) -> PopulationFilters:
        """The cleaned segment (call after is_valid())."""
        data = self.cleaned_data
        return PopulationFilters(
            districts=tuple(data["district"]),
            industries=tuple(data["division"]),
            size_classes=tuple(data["size"]),
        )


class ResultsForm(SegmentForm):
    """The segment, and the breakdown of the weakest dimensions."""

    by = forms.ChoiceField(
        label=_("Weakest dimensions by"),
        choices=[
            ("district", _("District")),
            ("division", _("Industry division")),
            ("size", _("Size class")),
        ],
        required=False,
    )

    def breakdown(self) -> str:
        return self.cleaned_data.get("by") or "district"
