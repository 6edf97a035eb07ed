"""Certificates (结业证书) from the gradebook and day-3 scores, and a one-page summary per learner.

The pass rule lives in ``nbgrader_config.py`` (see :mod:`course.certificates.rule`); codes are an
HMAC of (learner, course, date) with a per-course key, recorded in ``.course/certificates.csv``.
"""

from __future__ import annotations

from course.certificates.codes import certificate_code, verify
from course.certificates.decide import Outcome, decide
from course.certificates.issue import Issued, generate
from course.certificates.rule import CertificateError, PassRule, read_rule

__all__ = ["CertificateError", "Issued", "Outcome", "PassRule", "certificate_code", "decide",
           "generate", "read_rule", "verify"]
