from collections.abc import Container, Iterable

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from diagnosis.forms.cards import goal_card_html, progress_html, question_card_html
from diagnosis.forms.sections import QuestionItem
from diagnosis.forms.widgets import options_html
from diagnosis.scoring.card import ConsistencyWarning
from diagnosis.scoring.definition import Definition, Text

register = template.Library()


@register.filter
def tr(text: Text | None) -> str:
    """A bilingual definition text in the active language."""
    return text.get(get_language() or "zh-hans") if text else ""


@register.filter
def as_str(value: object) -> str:
    return "" if value is None else str(value)


@register.filter
def contains(values: Container[object] | None, item: object) -> bool:
    return item in (values or [])


@register.filter
def percent(share: float | None) -> str:
    return "—" if share is None else f"{round(share * 100)}%"


@register.filter
def dimension_name(code: str, definition: Definition) -> str:
    return tr(definition.dimension(code).name)


EFFORT_LABELS = {"low": _("low"), "medium": _("medium"), "high": _("high")}


@register.filter
def effort_label(effort: object) -> str:
    return str(EFFORT_LABELS.get(str(effort), effort))


@register.filter
def warning_questions(warnings: Iterable[ConsistencyWarning]) -> list[str]:
    """The question codes involved in any warning, once each, in order."""
    seen: dict[str, None] = {}
    for warning in warnings:
        for code in warning.questions:
            seen.setdefault(code, None)
    return list(seen)


ACTION_LABELS = {
    "diagnosis.assessment.started": _("Assessment started"),
    "diagnosis.assessment.submitted": _("Submitted"),
    "diagnosis.assessment.in_review": _("Review started"),
    "diagnosis.assessment.returned": _("Returned to the firm"),
    "diagnosis.assessment.validated": _("Signed off"),
    "diagnosis.answer.validated": _("Answer validated"),
    "diagnosis.answer.overwritten": _("Answer replaced by a colleague's later save"),
    "diagnosis.review.commented": _("Comment added"),
}


@register.filter
def action_label(action: str) -> str:
    """A readable name for an audit action code (the code itself if unknown)."""
    return str(ACTION_LABELS.get(action, action))


@register.simple_tag
def question_options(item: QuestionItem, writable: bool) -> SafeString:
    """The option inputs of a level, choice or checklist question (see forms/widgets.py)."""
    assert item.form is not None, "section_items gives every item it returns a form"
    return options_html(
        item.spec,
        item.form["value"].value(),
        language=get_language() or "zh-hans",
        writable=writable,
    )


@register.simple_tag(takes_context=True)
def question_card(context: template.Context) -> SafeString:
    """The question card of `item` (see forms/cards.py), swapped out of band when `oob`."""
    return question_card_html(
        context["item"],
        context["assessment"],
        writable=bool(context.get("writable")),
        oob=bool(context.get("oob")),
    )


@register.simple_tag(takes_context=True)
def question_cards(context: template.Context) -> SafeString:
    """Every card of the page's `items`, as `{% for item in items %}{% question_card %}`
    would give them, in one tag (a page shows up to a dozen)."""
    assessment, writable = context["assessment"], bool(context.get("writable"))
    return mark_safe(  # noqa: S308 - each card escapes what it inserts (forms/cards.py)
        "".join(
            question_card_html(item, assessment, writable=writable) for item in context["items"]
        )
    )


@register.simple_tag(takes_context=True)
def progress_sidebar(context: template.Context) -> SafeString:
    """The progress sidebar of the page's `dimension` (see forms/cards.py)."""
    return progress_html(
        context["state"],
        context["dimension"],
        context["assessment"],
        writable=bool(context.get("writable")),
        oob=bool(context.get("oob")),
        role=context.get("role"),
    )


@register.simple_tag(takes_context=True)
def goal_card(context: template.Context) -> SafeString:
    """The goal card of the page's `dimension` (see forms/cards.py)."""
    return goal_card_html(
        context["goal_form"],
        context["dimension"],
        context["assessment"],
        writable=bool(context.get("writable")),
        saved=bool(context.get("goal_saved")),
    )
