"""Verification codes: HMAC-SHA256 of (learner, course, date) with a per-course secret key."""

from __future__ import annotations

import base64
import csv
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Registered", "certificate_code", "course_key", "normalise", "register", "verify"]

_LOOKALIKE = str.maketrans("018", "OIB")  # base32 has none of these: read as the letter
_FIELDS = ["code", "student", "name", "course", "date", "utility"]


def course_key(root: Path | str) -> bytes:
    """The course's secret, created once at ``<root>/.course/certificate.key`` (mode 0600)."""
    path = Path(root) / ".course" / "certificate.key"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_hex(32))
    return bytes.fromhex(path.read_text(encoding="ascii").strip())


def certificate_code(key: bytes, student: str, course: str, date: str) -> str:
    """The grouped code ``XXXX-XXXX-XXXX`` (base32 of the HMAC; no 0/1/8/9 to misread)."""
    mac = hmac.new(key, f"{student}\x1f{course}\x1f{date}".encode(), hashlib.sha256).digest()
    text = base64.b32encode(mac).decode()[:12]
    return "-".join(text[i:i + 4] for i in range(0, 12, 4))


def normalise(code: str) -> str:
    """A code as typed (spaces, lower case, no dashes) in its grouped form."""
    text = "".join(ch for ch in code.upper() if ch.isalnum()).translate(_LOOKALIKE)
    return "-".join(text[i:i + 4] for i in range(0, len(text), 4))


@dataclass(frozen=True)
class Registered:
    """One issued certificate, as written in the register."""

    code: str
    student: str
    name: str
    course: str
    date: str
    utility: str


def _register_path(root: Path | str) -> Path:
    return Path(root) / ".course" / "certificates.csv"


def register(root: Path | str, issued: list[Registered]) -> Path:
    """Add ``issued`` to ``<root>/.course/certificates.csv`` (a code already there is replaced)."""
    path = _register_path(root)
    rows = {r.code: r for r in _read(path)}
    rows.update({r.code: r for r in issued})
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.DictWriter(fh, _FIELDS)
        w.writeheader()
        for r in rows.values():
            w.writerow(r.__dict__)
    return path


def _read(path: Path) -> list[Registered]:
    if not path.is_file():
        return []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [Registered(**{k: row.get(k, "") for k in _FIELDS}) for row in csv.DictReader(fh)]


def verify(root: Path | str, code: str) -> Registered | None:
    """The certificate ``code`` belongs to, or ``None`` when it is not genuine.

    The register row must be there *and* its code must match the HMAC recomputed with the
    course key, so an edited register does not make a code genuine.
    """
    wanted = normalise(code)
    key_path = Path(root) / ".course" / "certificate.key"
    if not key_path.is_file():
        return None
    key = course_key(root)
    for row in _read(_register_path(root)):
        if hmac.compare_digest(row.code, wanted) and hmac.compare_digest(
                certificate_code(key, row.student, row.course, row.date), wanted):
            return row
    return None
