"""Bad input to every respondent endpoint: a clear 4xx or a form error, never a 500, and
no row changed by input that was refused (design §6 "Bad input", "No data loss").

Firm A's respondent has a draft whose STR section is answered (with goals) and an earlier,
submitted assessment with an evidence file; firm B has a draft with STR-01 answered.
"""

import random
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from diagnosis.answers import clean_answer
from diagnosis.firmdata import District, Industry
from diagnosis.models import (
    Answer,
    Assessment,
    Assignment,
    DimensionGoal,
    Firm,
    Invitation,
    JoinRequest,
    Membership,
)
from diagnosis.scoring.definition import QuestionSpec, QuestionType
from diagnosis.services.assessments import (
    AnswerEntry,
    answers_save,
    assessment_start,
    assessment_submit,
    goal_save,
)
from tests.answering import sample_value
from tests.factories import make_user, valid_credit_code
from tests.matrix_world import (
    EVIDENCE_CODE,
    PDF_BYTES,
    answer_completely,
)

FEW = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
SOME = settings(FEW, max_examples=25)
ERROR_MARKERS = re.compile(
    r'invalid-feedback|is-invalid|data-testid="error"|alert-danger|data-testid="missing"'
)
SECTION = "STR"
QUESTION_CODE = re.compile(r"[A-Z]{3}-\d{2}")
DIMENSION_CODE = re.compile(r"[A-Z]{3}")

# ------------------------------------------------------------------ strategies
UNICODE = st.text(st.characters(codec="utf-8"), max_size=30)  # any scalar value but surrogates
HUGE = st.sampled_from(["x" * 100_000, "数" * 100_000, "9" * 100_000, "\u202e\u0000" * 50_000])
WITH_NUL = st.builds(lambda head, tail: f"{head}\x00{tail}", UNICODE, UNICODE)
# Invalid for every required field of a form: empty, blank, NUL, far too long.
NEVER_VALID = st.one_of(st.just(""), st.just("   "), WITH_NUL, HUGE)
# Field names no form here has: they must be ignored, never crash anything.
UNKNOWN_KEY = st.text(
    st.characters(codec="utf-8", exclude_characters='"\r\n\\'), min_size=1, max_size=20
).filter(lambda key: not key.startswith(("q-", "goal-", "csrf")) and key.strip())
UNKNOWN_FIELDS = st.dictionaries(UNKNOWN_KEY, st.one_of(UNICODE, WITH_NUL), max_size=4)
NOT_A_NUMBER = st.one_of(
    st.sampled_from(["NaN", "-nan", "sNaN", "Infinity", "-inf", "1e999999999999999999999", "0x1F"]),
    st.text(st.characters(categories=["L", "P", "S"]), min_size=1, max_size=20),
    WITH_NUL,
)
LETTERS = st.text(st.characters(categories=["L"]), min_size=1, max_size=20)


def out_of_range(low: float, high: float) -> st.SearchStrategy[str]:
    below = st.floats(max_value=low, exclude_max=True, allow_nan=False, allow_infinity=False)
    above = st.floats(min_value=high, exclude_min=True, allow_nan=False, allow_infinity=False)
    return st.one_of(below, above, st.integers(max_value=int(low) - 1)).map(str)


def bad_value(question: QuestionSpec) -> st.SearchStrategy[Any]:
    """Raw input that the question's answer must refuse (never blank: blank clears)."""
    if question.type in (QuestionType.LEVEL, QuestionType.CHOICE):
        offered = {str(option.value) for option in question.options}
        return st.one_of(UNICODE, WITH_NUL, HUGE, st.just(" 3 ")).filter(
            lambda raw: raw not in offered and raw != ""
        )
    if question.type is QuestionType.CHECKLIST:
        offered = {item.code for item in question.items}
        unknown = st.one_of(UNICODE, WITH_NUL).filter(lambda raw: raw not in offered)
        known = st.lists(st.sampled_from(sorted(offered)), max_size=2)
        return st.builds(lambda good, bad: [*good, bad], known, unknown)
    if question.type is QuestionType.KPI:
        too_long = st.just("1" * 41)
        assert question.minimum is not None and question.maximum is not None
        return st.one_of(NOT_A_NUMBER, out_of_range(question.minimum, question.maximum), too_long)
    return st.one_of(WITH_NUL, HUGE, st.just("y" * 2001))  # text


