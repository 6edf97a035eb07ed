"""``course certificates``: arguments and entry point (kept light: imported when the parser is built)."""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add this command's arguments (Chinese help)."""
    parser.add_argument("words", nargs="*", metavar="verify 核验码",
                        help="不写：生成证书和学习小结；写 verify 核验码：核验一张证书是否真实")
    parser.add_argument("--out", type=Path, default=None,
                        help="输出目录，默认 reports/certificates/")
    parser.add_argument("--date", default=None, help="证书日期 YYYY-MM-DD，默认今天")


def run(args: argparse.Namespace, root: Path) -> int:
    """Generate certificates and summaries, or verify a code; return the exit status."""
    from course.certificates.rule import CertificateError

    words = list(args.words or [])
    if words:
        if words[0] != "verify" or len(words) != 2:
            raise CertificateError("用法：course certificates（生成）或 course certificates verify 核验码。")
        from course.certificates.codes import normalise, verify

        row = verify(root, words[1])
        if row is None:
            print(f"核验码 {normalise(words[1])} 不是本课程签发的结业证书：证书不真实，或核验码输入有误。")
            return 1
        print(f"核验码 {row.code} 真实有效：{row.name}（学号 {row.student}），课程 {row.course}，"
              f"{row.utility}，{row.date} 签发。")
        return 0
    from course.certificates.issue import generate

    result = generate(root, args.out, args.date)
    passed = [o for o in result.outcomes if o.passed]
    print(f"共 {len(result.outcomes)} 名学员，{len(passed)} 人达到结业要求。")
    for o in result.outcomes:
        x = o.learner
        if o.passed:
            print(f"  ✔ {x.name}（{x.id}）：总得分率 {o.percent:.1f}%，核验码 {result.codes[x.id]}")
        else:
            print(f"  ✘ {x.name}（{x.id}）：未通过，{'；'.join(o.reasons)}")
    for note in result.notes:
        print(note)
    folder = next(iter(result.summaries.values())).parent if result.summaries else None
    if folder:
        print(f"证书和学习小结已写入 {folder}" + ("（合并版 certificates-all.pdf）" if result.combined else ""))
    else:
        print("成绩册中还没有学员，没有生成任何文件。")
    return 0
