"""Two published versions of one questionnaire: v1 stays published and unchanged, open v1
assessments continue on v1, and a firm's next assessment starts on the newest, v2."""

from django.utils import timezone

from diagnosis.models import Assessment, QuestionnaireVersion, ScoreResult
from diagnosis.services.assessments import assessment_start, assessment_submit
from diagnosis.services.questionnaires import current_questionnaire
from tests.answering import fill
from tests.factories import make_firm, make_member
from tests.versions_world import fill_any, publish_v2


def test_it_keeps_v1_published_and_unchanged_when_v2_is_published(questionnaire):
    checksum = questionnaire.checksum
    rows = list(questionnaire.questions.values_list("pk", "code"))

    v2 = publish_v2()

    questionnaire.refresh_from_db()
    assert questionnaire.status == QuestionnaireVersion.Status.PUBLISHED
    assert v2.status == QuestionnaireVersion.Status.PUBLISHED
    assert questionnaire.checksum == checksum
    assert list(questionnaire.questions.values_list("pk", "code")) == rows


def test_it_starts_new_assessments_on_the_newest_published_version(questionnaire):
    v2 = publish_v2()
    assert current_questionnaire() == v2
    assert current_questionnaire("smart-manufacturing") == v2


def test_it_takes_the_highest_version_whatever_order_they_were_published_in(questionnaire):
    v2 = publish_v2()
    QuestionnaireVersion.objects.filter(pk=questionnaire.pk).update(published_at=timezone.now())
    assert current_questionnaire() == v2


def test_it_continues_an_open_v1_assessment_on_v1(draft, questionnaire, respondent):
    publish_v2()

    fill(draft, respondent)  # answers to v1's questions
    assessment_submit(assessment=draft, user=respondent)

    draft.refresh_from_db()
    assert draft.questionnaire == questionnaire
    card = ScoreResult.objects.get(assessment=draft, kind=ScoreResult.Kind.SELF).card
    assert card["definition_version"] == 1


def test_it_starts_the_firms_next_assessment_on_v2(submitted, firm, respondent):
    v2 = publish_v2()

    following = assessment_start(firm=firm, user=respondent)

    assert following.questionnaire == v2
    assert following.previous == submitted
    fill_any(following, respondent)
    assessment_submit(assessment=following, user=respondent)
    assert following.status == Assessment.Status.SUBMITTED


def test_it_starts_a_new_firm_on_v2(questionnaire):
    v2 = publish_v2()
    firm = make_firm()
    assert assessment_start(firm=firm, user=make_member(firm)).questionnaire == v2


def test_it_stores_each_dimensions_comparison_key(questionnaire):
    v2 = publish_v2()

    v1_rows = list(questionnaire.dimensions.values_list("code", "compares_as"))
    assert v1_rows and all(code == key for code, key in v1_rows)  # v1 sets none
    v2_keys = dict(v2.dimensions.values_list("code", "compares_as"))
    assert v2_keys["SEC"] == "SEC-2"
    assert v2_keys["GRN"] == "GRN-2"
    assert v2_keys["OUT"] == "OUT-2"
    assert v2_keys["STR"] == "STR"
    assert v2_keys["EHS"] == "EHS"
