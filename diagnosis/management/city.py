"""A synthetic city for benchmarks and demos (manage.py generate_city): a population of
firms over districts, divisions and size classes in Shanghai-like proportions
(population/synthetic.py), providers with consultants and a manager each, and assessments
in every status with scores from the real engine (city_profiles.py), written in bulk
(bulk.py).

Each firm that started has one or more assessments: the older ones signed off, the latest
in any status (at most one open, as the app allows). Results are stored as the scoring
service stores them: a self-assessed ScoreResult from submission on, a validated one at
sign-off, and one DimensionScore row per dimension each. The full score card JSON is kept
for the first `cards` firms only (a card is ~17 kB: a million of them would be the whole
database); the other results hold an empty card and their reports cannot be opened.

Ids are taken after the tables' highest, names and codes are derived from them, so a city
can be added to a database that has data already; each chunk of firms is one transaction.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count, Model
from django.utils import timezone

from diagnosis.current import refresh_current
from diagnosis.firmdata import District, credit_code_check_character, size_class
from diagnosis.management.bulk import next_id, reset_sequences, write_rows
from diagnosis.management.city_profiles import Profile, Profiles
from diagnosis.models import (
    Assessment,
    Assignment,
    DimensionScore,
    DistrictQuota,
    Firm,
    PopulationFirm,
    Provider,
    ProviderMembership,
    QuestionnaireVersion,
    ReviewComment,
    ScoreResult,
    User,
)
from diagnosis.population.columns import district_chinese
from diagnosis.population.synthetic import population_rows
from diagnosis.services.questionnaires import current_questionnaire
from diagnosis.services.review import CODE_ALPHABET, CODE_LENGTH, report_number

CHUNK = 5000  # firms per transaction
# The latest assessment's status, by share of the firms that started one.
LATEST_STATUS = {
    Assessment.Status.DRAFT: 14,
    Assessment.Status.SUBMITTED: 9,
    Assessment.Status.IN_REVIEW: 7,
    Assessment.Status.RETURNED: 4,
    Assessment.Status.VALIDATED: 66,
}
NOT_STARTED = 0.06  # registered firms without any assessment
UNREGISTERED = 0.1  # population entries of firms that have not registered
OUTSIDE_POPULATION = 50  # every 50th registered firm is not in the imported list
CONSULTANTS_PER_PROVIDER = 6
RETURN_TEXT = "请补充设备联网率的证据。/ Please add evidence for the connected-equipment rate."
_DISTRICT_OF = {district_chinese(value): value for value in District.values}
_SIZE_SHIFT = {"large": 0.12, "medium": 0.05, "small": 0.0, "micro": -0.08}

FIRM_COLUMNS = (
    "id",
    "name",
    "credit_code",
    "industry",
    "employees",
    "revenue",
    "size_class",
    "district",
    "created_at",
)
ENTRY_COLUMNS = (
    "id",
    "credit_code",
    "name",
    "industry",
    "district",
    "employees",
    "revenue",
    "size_class",
    "contact_name",
    "contact_email",
    "contact_phone",
    "above_scale",
    "specialised",
    "firm",
    "imported_at",
    "updated_at",
    "last_invited_at",
)
ASSESSMENT_COLUMNS = (
    "id",
    "firm",
    "questionnaire",
    "status",
    "created_at",
    "submitted_at",
    "validated_at",
    "validated_by",
    "validated_provider",
    "report_number",
    "verification_code",
    "previous",
)
RESULT_COLUMNS = (
    "id",
    "assessment",
    "kind",
    "overall",
    "level",
    "card",
    "definition_version",
    "scoring_version",
    "computed_at",
)
SCORE_COLUMNS = ("id", "result", "dimension", "score", "level", "gap")
ASSIGNMENT_COLUMNS = ("id", "firm", "provider", "consultant", "assigned_at")
COMMENT_COLUMNS = (
    "id",
    "assessment",
    "author",
    "text",
    "is_finding",
    "is_return_reason",
    "created_at",
)


def city_credit_code(serial: int) -> str:
    """A well-formed credit code of the synthetic city, unique per serial below 10 million."""
    first17 = f"91310000MC{serial:07d}"
    return first17 + credit_code_check_character(first17)


@dataclass(frozen=True)
class CityProvider:
    pk: int
    consultants: tuple[int, ...]
    review_days: float  # typical days from submission to sign-off
    return_rate: float  # share of its assessments returned once before sign-off
    weight: int  # how many firms it gets, relatively


@dataclass
class CitySummary:
    firms: int = 0
    population: int = 0
    providers: int = 0
    consultants: int = 0
    assessments: int = 0
    results: int = 0
    dimension_scores: int = 0
    statuses: dict[str, int] = field(default_factory=dict)


@dataclass
class _Rows:
    """The rows of one chunk, per table, ready to write."""

    firms: list[tuple] = field(default_factory=list)
    entries: list[tuple] = field(default_factory=list)
    assessments: list[tuple] = field(default_factory=list)
    results: list[tuple] = field(default_factory=list)
    scores: list[tuple] = field(default_factory=list)
    assignments: list[tuple] = field(default_factory=list)
    comments: list[tuple] = field(default_factory=list)


class _Ids:
    """The next id of each table, taken after its highest."""

    def __init__(self, models: list[type[Model]]) -> None:
        self._next = {model: next_id(model) for model in models}

    def peek(self, model: type[Model]) -> int:
        return self._next[model]

    def take(self, model: type[Model]) -> int:
        pk = self._next[model]
        self._next[model] = pk + 1
        return pk


USER_COLUMNS = (
    "id",
    "password",
    "email",
    "name",
    "language",
    "date_joined",
    "is_superuser",
    "is_staff",
    "is_active",
    "is_programme_admin",
)


def _providers(count: int, ids: _Ids, rng: random.Random, now: datetime) -> list[CityProvider]:
    """`count` providers, each with a manager and CONSULTANTS_PER_PROVIDER consultants
    (users without a usable password: give one to log in as them)."""
    password = make_password(None)
    providers, rows, users, memberships = [], [], [], []
    for _number in range(count):
        pk = ids.take(Provider)
        rows.append((pk, f"城市诊断服务商 {pk:03d} 有限公司", now))
        consultants = []
        for position in range(CONSULTANTS_PER_PROVIDER + 1):
            role = "manager" if position == 0 else "consultant"
            user = ids.take(User)
            email = f"{role}{user}@provider{pk}.city.example"
            name = f"{rng.choice('王李张刘陈杨黄赵周吴')}{rng.choice('伟芳敏静磊洋勇艳')} {user}"
            users.append((user, password, email, name, "zh-hans", now, False, False, True, False))
            memberships.append((ids.take(ProviderMembership), user, pk, role))
            if role == "consultant":
                consultants.append(user)
        providers.append(
            CityProvider(
                pk=pk,
                consultants=tuple(consultants),
                review_days=rng.uniform(4, 30),
                return_rate=rng.uniform(0.03, 0.3),
                weight=rng.randint(1, 5),
            )
        )
    write_rows(Provider, ("id", "name", "created_at"), rows)
    write_rows(User, USER_COLUMNS, users)
    write_rows(ProviderMembership, ("id", "user", "provider", "role"), memberships)
    return providers


def _days(value: float) -> timedelta:
    return timedelta(days=value)


def _verification_code(rng: random.Random) -> str:
    return "".join(rng.choices(CODE_ALPHABET, k=CODE_LENGTH))


# An assessment's created, submitted and validated times, and its status.
type _Dates = tuple[datetime, datetime | None, datetime | None, str]


@dataclass
class _Review:
    """Who reviews a firm's assessments."""

    provider: CityProvider | None
    consultant: int | None


