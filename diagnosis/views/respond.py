"""Answering: section pages, autosave of one answer or goal, resume, evidence, submit."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from diagnosis.forms.answers import AnswerForm, GoalForm
from diagnosis.forms.roles import RoleChoice, requested_role, role_choice, role_name
from diagnosis.forms.sections import QuestionItem, section_items
from diagnosis.http import AuthenticatedHttpRequest
from diagnosis.models import Assessment
from diagnosis.permissions import Access, get_assessment_for_user
from diagnosis.queries.assessments import AssessmentState, assessment_state
from diagnosis.scoring.definition import Definition, DimensionSpec
from diagnosis.services.assessments import (
    AssessmentError,
    EvidenceQuotaExceeded,
    GoalEntry,
    answer_save,
    answers_save,
    assessment_submit,
    goal_save,
    submission_problems,
)

SECTION = "diagnosis/respond/section.html"


def _dimension_or_404(definition: Definition, code: str) -> DimensionSpec:
    if code not in {d.code for d in definition.dimensions}:
        raise Http404
    return definition.dimension(code)


def _section_url(
    assessment_pk: int, dimension_code: str, question_code: str = "", *, keep: str = ""
) -> str:
    """A section page's URL; `keep` is a query string the page keeps (RoleChoice.query)."""
    url = reverse("section", args=[assessment_pk, dimension_code]) + keep
    return f"{url}#q-{question_code}" if question_code else url


def _role_choice(request: AuthenticatedHttpRequest, definition: Definition) -> RoleChoice:
    """The role whose questions the page shows; a role the questionnaire does not have
    shows every question, saying so."""
    choice = role_choice(definition, requested_role(request))
    if choice.refused:
        messages.warning(
            request, _("There is no such role in this questionnaire: showing every question.")
        )
    return choice


