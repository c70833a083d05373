"""Fast markup for a question's options (the largest part of a section page).

The markup of a question's options never changes for a given definition and language,
so it is built once per process; a request only marks the chosen option(s).
"""

from html import escape

from django.utils.safestring import SafeString, mark_safe

from diagnosis.scoring.definition import QuestionSpec, QuestionType

# (id(question), language) → (question, [(value, markup before "checked", markup after)]).
# Holding the question keeps its id from being reused while the entry exists.
_PARTS: dict[tuple[int, str], tuple[QuestionSpec, list[tuple[str, str, str]]]] = {}


def _choice_parts(question: QuestionSpec, name: str, language: str) -> list[tuple[str, str, str]]:
    parts = []
    for option in question.options:
        value = escape(str(option.value))
        prefix = f"{value} · " if question.type is QuestionType.LEVEL else ""
        descriptor = (
            f'<span class="d-block text-muted level-descriptor">'
            f"{escape(option.descriptor.get(language))}</span>"
            if option.descriptor
            else ""
        )
        parts.append(
            (
                str(option.value),
                f'<label class="list-group-item d-flex gap-2"><input class="form-check-input '
                f'flex-shrink-0 mt-1" type="radio" name="{name}" value="{value}"',
                f"><span><strong>{prefix}{escape(option.label.get(language))}</strong>"
                f"{descriptor}</span></label>",
            )
        )
    return parts


def _checklist_parts(
    question: QuestionSpec, name: str, language: str
) -> list[tuple[str, str, str]]:
    parts = []
    for item in question.items:
        code = escape(item.code)
        parts.append(
            (
                item.code,
                f'<div class="form-check"><input class="form-check-input" type="checkbox" '
                f'name="{name}" value="{code}" id="{name}-{code}"',
                f'><label class="form-check-label" for="{name}-{code}">'
                f"{escape(item.label.get(language))}</label></div>",
            )
        )
    return parts


def options_html(
    question: QuestionSpec, current: object, *, language: str, writable: bool
) -> SafeString:
    """Radio buttons or check boxes for the question, with `current` marked."""
    key = (id(question), language)
    if key not in _PARTS:
        name = f"q-{question.code}-value"
        build = _checklist_parts if question.type is QuestionType.CHECKLIST else _choice_parts
        _PARTS[key] = (question, build(question, name, language))
    chosen = (
        {str(value) for value in current}
        if isinstance(current, (list, tuple))
        else {"" if current is None else str(current)}
    )
    disabled = "" if writable else " disabled"
    markup = "".join(
        before + (" checked" if value in chosen else "") + disabled + after
        for value, before, after in _PARTS[key][1]
    )
    if question.type is QuestionType.CHECKLIST:
        return mark_safe(f'<div class="mb-2">{markup}</div>')  # noqa: S308 - escaped above
    return mark_safe(f'<div class="list-group mb-2">{markup}</div>')  # noqa: S308 - escaped above
