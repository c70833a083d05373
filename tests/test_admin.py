import pytest
from django.urls import reverse

from diagnosis.models import Assessment, Question


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


@pytest.fixture
def superuser(client, administrator):
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)
    return administrator


@pytest.mark.parametrize(
    "model",
    [
        "scoreresult",
        "dimensionscore",
        "answer",
        "answervalidation",
        "warningresolution",
        "auditentry",
    ],
)
def test_it_lets_nobody_add_change_or_delete_results_answers_validations_or_audit(
    client, superuser, submitted, model
):
    from django.apps import apps

    obj = apps.get_model("diagnosis", model).objects.first()
    if obj is None:  # no validation yet in `submitted`: the add page is enough
        assert client.get(reverse(f"admin:diagnosis_{model}_add")).status_code == 403
        return
    assert client.get(reverse(f"admin:diagnosis_{model}_add")).status_code == 403
    assert client.get(reverse(f"admin:diagnosis_{model}_delete", args=[obj.pk])).status_code == 403
    page = client.get(reverse(f"admin:diagnosis_{model}_change", args=[obj.pk]))
    assert page.status_code == 200 and 'type="submit" value="Save"' not in page.content.decode()


def test_it_refuses_to_delete_an_assessment_along_with_its_answers(client, superuser, submitted):
    url = reverse("admin:diagnosis_assessment_delete", args=[submitted.pk])
    client.post(url, {"post": "yes"})
    assert Assessment.objects.filter(pk=submitted.pk).exists()


def test_it_names_every_model_in_both_languages():
    from django.apps import apps
    from django.utils import translation

    for model in apps.get_app_config("diagnosis").get_models():
        names = model._meta.verbose_name, model._meta.verbose_name_plural
        with translation.override("zh-hans"):
            chinese = [str(name) for name in names]
        assert all(any("\u4e00" <= char <= "\u9fff" for char in name) for name in chinese), model
