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
        indexes = [
            models.Index(fields=["district", "industry", "size_class"]),
            # The firm directory's default order: a page is read from the index, not a sort.
            models.Index(fields=["name", "id"], name="population_firm_name_idx"),
        ]

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


class PopulationImport(models.Model):
    """One uploaded population file: checked first, imported only once the administrator
    confirms (all rows, or only the valid rows of a file with errors)."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("Being checked")
        CHECKED = "checked", _("Checked, waiting for confirmation")
        IMPORTING = "importing", _("Being imported")
        IMPORTED = "imported", _("Imported")
        FAILED = "failed", _("Failed")
        DISCARDED = "discarded", _("Discarded")

    file = models.FileField(_("file"), upload_to="population-imports/%Y/%m/", max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    file_format = models.CharField(_("format"), max_length=10)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    # The valid rows, cleaned, as UTF-8 CSV written by the check: the import reads this.
    cleaned_file = models.FileField(
        upload_to="population-imports/%Y/%m/", max_length=300, blank=True, editable=False
    )
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.CHECKING)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"))
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_valid = models.PositiveIntegerField(_("valid rows"), default=0)
    rows_invalid = models.PositiveIntegerField(_("rows with errors"), default=0)
    # A problem with the file as a whole (format, encoding, columns) blocks the import.
    file_errors = models.PositiveIntegerField(_("file errors"), default=0)
    columns = models.JSONField(_("columns recognised"), default=list)
    valid_only = models.BooleanField(_("only the valid rows"), default=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    created_count = models.PositiveIntegerField(_("firms added"), default=0)
    updated_count = models.PositiveIntegerField(_("firms updated"), default=0)

    class Meta:
        verbose_name = _("population import")
        verbose_name_plural = _("population imports")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.uploaded_at:%Y-%m-%d %H:%M})"

    @property
    def can_import(self) -> bool:
        """Checked, no problem with the file as a whole, and at least one valid row."""
        return self.status == self.Status.CHECKED and not self.file_errors and self.rows_valid > 0


class PopulationImportProblem(models.Model):
    """One problem found in an import: a row's (`row` set) or the file's (`row` empty).
    The message is stored as a code and parameters and shown in the reader's language."""

    population_import = models.ForeignKey(PopulationImport, models.CASCADE, related_name="problems")
    row = models.PositiveIntegerField(_("row"), null=True, blank=True)
    column = models.CharField(_("column"), max_length=40, blank=True)
    code = models.CharField(_("problem"), max_length=40)
    params = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("population import problem")
        verbose_name_plural = _("population import problems")
        ordering = ["population_import", "row", "pk"]
        indexes = [models.Index(fields=["population_import", "row"])]

    def __str__(self) -> str:
        return f"{self.population_import_id}:{self.row}:{self.column} {self.code}"


class OutreachCampaign(models.Model):
    """Invitations (to population firms not yet registered) or reminders (to firms that
    started but have not submitted), sent to the firms a filter selected."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        REMINDER = "reminder", _("Reminder")

    class Status(models.TextChoices):
        PREPARING = "preparing", _("Selecting the firms")
        QUEUED = "queued", _("Emails queued")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PREPARING)
    # The cleaned filter (queries.population.PopulationFilters) and the sender's districts.
    filters = models.JSONField(_("filter"), default=dict)
    districts = models.JSONField(_("districts"), null=True, blank=True)
    reminder_days = models.PositiveSmallIntegerField(_("days since start"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"))
    firms_count = models.PositiveIntegerField(_("firms"), default=0)

    class Meta:
        verbose_name = _("outreach campaign")
        verbose_name_plural = _("outreach campaigns")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"


class OutreachMessage(models.Model):
    """One email of a campaign to one address of a population firm; `sent_at` is set once."""

    campaign = models.ForeignKey(OutreachCampaign, models.CASCADE, related_name="messages")
    population_firm = models.ForeignKey(
        PopulationFirm, models.CASCADE, related_name="outreach_messages"
    )
    email = models.EmailField(_("email address"))
    language = models.CharField(_("language"), max_length=10)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outreach message")
        verbose_name_plural = _("outreach messages")
        indexes = [models.Index(fields=["campaign", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.campaign_id} → {self.email}"
