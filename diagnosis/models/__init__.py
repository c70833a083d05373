from diagnosis.models.assessment import (
    Answer,
    Assessment,
    DimensionGoal,
    DimensionScore,
    FirmCurrent,
    ScoreResult,
)
from diagnosis.models.audit import AuditEntry
from diagnosis.models.benchmark import BenchmarkCell, BenchmarkRefresh
from diagnosis.models.figures import ResultCell, ResultRefresh, ReviewFigure
from diagnosis.models.organisation import Firm, Invitation, JoinRequest, Membership, User
from diagnosis.models.programme import (
    DistrictOfficer,
    DistrictQuota,
    OutreachCampaign,
    OutreachMessage,
    PopulationFirm,
    PopulationImport,
    PopulationImportProblem,
)
from diagnosis.models.questionnaire import Dimension, Option, Question, QuestionnaireVersion
from diagnosis.models.report import ReportPdf
from diagnosis.models.review import (
    AnswerValidation,
    Assignment,
    Provider,
    ProviderMembership,
    ReviewComment,
    WarningResolution,
)
from diagnosis.models.worker import PeriodicJobRun, WorkerHeartbeat

__all__ = [
    "Answer",
    "AnswerValidation",
    "Assessment",
    "Assignment",
    "AuditEntry",
    "BenchmarkCell",
    "BenchmarkRefresh",
    "Dimension",
    "DimensionGoal",
    "DimensionScore",
    "DistrictOfficer",
    "DistrictQuota",
    "Firm",
    "FirmCurrent",
    "Invitation",
    "JoinRequest",
    "Membership",
    "Option",
    "OutreachCampaign",
    "OutreachMessage",
    "PeriodicJobRun",
    "PopulationFirm",
    "PopulationImport",
    "PopulationImportProblem",
    "Provider",
    "ProviderMembership",
    "Question",
    "QuestionnaireVersion",
    "ReportPdf",
    "ResultCell",
    "ResultRefresh",
    "ReviewComment",
    "ReviewFigure",
    "ScoreResult",
    "User",
    "WarningResolution",
    "WorkerHeartbeat",
]
