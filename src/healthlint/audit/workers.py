"""What the audit asks of the Dask workers it runs on, for as long as it runs.

Imported when an audit starts: it needs ``distributed``, an optional extra.
"""

from __future__ import annotations

from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

from healthlint.audit.checker import unsettle_memory

#: The name the plugin is registered under (registering it again replaces it).
NAME = "healthlint-audit"

#: A worker's statistical profiler: it samples the stack of the running task every 10 ms, and
#: on healthlint's deep call stacks that took 10-15% of a worker's time.
PROFILER = ("profile", "profile-cycle")

#: Seconds after an audit's end at which a worker's collector thresholds are restored: the
#: restoration sets off a full collection of what the audit left (0.15 s), which must not
#: hold up the end of the audit (the driver waits for every worker's teardown).
RESTORE_AFTER = 2.0
#: The restoration pending on this worker's event loop, if any: cancelled if another audit starts.
_restoring: Any = None


class QuietWorker(WorkerPlugin):
    """Pauses the profiler of each worker while the audit runs, and restarts it at the end
    (a shared cluster's other users keep theirs); the garbage collector's thresholds the
    audit's tasks changed (:func:`~healthlint.audit.checker.settle_memory`) are restored
    :data:`RESTORE_AFTER` seconds later."""

    def __init__(self) -> None:
        self.paused: dict[str, Any] = {}

    def setup(self, worker: Any) -> None:
        global _restoring
        if _restoring is not None:
            worker.loop.remove_timeout(_restoring)
            _restoring = None
        # Taken out, not only stopped: a worker that joins later is set up before it starts its callbacks.
        for name in PROFILER:
            callback = worker.periodic_callbacks.pop(name, None)
            if callback is not None:
                callback.stop()
                self.paused[name] = callback

    def teardown(self, worker: Any) -> None:
        for name, callback in self.paused.items():
            worker.periodic_callbacks[name] = callback
            callback.start()
        self.paused.clear()
        global _restoring
        _restoring = worker.loop.call_later(RESTORE_AFTER, _restore)


def _restore() -> None:
    global _restoring
    _restoring = None
    unsettle_memory()
