"""Markup of an answering page's question cards and progress sidebar, built in Python.

A section page is mostly question cards. Their text, options, labels and attribute lists
depend only on the questionnaire version and the language, so that markup is escaped and
joined once per process (`_CardParts`); a request adds what depends on the answers, the
form and the assessment, each piece escaped as it is inserted. Nothing is cached that a
request could change: answers, notes, errors and revisions are read on every request.
"""

from dataclasses import dataclass
from datetime import datetime
from html import escape

from django import forms
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.dateformat import time_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from diagnosis.forms.sections import QuestionItem
from diagnosis.forms.widgets import options_html
from diagnosis.models import Assessment
from diagnosis.queries.assessments import AssessmentState
from diagnosis.scoring.definition import NOT_MEASURED, DimensionSpec, QuestionSpec, QuestionType
from diagnosis.templatetags.review_tags import question_feedback

EVIDENCE_ACCEPT = ".pdf,.png,.jpg,.jpeg,.gif,.webp,.doc,.docx,.xls,.xlsx,.ppt,.pptx"
REVIEW_STATUSES = (Assessment.Status.RETURNED, Assessment.Status.VALIDATED)


@dataclass(frozen=True)
class _CardParts:
    """A question's markup that depends only on the question and the language."""

    question: QuestionSpec  # held so that its id, the cache key, is not reused
    code: str
    hx_params: str
    legend: str
    error_text: str
    saved: str
    answered: str
    saving: str
    help: str
    value_label: str
    unit: str
    na_label: str
    na_default_note: str  # shown while "not applicable" is preset by the firm's profile
    not_measured_label: str
    note_summary: str
    evidence_prefix: str
    evidence_hint: str  # what the firm could upload (v2's `evidence`), or ""


_PARTS: dict[tuple[int, str], _CardParts] = {}


def _text(text: object, language: str) -> str:
    return escape(text.get(language)) if text else ""  # type: ignore[attr-defined]


def _card_parts(question: QuestionSpec, language: str) -> _CardParts:
    key = (id(question), language)
    parts = _PARTS.get(key)
    if parts is None:
        code = escape(question.code)
        prefix = f"q-{code}-"
        na = f"{prefix}na," if question.allow_na else ""
        if question.type is QuestionType.NUMBER:
            na += f"{prefix}not_measured,"
        parts = _CardParts(
            question=question,
            code=code,
            hx_params=f"{prefix}value,{na}{prefix}note,{prefix}evidence,"
            f"{prefix}remove_evidence,{prefix}rev",
            legend=f'<legend class="h6 mb-2"><span class="badge text-bg-light me-1">{code}'
            f"</span>{_text(question.text, language)}</legend>",
            error_text=escape(_("Not saved: check your connection and change the answer again.")),
            saved=escape(_("Saved")),
            answered=escape(_("Answered")),
            saving=escape(_("Saving…")),
            help=f'<p class="form-text mt-0">{_text(question.help, language)}</p>'
            if question.help
            else "",
            value_label=f'<label class="visually-hidden" for="id_{prefix}value">'
            f"{_text(question.text, language)}</label>",
            unit=f'<span class="input-group-text">{_text(question.unit, language)}</span>'
            if question.unit
            else "",
            na_label=escape(_("Not applicable to our firm")),
            na_default_note=f'<p class="form-text mt-0" data-testid="na-default-{code}">'
            + escape(_("Pre-set to not applicable for your industry — change it if it applies"))
            + "</p>"
            if question.na_default_when
            else "",
            not_measured_label=escape(_("Not measured: the firm does not keep this figure")),
            note_summary=escape(_("Note and evidence")),
            evidence_prefix=escape(_("Evidence:")),
            evidence_hint=_evidence_hint(question, language),
        )
        _PARTS[key] = parts
    return parts


def _evidence_hint(question: QuestionSpec, language: str) -> str:
    """The line naming the documents that support an answer; none without a hint (v1)."""
    if not question.evidence:
        return ""
    line = escape(_("Suggested evidence: %(evidence)s")) % {
        "evidence": _text(question.evidence, language)
    }
    code = escape(question.code)
    return (
        f'        <p class="form-text small mb-1" data-testid="evidence-hint-{code}">{line}</p>\n'
    )


