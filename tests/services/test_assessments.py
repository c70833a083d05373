import pytest

from diagnosis.models import Answer, AuditEntry
from diagnosis.queries.questionnaires import row_ids
from diagnosis.services.assessments import (
    AnswerEntry,
    AssessmentError,
    answers_save,
    assessment_start,
)


def test_it_allows_one_open_assessment_per_firm(draft, firm, respondent):
    with pytest.raises(AssessmentError):
        assessment_start(firm=firm, user=respondent)


def test_it_never_overwrites_different_questions_of_two_colleagues(draft, respondent, colleague):
    answers_save(
        assessment=draft, user=respondent, entries=[AnswerEntry("STR-01", 2, seen_revision=0)]
    )
    answers_save(
        assessment=draft, user=colleague, entries=[AnswerEntry("STR-02", 3, seen_revision=0)]
    )
    stored = dict(Answer.objects.filter(assessment=draft).values_list("question__code", "value"))
    assert stored == {"STR-01": 2, "STR-02": 3}


def test_it_lets_the_later_save_win_and_reports_the_overwrite(draft, respondent, colleague):
    answers_save(
        assessment=draft, user=respondent, entries=[AnswerEntry("STR-01", 2, seen_revision=0)]
    )
    # The colleague opened the page before the first save (revision 0) and saves later.
    result = answers_save(
        assessment=draft, user=colleague, entries=[AnswerEntry("STR-01", 4, seen_revision=0)]
    )
    assert Answer.objects.get(assessment=draft, question__code="STR-01").value == 4
    assert result.overwrites[0].previous_value == 2
    assert result.overwrites[0].previous_author == str(respondent)
    logged = AuditEntry.objects.get(action="diagnosis.answer.overwritten")
    assert (logged.data["before"], logged.data["after"]) == (2, 4)


def test_it_reports_no_overwrite_when_the_author_saw_the_latest(draft, respondent, colleague):
    first = answers_save(
        assessment=draft, user=respondent, entries=[AnswerEntry("STR-01", 2, seen_revision=0)]
    )
    revision = first.answers["STR-01"].revision
    result = answers_save(
        assessment=draft, user=colleague, entries=[AnswerEntry("STR-01", 4, seen_revision=revision)]
    )
    assert result.overwrites == []


def test_it_saves_a_page_of_answers_in_bulk(draft, respondent, django_assert_max_num_queries):
    entries = [AnswerEntry(f"STR-0{i}", 1, seen_revision=0) for i in (1, 2)]
    row_ids(draft.questionnaire)  # per-process cache of the version's row ids, filled once
    with django_assert_max_num_queries(4):
        answers_save(assessment=draft, user=respondent, entries=entries)
    assert Answer.objects.filter(assessment=draft).count() == 2
