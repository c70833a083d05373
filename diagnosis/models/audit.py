"""The audit trail: append-only records of every state change and validated answer."""

from typing import Any, NoReturn

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from diagnosis.models.assessment import Assessment
from diagnosis.models.organisation import Firm


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("The audit trail cannot be changed.")

    def delete(self) -> NoReturn:
        raise PermissionError("The audit trail cannot be deleted.")


class AuditEntry(models.Model):
    """`action` is a dotted code such as ``diagnosis.answer.validated``."""

    action = models.CharField(max_length=80)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    firm = models.ForeignKey(Firm, models.SET_NULL, null=True, related_name="+")
    assessment = models.ForeignKey(
        Assessment, models.SET_NULL, null=True, blank=True, related_name="audit_entries"
    )
    data = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(db_index=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("The audit trail cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("The audit trail cannot be deleted.")
