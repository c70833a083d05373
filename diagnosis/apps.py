from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiagnosisConfig(AppConfig):
    name = "diagnosis"
    verbose_name = _("Digital diagnosis")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from diagnosis import auth  # noqa: F401 (connects the failed-login counter)
