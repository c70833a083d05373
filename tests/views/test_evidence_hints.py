"""Each v2 question names the evidence that supports it (issue 12 item 9): the respondent
reads it beside the file input of the question card, the consultant beside the firm's
file (or "no evidence file") on the review screen. v1 has no hints and shows none."""

import re
from dataclasses import replace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from diagnosis.forms.cards import _card_parts
from diagnosis.models import Assessment
from diagnosis.queries.assessments import assessment_state
from diagnosis.scoring.definition import Text
from diagnosis.services.assessments import (
    AnswerEntry,
    answers_save,
    assessment_start,
    assessment_submit,
)
from tests.versions_world import fill_any, publish_v2

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HINT = {
    "zh-hans": "建议佐证材料：数字化规划文件或年度经营计划中的数字化章节；",
    "en": "Suggested evidence: The digital plan, or the digital chapter of the annual "
    "business plan; the list of key projects (owner, milestones, budget);",
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def on_v2(firm, respondent):
    publish_v2()
    return assessment_start(firm=firm, user=respondent)


@pytest.fixture
def v2_submitted(on_v2, respondent, consultant):
    """v2 answered throughout, STR-01 with an evidence file, and submitted."""
    fill_any(on_v2, respondent)
    value = assessment_state(on_v2).answers["STR-01"].value
    upload = SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")
    entry = AnswerEntry(code="STR-01", value=value, evidence=upload)
    answers_save(assessment=on_v2, user=respondent, entries=[entry])
    return assessment_submit(assessment=on_v2, user=respondent)


def page(client, user, url, language):
    client.force_login(user)
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def card(html: str, code: str) -> str:
    match = re.search(rf'<fieldset id="q-{code}".*?</fieldset>', html, re.S)
    assert match, code
    return match.group(0)


def review_row(html: str, code: str) -> str:
    match = re.search(rf'<article id="a-{code}".*?</article>', html, re.S)
    assert match, code
    return match.group(0)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_shows_the_suggested_evidence_on_the_card(client, respondent, on_v2, language):
    html = page(client, respondent, reverse("section", args=[on_v2.pk, "STR"]), language)
    strategy = card(html, "STR-01")
    hint = re.search(r'data-testid="evidence-hint-STR-01">(.*?)</p>', strategy, re.S)
    assert hint and hint.group(1).startswith(HINT[language])
    assert strategy.index("evidence-hint-STR-01") < strategy.index('type="file"')
    other = "Suggested evidence" if language == "zh-hans" else "建议佐证材料"
    assert other not in html


def test_a_computed_rate_shows_how_it_is_checked(client, respondent, on_v2):
    html = page(client, respondent, reverse("section", args=[on_v2.pk, "EQP"]), "en")
    rate = card(html, "EQP-03")
    assert 'data-testid="computed-EQP-03"' in rate
    assert "Suggested evidence: Computed from EQP-14 and EQP-16;" in rate


def test_it_shows_the_hint_on_a_read_only_card(client, respondent, on_v2):
    Assessment.objects.filter(pk=on_v2.pk).update(status=Assessment.Status.SUBMITTED)
    html = page(client, respondent, reverse("section", args=[on_v2.pk, "STR"]), "en")
    strategy = card(html, "STR-01")
    assert HINT["en"] in strategy and 'type="file"' not in strategy


def test_it_escapes_the_hint(on_v2):
    question = on_v2.questionnaire.definition.questions["STR-01"]
    evil = replace(question, evidence=Text(zh_hans="<b>甲</b>", en='<script>"x"</script>'))
    assert "&lt;script&gt;&quot;x&quot;&lt;/script&gt;" in _card_parts(evil, "en").evidence_hint
    assert "<script>" not in _card_parts(evil, "en").evidence_hint
    assert "&lt;b&gt;甲&lt;/b&gt;" in _card_parts(evil, "zh-hans").evidence_hint


def test_v1_cards_show_no_hint(client, respondent, draft):
    html = page(client, respondent, reverse("section", args=[draft.pk, "STR"]), "en")
    assert 'data-testid="question-STR-01"' in html
    assert "evidence-hint-" not in html and "Suggested evidence" not in html


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_review_screen_shows_the_hint_beside_the_firms_file(
    client, consultant, v2_submitted, language
):
    url = reverse("review_dimension", args=[v2_submitted.pk, "STR"])
    html = page(client, consultant, url, language)
    with_file = review_row(html, "STR-01")
    assert "plan.pdf</a>" in with_file
    assert HINT[language] in with_file
    assert "no-evidence-STR-01" not in with_file
    without_file = review_row(html, "STR-02")
    no_file = {"zh-hans": "未附佐证材料", "en": "No evidence file"}[language]
    assert f'data-testid="no-evidence-STR-02">{no_file}</div>' in without_file
    assert 'data-testid="evidence-hint-STR-02"' in without_file


def test_the_v1_review_screen_shows_no_hint(client, consultant, submitted):
    html = page(client, consultant, reverse("review_dimension", args=[submitted.pk, "STR"]), "en")
    assert 'data-testid="no-evidence-STR-01">No evidence file</div>' in html
    assert "evidence-hint-" not in html and "Suggested evidence" not in html
