"""Generate certificates, summaries and the register for a course directory."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as _date
from pathlib import Path

from course.certificates.decide import Outcome

__all__ = ["Issued", "generate"]


@dataclass(frozen=True)
class Issued:
    """What one run produced."""

    outcomes: tuple[Outcome, ...]
    codes: dict[str, str]  # learner id → code (passing learners)
    certificates: dict[str, Path]
    combined: Path | None
    summaries: dict[str, Path]
    notes: tuple[str, ...]


def _check_date(text: str) -> str:
    from course.certificates.rule import CertificateError

    try:
        return _date.fromisoformat(text).isoformat()
    except (TypeError, ValueError):
        raise CertificateError(f"--date 的日期“{text}”看不懂：请写成 2026-12-10 这样（年-月-日）。") from None


def generate(root: Path | str, out: Path | str | None = None, date: str | None = None) -> Issued:
    """Certificates for those who pass, a summary for everyone, and the register of codes."""
    from course import local
    from course.certificates.codes import Registered, certificate_code, course_key, register
    from course.certificates.decide import decide
    from course.certificates.records import collect
    from course.certificates.render import (
        CERT_CSS,
        SUMMARY_CSS,
        certificate_html,
        certificates_document,
        gain_rows,
        summary_html,
    )
    from course.certificates.rule import read_rule
    from course.pdf import write_pdf

    root = Path(root).resolve()
    out = Path(out) if out else root / "reports" / "certificates"
    day = _check_date(date) if date else _date.today().isoformat()
    rule = read_rule(root)
    cohort = collect(root)
    outcomes = decide(cohort, rule)
    utility = local.current(root).utility
    gain = None
    if "pretest" in cohort.assignments and "posttest" in cohort.assignments:
        from course.grading.gain import learning_gain
        from course.grading.gradebook import db_url

        gain = learning_gain(db_url(root), root)
    key = course_key(root)
    codes, certs, pages, issued = {}, {}, [], []
    for o in outcomes:
        if not o.passed:
            continue
        x = o.learner
        code = codes[x.id] = certificate_code(key, x.id, cohort.course, day)
        page = certificate_html(o, cohort, utility=utility, date=day, code=code)
        pages.append(page)
        certs[x.id] = write_pdf(certificates_document([page]), out / f"certificate-{x.id}.pdf", css=CERT_CSS)
        issued.append(Registered(code, x.id, x.name, cohort.course, day, utility))
    combined = write_pdf(certificates_document(pages), out / "certificates-all.pdf",
                         css=CERT_CSS) if pages else None
    register(root, issued)
    from course.labsetup import assignment_titles

    titles = assignment_titles(root)
    summaries = {o.learner.id: write_pdf(
        summary_html(o, cohort, utility=utility, date=day, gain=gain_rows(gain, o.learner.id),
                     rule_text=rule.describe(), titles=titles),
        out / f"summary-{o.learner.id}.pdf", css=SUMMARY_CSS) for o in outcomes}
    return Issued(tuple(outcomes), codes, certs, combined, summaries, cohort.notes)