# An empty target level is valid (it clears the target); an empty relevance is not.
BAD_TARGET = st.one_of(
    NEVER_VALID.filter(bool), NOT_A_NUMBER, st.sampled_from(["0", "6", "-1", "4.0"])
)
BAD_RELEVANCE = st.one_of(NEVER_VALID, NOT_A_NUMBER, st.sampled_from(["0", "6", "3.5"]))
BAD_NOTE = st.one_of(WITH_NUL, HUGE, st.just("n" * 2001))
BAD_REVISION = st.one_of(LETTERS, st.integers(max_value=-1).map(str), st.just("1.5"), WITH_NUL)


# ------------------------------------------------------------------ fixtures and helpers
@pytest.fixture(autouse=True)
def quick_and_private(settings, tmp_path) -> None:
    """Evidence goes to a temporary directory; a cheap hasher keeps each test's setup short
    (autouse fixtures run first)."""
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass(frozen=True)
class Scene:
    draft: Assessment
    submitted: Assessment
    other_draft: Assessment

    @property
    def section_questions(self) -> list[QuestionSpec]:
        return list(self.draft.questionnaire.definition.dimension(SECTION).questions)


def _answer_section(assessment: Assessment, user, codes: list[str]) -> None:
    definition = assessment.questionnaire.definition
    rng = random.Random(5)
    entries = [
        AnswerEntry(
            code=code,
            value=clean_answer(
                definition.questions[code], sample_value(definition.questions[code], rng)
            ),
            note="原来的备注",
        )
        for code in codes
    ]
    answers_save(assessment=assessment, user=user, entries=entries)


@pytest.fixture
def scene(client, questionnaire, respondent, other_respondent) -> Scene:
    submitted = assessment_start(firm=respondent.membership.firm, user=respondent)
    answer_completely(submitted, respondent, evidence_code=EVIDENCE_CODE)
    assessment_submit(assessment=submitted, user=respondent)
    draft = assessment_start(firm=respondent.membership.firm, user=respondent)
    codes = [question.code for question in questionnaire.definition.dimension(SECTION).questions]
    _answer_section(draft, respondent, codes)
    goal_save(assessment=draft, dimension_code=SECTION, target_level=4, relevance=2)
    other_draft = assessment_start(firm=other_respondent.membership.firm, user=other_respondent)
    _answer_section(other_draft, other_respondent, ["STR-01"])
    client.force_login(respondent)
    client.raise_request_exception = False
    return Scene(draft=draft, submitted=submitted, other_draft=other_draft)


def rows() -> dict[str, list]:
    """Every row a respondent endpoint may write, as comparable values."""
    return {
        "answers": list(
            Answer.objects.order_by("pk").values_list(
                "pk",
                "assessment",
                "question",
                "value",
                "not_applicable",
                "note",
                "evidence",
                "evidence_name",
                "revision",
                "answered_at",
            )
        ),
        "goals": list(
            DimensionGoal.objects.order_by("pk").values_list(
                "pk", "assessment", "dimension", "target_level", "relevance"
            )
        ),
        "assessments": list(Assessment.objects.order_by("pk").values_list("pk", "status")),
        "firms": list(Firm.objects.order_by("pk").values()),
        "memberships": list(Membership.objects.order_by("pk").values()),
        "invitations": list(Invitation.objects.order_by("pk").values()),
        "join_requests": list(JoinRequest.objects.order_by("pk").values()),
    }


def answer_row(assessment: Assessment, code: str) -> tuple | None:
    return (
        Answer.objects.filter(assessment=assessment, question__code=code)
        .values_list("value", "not_applicable", "note", "evidence", "revision")
        .first()
    )


def stored_value(assessment: Assessment, code: str) -> Any:
    """The value of an answer the test knows is stored."""
    row = answer_row(assessment, code)
    assert row is not None, f"no answer to {code}"
    return row[0]


