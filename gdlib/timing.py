"""Wall-clock timing for the chapters: a stopwatch and fit's progress line.

Both print times as ``wall time: 1.23 s``; the test suite masks exactly that
pattern, since no two runs take the same time.
"""

from __future__ import annotations

import time


class Stopwatch:
    """Time a block: ``with Stopwatch("label") as sw: ...`` prints the time; ``sw.seconds`` keeps it."""

    def __init__(self, label: str | None = None):
        self.label = label
        self.seconds = 0.0

    def __enter__(self) -> Stopwatch:
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        self.seconds = time.perf_counter() - self._start
        if self.label is not None:
            print(f"{self.label}: wall time: {self.seconds:.2f} s")


class Progress:
    """A one-line progress bar for ``fit(..., progress=True)``, redrawn in place with ``\\r``.

    It redraws about 50 times per run, at fixed epochs, so that the last line,
    the one a notebook keeps, is the same on every run but for the time.
    """

    WIDTH = 30

    def __init__(self, label: str, epochs: int):
        self.label, self.epochs = label, epochs
        self.every = max(1, epochs // 50)
        self._start = time.perf_counter()

    def _bar(self, epoch: int) -> str:
        filled = self.WIDTH * epoch // self.epochs
        return f"{self.label} [{'#' * filled}{'.' * (self.WIDTH - filled)}] epoch {epoch}/{self.epochs}"

    def update(self, epoch: int) -> None:
        if epoch % self.every == 0:
            print(f"\r{self._bar(epoch)}", end="", flush=True)

    def close(self, epoch: int, steps: int) -> None:
        seconds = time.perf_counter() - self._start
        print(f"\r{self._bar(epoch)}, {steps} steps, wall time: {seconds:.2f} s", flush=True)
