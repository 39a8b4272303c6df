"""Integration tests: a real Celery worker on the real Redis (TEST_REDIS_URL), with the suite's database.

Without a reachable Redis they are skipped with the reason; with REQUIRE_SERVICES=1 (as .ci/run sets)
they fail instead, so CI can never pass by skipping.
"""

import os

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_or_skip():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.RedisError as exc:
        reason = f"no Redis at {REDIS_URL} ({exc})"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture
def celery_worker(transactional_db):
    """A Celery app on Redis, made current, and one worker thread consuming from it."""
    import procurement

    redis_or_skip()
    app = Celery("integration", set_as_current=True)
    app.config_from_object(
        {
            "broker_url": REDIS_URL,
            "result_backend": REDIS_URL,
            "task_always_eager": False,
            "task_default_queue": "integration-tests",
            "worker_hijack_root_logger": False,
            "broker_connection_retry_on_startup": True,
        }
    )
    # The default for every thread: a task queued from inside the worker must reach this broker too.
    app.set_default()
    app.loader.import_default_modules()
    import plans.exchange.tasks
    import plans.notify.tasks
    import plans.pipeline.tasks  # noqa: F401

    try:
        with start_worker(app, perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30) as worker:
            yield worker
    finally:
        procurement.celery_app.set_default()
        procurement.celery_app.set_current()
