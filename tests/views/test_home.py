import pytest


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh-hans", "您的工厂数字化到了哪一步？"), ("en", "How digital is your factory?")],
)
def test_it_renders_the_home_page_in_both_languages(client, db, language, expected):
    client.cookies["django_language"] = language
    response = client.get("/")
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert f'lang="{language}"' in response.content.decode()


@pytest.mark.parametrize(("language", "expected"), [("zh-hans", "登录"), ("en", "Log in")])
def test_it_renders_the_login_page_in_both_languages(client, db, language, expected):
    client.cookies["django_language"] = language
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert f'<h1 class="h3 mb-3">{expected}</h1>' in response.content.decode()


def test_it_switches_language_from_the_header(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert "How digital is your factory?" in response.content.decode()


def test_it_sends_a_strict_content_security_policy(client, db):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_it_lets_a_demo_user_log_in(client, respondent):
    from tests.factories import PASSWORD

    response = client.post(
        "/accounts/login/", {"username": respondent.email, "password": PASSWORD}, follow=True
    )
    assert response.context["user"] == respondent
