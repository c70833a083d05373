"""The consultant's side: work queue, review screens, verdicts, notes, decisions; history.

The review is split into an overview (scores against the firm's targets, consistency
warnings, comments, the decision) and one page per dimension, so that no page carries
the whole questionnaire. On a dimension page every verdict and note is posted with htmx
and answered with the question's row (and the score strip, out of band): nothing else
reloads and a refused change comes back with its error beside the field and the chosen
value kept. Without JavaScript the same forms post and redirect.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from diagnosis.forms.review import (
    CommentForm,
    DecisionForm,
    ValidationForm,
    WarningResolutionForm,
)
from diagnosis.http import AuthenticatedHttpRequest
from diagnosis.models import Assessment
from diagnosis.permissions import get_assessment_for_user, get_review_for_user, review_queue_for
from diagnosis.queries.assessments import AssessmentState, assessment_state
from diagnosis.queries.history import history_entries
from diagnosis.queries.review import (
    MustResolveItem,
    ReviewRow,
    must_resolve_items,
    question_notes,
    queue_counts,
    review_contact,
    review_row,
    review_rows,
    review_summary,
    unconfirmed_answers,
)
from diagnosis.reports.verification import gate_gaps
from diagnosis.scoring.definition import DimensionSpec
from diagnosis.services import review as review_services

OVERVIEW = "diagnosis/review/review.html"
DIMENSION = "diagnosis/review/dimension.html"


@login_required
@require_GET
def review_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    assessments = review_queue_for(request.user)
    status = request.GET.get("status", "")
    counts = queue_counts(assessments)
    if status in counts:
        assessments = assessments.filter(status=status)
    search = request.GET.get("q", "").strip()[:100]
    if search:
        assessments = assessments.filter(firm__name__icontains=search)
    return render(
        request,
        "diagnosis/review/queue.html",
        {"assessments": assessments[:200], "counts": counts, "status": status, "q": search},
    )


def _context(assessment: Assessment, state: AssessmentState) -> dict:
    return {
        "assessment": assessment,
        "state": state,
        "summary": review_summary(state),
        "reviewable": assessment.status in review_services.REVIEWABLE,
    }


@login_required
@require_GET
def review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The overview: scores against targets, warnings, comments and the decision."""
    return _overview(request, get_review_for_user(request.user, pk))


