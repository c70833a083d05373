"""Loading and publishing questionnaire versions."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Subquery
from django.utils import timezone

from diagnosis.definitions.frameworks import Frameworks, frameworks_beside
from diagnosis.definitions.loader import (
    BUNDLED_DIR,
    definition_checksum,
    parse_definition,
    read_definition_data,
)
from diagnosis.models import Dimension, Option, Question, QuestionnaireVersion, User
from diagnosis.scoring.definition import Definition
from diagnosis.services.audit import audit_log


class QuestionnaireImmutableError(Exception):
    """The version is already published with other content."""


@dataclass(frozen=True)
class LoadResult:
    version: QuestionnaireVersion
    created: bool
    changed: bool


def questionnaire_load(*, path: str | Path, publish: bool = False) -> LoadResult:
    """Validate a definition file and store it; loading the same content again changes nothing.

    Raises DefinitionError for an invalid file and QuestionnaireImmutableError when the
    content of a published version would change.
    """
    data = read_definition_data(path)
    frameworks = frameworks_beside(Path(path))
    return questionnaire_store(
        data=data, source=Path(path).name, publish=publish, frameworks=frameworks
    )


@transaction.atomic
def questionnaire_store(
    *,
    data: dict[str, Any],
    source: str,
    publish: bool = False,
    frameworks: Frameworks | None = None,
) -> LoadResult:
    """Validate a definition file's mapping (named source in errors) and store it, as
    questionnaire_load does with the file; covers codes are checked against frameworks
    (by default the bundled frameworks.yaml, when there is one)."""
    if frameworks is None:
        frameworks = frameworks_beside(BUNDLED_DIR / "any.yaml")
    definition = parse_definition(data, source=source, frameworks=frameworks)
    checksum = definition_checksum(data)
    version = (
        QuestionnaireVersion.objects.select_for_update()
        .filter(code=definition.code, version=definition.version)
        .first()
    )
    created = changed = False
    if version is None:
        version = QuestionnaireVersion(code=definition.code, version=definition.version)
        created = changed = True
    elif version.checksum != checksum:
        if version.status != QuestionnaireVersion.Status.DRAFT:
            raise QuestionnaireImmutableError(
                f"{definition.code} version {definition.version} is {version.status}: its "
                "content cannot change. Publish the changes as a new version in a new file."
            )
        version.dimensions.all().delete()
        changed = True
    if changed:
        version.title_zh_hans = definition.title.zh_hans
        version.title_en = definition.title.en
        version.snapshot = data
        version.checksum = checksum
        version.save()
        _store_rows(version, definition)
    if publish and version.status == QuestionnaireVersion.Status.DRAFT:
        questionnaire_publish(version=version)
    return LoadResult(version=version, created=created, changed=changed)


def _store_rows(version: QuestionnaireVersion, definition: Definition) -> None:
    """Write the dimensions, questions and options as rows, in bulk."""
    dimensions = Dimension.objects.bulk_create(
        Dimension(
            questionnaire=version,
            code=dimension.code,
            compares_as=dimension.comparison_key,
            position=position,
            weight=dimension.weight,
            critical=dimension.critical,
            name_zh_hans=dimension.name.zh_hans,
            name_en=dimension.name.en,
        )
        for position, dimension in enumerate(definition.dimensions)
    )
    by_code = {dimension.code: dimension for dimension in dimensions}
    specs = list(definition.questions.values())
    questions = Question.objects.bulk_create(
        Question(
            questionnaire=version,
            dimension=by_code[spec.dimension],
            code=spec.code,
            position=position,
            type=spec.type.value,
            weight=spec.weight,
            allow_na=spec.allow_na,
            depends_on=spec.depends_on.question if spec.depends_on else "",
            text_zh_hans=spec.text.zh_hans,
            text_en=spec.text.en,
        )
        for position, spec in enumerate(specs)
    )
    Option.objects.bulk_create(
        Option(
            question=question,
            value=str(option.value),
            position=position,
            score=option.score,
            label_zh_hans=option.label.zh_hans,
            label_en=option.label.en,
        )
        for question, spec in zip(questions, specs, strict=True)
        for position, option in enumerate(spec.options)
    )


@transaction.atomic
def questionnaire_publish(
    *, version: QuestionnaireVersion, actor: User | None = None
) -> QuestionnaireVersion:
    """Publish a draft version. Earlier published versions of the code stay published: their
    open assessments continue on them and their reports stay valid; new assessments start
    on the newest (current_questionnaire)."""
    version.status = QuestionnaireVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    audit_log(
        "diagnosis.questionnaire.published",
        actor=actor,
        data={"code": version.code, "version": version.version},
    )
    return version


def current_questionnaire(code: str | None = None) -> QuestionnaireVersion | None:
    """The version new assessments start on: the highest published version of the code (by
    default, the code published most recently), whatever order the versions were published in."""
    versions = QuestionnaireVersion.objects.filter(status=QuestionnaireVersion.Status.PUBLISHED)
    latest_code = versions.order_by("-published_at", "-version").values("code")[:1]
    return versions.filter(code=code or Subquery(latest_code)).order_by("-version").first()
