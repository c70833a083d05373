"""The consultant's review screens: split in pages, verdicts in place, warnings beside the
answers, scores and targets at the top, a confirmed sign-off."""

import re

import pytest
from django.urls import reverse

from diagnosis.models import AnswerValidation, Assessment, ReviewComment
from diagnosis.queries.assessments import assessment_state
from diagnosis.scoring import score
from diagnosis.services import review
from diagnosis.services.assessments import AnswerEntry, answers_save, assessment_submit

PAGE_LIMIT = 80 * 1024
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def consultant_client(client, consultant):
    client.force_login(consultant)
    return client


def dimension_url(assessment: Assessment, code: str) -> str:
    return reverse("review_dimension", args=[assessment.pk, code])


def answer_url(assessment: Assessment, code: str) -> str:
    return reverse("review_answer", args=[assessment.pk, code])


def warned(assessment: Assessment):
    """The first consistency warning of the assessment's answers (skip if there is none)."""
    card = assessment.results.get(kind="self").card
    if not card["warnings"]:
        pytest.skip("the seeded answers raise no consistency warning")
    return card["warnings"][0]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_splits_the_review_so_that_no_page_exceeds_80_kb(consultant_client, submitted, language):
    consultant_client.cookies["django_language"] = language
    for code in ("STR-01", "EQP-01", "OPS-01"):
        review.review_comment(
            assessment=submitted,
            author=submitted.firm.assignment.consultant,
            text="请补充证明材料。" * 20,
            question_code=code,
        )
    urls = [reverse("review", args=[submitted.pk])] + [
        dimension_url(submitted, dimension.code)
        for dimension in submitted.questionnaire.definition.dimensions
    ]
    sizes = {url: len(consultant_client.get(url).content) for url in urls}
    assert max(sizes.values()) < PAGE_LIMIT, sizes


def test_it_keeps_the_review_pages_within_the_query_budget(
    consultant_client, submitted, django_assert_max_num_queries
):
    consultant_client.get(dimension_url(submitted, "EQP"))
    with django_assert_max_num_queries(10):
        assert consultant_client.get(dimension_url(submitted, "EQP")).status_code == 200
    with django_assert_max_num_queries(10):
        assert consultant_client.get(reverse("review", args=[submitted.pk])).status_code == 200


