"""A respondent's assessment comes from one statement, complete enough for every page."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from diagnosis.permissions import get_assessment_for_user


def test_it_gives_a_member_the_assessment_with_firm_and_questionnaire_in_one_query(
    draft, colleague, django_assert_num_queries
):
    assert draft.questionnaire.definition  # parsed once per process, as in a running server
    with django_assert_num_queries(1):
        assessment, access = get_assessment_for_user(colleague, draft.pk)
        assert assessment.firm.name == draft.firm.name
        assert assessment.questionnaire.title == draft.questionnaire.title
        assert assessment.questionnaire.definition.code == "smart-manufacturing"
        assert assessment.is_open
    assert (access.is_member, access.is_owner, access.is_consultant) == (True, False, False)


def test_it_tells_the_owner_apart(draft, respondent):
    _assessment, access = get_assessment_for_user(respondent, draft.pk)
    assert access.is_owner


def test_it_hides_the_assessment_from_another_firm(draft, other_respondent):
    with pytest.raises(Http404):
        get_assessment_for_user(other_respondent, draft.pk)


def test_it_lets_the_assigned_consultant_read_but_not_write(draft, consultant):
    _assessment, access = get_assessment_for_user(consultant, draft.pk)
    assert access.is_consultant and not access.is_member
    with pytest.raises(PermissionDenied):
        get_assessment_for_user(consultant, draft.pk, write=True)


def test_it_refuses_writes_to_a_submitted_assessment(submitted, respondent):
    with pytest.raises(PermissionDenied):
        get_assessment_for_user(respondent, submitted.pk, write=True)
