"""Database sessions, read with one hand-written statement.

A session is loaded on nearly every request; `diagnosis/rows.py` says why that lookup skips
the ORM's query compilation. Saving, expiry and `clearsessions` are Django's own.
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import connections, router
from django.utils import timezone

from diagnosis.rows import Part, RowQuery

_SESSION = RowQuery(
    [Part(Session, "s")], "FROM {s} s WHERE s.session_key = %s AND s.expire_date > %s"
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Session | None:
        using = router.db_for_read(Session)
        now = connections[using].ops.adapt_datetimefield_value(timezone.now())
        row = _SESSION.fetch([self.session_key, now], using=using) if self.session_key else None
        if row is None:
            self._session_key = None
            return None
        return row[0]
