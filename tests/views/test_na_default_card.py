"""The answering page of a question whose "not applicable" the firm's industry presets
(``na_default_when``; v2's RND-05 and SVC-03 in textiles and food): "not applicable" is
pre-ticked with a one-line note, the question counts as answered, and changing it saves
as any answer does (after which the note is gone)."""

import pytest
from django.urls import reverse

from diagnosis.models import Answer, Assessment
from diagnosis.queries.assessments import assessment_state
from tests.versions_world import publish_v2

NOTE_EN = "Pre-set to not applicable for your industry — change it if it applies"
NOTE_ZH = "预设为不适用（纺织、食品企业通常不涉及）"
NA_BOX = 'name="q-RND-05-na" class="form-check-input" id="id_q-RND-05-na"'


def on_v2(client, firm, respondent, industry: int) -> Assessment:
    firm.industry = industry
    firm.save()
    publish_v2()
    client.force_login(respondent)
    client.post(reverse("assessment_new"))
    return Assessment.objects.get(firm=firm, status="draft")


def page(client, assessment, code="RND", language="en") -> str:
    client.cookies["django_language"] = language
    response = client.get(reverse("section", args=[assessment.pk, code]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_textile_firm_sees_not_applicable_pre_ticked_with_a_note(client, firm, respondent):
    assessment = on_v2(client, firm, respondent, industry=17)
    html = page(client, assessment)
    assert f"{NA_BOX} checked" in html
    assert 'data-testid="na-default-RND-05"' in html
    assert NOTE_EN in html
    assert 'data-testid="na-default-RND-02"' not in html  # design tools: not preset
    assert f"{NA_BOX.replace('RND-05', 'RND-02')} checked" not in html
    assert NOTE_ZH in page(client, assessment, language="zh-hans")
    assert 'data-testid="na-default-SVC-03"' in page(client, assessment, code="SVC")
    state = assessment_state(assessment)
    rnd05 = state.definition.questions["RND-05"]
    assert state.answered(rnd05) and state.defaulted(rnd05)
    assert rnd05 not in state.missing_questions()
    assert not Answer.objects.filter(assessment=assessment).exists()  # nothing is stored


def test_a_machinery_firm_gets_no_preset(client, firm, respondent):
    assessment = on_v2(client, firm, respondent, industry=34)
    html = page(client, assessment)
    assert NA_BOX in html
    assert f"{NA_BOX} checked" not in html
    assert NOTE_EN not in html
    state = assessment_state(assessment)
    assert state.definition.questions["RND-05"] in state.missing_questions()


@pytest.mark.parametrize(
    ("posted", "value", "answered"),
    [({"q-RND-05-value": "2"}, 2, True), ({}, None, False)],
    ids=["a-level", "unticked-only"],
)
def test_changing_the_preset_saves_normally(client, firm, respondent, posted, value, answered):
    assessment = on_v2(client, firm, respondent, industry=17)
    data = {"q-RND-05-value": "", "q-RND-05-rev": "0"} | posted  # no q-RND-05-na: unticked
    response = client.post(reverse("answer_autosave", args=[assessment.pk, "RND-05"]), data)
    assert response.status_code == 200
    stored = Answer.objects.get(assessment=assessment, question__code="RND-05")
    assert (stored.value, stored.not_applicable) == (value, False)
    html = response.content.decode()
    assert f"{NA_BOX} checked" not in html
    assert NOTE_EN not in html
    state = assessment_state(assessment)
    rnd05 = state.definition.questions["RND-05"]
    assert not state.defaulted(rnd05)
    assert state.answered(rnd05) is answered
    assert f"{NA_BOX} checked" not in page(client, assessment)


def test_the_review_row_says_the_answer_is_preset(client, firm, respondent):
    from django.utils import translation

    from diagnosis.queries.review import review_row

    assessment = on_v2(client, firm, respondent, industry=14)
    state = assessment_state(assessment)
    questions = state.definition.questions
    with translation.override("en"):
        preset = review_row(state, questions["SVC-03"], [], [])
        plain = review_row(state, questions["RND-02"], [], [])
    assert preset.display == "Not applicable (preset for the firm's industry; not answered)"
    assert (preset.state, plain.display) == ("unanswered", "—")