class _CityBuilder:
    """Makes the rows of each chunk of firms; the random choices follow one seed."""

    def __init__(
        self,
        *,
        questionnaire: QuestionnaireVersion,
        providers: list[CityProvider],
        profiles: Profiles,
        ids: _Ids,
        rng: random.Random,
        now: datetime,
        cards: int,
    ) -> None:
        self.questionnaire = questionnaire
        self.providers = providers
        self.provider_weights = [provider.weight for provider in providers]
        self.profiles = profiles
        self.ids = ids
        self.rng = rng
        self.now = now
        self.cards = cards
        self.firms_done = 0
        self.statuses = list(LATEST_STATUS)
        self.status_weights = list(LATEST_STATUS.values())

    def population_entry(
        self, row: dict[str, str], firm: int | None, rows: _Rows, *, serial: int
    ) -> None:
        employees, revenue = int(row["employees"]), row["revenue"]
        invited = None
        if firm is None and self.rng.random() < 0.5:
            invited = self.now - _days(self.rng.uniform(3, 40))
        rows.entries.append(
            (
                self.ids.take(PopulationFirm),
                city_credit_code(serial),
                row["name"],
                int(row["industry"]),
                _DISTRICT_OF[row["district"]],
                employees,
                revenue,
                size_class(employees, Decimal(revenue)),
                row["contact_name"],
                row["contact_email"],
                row["contact_phone"],
                row["above_scale"] == "是",
                row["specialised"] == "是",
                firm,
                self.now - _days(400),
                self.now - _days(400),
                invited,
            )
        )

    def firm(self, row: dict[str, str], count: int, rows: _Rows) -> None:
        """A registered firm with `count` assessments (and its population entry, mostly)."""
        pk = self.ids.take(Firm)
        employees, revenue = int(row["employees"]), row["revenue"]
        size = size_class(employees, Decimal(revenue))
        history = self._history(count)
        registered = (history[0][0] if history else self.now) - _days(self.rng.uniform(1, 30))
        rows.firms.append(
            (
                pk,
                row["name"],
                city_credit_code(pk),
                int(row["industry"]),
                employees,
                revenue,
                size,
                _DISTRICT_OF[row["district"]],
                registered,
            )
        )
        if pk % OUTSIDE_POPULATION:
            self.population_entry(row, pk, rows, serial=pk)
        review = self._assign(pk, history, rows)
        maturity = self.rng.betavariate(2.2, 2.6) + _SIZE_SHIFT[size]
        previous = None
        for number, (created, submitted, validated, status) in enumerate(history):
            full_card = self.firms_done < self.cards
            progress = maturity + 0.025 * number + self.rng.gauss(0, 0.03)
            previous = self._assessment(
                pk,
                created,
                submitted,
                validated,
                status,
                previous,
                review,
                progress,
                rows,
                full_card=full_card,
            )
        self.firms_done += 1

    def _history(self, count: int) -> list[_Dates]:
        """(created, submitted, validated, status) of `count` assessments, oldest first: the
        older ones signed off, the latest in any status."""
        if not count:
            return []
        rng, now = self.rng, self.now
        status = rng.choices(self.statuses, self.status_weights)[0]
        review = _days(rng.uniform(1, 40))
        latest: _Dates
        if status == Assessment.Status.DRAFT:
            latest = (now - _days(rng.uniform(1, 120)), None, None, status)
        elif status == Assessment.Status.VALIDATED:
            validated = now - _days(rng.uniform(1, 300))
            submitted = validated - review
            latest = (submitted - _days(rng.uniform(3, 30)), submitted, validated, status)
        else:  # submitted, in review or returned: waiting for a decision or for the firm
            submitted = now - _days(rng.uniform(0.5, 45))
            latest = (submitted - _days(rng.uniform(3, 30)), submitted, None, status)
        history: list[_Dates] = [latest]
        for _older in range(count - 1):
            validated = history[-1][0] - _days(rng.uniform(20, 120))
            submitted = validated - _days(rng.uniform(1, 40))
            created = submitted - _days(rng.uniform(3, 30))
            history.append((created, submitted, validated, Assessment.Status.VALIDATED))
        return history[::-1]

    def _assign(self, firm: int, history: list[tuple], rows: _Rows) -> _Review:
        """Firms whose assessments a consultant handled are assigned with a consultant; of
        the others, some are assigned (some without a consultant yet), some not."""
        rng = self.rng
        reviewed = any(status != Assessment.Status.SUBMITTED for *_d, status in history[:-1])
        reviewed = reviewed or (
            bool(history)
            and history[-1][3]
            in (
                Assessment.Status.IN_REVIEW,
                Assessment.Status.RETURNED,
                Assessment.Status.VALIDATED,
            )
        )
        if not reviewed and rng.random() < (0.6 if history else 0.2):
            return _Review(None, None)
        provider = rng.choices(self.providers, self.provider_weights)[0]
        consultant = rng.choice(provider.consultants) if reviewed or rng.random() < 0.5 else None
        assigned = (history[0][0] if history else self.now) + _days(rng.uniform(0, 3))
        rows.assignments.append(
            (self.ids.take(Assignment), firm, provider.pk, consultant, assigned)
        )
        return _Review(provider, consultant)

    def _assessment(
        self,
        firm: int,
        created: datetime,
        submitted: datetime | None,
        validated: datetime | None,
        status: str,
        previous: int | None,
        review: _Review,
        maturity: float,
        rows: _Rows,
        *,
        full_card: bool,
    ) -> int:
        pk = self.ids.take(Assessment)
        signed = validated is not None
        provider = review.provider.pk if signed and review.provider else None
        rows.assessments.append(
            (
                pk,
                firm,
                self.questionnaire.pk,
                status,
                created,
                submitted,
                validated,
                review.consultant if signed else None,
                provider,
                report_number(pk, validated.year) if validated else None,
                _verification_code(self.rng) if signed else None,
                previous,
            )
        )
        if submitted is None:
            return pk
        self._result(pk, "self", self.profiles.near(maturity + 0.03), submitted, rows, full_card)
        if validated is not None:
            validated_maturity = maturity - 0.02 + self.rng.gauss(0, 0.02)
            profile = self.profiles.near(validated_maturity)
            self._result(pk, "validated", profile, validated, rows, full_card)
        self._return_comment(pk, status, submitted, validated, review, rows)
        return pk

    def _result(
        self, assessment: int, kind: str, profile: Profile, at: datetime, rows: _Rows, full: bool
    ) -> None:
        pk = self.ids.take(ScoreResult)
        rows.results.append(
            (
                pk,
                assessment,
                kind,
                profile.overall,
                profile.level,
                profile.card if full else "{}",
                self.profiles.definition_version,
                self.profiles.scoring_version,
                at,
            )
        )
        take = self.ids.take
        rows.scores.extend(
            (take(DimensionScore), pk, dimension, score, level, gap)
            for dimension, score, level, gap in profile.dimensions
        )

    def _return_comment(
        self,
        assessment: int,
        status: str,
        submitted: datetime,
        validated: datetime | None,
        review: _Review,
        rows: _Rows,
    ) -> None:
        """The return reason of a returned assessment, and of signed-off ones that were
        returned once on the way (as often as their provider returns)."""
        if review.provider is None or review.consultant is None:
            return
        returned = status == Assessment.Status.RETURNED
        if not returned and not (validated and self.rng.random() < review.provider.return_rate):
            return
        end = validated or self.now
        at = submitted + (end - submitted) * self.rng.uniform(0.1, 0.6)
        rows.comments.append(
            (
                self.ids.take(ReviewComment),
                assessment,
                review.consultant,
                RETURN_TEXT,
                False,
                True,
                at,
            )
        )