def test_it_confirms_an_answer_in_place(consultant_client, submitted):
    response = consultant_client.post(
        answer_url(submitted, "EQP-01"), {"v-EQP-01-action": "confirm"}, **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html  # the row, not a page
    assert 'id="a-EQP-01"' in html and 'data-state="confirmed"' in html
    assert 'id="review-scores"' in html and 'hx-swap-oob="true"' in html
    assert AnswerValidation.objects.get(answer__question__code="EQP-01").confirmed


def test_it_keeps_the_chosen_value_beside_a_refused_change(consultant_client, submitted):
    response = consultant_client.post(
        answer_url(submitted, "EQP-01"),
        {"v-EQP-01-action": "change", "v-EQP-01-value": "4", "v-EQP-01-reason": " "},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert '<option value="4" selected>' in html
    reason_field = html.index('name="v-EQP-01-reason"')
    error = html.index('data-testid="error-reason-EQP-01"')
    assert 0 < error - reason_field < 600  # the message sits right under the field
    assert not AnswerValidation.objects.exists()


def test_it_shows_a_refused_change_on_the_page_without_javascript(consultant_client, submitted):
    response = consultant_client.post(
        answer_url(submitted, "EQP-02"),
        {"v-EQP-02-action": "change", "v-EQP-02-value": "33"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "<html" in html and 'value="33"' in html
    assert 'data-testid="error-reason-EQP-02"' in html


def test_it_sets_a_validated_value_and_updates_the_scores(consultant_client, submitted):
    before = submitted.results.get(kind="self").card
    response = consultant_client.post(
        answer_url(submitted, "EQP-01"),
        {"v-EQP-01-action": "change", "v-EQP-01-value": "5", "v-EQP-01-reason": "现场核实"},
        **HTMX,
    )
    html = response.content.decode()
    assert 'data-state="changed"' in html and "现场核实" in html
    eqp = next(d for d in before["dimensions"] if d["code"] == "EQP")
    shown = re.search(r'data-testid="validated-EQP">([\d.]+)<', html)
    assert shown is not None
    assert float(shown.group(1)) != eqp["score"]


def test_it_confirms_all_unchanged_answers_of_a_dimension_in_one_step(
    consultant_client, submitted, consultant
):
    answer = submitted.answers.get(question__code="EQP-01")
    review.answer_validate(
        assessment=submitted,
        answer=answer,
        consultant=consultant,
        confirmed=False,
        value=1,
        reason="只有一台数控机床",
    )
    response = consultant_client.post(
        reverse("review_dimension_confirm", args=[submitted.pk, "EQP"]), **HTMX
    )
    assert response.status_code == 200
    assert 'id="review-rows"' in response.content.decode()
    validations = {
        v.answer.question.code: v
        for v in AnswerValidation.objects.filter(answer__assessment=submitted).select_related(
            "answer__question"
        )
    }
    state = assessment_state(submitted)
    expected = {
        q.code
        for q in state.definition.dimension("EQP").questions
        if q.scored and state.visible(q) and q.code in state.answers
    }
    assert expected == set(validations)
    assert validations["EQP-01"].confirmed is False and validations["EQP-01"].value == 1
    assert all(v.confirmed for code, v in validations.items() if code != "EQP-01")
    assert not any(code.startswith("STR") for code in validations)


def test_it_puts_each_warnings_text_next_to_the_answers_it_involves(consultant_client, submitted):
    warning = warned(submitted)
    definition = submitted.questionnaire.definition
    for code in warning["questions"]:
        page = consultant_client.get(dimension_url(submitted, definition.questions[code].dimension))
        html = page.content.decode()
        row = html[html.index(f'id="a-{code}"') :]
        row = row[: row.index("</article>")]
        assert warning["message"]["zh-hans"] in row


def test_it_shows_the_dimension_scores_and_the_firms_targets_at_the_top(
    consultant_client, submitted
):
    html = consultant_client.get(dimension_url(submitted, "OPS")).content.decode()
    top = html[: html.index('id="review-rows"')]
    card = submitted.results.get(kind="self").card
    definition = submitted.questionnaire.definition
    for dimension in card["dimensions"]:
        assert f'data-testid="scores-{dimension["code"]}"' in top
        assert f"{dimension['score']:.1f}" in top
    target = definition.levels[card["dimensions"][0]["target_level"] - 1].name.get("zh-hans")
    assert target in top


def test_it_adds_a_note_for_the_firm_on_one_question(consultant_client, submitted):
    response = consultant_client.post(
        reverse("review_comment_add", args=[submitted.pk]),
        {"question": "SEC-01", "text": "请提供网络分区图 <b>"},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="notes-SEC-01"' in html and "请提供网络分区图 &lt;b&gt;" in html
    note = ReviewComment.objects.get()
    assert note.question is not None
    assert (note.question.code, note.is_finding) == ("SEC-01", False)


def test_it_refuses_a_note_on_an_unknown_question(consultant_client, submitted):
    response = consultant_client.post(
        reverse("review_comment_add", args=[submitted.pk]), {"question": "NOPE-1", "text": "x"}
    )
    assert response.status_code == 404
    assert not ReviewComment.objects.exists()


def test_it_flags_an_answer_the_firm_changed_after_the_verdict(
    consultant_client, submitted, consultant, respondent
):
    review.answer_validate(
        assessment=submitted,
        answer=submitted.answers.get(question__code="EQP-01"),
        consultant=consultant,
        confirmed=True,
    )
    review.review_return(assessment=submitted, consultant=consultant, comment="请复核 EQP。")
    answers_save(
        assessment=submitted, user=respondent, entries=[AnswerEntry(code="EQP-01", value=3)]
    )
    assessment_submit(assessment=submitted, user=respondent)
    html = consultant_client.get(dimension_url(submitted, "EQP")).content.decode()
    row = html[html.index('id="a-EQP-01"') :]
    assert 'data-state="open"' in row[:200]
    assert "企业在您核定后修改了该答案" in row[: row.index("</article>")]


def test_it_names_the_decision_in_chinese(consultant_client, submitted):
    html = consultant_client.get(reverse("review", args=[submitted.pk])).content.decode()
    assert "Decision" not in html
    assert "审核决定" in html


def test_it_asks_for_confirmation_before_signing_off(consultant_client, submitted):
    url = reverse("review_decide", args=[submitted.pk])
    response = consultant_client.post(url, {"decision": "sign_off"})
    assert response.status_code == 200
    assert 'data-testid="confirm-sign-off"' in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    response = consultant_client.post(url, {"decision": "sign_off", "confirmed": "on"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == "validated"


def test_it_scores_the_strip_from_the_validated_answers(submitted, consultant):
    """The strip's validated index is the one sign-off will store."""
    from diagnosis.queries.review import review_summary
    from diagnosis.services.scoring import validated_inputs

    review.answer_validate(
        assessment=submitted,
        answer=submitted.answers.get(question__code="SEC-01"),
        consultant=consultant,
        confirmed=False,
        value=0,
        reason="无隔离",
    )
    state = assessment_state(submitted)
    summary = review_summary(state)
    expected = score(state.definition, validated_inputs(state), state.goal_inputs())
    assert summary.validated_card.overall == expected.overall
    result = review.review_sign_off(assessment=submitted, consultant=consultant)
    assert result.overall == summary.validated_card.overall


def test_it_lets_only_the_assigned_consultant_confirm_a_dimension(client, submitted, manager):
    client.force_login(manager)
    url = reverse("review_dimension_confirm", args=[submitted.pk, "EQP"])
    assert client.post(url).status_code == 403
    assert not AnswerValidation.objects.exists()


def test_it_answers_404_for_an_unknown_dimension(consultant_client, submitted):
    assert consultant_client.get(dimension_url(submitted, "NOPE")).status_code == 404
    url = reverse("review_dimension_confirm", args=[submitted.pk, "NOPE"])
    assert consultant_client.post(url).status_code == 404


def test_it_validates_within_the_query_budget(
    consultant_client, submitted, django_assert_max_num_queries
):
    url = answer_url(submitted, "EQP-01")
    consultant_client.post(url, {"v-EQP-01-action": "confirm"}, **HTMX)
    with django_assert_max_num_queries(18):
        response = consultant_client.post(url, {"v-EQP-01-action": "confirm"}, **HTMX)
    assert response.status_code == 200


def test_it_keeps_its_value_when_the_firm_changed_a_changed_answer(
    consultant_client, submitted, consultant, respondent
):
    review.answer_validate(
        assessment=submitted,
        answer=submitted.answers.get(question__code="EQP-01"),
        consultant=consultant,
        confirmed=False,
        value=1,
        reason="只有一台数控机床",
    )
    review.review_return(assessment=submitted, consultant=consultant, comment="请复核 EQP。")
    answers_save(
        assessment=submitted, user=respondent, entries=[AnswerEntry(code="EQP-01", value=4)]
    )
    assessment_submit(assessment=submitted, user=respondent)
    html = consultant_client.get(dimension_url(submitted, "EQP")).content.decode()
    row = html[html.index('id="a-EQP-01"') :]
    row = row[: row.index("</article>")]
    assert 'data-state="changed"' in row and "企业在您核定后修改了该答案" in row
    consultant_client.post(reverse("review_dimension_confirm", args=[submitted.pk, "EQP"]))
    html = consultant_client.get(dimension_url(submitted, "EQP")).content.decode()
    assert 'data-testid="confirm-dimension"' not in html  # nothing left it would confirm
    kept = AnswerValidation.objects.get(answer__question__code="EQP-01")
    assert (kept.confirmed, kept.value) == (False, 1)
