"""A kernel "zygote": pre-imports ipykernel and the course's libraries, then forks kernels.

Run as ``python -m course.grading.zygote`` (inside the sandbox when bubblewrap is available).
It speaks JSON lines on stdin/stdout with one grading worker. Each ``spawn`` forks a child that
becomes a brand-new IPython kernel: the child starts from the zygote's memory image (modules
imported, no learner state), so every submission runs in a fresh interpreter state without
paying Python and ipykernel start-up again. Between submissions ``reset`` kills every process
left in the sandbox and empties the scratch directories, so nothing leaks to the next learner.
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

__all__ = ["main", "source_digest"]

_NOBODY = 65534


def _cache_course_bytecode() -> None:
    """Keep the code compiled from the course package's source files (no ``.pyc`` is written).

    With ``PYTHONDONTWRITEBYTECODE`` (and a read-only sandbox) every load of a course module
    compiles its source again, and ``checks.fresh_module`` loads one in nearly every hidden
    test. Code compiled here while preloading is reused when a kernel compiles the very same
    bytes from the same file; anything else compiles as usual.
    """
    import importlib.machinery

    import course

    prefixes = tuple(os.path.realpath(p) + os.sep for p in course.__path__)
    loader = importlib.machinery.SourceFileLoader
    original = loader.source_to_code
    cache: dict[tuple[str, bytes], Any] = {}

    def source_to_code(self: Any, data: Any, path: Any, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs or not isinstance(data, bytes) or not isinstance(path, str) or (
                not os.path.realpath(path).startswith(prefixes)):
            return original(self, data, path, *args, **kwargs)
        key = (path, data)
        code = cache.get(key)
        if code is None:
            code = cache[key] = original(self, data, path)
        return code

    loader.source_to_code = source_to_code  # type: ignore[method-assign]


def _preload() -> None:
    with contextlib.suppress(Exception):
        _cache_course_bytecode()
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
    _warm_tracebacks()


def _warm_tracebacks() -> None:
    """Format one traceback through ``course.grading.checks`` the way a kernel will.

    A failing hidden test is the commonest output of a grading kernel. Its first traceback
    fills caches that only depend on the files involved: ``inspect.getmodule``'s map of every
    loaded module's file (a realpath per module), ``linecache`` and stack_data's parsed source
    of ``checks.py``. Forked kernels start with them filled and format the same text.
    """
    with contextlib.suppress(Exception):
        _reuse_highlighting_lexer()
    with contextlib.suppress(Exception):
        import inspect

        from IPython.core.ultratb import AutoFormattedTB

        inspect.getmodule(sys._getframe())
        try:
            from course.grading.checks import expect_number

            expect_number(None, "warm")
        except Exception as exc:
            for theme in ("neutral", "nocolor"):
                AutoFormattedTB(mode="Context", theme_name=theme, tb_offset=1).structured_traceback(
                    type(exc), exc, exc.__traceback__)


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


def _restore_course_modules() -> None:
    """Re-execute any ``course`` module in which a function or method was replaced from ``__main__``.

    Run before each hidden test cell, so a learner's monkeypatch
    (``course.coach.review = lambda *a: 满分``) cannot fool the tests.
    """
    import importlib
    import types

    def patched(obj: Any) -> bool:
        return (isinstance(obj, (types.FunctionType, types.MethodType, type))
                and getattr(obj, "__module__", None) == "__main__")

    for name in sorted(n for n in list(sys.modules) if n == "course" or n.startswith("course.")):
        mod = sys.modules.get(name)
        if mod is None:
            continue
        bad = False
        for value in list(vars(mod).values()):
            if patched(value):
                bad = True
                break
            if (isinstance(value, type) and value.__module__ == name
                    and any(patched(v) for v in vars(value).values())):
                bad = True
                break
        if bad:
            with contextlib.suppress(Exception):
                importlib.reload(mod)


def source_digest(source: str) -> str:
    """Digest by which the kernel recognises a hidden test cell's source."""
    import hashlib

    return hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()


def _install_restore_hook(shell: Any, digests: frozenset[str]) -> None:
    """Restore patched ``course`` modules right before any cell whose source is a test cell's."""

    def _before_test_cell(info: Any) -> None:
        try:
            raw = getattr(info, "raw_cell", None)
            if isinstance(raw, str) and source_digest(raw) in digests:
                _restore_course_modules()
        except Exception:  # never let the hook add output to a learner's cell
            pass

    shell.events.register("pre_run_cell", _before_test_cell)


