"""Migration 0015: dimensions loaded before comparison keys existed take their code as key."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("diagnosis", "0014_warning_resolutions")]
AFTER = [("diagnosis", "0015_dimension_compares_as")]


@pytest.mark.django_db(transaction=True)
def test_it_gives_existing_dimensions_their_code_as_comparison_key() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    version = old.get_model("diagnosis", "QuestionnaireVersion").objects.create(
        code="pilot", version=1, title_zh_hans="试点", title_en="Pilot", snapshot={}, checksum="x"
    )
    for position, code in enumerate(("STR", "SEC")):
        old.get_model("diagnosis", "Dimension").objects.create(
            questionnaire=version,
            code=code,
            position=position,
            weight=1,
            name_zh_hans=code,
            name_en=code,
        )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    rows = new.get_model("diagnosis", "Dimension").objects.values_list("code", "compares_as")
    assert sorted(rows) == [("SEC", "SEC"), ("STR", "STR")]

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