def _counts(firms: int, assessments: int, rng: random.Random) -> list[int]:
    """How many assessments each of `firms` firms has: a share none, every other at least
    one, the rest spread at random (so some have many, most a few)."""
    started = [index for index in range(firms) if rng.random() >= NOT_STARTED]
    counts = [0] * firms
    if assessments <= len(started):
        for index in rng.sample(started, assessments):
            counts[index] = 1
        return counts
    for index in started:
        counts[index] = 1
    for index in rng.choices(started, k=assessments - len(started)):
        counts[index] += 1
    return counts


def _write(rows: _Rows) -> None:
    write_rows(Firm, FIRM_COLUMNS, rows.firms)
    write_rows(PopulationFirm, ENTRY_COLUMNS, rows.entries)
    write_rows(Assignment, ASSIGNMENT_COLUMNS, rows.assignments)
    write_rows(Assessment, ASSESSMENT_COLUMNS, rows.assessments)
    write_rows(ScoreResult, RESULT_COLUMNS, rows.results)
    write_rows(DimensionScore, SCORE_COLUMNS, rows.scores)
    write_rows(ReviewComment, COMMENT_COLUMNS, rows.comments)


WRITTEN: list[type[Model]] = [
    Provider,
    User,
    ProviderMembership,
    Firm,
    PopulationFirm,
    Assignment,
    Assessment,
    ScoreResult,
    DimensionScore,
    ReviewComment,
]


