"""Two officers edit the same procurement at once, 100 edits each, on PostgreSQL: no update is lost."""

import random
import threading
import time

import pytest
from django.db import connection, connections

from plans.models import HistoryEntry, Procurement
from plans.register import services
from tests.factories import ProcurementFactory

pytestmark = pytest.mark.integration
EDITS = 100


@pytest.fixture
def on_postgresql(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("the concurrent-writers test needs PostgreSQL's row locks (set DATABASE_URL)")


def test_two_concurrent_writers_lose_no_update(on_postgresql, falun_plan, serv, officer, plan_admin):
    procurement = ProcurementFactory(plan=falun_plan, department=serv, ref="RACE-1", title="Start")
    accepted, refused, failures = [], [], []

    def writer(name, user, seed):
        chooser = random.Random(seed)
        try:
            for number in range(EDITS):
                # Load the page (the version the form carries), think a moment, save.
                loaded = Procurement.objects.get(pk=procurement.pk)
                time.sleep(chooser.random() / 500)
                title = f"{name} {number}"
                try:
                    saved = services.procurement_update(
                        procurement=loaded, data={"title": title}, expected_version=loaded.version, user=user
                    )
                except services.StaleEdit:
                    refused.append(title)  # this writer was told: the page shows both versions
                else:
                    accepted.append((saved.version, title))
        except Exception as exc:
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=writer, args=("A", officer, 1)),
        threading.Thread(target=writer, args=("B", plan_admin, 2)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert failures == []
    assert len(accepted) + len(refused) == 2 * EDITS
    assert refused, "the writers never collided: the test proves nothing"
    final = Procurement.objects.get(pk=procurement.pk)
    # Every accepted edit moved the version by one, in order, and the last one is what is stored.
    assert sorted(version for version, _title in accepted) == list(range(2, 2 + len(accepted)))
    assert final.version == 1 + len(accepted)
    assert final.title == max(accepted)[1]
    # And every accepted edit is in the history, with its before and after.
    history = list(
        HistoryEntry.objects.filter(procurement=procurement, action="changed").values_list(
            "changes", flat=True
        )
    )
    assert sorted(entry["title"][1] for entry in history) == sorted(title for _version, title in accepted)
    print(
        f"\n[measure] concurrent edits: {2 * EDITS} tried, {len(accepted)} accepted, "
        f"{len(refused)} refused, 0 lost"
    )
