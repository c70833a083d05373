"""A report whose previous assessment was on questionnaire v1 and this one on v2: "since
last time" compares only the dimensions both versions share, and says so in both languages."""

import pytest
from django.urls import reverse

from diagnosis.services import review
from diagnosis.services.assessments import assessment_start, assessment_submit
from tests.answering import fill
from tests.report_pdfs import download_pdf
from tests.versions_world import fill_any, publish_v2
from tests.views.test_report import pdf_text

V1_CODES = {"STR", "TAL", "EQP", "NET", "OPS", "SCM", "DAT", "SEC", "GRN", "OUT"}


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


def test_it_compares_only_the_dimensions_both_versions_share(client, respondent, on_v2):
    page = page_of(client, respondent, on_v2, "en")
    for code in V1_CODES:
        cell = page.split(f'data-testid="delta-{code}">', 1)[1].split("<", 1)[0]
        assert cell != "—", code  # v1's dimensions are all in v2: each has a change
    for code in ("RND", "SVC", "MGT", "EHS"):
        cell = page.split(f'data-testid="delta-{code}">', 1)[1].split("<", 1)[0]
        assert cell == "—", code


def test_it_says_in_english_which_dimensions_it_compared_across_versions(client, respondent, on_v2):
    page = page_of(client, respondent, on_v2, "en")
    block = page.split('data-testid="cross-version"', 1)[1].split("</p>", 1)[0]
    assert "questionnaire version 1 and this one version 2" in block
    compared, not_compared = block.split("Not in version 1, so not compared:")
    assert "Strategy and organisation" in compared
    assert "Design and process engineering" not in compared
    assert "Design and process engineering" in not_compared
    assert "Sales and service" in not_compared


def test_it_says_so_in_chinese_too(client, respondent, on_v2):
    page = page_of(client, respondent, on_v2, "zh-hans")
    block = page.split('data-testid="cross-version"', 1)[1].split("</p>", 1)[0]
    assert "上次诊断使用问卷第 1 版，本次使用第 2 版" in block
    definition = on_v2.questionnaire.definition
    compared, not_compared = block.split("第 1 版没有、因此未作比较的维度：")
    assert definition.dimension("STR").name.zh_hans in compared
    assert definition.dimension("RND").name.zh_hans in not_compared
    assert f"{definition.dimension('STR').name.zh_hans}、" in compared
    assert compared.rstrip().endswith("。")


def test_it_says_so_in_the_pdf(client, respondent, on_v2):
    client.cookies["django_language"] = "en"
    client.force_login(respondent)
    text = pdf_text(download_pdf(client, on_v2.pk).getvalue())
    assert "onlythedimensionsbothversionssharearecompared" in text


def test_it_says_nothing_of_versions_within_one_version(client, respondent, submitted, firm):
    review.review_sign_off(assessment=submitted, consultant=submitted.firm.assignment.consultant)
    second = assessment_start(firm=firm, user=respondent)
    fill(second, respondent, high=True)
    assessment_submit(assessment=second, user=respondent)
    page = page_of(client, respondent, second, "en")
    assert 'data-testid="delta-EQP"' in page
    assert 'data-testid="cross-version"' not in page
