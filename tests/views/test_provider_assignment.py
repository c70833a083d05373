"""Assigning firms to providers and consultants in bulk by filter and one by one, the
emails that follow (one per bulk action, in the recipient's language), and the provider
table's figures and statement count."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from diagnosis.models import (
    Assessment,
    Assignment,
    AuditEntry,
    PopulationFirm,
    Provider,
    ProviderMembership,
    ReviewComment,
)
from diagnosis.services.assessments import assessment_submit
from diagnosis.services.assignments import assignments_set_provider
from diagnosis.services.result_figures import refresh_result_figures
from tests.committing import committed
from tests.directory_data import make_directory_firms
from tests.factories import (
    make_district_officer,
    make_firm,
    make_member,
    make_population_firm,
    make_user,
)

TABLE_BUDGET = 16


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    def post(url: str, data: dict | None = None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {})

    return post


@pytest.fixture
def other_provider(db):
    provider = Provider.objects.create(name="另一服务商")
    manager = make_user(email="boss@other.example", language="en")
    ProviderMembership.objects.create(
        user=manager, provider=provider, role=ProviderMembership.Role.MANAGER
    )
    return provider


def assign(entry: PopulationFirm, provider: Provider) -> Assignment:
    assert entry.firm is not None
    return Assignment.objects.create(firm=entry.firm, provider=provider)


def registered(district: str, industry: int = 34) -> PopulationFirm:
    firm = make_firm(district=district, industry=industry)
    make_member(firm)
    return make_population_firm(
        credit_code=firm.credit_code, firm=firm, district=district, industry=industry
    )


def test_it_assigns_the_unassigned_firms_of_a_filter_after_a_confirmation(
    client, post, administrator, other_provider, provider
):
    chosen = [registered("minhang", 34) for _ in range(3)]
    registered("minhang", 36)
    registered("jiading", 34)
    taken = registered("minhang", 34)
    assign(taken, provider)
    make_population_firm(district="minhang", industry=34)  # not registered
    client.force_login(administrator)
    url = reverse("directory_assign") + "?district=minhang&division=34&provider=none"

    confirmation = post(url, {"bulk-provider": other_provider.pk})
    assert confirmation.status_code == 200
    assert confirmation.context["selected"] == 3
    assert confirmation.context["unregistered"] == 1
    assert not Assignment.objects.filter(provider=other_provider).exists()

    done = post(
        url, {"bulk-provider": other_provider.pk, "bulk-confirmed": "True", "bulk-expected": 3}
    )
    assert done.status_code == 302
    assigned = set(
        Assignment.objects.filter(provider=other_provider).values_list("firm", flat=True)
    )
    assert assigned == {entry.firm_id for entry in chosen}
    assert Assignment.objects.get(firm=taken.firm).provider == provider
    assert AuditEntry.objects.filter(action="diagnosis.firm.assigned").count() == 3
    assert [m.to for m in mail.outbox] == [["boss@other.example"]]  # one email for the three
    assert "3 firms assigned to 另一服务商" in mail.outbox[0].subject  # in English, the manager's


def test_it_asks_again_when_the_selection_changed(post, client, administrator, other_provider):
    registered("minhang")
    client.force_login(administrator)
    url = reverse("directory_assign") + "?district=minhang"
    again = post(
        url, {"bulk-provider": other_provider.pk, "bulk-confirmed": "True", "bulk-expected": 5}
    )
    assert again.status_code == 200 and again.context["changed_since"]
    assert not Assignment.objects.exists()


def test_it_refuses_a_bulk_assignment_with_a_bad_filter_or_provider(
    post, client, administrator, district_officer, other_provider
):
    client.force_login(administrator)
    assert (
        post(reverse("directory_assign") + "?division=99", {"bulk-provider": 1}).status_code == 400
    )
    assert post(reverse("directory_assign"), {"bulk-provider": "x"}).status_code == 400
    client.force_login(district_officer)
    assert (
        post(reverse("directory_assign"), {"bulk-provider": other_provider.pk}).status_code == 403
    )


def test_it_assigns_one_firm_from_its_page(post, client, administrator, other_provider):
    entry = registered("minhang")
    client.force_login(administrator)
    response = post(
        reverse("directory_firm_provider", args=[entry.pk]),
        {f"firm-{entry.firm_id}-provider": other_provider.pk},
    )
    assert response.status_code == 302
    assert Assignment.objects.get(firm=entry.firm).provider == other_provider
    assert len(mail.outbox) == 1


def test_a_manager_assigns_firms_to_a_consultant_by_filter(
    post, client, manager, provider, other_consultant
):
    firms = [registered("minhang") for _ in range(2)]
    elsewhere = registered("jiading")
    for entry in [*firms, elsewhere]:
        assign(entry, provider)
    client.force_login(manager)
    url = reverse("provider_assign_consultant") + "?district=minhang&consultant=none"
    confirmation = post(url, {"bulk-consultant": other_consultant.pk})
    assert confirmation.context["selected"] == 2
    post(
        url, {"bulk-consultant": other_consultant.pk, "bulk-confirmed": "True", "bulk-expected": 2}
    )
    assert {a.firm_id for a in Assignment.objects.filter(consultant=other_consultant)} == {
        entry.firm_id for entry in firms
    }
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients.count(other_consultant.email) == 1  # one email for both firms
    assert len(recipients) == 3  # and one to each firm's member
    firm_email = next(m for m in mail.outbox if m.to[0] != other_consultant.email)
    assert provider.name in firm_email.body and other_consultant.email in firm_email.body


def test_a_manager_cannot_give_a_consultant_of_another_provider(
    post, client, manager, provider, other_provider
):
    entry = registered("minhang")
    assign(entry, provider)
    stranger = make_user()
    ProviderMembership.objects.create(user=stranger, provider=other_provider)
    client.force_login(manager)
    response = post(reverse("provider_assign_consultant"), {"bulk-consultant": stranger.pk})
    assert response.status_code == 400
    assert Assignment.objects.get(firm=entry.firm).consultant is None


def test_the_programme_office_hears_of_a_submission_without_provider(
    administrator, questionnaire, respondent, firm, django_capture_on_commit_callbacks
):
    from diagnosis.services.assessments import assessment_start
    from tests.answering import fill

    assessment = assessment_start(firm=firm, user=respondent)
    fill(assessment, respondent)
    with django_capture_on_commit_callbacks(execute=True):
        assessment_submit(assessment=assessment, user=respondent)
    assert [m.to for m in mail.outbox] == [[administrator.email]]
    assert firm.name in mail.outbox[0].subject


def test_the_table_shows_each_providers_figures(
    client, administrator, provider, consultant, questionnaire
):
    now = timezone.now()
    firms = [make_firm() for _ in range(4)]
    for firm in firms:
        Assignment.objects.create(firm=firm, provider=provider, consultant=consultant)
    q = Assessment.objects

    def assessment(firm, status, submitted_days, validated_days=None):
        return q.create(
            firm=firm,
            questionnaire=questionnaire,
            status=status,
            submitted_at=now - timedelta(days=submitted_days),
            validated_at=now - timedelta(days=validated_days) if validated_days else None,
        )

    assessment(firms[0], "validated", 10, 4)  # 6 days
    returned = assessment(firms[1], "validated", 20, 10)  # 10 days, returned once
    ReviewComment.objects.create(
        assessment=returned, author=consultant, text="x", is_return_reason=True, created_at=now
    )
    assessment(firms[2], "submitted", 30)  # overdue
    assessment(firms[3], "in_review", 2)
    client.force_login(administrator)

    def provider_row(response):
        return next(r for r in response.context["provider_rows"] if r.key == provider.pk)

    # Live: firms assigned, waiting, overdue. The history columns wait for the refresh.
    before = client.get(reverse("providers"))
    row = provider_row(before)
    assert (row.firms_assigned, row.waiting, row.overdue) == (5, 2, 1)
    assert (row.submitted, row.median_days) == (0, None)
    assert before.context["computed_at"] is None
    assert "尚未计算" in before.content.decode()
    refresh_result_figures()
    response = client.get(reverse("providers"))
    row = provider_row(response)
    # the consultant fixture assigns `firm` too: five firms, four assessed
    assert (row.firms_assigned, row.waiting, row.overdue, row.submitted) == (5, 2, 1, 4)
    assert row.median_days == pytest.approx(8)
    assert row.returned_share == pytest.approx(0.25)
    consultant_row = next(r for r in response.context["consultant_rows"] if r.key == consultant.pk)
    assert consultant_row.firms_assigned == 5 and consultant_row.overdue == 1
    assert consultant_row.submitted == 4 and consultant_row.median_days == pytest.approx(8)
    assert response.context["computed_at"] is not None
    # A district officer's rows are computed live over their districts: the same figures
    # here (every firm is in minhang), none for another district.
    officer = make_district_officer("minhang")
    client.force_login(officer)
    live = provider_row(client.get(reverse("providers")))
    assert (live.submitted, live.returned, live.waiting, live.overdue) == (4, 1, 2, 1)
    assert live.median_days == pytest.approx(8)
    client.force_login(make_district_officer("pudong"))
    elsewhere = provider_row(client.get(reverse("providers")))
    assert (elsewhere.submitted, elsewhere.waiting, elsewhere.median_days) == (0, 0, None)


def test_a_firm_moved_to_another_provider_takes_its_history_at_the_next_refresh(
    client, administrator, provider, other_provider, questionnaire
):
    firm = make_firm()
    Assignment.objects.create(firm=firm, provider=provider)
    Assessment.objects.create(
        firm=firm, questionnaire=questionnaire, status="submitted", submitted_at=timezone.now()
    )
    refresh_result_figures()
    with committed():  # the move queues a refresh (the immediate backend runs it)
        assignments_set_provider(firm_ids=[firm.pk], provider=other_provider, actor=administrator)
    client.force_login(administrator)
    rows = {r.key: r for r in client.get(reverse("providers")).context["provider_rows"]}
    assert (rows[provider.pk].submitted, rows[other_provider.pk].submitted) == (0, 1)
    assert (rows[provider.pk].waiting, rows[other_provider.pk].waiting) == (0, 1)


def test_a_manager_sees_only_their_provider_and_consultants(
    client, manager, provider, consultant, other_provider
):
    client.force_login(manager)
    response = client.get(reverse("providers"))
    assert [r.key for r in response.context["provider_rows"]] == [provider.pk]
    assert [r.key for r in response.context["consultant_rows"]] == [consultant.pk]


@pytest.mark.parametrize("size", [30, 150])
def test_the_table_takes_a_fixed_number_of_statements(
    client, administrator, questionnaire, provider, django_assert_max_num_queries, size
):
    make_directory_firms(size, questionnaire=questionnaire, provider=provider)
    for number in range(3):
        Provider.objects.create(name=f"服务商 {number}")
    client.force_login(administrator)
    with django_assert_max_num_queries(TABLE_BUDGET):
        response = client.get(reverse("providers"))
    assert response.status_code == 200
    assert next(r for r in response.context["provider_rows"] if r.key == provider.pk).firms_assigned


def test_bulk_assignment_service_moves_firms_and_drops_their_consultant(
    administrator, firm, consultant, other_provider
):
    assert (
        assignments_set_provider(firm_ids=[firm.pk], provider=other_provider, actor=administrator)
        == 1
    )
    assignment = Assignment.objects.get(firm=firm)
    assert assignment.provider == other_provider and assignment.consultant is None
    assert (
        assignments_set_provider(firm_ids=[firm.pk], provider=other_provider, actor=administrator)
        == 0
    )


def test_the_table_counts_the_answers_consultants_changed(
    client, administrator, submitted, consultant, provider
):
    from diagnosis.models import AnswerValidation

    answers = list(submitted.answers.all()[:4])
    for number, answer in enumerate(answers):
        AnswerValidation.objects.create(
            answer=answer,
            confirmed=number != 0,
            value=answer.value,
            validated_by=consultant,
            validated_at=timezone.now(),
        )
    refresh_result_figures()
    client.force_login(administrator)
    response = client.get(reverse("providers"))
    row = next(r for r in response.context["provider_rows"] if r.key == provider.pk)
    assert (row.answers_validated, row.answers_changed) == (4, 1)
    assert row.changed_share == pytest.approx(0.25)
    assert b"25%" in response.content
