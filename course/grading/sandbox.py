"""The grading sandbox: bubblewrap command lines and resource limits for grading kernels.

Where ``bwrap`` is available every grading kernel runs with no network, a read-only view of
the system, the course directory hidden (no gradebook, no ``source/`` solutions, no other
learners' files), the places secrets live hidden (homes, ``/etc/water-course``, databases),
write access only to its worker's *box* (never the worker's gradebook copy or logs) and a
private tmpfs, and rlimits on memory, CPU time, processes and file size. Its environment is
built from scratch (:func:`kernel_environment`): no variable of the instructor's reaches it.
Without ``bwrap`` grading still works; :func:`sandbox_status` says so in Chinese and the
runner warns.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = ["HIDDEN_PATHS", "Limits", "SandboxStatus", "kernel_environment", "sandbox_status",
           "zygote_command"]

#: Directories covered by an empty tmpfs in the sandbox (besides the course directory).
HIDDEN_PATHS = ("/tmp", "/var/tmp", "/home", "/root", "/run", "/srv", "/mnt", "/media",
                "/etc/water-course", "/etc/jupyterhub", "/var/lib", "/var/log", "/var/mail",
                "/var/spool", "/var/backups", "/opt/water-course/secrets")


@dataclass(frozen=True)
class Limits:
    """Resource limits applied to every grading kernel."""

    mem_bytes: int = 2 * 1024**3
    cpu_seconds: int = 600
    nproc: int = 256
    fsize_bytes: int = 64 * 1024**2

    def as_dict(self) -> dict[str, int]:
        """The limits in the zygote's wire format."""
        return {"mem": self.mem_bytes, "cpu": self.cpu_seconds, "nproc": self.nproc,
                "fsize": self.fsize_bytes}


@dataclass(frozen=True)
class SandboxStatus:
    """Whether grading kernels can be sandboxed here, with a Chinese explanation."""

    available: bool
    path: str
    message: str

    def __str__(self) -> str:
        return self.message


@cache
def sandbox_status() -> SandboxStatus:
    """Probe ``bwrap`` once: present and able to create namespaces?"""
    path = shutil.which("bwrap") or ""
    if not path:
        return SandboxStatus(False, "", "未找到 bubblewrap（bwrap）：学员代码将在没有沙箱的情况下运行。"
                             "请用 `apt-get install bubblewrap` 安装。")
    try:
        proc = subprocess.run(
            [path, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--unshare-net",
             "--unshare-pid", "--die-with-parent", sys.executable, "-c", "print('ok')"],
            capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return SandboxStatus(False, path, f"bwrap 无法运行（{exc}）：学员代码将在没有沙箱的情况下运行。")
    if proc.returncode != 0 or "ok" not in proc.stdout:
        reason = (proc.stderr or "").strip().splitlines()[-1:] or ["未知原因"]
        return SandboxStatus(False, path, f"bwrap 无法创建隔离环境（{reason[0]}）：学员代码将在没有沙箱的"
                             "情况下运行。请检查内核是否允许非特权用户命名空间。")
    return SandboxStatus(True, path, "沙箱可用：评分内核无网络、系统只读、看不到成绩册和其他学员的文件。")


def _package_dirs(course_root: str) -> list[str]:
    """Directories the kernel must still see: the interpreter, its libraries, the course package.

    The course directory itself (and its ancestors) never appear: when the package is installed
    from the course directory only ``course/`` and the virtualenv are mounted back.
    """
    import course

    dirs = {sys.prefix, sys.base_prefix, os.path.dirname(os.path.abspath(course.__file__))}
    dirs |= {p for p in sys.path if p and os.path.isdir(p)}
    out = []
    for d in sorted({os.path.realpath(d) for d in dirs}):
        if d == course_root or course_root.startswith(d.rstrip("/") + "/"):
            continue
        out.append(d)
    return out


def kernel_environment(box: Path, preload: str) -> dict[str, str]:
    """The whole environment of a grading zygote and its kernels: nothing inherited but paths.

    Only ``PATH`` (this interpreter's directory first) and ``PYTHONPATH`` come from the
    instructor's environment; database URLs, passwords, tokens and everything else stay out.
    """
    bindir = os.path.dirname(sys.executable)
    env = {
        "PATH": os.pathsep.join([bindir, "/usr/local/bin", "/usr/bin", "/bin"]),
        "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "HOME": str(box / "home"), "TMPDIR": "/tmp",
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "MPLCONFIGDIR": str(box / "mpl"), "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONNOUSERSITE": "1", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "NBGRADER_EXECUTION": "autograde", "COURSE_ZYGOTE_PRELOAD": preload,
    }
    if os.environ.get("PYTHONPATH"):
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return env


def zygote_command(box: Path, course_root: Path, sandbox: bool,
                   hide: tuple[str, ...] = ()) -> list[str]:
    """The command line that starts a zygote, wrapped in bwrap when ``sandbox`` is true.

    ``box`` is the part of the worker's scratch space kernels may use (bound read-write at the
    same path); ``course_root``, :data:`HIDDEN_PATHS` and ``hide`` are covered by empty tmpfs
    mounts. Only the interpreter, the installed libraries and the course package are mounted
    back (read-only).
    """
    base = [sys.executable, "-m", "course.grading.zygote"]
    if not sandbox:
        return base
    status = sandbox_status()
    if not status.available:
        return base
    course_real = os.path.realpath(course_root)
    hidden = [course_real, *HIDDEN_PATHS, *hide]
    argv = [status.path, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
            "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
            "--unshare-cgroup-try", "--die-with-parent", "--new-session", "--hostname", "grader"]
    for path in hidden:
        if os.path.isdir(path):
            argv += ["--tmpfs", path]
    made: set[str] = set()
    for path in _package_dirs(course_real):
        roots = [h for h in hidden if path == h or path.startswith(h.rstrip("/") + "/")]
        if roots:
            argv += [*_parents(path, roots[0], made), "--ro-bind", path, path]
    argv += _parents(str(box), "/", made, only_under=hidden)
    argv += ["--bind", str(box), str(box), "--chdir", str(box),
             "--setenv", "COURSE_SANDBOX_PIDNS", "1"]
    return argv + base


def _parents(path: str, root: str, made: set[str], only_under: list[str] | None = None) -> list[str]:
    """``--dir`` arguments creating world-readable mount points between ``root`` and ``path``.

    bwrap creates missing mount points with mode 0700, which would hide the libraries from the
    unprivileged kernel user.
    """
    out: list[str] = []
    parts = Path(path).parent.parts
    for i in range(1, len(parts) + 1):
        parent = str(Path(*parts[:i]))
        if parent in made or parent == root or not parent.startswith(root.rstrip("/") + "/"):
            continue
        if only_under is not None and not any(parent.startswith(h.rstrip("/") + "/")
                                              for h in only_under):
            continue
        made.add(parent)
        out += ["--perms", "0755", "--dir", parent]
    return out
