"""A kernel "zygote": pre-imports ipykernel and the course's libraries, then forks kernels.

Run as ``python -m course.grading.zygote`` (inside the sandbox when bubblewrap is available).
It speaks JSON lines on stdin/stdout with one grading worker. Each ``spawn`` forks a child that
becomes a brand-new IPython kernel: the child starts from the zygote's memory image (modules
imported, no learner state), so every submission runs in a fresh interpreter state without
paying Python and ipykernel start-up again. A ``test`` request forks a child that never
becomes a kernel: it runs the instructor's test cells on the learner's answers as data
(:mod:`course.grading.testrun`), in an interpreter no learner code ran in. Between the learner's
kernel and the tests, and between submissions, ``reset`` kills every process left in the
sandbox and empties the scratch directories, so nothing leaks to the tests or the next learner.
The zygote is not dumpable: a kernel running as the same user cannot attach to it or read its
memory.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import signal
import sys
import traceback
from typing import Any

__all__ = ["main"]

_NOBODY = 65534


def _preload() -> None:
    from course.grading import internals

    with contextlib.suppress(Exception):
        internals.cache_course_bytecode()
    import ipykernel.ipkernel
    import ipykernel.kernelapp  # noqa: F401
    import IPython.core.interactiveshell  # noqa: F401

    for name in ("pdb", "sqlite3", "debugpy", "ipykernel.debugger", "matplotlib_inline",
                 "jedi", "IPython.core.completer", "faulthandler", "tornado.platform.asyncio",
                 # imported by every kernel on start or on its first traceback
                 "IPython.core.debugger", "IPython.core.oinspect", "IPython.core.logger",
                 "IPython.core.completerlib", "IPython.extensions.storemagic", "stack_data",
                 "executing", "pure_eval", "asttokens", "pygments.formatters.terminal256",
                 "pygments.styles", "pygments.console"):
        with contextlib.suppress(Exception):  # preloading is only an optimisation
            __import__(name)

    names = os.environ.get("COURSE_ZYGOTE_PRELOAD", "numpy,pandas,matplotlib,yaml,course")
    for name in filter(None, names.split(",")):
        with contextlib.suppress(Exception):
            __import__(name.strip())
    if os.environ.get("COURSE_ZYGOTE_WARM_DATA", "1") == "1":
        _warm_course_data()
    internals.warm_tracebacks()
    with contextlib.suppress(Exception):
        import course.grading.testrun  # noqa: F401


def _warm_course_data() -> None:
    """Parse the course's YAML data once here, so no forked kernel pays for it again.

    ``course._data.load_yaml`` caches parsed files and callers treat them as read-only, so a
    kernel that starts with a warm cache computes exactly what a cold one would.
    """
    with contextlib.suppress(Exception):
        from course._data import data_dir, load_yaml

        base = data_dir()
        for path in sorted(base.rglob("*.yaml")):
            with contextlib.suppress(Exception):
                load_yaml(str(path.relative_to(base)))
    _warm_cached_loaders()
    _warm_figures()


def _warm_cached_loaders() -> None:
    """Call the course's argument-free ``@cache`` loaders once (parsed data, compiled regexes).

    They only read the course's data files, so a kernel forked afterwards gets the very objects
    it would have built on first use, without paying for them again.
    """
    import functools
    import inspect

    for name in sorted(sys.modules):
        module = sys.modules.get(name)
        if module is None or name.startswith("course.grading") or not (
                name == "course" or name.startswith("course.")):
            continue
        for attr, fn in sorted(vars(module).items()):
            if not isinstance(fn, functools._lru_cache_wrapper) or attr.startswith("__") or (
                    getattr(fn, "__module__", None) != name):
                continue
            try:
                params = inspect.signature(fn).parameters.values()
            except (TypeError, ValueError):
                continue
            if all(p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
                   for p in params):
                with contextlib.suppress(Exception):
                    fn()


def _warm_figures() -> None:
    """Render one throwaway figure (fonts, Agg, PNG encoder) outside pyplot's figure list."""
    if "course.plotting" not in sys.modules:
        return
    with contextlib.suppress(Exception):
        import io

        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        from course.plotting import chinese_font

        family = chinese_font()
        fig = Figure(figsize=(2, 2))
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        ax.plot([0, 1], [0, 1])
        ax.set_title("阶梯水价 0123", family=family)
        ax.set_xlabel("用水量（立方米）", family=family)
        fig.savefig(io.BytesIO(), format="png")