def assert_refused(response, *statuses: int) -> None:
    """A 4xx, or a page that shows what is wrong; never a server error."""
    assert response.status_code < 500, response.content[:300]
    # A NUL character anywhere is refused up front with a 400 page (RejectNullBytesMiddleware).
    assert response.status_code in (*statuses, 400), response.status_code
    if response.status_code in (200, 400, 422):
        assert ERROR_MARKERS.search(response.content.decode()), "no error shown to the user"


# ------------------------------------------------------------------ firm registration
VALID_FIRM = {
    "name": "上海测试有限公司",
    "industry": "36",
    "employees": "250",
    "revenue": "9000",
    "district": "jiading",
}
BAD_FIRM_FIELD = {
    "name": NEVER_VALID,
    "credit_code": st.one_of(NEVER_VALID, UNICODE.filter(lambda s: len(s.strip()) != 18)),
    "industry": st.one_of(
        NEVER_VALID,
        st.integers().filter(lambda n: n not in Industry.values).map(str),
        st.just("36.0"),
    ),
    "employees": st.one_of(
        NEVER_VALID, NOT_A_NUMBER, st.sampled_from(["0", "-1", "1000001", "2.5", "1e3"])
    ),
    "revenue": st.one_of(
        NEVER_VALID, NOT_A_NUMBER, st.sampled_from(["-0.01", "1e20", "123456789012345.6"])
    ),
    "district": st.one_of(NEVER_VALID, UNICODE.filter(lambda s: s not in District.values)),
}


@st.composite
def bad_firm(draw) -> dict[str, Any]:
    data = {**VALID_FIRM, "credit_code": valid_credit_code()}
    broken = draw(st.lists(st.sampled_from(sorted(BAD_FIRM_FIELD)), min_size=1, unique=True))
    for name in broken:
        data[name] = draw(BAD_FIRM_FIELD[name])
    return {**draw(UNKNOWN_FIELDS), **data}


@SOME
@given(data=bad_firm())
@example(data={**VALID_FIRM, "credit_code": valid_credit_code(9_999_999), "revenue": "sNaN"})
@example(data={**VALID_FIRM, "credit_code": "x" * 100_000, "employees": "9" * 100_000})
def test_it_refuses_a_bad_firm_registration(client, outsider, data):
    client.force_login(outsider)
    client.raise_request_exception = False
    before = rows()
    response = client.post(reverse("firm_register"), data)
    assert_refused(response, 200, 400, 422)
    assert rows() == before


@FEW
@given(name=st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1))
def test_it_registers_a_firm_under_any_printable_name(client, db, name):
    """Any name without NUL is a name: stored as typed (stripped) or refused, never a 500."""
    client.force_login(make_user())
    client.raise_request_exception = False
    code = valid_credit_code()
    response = client.post(
        reverse("firm_register"), {**VALID_FIRM, "name": name, "credit_code": code}
    )
    assert response.status_code in (200, 302)
    firm = Firm.objects.filter(credit_code=code).first()
    if response.status_code == 302:
        assert firm is not None and firm.name == name.strip()
    else:
        assert firm is None
        assert ERROR_MARKERS.search(response.content.decode())


# ------------------------------------------------------------------ invitations
BAD_EMAIL = st.one_of(
    NEVER_VALID,
    UNICODE.filter(lambda s: "@" not in s),
    st.just("a@" + "b" * 300 + ".com"),
    st.just("not an email@example.com"),
)


@SOME
@given(email=BAD_EMAIL, extra=UNKNOWN_FIELDS)
def test_it_refuses_a_bad_invitation(client, respondent, email, extra):
    client.force_login(respondent)
    client.raise_request_exception = False
    before = rows()
    response = client.post(reverse("firm_invite"), {**extra, "email": email})
    # The firm page comes back with the form showing why (or a NUL character is refused).
    assert_refused(response, 400)
    assert rows() == before


