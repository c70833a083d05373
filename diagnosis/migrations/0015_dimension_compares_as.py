"""Dimensions get their comparison key (FORMAT.md `compares_as`). Rows loaded before it
existed take their code: no file set a key then, so the code was their key."""

from django.db import migrations, models
from django.db.models import F


def keys_from_codes(apps, schema_editor):
    Dimension = apps.get_model("diagnosis", "Dimension")
    Dimension.objects.update(compares_as=F("code"))


class Migration(migrations.Migration):
    dependencies = [
        ("diagnosis", "0014_warning_resolutions"),
    ]

    operations = [
        migrations.AddField(
            model_name="dimension",
            name="compares_as",
            field=models.CharField(default="", max_length=20),
            preserve_default=False,
        ),
        migrations.RunPython(keys_from_codes, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="dimension",
            constraint=models.UniqueConstraint(
                fields=("questionnaire", "compares_as"), name="dimension_comparison_key_unique"
            ),
        ),
    ]
