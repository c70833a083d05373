"""The consultant's side: work queue, review screen, answer validation, decisions; history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from diagnosis.forms.review import CommentForm, DecisionForm, ValidationForm
from diagnosis.http import AuthenticatedHttpRequest
from diagnosis.models import AuditEntry
from diagnosis.permissions import get_assessment_for_user, get_review_for_user, review_queue_for
from diagnosis.queries.assessments import assessment_state
from diagnosis.queries.review import queue_counts, review_rows
from diagnosis.services import review as review_services


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


@login_required
@require_GET
def review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = get_review_for_user(request.user, pk)
    state = assessment_state(assessment)
    sections = review_rows(state)
    for _dimension, rows in sections:
        for row in rows:
            row.form = ValidationForm(row.question)
    return render(
        request,
        "diagnosis/review/review.html",
        {
            "assessment": assessment,
            "state": state,
            "rows": sections,
            "comments": assessment.comments.select_related("author"),
            "comment_form": CommentForm(),
            "decision_form": DecisionForm(),
            "reviewable": assessment.status in review_services.REVIEWABLE,
        },
    )


@login_required
@require_POST
def review_answer(request: AuthenticatedHttpRequest, pk: int, code: str) -> HttpResponse:
    assessment = get_review_for_user(request.user, pk)
    state = assessment_state(assessment)
    question = state.definition.questions.get(code)
    answer = state.answers.get(code)
    if question is None or answer is None:
        raise Http404
    form = ValidationForm(question, data=request.POST)
    if form.is_valid():
        try:
            review_services.answer_validate(
                assessment=assessment, answer=answer, consultant=request.user, **form.cleaned
            )
        except review_services.ReviewError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(code)s recorded.") % {"code": code})
    else:
        messages.error(request, f"{code}: " + " ".join(form.error_messages()))
    return redirect(f"{_review_url(pk)}#a-{code}")


def _review_url(pk: int) -> str:
    return reverse("review", args=[pk])


@login_required
@require_POST
def review_comment_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = get_review_for_user(request.user, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            review_services.review_comment(
                assessment=assessment, author=request.user, **form.cleaned_data
            )
        except review_services.ReviewError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, _("Write a comment of at most 5,000 characters."))
    return redirect("review", pk)


@login_required
@require_POST
def review_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = get_review_for_user(request.user, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to return the assessment or to sign it off."))
        return redirect("review", pk)
    try:
        if form.cleaned_data["decision"] == "return":
            review_services.review_return(
                assessment=assessment, consultant=request.user, comment=form.cleaned_data["comment"]
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
    assessment, _access = get_assessment_for_user(request.user, pk)
    entries = AuditEntry.objects.filter(assessment=assessment).select_related("actor")
    return render(
        request, "diagnosis/review/history.html", {"assessment": assessment, "entries": entries}
    )