@FEW
@given(token=st.one_of(UNICODE, WITH_NUL, st.just("x" * 5000)).filter(lambda t: t and "/" not in t))
def test_it_answers_404_for_an_unknown_invitation_token(client, db, token):
    client.raise_request_exception = False
    response = client.get(reverse("invitation", args=[token]))
    assert response.status_code in (400, 404)  # 400: a NUL character


# ------------------------------------------------------------------ the section page
@st.composite
def section_post(draw, scene: Scene) -> tuple[dict[str, Any], set[str]]:
    """The whole page's form with at least one refused answer; returns (data, bad codes)."""
    rng = random.Random(draw(st.integers(0, 1000)))
    questions = scene.section_questions
    bad = set(draw(st.lists(st.sampled_from([q.code for q in questions]), min_size=1, unique=True)))
    data: dict[str, Any] = {"goal-STR-target_level": "4", "goal-STR-relevance": "2"}
    for question in questions:
        prefix = f"q-{question.code}"
        answer = scene.draft.answers.get(question__code=question.code)
        data[f"{prefix}-rev"] = str(answer.revision)
        if question.code not in bad:
            data[f"{prefix}-value"] = sample_value(question, rng)
            continue
        if draw(st.booleans()):
            data[f"{prefix}-value"] = draw(bad_value(question))
            data[f"{prefix}-note"] = draw(st.one_of(UNICODE, BAD_NOTE))
        else:
            data[f"{prefix}-value"] = sample_value(question, rng)
            data[f"{prefix}-note"] = draw(BAD_NOTE)
    return {**draw(UNKNOWN_FIELDS), **data}, bad


@SOME
@given(data=st.data())
def test_it_keeps_refused_answers_of_the_section_page(client, scene, data):
    post, bad = data.draw(section_post(scene))
    before = {code: answer_row(scene.draft, code) for code in bad}
    others = {k: v for k, v in rows().items() if k != "answers"}
    response = client.post(reverse("section", args=[scene.draft.pk, SECTION]), post)
    assert_refused(response, 400)
    assert {code: answer_row(scene.draft, code) for code in bad} == before
    assert {k: v for k, v in rows().items() if k != "answers"} == others


@FEW
@given(extra=UNKNOWN_FIELDS)
@example(extra={})
def test_it_keeps_answers_the_section_post_does_not_mention(client, scene, extra):
    """A page POST without an answer's fields (a stale or crafted form) leaves it alone."""
    before = rows()["answers"]
    post = {**extra, "goal-STR-target_level": "4", "goal-STR-relevance": "2"}
    response = client.post(reverse("section", args=[scene.draft.pk, SECTION]), post)
    assert response.status_code < 500
    assert rows()["answers"] == before


@FEW
@given(
    target=BAD_TARGET,
    relevance=BAD_RELEVANCE,
    which=st.sampled_from(["target", "relevance", "both"]),
)
def test_it_keeps_the_goal_when_the_section_goal_is_refused(
    client, scene, target, relevance, which
):
    post = {
        "goal-STR-target_level": target if which != "relevance" else "4",
        "goal-STR-relevance": relevance if which != "target" else "2",
    }
    before = rows()["goals"]
    response = client.post(reverse("section", args=[scene.draft.pk, SECTION]), post)
    assert_refused(response, 400)
    assert rows()["goals"] == before


# ------------------------------------------------------------------ autosave of one answer
@SOME
@given(data=st.data())
def test_it_refuses_a_bad_autosaved_answer(client, scene, data):
    question = data.draw(st.sampled_from(scene.section_questions))
    prefix = f"q-{question.code}"
    post = {
        **data.draw(UNKNOWN_FIELDS),
        f"{prefix}-value": data.draw(bad_value(question)),
        f"{prefix}-note": data.draw(st.one_of(UNICODE, BAD_NOTE)),
        f"{prefix}-rev": "1",
    }
    before = rows()
    response = client.post(reverse("answer_autosave", args=[scene.draft.pk, question.code]), post)
    assert_refused(response, 422)
    assert rows() == before


