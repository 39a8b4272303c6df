"""Redis goes down during the remiss: pages still work, an action that notifies still succeeds, and the
mail goes out exactly once when Redis is back (the outbox is drained by a worker)."""

import shutil
import socket
import subprocess
import time

import pytest
import time_machine
from celery import Celery
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.urls import reverse

from plans.models import EarlyInvolvement, Notification
from plans.notify import outbox as notification_outbox
from plans.notify import tasks
from tests.conftest import REMISS_DAY
from tests.factories import ProcurementFactory

pytestmark = pytest.mark.integration


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class OwnRedis:
    """A redis-server of this test's own, on a free port, that the test stops and starts."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def own_redis():
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    redis = OwnRedis()
    redis.start()
    yield redis
    if redis.process.poll() is None:
        redis.stop()


@pytest.fixture
def celery_on(own_redis):
    """Make a Celery app on the test's own Redis the default for every thread, as the real one would be."""
    import procurement

    app = Celery("outage", set_as_current=True)
    app.config_from_object(
        {
            "broker_url": own_redis.url,
            "result_backend": own_redis.url,
            "task_always_eager": False,
            "task_default_queue": "outage-tests",
            "task_publish_retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.1},
            "broker_connection_timeout": 1,
            "broker_connection_retry_on_startup": True,
            "worker_hijack_root_logger": False,
        }
    )
    app.set_default()
    import plans.exchange.tasks
    import plans.notify.tasks  # noqa: F401

    yield app
    procurement.celery_app.set_default()
    procurement.celery_app.set_current()


def test_a_notification_survives_a_redis_outage_and_is_sent_once(
    celery_on, own_redis, transactional_db, client, falun_plan, serv, politician, officer
):
    procurement = ProcurementFactory(
        plan=falun_plan, department=serv, ref="OUT-1", estimated_value_sek=150_000_000, officer=officer
    )
    own_redis.stop()
    client.force_login(politician)
    with time_machine.travel(REMISS_DAY):
        # Every page still answers while the broker is down ...
        for name in ("plan", "review", "followup"):
            assert client.get(reverse(f"plans:{name}", args=["falun", 2027])).status_code == 200
        assert client.get(procurement.get_absolute_url()).status_code == 200
        # ... and the action that queues a mail succeeds.
        response = client.post(reverse("plans:involvement", args=["falun", 2027, "OUT-1"]), {"text": "Nu"})
    assert response.status_code == 302
    assert EarlyInvolvement.objects.filter(procurement=procurement).exists()
    waiting = Notification.objects.get(kind="involvement")
    assert waiting.sent_at is None and mail.outbox == []

    own_redis.start()
    with start_worker(celery_on, perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30):
        assert tasks.drain_outbox.delay().get(timeout=60) == 1  # what beat runs every five minutes
        assert tasks.drain_outbox.delay().get(timeout=60) == 0  # and again: nothing twice
        assert (
            notification_outbox.send_notification.delay(waiting.pk).get(timeout=60) is False
        )  # a late delivery too
    assert [message.to for message in mail.outbox] == [[officer.email]]
    waiting.refresh_from_db()
    assert waiting.sent_at is not None
