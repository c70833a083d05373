"""Background tasks: Django's tasks framework with a small wrapper that retries.

Every task of this app is made by `@background_task` and follows three rules:

- it takes ids and plain values (JSON), never model instances: it reads the current rows
  when it runs (`enqueue_on_commit` refuses anything JSON cannot carry);
- it is enqueued after the transaction that wrote its data commits (`enqueue_on_commit`),
  so a worker never looks for rows that are not there yet, or that were rolled back;
- it is idempotent: running it again (a retry, or a task put back in the queue because
  its worker died, see diagnosis/worker.py) does no harm; each task says how.

When an attempt raises, the wrapper enqueues the task again with the same arguments,
`retry_attempt` + 1 and `run_after` = now + TASK_RETRY_DELAY_SECONDS × 2^(attempt − 1)
(± 20 %, so that many tasks failing together do not come back together), up to
`max_attempts` (TASK_MAX_ATTEMPTS) attempts; the failed attempt is recorded as failed, with
its traceback, and the last one is logged as an error. A backend that cannot defer a task
(the immediate one, in development scripts and tests) runs each task once.
"""

import functools
import json
import logging
import random
from collections.abc import Callable
from datetime import timedelta
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, Task, task, task_backends
from django.tasks.backends.immediate import ImmediateBackend
from django.utils import timezone

logger = logging.getLogger("diagnosis.tasks")


def background_task[**P, R](
    *,
    max_attempts: int | None = None,
    priority: int = 0,
    on_give_up: Callable[..., None] | None = None,
) -> Callable[[Callable[P, R]], Task[P, R]]:
    """Make a task of a function of ids that retries with exponential backoff;
    `on_give_up(*args, **kwargs)` runs after the last attempt failed."""

    def decorate(function: Callable[P, R]) -> Task[P, R]:
        @functools.wraps(function)
        def attempt_once(*args: Any, retry_attempt: int = 1, **kwargs: Any) -> R:
            try:
                return function(*args, **kwargs)
            except BaseException as error:  # SystemExit too: a worker stopped by force
                limit = max_attempts or settings.TASK_MAX_ATTEMPTS
                if not retry_later(made, args, kwargs, retry_attempt, limit, error):
                    _give_up(on_give_up, args, kwargs)
                raise

        made = cast(Task[P, R], task(attempt_once, priority=priority))
        return made

    return decorate


def _give_up(on_give_up: Callable[..., None] | None, args: tuple, kwargs: dict) -> None:
    if on_give_up is None:
        return
    try:
        on_give_up(*args, **kwargs)
    except Exception:
        logger.exception("on_give_up of a failed task failed too")


def retry_later(
    failed: Task, args: tuple, kwargs: dict, attempt: int, max_attempts: int, error: BaseException
) -> bool:
    """Queue the next attempt of a failed one, unless it was the last; returns whether
    another attempt is queued."""
    name = failed.module_path
    if attempt >= max_attempts:
        logger.error("Task %s failed for good at attempt %d: %r", name, attempt, error)
        return False
    if not failed.get_backend().supports_defer:
        logger.warning("Task %s failed (%r); this backend cannot retry it later", name, error)
        return False
    delay = retry_delay(attempt)
    try:
        failed.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
            *args, retry_attempt=attempt + 1, **kwargs
        )
    except Exception:
        logger.exception("Task %s failed and its retry could not be queued", name)
        return False
    logger.warning(
        "Task %s attempt %d failed (%r); attempt %d in %.1f s",
        name,
        attempt,
        error,
        attempt + 1,
        delay,
    )
    return True


def retry_delay(attempt: int) -> float:
    """Seconds before the attempt after `attempt` (1, 2, …): doubling, with ± 20 % jitter."""
    base = settings.TASK_RETRY_DELAY_SECONDS * 2 ** (attempt - 1)
    return base * random.uniform(0.8, 1.2)


def enqueue_on_commit[**P](queued: Task[P, Any], *args: P.args, **kwargs: P.kwargs) -> None:
    """Queue the task when the current transaction commits (at once outside one).
    Raises TypeError for an argument JSON cannot carry (a model instance, a date)."""
    try:
        json.dumps([args, kwargs])
    except TypeError as error:
        raise TypeError(f"{queued.module_path} takes ids and plain values: {error}") from None
    transaction.on_commit(lambda: queued.enqueue(*args, **kwargs))


def tasks_run_in_process() -> bool:
    """Whether tasks run in the process that queues them, at once (the immediate backend):
    work that is only worth doing ahead of time (in a worker) is then left for later."""
    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], ImmediateBackend)