# (id(question), field name) → (question, the input's attributes after its name and value).
_WIDGET_ATTRIBUTES: dict[tuple[int, str], tuple[QuestionSpec, str]] = {}


def widget_html(bound: forms.BoundField, question: QuestionSpec) -> str:
    """The field's input as Django renders it, written directly for the number input, text
    area and check box of an answer without errors; any other case goes through Django."""
    widget = bound.field.widget
    writer = _WRITERS.get(type(widget))
    value = bound.value()
    if writer is None or bound.errors or bound.field.disabled or not _plain(widget, value):
        return str(bound)
    key = (id(question), bound.name)
    cached = _WIDGET_ATTRIBUTES.get(key)
    if cached is None:  # the attributes come from the question (limits), never the answer
        cached = (question, _attributes({**widget.attrs, "id": bound.auto_id}))
        _WIDGET_ATTRIBUTES[key] = cached
    shown = None if value is None or value == "" or isinstance(value, bool) else str(value)
    return writer(escape(bound.html_name), shown, value is True, cached[1])


def _attributes(attributes: dict[str, object]) -> str:
    """HTML attributes in order, as django/forms/widgets/attrs.html writes them."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(str(value))}"'
        for name, value in attributes.items()
        if value is not False
    )


def _plain(widget: forms.Widget, value: object) -> bool:
    """Whether the value is one this module writes as Django would (else Django does)."""
    if isinstance(widget, forms.CheckboxInput):
        return value is None or isinstance(value, bool)
    return value is None or (isinstance(value, (str, int, float)) and not isinstance(value, bool))


def _number_input(name: str, shown: str | None, _checked: bool, attributes: str) -> str:
    value = "" if shown is None else f' value="{escape(shown)}"'
    return f'<input type="number" name="{name}"{value}{attributes}>'


def _textarea(name: str, shown: str | None, _checked: bool, attributes: str) -> str:
    return f'<textarea name="{name}"{attributes}>\n{escape(shown or "")}</textarea>'


def _checkbox(name: str, _shown: str | None, checked: bool, attributes: str) -> str:
    return f'<input type="checkbox" name="{name}"{attributes}{" checked" if checked else ""}>'


_WRITERS = {
    forms.NumberInput: _number_input,
    forms.Textarea: _textarea,
    forms.CheckboxInput: _checkbox,
}


def _errors(errors: object, attributes: str) -> str:
    return "".join(f"<div {attributes}>{escape(str(error))}</div>" for error in errors)  # type: ignore[attr-defined]


_PK, _CODE = 9876543210123, "ZZCODEZZ"
_URL_PATTERNS: dict[tuple[str, str], str] = {}


def _url(name: str, pk: int, code: str) -> str:
    """reverse(name, args=[pk, code]), escaped for an attribute: a card names several URLs
    and a page shows dozens of cards, so each URL's pattern is reversed once per process
    (and script prefix), not once per card (questionnaire codes need no quoting)."""
    key = (name, get_script_prefix())
    pattern = _URL_PATTERNS.get(key)
    if pattern is None:
        pattern = _URL_PATTERNS[key] = reverse(name, args=[_PK, _CODE])
    return escape(pattern.replace(str(_PK), str(pk), 1).replace(_CODE, code, 1))


def _time(value: datetime) -> str:
    return escape(time_format(localtime(value), "H:i"))


def question_card_html(
    item: QuestionItem, assessment: Assessment, *, writable: bool, oob: bool = False
) -> SafeString:
    """One question's card (a fieldset the page swaps in place after an autosave)."""
    if not item.spec.asked:
        return computed_card_html(item, oob=oob)
    form = item.form
    assert form is not None, "section_items gives every item it returns a form"
    spec = item.spec
    language = get_language() or "zh-hans"
    parts = _card_parts(spec, language)
    code = parts.code
    answer = item.answer
    classes = ("" if item.visible else " is-hidden") + (" border-danger" if form.errors else "")
    if writable:
        url = _url("answer_autosave", assessment.pk, spec.code)
        behaviour = (
            f'hx-post="{url}" hx-trigger="change" hx-target="this" hx-swap="outerHTML" '
            f'hx-encoding="multipart/form-data" hx-sync="this:queue last" '
            f'hx-params="{parts.hx_params}"'
        )
    else:
        behaviour = "disabled"
    if item.just_saved:
        status = f'<span class="text-success" data-testid="saved">✓ {parts.saved}</span>'
    elif item.answered:
        status = f'<span class="text-success">✓ {parts.answered}</span>'
    else:
        status = ""
    swap = 'hx-swap-oob="true"' if oob else ""
    visible = "true" if item.visible else "false"
    html = [
        f'<fieldset id="q-{code}" class="card mb-3 question-card{classes}"\n'
        f'  data-testid="question-{code}" data-visible="{visible}"\n'
        f"  {swap}\n  {behaviour}>\n"
        f'  <div class="card-body">\n    <div class="d-flex justify-content-between gap-2">\n'
        f"      {parts.legend}\n"
        f'      <span class="answer-status small text-nowrap" role="status" '
        f'data-error-text="{parts.error_text}">\n        {status}\n'
        f'        <span class="saving text-muted">{parts.saving}</span>\n      </span>\n'
        f"    </div>\n    {parts.help}\n",
    ]
    if assessment.status in REVIEW_STATUSES:
        html.append(_review_feedback(assessment, spec.code))
    html.append(_alerts(item))
    html.append(_errors(form.non_field_errors(), 'class="text-danger small"'))
    value = form["value"]
    if spec.type in (QuestionType.KPI, QuestionType.NUMBER, QuestionType.TEXT):
        width = "" if spec.type is QuestionType.TEXT else " w-auto"
        html.append(
            f'\n      {parts.value_label}\n      <div class="input-group mb-2{width}">\n'
            f"        {widget_html(value, spec)}\n        {parts.unit}\n      </div>\n"
        )
    else:
        html.append(options_html(spec, value.value(), language=language, writable=writable))
    html.append(_errors(value.errors, 'class="text-danger small" data-testid="error"'))
    if "na" in form.fields:
        na = form["na"]
        html.append(
            f'\n      <div class="form-check mb-2">\n        {widget_html(na, spec)} '
            f'<label class="form-check-label" for="{escape(na.id_for_label)}">'
            f"{parts.na_label}</label>\n      </div>\n"
        )
        if item.defaulted:
            html.append(parts.na_default_note)
    if "not_measured" in form.fields:
        not_measured = form["not_measured"]
        html.append(
            f'\n      <div class="form-check mb-2">\n        {widget_html(not_measured, spec)} '
            f'<label class="form-check-label" for="{escape(not_measured.id_for_label)}">'
            f"{parts.not_measured_label}</label>\n      </div>\n"
        )
    html.append(_note_and_evidence(item, assessment, parts, writable=writable))
    revision = answer.revision if answer is not None else 0
    html.append(
        f'\n    <input type="hidden" name="q-{code}-rev" value="{revision}">\n'
        f"  </div>\n</fieldset>\n"
    )
    return mark_safe("".join(html))  # noqa: S308 - every inserted value is escaped above


