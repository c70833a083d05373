"""Whole answer profiles on ``smart-manufacturing-v2``: every question answered at one
descriptor level k (0–5), the way the content review's simulations did (its Appendix A).

- level questions: option k;
- choices (scored or not): the option whose score is nearest 20·k (the lower one on a tie;
  options of equal score: the first in file order), so yes/partial/no gives no, no,
  partial, partial, yes, yes for k = 0…5;
- checklists: the items in file order up to the share of the item weight nearest 20·k %;
- rates: the numerator that puts the percentage at the start of the lowest band scoring at
  least 20·k (the top band where none does), over fixed denominators;
- trends: worse by 10 % for k ≤ 1, flat for k = 2, 3, better by 10 % for k ≥ 4, on fixed
  current values (a medium firm: 200 staff, revenue 20,000 万元);
- text: a sentence.

``at_level(k, **overrides)`` takes overrides as ``NET_04=1`` (a value) or ``RND_02=NA``.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from diagnosis.definitions.loader import BUNDLED_DIR, load_definition
from diagnosis.scoring import AnswerInput, Profile
from diagnosis.scoring.definition import Better, QuestionSpec, QuestionType

V2 = load_definition(BUNDLED_DIR / "smart-manufacturing-v2.yaml")

CHEMICALS = Profile(industry=26, size="medium")  # process industry, hazardous (EHS gate)
TEXTILES = Profile(industry=17, size="medium")  # not hazardous, no process module
MACHINERY = Profile(industry=34, size="medium")  # discrete: general-purpose machinery

NA = object()  # an override: "not applicable"

# Fixed figures every profile shares: the denominators of the rates and the current
# values of the trends (T−1); the previous values (T−2) follow from the trend wanted.
DENOMINATOR = 1000  # devices, processes, work orders, suppliers, units, loops …
HEADCOUNT = 200
REVENUE = Fraction(20000)  # 万元
CURRENT = {
    "OUT-12": REVENUE * Fraction(7, 10),  # cost of sales
    "OUT-14": Fraction(90),  # qualified rate, %
    "OUT-05": Fraction(90),  # on-time delivery, %
    "GRN-09": Fraction(1500),  # energy, tce
}


def target(k: int) -> int:
    """The score a level-k answer aims at."""
    return 20 * k


def nearest_option(question: QuestionSpec, k: int) -> Any:
    options = list(question.options)
    best = min(options, key=lambda option: (abs(option.score - target(k)), option.score))
    return best.value


def checklist_prefix(question: QuestionSpec, k: int) -> list[str]:
    total = sum(item.weight for item in question.items)
    prefixes = [[item.code for item in question.items[:n]] for n in range(len(question.items) + 1)]

    def share(codes: list[str]) -> float:
        return 100 * sum(item.weight for item in question.items if item.code in codes) / total

    return min(prefixes, key=lambda codes: (abs(share(codes) - target(k)), len(codes)))


def rate_percentage(question: QuestionSpec, k: int) -> Fraction:
    bands = sorted(question.bands, key=lambda band: band.start)
    reaching = [band for band in bands if band.score >= target(k)]
    band = reaching[0] if reaching else bands[-1]
    return Fraction(Decimal(str(band.start)))


def trend_change(k: int) -> Fraction:
    """The relative change in the better direction."""
    return Fraction(-1, 10) if k <= 1 else Fraction(0) if k <= 3 else Fraction(1, 10)


def as_value(question: QuestionSpec, number: Fraction) -> int | float:
    if question.integer:
        assert number.denominator == 1, (question.code, number)
        return int(number)
    return float(number)


def numbers_at(k: int) -> dict[str, Fraction]:
    """The number answers of a level-k firm, by code."""
    numbers: dict[str, Fraction] = {"TAL-12": Fraction(HEADCOUNT), "OUT-11": Fraction(HEADCOUNT)}
    numbers["STR-11"] = REVENUE
    numbers |= CURRENT
    for question in V2.questions.values():
        if question.type is QuestionType.RATE:
            base = numbers.setdefault(question.denominator, Fraction(DENOMINATOR))
            numbers[question.numerator] = base * rate_percentage(question, k) / 100
    trends = [q for q in V2.questions.values() if q.type is QuestionType.TREND]
    # Revenue per employee (OUT-01) fixes STR-12, the T−2 revenue, so the trends per
    # revenue (cost, energy) come after it.
    for question in sorted(trends, key=lambda q: q.per_previous == "STR-12"):
        change = trend_change(k) if question.better is Better.HIGHER else -trend_change(k)
        # previous ÷ per_previous = (current ÷ per_current) ÷ (1 + change)
        ratio = numbers[question.current] / (1 + change)
        if question.per_current:
            ratio = ratio / numbers[question.per_current] * numbers[question.per_previous]
        numbers[question.previous] = ratio
    numbers["STR-13"] = numbers["STR-12"]  # earlier years, unscored
    numbers["STR-15"] = numbers["STR-16"] = numbers["STR-14"]
    return numbers


def at_level(k: int, **overrides: Any) -> dict[str, AnswerInput]:
    """Every question answered at descriptor level k, then the overrides."""
    numbers = numbers_at(k)
    answers = {}
    for question in V2.questions.values():
        value: Any
        if question.type is QuestionType.LEVEL:
            value = k
        elif question.type is QuestionType.CHOICE:
            value = nearest_option(question, k)
        elif question.type is QuestionType.CHECKLIST:
            value = checklist_prefix(question, k)
        elif question.type is QuestionType.NUMBER:
            value = as_value(question, numbers[question.code])
        elif question.type is QuestionType.TEXT:
            value = "示例 / example"
        else:
            continue  # rates and trends are computed
        answers[question.code] = AnswerInput(question.code, value)
    for name, value in overrides.items():
        code = name.replace("_", "-")
        assert code in V2.questions, code
        if value is NA:
            answers[code] = AnswerInput(code, None, not_applicable=True)
        else:
            answers[code] = AnswerInput(code, value)
    return answers
