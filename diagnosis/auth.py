"""Django's model authentication backend, with the per-request user lookup in one statement.

The user is loaded on nearly every request; `queries/rows.py` says why that lookup skips
the ORM's query compilation. Authentication itself is Django's.
"""

from django.contrib.auth import backends

from diagnosis.models import User
from diagnosis.queries.rows import Part, RowQuery

_USER = RowQuery([Part(User, "u")], "FROM {u} u WHERE u.id = %s")


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id) -> User | None:
        try:
            row = _USER.fetch([int(user_id)])
        except (TypeError, ValueError):
            return None
        if row is None:
            return None
        user = row[0]
        return user if self.user_can_authenticate(user) else None
