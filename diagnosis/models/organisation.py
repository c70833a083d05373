"""Users, firms and who belongs to which firm."""

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diagnosis.firmdata import (
    District,
    Industry,
    SizeClass,
    normalise_credit_code,
    size_class,
    validate_credit_code,
)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.update(is_staff=True, is_superuser=True, is_programme_admin=True)
        return self.create_user(email, password, **fields)


class User(AbstractUser):
    """A person; logs in with an email address."""

    # Removed fields: django-stubs types them as the strings AbstractUser declares.
    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("name"), max_length=100, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="zh-hans"
    )
    is_programme_admin = models.BooleanField(
        _("programme administrator"),
        default=False,
        help_text=_("Assigns firms to providers and sees the whole programme."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name or self.email


class Firm(models.Model):
    """A manufacturer taking part in the programme, identified by its credit code."""

    name = models.CharField(_("firm name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
    )
    industry = models.PositiveSmallIntegerField(_("industry (GB/T 4754)"), choices=Industry)
    employees = models.PositiveIntegerField(_("employees"))
    revenue = models.DecimalField(
        _("annual revenue (10,000 yuan)"), max_digits=14, decimal_places=2
    )
    size_class = models.CharField(_("size class"), max_length=10, choices=SizeClass, editable=False)
    district = models.CharField(_("district"), max_length=20, choices=District)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("firm")
        verbose_name_plural = _("firms")
        indexes = [models.Index(fields=["district", "industry", "size_class"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.credit_code = normalise_credit_code(self.credit_code)
        self.size_class = size_class(self.employees, self.revenue)
        super().save(*args, **kwargs)


class Membership(models.Model):
    """A user answering for a firm (one firm per user); owners invite and remove colleagues."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        RESPONDENT = "respondent", _("Respondent")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="membership")
    firm = models.ForeignKey(Firm, models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.RESPONDENT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.firm} ({self.role})"


class Invitation(models.Model):
    """An emailed, expiring, single-use invitation to join a firm. Only the hash is stored."""

    firm = models.ForeignKey(Firm, models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.firm_id}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at < timezone.now()


class JoinRequest(models.Model):
    """A user asking to join a firm that is already registered; an owner decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    firm = models.ForeignKey(Firm, models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="join_requests")
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        constraints = [
            models.UniqueConstraint(
                fields=["firm", "user"],
                condition=models.Q(status="pending"),
                name="join_request_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.firm_id} ({self.status})"
