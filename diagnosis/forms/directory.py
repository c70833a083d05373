"""The firm directory's filter (its query string is a contract the coverage pages link with:
district, division, size, status, level, plus q, provider, consultant, flags, sort, page)
and the bulk assignment forms."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from diagnosis.firmdata import District, Industry, SizeClass
from diagnosis.models import Provider, ProviderMembership, User
from diagnosis.queries.directory import (
    ALL_STAGES,
    DEFAULT_SORT,
    NONE,
    DirectoryFilters,
    level_names,
)
from diagnosis.queries.population import PopulationFilters, PopulationStatus

MAX_PAGE = 100_000
FLAGS = [("above_scale", _("Above designated size (规上)")), ("specialised", _("专精特新"))]
SORT_CHOICES = [
    ("name", _("Name (A–Z)")),
    ("-name", _("Name (Z–A)")),
    ("credit_code", _("Credit code")),
    ("district", _("District")),
    ("division", _("Industry division")),
    ("status", _("Status")),
    ("-submitted", _("Submitted (newest first)")),
    ("submitted", _("Submitted (oldest first)")),
    ("-overall", _("Overall index (highest first)")),
    ("overall", _("Overall index (lowest first)")),
]


def _version_level(value: str) -> tuple[int, int]:
    """("v2-3") → (2, 3): a value the level field's choices accepted."""
    version, number = value.removeprefix("v").split("-")
    return int(version), int(number)


class DistrictField(forms.MultipleChoiceField):
    """District values; a district's name in English or Chinese is accepted too."""

    def to_python(self, value: Any) -> list[str]:
        names = {}
        for district in District:
            names[district.value] = district.value
            names[str(district.label).lower()] = district.value
        with translation.override("zh-hans"):
            for district in District:
                names[str(district.label)] = district.value
        return [
            names.get(str(item).strip().lower(), str(item)) for item in super().to_python(value)
        ]


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or credit code"), max_length=100, required=False)
    district = DistrictField(label=_("District"), choices=District.choices, required=False)
    division = forms.TypedMultipleChoiceField(
        label=_("Industry division"), choices=Industry.choices, coerce=int, required=False
    )
    size = forms.MultipleChoiceField(
        label=_("Size class"), choices=SizeClass.choices, required=False
    )
    status = forms.MultipleChoiceField(
        label=_("Status"),
        choices=[(ALL_STAGES, _("Whole population")), *PopulationStatus.choices],
        required=False,
    )
    # "v2-3": level 3 of questionnaire version 2 (D3 集成互通), not v1's level 3 (集成级)
    level = forms.MultipleChoiceField(label=_("Level"), required=False)
    flags = forms.MultipleChoiceField(
        label=_("Flags"), choices=FLAGS, required=False, widget=forms.CheckboxSelectMultiple
    )
    provider = forms.MultipleChoiceField(label=_("Provider"), required=False)
    consultant = forms.MultipleChoiceField(label=_("Consultant"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)
    page = forms.IntegerField(min_value=1, max_value=MAX_PAGE, required=False)

    def __init__(self, *args: Any, districts: Iterable[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if districts is not None:
            allowed = set(districts)
            district = self.fields["district"]
            assert isinstance(district, forms.MultipleChoiceField)
            district.choices = [choice for choice in District.choices if choice[0] in allowed]
        provider = self.fields["provider"]
        assert isinstance(provider, forms.MultipleChoiceField)
        provider.choices = [
            (NONE, _("No provider")),
            *(
                (str(pk), name)
                for pk, name in Provider.objects.order_by("name").values_list("pk", "name")
            ),
        ]
        level = self.fields["level"]
        assert isinstance(level, forms.MultipleChoiceField)
        self.level_names = level_names()  # also names the rows' levels (one query)
        level.choices = [
            (f"v{version}-{number}", f"v{version} · {name}")
            for (version, number), name in self.level_names.items()
        ]
        consultant = self.fields["consultant"]
        assert isinstance(consultant, forms.MultipleChoiceField)
        consultant.choices = [(NONE, _("No consultant")), *consultant_choices()]
        for name in ("district", "division", "size", "status", "level", "provider", "consultant"):
            self.fields[name].widget.attrs.update({"size": "4"})
        self.fields["page"].widget = forms.HiddenInput()

    def filters(self) -> DirectoryFilters:
        """The cleaned selection (call after is_valid())."""
        data = self.cleaned_data
        statuses = tuple(data.get("status", ()))
        flags = set(data.get("flags", ()))
        providers = data.get("provider", ())
        consultants = data.get("consultant", ())
        return DirectoryFilters(
            population=PopulationFilters(
                districts=tuple(data["district"]),
                industries=tuple(data["division"]),
                size_classes=tuple(data["size"]),
                statuses=() if ALL_STAGES in statuses else statuses,
                above_scale=True if "above_scale" in flags else None,
                specialised=True if "specialised" in flags else None,
                search=data["q"].strip(),
            ),
            providers=tuple(int(pk) for pk in providers if pk != NONE),
            without_provider=NONE in providers,
            consultants=tuple(int(pk) for pk in consultants if pk != NONE),
            without_consultant=NONE in consultants,
            levels=tuple(_version_level(value) for value in data.get("level", ())),
            sort=data.get("sort") or DEFAULT_SORT,
        )

    @property
    def page_number(self) -> int:
        return self.cleaned_data.get("page") or 1


class ManagerFilterForm(DirectoryFilterForm):
    """A provider manager's selection of their firms: district, division, size, name or
    credit code, consultant (one of theirs, or none)."""

    def __init__(self, *args: Any, provider_ids: Iterable[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("status", "level", "flags", "provider", "sort", "page"):
            del self.fields[name]
        consultant = self.fields["consultant"]
        assert isinstance(consultant, forms.MultipleChoiceField)
        consultant.choices = [(NONE, _("No consultant")), *consultant_choices(provider_ids)]


def consultant_choices(provider_ids: Iterable[int] | None = None) -> list[tuple[str, str]]:
    """Consultants (of `provider_ids`, or of every provider) as (id, name) choices."""
    memberships = ProviderMembership.objects.filter(role=ProviderMembership.Role.CONSULTANT)
    if provider_ids is not None:
        memberships = memberships.filter(provider_id__in=list(provider_ids))
    users = User.objects.filter(pk__in=memberships.values("user_id")).order_by("name", "email")
    return [(str(user.pk), str(user)) for user in users]


class BulkProviderForm(forms.Form):
    """Assign every registered firm the filter selects to one provider; `confirmed` is set by
    the confirmation page, which shows how many firms that is."""

    prefix = "bulk"  # the directory's filter has a `provider` field of its own

    provider = forms.ModelChoiceField(label=_("Provider"), queryset=Provider.objects.all())
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)
    expected = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


class BulkConsultantForm(forms.Form):
    prefix = "bulk"
    consultant = forms.TypedChoiceField(label=_("Consultant"), coerce=int)
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)
    expected = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, provider_ids: Iterable[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        consultant = self.fields["consultant"]
        assert isinstance(consultant, forms.TypedChoiceField)
        consultant.choices = consultant_choices(provider_ids)

    def consultant_user(self) -> User:
        """The chosen consultant (call after is_valid())."""
        return User.objects.get(pk=self.cleaned_data["consultant"])
