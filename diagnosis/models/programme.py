"""The programme office's side: the target population, district quotas, district officers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from diagnosis.firmdata import District, Industry, SizeClass, validate_credit_code
from diagnosis.models.organisation import Firm


class PopulationFirm(models.Model):
    """A manufacturer the programme means to diagnose, as imported from the city's list.

    Re-importing updates the entry with the same credit code. A firm that registers with
    that code is linked here (`firm`); until then the entry stands for a firm not yet
    registered. Employees and revenue are optional: some lists give the size class only.
    """

    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
    )
    name = models.CharField(_("firm name"), max_length=200)
    industry = models.PositiveSmallIntegerField(_("industry (GB/T 4754)"), choices=Industry)
    district = models.CharField(_("district"), max_length=20, choices=District)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    revenue = models.DecimalField(
        _("annual revenue (10,000 yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    size_class = models.CharField(_("size class"), max_length=10, choices=SizeClass)
    contact_name = models.CharField(_("contact name"), max_length=100, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    above_scale = models.BooleanField(_("above designated size (规上)"), default=False)
    specialised = models.BooleanField(_("specialised and sophisticated (专精特新)"), default=False)
    firm = models.OneToOneField(
        Firm,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="population_entry",
        verbose_name=_("registered firm"),
    )
    imported_at = models.DateTimeField(_("first imported"))
    updated_at = models.DateTimeField(_("last updated"))
    # The last invitation or reminder sent: none is sent again within the interval.
    last_invited_at = models.DateTimeField(_("last invited"), null=True, blank=True)
    last_reminded_at = models.DateTimeField(_("last reminded"), null=True, blank=True)

    class Meta:
        verbose_name = _("population firm")
        verbose_name_plural = _("population firms")
        indexes = [models.Index(fields=["district", "industry", "size_class"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.credit_code})"


class DistrictQuota(models.Model):
    """How many firms of a district the programme means to have diagnosed (signed off)."""

    district = models.CharField(_("district"), max_length=20, choices=District, unique=True)
    target = models.PositiveIntegerField(_("target"))
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("district quota")
        verbose_name_plural = _("district quotas")

    def __str__(self) -> str:
        return f"{self.district}: {self.target}"


class DistrictOfficer(models.Model):
    """A user of a district's economic and informatisation office (区经信委), one row per district
    they follow. They see the programme views for their districts only."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="district_scopes"
    )
    district = models.CharField(_("district"), max_length=20, choices=District)

    class Meta:
        verbose_name = _("district officer")
        verbose_name_plural = _("district officers")
        constraints = [
            models.UniqueConstraint(fields=["user", "district"], name="district_officer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.district}"
