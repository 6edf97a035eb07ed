"""The `course` command: Chinese help and errors, and each sub-command end to end."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from course.cli import build_parser, find_root, main
from course.grading.gradebook import GradingError
from course.grading.synthetic import SYNTHETIC_ASSIGNMENT as A
from course.grading.synthetic import make_cohort, make_course

COMMANDS = ("lab", "release", "collect", "grade", "feedback", "export", "report", "doctor")


def test_help_lists_every_command_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["-h"])
    out = capsys.readouterr().out
    for name in COMMANDS:
        assert name in out
    assert "评分" in out and "显示帮助并退出" in out and "选项" in out


def test_unknown_command_is_rejected_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["frobnicate"])
    assert exc.value.code == 2
    assert "错误" in capsys.readouterr().err


def test_bad_jobs_is_rejected_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["grade", "--jobs", "many"])
    assert "不是有效的整数" in capsys.readouterr().err


def test_no_course_directory_is_a_chinese_error(tmp_path: Path) -> None:
    with pytest.raises(GradingError, match=r"nbgrader_config\.py"):
        find_root(tmp_path)


def test_root_is_found_from_a_subfolder(tmp_path: Path) -> None:
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    assert find_root(sub) == tmp_path.resolve()


def test_every_command_has_chinese_help() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name in COMMANDS:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in sub.choices[name].description)


@pytest.mark.nbgrader
@pytest.mark.filterwarnings("ignore::Warning")
def test_grade_feedback_export_report_doctor_end_to_end(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    root = make_course(tmp_path / "c")
    make_cohort(root, 4)
    base = ["--root", str(root)]
    assert main([*base, "grade", A, "--jobs", "2"]) == 0
    assert "新评 4 份" in capsys.readouterr().out
    assert main([*base, "grade", A]) == 0
    assert "未变化跳过 4 份" in capsys.readouterr().out
    assert main([*base, "feedback", A]) == 0
    assert len(list((root / "feedback").glob(f"*/{A}/*.html"))) == 4
    assert main([*base, "export"]) == 0
    assert (root / "reports" / "grades_lms.csv").exists()
    assert (root / "reports" / "grades.xlsx").exists()
    assert main([*base, "report"]) == 0
    assert (root / "reports" / "report.html").exists()
    code = main([*base, "doctor"])
    out = capsys.readouterr().out
    assert "成绩册" in out and code in (0, 1)
    assert main([*base, "grade", "no_such"]) == 2
    assert "没有任何提交" in capsys.readouterr().err


@pytest.mark.nbgrader
@pytest.mark.filterwarnings("ignore::Warning")
def test_release_regenerates_and_verifies(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_course(tmp_path / "c", release=False)
    assert main(["--root", str(root), "release"]) == 0
    assert "已发布 1 份作业" in capsys.readouterr().out
    released = (root / "release" / A).glob("*.ipynb")
    text = next(released).read_text(encoding="utf-8")
    assert "BEGIN HIDDEN TESTS" not in text and "BEGIN SOLUTION" not in text
    assert main(["--root", str(root), "release", "nope"]) == 2


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "course"
    assert script.exists()
    out = subprocess.run([str(script), "-h"], capture_output=True, text=True, check=True).stdout
    assert "水务客服投诉处理实训" in out
