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
from django.utils.translation import gettext_lazy

from diagnosis.scoring.definition import Definition, QuestionSpec, Role

ROLE_NAMES: dict[Role, Promise] = {
    Role.GM: gettext_lazy("General manager"),
    Role.IT: gettext_lazy("IT lead"),
    Role.PRODUCTION: gettext_lazy("Production manager"),
    Role.QUALITY: gettext_lazy("Quality manager"),
    Role.EHS: gettext_lazy("Safety and environment (EHS) lead"),
    Role.PURCHASING: gettext_lazy("Purchasing manager"),
    Role.FINANCE: gettext_lazy("Finance manager"),
    Role.HR: gettext_lazy("HR manager"),
    Role.SALES: gettext_lazy("Sales manager"),
    Role.RND: gettext_lazy("R&D lead"),
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
