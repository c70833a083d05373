"""SQL query budgets of the pages a respondent uses most (design.md section 6: a small
constant number of queries whatever the questionnaire size).

Each test makes one warm-up request first: the first request of a process also fills the
per-process questionnaire caches, which a long-running worker does once.
"""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from diagnosis.models import Answer, Assessment
from diagnosis.services.benchmarks import refresh_benchmarks
from tests.answering import answer_post_data, goal_post_data
from tests.peers_data import peer

SECTION_PAGE_BUDGET = 10
AUTOSAVE_BUDGET = 6
SECTION_SAVE_BUDGET = 8
REPORT_BUDGET = 12


@pytest.fixture
def assessment(client, respondent, questionnaire):
    """An assessment the logged-in respondent just started."""
    client.force_login(respondent)
    client.post(reverse("assessment_new"))
    return Assessment.objects.get(firm__memberships__user=respondent, status="draft")


def largest_and_smallest(assessment):
    dimensions = assessment.questionnaire.definition.dimensions
    return (
        max(dimensions, key=lambda d: len(d.questions)),
        min(dimensions, key=lambda d: len(d.questions)),
    )


def save_page(client, assessment, dimension, *, seed=7, high=None):
    """POST every answer of one section page, as the no-JavaScript form does."""
    data = page_data(assessment, dimension, seed=seed, high=high)
    return client.post(reverse("section", args=[assessment.pk, dimension.code]), data)


def page_data(assessment, dimension, *, seed=7, high=None) -> dict:
    """The section form's POST data, with the revisions of the answers already stored."""
    definition = assessment.questionnaire.definition
    codes = [q.code for q in dimension.questions]
    revisions = dict(
        Answer.objects.filter(assessment=assessment).values_list("question__code", "revision")
    )
    data = answer_post_data(definition, codes, random.Random(seed), high)
    data.update({f"q-{code}-rev": str(revisions.get(code, 0)) for code in codes})
    data.update(goal_post_data(definition))
    return data


def answer_everything(client, assessment, *, seed, high=None):
    for _round in range(2):  # the second pass answers questions the first one revealed
        for dimension in assessment.questionnaire.definition.dimensions:
            response = save_page(client, assessment, dimension, seed=seed, high=high)
            assert response.status_code == 302, response.content.decode()[:2000]


def section_page_queries(client, assessment, dimension) -> int:
    """Queries of a section page (built afresh on every request: there is no page cache)."""
    url = reverse("section", args=[assessment.pk, dimension.code])
    client.get(url)  # shows the "saved" messages and fills the per-process caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert f'data-testid="question-{dimension.questions[0].code}"' in response.content.decode()
    return len(captured)


def test_it_shows_a_section_page_within_the_query_budget(client, assessment):
    largest, _smallest = largest_and_smallest(assessment)
    save_page(client, assessment, largest)
    assert section_page_queries(client, assessment, largest) <= SECTION_PAGE_BUDGET


def test_it_shows_section_pages_of_any_size_with_the_same_queries(client, assessment):
    largest, smallest = largest_and_smallest(assessment)
    assert len(largest.questions) > len(smallest.questions)
    save_page(client, assessment, largest)
    save_page(client, assessment, smallest)
    assert section_page_queries(client, assessment, largest) == section_page_queries(
        client, assessment, smallest
    )


@pytest.mark.parametrize("revision", [0, 1], ids=["new answer", "changed answer"])
def test_it_autosaves_an_answer_within_the_query_budget(
    client, assessment, django_assert_max_num_queries, revision
):
    url = reverse("answer_autosave", args=[assessment.pk, "STR-01"])
    warm_up = {"q-STR-02-value": "2", "q-STR-02-rev": "0"}
    response = client.post(reverse("answer_autosave", args=[assessment.pk, "STR-02"]), warm_up)
    assert response.status_code == 200
    if revision:
        client.post(url, {"q-STR-01-value": "2", "q-STR-01-rev": "0"})
    data = {"q-STR-01-value": "3", "q-STR-01-rev": str(revision)}
    with django_assert_max_num_queries(AUTOSAVE_BUDGET):
        response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert Answer.objects.get(assessment=assessment, question__code="STR-01").value == 3


def test_it_saves_a_whole_page_within_the_query_budget(
    client, assessment, django_assert_max_num_queries
):
    largest, smallest = largest_and_smallest(assessment)
    save_page(client, assessment, smallest)
    half = [q.code for q in largest.questions[: len(largest.questions) // 2]]
    definition = assessment.questionnaire.definition
    for code in half:  # autosaved before: the page both changes and adds answers
        data = answer_post_data(definition, [code], random.Random(1))
        client.post(reverse("answer_autosave", args=[assessment.pk, code]), data)
    url = reverse("section", args=[assessment.pk, largest.code])
    data = page_data(assessment, largest, high=True)
    with django_assert_max_num_queries(SECTION_SAVE_BUDGET):
        response = client.post(url, data)
    assert response.status_code == 302
    assert Answer.objects.filter(assessment=assessment).count() == len(smallest.questions) + len(
        largest.questions
    )


def test_it_shows_a_report_with_progress_within_the_query_budget(
    client, assessment, django_assert_max_num_queries
):
    answer_everything(client, assessment, seed=1, high=False)
    client.post(reverse("submit", args=[assessment.pk]), {"confirmed": "yes"})
    client.post(reverse("assessment_new"))
    second = Assessment.objects.get(previous=assessment)
    answer_everything(client, second, seed=2)
    client.post(reverse("submit", args=[second.pk]), {"confirmed": "yes"})
    url = reverse("report", args=[second.pk])
    client.get(url)
    with django_assert_max_num_queries(REPORT_BUDGET):
        response = client.get(url)
    assert response.status_code == 200
    assert 'data-testid="overall"' in response.content.decode()
    assert response.context["report"].previous == assessment


# The report with progress took these statements before it had a peer block (session, user,
# assessment, its results, the previous assessment, its results, the consultant): the
# block's one statement is paid for by reading both assessments' results together.
REPORT_QUERIES_BEFORE_PEERS = 7


def test_it_shows_the_peer_block_without_adding_to_the_reports_queries(
    client, assessment, django_assert_max_num_queries, settings
):
    settings.PEER_MIN_COUNT = 10
    answer_everything(client, assessment, seed=1, high=False)
    client.post(reverse("submit", args=[assessment.pk]), {"confirmed": "yes"})
    client.post(reverse("assessment_new"))
    second = Assessment.objects.get(previous=assessment)
    answer_everything(client, second, seed=2)
    client.post(reverse("submit", args=[second.pk]), {"confirmed": "yes"})
    codes = [d.code for d in assessment.questionnaire.definition.dimensions]
    for score in range(0, 110, 10):
        peer(assessment.questionnaire, score, dict.fromkeys(codes, score))
    assert refresh_benchmarks().succeeded
    url = reverse("report", args=[second.pk])
    client.get(url)
    with django_assert_max_num_queries(REPORT_QUERIES_BEFORE_PEERS):
        response = client.get(url)
    page = response.content.decode()
    assert 'data-testid="peer-table"' in page and 'fill-rule="evenodd"' in page
    assert response.context["report"].previous == assessment