@FEW
@given(revision=BAD_REVISION)
@example(revision="1.5")
@example(revision="-10000000000000000000")  # longer than any real revision
@example(revision="²")  # a digit to str.isdigit(), not to int()
@example(revision="9" * 5000)  # more digits than int() converts
def test_it_treats_a_bad_revision_as_unknown(client, scene, revision):
    response = client.post(
        reverse("answer_autosave", args=[scene.draft.pk, "STR-01"]),
        {"q-STR-01-value": "1", "q-STR-01-rev": revision},
    )
    if "\x00" in revision:
        assert_refused(response, 400)
        return
    # The revision only serves the overwrite check; an unreadable one means "unknown".
    assert response.status_code == 200
    assert stored_value(scene.draft, "STR-01") == 1


@FEW
@given(extra=UNKNOWN_FIELDS)
@example(extra={})
@example(extra={"value": "3", "STR-01-value": "3"})  # fields without the form's prefix
def test_it_keeps_the_answer_when_the_autosave_names_no_field(client, scene, extra):
    before = rows()
    response = client.post(reverse("answer_autosave", args=[scene.draft.pk, "STR-01"]), extra)
    assert response.status_code < 500
    assert rows() == before


@FEW
@given(
    code=st.one_of(UNICODE, WITH_NUL, st.just("STR-99"), st.just("str-01")).filter(
        lambda code: code and "/" not in code and not QUESTION_CODE.fullmatch(code)
    )
)
def test_it_answers_404_for_an_unknown_question(client, scene, code):
    before = rows()
    response = client.post(
        reverse("answer_autosave", args=[scene.draft.pk, code]), {f"q-{code}-value": "1"}
    )
    assert response.status_code in (400, 404)  # 400: a NUL character
    assert rows() == before


@FEW
@given(
    target=st.sampled_from(["other_firm", "submitted"]),
    view=st.sampled_from(["answer_autosave", "section", "goal_autosave", "submit"]),
    value=st.one_of(st.just("0"), UNICODE),
)
@example(target="other_firm", view="answer_autosave", value="\x00")
def test_it_changes_nothing_in_another_firms_or_a_submitted_assessment(
    client, scene, target, view, value
):
    assessment = scene.other_draft if target == "other_firm" else scene.submitted
    args = {
        "answer_autosave": [assessment.pk, "STR-01"],
        "section": [assessment.pk, SECTION],
        "goal_autosave": [assessment.pk, SECTION],
        "submit": [assessment.pk],
    }[view]
    post = {
        "q-STR-01-value": value,
        "q-STR-01-rev": "1",
        "goal-STR-target_level": "1",
        "goal-STR-relevance": "1",
    }
    before = rows()
    response = client.post(reverse(view, args=args), post)
    # A NUL character is refused up front, before anyone's access is looked at.
    refused = 400 if "\x00" in value else 404 if target == "other_firm" else 403
    assert response.status_code == refused
    assert rows() == before


# ------------------------------------------------------------------ evidence files
BAD_UPLOAD = st.one_of(
    # a type we do not take, whatever its content
    st.tuples(
        st.sampled_from(["x.exe", "x.html", "x.svg", "x.js", "x", "x.pdf.exe", "x.txt", ".pdf"]),
        st.sampled_from([PDF_BYTES, b"MZ\x90\x00", b"<script>alert(1)</script>"]),
    ),
    # a type we take, with content that is something else
    st.tuples(
        st.sampled_from(["x.pdf", "x.PNG", "x.jpg", "x.docx", "x.xls"]),
        st.binary(min_size=1, max_size=64).filter(
            lambda blob: (
                not blob.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"PK\x03\x04"))
                and not blob.startswith(b"\xd0\xcf\x11\xe0")
            )
        ),
    ),
    # too big for the (lowered) limit
    st.tuples(st.just("big.pdf"), st.just(PDF_BYTES + b"0" * 2048)),
    # empty
    st.tuples(st.just("empty.pdf"), st.just(b"")),
)


