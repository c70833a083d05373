from django.urls import reverse

from diagnosis.services import review


def test_it_shows_who_changed_what_and_why(client, respondent, consultant, submitted):
    answer = submitted.answers.get(question__code="STR-01")
    review.answer_validate(
        assessment=submitted,
        answer=answer,
        consultant=consultant,
        confirmed=False,
        value=0,
        reason="no plan on file",
    )
    client.force_login(respondent)
    page = client.get(reverse("history", args=[submitted.pk])).content.decode()
    assert "diagnosis.assessment.submitted" in page
    assert "diagnosis.answer.validated" in page
    assert "no plan on file" in page
    assert str(consultant) in page


def test_it_hides_the_history_from_other_firms(client, other_respondent, submitted):
    client.force_login(other_respondent)
    assert client.get(reverse("history", args=[submitted.pk])).status_code == 404
