"""Benchmark: `course grade` against stock `nbgrader autograde` on the same synthetic cohort.

Builds a course in a temporary directory with every assignment found in ``source/`` (and the
synthetic assignment if none exists yet), generates ≥ 60 learners' submissions per assignment
(a mix of full, partial, blank and broken answers), copies the course twice, grades one copy
with ``nbgrader autograde ASSIGNMENT`` (one command per assignment, as an instructor runs it)
and the other with ``course grade``, checks that every (learner, notebook, cell) score is
identical, and prints the wall-clock throughput ratio.

    .venv/bin/python bench/bench_grade.py [--learners 60] [--jobs N] [--keep]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def build(root: Path, learners: int) -> list[str]:
    from course.grading.gradebook import generate_assignment
    from course.grading.synthetic import SYNTHETIC_ASSIGNMENT, make_cohort, make_course

    real = sorted(p.name for p in (REPO / "source").iterdir()
                  if p.is_dir() and any(p.glob("*.ipynb"))) if (REPO / "source").is_dir() else []
    make_course(root, release=not real)
    assignments = [] if real else [SYNTHETIC_ASSIGNMENT]
    if real:
        shutil.rmtree(root / "source")
        for name in real:
            shutil.copytree(REPO / "source" / name, root / "source" / name)
            generate_assignment(root, name)
            assignments.append(name)
    make_cohort(root, learners, assignments)
    return assignments


def main() -> int:
    warnings.filterwarnings("ignore")
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--learners", type=int, default=60)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the temporary courses")
    args = parser.parse_args()

    from course.grading.gradebook import db_url, ensure_tools_on_path, scores
    from course.grading.sandbox import sandbox_status
    from course.grading.synthetic import clone_course

    ensure_tools_on_path()
    tmp = Path(tempfile.mkdtemp(prefix="bench-grade-"))
    base = tmp / "base"
    assignments = build(base, args.learners)
    stock, ours = clone_course(base, tmp / "stock"), clone_course(base, tmp / "ours")
    n = sum(1 for _ in (base / "submitted").glob("*/*/*.ipynb"))
    print(f"队列：{args.learners} 名学员 × {len(assignments)} 份作业（{', '.join(assignments)}），"
          f"共 {n} 个 notebook；CPU 核数 {os.cpu_count()}；沙箱：{sandbox_status().available}")

    bindir = str(Path(sys.executable).parent)
    t0 = time.perf_counter()
    for name in assignments:
        subprocess.run([f"{bindir}/nbgrader", "autograde", name], cwd=stock, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t_stock = time.perf_counter() - t0

    cmd = [f"{bindir}/course", "--root", str(ours), "grade"]
    if args.jobs:
        cmd += ["--jobs", str(args.jobs)]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t_ours = time.perf_counter() - t0

    a, b = scores(db_url(stock)), scores(db_url(ours))
    same = a == b
    diff = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
    print(f"stock nbgrader autograde：{t_stock:7.1f} s（{n / t_stock:5.2f} notebook/s）")
    print(f"course grade          ：{t_ours:7.1f} s（{n / t_ours:5.2f} notebook/s）")
    print(f"分数完全一致：{same}（{len(a)} 个 (学员, notebook, 单元格) 分数）")
    for k in diff[:10]:
        print("  不一致：", k, a.get(k), b.get(k))
    print(f"吞吐量之比 course grade / nbgrader autograde = {t_stock / t_ours:.2f}×")
    if args.keep:
        print(f"课程目录保留在 {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
