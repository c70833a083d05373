"""The database refuses changes to answers and goals of an assessment that is not open.

The views check the status before saving, but a save that passed the check can still
reach the database after a colleague's submission committed. A trigger on each table
closes that gap for every writer. On PostgreSQL it holds the assessment's row (FOR KEY
SHARE) while it checks, so a submission in progress finishes first and the save is then
refused, or the submission waits for the save and scores it. SQLite writes one at a
time, so the check always sees the latest status.
"""

from django.db import migrations

OPEN = "('draft', 'returned')"  # Assessment.OPEN_STATUSES
MESSAGE = "assessment is not open for answers"  # services.assessments.CLOSED_MARKER
TABLES = ("diagnosis_answer", "diagnosis_dimensiongoal")

POSTGRESQL = [
    f"""
    CREATE FUNCTION diagnosis_refuse_closed_assessment() RETURNS trigger AS $$
    BEGIN
        PERFORM 1 FROM diagnosis_assessment
        WHERE id = NEW.assessment_id AND status IN {OPEN} FOR KEY SHARE;
        IF NOT FOUND THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    *(
        f"CREATE TRIGGER {table}_only_while_open BEFORE INSERT OR UPDATE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION diagnosis_refuse_closed_assessment()"
        for table in TABLES
    ),
]
POSTGRESQL_REVERSE = [
    *(f"DROP TRIGGER {table}_only_while_open ON {table}" for table in TABLES),
    "DROP FUNCTION diagnosis_refuse_closed_assessment()",
]

SQLITE = [
    f"CREATE TRIGGER {table}_only_while_open_{event.lower()} BEFORE {event} ON {table} "
    f"WHEN (SELECT status FROM diagnosis_assessment WHERE id = NEW.assessment_id) "
    f"NOT IN {OPEN} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
    for table in TABLES
    for event in ("INSERT", "UPDATE")
]
SQLITE_REVERSE = [
    f"DROP TRIGGER {table}_only_while_open_{event.lower()}"
    for table in TABLES
    for event in ("INSERT", "UPDATE")
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("diagnosis", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