def _overview(
    request: AuthenticatedHttpRequest,
    assessment: Assessment,
    *,
    refused: WarningResolutionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The overview page; `refused` is a resolution form that comes back with its error."""
    context = _context(assessment, assessment_state(assessment))
    summary = context["summary"]
    items = must_resolve_items(assessment, summary.validated_card, context["state"].definition)
    if refused is not None and all(item.warning.code != refused.code for item in items):
        messages.error(request, review_services.no_such_warning(refused.code))
    context |= {
        "comments": assessment.comments.filter(question__isnull=True).select_related("author"),
        "comment_form": CommentForm(),
        "decision_form": DecisionForm(),
        "contact": review_contact(assessment.firm_id),
        "must_resolve": _with_resolution_forms(items, refused),
        "unresolved": [item.warning.code for item in items if not item.resolved],
    }
    return render(request, OVERVIEW, context, status=status)


def _with_resolution_forms(
    items: list[MustResolveItem], refused: WarningResolutionForm | None
) -> list[MustResolveItem]:
    for item in items:
        if item.resolved:
            continue
        code = item.warning.code
        item.form = refused if refused and refused.code == code else WarningResolutionForm(code)
    return items


@login_required
@require_POST
def review_warning_resolve(request: AuthenticatedHttpRequest, pk: int, code: str) -> HttpResponse:
    """Resolve a must-resolve warning with a reason; an empty reason comes back at its
    field, any other refusal as a message on the overview."""
    assessment = get_review_for_user(request.user, pk)
    form = WarningResolutionForm(code, request.POST)
    if not form.is_valid():
        return _overview(request, assessment, refused=form, status=400)
    try:
        review_services.warning_resolve(
            assessment=assessment,
            consultant=request.user,
            code=code,
            reason=form.cleaned_data["reason"],
        )
    except review_services.ReviewError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Warning %(code)s resolved.") % {"code": code})
    return redirect(reverse("review", args=[pk]) + "#must-resolve")


def _dimension_or_404(state: AssessmentState, code: str) -> DimensionSpec:
    if code not in {d.code for d in state.definition.dimensions}:
        raise Http404
    return state.definition.dimension(code)


def _with_forms(rows: list[ReviewRow]) -> list[ReviewRow]:
    for row in rows:
        if row.validatable and row.form is None:
            row.form = ValidationForm(row.question, row.answer, row.validation)
    return rows


@login_required
@require_GET
def review_dimension(request: AuthenticatedHttpRequest, pk: int, code: str) -> HttpResponse:
    """One dimension's answers, each with the consultant's verdict and notes."""
    assessment = get_review_for_user(request.user, pk)
    state = assessment_state(assessment)
    return _dimension_page(request, assessment, state, _dimension_or_404(state, code))


def _dimension_page(
    request: AuthenticatedHttpRequest,
    assessment: Assessment,
    state: AssessmentState,
    dimension: DimensionSpec,
    *,
    refused: ReviewRow | None = None,
    status: int = 200,
) -> HttpResponse:
    context = _context(assessment, state)
    rows = review_rows(state, dimension, context["summary"].warnings)
    if refused is not None:
        rows = [refused if row.question.code == refused.question.code else row for row in rows]
    codes = [d.code for d in state.definition.dimensions]
    index = codes.index(dimension.code)
    context |= {
        "dimension": dimension,
        "line": context["summary"].line(dimension.code),
        "rows": _with_forms(rows),
        "previous_code": codes[index - 1] if index > 0 else None,
        "next_code": codes[index + 1] if index + 1 < len(codes) else None,
    }
    return render(request, DIMENSION, context, status=status)


def _is_htmx(request: AuthenticatedHttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _row_response(
    request: AuthenticatedHttpRequest,
    assessment: Assessment,
    code: str,
    *,
    state: AssessmentState | None = None,
    form: ValidationForm | None = None,
    status: int = 200,
    **flags: object,
) -> HttpResponse:
    """The question's row (read afresh unless `state` is given), with the score strip out
    of band for htmx, or the whole dimension page (status 400) for a refusal without it.
    `flags` are set on the row (just_saved, note_error)."""
    state = state or assessment_state(assessment)
    context = _context(assessment, state)
    question = state.definition.questions[code]
    notes = question_notes(assessment, [code])
    row = review_row(state, question, context["summary"].warnings, notes)
    row.form = form
    for name, value in flags.items():
        setattr(row, name, value)
    dimension = state.definition.dimension(question.dimension)
    if status == 400:
        return _dimension_page(request, assessment, state, dimension, refused=row, status=400)
    context |= {"row": _with_forms([row])[0], "dimension": dimension, "oob": True}
    return render(request, f"{DIMENSION}#row-response", context, status=status)


@login_required
@require_POST
def review_answer(request: AuthenticatedHttpRequest, pk: int, code: str) -> HttpResponse:
    """Confirm an answer or set its validated value (a change needs a reason)."""
    assessment = get_review_for_user(request.user, pk)
    state = assessment_state(assessment)
    question = state.definition.questions.get(code)
    answer = state.answers.get(code)
    if question is None or answer is None or not question.scored:
        raise Http404
    form = ValidationForm(question, answer, data=request.POST)
    if form.is_valid():
        try:
            # Kept on the loaded answer: the row and the scores need no second read.
            answer.validation = review_services.answer_validate(
                assessment=assessment, answer=answer, consultant=request.user, **form.cleaned
            )
        except review_services.ReviewError as refusal:
            form.add_error(None, str(refusal))
    if form.errors:  # the row again, with the consultant's input and the reasons
        status = 422 if _is_htmx(request) else 400
        return _row_response(request, assessment, code, state=state, form=form, status=status)
    if _is_htmx(request):
        return _row_response(request, assessment, code, state=state, just_saved=True)
    messages.success(request, _("%(code)s recorded.") % {"code": code})
    return redirect(_dimension_url(pk, question.dimension, code))


def _dimension_url(pk: int, dimension_code: str, question_code: str = "") -> str:
    url = reverse("review_dimension", args=[pk, dimension_code])
    return f"{url}#a-{question_code}" if question_code else url


@login_required
@require_POST
def review_dimension_confirm(request: AuthenticatedHttpRequest, pk: int, code: str) -> HttpResponse:
    """Confirm, in one step, every answer of the dimension the consultant has not changed."""
    assessment = get_review_for_user(request.user, pk)
    state = assessment_state(assessment)
    dimension = _dimension_or_404(state, code)
    try:
        confirmed = review_services.answers_confirm(
            assessment=assessment,
            consultant=request.user,
            answers=unconfirmed_answers(state, dimension),
        )
    except review_services.ReviewError as error:
        messages.error(request, str(error))
        confirmed = None
    if confirmed is not None and not _is_htmx(request):
        messages.success(request, _("%(count)d answers confirmed.") % {"count": len(confirmed)})
    if not _is_htmx(request):
        return redirect(_dimension_url(pk, code))
    state = assessment_state(assessment)
    context = _context(assessment, state)
    rows = _with_forms(review_rows(state, dimension, context["summary"].warnings))
    for row in rows:
        row.just_saved = row.question.code in (confirmed or [])
    context |= {
        "dimension": dimension,
        "line": context["summary"].line(dimension.code),
        "rows": rows,
        "oob": True,
        "confirmed": confirmed,
    }
    return render(request, f"{DIMENSION}#rows-response", context)


@login_required
@require_POST
def review_comment_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A comment or finding on the assessment, or a note on one question for the firm."""
    assessment = get_review_for_user(request.user, pk)
    form = CommentForm(request.POST)
    code = request.POST.get("question", "")
    if code and code not in assessment.questionnaire.definition.questions:
        raise Http404
    error = _("Write a comment of at most 5,000 characters.")
    if form.is_valid():
        try:
            review_services.review_comment(
                assessment=assessment,
                author=request.user,
                text=form.cleaned_data["text"],
                is_finding=form.cleaned_data["is_finding"],
                question_code=code,
            )
            error = ""
        except review_services.ReviewError as refusal:
            error = str(refusal)
    if code and _is_htmx(request):
        status = 422 if error else 200
        return _row_response(request, assessment, code, status=status, note_error=error)
    if error:
        messages.error(request, error)
    if not code:
        return redirect("review", pk)
    dimension = assessment.questionnaire.definition.questions[code].dimension
    return redirect(_dimension_url(pk, dimension, code))


@login_required
@require_POST
def review_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Return to the firm, or sign off after the consultant confirmed it on a summary."""
    assessment = get_review_for_user(request.user, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to return the assessment or to sign it off."))
        return redirect("review", pk)
    decision = form.cleaned_data
    if decision["decision"] == "sign_off" and not decision["confirmed"]:
        state = assessment_state(assessment)
        context = _context(assessment, state)
        items = must_resolve_items(assessment, context["summary"].validated_card, state.definition)
        unresolved = [item.warning.code for item in items if not item.resolved]
        if unresolved:  # the service refuses too; no confirmation to ask for meanwhile
            messages.error(request, review_services.sign_off_refusal(unresolved))
            return redirect(reverse("review", args=[pk]) + "#must-resolve")
        context["resolved"] = [item.warning.code for item in items if item.resolved]
        context["gate_gaps"] = gate_gaps(assessment, state.definition, state)
        context["contact"] = review_contact(assessment.firm_id)
        return render(request, "diagnosis/review/confirm_sign_off.html", context)
    try:
        if decision["decision"] == "return":
            review_services.review_return(
                assessment=assessment, consultant=request.user, comment=decision["comment"]
            )
            messages.success(request, _("Returned to the firm with your comments."))
            return redirect("review_queue")
        review_services.review_sign_off(assessment=assessment, consultant=request.user)
    except review_services.ReviewError as error:
        messages.error(request, str(error))
        return redirect("review", pk)
    messages.success(request, _("Signed off. The validated report is official."))
    return redirect("report", pk)


@login_required
@require_GET
def history(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The assessment's audit trail in sentences; raw data for the programme office only."""
    assessment, access = get_assessment_for_user(request.user, pk)
    return render(
        request,
        "diagnosis/review/history.html",
        {
            "assessment": assessment,
            "entries": history_entries(assessment),
            "show_data": access.is_administrator,
        },
    )
