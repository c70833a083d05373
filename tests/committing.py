"""Tests run inside a transaction that never commits, so what the code queues for after
its commit (emails, background tasks: diagnosis/tasks.py) would never run. `with
committed():` runs it when the block ends, as a committed request or service would."""

from contextlib import AbstractContextManager

from django.test import TestCase


def committed() -> AbstractContextManager[list]:
    """Run the on-commit callbacks registered in the block (and those they register)."""
    return TestCase.captureOnCommitCallbacks(execute=True)
