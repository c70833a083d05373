from django.urls import reverse

from diagnosis.models import Question


def test_it_shows_published_questions_read_only_in_the_admin(client, questionnaire, administrator):
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)
    question = Question.objects.get(questionnaire=questionnaire, code="STR-01")
    url = reverse("admin:diagnosis_question_change", args=[question.pk])
    page = client.get(url).content.decode()
    assert 'name="text_zh_hans"' not in page
    client.post(url, {"text_zh_hans": "changed", "weight": "1"})
    question.refresh_from_db()
    assert question.text_zh_hans != "changed"
