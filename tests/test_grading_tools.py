"""Feedback without hidden tests, LMS export, cohort report, doctor."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from course.grading.doctor import run_checks
from course.grading.export import export_grades
from course.grading.feedback import HIDDEN_NOTE, generate_feedback
from course.grading.report import build_report, collect, skill_tags
from course.grading.runner import grade
from course.grading.synthetic import (
    SYNTHETIC_ASSIGNMENT as A,
)
from course.grading.synthetic import (
    SYNTHETIC_NOTEBOOK as NB,
)
from course.grading.synthetic import (
    make_cohort,
    make_course,
    make_submission,
)

pytestmark = [pytest.mark.nbgrader, pytest.mark.filterwarnings("ignore::Warning")]


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_course(tmp_path_factory.mktemp("tools") / "c")
    make_cohort(root, 8)
    # A "reversed" item: the strongest learners miss q2, the weakest get it (negative discrimination)
    for i in (0, 4):
        make_submission(root, f"learner{i:03d}", "full", answers={"q2_tier": "tier = 3"})
    for i in (2, 3, 6, 7):
        make_submission(root, f"learner{i:03d}", "blank", answers={"q2_tier": "tier = 2"})
    grade(root, jobs=2, progress=False)
    return root


def _hidden_lines(root: Path) -> list[str]:
    src = json.loads((root / "source" / A / f"{NB}.ipynb").read_text(encoding="utf-8"))
    lines = []
    for cell in src["cells"]:
        text = "".join(cell["source"])
        for block in re.findall(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", text, re.S):
            lines += [ln.strip() for ln in block.splitlines() if ln.strip()]
    return lines


def test_feedback_contains_no_hidden_test_source(course: Path) -> None:
    generate_feedback(course, A)
    pages = sorted((course / "feedback").glob(f"*/{A}/{NB}.html"))
    assert len(pages) == 8
    hidden = _hidden_lines(course)
    assert hidden
    import html

    for page in pages:
        text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))
        assert "BEGIN HIDDEN TESTS" not in text
        for line in hidden:
            assert line not in text, f"{page}: hidden test line leaked: {line}"
    failing = (course / "feedback" / "learner001" / A / f"{NB}.html").read_text(encoding="utf-8")
    assert HIDDEN_NOTE in failing
    # the course's Chinese template, not nbgrader's English one
    assert "<title>作业反馈：" in failing and "得分：" in failing and "(Score:" not in failing


def test_stock_autograded_notebook_does_contain_the_hidden_tests(course: Path) -> None:
    """The leak exists upstream (nbgrader #917): our feedback test above is not vacuous."""
    text = (course / "autograded" / "learner001" / A / f"{NB}.ipynb").read_text(encoding="utf-8")
    assert all(line.replace('"', '\\"') in text for line in _hidden_lines(course))


def test_export_writes_nbgrader_csv_and_lms_csv(course: Path, tmp_path: Path) -> None:
    long_path, wide_path, _ = export_grades(course, tmp_path)
    rows = list(csv.DictReader(long_path.open(encoding="utf-8")))
    assert len(rows) == 8 and {r["assignment"] for r in rows} == {A}
    wide = list(csv.reader(wide_path.open(encoding="utf-8-sig")))
    assert wide[0][0] == "学号" and wide[0][-1] == "总分"
    by_id = {r[0]: r for r in wide[1:]}
    for r in rows:
        assert float(by_id[r["student_id"]][3]) == pytest.approx(float(r["score"]))


def test_export_workbook_matches_the_gradebook(course: Path, tmp_path: Path) -> None:
    from nbgrader.api import Gradebook
    from openpyxl import load_workbook

    long_path, _, xlsx = export_grades(course, tmp_path)
    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["汇总", A]
    summary = list(wb["汇总"].iter_rows(values_only=True))
    assert summary[0][:3] == ("学号", "姓名", "邮箱") and summary[0][-1] == "总分"
    assert wb["汇总"].freeze_panes == "C2"
    by_id = {r[0]: r for r in summary[1:]}
    for r in csv.DictReader(long_path.open(encoding="utf-8")):
        assert by_id[r["student_id"]][3] == pytest.approx(float(r["score"]))
    sheet = list(wb[A].iter_rows(values_only=True))
    header, rows = sheet[0], sheet[1:]
    assert len(rows) == 8 and header[-1] == "合计"
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        cells = [c.name for nb in gb.find_assignment(A).notebooks for c in nb.grade_cells]
        assert [h.split("（")[0] for h in header[3:-1]] == cells
        for row in rows:
            sub = gb.find_submission(A, row[0])
            got = {g.name: g.score for nb in sub.notebooks for g in nb.grades}
            assert list(row[3:-1]) == [pytest.approx(got[c]) for c in cells]
            assert row[-1] == pytest.approx(sub.score) == pytest.approx(sum(row[3:-1]))


def test_sheet_titles_are_legal_and_unique() -> None:
    from course.grading.workbook import sheet_title

    taken: set[str] = {"汇总"}
    long = "第一章 阶梯水价：计费/档位[综合]练习*附加题？" * 2
    first, second = sheet_title(long, taken), sheet_title(long, taken)
    assert len(first) <= 31 and len(second) <= 31 and first != second
    assert not set("[]:*?/\\") & set(first + second)
    assert sheet_title("汇总", taken) == "汇总(2)"


def test_report_flags_the_reversed_item_and_writes_csv(course: Path, tmp_path: Path) -> None:
    rep = build_report(course, tmp_path, progress=False)
    items = {i.item: i for i in rep.items}
    assert items["q2_tier_test"].flagged and items["q2_tier_test"].discrimination < 0
    assert not items["q1_bill_test"].flagged
    # difficulty is the mean fraction of the points earned, recomputed here from the gradebook
    data = collect(f"sqlite:///{course / 'gradebook.db'}")
    q1 = data.matrix[(A, NB, "q1_bill_test")]
    assert items["q1_bill_test"].difficulty == pytest.approx(sum(q1.values()) / len(q1))
    assert rep.html_path and rep.html_path.exists()
    page = rep.html_path.read_text(encoding="utf-8")
    assert "学员 × 题目" in page and page.count("data:image/png;base64") >= 3
    with (tmp_path / "items.csv").open(encoding="utf-8-sig") as fh:
        table = {r["题目"]: r for r in csv.DictReader(fh)}
    assert table["q2_tier_test"]["需复核"] == "是"
    assert float(table["q1_bill_test"]["难度"]) == pytest.approx(items["q1_bill_test"].difficulty,
                                                              abs=1e-4)


def test_skill_mastery_comes_from_cell_tags(course: Path) -> None:
    tags = skill_tags(course)
    assert tags[(A, NB, "q2_tier_test")] == ["档位判断"]
    rep = collect(f"sqlite:///{course / 'gradebook.db'}", course)
    assert set(rep.mastery) == {"计费计算", "档位判断", "政策解释"}
    # learner000 answered the bill right (2/2) and the tier wrong: 计费计算 mastery is 1.0
    assert rep.mastery["计费计算"]["learner000"] == 1.0


def test_doctor_reports_every_check_in_chinese(course: Path) -> None:
    checks = run_checks(course)
    names = " ".join(c.name for c in checks)
    for needed in ("JupyterLab 扩展", "中文字体", "评分沙箱", "成绩册"):
        assert needed in names
    gradebook = next(c for c in checks if c.name == "成绩册")
    assert gradebook.ok and "1 份作业" in gradebook.message


def test_doctor_reports_an_unreachable_gradebook(tmp_path: Path) -> None:
    from course.grading.synthetic import write_config

    write_config(tmp_path, db_url="postgresql://nobody@127.0.0.1:1/none")
    gradebook = next(c for c in run_checks(tmp_path) if c.name == "成绩册")
    assert not gradebook.ok and "无法连接" in gradebook.message


def test_feedback_release_puts_pages_in_the_exchange(course: Path, tmp_path: Path) -> None:
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    exchange.chmod(0o777)
    # nbgrader's exchange submit leaves this secret next to a submission; release_feedback needs it
    secret = course / "autograded" / "learner001" / A / "submission_secret.txt"
    secret.write_text("secret-learner001", encoding="utf-8")
    config = course / "nbgrader_config.py"
    original = config.read_text(encoding="utf-8")
    try:
        config.write_text(original + f"\nc.Exchange.root = {str(exchange)!r}\n", encoding="utf-8")
        generate_feedback(course, A, "learner001", release=True)
    finally:
        config.write_text(original, encoding="utf-8")
    pages = list(exchange.rglob("*.html"))
    assert len(pages) == 1
    assert "BEGIN HIDDEN TESTS" not in pages[0].read_text(encoding="utf-8")


def test_feedback_release_without_exchange_is_a_chinese_error(course: Path, tmp_path: Path) -> None:
    from course.grading.gradebook import GradingError

    config = course / "nbgrader_config.py"
    original = config.read_text(encoding="utf-8")
    try:
        config.write_text(original + f"\nc.Exchange.root = {str(tmp_path / 'none')!r}\n",
                          encoding="utf-8")
        with pytest.raises(GradingError, match="交换目录"):
            generate_feedback(course, A, "learner001", release=True)
    finally:
        config.write_text(original, encoding="utf-8")
