"""``course handbook``: arguments and entry point (kept light: imported when the parser is built)."""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add this command's arguments (Chinese help)."""
    parser.add_argument("action", nargs="?", choices=["build", "ranking"], default="build",
                        help="build：生成讲师手册 HTML 和 PDF（默认）；ranking：按班级看板的评分打印第三天总排名")
    parser.add_argument("--out", type=Path, default=None,
                        help="输出目录（默认：课程目录下的 reports/handbook/）")
    parser.add_argument("--teams", type=int, default=5, help="第三天的队数，用于生成轮站表（默认 5）")


def run(args: argparse.Namespace, root: Path) -> int:
    """Do the work; return the exit status."""
    from course.handbook.model import HandbookError

    if args.teams < 1 or args.teams > 30:
        raise HandbookError(f"--teams（队数）应为 1–30 的整数，现在是 {args.teams}。")
    if args.action == "ranking":
        from course.handbook.model import load_day3
        from course.handbook.scoring import board_scores, ranking, station_best

        rows = ranking(board_scores(root), load_day3())
        if not rows:
            print("班级看板上还没有第三天的评分记录：评委用电子评分表 StationScoreSheet 录入后才有排名。")
            return 0
        print("第三天总排名（各站取评委平均分，五站相加）：")
        for r in rows:
            detail = "，".join(f"{s} {v:g}" for s, v in r.stations)
            print(f"第 {r.place} 名  {r.team}  总分 {r.total:g}（{detail}）")
        print("各站最佳：" + "；".join(f"{s} {'、'.join(t)}" for s, t in station_best(rows).items()))
        return 0
    from course.handbook.render import build

    out = args.out if args.out is not None else root / "reports" / "handbook"
    html, pdf = build(out, args.teams)
    print(f"已生成讲师手册：{html}")
    print(f"已生成 PDF：{pdf}")
    return 0
