import copy
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import CommandError, call_command

from diagnosis.models import Option, Question, QuestionnaireVersion
from tests.conftest import BUNDLED


def load(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("load_questionnaire", str(path), *args, stdout=out)
    return out.getvalue()


def edited_copy(tmp_path: Path, bundled_data: dict[str, Any], mutate) -> Path:
    """The bundled file changed by mutate(data), written to tmp_path (by libyaml: PyYAML's
    Python reader and writer take half a second for this file)."""
    data = copy.deepcopy(bundled_data)
    mutate(data)
    path = tmp_path / "smart-manufacturing-v1.yaml"
    path.write_text(yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True), encoding="utf-8")
    return path


def test_it_loads_the_bundled_questionnaire_as_rows(db):
    assert "loaded smart-manufacturing v1" in load(BUNDLED, "--publish")
    version = QuestionnaireVersion.objects.get()
    assert version.status == "published"
    assert version.dimensions.count() == 10
    assert 45 <= Question.objects.count() <= 70
    assert Option.objects.filter(question__code="STR-01").count() == 6


def test_it_changes_nothing_when_the_same_version_is_loaded_again(db):
    load(BUNDLED, "--publish")
    before = list(Question.objects.values_list("pk", flat=True))
    assert "unchanged" in load(BUNDLED, "--publish")
    assert list(Question.objects.values_list("pk", flat=True)) == before


def test_it_refuses_to_change_a_published_version(db, tmp_path, bundled_data):
    load(BUNDLED, "--publish")
    changed = edited_copy(tmp_path, bundled_data, lambda d: d["dimensions"][0].update(weight=99))
    with pytest.raises(CommandError, match="cannot change"):
        load(changed)
    assert QuestionnaireVersion.objects.get().dimensions.get(code="STR").weight == 10


def test_it_replaces_a_draft_that_was_never_published(db, tmp_path, bundled_data):
    load(BUNDLED)
    changed = edited_copy(tmp_path, bundled_data, lambda d: d["dimensions"][0].update(weight=12))
    assert "replaced the draft" in load(changed)
    assert QuestionnaireVersion.objects.get().dimensions.get(code="STR").weight == 12


def test_it_names_the_file_and_path_of_an_invalid_definition(db, tmp_path, bundled_data):
    broken = edited_copy(tmp_path, bundled_data, lambda d: d["dimensions"][0].update(weight=-1))
    with pytest.raises(CommandError, match=r"smart-manufacturing-v1.yaml: dimensions\[0\].weight"):
        load(broken)
    assert not QuestionnaireVersion.objects.exists()


def test_it_explains_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError):
        load(tmp_path / "nope.yaml")