def _quotas() -> None:
    """A quota for each district without one: 70 % of its population."""
    existing = set(DistrictQuota.objects.values_list("district", flat=True))
    for district, firms in (
        PopulationFirm.objects.values_list("district").annotate(n=Count("pk")).order_by()
    ):
        if district not in existing:
            DistrictQuota.objects.create(district=district, target=round(firms * 0.7))


def generate_city(
    *,
    firms: int,
    assessments: int,
    seed: int = 2026,
    cards: int = 1000,
    progress: Callable[[str], None] | None = None,
) -> CitySummary:
    """Add a synthetic city of `firms` registered firms (plus population entries of firms
    not registered yet) and `assessments` assessments to the database."""
    questionnaire = current_questionnaire()
    if questionnaire is None:
        raise ValueError("Publish a questionnaire first (manage.py load_questionnaire --publish).")
    rng = random.Random(seed)
    now = timezone.now()
    ids = _Ids(WRITTEN)
    profiles = Profiles(questionnaire, seed=seed)
    with transaction.atomic():
        providers = _providers(max(3, min(60, firms // 2500)), ids, rng, now)
    builder = _CityBuilder(
        questionnaire=questionnaire,
        providers=providers,
        profiles=profiles,
        ids=ids,
        rng=rng,
        now=now,
        cards=cards,
    )
    counts = _counts(firms, assessments, rng)
    unregistered = round(firms * UNREGISTERED / (1 - UNREGISTERED))
    population = population_rows(firms + unregistered, seed=seed)
    for start in range(0, firms, CHUNK):
        rows = _Rows()
        for count in counts[start : start + CHUNK]:
            builder.firm(next(population), count, rows)
        with transaction.atomic():
            _write(rows)
        if progress:
            progress(f"{min(start + CHUNK, firms)} of {firms} firms")
    rows = _Rows()
    for _entry in range(unregistered):
        builder.population_entry(
            next(population), None, rows, serial=5_000_000 + ids.peek(PopulationFirm)
        )
    with transaction.atomic():
        _write(rows)
        _quotas()
        reset_sequences(WRITTEN)
        refresh_current()  # written in bulk, past the signals
    return summary(len(providers))


def summary(providers: int) -> CitySummary:
    """What the database holds now (not only what this run added)."""
    statuses = dict(Assessment.objects.values_list("status").annotate(n=Count("pk")).order_by())
    return CitySummary(
        firms=Firm.objects.count(),
        population=PopulationFirm.objects.count(),
        providers=providers,
        consultants=ProviderMembership.objects.filter(role="consultant").count(),
        assessments=sum(statuses.values()),
        results=ScoreResult.objects.count(),
        dimension_scores=DimensionScore.objects.count(),
        statuses=statuses,
    )
