"""Certificates: pass rule, verification codes, certificate and summary PDFs, CLI."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from course.certificates import CertificateError, certificate_code, decide, generate, verify
from course.certificates.records import collect
from course.certificates.rule import PassRule, read_rule, rule_from_settings

pytestmark = [pytest.mark.nbgrader, pytest.mark.filterwarnings("ignore::Warning")]

CONFIG = """\
import os
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "cert-course"
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(c.CourseDirectory.root, "gradebook.db")
"""
#: learner → (first, last, {assignment: points}); each assignment has max 10
PEOPLE = {
    "li": ("小红", "李", {"day1": 6, "day2": 6}),   # exactly 60 %
    "wang": ("", "", {"day1": 10, "day2": 1}),       # 55 %, no name → id
    "zhao": ("大明", "赵", {"day1": 10}),            # missing day2
    "zhou": ("芳", "周", {"day1": 9, "day2": 8}),
}


def _stamp(db: Path) -> None:
    """Stamp a new gradebook in-process (nbgrader would run alembic in a slow subprocess)."""
    import sqlite3

    import nbgrader
    from alembic.script import ScriptDirectory

    head = ScriptDirectory(str(Path(nbgrader.__file__).parent / "alembic")).get_current_head()
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        conn.execute("INSERT INTO alembic_version (version_num) VALUES (?)", (head,))


def _course(root: Path, extra: str = "") -> Path:
    from nbgrader.api import Gradebook

    from course.grading.gradebook import ensure_tools_on_path

    root.mkdir(parents=True, exist_ok=True)
    (root / "nbgrader_config.py").write_text(CONFIG + extra, encoding="utf-8")
    ensure_tools_on_path()
    _stamp(root / "gradebook.db")
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for a in ("day1", "day2"):
            gb.add_assignment(a)
            gb.add_notebook(a, a)
            gb.add_grade_cell("q1", a, a, max_score=10, cell_type="code")
        for sid, (first, last, got) in PEOPLE.items():
            gb.add_student(sid, first_name=first or None, last_name=last or None)
            for a, pts in got.items():
                gb.add_submission(a, sid)
                gb.find_grade("q1", a, a, sid).auto_score = pts
        gb.db.commit()
    return root


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _course(tmp_path_factory.mktemp("cert") / "c")


@pytest.fixture(scope="module")
def issued(course: Path, tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    out = tmp_path_factory.mktemp("out")
    return SimpleNamespace(result=generate(course, out, "2026-12-10"), out=out)


def _by_id(outcomes: list) -> dict:
    return {o.learner.id: o for o in outcomes}


def test_pass_rule_at_the_line_missing_assignment_and_names(course: Path) -> None:
    got = _by_id(decide(collect(course), PassRule()))
    assert got["li"].passed and got["li"].percent == pytest.approx(60.0)  # exactly at the line
    assert not got["wang"].passed and "55.0%" in got["wang"].reasons[0]
    assert not got["zhao"].passed and any("未提交必考作业 day2" in r for r in got["zhao"].reasons)
    assert got["zhou"].passed
    assert got["li"].learner.name == "李小红" and got["wang"].learner.name == "wang"
    # only day1 required: zhao passes; a per-assignment minimum fails wang
    only1 = _by_id(decide(collect(course), PassRule(required=("day1",))))
    assert only1["zhao"].passed
    each = _by_id(decide(collect(course), PassRule(pass_percent=50, min_each=20)))
    assert not each["wang"].passed and "day2 得分率 10%" in each["wang"].reasons[0]
    assert each["li"].passed


def test_bad_config_names_the_setting(tmp_path: Path, course: Path) -> None:
    for settings, word in [({"pass_percent": 120}, "pass_percent"), ({"required": "day1"}, "required"),
                           ({"min_each": "高"}, "min_each"), ({"day3_min": -1}, "day3_min"),
                           ({"passpercent": 60}, "passpercent")]:
        with pytest.raises(CertificateError, match=word):
            rule_from_settings(settings)
    with pytest.raises(CertificateError, match="day9"):
        decide(collect(course), PassRule(required=("day9",)))
    root = tmp_path / "c2"
    root.mkdir()
    (root / "nbgrader_config.py").write_text(
        CONFIG + "c.CourseCertificates.pass_percent = 75\nc.CourseCertificates.required = ['day1']\n",
        encoding="utf-8")
    assert read_rule(root) == PassRule(pass_percent=75.0, required=("day1",))
    assert CertificateError.user_facing is True


def test_codes_verify_and_a_tampered_code_fails(course: Path, issued: SimpleNamespace) -> None:
    codes = issued.result.codes
    assert set(codes) == {"li", "zhou"}
    key = bytes.fromhex((course / ".course" / "certificate.key").read_text().strip())
    assert (course / ".course" / "certificate.key").stat().st_mode & 0o777 == 0o600
    assert codes["li"] == certificate_code(key, "li", "cert-course", "2026-12-10")
    row = verify(course, codes["li"].lower().replace("-", " "))
    assert row is not None and row.name == "李小红" and row.student == "li"
    assert verify(course, codes["li"].replace("O", "0").replace("I", "1")) == row  # look-alike digits
    flipped = codes["li"][:-1] + ("A" if codes["li"][-1] != "A" else "B")
    assert verify(course, flipped) is None
    # an edited register (a forged row) does not make a made-up code genuine
    reg = course / ".course" / "certificates.csv"
    reg.write_text(reg.read_text(encoding="utf-8-sig") + "AAAA-BBBB-CCCC,wang,wang,cert-course,2026-12-10,x\n",
                   encoding="utf-8")
    assert verify(course, "AAAA-BBBB-CCCC") is None


def test_pdfs_carry_name_utility_and_code(issued: SimpleNamespace, course: Path) -> None:
    from course import local
    from course.pdf import page_texts

    utility = local.current(course).utility
    r = issued.result
    assert set(r.certificates) == {"li", "zhou"} and set(r.summaries) == set(PEOPLE)
    text = page_texts(r.certificates["li"])
    assert len(text) == 1
    flat = text[0].replace("\r", "").replace("\n", "")
    assert "结业证书" in flat.replace(" ", "") and "李小红" in flat and utility in flat
    assert r.codes["li"] in flat and "2026 年 12 月 10 日" in flat
    assert len(page_texts(r.combined)) == 2
    summary = page_texts(r.summaries["wang"])
    assert len(summary) == 1
    s = summary[0].replace("\r", "").replace("\n", "")
    day2 = [got["day2"] for _, _, got in PEOPLE.values() if "day2" in got]
    assert "暂未达到结业要求" in s and "55.0%" in s and f"{sum(day2) / len(day2):.1f}" in s
    assert any("证书只依据成绩册" in n for n in r.notes)
    if os.environ.get("COURSE_SCREENSHOTS"):  # pictures to look at
        from course.pdf import render_png

        shots = Path(os.environ["COURSE_SCREENSHOTS"])
        render_png(r.certificates["li"], shots / "certificate.png")
        render_png(r.summaries["wang"], shots / "certificate_summary.png")


def test_day3_station_scores_from_the_board(course: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import course.board as board

    posts = [SimpleNamespace(learner="judge1", payload={"station": "柜台", "team": "A", "judge": "陈",
                                                         "scores": {}, "total": 80, "members": ["li", "zhou"]}),
             SimpleNamespace(learner="zhou", payload={"station": "热线", "team": "A", "judge": "陈",
                                                      "scores": {}, "total": 50})]
    monkeypatch.setattr(board, "open_board", lambda root: SimpleNamespace(rows=lambda kind: posts),
                        raising=False)
    cohort = collect(course)
    got = _by_id(decide(cohort, PassRule(day3_min=70)))
    assert cohort.board_used and got["li"].learner.day3_mean == 80
    assert got["li"].passed and not got["zhou"].passed  # (80 + 50) / 2 = 65
    assert "第三天考站平均总分 65.0" in got["zhou"].reasons[0]


def test_cli_generates_and_verifies(course: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from course.certificates import cli

    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    with pytest.raises(CertificateError, match="--date"):
        cli.run(parser.parse_args(["--out", str(tmp_path), "--date", "10/12/2026"]), course)
    code = certificate_code(bytes.fromhex((course / ".course" / "certificate.key").read_text().strip()),
                            "zhou", "cert-course", "2026-12-10")
    assert cli.run(parser.parse_args(["verify", code]), course) == 0
    assert "周芳" in capsys.readouterr().out
    assert cli.run(parser.parse_args(["verify", "ZZZZ-ZZZZ-ZZZZ"]), course) == 1
    assert "不真实" in capsys.readouterr().out


def test_summary_shows_each_skills_pre_post_gain(course: Path) -> None:
    from course.certificates.render import gain_rows, summary_html
    from course.grading.gain import GainReport, SkillGain

    report = GainReport("pretest", "posttest", ("li",),
                        (SkillGain("计费计算", 1, 0.25, 0.75, {"li": (0.25, 0.75)}),
                         SkillGain("情绪安抚", 1, 0.5, 1.0, {"zhou": (0.5, 1.0)})))
    rows = gain_rows(report, "li")
    assert rows == [("计费计算", 0.25, 0.75)]
    outcome = _by_id(decide(collect(course), PassRule()))["li"]
    page = summary_html(outcome, collect(course), utility="某水司", date="2026-12-10", gain=rows,
                        rule_text=PassRule().describe())
    assert "计费计算" in page and "25%" in page and "75%" in page and "+50 个百分点" in page
    assert "情绪安抚" not in page and "已发结业证书" in page
