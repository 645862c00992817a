"""Progress lines for long-running commands (demo loader, generators, imports)."""

import sys
import time


class Progress:
    """Prints "label: done/total (rate/s)" in place on a terminal, every 10% otherwise."""

    def __init__(self, label: str, total: int, stream=None):
        self.label = label
        self.total = max(total, 0)
        self.done = 0
        self.stream = stream or sys.stdout
        self.started = time.monotonic()
        self.interactive = getattr(self.stream, "isatty", lambda: False)()
        self.next_report = 0

    def advance(self, count: int = 1) -> None:
        self.done += count
        if self.interactive or self.done >= self.next_report or self.done == self.total:
            self._write(final=False)
            self.next_report = self.done + max(1, self.total // 10)

    def finish(self) -> None:
        self._write(final=True)

    def _write(self, final: bool) -> None:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        line = f"{self.label}: {self.done}/{self.total} ({self.done / elapsed:,.0f}/s)"
        if self.interactive:
            self.stream.write("\r" + line + ("\n" if final else ""))
        elif final or self.done < self.total:
            self.stream.write(line + "\n")
        self.stream.flush()
