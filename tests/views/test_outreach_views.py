from datetime import timedelta
from typing import cast

import pytest
from django.core import mail
from django.tasks import default_task_backend
from django.tasks.backends.dummy import DummyBackend
from django.urls import reverse
from django.utils import timezone

from diagnosis.models import OutreachCampaign, PopulationFirm
from diagnosis.services.outreach import prepare_outreach_campaign
from tests.factories import make_population_firm, valid_credit_code

PAGE_BUDGET = 12


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    def post(data: dict):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("outreach"), data)

    return post


def test_it_previews_how_many_firms_an_invitation_reaches(client, administrator):
    make_population_firm(district="minhang")
    make_population_firm(district="minhang", last_invited_at=timezone.now())
    make_population_firm(district="jiading")
    client.force_login(administrator)
    response = client.get(reverse("outreach"), {"kind": "invitation", "district": "minhang"})
    assert (response.context["selected"], response.context["eligible"]) == (2, 1)


def test_it_sends_invitations_by_filter_and_shows_the_counts(client, administrator, post):
    make_population_firm(district="minhang", contact_email="a@minhang.example")
    make_population_firm(district="jiading", contact_email="b@jiading.example")
    client.force_login(administrator)
    response = post({"kind": "invitation", "district": "minhang"})
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["a@minhang.example"]]
    page = client.get(response.url)
    (campaign,) = page.context["campaigns"]
    assert (campaign.sent, campaign.reached, campaign.registered) == (1, 1, 0)


def test_it_refuses_invitations_from_a_district_officer(client, district_officer, post):
    make_population_firm(district="minhang")
    client.force_login(district_officer)
    assert post({"kind": "invitation"}).status_code == 403
    assert client.get(reverse("outreach"), {"kind": "invitation"}).status_code == 403
    assert mail.outbox == []


def test_it_lets_a_district_officer_remind_firms_of_their_districts(client, district_officer, post):
    client.force_login(district_officer)
    assert post({"kind": "reminder", "reminder_days": "7"}).status_code == 302
    campaign = OutreachCampaign.objects.get()
    assert (campaign.kind, campaign.districts, campaign.reminder_days) == (
        "reminder",
        ["minhang"],
        7,
    )


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "spam"},
        {"kind": "reminder", "reminder_days": "0"},
        {"kind": "reminder"},
        {"kind": "invitation", "district": "atlantis"},
    ],
)
def test_it_answers_a_nonsense_campaign_with_400(client, administrator, post, data):
    client.force_login(administrator)
    assert post(data).status_code == 400
    assert OutreachCampaign.objects.count() == 0


def test_it_queues_ten_thousand_invitations_without_sending_in_the_request(
    client, administrator, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    now = timezone.now()
    PopulationFirm.objects.bulk_create(
        PopulationFirm(
            credit_code=valid_credit_code(100_000 + n),
            name=f"企业{n}",
            industry=34,
            district="minhang",
            size_class="small",
            contact_email=f"f{n}@x.example",
            imported_at=now,
            updated_at=now,
        )
        for n in range(10_000)
    )
    client.force_login(administrator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("outreach"), {"kind": "invitation"})
    assert response.status_code == 302 and mail.outbox == []
    backend = cast(DummyBackend, default_task_backend)  # as the settings above make it
    (queued,) = backend.results
    assert queued.task.name == prepare_outreach_campaign.name
    backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        prepare_outreach_campaign.call(*queued.args)
    assert len(backend.results) == 20  # a sending task per 500 firms
    assert mail.outbox == []
    assert PopulationFirm.objects.filter(last_invited_at__isnull=True).count() == 0


def test_it_shows_the_outreach_page_in_a_constant_number_of_queries(
    client, administrator, post, django_assert_max_num_queries
):
    client.force_login(administrator)
    for _ in range(3):
        make_population_firm()
        post({"kind": "invitation"})
    PopulationFirm.objects.update(last_invited_at=timezone.now() - timedelta(days=30))
    with django_assert_max_num_queries(PAGE_BUDGET):
        assert client.get(reverse("outreach"), {"kind": "invitation"}).status_code == 200
