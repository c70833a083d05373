from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiagnosisConfig(AppConfig):
    name = "diagnosis"
    verbose_name = _("Digital diagnosis")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models import fields

        from diagnosis import (
            auth,  # noqa: F401 (connects the failed-login counter)
            current,  # noqa: F401 (keeps FirmCurrent with the assessments)
        )
        from diagnosis.forms.firms import CHOOSE

        # Django 6.1's empty choice of every model select ("- Select an option -") is not
        # in its Chinese catalogue yet; ours says "请选择" like the forms' own selects.
        fields.BLANK_CHOICE_LABEL = CHOOSE[1]
