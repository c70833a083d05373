"""A report whose previous assessment was on questionnaire v1 and this one on v2: "since
last time" compares only the dimensions both versions share with the same meaning (by
comparison key: v2's SEC, GRN and OUT kept their codes, not their meaning), and says so in
both languages."""

import copy

import pytest
from django.urls import reverse

from diagnosis.definitions.loader import read_definition_data
from diagnosis.models import ScoreResult
from diagnosis.services import review
from diagnosis.services.assessments import assessment_start, assessment_submit
from diagnosis.services.questionnaires import questionnaire_store
from tests.answering import fill
from tests.report_pdfs import download_pdf
from tests.versions_world import V2_FILE, fill_any, publish_v2
from tests.views.test_report import pdf_text

V1_CODES = {"STR", "TAL", "EQP", "NET", "OPS", "SCM", "DAT", "SEC", "GRN", "OUT"}
CHANGED_MEANING = {"SEC", "GRN", "OUT"}  # v2's compares_as: SEC-2, GRN-2, OUT-2


@pytest.fixture
def on_v2(submitted, firm, respondent):
    """`submitted` (v1) signed off, then the firm's next assessment, on v2, submitted."""
    review.review_sign_off(assessment=submitted, consultant=submitted.firm.assignment.consultant)
    publish_v2()
    following = assessment_start(firm=firm, user=respondent)
    fill_any(following, respondent, high=True)
    return assessment_submit(assessment=following, user=respondent)


def page_of(client, user, assessment, language: str) -> str:
    client.cookies["django_language"] = language
    client.force_login(user)
    return client.get(reverse("report", args=[assessment.pk])).content.decode()


def delta(page: str, code: str) -> str:
    return page.split(f'data-testid="delta-{code}">', 1)[1].split("<", 1)[0]


def test_it_compares_only_the_dimensions_both_versions_share(client, respondent, on_v2):
    page = page_of(client, respondent, on_v2, "en")
    for code in V1_CODES - CHANGED_MEANING:
        assert delta(page, code) != "—", code  # same code, same meaning: a change
    for code in ("RND", "SVC", "MGT", "EHS"):
        assert delta(page, code) == "—", code


def test_it_does_not_compare_a_dimension_that_kept_its_code_but_changed_meaning(
    client, respondent, on_v2
):
    page = page_of(client, respondent, on_v2, "en")
    for code in CHANGED_MEANING:
        assert delta(page, code) == "—", code


def test_it_compares_by_comparison_key_a_dimension_whose_code_changed(
    client, respondent, submitted, firm
):
    """A v2 whose EHS says it compares as v1's SEC (a test file, not the shipped one): v2's
    EHS gets v1 SEC's change, v2's SEC none."""
    review.review_sign_off(assessment=submitted, consultant=submitted.firm.assignment.consultant)
    data = copy.deepcopy(read_definition_data(V2_FILE))
    ehs = next(d for d in data["dimensions"] if d["code"] == "EHS")
    ehs["compares_as"] = "SEC"
    questionnaire_store(data=data, source=V2_FILE.name, publish=True)
    following = assessment_start(firm=firm, user=respondent)
    fill_any(following, respondent, high=True)
    assessment_submit(assessment=following, user=respondent)
    page = page_of(client, respondent, following, "en")
    previous = ScoreResult.objects.get(assessment=submitted, kind=ScoreResult.Kind.VALIDATED)
    sec_before = next(d["score"] for d in previous.card["dimensions"] if d["code"] == "SEC")
    ehs_now = ScoreResult.objects.get(assessment=following).card
    ehs_score = next(d["score"] for d in ehs_now["dimensions"] if d["code"] == "EHS")
    assert delta(page, "EHS") == f"{ehs_score - sec_before:+.1f}"
    assert delta(page, "SEC") == "—"


def test_it_says_in_english_which_dimensions_it_compared_across_versions(client, respondent, on_v2):
    page = page_of(client, respondent, on_v2, "en")
    block = page.split('data-testid="cross-version"', 1)[1].split("</p>", 1)[0]
    assert "questionnaire version 1 and this one version 2" in block
    compared, rest = block.split(
        "Changed meaning since version 1 although the code is the same, so not compared:"
    )
    changed, not_compared = rest.split("Not in version 1, so not compared:")
    assert "Strategy and organisation" in compared
    assert "Design and process engineering" not in compared
    assert "Design and process engineering" in not_compared
    assert "Sales and service" in not_compared
    for name in ("Cybersecurity and data security", "Green and energy management"):
        assert name not in compared
        assert name in changed
    assert "Business outcomes" in changed
    assert "Design and process engineering" not in changed


def test_it_says_so_in_chinese_too(client, respondent, on_v2):
    page = page_of(client, respondent, on_v2, "zh-hans")
    block = page.split('data-testid="cross-version"', 1)[1].split("</p>", 1)[0]
    assert "上次诊断使用问卷第 1 版，本次使用第 2 版" in block
    definition = on_v2.questionnaire.definition
    compared, rest = block.split("与第 1 版代码相同但含义已改变、因此未作比较的维度：")
    changed, not_compared = rest.split("第 1 版没有、因此未作比较的维度：")
    assert definition.dimension("STR").name.zh_hans in compared
    assert definition.dimension("RND").name.zh_hans in not_compared
    assert f"{definition.dimension('STR').name.zh_hans}、" in compared
    assert compared.rstrip().endswith("。")
    sec, grn, out = (definition.dimension(code).name.zh_hans for code in ("SEC", "GRN", "OUT"))
    assert changed.strip() == f"{sec}、{grn}、{out}。"
    assert sec not in compared


def test_it_says_so_in_the_pdf(client, respondent, on_v2):
    client.cookies["django_language"] = "en"
    client.force_login(respondent)
    text = pdf_text(download_pdf(client, on_v2.pk).getvalue())
    assert "onlythedimensionsbothversionssharearecompared" in text
    assert "Changedmeaningsinceversion1althoughthecodeisthesame,sonotcompared" in text


def test_it_says_nothing_of_versions_within_one_version(client, respondent, submitted, firm):
    review.review_sign_off(assessment=submitted, consultant=submitted.firm.assignment.consultant)
    second = assessment_start(firm=firm, user=respondent)
    fill(second, respondent, high=True)
    assessment_submit(assessment=second, user=respondent)
    page = page_of(client, respondent, second, "en")
    assert 'data-testid="delta-EQP"' in page
    assert 'data-testid="cross-version"' not in page
