"""Forked grading kernels behind jupyter_client's ordinary kernel-manager interface.

:class:`Zygote` drives one ``course.grading.zygote`` process (sandboxed when possible).
:class:`ZygoteKernelManager` is an ``AsyncKernelManager`` whose provisioner asks the zygote to
fork a kernel instead of starting a new interpreter; nbclient and nbgrader's ``Execute``
preprocessor use it unchanged, so cells run and outputs are recorded exactly as in
``nbgrader autograde``. Kernels talk over IPC sockets in the worker's *box* directory, the
only part of the worker's scratch space the sandbox can see (the worker's gradebook copy and
logs stay outside it).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import signal
import subprocess
import threading
from pathlib import Path
from typing import Any

import zmq
from jupyter_client.asynchronous.client import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning.local_provisioner import LocalProvisioner

from course.itembank.learner import ENV as LEARNER_ENV

__all__ = ["RECONNECT_MS", "FastKernelClient", "Zygote", "ZygoteError", "ZygoteKernelManager"]


#: zmq reconnect interval (ms) for the sockets talking to a kernel that is still starting.
RECONNECT_MS = 5


class ZygoteError(RuntimeError):
    """The zygote process died or answered nonsense."""


#: Grading kernels run as user ids from here up, a block of :data:`UID_BLOCK` per worker
#: process: each submission gets a fresh id for its kernel and another for its tests, so a
#: learner's leftover processes (a fork bomb being reaped) count against no one else's
#: process limit, and no later process can signal or trace them.
UID_BASE = 2_000_000
UID_BLOCK = 1000


class Zygote:
    """One zygote process and its JSON-lines protocol (thread-safe)."""

    def __init__(self, argv: list[str], scratch: Path, env: dict[str, str], limits: dict[str, int],
                 sandboxed: bool) -> None:
        self.argv = argv
        self.scratch = scratch
        self.box = scratch / "box"
        self.env = env
        self.limits = limits
        self.sandboxed = sandboxed
        self.proc: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._counter = itertools.count()
        self.work = self.box / "work"
        self.ipc = self.box / "ipc"
        self.home = self.box / "home"
        self._uids = itertools.count()
        self._uid_base = UID_BASE + (os.getpid() % 1000) * UID_BLOCK
        self.kernel_uid = self.test_uid = 0
        self.learner = ""  # the submission's student id, set by the worker before each notebook
        self._next_uids()

    def _next_uids(self) -> None:
        n = next(self._uids) % (UID_BLOCK // 2)
        self.kernel_uid = self._uid_base + 2 * n
        self.test_uid = self.kernel_uid + 1

    def start(self) -> None:
        """(Re)start the zygote and wait for it to be ready."""
        self.close()
        self.box.mkdir(parents=True, exist_ok=True)
        os.chmod(self.box, 0o755)
        for d in (self.work, self.ipc, self.home):
            d.mkdir(parents=True, exist_ok=True)
            os.chmod(d, 0o777)
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=open(self.scratch / "zygote.log", "ab"),  # noqa: SIM115
                                     env=self.env, cwd=str(self.box), start_new_session=True)
        line = self.proc.stdout.readline() if self.proc.stdout else b""
        if b"ready" not in line:
            raise ZygoteError("评分内核进程没有启动，请查看 zygote.log。")

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def request(self, **req: Any) -> dict[str, Any]:
        with self._lock:
            if not self.alive():
                raise ZygoteError("评分内核进程已退出。")
            assert self.proc and self.proc.stdin and self.proc.stdout
            try:
                self.proc.stdin.write(json.dumps(req).encode() + b"\n")
                self.proc.stdin.flush()
                line = self.proc.stdout.readline()
            except (BrokenPipeError, OSError) as exc:
                raise ZygoteError("评分内核进程已退出。") from exc
            if not line:
                raise ZygoteError("评分内核进程已退出。")
            return json.loads(line)

    def spawn(self, connection_info: dict[str, Any], argv: list[str]) -> int:
        n = next(self._counter)
        conn = str(self.ipc / f"kernel-{n}.json")
        info = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in connection_info.items()}
        reply = self.request(op="spawn", connection_file=conn, connection_info=info, argv=argv,
                             cwd=str(self.work), limits=self.limits,
                             drop_root=self.sandboxed, uid=self.kernel_uid,
                             env=self._child_env(), log=str(self.ipc / "kernel.log"))
        return int(reply["pid"])

    def _child_env(self) -> dict[str, str]:
        env = {"HOME": "/tmp/home"} if self.sandboxed else {"HOME": str(self.home)}
        if self.learner:  # whose variants (course.itembank) the notebook and its tests use
            env[LEARNER_ENV] = self.learner
        return env

    def run_tests(self, steps: list[dict[str, Any]], answers: dict[str, Any],
                  cell_timeout: float, timeout: float) -> dict[str, Any]:
        """Run the instructor's cells in a clean child of the zygote (call :meth:`reset` first)."""
        clean = self.ipc / "clean"
        clean.mkdir(exist_ok=True)
        os.chmod(clean, 0o777)
        return self.request(op="test", steps=steps, answers=answers, cell_timeout=cell_timeout,
                            timeout=timeout, result=str(self.ipc / f"tests-{next(self._counter)}.json"),
                            cwd=str(clean), limits=self.limits, drop_root=self.sandboxed,
                            uid=self.test_uid,
                            env=self._child_env(), log=str(self.ipc / "tests.log"))

    def reset(self) -> None:
        """Kill everything the last submission left running and empty the scratch areas.

        The next kernel and tests run as user ids nothing has used before.
        """
        self._next_uids()
        if self.alive():
            try:
                clear = [str(self.work), str(self.ipc), str(self.home), str(self.box / "mpl")]
                if self.sandboxed:
                    clear.append("/tmp")  # the sandbox's private tmpfs
                self.request(op="reset", clear=clear, keep=[str(self.box)])
                return
            except ZygoteError:
                pass
        self.start()

    def close(self) -> None:
        if self.proc is not None:
            try:
                if self.proc.stdin:
                    self.proc.stdin.close()
                self.proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                with contextlib.suppress(OSError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
            self.proc = None


class _ForkedProcess:
    """Enough of ``subprocess.Popen`` for LocalProvisioner, backed by the zygote."""

    def __init__(self, zygote: Zygote, pid: int) -> None:
        self.zygote = zygote
        self.pid = pid
        self.returncode: int | None = None
        self.stdin = self.stdout = self.stderr = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                self.returncode = self.zygote.request(op="poll", pid=self.pid)["status"]
            except ZygoteError:
                self.returncode = -9
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        import time

        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired("kernel", timeout or 0)
            time.sleep(0.01)
        return int(self.returncode or 0)

    def send_signal(self, sig: int) -> None:
        with contextlib.suppress(ZygoteError):
            self.zygote.request(op="signal", pid=self.pid, sig=int(sig))

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class ZygoteProvisioner(LocalProvisioner):  # type: ignore[misc]
    """Launches kernels by forking the zygote (signals go through it too)."""

    zygote: Zygote | None = None

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        zygote = self.parent.zygote
        argv: list[str] = []
        skip = False
        for i, arg in enumerate(cmd):
            if i < 3 or skip:  # python -m ipykernel_launcher
                skip = False
                continue
            if arg == "-f":
                skip = True
                continue
            argv.append(arg)
        pid = zygote.spawn(self.connection_info, argv)
        self.process = _ForkedProcess(zygote, pid)
        self.pid = pid
        self.pgid = None  # the pid lives in the sandbox's pid namespace: signal via the zygote
        self.cwd = kwargs.get("cwd")
        return self.connection_info

    async def wait(self) -> int | None:
        import asyncio

        ret = 0
        if self.process:
            while await self.poll() is None:
                await asyncio.sleep(0.01)
            ret = self.process.returncode
            self.process = None
        return ret


class FastKernelClient(AsyncKernelClient):
    """A kernel client for freshly forked kernels.

    Its sockets retry connecting every :data:`RECONNECT_MS` instead of zmq's 100 ms (they
    connect before the kernel has bound its sockets), and ``wait_for_ready`` skips the fixed
    0.2 s IOPub flush after the kernel answered.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.context.setsockopt(zmq.RECONNECT_IVL, RECONNECT_MS)

    async def _async_wait_for_ready(self, timeout: float | None = None) -> None:
        import asyncio
        import time
        from queue import Empty

        deadline = time.time() + (timeout if timeout is not None else 60)
        self.kernel_info()
        while True:
            try:
                msg = await self.shell_channel.get_msg(timeout=0.5)
            except Empty:
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info") from None
                if time.time() > deadline:
                    raise RuntimeError("Kernel didn't respond in time") from None
                self.kernel_info()
                continue
            if msg["msg_type"] != "kernel_info_reply":
                continue
            try:
                await self.iopub_channel.get_msg(timeout=0.5)
            except Empty:
                self.kernel_info()
                continue
            self._handle_kernel_info_reply(msg)
            break
        while True:
            try:
                await self.iopub_channel.get_msg(timeout=0.01)
            except Empty:
                break
        await asyncio.sleep(0)

    wait_for_ready = _async_wait_for_ready


class ZygoteKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels are forked from :attr:`zygote` over IPC transport."""

    zygote: Zygote | None = None  # set on the class by the worker before grading
    _ids = itertools.count()

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("client_class", "course.grading.kernels.FastKernelClient")
        super().__init__(**kwargs)
        self.transport = "ipc"
        assert self.zygote is not None, "ZygoteKernelManager.zygote is not set"
        self.ip = str(self.zygote.ipc / f"k{os.getpid()}-{next(self._ids)}")
        self.cache_ports = False
        self.connection_file = str(self.zygote.ipc / f"{Path(self.ip).name}.json")
        # The client connects while the forked kernel is still initialising, before it has bound
        # its sockets; zmq then retries only every 100 ms, which was most of a kernel's start-up.
        self.context.setsockopt(zmq.RECONNECT_IVL, RECONNECT_MS)

    async def _async_wait(self, pollinterval: float = 0.1) -> None:
        await super()._async_wait(pollinterval=0.005)

    async def _async_pre_start_kernel(self, **kw: Any) -> Any:
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", None) or os.urandom(8).hex()
            self.provisioner = ZygoteProvisioner(kernel_id=self.kernel_id,
                                                 kernel_spec=self.kernel_spec, parent=self)
        return await super()._async_pre_start_kernel(**kw)
