"""Run writers at the same moment, each on its own database connection, for the concurrency tests."""

import threading

from django.db import connections


def at_once(*calls, expected=()):
    """Call each function in its own thread, all released together; their results in the calls' order.

    An exception of a type in `expected` is that call's result (a writer told it lost, say); any other
    fails the test."""
    barrier = threading.Barrier(len(calls))
    results, failures = [None] * len(calls), []

    def run(index):
        try:
            barrier.wait(timeout=30)
            results[index] = calls[index]()
        except tuple(expected) as told:
            results[index] = told
        except Exception as exc:
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    return results
