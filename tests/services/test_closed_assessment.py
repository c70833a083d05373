"""A save that passed the "still open" check cannot land after a colleague's submission.

These run outside a test transaction (transaction=True), as requests do: the database's
refusal then behaves as it does in production.
"""

import random
import threading
import time

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.urls import reverse

from diagnosis.answers import clean_answer
from diagnosis.models import Answer, Assessment, DimensionGoal
from diagnosis.queries.assessments import assessment_state
from diagnosis.services.assessments import (
    AnswerEntry,
    AssessmentError,
    answer_save,
    answers_save,
    assessment_submit,
    goal_save,
)
from diagnosis.services.review import review_return
from tests.answering import fill, sample_value

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def complete(draft, respondent):
    """`draft`, answered completely but not yet submitted."""
    fill(draft, respondent)
    return draft


def stored(assessment, code="STR-01"):
    return Answer.objects.filter(assessment=assessment, question__code=code).values_list(
        "value", "revision"
    )[0]


def submitted_behind_the_back_of(assessment, user):
    """Submit the assessment through a different object, leaving `assessment` stale."""
    assessment_submit(assessment=Assessment.objects.get(pk=assessment.pk), user=user)
    assert assessment.is_open  # what the late save still believes


def test_it_refuses_a_late_autosave_of_a_changed_answer(complete, respondent, colleague):
    current = assessment_state(complete).answers["STR-01"]
    before = stored(complete)
    submitted_behind_the_back_of(complete, respondent)
    with pytest.raises(AssessmentError):
        answer_save(
            assessment=complete,
            user=colleague,
            entry=AnswerEntry("STR-01", 0, seen_revision=current.revision),
            current=current,
        )
    assert stored(complete) == before


def test_it_refuses_a_late_first_answer(complete, respondent, colleague):
    """OPS-03 (MES integration) was never answered: OPS-02 says there is no MES."""
    answers_save(assessment=complete, user=respondent, entries=[AnswerEntry("OPS-02", "no")])
    Answer.objects.filter(assessment=complete, question__code="OPS-03").delete()
    submitted_behind_the_back_of(complete, respondent)
    question = complete.questionnaire.definition.questions["OPS-03"]
    value = clean_answer(question, sample_value(question, random.Random(1)))
    with pytest.raises(AssessmentError):
        answer_save(
            assessment=complete, user=colleague, entry=AnswerEntry("OPS-03", value), current=None
        )
    assert not Answer.objects.filter(assessment=complete, question__code="OPS-03").exists()


def test_it_refuses_a_late_answer_to_a_question_someone_answered_meanwhile(
    complete, respondent, colleague
):
    before = stored(complete)
    submitted_behind_the_back_of(complete, respondent)
    with pytest.raises(AssessmentError):
        answer_save(
            assessment=complete, user=colleague, entry=AnswerEntry("STR-01", 0), current=None
        )
    assert stored(complete) == before


def test_it_refuses_a_late_page_save(complete, respondent, colleague):
    before = stored(complete)
    submitted_behind_the_back_of(complete, respondent)
    with pytest.raises(AssessmentError):
        answers_save(assessment=complete, user=colleague, entries=[AnswerEntry("STR-01", 0)])
    assert stored(complete) == before


def test_it_refuses_a_late_goal(complete, respondent):
    submitted_behind_the_back_of(complete, respondent)
    with pytest.raises(AssessmentError):
        goal_save(assessment=complete, dimension_code="STR", target_level=1, relevance=1)
    goal = DimensionGoal.objects.get(assessment=complete, dimension__code="STR")
    assert (goal.target_level, goal.relevance) != (1, 1)


def test_the_database_itself_keeps_a_submitted_assessment_unchanged(complete, respondent):
    submitted_behind_the_back_of(complete, respondent)
    with pytest.raises(IntegrityError):
        Answer.objects.filter(assessment=complete).update(note="后来改的")


def test_it_takes_answers_again_once_returned_to_the_firm(complete, respondent, consultant):
    submitted_behind_the_back_of(complete, respondent)
    returned = Assessment.objects.get(pk=complete.pk)
    review_return(assessment=returned, consultant=consultant, comment="请补充证据")
    answers_save(assessment=returned, user=respondent, entries=[AnswerEntry("STR-01", 1)])
    assert stored(complete)[0] == 1


def test_a_late_autosave_gets_a_403_that_says_why(
    client, colleague, complete, respondent, monkeypatch
):
    """The view's check passes; the colleague's submission commits before the write."""
    from diagnosis.views import respond

    def state_then_submission(assessment):
        state = assessment_state(assessment)
        submitted_behind_the_back_of(assessment, respondent)
        return state

    monkeypatch.setattr(respond, "assessment_state", state_then_submission)
    client.force_login(colleague)
    client.raise_request_exception = False
    before = stored(complete)
    response = client.post(
        reverse("answer_autosave", args=[complete.pk, "STR-01"]),
        {"q-STR-01-value": "0", "q-STR-01-rev": str(before[1])},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 403
    assert "submitted" in response.content.decode()
    assert stored(complete) == before


def test_a_save_waits_for_a_submission_in_progress_and_is_then_refused(
    complete, respondent, colleague
):
    """The save blocks on the submission (PostgreSQL: its row lock; SQLite: its write
    lock) while the submission is uncommitted, then sees the assessment submitted."""
    current = assessment_state(complete).answers["STR-01"]
    before = stored(complete)
    outcome: dict = {}
    writing = threading.Event()

    def late_save():
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            # Called as a statement starts, before it asks for the write lock.
            connection.connection.set_trace_callback(
                lambda sql: writing.set() if sql.startswith("UPDATE") else None
            )
        try:
            answer_save(
                assessment=complete,
                user=colleague,
                entry=AnswerEntry("STR-01", 0, seen_revision=current.revision),
                current=current,
            )
        except AssessmentError as error:
            outcome["refused"] = str(error)
        except Exception as error:  # reported by the assertions below
            outcome["error"] = repr(error)
        finally:
            connections.close_all()

    with transaction.atomic():
        assessment_submit(assessment=Assessment.objects.get(pk=complete.pk), user=respondent)
        saver = threading.Thread(target=late_save)
        saver.start()
        wait_until_the_save_waits(writing, outcome)
        assert not outcome, outcome  # still waiting: it cannot pass the uncommitted submission
    saver.join(30)
    assert "refused" in outcome, outcome
    assert stored(complete) == before


def wait_until_the_save_waits(writing: threading.Event, outcome: dict) -> None:
    """Return once the other thread's write is waiting for this transaction's lock."""
    if connection.vendor == "sqlite":
        # Its UPDATE has started, and SQLite grants one writer at a time: it waits.
        assert writing.wait(10), f"the save never started its write: {outcome}"
        return
    deadline = time.monotonic() + 10
    with connection.cursor() as cursor:
        while time.monotonic() < deadline and not outcome:
            # Statistics are a snapshot per transaction, and this runs inside one.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
    raise AssertionError(f"the save did not wait for the submission's lock: {outcome}")
