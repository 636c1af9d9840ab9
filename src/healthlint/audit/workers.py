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


class QuietWorker(WorkerPlugin):
    """Pauses the profiler of each worker while the audit runs, and restarts it at the end
    (a shared cluster's other users keep theirs); the garbage collector's settings the
    audit's tasks changed (:func:`~healthlint.audit.checker.settle_memory`) are restored then too."""

    def __init__(self) -> None:
        self.paused: dict[str, Any] = {}

    def setup(self, worker: Any) -> None:
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
        unsettle_memory()
