"""Email notifications: one helper renders templates/emails/<name>-*.txt|html per recipient,
in the recipient's language, and sends it from a background task."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

from diagnosis.models import Assessment, PopulationFirm, User
from diagnosis.queries.review import review_contact
from diagnosis.tasks import background_task, enqueue_on_commit


def send_email(name: str, users: list[User], context: dict) -> int:
    """Queue one email per user, sent once the current transaction commits; returns how
    many were queued (none when switched off). `context` holds plain values only."""
    if not settings.SEND_NOTIFICATIONS:
        return 0
    for user in users:  # an invitee may be a User not saved: its address and language
        enqueue_on_commit(send_templated_email, name, user.email, user.language, context)
    return len(users)


@background_task()
def send_templated_email(name: str, email: str, language: str, context: dict) -> None:
    """Render emails/<name>-subject.txt, -body.txt and -body.html in `language` and send.
    (Email cannot be idempotent all the way: a worker that dies after the mail server took
    the message, before the task is recorded done, sends it again when the task is run
    again. It writes nothing else.)"""
    with translation.override(language):
        subject = render_plain_text(f"emails/{name}-subject.txt", context).strip()
        text = render_plain_text(f"emails/{name}-body.txt", context)
        html = render_to_string(f"emails/{name}-body.html", context)
    message = EmailMultiAlternatives(" ".join(subject.split()), text, to=[email])
    message.attach_alternative(html, "text/html")
    message.send()


def render_plain_text(template_name: str, context: dict) -> str:
    """Render a plain-text template without HTML escaping: a subject or text body shows
    "A&B 'Tech'" as typed, not as "A&amp;B &#x27;Tech&#x27;" (the HTML part is escaped)."""
    template = get_template(template_name).template  # type: ignore[attr-defined]
    return template.render(Context(context, autoescape=False))


def _assessment_context(assessment: Assessment, path: str) -> dict:
    return {
        "firm_name": assessment.firm.name,
        "assessment_id": assessment.pk,
        "url": settings.SITE_URL + path,
    }


def notify_submitted(assessment_pk: int) -> int:
    """Tell the assigned consultant that a firm submitted its assessment."""
    assessment = Assessment.objects.select_related("firm").get(pk=assessment_pk)
    contact = review_contact(assessment.firm_id)
    if contact.provider is None:
        return notify_submitted_unassigned(assessment)
    consultant = contact.consultant
    if consultant is None:  # none assigned, or no longer working for the provider
        return 0
    context = _assessment_context(assessment, reverse("review", args=[assessment.pk]))
    return send_email("assessment-submitted", [consultant], context)


def notify_submitted_unassigned(assessment: Assessment) -> int:
    """Tell the programme office that a firm submitted while no provider is assigned."""
    office = list(User.objects.filter(is_programme_admin=True, is_active=True))
    entry = PopulationFirm.objects.filter(firm=assessment.firm).only("pk").first()
    path = (
        reverse("directory_firm", args=[entry.pk])
        if entry is not None
        else reverse("directory") + "?" + urlencode({"q": assessment.firm.credit_code})
    )
    context = {"firm_name": assessment.firm.name, "url": settings.SITE_URL + path}
    return send_email("submitted-unassigned", office, context)


def notify_firm(assessment: Assessment, name: str, extra: dict | None = None) -> int:
    """Tell every member of the assessment's firm (returned, signed off)."""
    members = list(User.objects.filter(membership__firm=assessment.firm, is_active=True))
    context = _assessment_context(assessment, reverse("assessment_resume", args=[assessment.pk]))
    context.update(extra or {})
    return send_email(name, members, context)