def computed_card_html(item: QuestionItem, *, oob: bool = False) -> SafeString:
    """A rate's or trend's card: what it is computed from and its value, never an input."""
    spec = item.spec
    language = get_language() or "zh-hans"
    parts = _card_parts(spec, language)
    code = parts.code
    if spec.type is QuestionType.RATE:
        formula = f"{escape(spec.numerator)} ÷ {escape(spec.denominator)}"
    else:
        formula = escape(_("change from %(previous)s to %(current)s")) % {
            "previous": escape(spec.previous),
            "current": escape(spec.current),
        }
    value = item.computed
    if value == NOT_MEASURED:
        shown = escape(_("Not measured: counts 0 points and is listed as a finding"))
    elif isinstance(value, (int, float)):
        sign = "+" if spec.type is QuestionType.TREND and value > 0 else ""
        shown = f"<strong>{sign}{value:.1f} %</strong>"
    else:
        shown = escape(_("Shown once the figures it is computed from are entered."))
    swap = ' hx-swap-oob="true"' if oob else ""
    hidden = "" if item.visible else " is-hidden"
    html = (
        f'<fieldset id="q-{code}" class="card mb-3 question-card is-computed{hidden}"'
        f' data-testid="question-{code}" data-visible="{"true" if item.visible else "false"}"'
        f"{swap} disabled>\n"
        f'  <div class="card-body">\n    {parts.legend}\n    {parts.help}\n'
        f'    <p class="small mb-0" data-testid="computed-{code}">'
        f"{escape(_('Computed, not asked:'))} {formula} = {shown}</p>\n"
        f"{parts.evidence_hint}  </div>\n</fieldset>\n"
    )
    return mark_safe(html)  # noqa: S308 - every inserted value is escaped above