@SOME
@given(upload=BAD_UPLOAD)
@override_settings(EVIDENCE_MAX_BYTES=1024)
def test_it_refuses_a_bad_evidence_file(client, scene, upload):
    name, content = upload
    post = {
        "q-STR-02-value": str(stored_value(scene.draft, "STR-02")),
        "q-STR-02-rev": "1",
        "q-STR-02-evidence": SimpleUploadedFile(name, content),
    }
    before = rows()
    response = client.post(reverse("answer_autosave", args=[scene.draft.pk, "STR-02"]), post)
    assert_refused(response, 422)
    page = response.content.decode()
    field = 'id="id_q-STR-02-evidence" class="form-control form-control-sm is-invalid"'
    assert field in page  # the file's error is shown on its field
    assert rows() == before


@FEW
# Quotes and line breaks would break the test client's multipart encoding, not the app.
@given(stem=st.text(st.characters(codec="utf-8", exclude_characters='\x00/\\"\r\n'), min_size=1))
@example(stem="年度数字化转型规划与实施方案" * 8)  # a long Chinese file name (336 bytes)
@example(stem="../../../etc/passwd")
def test_it_stores_or_refuses_evidence_under_any_file_name(client, scene, stem):
    post = {
        "q-STR-02-value": str(stored_value(scene.draft, "STR-02")),
        "q-STR-02-rev": "1",
        "q-STR-02-evidence": SimpleUploadedFile(f"{stem}.pdf", PDF_BYTES),
    }
    response = client.post(reverse("answer_autosave", args=[scene.draft.pk, "STR-02"]), post)
    assert response.status_code in (200, 422), response.status_code


@FEW
@given(
    code=st.one_of(UNICODE, WITH_NUL, st.just(".."), st.just("STR-02")).filter(
        lambda code: code and "/" not in code and code != EVIDENCE_CODE
    )
)
def test_it_answers_404_for_evidence_that_does_not_exist(client, scene, code):
    response = client.get(reverse("evidence_download", args=[scene.submitted.pk, code]))
    assert response.status_code in (400, 404)  # 400: a NUL character


@FEW
@given(code=st.sampled_from([EVIDENCE_CODE, "STR-02"]))
def test_it_hides_another_firms_evidence(client, scene, other_respondent, code):
    client.force_login(other_respondent)
    response = client.get(reverse("evidence_download", args=[scene.submitted.pk, code]))
    assert response.status_code in (400, 404)  # 400: a NUL character


# ------------------------------------------------------------------ goals and submission
@SOME
@given(
    target=BAD_TARGET,
    relevance=st.one_of(st.just("2"), BAD_RELEVANCE),
    extra=UNKNOWN_FIELDS,
)
def test_it_refuses_a_bad_goal(client, scene, target, relevance, extra):
    post = {**extra, "goal-STR-target_level": target, "goal-STR-relevance": relevance}
    before = rows()
    response = client.post(reverse("goal_autosave", args=[scene.draft.pk, SECTION]), post)
    assert_refused(response, 422)
    assert rows() == before


@FEW
@given(
    code=st.one_of(UNICODE, WITH_NUL).filter(
        lambda c: c and "/" not in c and not DIMENSION_CODE.fullmatch(c)
    )
)
def test_it_answers_404_for_an_unknown_dimension(client, scene, code):
    before = rows()
    for view in ("goal_autosave", "section"):
        response = client.post(reverse(view, args=[scene.draft.pk, code]), {})
        assert response.status_code in (400, 404)  # 400: a NUL character
    assert rows() == before


@FEW
@given(extra=UNKNOWN_FIELDS)
def test_it_refuses_to_submit_an_incomplete_assessment_whatever_is_posted(client, scene, extra):
    before = rows()
    response = client.post(reverse("submit", args=[scene.draft.pk]), extra)
    assert_refused(response, 400)
    assert rows() == before


@settings(FEW, max_examples=8)
@given(body=st.binary(max_size=300))
def test_it_survives_any_request_body(client, scene, body):
    for url in (
        reverse("answer_autosave", args=[scene.draft.pk, "STR-01"]),
        reverse("goal_autosave", args=[scene.draft.pk, SECTION]),
        reverse("section", args=[scene.draft.pk, SECTION]),
        reverse("firm_invite"),
    ):
        for content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=b",
        ):
            response = client.post(url, body, content_type=content_type)
            assert response.status_code < 500, (url, content_type)


