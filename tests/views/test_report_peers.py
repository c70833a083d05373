"""The peer block of the report (page and PDF, both languages): the group used and its size,
quartiles and percentile rank per dimension, the radar's band, suppression and fallback."""

import io
import re

import pypdf
import pytest
from django.urls import reverse

from diagnosis.models import BenchmarkCell, ScoreResult
from diagnosis.services.benchmarks import refresh_benchmarks
from tests.peers_data import peer
from tests.report_pdfs import download_pdf

TENS = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
WORDS = {
    "zh-hans": (
        "与可比企业对标",
        "同一行业大类、同一规模、同一区",
        "共 11 家企业",
        "可比企业暂时不足",
    ),
    "en": (
        "Compared with comparable firms",
        "same industry division, size class and district",
        "11 firms",
        "Not enough peers yet",
    ),
}


@pytest.fixture(autouse=True)
def minimum(settings):
    settings.PEER_MIN_COUNT = 10
    settings.PEER_INCLUDE_SUBMITTED = False


def dimension_codes(questionnaire) -> list[str]:
    return [d.code for d in questionnaire.definition.dimensions]


def peers_in_the_same_segment(questionnaire, count=11, **fields):
    """`count` signed-off firms of `firm`'s division, size class and district (34, small,
    minhang), overall and every dimension at 0, 10, 20, …"""
    codes = dimension_codes(questionnaire)
    for score in TENS[:count]:
        peer(questionnaire, score, dict.fromkeys(codes, score), **fields)


def found(pattern: str, text: str) -> str:
    match = re.search(pattern, text, re.S)
    assert match, pattern
    return match.group(1) if match.groups() else match.group(0)


def peer_section(page: str) -> str:
    found = re.search(r'<section class="mb-4 peers".*?</section>', page, re.S)
    assert found, "no peer block"
    return found.group(0)


def report_page(client, user, assessment, language="zh-hans") -> str:
    client.cookies["django_language"] = language
    client.force_login(user)
    response = client.get(reverse("report", args=[assessment.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_shows_the_peer_group_quartiles_and_percentile_rank(
    client, respondent, submitted, language
):
    peers_in_the_same_segment(submitted.questionnaire)
    refresh_benchmarks()
    section = peer_section(report_page(client, respondent, submitted, language))
    heading, description, size, _none = WORDS[language]
    assert heading in section and description in section and size in section
    overall = ScoreResult.objects.get(assessment=submitted).overall
    # peers at 0, 10, …, 100: the 25th percentile is 25, and the rank is the score itself
    row = found(r'data-testid="peer-row-overall">(.*?)</tr>', section)
    assert ">25.0<" in row and ">50.0<" in row and ">75.0<" in row
    assert f'data-testid="peer-rank-overall">{round(overall)}<' in row
    for code in dimension_codes(submitted.questionnaire):
        assert f'data-testid="peer-rank-{code}"' in section


def test_it_draws_the_peers_band_and_median_behind_the_firms_line(client, respondent, submitted):
    peers_in_the_same_segment(submitted.questionnaire)
    refresh_benchmarks()
    page = report_page(client, respondent, submitted, "en")
    radar = found(r"<svg[^>]*chart-radar.*?</svg>", page)
    assert 'fill-rule="evenodd"' in radar
    assert radar.index("Peers: middle half") < radar.index("<title>Current</title>")
    assert "Peers: median" in radar
    assert "Dimensions against your target and your peers" in page


def test_it_says_not_enough_peers_yet_the_same_way_for_none_and_a_few(
    client, respondent, submitted
):
    refresh_benchmarks()
    with_none = peer_section(report_page(client, respondent, submitted, "en"))
    peers_in_the_same_segment(submitted.questionnaire, count=9)
    refresh_benchmarks()
    page = report_page(client, respondent, submitted, "en")
    assert peer_section(page) == with_none
    assert "Not enough peers yet" in with_none and "peer-table" not in with_none
    assert "fill-rule" not in page  # no band on the radar either
    assert not re.search(r"\b9 firms\b", page)


def test_it_falls_back_to_the_first_segment_with_enough_firms(client, respondent, submitted):
    questionnaire = submitted.questionnaire
    peers_in_the_same_segment(questionnaire, count=5)  # 34 · small · minhang: too few
    peers_in_the_same_segment(questionnaire, count=5, district="jiading")  # 34 · small: 10
    peers_in_the_same_segment(questionnaire, count=11, industry=36)
    refresh_benchmarks()
    section = peer_section(report_page(client, respondent, submitted, "en"))
    assert "same industry division and size class (34 General-purpose machinery · Small)" in (
        section
    )
    assert "10 firms" in section
    assert "Jiading" not in section and "Minhang" not in section


def test_it_falls_back_to_all_firms_last(client, respondent, submitted):
    for industry in (13, 14, 15, 16, 17):
        peers_in_the_same_segment(submitted.questionnaire, count=2, industry=industry)
    refresh_benchmarks()
    section = peer_section(report_page(client, respondent, submitted, "zh-hans"))
    assert "您的对标组：全部企业，共 10 家企业。" in section


def test_it_shows_no_dimension_figures_from_too_few_firms(client, respondent, submitted):
    questionnaire = submitted.questionnaire
    codes = dimension_codes(questionnaire)
    for index, score in enumerate(TENS):
        scores: dict[str, float | None] = dict.fromkeys(codes, score)
        if index < 2:
            scores["STR"] = None  # not applicable: nine firms with a strategy score
        peer(questionnaire, score, scores)
    refresh_benchmarks()
    section = peer_section(report_page(client, respondent, submitted, "en"))
    strategy = found(r'data-testid="peer-row-STR">(.*?)</tr>', section)
    assert "not enough peers yet" in strategy and "peer-rank" not in strategy
    assert 'data-testid="peer-rank-TAL"' in section


def test_it_marks_self_assessed_peers_when_they_are_included(
    client, respondent, submitted, settings
):
    settings.PEER_INCLUDE_SUBMITTED = True
    peers_in_the_same_segment(submitted.questionnaire, count=8)
    peer(submitted.questionnaire, 95, status="in_review")
    refresh_benchmarks()  # 8 signed off, this one and `submitted`: 10
    section = peer_section(report_page(client, respondent, submitted, "en"))
    assert "10 firms" in section
    assert "2 of them have self-assessed scores, not yet validated by a consultant." in section


def test_it_reads_the_peer_block_with_one_query(submitted, django_assert_num_queries):
    from diagnosis.queries.benchmarks import peer_group

    peers_in_the_same_segment(submitted.questionnaire)
    refresh_benchmarks()
    firm = submitted.firm
    with django_assert_num_queries(1):
        group = peer_group(firm, submitted.questionnaire_id)
    assert group is not None and group.segment == BenchmarkCell.Segment.DIVISION_SIZE_DISTRICT


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "".join(page.extract_text() for page in reader.pages).replace(" ", "").replace("\n", "")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_prints_the_peer_block_in_the_pdf(client, respondent, submitted, language):
    peers_in_the_same_segment(submitted.questionnaire)
    refresh_benchmarks()
    client.cookies["django_language"] = language
    client.force_login(respondent)
    text = pdf_text(download_pdf(client, submitted.pk).getvalue())
    heading, description, size, _none = WORDS[language]
    for words in (heading, description, size):
        assert words.replace(" ", "") in text