def _review_feedback(assessment: Assessment, code: str) -> str:
    return render_to_string(
        "diagnosis/review/_question_feedback.html", question_feedback(assessment, code)
    )


def _alerts(item: QuestionItem) -> str:
    html = ""
    overwrite = item.overwrite
    if overwrite:
        message = _(
            "%(author)s changed this answer at %(time)s, after you opened the page. Your "
            "answer has replaced theirs; the earlier answer is kept in the assessment's history."
        ) % {
            "author": escape(str(overwrite.previous_author)),  # type: ignore[attr-defined]
            "time": _time(overwrite.previous_at),  # type: ignore[attr-defined]
        }
        html += (
            '\n      <div class="alert alert-warning py-2 small" role="alert" '
            f'data-testid="overwrite">\n        {message}\n      </div>\n'
        )
    if item.changed_by_other and item.answer is not None:
        message = _("%(author)s changed this answer at %(time)s. It now shows their answer.") % {
            "author": escape(str(item.answer.answered_by)),
            "time": _time(item.answer.answered_at),
        }
        html += (
            '\n      <div class="alert alert-info py-2 small" role="alert" '
            f'data-testid="changed-by-other">\n        {message}\n      </div>\n'
        )
    return html


def _note_and_evidence(
    item: QuestionItem, assessment: Assessment, parts: _CardParts, *, writable: bool
) -> str:
    form = item.form
    assert form is not None
    answer = item.answer
    note, evidence = form["note"], form["evidence"]
    note_value = note.value()
    has_evidence = answer is not None and bool(answer.evidence)
    is_open = note_value or evidence.errors or note.errors or has_evidence
    disabled = "" if writable else " disabled"
    html = [
        f"\n    <details{' open' if is_open else ''}>\n"
        f'      <summary class="small text-muted">{parts.note_summary}</summary>\n'
        f'      <div class="mt-2">\n'
        f'        <label class="form-label small" for="{escape(note.id_for_label)}">'
        f"{escape(str(note.label))}</label>\n"
        f'        <textarea name="{escape(note.html_name)}" id="{escape(note.id_for_label)}" '
        f'rows="2" maxlength="2000" class="form-control mb-2'
        f'{" is-invalid" if note.errors else ""}"{disabled}>'
        f"{escape(str(note_value if note_value is not None else ''))}</textarea>\n"
        f"        {_errors(note.errors, 'class="invalid-feedback"')}\n"
    ]
    if has_evidence and answer is not None:
        url = _url("evidence_download", assessment.pk, item.spec.code)
        html.append(
            f'          <p class="small mb-1">{parts.evidence_prefix} <a href="{url}">'
            f"{escape(answer.evidence_name)}</a></p>\n"
        )
        if writable:
            remove = form["remove_evidence"]
            html.append(
                f'          <div class="form-check mb-2"><input class="form-check-input" '
                f'type="checkbox" name="{escape(remove.html_name)}" '
                f'id="{escape(remove.id_for_label)}"><label class="form-check-label small" '
                f'for="{escape(remove.id_for_label)}">{escape(str(remove.label))}</label></div>\n'
            )
    html.append(parts.evidence_hint)
    if writable:
        invalid = " is-invalid" if evidence.errors else ""
        html.append(
            f'          <label class="form-label small" for="{escape(evidence.id_for_label)}">'
            f"{escape(str(evidence.label))}</label>\n"
            f'          <input type="file" name="{escape(evidence.html_name)}" '
            f'id="{escape(evidence.id_for_label)}" class="form-control form-control-sm{invalid}" '
            f'accept="{EVIDENCE_ACCEPT}">\n'
            f"          "
            f"{_errors(evidence.errors, 'class="invalid-feedback" data-testid="error"')}\n"
        )
    html.append("      </div>\n    </details>")
    return "".join(html)