@login_required
@require_GET
def assessment_resume(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Open the first unanswered question (from any browser), or the report when submitted."""
    assessment, access = get_assessment_for_user(request.user, pk)
    if not assessment.is_open or not access.is_member:
        return redirect("report", pk)
    if assessment.status == Assessment.Status.RETURNED:  # its first page says why
        return redirect(_section_url(pk, assessment.questionnaire.definition.dimensions[0].code))
    question = assessment_state(assessment).first_unanswered()
    if question is None:
        return redirect("submit", pk)
    return redirect(_section_url(pk, question.dimension, question.code))


@login_required
def section(request: AuthenticatedHttpRequest, pk: int, code: str) -> HttpResponse:
    if request.method == "POST":
        return _section_save(request, pk, code)
    since = timezone.now()  # before anything is read, so the poll misses no later change
    assessment, access = get_assessment_for_user(request.user, pk)
    dimension = _dimension_or_404(assessment.questionnaire.definition, code)
    return _render_section(request, assessment, access, dimension, since)


def _section_save(request: AuthenticatedHttpRequest, pk: int, code: str) -> HttpResponse:
    """The no-JavaScript save of a whole page: valid answers are kept even if some are not."""
    since = timezone.now()
    assessment, access = get_assessment_for_user(request.user, pk, write=True)
    definition = assessment.questionnaire.definition
    dimension = _dimension_or_404(definition, code)
    forms = [
        AnswerForm(q, data=request.POST, files=request.FILES)
        for q in dimension.questions
        if q.asked
    ]
    goal_form = GoalForm(definition, code, data=request.POST)
    entries = [form.entry() for form in forms if form.submitted and form.is_valid()]
    goal = GoalEntry(code, **goal_form.cleaned_data) if goal_form.is_valid() else None
    evidence_errors: dict[str, str] = {}
    with _refused_when_closed():
        try:
            answers_save(assessment=assessment, user=request.user, entries=entries, goal=goal)
        except EvidenceQuotaExceeded as error:  # the answers are saved, without the new files
            evidence_errors = dict.fromkeys(error.codes, str(error))
            entries = [replace(entry, evidence=None) for entry in entries]
            answers_save(assessment=assessment, user=request.user, entries=entries, goal=goal)
    valid = all(form.is_valid() for form in forms if form.submitted) and goal_form.is_valid()
    if valid and not evidence_errors:
        messages.success(request, _("Your answers are saved."))
        target = _next_code(definition, code) if "next" in request.POST else code
        if not target:
            return redirect("submit", pk)
        keep = role_choice(definition, requested_role(request)).query
        return redirect(_section_url(pk, target, keep=keep))
    messages.error(request, _("Some answers were not saved: please correct them below."))
    return _render_section(
        request,
        assessment,
        access,
        dimension,
        since,
        goal_form=goal_form,
        data=request.POST,
        files=request.FILES,
        evidence_errors=evidence_errors,
        status=400,
    )


@contextmanager
def _refused_when_closed() -> Iterator[None]:
    """A save refused because a colleague submitted the assessment meanwhile: 403, saying so."""
    try:
        yield
    except EvidenceQuotaExceeded:
        raise  # a refusal the form shows at the file
    except AssessmentError as error:
        raise PermissionDenied(str(error)) from None


def _render_section(
    request: AuthenticatedHttpRequest,
    assessment: Assessment,
    access: Access,
    dimension: DimensionSpec,
    since: datetime,
    *,
    goal_form: GoalForm | None = None,
    data: QueryDict | None = None,
    files: MultiValueDict[str, UploadedFile] | None = None,
    evidence_errors: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    definition = assessment.questionnaire.definition
    state = assessment_state(assessment)
    writable = access.is_member and assessment.is_open
    choice = _role_choice(request, definition)
    if goal_form is None:
        goal = state.goals.get(dimension.code)
        initial = {"target_level": goal.target_level, "relevance": goal.relevance} if goal else None
        goal_form = GoalForm(definition, dimension.code, initial=initial)
    context = {
        "assessment": assessment,
        "access": access,
        "state": state,
        "dimension": dimension,
        "items": section_items(
            state,
            dimension,
            data=data,
            files=files,
            writable=writable,
            evidence_errors=evidence_errors,
            shows=None if choice.role is None else choice.shows,
        ),
        "goal_form": goal_form,
        "writable": writable,
        "sync_since": since.isoformat(),
        "next_code": _next_code(definition, dimension.code),
        "previous_code": _next_code(definition, dimension.code, step=-1),
        **_role_context(choice, state, dimension),
    }
    return render(request, SECTION, context | (extra or {}), status=status)


def _role_context(
    choice: RoleChoice, state: AssessmentState, dimension: DimensionSpec
) -> dict[str, Any]:
    """What the page needs to offer the role choice and say which role it shows."""
    if not choice.roles:  # a questionnaire without roles offers no choice
        return {}
    role = choice.role
    return {
        "role": role,
        "role_name": role_name(role) if role else "",
        "role_query": choice.query,
        "role_options": [(r.value, role_name(r)) for r in choice.roles],
        "role_progress": state.dimension_progress(dimension.code, role) if role else None,
    }


def _next_code(definition: Definition, code: str, step: int = 1) -> str | None:
    codes = [d.code for d in definition.dimensions]
    index = codes.index(code) + step
    return codes[index] if 0 <= index < len(codes) else None


@login_required
@require_POST
def answer_autosave(request: AuthenticatedHttpRequest, pk: int, code: str) -> HttpResponse:
    """Autosave one answer (htmx); returns the question and what its change affects."""
    assessment, _access = get_assessment_for_user(request.user, pk, write=True)
    state = assessment_state(assessment)
    question = state.definition.questions.get(code)
    if question is None or not question.asked:  # rates and trends are computed
        raise Http404
    form = AnswerForm(question, state.answers.get(code), data=request.POST, files=request.FILES)
    if not form.submitted:
        return HttpResponseBadRequest(
            _("The request carries no answer for %(code)s.") % {"code": code}
        )
    if not form.is_valid():
        return _refused_answer(request, assessment, state, form)
    try:
        with _refused_when_closed():
            result = answer_save(
                assessment=assessment,
                user=request.user,
                entry=form.entry(),
                current=state.answers.get(code),
            )
    except EvidenceQuotaExceeded as error:
        form.add_error("evidence", str(error))
        return _refused_answer(request, assessment, state, form)
    was_answered = state.answered(question)
    state.replace_answer(code, result.answers[code])
    dimension = state.definition.dimension(question.dimension)
    # Only the saved question and those whose visibility hangs on it are sent back (those
    # of the page's role, when it shows one).
    choice = role_choice(state.definition, requested_role(request))
    saved, *dependents = section_items(state, dimension, changed=code)
    dependents = [item for item in dependents if choice.shows(item.spec)]
    saved.just_saved = True
    saved.overwrite = result.overwrites[0] if result.overwrites else None
    context = _partial_context(assessment, state, saved)
    context["dependents"] = dependents
    context["dimension"] = dimension
    # The sidebar's counts change only when the question became answered or unanswered,
    # or when it shows or hides others (a changed figure or note leaves them as they are).
    context["progress_changed"] = was_answered != state.answered(question) or state.is_trigger(code)
    context["role"] = choice.role
    return render(request, f"{SECTION}#autosave", context)


def _refused_answer(
    request: AuthenticatedHttpRequest,
    assessment: Assessment,
    state: AssessmentState,
    form: AnswerForm,
) -> HttpResponse:
    """The question again with its errors (422, which the page swaps in place)."""
    item = QuestionItem.build(state, form.question, form)
    context = _partial_context(assessment, state, item)
    return render(request, f"{SECTION}#question", context, status=422)


def _partial_context(
    assessment: Assessment, state: AssessmentState, item: QuestionItem
) -> dict[str, Any]:
    return {"assessment": assessment, "state": state, "item": item, "writable": True}


@login_required
@require_POST
def goal_autosave(request: AuthenticatedHttpRequest, pk: int, code: str) -> HttpResponse:
    assessment, _access = get_assessment_for_user(request.user, pk, write=True)
    definition = assessment.questionnaire.definition
    _dimension_or_404(definition, code)
    form = GoalForm(definition, code, data=request.POST)
    saved = form.is_valid()
    if saved:
        with _refused_when_closed():
            goal_save(assessment=assessment, dimension_code=code, **form.cleaned_data)
    return render(
        request,
        f"{SECTION}#goal",
        {
            "assessment": assessment,
            "goal_form": form,
            "dimension": definition.dimension(code),
            "writable": True,
            "goal_saved": saved,
        },
        status=200 if saved else 422,
    )


@login_required
@require_GET
def section_changes(request: AuthenticatedHttpRequest, pk: int, code: str) -> HttpResponse:
    """Polled by the section page: answers colleagues changed since the page last looked."""
    assessment, access = get_assessment_for_user(request.user, pk)
    state = assessment_state(assessment)
    dimension = _dimension_or_404(state.definition, code)
    since = _parse_since(request.GET.get("since", ""))
    choice = role_choice(state.definition, requested_role(request))
    shows = None if choice.role is None else choice.shows
    changed = [
        item
        for item in section_items(state, dimension, shows=shows)
        if item.answer is not None
        and item.answer.answered_at > since
        and item.answer.answered_by_id != request.user.pk
    ]
    for item in changed:
        item.changed_by_other = True
    return render(
        request,
        f"{SECTION}#changes",
        {
            "assessment": assessment,
            "state": state,
            "dimension": dimension,
            "changed": changed,
            "writable": access.is_member and assessment.is_open,
            "sync_since": timezone.now().isoformat(),
        },
    )


def _parse_since(raw: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        return timezone.now()
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


@login_required
@require_GET
def evidence_download(request: AuthenticatedHttpRequest, pk: int, code: str) -> FileResponse:
    assessment, _access = get_assessment_for_user(request.user, pk)
    answer = assessment.answers.filter(question__code=code).exclude(evidence="").first()
    if answer is None:
        raise Http404
    try:
        handle = answer.evidence.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=answer.evidence_name or "evidence")


@login_required
def submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    write = request.method == "POST"
    assessment, access = get_assessment_for_user(request.user, pk, write=write)
    if not assessment.is_open:
        return redirect("report", pk)
    state = assessment_state(assessment)
    problems = submission_problems(state)
    # A complete assessment is submitted only once the firm confirmed it on this page.
    confirming = write and not problems and request.POST.get("confirmed") != "yes"
    if write and not confirming:
        try:
            assessment_submit(assessment=assessment, user=request.user)
        except AssessmentError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Submitted. Here is your report."))
            return redirect("report", pk)
    missing = state.missing_questions()
    context = {
        "assessment": assessment,
        "state": state,
        "problems": problems,
        "missing": missing,
        "missing_by_role": [
            (role, role_name(role) if role else "", questions)
            for role, questions in state.missing_by_role()
        ],
        "missing_targets": [state.definition.dimension(c) for c in state.missing_targets()],
        "writable": access.is_member,
        "confirming": confirming,
    }
    status = 400 if write and not confirming else 200
    return render(request, "diagnosis/respond/submit.html", context, status=status)