def _reuse_highlighting_lexer() -> None:
    """Give stack_data's traceback highlighter one lexer class instead of one per frame.

    ``stack_data.utils._pygmented_with_ranges`` subclasses pygments' Python lexer on every call,
    so pygments compiles the whole Python grammar again for each frame of each traceback. This
    version subclasses it once and passes the ranges on the instance: same tokens, same text.
    """
    import pygments
    import stack_data.core
    from pygments.lexers import get_lexer_by_name

    base = type(get_lexer_by_name("python3"))

    class RangesLexer(base):  # type: ignore[misc, valid-type]
        ranges: Any = ()

        def get_tokens(self, text: str, *args: Any, **kwargs: Any) -> Any:
            length = 0
            ranges = self.ranges
            for ttype, value in super().get_tokens(text, *args, **kwargs):
                if any(start <= length < end for start, end in ranges):
                    ttype = ttype.ExecutingNode
                length += len(value)
                yield ttype, value

    def pygmented_with_ranges(formatter: Any, code: str, ranges: Any) -> list[str]:
        lexer = RangesLexer(stripnl=False)
        lexer.ranges = ranges
        try:
            highlighted = pygments.highlight(code, lexer, formatter)
        except Exception:  # as stack_data: unhighlighted code rather than no traceback
            highlighted = code
        return highlighted.splitlines()

    RangesLexer(stripnl=False)  # compile the grammar here, once
    stack_data.core._pygmented_with_ranges = pygmented_with_ranges


def _share_duplicate_traceback(shell: Any) -> None:
    """Format each exception once, not twice, per cell.

    IPython formats a cell's exception for display and then again, with the same arguments,
    for its history. The second call gets a copy of the first's result: the same text, half
    the work (stack_data, pygments and source parsing for every frame).
    """
    tb = getattr(shell, "InteractiveTB", None)
    original = getattr(tb, "structured_traceback", None)
    if original is None:
        return
    last: list[Any] = []

    def structured_traceback(etype: Any, evalue: Any = None, etb: Any = None,
                             tb_offset: Any = None, context: int = 5) -> Any:
        offset = tb.tb_offset if tb_offset is None else tb_offset
        same = (etype, evalue, etb)
        settings = (offset, context, tb.mode, getattr(tb, "_theme_name", None))
        if last and last[1] == settings and all(a is b for a, b in zip(last[0], same,
                                                                      strict=True)):
            result = list(last[2])
            last.clear()  # reuse at most once
            tb.tb = etb[0] if isinstance(etb, tuple) else etb
            return result
        last.clear()
        result = original(etype, evalue, etb, tb_offset, context)
        if etype is not None and isinstance(result, list):
            last[:] = [same, settings, list(result)]
        return result

    def _forget(*_args: Any) -> None:
        last.clear()

    tb.structured_traceback = structured_traceback
    shell.events.register("pre_run_cell", _forget)


#: Characters of stdout + stderr a cell may print before the kernel drops the rest. Twice the
#: worker's per-output limit (``LimitOutputSize.max_chars``), so output over that limit is still
#: truncated and flagged there; a flood no longer piles up in the kernel's memory and the
#: message queue, where the address-space limit turned it into a dead kernel.
KERNEL_OUTPUT_CAP = 2_000_000


def _cap_output(shell: Any, cap: int = KERNEL_OUTPUT_CAP) -> None:
    """Drop what a cell prints beyond ``cap`` characters (a note says so); reset per cell."""
    printed = [0]
    note = f"\n…（本单元格输出超过 {cap} 个字符，其余输出已丢弃）\n"
    for stream in (sys.stdout, sys.stderr):
        original = stream.write

        def write(text: Any, original: Any = original) -> int:
            if not isinstance(text, str) or printed[0] > cap:
                return original(text) if not isinstance(text, str) else len(text)
            printed[0] += len(text)
            if printed[0] > cap:
                original(text[: max(0, len(text) - (printed[0] - cap))] + note)
                return len(text)
            return original(text)

        stream.write = write  # type: ignore[method-assign]

    def _reset(*_args: Any) -> None:
        printed[0] = 0

    shell.events.register("pre_run_cell", _reset)


def _child(req: dict[str, Any], proto_fds: tuple[int, ...]) -> None:
    try:
        os.setsid()
        for fd in proto_fds:
            os.close(fd)
        null = os.open(os.devnull, os.O_RDWR)
        log = os.open(req.get("log") or os.devnull, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.dup2(null, 0)
        os.dup2(null, 1)
        os.dup2(log, 2)
        conn = req["connection_file"]
        with open(conn, "w", encoding="utf-8") as fh:
            json.dump(req["connection_info"], fh)
        os.chmod(conn, 0o644)
        os.chdir(req["cwd"])
        os.environ.update(req.get("env", {}))
        home = os.environ.get("HOME", "")
        if home.startswith("/tmp/"):
            os.makedirs(home, mode=0o777, exist_ok=True)
            os.chmod(home, 0o777)
        _limits(req)
        if os.getuid() == 0 and req.get("drop_root", True):
            os.setgroups([])
            os.setgid(_NOBODY)
            os.setuid(_NOBODY)
        from ipykernel.kernelapp import IPKernelApp

        app = IPKernelApp.instance()
        # ERROR: not ipykernel's warning about TCP without encryption, once per graded notebook,
        # on the instructor's terminal (the kernel talks to its worker on loopback only).
        app.initialize(["-f", conn, "--IPKernelApp.log_level=ERROR", *req.get("argv", [])])
        _share_duplicate_traceback(app.shell)
        _cap_output(app.shell)
        restore = frozenset(req.get("restore") or ())
        if restore:
            _install_restore_hook(app.shell, restore)
        app.start()
        os._exit(0)
    except BaseException:
        traceback.print_exc()
        os._exit(1)


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
    """Serve spawn/poll/signal/reset requests until stdin closes."""
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
