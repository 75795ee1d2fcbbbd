"""Ending a student's whole process tree, including children that left their session.

On Linux the grader makes itself a child subreaper (``prctl``): a process that
a student's code forks and orphans (a daemon, a ``setsid`` child) is then
re-parented to the grader instead of to init, and :func:`end_descendants`
finds and kills it through ``/proc``. Elsewhere, the kernel's process group is
what can be ended.
"""

from __future__ import annotations

import os
import signal
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> bool:
    """Adopt every orphaned descendant (Linux); return whether that worked."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        return ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def descendants(root: int | None = None) -> list[int]:
    """Every process below ``root`` (default: this one), read from /proc; [] where there is no /proc."""
    root = os.getpid() if root is None else root
    children: dict[int, list[int]] = {}
    try:
        entries = [e for e in os.listdir("/proc") if e.isdigit()]
    except OSError:
        return []
    for entry in entries:
        try:
            with open(f"/proc/{entry}/stat", "rb") as file:
                fields = file.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue  # it ended meanwhile
        children.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], list(children.get(root, []))
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def end_group(pid: int) -> None:
    """Kill the process group led by ``pid`` (a kernel started in a session of its own)."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def end_descendants(spare: frozenset[int] = frozenset(), patience: float = 5.0) -> None:
    """Stop, kill and reap every descendant of this process but ``spare``, until none is left."""
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        pids = [pid for pid in descendants() if pid not in spare]
        if not pids:
            return
        for sig in (signal.SIGSTOP, signal.SIGKILL):  # frozen first, so that none forks meanwhile
            for pid in pids:
                try:
                    os.kill(pid, sig)
                except OSError:
                    pass
        for pid in pids:
            try:
                os.waitpid(pid, 0)  # only our children (and adopted orphans) can be reaped here
            except (ChildProcessError, OSError):
                pass
        time.sleep(0.02)