def _limits(req: dict[str, Any]) -> None:
    for key, res in (("mem", resource.RLIMIT_AS), ("cpu", resource.RLIMIT_CPU),
                     ("nproc", resource.RLIMIT_NPROC), ("fsize", resource.RLIMIT_FSIZE)):
        value = req.get("limits", {}).get(key)
        if value:
            soft_hard = (int(value), int(value) + (1 if key == "cpu" else 0))
            with contextlib.suppress(ValueError, OSError):
                resource.setrlimit(res, soft_hard)


def _become_child(req: dict[str, Any], proto_fds: tuple[int, ...]) -> None:
    """In a forked child: own session, no protocol pipes, limits, then no root."""
    os.setsid()
    for fd in proto_fds:
        os.close(fd)
    null = os.open(os.devnull, os.O_RDWR)
    log = os.open(req.get("log") or os.devnull, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(null, 0)
    os.dup2(null, 1)
    os.dup2(log, 2)
    os.chdir(req["cwd"])
    os.environ.update(req.get("env", {}))
    home = os.environ.get("HOME", "")
    if home.startswith("/tmp/"):
        os.makedirs(home, mode=0o777, exist_ok=True)
        os.chmod(home, 0o777)
    _limits(req)
    if os.getuid() == 0 and req.get("drop_root", True):
        uid = int(req.get("uid") or _NOBODY)
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)


def _child(req: dict[str, Any], proto_fds: tuple[int, ...]) -> None:
    try:
        conn = req["connection_file"]
        with open(conn, "w", encoding="utf-8") as fh:
            json.dump(req["connection_info"], fh)
        os.chmod(conn, 0o644)
        _become_child(req, proto_fds)
        from ipykernel.kernelapp import IPKernelApp

        from course.grading import internals

        app = IPKernelApp.instance()
        # ERROR: not ipykernel's warning about TCP without encryption, once per graded notebook,
        # on the instructor's terminal (the kernel talks to its worker on loopback only).
        app.initialize(["-f", conn, "--IPKernelApp.log_level=ERROR", *req.get("argv", [])])
        internals.share_duplicate_traceback(app.shell)
        internals.cap_output(app.shell)
        app.start()
        os._exit(0)
    except BaseException:
        traceback.print_exc()
        os._exit(1)


