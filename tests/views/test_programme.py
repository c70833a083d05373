from django.urls import reverse

from diagnosis.models import Assignment, AuditEntry, Provider, QuestionnaireVersion
from diagnosis.services.questionnaires import questionnaire_load
from tests.conftest import BUNDLED
from tests.factories import make_firm


def test_it_lets_the_programme_office_assign_a_firm_to_a_provider(client, administrator, firm):
    provider = Provider.objects.create(name="另一家服务商")
    client.force_login(administrator)
    client.post(
        reverse("assign_provider", args=[firm.pk]), {f"firm-{firm.pk}-provider": provider.pk}
    )
    assert Assignment.objects.get(firm=firm).provider == provider
    assert AuditEntry.objects.filter(action="diagnosis.firm.assigned").exists()


def test_it_keeps_the_consultant_when_the_provider_stays(client, administrator, firm, consultant):
    client.force_login(administrator)
    provider = firm.assignment.provider
    client.post(
        reverse("assign_provider", args=[firm.pk]), {f"firm-{firm.pk}-provider": provider.pk}
    )
    assert Assignment.objects.get(firm=firm).consultant == consultant


def test_it_lets_a_manager_assign_one_of_their_consultants(
    client, manager, firm, consultant, other_consultant
):
    client.force_login(manager)
    client.post(
        reverse("assign_consultant", args=[firm.pk]),
        {f"firm-{firm.pk}-consultant": other_consultant.pk},
    )
    assert Assignment.objects.get(firm=firm).consultant == other_consultant


def test_it_refuses_a_consultant_of_another_provider(client, manager, firm, consultant):
    from tests.factories import make_user

    stranger = make_user()
    client.force_login(manager)
    client.post(
        reverse("assign_consultant", args=[firm.pk]), {f"firm-{firm.pk}-consultant": stranger.pk}
    )
    assert Assignment.objects.get(firm=firm).consultant == consultant


def test_it_publishes_a_draft_version(client, administrator, db):
    version = questionnaire_load(path=BUNDLED).version
    client.force_login(administrator)
    client.post(reverse("publish_version", args=[version.pk]))
    assert QuestionnaireVersion.objects.get(pk=version.pk).status == "published"


def test_it_lists_only_the_registered_firms_outside_the_population(client, administrator):
    from tests.factories import make_population_firm

    outside = make_firm(name="名单外制造有限公司")
    inside = make_firm(name="名单内制造有限公司")
    make_population_firm(credit_code=inside.credit_code, firm=inside)
    client.force_login(administrator)
    content = client.get(reverse("programme")).content.decode()
    assert outside.name in content and inside.name not in content
