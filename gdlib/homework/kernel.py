"""A student's Python kernel: its own folder, no way to the grader's output, confined where possible.

The kernel talks to the grader over Unix sockets in the grading folder (ZeroMQ's
``ipc`` transport), so it needs no network at all; its stdout and stderr go to
/dev/null; its address space is limited; it dies with the grader. With
``sandbox=True`` it runs under bubblewrap: a read-only view of the system, a
private /tmp, only the grading folder writable, no network, its own process
tree, and the folders in ``hide`` replaced by empty ones.
"""

from __future__ import annotations

import os
import queue
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

import zmq
from jupyter_client import BlockingKernelClient
from jupyter_client.connect import write_connection_file

from . import processes

STARTUP = 60.0  # seconds for a kernel to answer its first request
GRACE = 3.0  # at most this many seconds for an interrupted request to answer before the kernel is killed
FILE_LIMIT = 256 * 2**20  # bytes: the largest file the kernel may write
# Runs first in the kernel's process: limits, death with the grader, then ipykernel in its place.
LAUNCH = """\
import os, resource, sys
memory, files = int(sys.argv[1]), int(sys.argv[2])
for limit, value in [(resource.RLIMIT_AS, memory), (resource.RLIMIT_FSIZE, files), (resource.RLIMIT_CORE, 0)]:
    try:
        if value or limit == resource.RLIMIT_CORE:
            resource.setrlimit(limit, (value, value))
    except (ValueError, OSError):  # not every system enforces every limit (macOS and RLIMIT_AS)
        pass
if sys.platform.startswith("linux"):
    import ctypes
    ctypes.CDLL(None).prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL: the kernel dies with the grader
os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", "-f", sys.argv[3],
                          "--HistoryManager.enabled=False", "--IPKernelApp.capture_fd_output=False"])
"""


class KernelError(Exception):
    """The kernel could not be started."""


def bwrap() -> str | None:
    """The bubblewrap executable, or None."""
    return shutil.which("bwrap")


