"""Wall-clock seconds per named stage of a load or a build (shown by the benchmark), and how much
each stage raised the process's peak memory: the stages that raised it are where the peak is."""

import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


class Stopwatch:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.peak_raised_mb: dict[str, float] = {}  # by how much the process's peak memory rose in it

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started, peak = time.perf_counter(), _peak_mb()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started
            self.peak_raised_mb[name] = self.peak_raised_mb.get(name, 0.0) + _peak_mb() - peak
