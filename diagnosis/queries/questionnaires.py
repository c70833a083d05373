"""Reads about questionnaire versions that are cached per process (versions never change)."""

from dataclasses import dataclass

from diagnosis.models import Dimension, Question, QuestionnaireVersion


@dataclass(frozen=True)
class RowIds:
    """Database ids of a version's dimensions and questions, by code."""

    dimensions: dict[str, int]
    questions: dict[str, int]


_ROW_IDS: dict[tuple[int, str], RowIds] = {}


def row_ids(version: QuestionnaireVersion) -> RowIds:
    """Return the code → id maps of a version; two queries the first time, none after."""
    key = (version.pk, version.checksum)
    if key not in _ROW_IDS:
        _ROW_IDS[key] = RowIds(
            dimensions=dict(
                Dimension.objects.filter(questionnaire=version).values_list("code", "id")
            ),
            questions=dict(
                Question.objects.filter(questionnaire=version).values_list("code", "id")
            ),
        )
    return _ROW_IDS[key]