class Kernel:
    """One kernel process (and everything it starts) for one submission."""

    def __init__(self, folder: Path, work: Path, sandbox: bool = False, memory_mb: int = 0,
                 hide: tuple[Path, ...] = ()):
        self.folder, self.work, self.sandbox = Path(folder), Path(work), sandbox
        self.memory, self.hide = memory_mb * 2**20, tuple(Path(h) for h in hide)
        self.process = self.client = self.context = None

    # Starting ------------------------------------------------------------------------------

    def start(self, number: int) -> None:
        """Start kernel ``number`` of this submission; its sockets live in folder/ipc-<number>."""
        ipc = self.folder / f"ipc-{number}"
        ipc.mkdir(parents=True)
        self.work.mkdir(parents=True, exist_ok=True)
        connection, _ = write_connection_file(str(ipc / "kernel.json"), transport="ipc", ip=str(ipc / "k"),
                                              key=secrets.token_hex(16).encode())
        self.spare = frozenset(processes.descendants())  # what ran before this kernel is not its tree
        command = [sys.executable, "-c", LAUNCH, str(self.memory), str(FILE_LIMIT), connection]
        if self.sandbox:
            command = self._bwrap() + ["--"] + command
        self.process = subprocess.Popen(command, cwd=self.work, env=self._environment(), stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        start_new_session=True)
        self.context = zmq.Context()
        self.context.setsockopt(zmq.MAXMSGSIZE, 8 * 2**20)  # a larger message drops the connection, not us
        self.context.setsockopt(zmq.RCVHWM, 64)
        self.client = BlockingKernelClient(connection_file=connection, context=self.context)
        self.client.load_connection_file()
        self.client.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=True)
        msg_id = self.client.kernel_info()
        if self._reply(msg_id, STARTUP, "kernel_info_reply") is None:
            self.stop()
            raise KernelError("the kernel did not start" + (" (under bubblewrap)" if self.sandbox else ""))

    def _environment(self) -> dict:
        work = str(self.work)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": work, "TMPDIR": work, "LANG": "C.UTF-8",
               "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1", "MPLBACKEND": "agg",
               "MPLCONFIGDIR": str(self.work / ".matplotlib"), "IPYTHONDIR": str(self.work / ".ipython"),
               "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        env.update({k: os.environ[k] for k in ("VIRTUAL_ENV", "SYSTEMROOT") if k in os.environ})
        if os.environ.get("PYTHONPATH"):  # the teacher's own exercise modules; the kernel runs elsewhere
            paths = os.environ["PYTHONPATH"].split(os.pathsep)
            env["PYTHONPATH"] = os.pathsep.join(str(Path(p).resolve()) for p in paths if p)
        _copy_font_cache(self.work / ".matplotlib")  # else matplotlib rebuilds it: seconds per kernel
        return env

    def _bwrap(self) -> list[str]:
        """Bubblewrap's arguments: the system read-only, /tmp private, the grading folder writable."""
        needed = _needed_paths()
        args = [bwrap(), "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"]
        args += [a for p in needed if _inside(p, Path("/tmp")) for a in ("--ro-bind", str(p), str(p))]
        for hidden in self.hide:  # other submissions, the teacher's files: out of sight
            if hidden.is_dir() and not any(_inside(p, hidden) or _inside(hidden, p) for p in needed + [self.folder]):
                args += ["--tmpfs", str(hidden)]
        return args + ["--bind", str(self.folder), str(self.folder), "--chdir", str(self.work),
                       "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--die-with-parent",
                       "--new-session"]

    # Running ---------------------------------------------------------------------------------

    def execute(self, code: str, timeout: float, expressions: dict | None = None) -> tuple[str, dict]:
        """Run ``code``; return (status, reply content), status one of ok, error, timeout, stuck, dead.

        After ``timeout`` seconds the kernel is interrupted; "timeout" means it then
        answered within GRACE seconds, "stuck" that it did not (kill it), "dead" that
        its process ended.
        """
        msg_id = self.client.execute(code, silent=False, store_history=False, user_expressions=expressions or {},
                                     allow_stdin=False, stop_on_error=False)
        reply = self._reply(msg_id, timeout)
        if reply is not None:
            return reply.get("status", "error"), reply
        if not self.alive():
            return "dead", {}
        self.client.control_channel.send(self.client.session.msg("interrupt_request", {}))
        reply = self._reply(msg_id, min(GRACE, max(1.0, timeout)))
        if reply is not None:
            return "timeout", reply
        return ("stuck" if self.alive() else "dead"), {}

    def _reply(self, msg_id: str, timeout: float, kind: str = "execute_reply") -> dict | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                msg = self.client.get_shell_msg(timeout=min(0.1, max(deadline - time.monotonic(), 0.001)))
            except queue.Empty:
                if not self.alive():
                    return None
                continue
            except Exception:  # a message that does not parse or verify: not ours
                continue
            if msg.get("parent_header", {}).get("msg_id") == msg_id and msg.get("msg_type") == kind:
                content = msg.get("content")
                return content if isinstance(content, dict) else {"status": "error"}
        return None

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    # Ending -----------------------------------------------------------------------------------

    def stop(self) -> None:
        """End the kernel and every process it started, and close the sockets."""
        if self.client is not None:
            self.client.stop_channels()
        if self.process is not None:
            processes.end_group(self.process.pid)
            processes.end_descendants(self.spare)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if self.context is not None:
            self.context.destroy(linger=0)
        self.process = self.client = self.context = None


def _inside(path: Path, folder: Path) -> bool:
    try:
        return Path(path).resolve().is_relative_to(Path(folder).resolve())
    except (OSError, ValueError):
        return False


def _needed_paths() -> list[Path]:
    """What the kernel must see to run: Python, its packages, gdlib and PYTHONPATH."""
    import gdlib

    paths = {Path(sys.prefix), Path(sys.base_prefix), Path(sys.exec_prefix), Path(gdlib.__file__).parents[1]}
    paths |= {Path(p) for p in sys.path + os.environ.get("PYTHONPATH", "").split(os.pathsep) if p}
    return sorted(p.resolve() for p in paths if p.is_absolute() and p.exists())


def _copy_font_cache(target: Path) -> None:
    """Give the kernel a copy of the teacher's matplotlib font list, if there is one."""
    home = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "matplotlib"
    source = Path(os.environ.get("MPLCONFIGDIR", home))
    target.mkdir(parents=True, exist_ok=True)
    for font_list in source.glob("fontlist-*.json") if source.is_dir() else []:
        try:
            shutil.copyfile(font_list, target / font_list.name)
        except OSError:
            pass
