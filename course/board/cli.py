"""``course board``: arguments and entry point (kept light: imported when the parser is built)."""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add this command's arguments (Chinese help)."""
    parser.add_argument("action", nargs="?", default="show", choices=("show", "tag", "export"),
                        metavar="操作",
                        help="show：显示汇总（默认）；tag 编号 章节：把难题归入某章；export：导出 CSV")
    parser.add_argument("extra", nargs="*", metavar="参数", help="tag 时为：编号 章节（如 3 02）")
    parser.add_argument("--top", type=int, default=15, help="词频表显示的词数（默认 15）")
    parser.add_argument("--output", "-o", type=Path, default=None,
                        help="export 的输出文件（默认 <课程目录>/班级看板.csv）")
    parser.add_argument("--url", default=None, help="看板数据库地址（默认课程目录下的 SQLite）")


def _show(board: object, top: int) -> str:
    from course.board import aggregate as ag
    from course.board.store import KIND_NAMES

    posts = board.rows()  # type: ignore[attr-defined]
    lines = ["班级看板", "", "提交数量："]
    lines += [f"  {KIND_NAMES[k]}：{n}" for k, n in ag.counts(posts).items()]
    words = ag.word_list(posts, top=top)
    lines += ["", "难题高频词：", "  " + ("、".join(f"{w}（{n}）" for w, n in words) or "（暂无）")]
    lines += ["", "难题（按章节）："]
    for group, items in ag.by_chapter(posts).items():
        lines.append(f"  {group}（{len(items)} 条）")
        lines += [f"    [{p.id}] {p.payload['text']} —— {p.learner}" for p in items]
    pairs = ag.observer_scores(posts)
    if pairs:
        lines += ["", "观察员评分（按小组）："]
        lines += [f"  {s.pair}：{s.sheets} 份，平均 {s.mean_percent}%" for s in pairs]
    polls = ag.poll_results(posts)
    for q, answers in polls.items():
        lines += ["", f"投票：{q}"] + [f"  {a}：{n} 票" for a, n in answers]
    ranking = ag.station_ranking(posts)
    if ranking:
        lines += ["", "站点评分排名："]
        lines += [f"  第 {r.rank} 名 {r.team}：{r.total:g} 分（{r.stations} 站）" for r in ranking]
    return "\n".join(lines)


def _export(board: object, out: Path) -> int:
    import csv
    import json

    posts = board.rows()  # type: ignore[attr-defined]
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["编号", "类型", "学员", "章节", "时间", "内容"])
        for p in posts:
            writer.writerow([p.id, p.kind, p.learner, p.chapter or "", p.created.isoformat(),
                             json.dumps(p.payload, ensure_ascii=False)])
    return len(posts)


def run(args: argparse.Namespace, root: Path) -> int:
    """Do the work; return the exit status."""
    from course.board import BoardError, open_board

    board = open_board(root, url=args.url)
    if args.action == "tag":
        if len(args.extra) != 2 or not args.extra[0].strip().isdigit():
            raise BoardError("用法：course board tag 编号 章节（例如 course board tag 3 02）。")
        post = board.tag(int(args.extra[0]), args.extra[1])
        print(f"已把难题 [{post.id}] 归入第 {post.chapter} 章：{post.payload.get('text', '')}")
        return 0
    if args.extra:
        raise BoardError(f"“{args.action}”不需要额外参数：{' '.join(args.extra)}。")
    if args.action == "export":
        out = args.output or root / "班级看板.csv"
        n = _export(board, out)
        print(f"已导出 {n} 条记录到 {out}")
        return 0
    print(_show(board, args.top))
    return 0
