"""Plain-text emails and subjects show names as typed, not HTML-escaped (issue 11 item 5)."""

from django.core import mail
from django.core.mail import EmailMultiAlternatives

from diagnosis.services.firms import firm_request_join, invitation_create
from tests.committing import committed
from tests.factories import make_user

NAME = 'A&B "Tech" O\'Brien 精密'


def test_an_invitation_shows_the_firms_and_inviters_names_as_typed(firm, respondent):
    firm.name = NAME
    firm.save()
    respondent.name = "王 & 'Li'"
    respondent.save()
    mail.outbox.clear()

    with committed():
        invitation_create(firm=firm, owner=respondent, email="new@firm-a.example")

    (message,) = mail.outbox
    assert NAME in message.subject and "王 & 'Li'" in message.subject
    assert NAME in message.body
    assert isinstance(message, EmailMultiAlternatives)
    html, _mimetype = message.alternatives[0]
    assert "A&amp;B &quot;Tech&quot; O&#x27;Brien" in str(html)  # the HTML stays escaped


def test_a_join_request_shows_the_requesters_name_as_typed(firm, respondent):
    firm.name = NAME
    firm.save()
    mail.outbox.clear()

    with committed():
        firm_request_join(user=make_user(email="x@example.com", name='Zhang "Z" & Co'), firm=firm)

    (message,) = mail.outbox
    assert 'Zhang "Z" & Co' in message.subject and NAME in message.subject
    assert 'Zhang "Z" & Co' in message.body and "&amp;" not in message.body