def test_it_refuses_too_many_fields(client, scene):
    before = rows()
    post = {f"junk-{n}": "x" for n in range(1500)}
    response = client.post(reverse("answer_autosave", args=[scene.draft.pk, "STR-01"]), post)
    assert 400 <= response.status_code < 500
    assert rows() == before


# ------------------------------------------------------------------ escaping
SCRIPT = "<script>alert(1)</script>"
FORMULA = "=cmd|' /C calc'!A0"


def test_it_escapes_what_users_write_in_the_section_page_and_the_report(
    client, questionnaire, consultant
):
    owner = make_user()
    client.force_login(owner)
    client.raise_request_exception = False
    registered = client.post(
        reverse("firm_register"),
        {**VALID_FIRM, "name": SCRIPT, "credit_code": valid_credit_code()},
    )
    assert registered.status_code == 302
    firm = Firm.objects.get(name=SCRIPT)
    provider = consultant.provider_memberships.get().provider
    Assignment.objects.create(firm=firm, provider=provider, consultant=consultant)
    assessment = assessment_start(firm=firm, user=owner)
    answer_completely(assessment, owner)
    saved = client.post(
        reverse("answer_autosave", args=[assessment.pk, "STR-01"]),
        {"q-STR-01-value": "3", "q-STR-01-note": FORMULA, "q-STR-01-rev": "1"},
    )
    assert saved.status_code == 200

    section = client.get(reverse("section", args=[assessment.pk, SECTION])).content.decode()
    assert SCRIPT not in section and FORMULA not in section
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in section
    assert "=cmd|&#x27; /C calc&#x27;!A0" in section

    submitted = client.post(reverse("submit", args=[assessment.pk]), {"confirmed": "yes"})
    assert submitted.status_code == 302
    report = client.get(reverse("report", args=[assessment.pk]))
    assert report.status_code == 200
    html = report.content.decode()
    assert SCRIPT not in html and FORMULA not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html

    client.force_login(consultant)  # the review screen shows the note
    url = reverse("review_dimension", args=[assessment.pk, SECTION])
    review = client.get(url).content.decode()
    assert SCRIPT not in review and FORMULA not in review
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in review
    assert "=cmd|&#x27; /C calc&#x27;!A0" in review


HUGE_IDS = [str(2**63), "99999999999999999999", str(10**40)]


@pytest.mark.parametrize("pk", HUGE_IDS)
def test_it_answers_404_for_an_id_beyond_the_databases_integers(client, scene, pk):
    """An id no integer column can hold finds nothing (SQLite raised OverflowError, a 500)."""
    before = rows()
    pages = [
        ("get", f"/assessments/{pk}/"),
        ("get", f"/assessments/{pk}/sections/{SECTION}/"),
        ("post", f"/assessments/{pk}/sections/{SECTION}/"),
        ("post", f"/assessments/{pk}/sections/{SECTION}/goal/"),
        ("post", f"/assessments/{pk}/answers/STR-01/"),
        ("get", f"/assessments/{pk}/evidence/{EVIDENCE_CODE}/"),
        ("post", f"/assessments/{pk}/submit/"),
        ("get", f"/assessments/{pk}/report/"),
        ("get", f"/assessments/{pk}/report.pdf"),
        ("get", f"/assessments/{pk}/history/"),
        ("post", f"/firm/invitations/{pk}/resend/"),
        ("post", f"/firm/invitations/{pk}/revoke/"),
        ("post", f"/firm/members/{pk}/remove/"),
        ("post", f"/firm/join-requests/{pk}/"),
    ]
    for method, url in pages:
        response = getattr(client, method)(url, {"value": "1", "revision": "1"})
        assert response.status_code == 404, (method, url, response.status_code)
    assert rows() == before


def test_it_treats_a_session_naming_a_user_beyond_the_databases_integers_as_anonymous(client, db):
    session = client.session
    session["_auth_user_id"] = str(10**30)
    session["_auth_user_backend"] = "diagnosis.auth.ModelBackend"
    session.save()
    response = client.get("/")
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
