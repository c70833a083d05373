"""What the firm sees of the review, as blocks any page can include.

The firm page, the answering pages and the report each show the same few blocks (what
happens next and who reviews; why the assessment came back and what to fix; the
consultant's note at a question), so the blocks load their own data: a page needs no
view code for them, and pages that never show them pay nothing. The feedback is loaded
once per request and assessment, however many questions ask for it.
"""

from typing import Any

from django import template

from diagnosis.models import Assessment, Firm
from diagnosis.queries.review import (
    FEEDBACK_STATUSES,
    FirmFeedback,
    firm_feedback,
    review_contact,
)

register = template.Library()

_FEEDBACK = "_firm_feedback"  # the loaded feedback, kept on the assessment instance


def feedback_for(assessment: Assessment | None) -> FirmFeedback | None:
    """The consultant's feedback on a returned or signed-off assessment, loaded once."""
    if not isinstance(assessment, Assessment) or assessment.status not in FEEDBACK_STATUSES:
        return None
    if not hasattr(assessment, _FEEDBACK):
        setattr(assessment, _FEEDBACK, firm_feedback(assessment))
    return getattr(assessment, _FEEDBACK)


@register.inclusion_tag("diagnosis/review/_next_step.html")
def review_next_step(firm: Firm, assessment: Assessment | None = None) -> dict[str, Any]:
    """What happens next with the firm's latest assessment, and who reviews it."""
    latest = assessment if isinstance(assessment, Assessment) else None
    return {"firm": firm, "assessment": latest, "contact": review_contact(firm.pk)}


@register.inclusion_tag("diagnosis/review/_feedback.html")
def review_feedback(assessment: Assessment | None, compact: Any = False) -> dict[str, Any]:
    """Why a returned assessment came back and what to fix; `compact`: one line."""
    feedback = feedback_for(assessment)
    returned = (
        feedback is not None
        and assessment is not None
        and assessment.status == Assessment.Status.RETURNED
    )
    return {
        "assessment": assessment,
        "feedback": feedback if returned else None,
        "compact": bool(compact),
        "first_dimension": assessment.questionnaire.definition.dimensions[0].code
        if returned and assessment is not None
        else "",
    }


@register.inclusion_tag("diagnosis/review/_question_feedback.html")
def question_feedback(assessment: Assessment, code: str) -> dict[str, Any]:
    """The consultant's note and value at one question of a returned or signed-off
    assessment (nothing in any other state)."""
    feedback = feedback_for(assessment)
    return {
        "item": feedback.item(code) if feedback else None,
        "signed_off": assessment.status == Assessment.Status.VALIDATED,
    }
