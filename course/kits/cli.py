"""``course kits``: arguments and entry point (kept light: imported when the parser is built)."""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add this command's arguments (Chinese help)."""
    parser.add_argument("scenarios", nargs="*", metavar="场景",
                        help="场景编号（如 rude_customer）；不写则生成全部场景")
    parser.add_argument("--out", default=None, metavar="目录",
                        help="PDF 输出目录（默认：课程目录下的 reports/kits/）")


def run(args: argparse.Namespace, root: Path) -> int:
    """Write the kits' PDFs and list them; a bad scenario id raises a user-facing error."""
    from course.kits import build_kits

    out = Path(args.out) if args.out else Path(root) / "reports" / "kits"
    paths = build_kits(Path(root), list(args.scenarios), out)
    for p in paths:
        print(f"已生成：{p}")
    print(f"共 {len(paths)} 个 PDF（每个场景：顾客卡、员工卡、观察员记录表各一页）。")
    return 0
