"""Keeps FirmCurrent, each firm's latest assessment and headline result, in step with the
assessments: one upsert statement per change, whatever the number of firms.

The programme pages filter and sort a city's firms by status and index; read through
correlated subqueries per firm, that cost a sort over every firm of a district. The rows
here are rewritten from the assessments whenever one of them or one of their results is
saved or deleted (signals, so that the admin and the factories keep them too), and
wholesale by `refresh_current()` after bulk writes that bypass signals (the synthetic
city, the demo's back-dated assessments).
"""

from collections.abc import Iterable

from django.db import connection
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from diagnosis.models import Assessment, FirmCurrent, ScoreResult

_UPSERT = """
INSERT INTO {current} (firm_id, assessment_id, status, created_at, submitted_at,
                       validated_at, overall, level)
SELECT a.firm_id, a.id, a.status, a.created_at, a.submitted_at, a.validated_at,
       COALESCE(v.overall, s.overall), COALESCE(v.level, s.level)
FROM (
    SELECT id, firm_id, status, created_at, submitted_at, validated_at,
           ROW_NUMBER() OVER (PARTITION BY firm_id ORDER BY created_at DESC, id DESC) AS rn
    FROM {assessment}
    {where}
) a
LEFT JOIN {result} v ON v.assessment_id = a.id AND v.kind = %s
LEFT JOIN {result} s ON s.assessment_id = a.id AND s.kind = %s
WHERE a.rn = 1{existing}
ON CONFLICT (firm_id) DO UPDATE SET
    assessment_id = excluded.assessment_id, status = excluded.status,
    created_at = excluded.created_at, submitted_at = excluded.submitted_at,
    validated_at = excluded.validated_at, overall = excluded.overall, level = excluded.level
"""


def _run(where: str, params: list[int], *, existing_only: bool = False) -> None:
    table = FirmCurrent._meta.db_table
    sql = _UPSERT.format(
        existing=f" AND a.firm_id IN (SELECT firm_id FROM {table})"  # noqa: S608 (table name)
        if existing_only
        else "",
        current=FirmCurrent._meta.db_table,
        assessment=Assessment._meta.db_table,
        result=ScoreResult._meta.db_table,
        where=where,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, ScoreResult.Kind.VALIDATED, ScoreResult.Kind.SELF])


def refresh_current(firm_ids: Iterable[int] | None = None) -> None:
    """Rewrite the rows of `firm_ids` (every firm when None) from their assessments."""
    if firm_ids is None:
        _run("", [])
        return
    ids = sorted(set(firm_ids))
    if ids:
        _run(f"WHERE firm_id IN ({', '.join(['%s'] * len(ids))})", list(ids))


def refresh_current_of_assessment(assessment_id: int, *, existing_only: bool = False) -> None:
    """Rewrite the row of the firm that `assessment_id` belongs to (one statement);
    `existing_only`: only if the firm has a row still."""
    table = Assessment._meta.db_table
    _run(
        f"WHERE firm_id = (SELECT firm_id FROM {table} WHERE id = %s)",  # noqa: S608 (table name)
        [assessment_id],
        existing_only=existing_only,
    )


@receiver(post_save, sender=Assessment, dispatch_uid="firm-current-assessment-saved")
@receiver(post_delete, sender=Assessment, dispatch_uid="firm-current-assessment-deleted")
def _assessment_changed(sender: type, instance: Assessment, **kwargs: object) -> None:
    refresh_current([instance.firm_id])


@receiver(post_save, sender=ScoreResult, dispatch_uid="firm-current-result-saved")
def _result_saved(sender: type, instance: ScoreResult, **kwargs: object) -> None:
    refresh_current_of_assessment(instance.assessment_id)


@receiver(post_delete, sender=ScoreResult, dispatch_uid="firm-current-result-deleted")
def _result_deleted(sender: type, instance: ScoreResult, **kwargs: object) -> None:
    # Deleting an assessment deletes its results, and its FirmCurrent row, first: the
    # assessment's own signal then picks the firm's next latest one. Re-inserting a row
    # here would point at the assessment about to go.
    refresh_current_of_assessment(instance.assessment_id, existing_only=True)