def _test_child(req: dict[str, Any], proto_fds: tuple[int, ...]) -> None:
    try:
        _become_child(req, proto_fds)
        from course.grading.testrun import run

        result = run(req["steps"], req["answers"], float(req.get("cell_timeout") or 0))
        fd = os.open(req["result"], os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(result, fh, ensure_ascii=False)
        os._exit(0)
    except BaseException:
        traceback.print_exc()
        os._exit(1)


def _not_dumpable() -> None:
    """PR_SET_DUMPABLE 0: same-user processes cannot ptrace this one or read its /proc files."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)


class _Zygote:
    def __init__(self) -> None:
        self.exits: dict[int, int] = {}
        self.children: set[int] = set()
        self.in_pid_ns = os.environ.get("COURSE_SANDBOX_PIDNS") == "1"

    def spawn(self, req: dict[str, Any], proto_fds: tuple[int, ...]) -> dict[str, Any]:
        pid = os.fork()
        if pid == 0:
            _child(req, proto_fds)
        self.children.add(pid)
        return {"pid": pid}

    def test(self, req: dict[str, Any], proto_fds: tuple[int, ...]) -> dict[str, Any]:
        """Run the tests in a fresh child; wait up to ``timeout`` seconds for its result."""
        import time

        result_path = req["result"]
        with contextlib.suppress(FileNotFoundError):
            os.unlink(result_path)
        pid = os.fork()
        if pid == 0:
            _test_child(req, proto_fds)
        deadline = time.monotonic() + float(req.get("timeout") or 600)
        timed_out = False
        while True:
            got, status = os.waitpid(pid, os.WNOHANG)
            if got:
                break
            if time.monotonic() > deadline:
                timed_out = True
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pid, signal.SIGKILL)
                _, status = os.waitpid(pid, 0)
                break
            time.sleep(0.002)
        data = None
        with contextlib.suppress(OSError, ValueError):
            fd = os.open(result_path, os.O_RDONLY | os.O_NOFOLLOW)
            with os.fdopen(fd, encoding="utf-8") as fh:
                data = json.load(fh)
            os.unlink(result_path)
        return {"result": data, "timed_out": timed_out,
                "status": os.waitstatus_to_exitcode(status)}

    def poll(self, pid: int) -> dict[str, Any]:
        if pid in self.exits:
            return {"status": self.exits[pid]}
        try:
            got, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return {"status": self.exits.get(pid, -9)}
        if got == 0:
            return {"status": None}
        code = os.waitstatus_to_exitcode(status)
        self.exits[pid] = code
        return {"status": code}

    def signal(self, pid: int, sig: int) -> dict[str, Any]:
        for target in (lambda: os.killpg(pid, sig), lambda: os.kill(pid, sig)):
            try:
                target()
                return {"ok": True}
            except (ProcessLookupError, PermissionError):
                continue
        return {"ok": False}

    def reset(self, clear: list[str], keep_paths: list[str]) -> dict[str, Any]:
        """Kill every process this zygote started (and, in a pid namespace, all others)."""
        for pid in list(self.children):
            self.signal(pid, signal.SIGKILL)
        if self.in_pid_ns:
            me = os.getpid()
            for name in os.listdir("/proc"):
                if name.isdigit() and int(name) not in (1, me):
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.kill(int(name), signal.SIGKILL)
        for pid in list(self.children):
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        while True:  # reap re-parented grandchildren
            try:
                if os.waitpid(-1, os.WNOHANG)[0] == 0:
                    break
            except ChildProcessError:
                break
        self.children.clear()
        self.exits.clear()
        keep = set(keep_paths)
        for path in clear:
            _empty_dir(path, keep)
        return {"ok": True}


def _empty_dir(path: str, keep: set[str]) -> None:
    """Remove what is inside ``path`` but never a directory leading to one of ``keep``."""
    if not os.path.isdir(path):
        return
    for name in os.listdir(path):
        full = os.path.join(path, name)
        if any(k == full or k.startswith(full + "/") for k in keep):
            if full not in keep and os.path.isdir(full) and not os.path.islink(full):
                _empty_dir(full, keep)
            continue
        try:
            if os.path.isdir(full) and not os.path.islink(full):
                shutil.rmtree(full, ignore_errors=True)
            else:
                os.unlink(full)
        except OSError:
            pass


def main() -> None:
    """Serve spawn/test/poll/signal/reset requests until stdin closes."""
    _not_dumpable()
    _preload()
    proto_in = os.dup(0)
    proto_out = os.dup(1)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(2, 1)
    reader = os.fdopen(proto_in, "rb", buffering=0)
    writer = os.fdopen(proto_out, "wb", buffering=0)
    zygote = _Zygote()
    import gc

    gc.collect()
    gc.freeze()  # keep preloaded objects out of the children's GC: fewer copy-on-write faults
    writer.write(b'{"ready": true}\n')
    buf = b""
    while True:
        chunk = reader.read(65536)
        if not chunk:
            break
        buf += chunk
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            req = json.loads(line)
            op = req.get("op")
            if op == "spawn":
                reply = zygote.spawn(req, (proto_in, proto_out))
            elif op == "test":
                reply = zygote.test(req, (proto_in, proto_out))
            elif op == "poll":
                reply = zygote.poll(int(req["pid"]))
            elif op == "signal":
                reply = zygote.signal(int(req["pid"]), int(req["sig"]))
            elif op == "reset":
                reply = zygote.reset(list(req.get("clear", [])), list(req.get("keep", [])))
            else:
                reply = {"error": f"unknown op {op!r}"}
            writer.write(json.dumps(reply).encode() + b"\n")
    zygote.reset([], [])
    sys.exit(0)


if __name__ == "__main__":
    main()
