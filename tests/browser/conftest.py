"""Browser fixtures: one headless Chromium per session, one context per person.

Playwright's sync API runs an event loop in the test thread, so Django's async-safety
check would refuse the ORM calls the tests make while it runs; the variable below lifts it
for this test process only.
"""

import os

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import io
import random
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Response,
    expect,
)
from pypdf import PdfReader

from diagnosis.answers import clean_answer
from diagnosis.models import Assessment, Firm, User
from diagnosis.services.assessments import (
    AnswerEntry,
    answers_save,
    assessment_start,
    assessment_submit,
    goal_save,
)
from tests.answering import sample_value

# Debian's headless build of Chromium (the package chromium-headless-shell: the same source
# and version as the package chromium) is what Playwright itself launches for headless runs
# when it can download browsers. It runs these tests with a third of the full browser's CPU
# (README, "The suite in parallel"). BROWSER names another binary: CI runs the PostgreSQL
# suite with BROWSER=/usr/bin/chromium, so the full browser passes the same tests.
BROWSERS = (Path("/usr/bin/chromium-headless-shell"), Path("/usr/bin/chromium"))


def chromium_executable() -> Path | None:
    if chosen := os.environ.get("BROWSER"):
        return Path(chosen)
    return next((path for path in BROWSERS if path.exists()), None)


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Long enough for a PDF rendered on a busy 2-core machine, short enough to fail fast.
TIMEOUT_MS = 15_000
expect.set_options(timeout=TIMEOUT_MS)

OpenPage = Callable[..., Page]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = chromium_executable()
    if executable is None or not executable.exists():
        pytest.skip(f"Chromium is not installed (looked for {executable or BROWSERS})")
    from playwright.sync_api import sync_playwright

    # Playwright gives this thread a new context, and Django keeps connections per context:
    # one opened before would stay open, out of reach (tests/outage.py needs none open).
    connections.close_all()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser: Browser, live_server, transactional_db) -> Iterator[OpenPage]:
    """Open a page in a fresh browser context (its own cookies), logged in as `user`.

    The context asks for Chinese, like the firms' own browsers, so that language
    switching starts from the default.
    """
    contexts: list[BrowserContext] = []

    def open_page(user: User | None = None) -> Page:
        context = browser.new_context(
            base_url=live_server.url, locale="zh-CN", accept_downloads=True
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        if user is not None:
            log_in(context, user, live_server.url)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def log_in(context: BrowserContext, user: User, url: str) -> None:
    """Give the context the session cookie of a server-side login (no form, no password)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": url}])


def console_errors(page: Page) -> list[str]:
    """Collect, from now on, the page's console errors (CSP violations are among them)."""
    errors: list[str] = []

    def collect(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", collect)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def is_autosave_of(code: str) -> Callable[[Response], bool]:
    """A predicate for `page.expect_response`: the autosave POST of one question."""
    return lambda response: (
        response.request.method == "POST" and response.url.endswith(f"/answers/{code}/")
    )


def click_answer(page: Page, code: str, value: str) -> None:
    """Click an option of a question and wait until the server says it is saved."""
    card = page.get_by_test_id(f"question-{code}")
    with page.expect_response(is_autosave_of(code)) as saving:
        card.locator(f"label:has(input[value='{value}'])").click()
    assert saving.value.ok, saving.value.status
    card.get_by_test_id("saved").wait_for()


# --- Server-side set-up, for the steps a test is not about --------------------------------


def answer_server_side(
    assessment: Assessment, user: User, *, skip: tuple[str, ...] = (), targets: bool = True
) -> None:
    """Answer every question (and set every target level) except those in `skip`."""
    definition = assessment.questionnaire.definition
    rng = random.Random(11)
    entries = [
        AnswerEntry(code=code, value=clean_answer(question, sample_value(question, rng, True)))
        for code, question in definition.questions.items()
        if code not in skip
    ]
    answers_save(assessment=assessment, user=user, entries=entries)
    if targets:
        for dimension in definition.dimensions:
            goal_save(
                assessment=assessment, dimension_code=dimension.code, target_level=4, relevance=3
            )


@pytest.fixture
def assessment(firm: Firm, respondent: User, questionnaire) -> Assessment:
    """The respondent's firm's open assessment, nothing answered yet."""
    return assessment_start(firm=firm, user=respondent)


@pytest.fixture
def submitted(assessment: Assessment, respondent: User) -> Assessment:
    """The assessment, fully answered and submitted by the respondent."""
    answer_server_side(assessment, respondent)
    return assessment_submit(assessment=assessment, user=respondent)


def download_pdf_text(page: Page) -> str:
    """Click the report's PDF button; return the text of the downloaded PDF, without spaces.

    Text extracted from a PDF may split CJK runs with spaces or line breaks, so all
    whitespace is removed: compare with `squeeze(expected)`.
    """
    with page.expect_download() as downloading:
        page.get_by_test_id("pdf").click()
    content = Path(downloading.value.path()).read_bytes()
    assert content.startswith(b"%PDF-"), content[:20]
    reader = PdfReader(io.BytesIO(content))
    return squeeze("".join(pdf_page.extract_text() for pdf_page in reader.pages))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)
