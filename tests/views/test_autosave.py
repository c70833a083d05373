from django.urls import reverse

from diagnosis.services.assessments import AnswerEntry, answers_save


def save(client, assessment, code, value, rev="0"):
    return client.post(
        reverse("answer_autosave", args=[assessment.pk, code]),
        {f"q-{code}-value": value, f"q-{code}-rev": rev},
    )


def test_it_reveals_a_conditional_question_when_its_trigger_is_answered(client, respondent, draft):
    client.force_login(respondent)
    page = client.get(reverse("section", args=[draft.pk, "OPS"])).content.decode()
    assert 'data-testid="question-OPS-03" data-visible="false"' in page
    response = save(client, draft, "OPS-02", "yes").content.decode()
    assert 'data-testid="question-OPS-03" data-visible="true"' in response
    assert 'hx-swap-oob="true"' in response
    hidden = save(client, draft, "OPS-02", "no", rev="1").content.decode()
    assert 'data-testid="question-OPS-03" data-visible="false"' in hidden


def test_it_updates_the_progress_when_a_question_becomes_answered(client, respondent, draft):
    client.force_login(respondent)
    response = save(client, draft, "STR-01", "2").content.decode()
    assert 'id="progress" hx-swap-oob="true"' in response
    assert 'value="1"' in response


def test_it_sends_no_sidebar_when_a_changed_answer_leaves_the_counts_as_they_are(
    client, respondent, draft
):
    client.force_login(respondent)
    save(client, draft, "STR-01", "2")
    changed = save(client, draft, "STR-01", "3", rev="1").content.decode()
    assert 'data-testid="saved"' in changed
    assert 'id="progress"' not in changed
    cleared = save(client, draft, "STR-01", "", rev="2").content.decode()
    assert 'id="progress" hx-swap-oob="true"' in cleared  # unanswered again: 0 answered
    assert 'value="0"' in cleared


def test_it_updates_the_progress_whenever_a_trigger_changes(client, respondent, draft):
    client.force_login(respondent)
    save(client, draft, "OPS-02", "yes")
    hidden = save(client, draft, "OPS-02", "no", rev="1").content.decode()
    assert 'id="progress" hx-swap-oob="true"' in hidden  # OPS-03 is no longer counted


def test_it_tells_the_later_author_whose_answer_they_replaced(client, respondent, colleague, draft):
    answers_save(
        assessment=draft, user=colleague, entries=[AnswerEntry("STR-01", 4, seen_revision=0)]
    )
    client.force_login(respondent)
    response = save(client, draft, "STR-01", "1", rev="0").content.decode()
    assert 'data-testid="overwrite"' in response
    assert str(colleague) in response


def test_it_shows_the_earlier_author_that_a_colleague_changed_it(
    client, respondent, colleague, draft
):
    client.force_login(respondent)
    page = client.get(reverse("section", args=[draft.pk, "STR"]))
    since = page.context["sync_since"]
    answers_save(
        assessment=draft, user=colleague, entries=[AnswerEntry("STR-01", 4, seen_revision=0)]
    )
    changes = client.get(
        reverse("section_changes", args=[draft.pk, "STR"]), {"since": since}
    ).content.decode()
    assert 'data-testid="changed-by-other"' in changes
    assert 'value="4" checked' in changes


def test_it_keeps_valid_answers_when_a_page_has_an_invalid_one(client, respondent, draft):
    client.force_login(respondent)
    response = client.post(
        reverse("section", args=[draft.pk, "STR"]),
        {"q-STR-01-value": "3", "q-STR-01-rev": "0", "q-STR-04-value": "x", "q-STR-04-rev": "0"},
    )
    assert response.status_code == 400
    assert draft.answers.get(question__code="STR-01").value == 3
    assert not draft.answers.filter(question__code="STR-04").exists()


def test_it_shows_a_form_error_for_an_out_of_range_kpi(client, respondent, draft):
    client.force_login(respondent)
    response = save(client, draft, "EQP-03", "140")
    assert response.status_code == 422
    assert 'data-testid="error"' in response.content.decode()


def test_it_shows_a_submitted_assessment_read_only(client, respondent, submitted):
    client.force_login(respondent)
    page = client.get(reverse("section", args=[submitted.pk, "EQP"])).content.decode()
    assert "hx-post" not in page.split('id="section-form"')[1]
    assert 'name="q-EQP-03-value"' in page
    kpi = page.split('name="q-EQP-03-value"')[1].split(">")[0]
    assert "disabled" in kpi


def test_it_refuses_an_answer_together_with_not_applicable(client, respondent, draft):
    """The page clears one when the other is chosen; a request carrying both is refused."""
    client.force_login(respondent)
    response = client.post(
        reverse("answer_autosave", args=[draft.pk, "EQP-07"]),
        {"q-EQP-07-value": "2", "q-EQP-07-na": "on", "q-EQP-07-rev": "0"},
    )
    assert response.status_code == 422
    assert "请在答案和“不适用”中二选一。" in response.content.decode()
    assert not draft.answers.filter(question__code="EQP-07").exists()


def test_it_saves_not_applicable_in_place_of_an_answer(client, respondent, draft):
    client.force_login(respondent)
    save(client, draft, "EQP-07", "2")
    response = client.post(
        reverse("answer_autosave", args=[draft.pk, "EQP-07"]),
        {"q-EQP-07-na": "on", "q-EQP-07-rev": "1"},
    )
    assert response.status_code == 200
    answer = draft.answers.get(question__code="EQP-07")
    assert (answer.value, answer.not_applicable) == (None, True)
