"""A newcomer's first visit: sign up, register the firm, start, answer, come back."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from diagnosis.models import Answer, Firm
from tests.browser.conftest import OpenPage, click_answer
from tests.factories import PASSWORD, valid_credit_code

pytestmark = pytest.mark.browser


def test_it_keeps_answers_a_new_user_gave_after_a_reload(open_page: OpenPage, questionnaire):
    page = open_page()
    page.goto("/")
    page.locator("main a[href='/accounts/signup/']").click()
    page.fill("input[name=email]", "newcomer@factory.example")
    page.fill("input[name=name]", "赵敏")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("newcomer@factory.example")
    link = re.search(r"/accounts/signup/confirm/\S+", str(mail.outbox[-1].body))
    assert link, mail.outbox[-1].body
    page.goto(link.group(0))
    page.get_by_test_id("confirm-signup").click()

    page.get_by_test_id("go-register").click()
    code = valid_credit_code()
    page.fill("input[name=name]", "上海新来精密制造有限公司")
    page.fill("input[name=credit_code]", code)
    page.select_option("select[name=industry]", "36")
    page.fill("input[name=employees]", "250")
    page.fill("input[name=revenue]", "9000")
    page.select_option("select[name=district]", "jiading")
    page.get_by_test_id("register").click()

    page.get_by_test_id("start").click()
    expect(page).to_have_url(re.compile(r"/assessments/\d+/sections/STR/#q-STR-01$"))
    click_answer(page, "STR-01", "3")
    click_answer(page, "STR-02", "2")

    page.reload()
    for question, value in (("STR-01", "3"), ("STR-02", "2")):
        card = page.get_by_test_id(f"question-{question}")
        expect(card.locator(f"input[value='{value}']")).to_be_checked()
    firm = Firm.objects.get(credit_code=code)
    assert Answer.objects.filter(assessment__firm=firm).count() == 2