def progress_html(
    state: AssessmentState,
    dimension: DimensionSpec,
    assessment: Assessment,
    *,
    writable: bool,
    oob: bool = False,
    role: str | None = None,
) -> SafeString:
    """The sidebar: overall progress, each dimension's count and a link to its page; with
    a `role`, the counts are of that role's questions and the links keep the role."""
    language = get_language() or "zh-hans"
    by_dimension = state.progress_by_dimension(role)
    keep_role = f"?role={escape(role)}" if role else ""
    overall = state.overall_progress()
    text = _("%(answered)s of %(total)s answered") % {
        "answered": overall.answered,
        "total": overall.total,
    }
    swap = 'hx-swap-oob="true"' if oob else ""
    html = [
        f'\n<div id="progress" {swap}>\n'
        f'  <div class="small mb-1" data-testid="progress-text">{text}</div>\n'
        f'  <progress class="progress-native mb-3" value="{overall.answered}" '
        f'max="{overall.total}" aria-label="{escape(_("Overall progress"))}">'
        f"{overall.percent}%</progress>\n"
        f'  <div class="list-group small">\n'
    ]
    for spec, progress in by_dimension:
        active = " active" if spec.code == dimension.code else ""
        url = _url("section", assessment.pk, spec.code) + keep_role
        if role and not progress.total:
            count = "–"  # nothing for this role in the dimension
        else:
            count = "✓" if progress.complete else f"{progress.answered}/{progress.total}"
        html.append(
            f'      <a class="list-group-item list-group-item-action d-flex '
            f'justify-content-between{active}" href="{url}" '
            f'data-testid="nav-{escape(spec.code)}">\n'
            f"        <span>{_text(spec.name, language)}</span>\n"
            f'        <span class="text-nowrap ms-2">{count}</span>\n      </a>\n'
        )
    html.append("  </div>\n")
    if writable:
        url = escape(reverse("submit", args=[assessment.pk]))
        html.append(
            f'  <a class="btn btn-sm btn-outline-success mt-3 w-100" href="{url}">'
            f"{escape(_('Review and submit'))}</a>"
        )
    html.append("\n</div>\n")
    return mark_safe("".join(html))  # noqa: S308 - every inserted value is escaped above


def goal_card_html(
    goal_form: forms.Form,
    dimension: DimensionSpec,
    assessment: Assessment,
    *,
    writable: bool,
    saved: bool = False,
) -> SafeString:
    """The dimension's ambition: target level and relevance, autosaved on change."""
    code = escape(dimension.code)
    behaviour = ""
    if writable:
        url = _url("goal_autosave", assessment.pk, dimension.code)
        names = ",".join(escape(field.html_name) for field in goal_form)
        behaviour = (
            f'hx-post="{url}" hx-trigger="change" hx-target="this" hx-swap="outerHTML" '
            f'hx-params="{names}"'
        )
    status = f'<span class="text-success">✓ {escape(_("Saved"))}</span>' if saved else ""
    html = [
        f'\n<div id="goal-{code}" class="card mb-3 border-primary-subtle bg-primary-subtle"\n'
        f"  {behaviour}>\n"
        f'  <div class="card-body">\n    <div class="d-flex justify-content-between">\n'
        f'      <h2 class="h6">{escape(_("Your ambition for this dimension"))}</h2>\n'
        f'      <span class="answer-status small" role="status" data-error-text="'
        f'{escape(_("Not saved: check your connection and change it again."))}">{status}'
        f'<span class="saving text-muted">{escape(_("Saving…"))}</span></span>\n'
        f'    </div>\n    <div class="row">\n'
    ]
    disabled = "" if writable else " disabled"
    for field in goal_form:
        current = "" if field.value() is None else str(field.value())
        options = "".join(
            f'<option value="{escape(str(value))}"'
            f"{' selected' if str(value) == current else ''}>{escape(str(label))}</option>"
            for value, label in field.field.choices  # type: ignore[attr-defined]
        )
        label_for = escape(field.id_for_label)
        html.append(
            f'      <div class="col-md-6">\n'
            f'        <label class="form-label" for="{label_for}">{escape(str(field.label))}'
            f"</label>\n"
            f'        <select name="{escape(field.html_name)}" id="{label_for}" '
            f'class="form-select{" is-invalid" if field.errors else ""}"{disabled}>\n'
            f"          {options}\n        </select>\n"
            f"        {_errors(field.errors, 'class="invalid-feedback"')}\n      </div>\n"
        )
    html.append("    </div>\n  </div>\n</div>\n")
    return mark_safe("".join(html))  # noqa: S308 - every inserted value is escaped above
