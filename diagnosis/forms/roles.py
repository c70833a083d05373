"""Answering with colleagues: the bilingual names of the roles questions are tagged with
(`role:` in the definition, a fixed vocabulary: scoring.definition.Role) and the role a
respondent chose to see only their own questions (`?role=it` on the section pages).

The choice travels in the page's URL, so the owner can send a colleague the link to their
questions; an htmx request from the page reads it from the page's URL (HX-Current-URL).
"""

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from diagnosis.scoring.definition import Definition, QuestionSpec, Role

ROLE_NAMES: dict[Role, Promise] = {
    Role.GM: pgettext_lazy("role", "General manager"),
    Role.IT: pgettext_lazy("role", "IT lead"),
    Role.PRODUCTION: pgettext_lazy("role", "Production manager"),
    Role.QUALITY: pgettext_lazy("role", "Quality manager"),
    Role.EHS: pgettext_lazy("role", "Safety and environment (EHS) lead"),
    Role.PURCHASING: pgettext_lazy("role", "Purchasing manager"),
    Role.FINANCE: pgettext_lazy("role", "Finance manager"),
    Role.HR: pgettext_lazy("role", "HR manager"),
    Role.SALES: pgettext_lazy("role", "Sales manager"),
    Role.RND: pgettext_lazy("role", "R&D lead"),
}

ROLE_PARAMETER = "role"


def role_name(role: Role) -> str:
    return str(ROLE_NAMES[role])


def definition_roles(definition: Definition) -> tuple[Role, ...]:
    """The roles the definition's questions are tagged with, in the vocabulary's order
    (none for a definition without tags, such as v1)."""
    used = {question.role for question in definition.questions.values()}
    return tuple(role for role in Role if role in used)


@dataclass(frozen=True)
class RoleChoice:
    """The role whose questions a section page shows (None: every question)."""

    role: Role | None
    roles: tuple[Role, ...]  # what the page offers; empty: no choice at all
    refused: bool = False  # a role was asked for that the questionnaire does not have

    def shows(self, question: QuestionSpec) -> bool:
        return self.role is None or question.role == self.role

    @property
    def query(self) -> str:
        """The query string that keeps the choice in a link ("" without a role)."""
        return f"?{ROLE_PARAMETER}={self.role}" if self.role else ""


def role_choice(definition: Definition, raw: str | None) -> RoleChoice:
    """The choice `raw` (a query parameter's value) names; anything the questionnaire does
    not tag questions with is refused and shows every question."""
    roles = definition_roles(definition)
    if not raw:
        return RoleChoice(None, roles)
    chosen = next((role for role in roles if role.value == raw), None)
    return RoleChoice(chosen, roles, refused=chosen is None)


def requested_role(request: HttpRequest) -> str | None:
    """The role of the page's URL: the request's own, or for an htmx request sent from a
    section page (an autosave), the page's."""
    if ROLE_PARAMETER in request.GET:
        return request.GET[ROLE_PARAMETER]
    current = request.headers.get("HX-Current-URL", "")
    values = parse_qs(urlsplit(current).query).get(ROLE_PARAMETER)
    return values[-1] if values else None
