from diagnosis.models.assessment import (
    Answer,
    Assessment,
    DimensionGoal,
    DimensionScore,
    ScoreResult,
)
from diagnosis.models.audit import AuditEntry
from diagnosis.models.organisation import Firm, Invitation, JoinRequest, Membership, User
from diagnosis.models.questionnaire import Dimension, Option, Question, QuestionnaireVersion
from diagnosis.models.review import (
    AnswerValidation,
    Assignment,
    Provider,
    ProviderMembership,
    ReviewComment,
)

__all__ = [
    "Answer",
    "AnswerValidation",
    "Assessment",
    "Assignment",
    "AuditEntry",
    "Dimension",
    "DimensionGoal",
    "DimensionScore",
    "Firm",
    "Invitation",
    "JoinRequest",
    "Membership",
    "Option",
    "Provider",
    "ProviderMembership",
    "Question",
    "QuestionnaireVersion",
    "ReviewComment",
    "ScoreResult",
    "User",
]
