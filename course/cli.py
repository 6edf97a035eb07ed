"""The ``course`` command: one entry point for instructors (and learners opening the course).

Every sub-command works on the course directory (the folder holding ``nbgrader_config.py``,
found from the current directory upwards, or given with ``--root``) through nbgrader's Python
API, so the formgrader and every ``nbgrader`` command keep working on the same gradebook.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["build_parser", "find_root", "main"]


class _ChineseParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"错误：{_zh(message)}\n请运行 `course -h` 查看用法。\n")


def _zh(message: str) -> str:
    for en, zh in (("the following arguments are required", "缺少必需的参数"),
                   ("invalid choice", "无效的选项"), ("unrecognized arguments", "无法识别的参数"),
                   ("invalid int value", "不是有效的整数"), ("argument", "参数"),
                   ("choose from", "可选")):
        message = message.replace(en, zh)
    return message


def find_root(start: Path | None = None) -> Path:
    """The nearest folder (``start`` or above) that holds ``nbgrader_config.py``."""
    from course.grading.gradebook import GradingError

    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "nbgrader_config.py").is_file():
            return folder
    raise GradingError(f"在 {here} 及其上级目录中找不到 nbgrader_config.py：请在课程目录中运行，或用 --root 指定。")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (Chinese help)."""
    p = _ChineseParser(prog="course", description="水务客服投诉处理实训：课程与评分工具。",
                       add_help=False)
    p._positionals.title = "命令"
    p._optionals.title = "选项"
    p.add_argument("-h", "--help", action="help", help="显示帮助并退出")
    p.add_argument("--root", type=Path, help="课程目录（含 nbgrader_config.py），默认从当前目录向上查找")
    sub = p.add_subparsers(dest="command", metavar="命令", parser_class=_ChineseParser)

    def cmd(name: str, text: str) -> argparse.ArgumentParser:
        s = sub.add_parser(name, help=text, description=text, add_help=False)
        s._positionals.title = "参数"
        s._optionals.title = "选项"
        s.add_argument("-h", "--help", action="help", help="显示帮助并退出")
        return s

    s = cmd("lab", "打开课程（在课程目录启动 JupyterLab）")
    s.add_argument("--no-browser", action="store_true", help="不自动打开浏览器")
    cmd("setup", "配置本机：JupyterLab 中文界面、课程内核扩展（全角标点、中文提示）、课程内的作业交换目录")
    s = cmd("release", "从 source/ 生成全部（或指定）作业的学员版，并检查发布结果")
    s.add_argument("assignments", nargs="*", metavar="ASSIGNMENT", help="作业名，默认全部")
    s.add_argument("--publish", action="store_true",
                   help="同时放进 nbgrader 交换目录，学员可在“作业列表”里取回（工作坊服务器）")
    s = cmd("collect", "收取学员提交的作业（nbgrader 交换目录）")
    s.add_argument("assignment", metavar="ASSIGNMENT", help="作业名")
    s.add_argument("--update", action="store_true", help="学员重新提交过的，用新的一份替换已收取的")
    s = cmd("selfgrade", "自学模式：收取、评分并发布一位学员的一份作业的反馈（提交后自动运行）")
    s.add_argument("assignment", metavar="ASSIGNMENT", help="作业名")
    s.add_argument("--student", required=True, help="学员（nbgrader 学号）")
    s = cmd("grade", "并行、沙箱化地自动评分（与 nbgrader autograde 结果一致，可断点续评）")
    s.add_argument("assignment", nargs="?", metavar="ASSIGNMENT", help="作业名，默认全部")
    s.add_argument("--jobs", "-j", type=int, default=None, help="并行进程数，默认每个 CPU 核一个")
    s.add_argument("--student", action="append", help="只评这些学员（可重复）")
    s.add_argument("--force", action="store_true", help="忽略记录，全部重新评分")
    s.add_argument("--no-sandbox", action="store_true", help="不使用 bubblewrap 沙箱（不推荐）")
    s.add_argument("--timeout", type=int, default=None, help="单个单元格的超时秒数（默认按 nbgrader_config）")
    s.add_argument("--notebook-timeout", type=float, default=600.0, help="整本 notebook 的超时秒数")
    s = cmd("agreement", "讲师评分与回复教练建议的一致程度：多常一致、哪些答案讲师改了教练的建议")
    s.add_argument("assignment", nargs="?", metavar="ASSIGNMENT", help="作业名，默认全部")
    s = cmd("feedback", "生成给学员的反馈页面（不含隐藏测试的内容）")
    s.add_argument("assignment", metavar="ASSIGNMENT", help="作业名")
    s.add_argument("--student", help="只为这位学员生成")
    s.add_argument("--release", action="store_true", help="同时放进交换目录，学员可在“作业列表”里取回")
    s = cmd("export", "导出成绩：CSV（nbgrader 格式 + 适合学习平台导入的宽表）和 Excel 工作簿（汇总 + 每份作业一张表）")
    s.add_argument("--out", type=Path, help="输出目录，默认 reports/")
    s = cmd("paper", "从题库组卷：按组卷文件（YAML）生成一份自动评分的作业，每位学员的数字和选项顺序不同")
    s.add_argument("specs", nargs="+", type=Path, metavar="SPEC", help="组卷文件，例如 papers/pretest.yaml")
    s = cmd("report", "生成学员成绩分析报告（HTML 图表 + CSV）")
    s.add_argument("--out", type=Path, help="输出目录，默认 reports/")
    cmd("doctor", "检查安装：JupyterLab 扩展、中文字体、评分沙箱、成绩册")
    s = cmd("profile", "本地档案（本单位的水价和规定）：查看、检查、选用")
    s.add_argument("action", choices=["show", "check", "use", "list"], metavar="show|check|use|list",
                   help="show：显示当前档案；check：检查一份档案；use：选用一份档案（写入 nbgrader_config.py）；"
                        "list：列出课程里的档案")
    s.add_argument("profile", nargs="?", metavar="PROFILE",
                   help="档案名（course/data/local/ 中的文件名）或 YAML 文件路径")
    s = cmd("syllabus", "课程内容对照表：种子材料的每一项在课程里讲到了什么程度（逐项核对课件、练习和作业）")
    s.add_argument("--below", type=int, choices=(1, 2, 3), metavar="N",
                   help="同时列出深度低于 N（1–3）的条目和它们在课程里的位置")
    for name, text, module in _PLUGINS:
        import importlib

        importlib.import_module(module).add_arguments(cmd(name, text))
    s = cmd("workshop", "工作坊服务器（JupyterHub）：建账号、成绩册数据库、交换目录和 Hub 配置（需 sudo）")
    s.add_argument("action", choices=["setup"], metavar="setup", help="setup：按配置文件布置服务器（可重复运行）")
    s.add_argument("--config", type=Path, default=None,
                   help="工作坊配置文件，默认 /etc/water-course/workshop.yaml")
    s.add_argument("--repo", type=Path, default=Path.cwd(), help="课程仓库（含 source/ 和 notebooks/），默认当前目录")
    s.add_argument("--reset-passwords", action="store_true", help="为已有账号重新生成初始密码")
    return p


#: Sub-commands whose arguments and work live in their engine's light ``cli`` module:
#: ``add_arguments(parser)`` and ``run(args, root) -> int``.
_PLUGINS = (
    ("handbook", "讲师手册：每个半天和第三天的流程表（目标、分钟级安排、投屏章节、活动、复盘问题），生成 HTML 和 PDF",
     "course.handbook.cli"),
    ("kits", "角色扮演材料包：顾客卡、员工卡、观察员记录表（按情景生成，可打印的 A4 PDF）", "course.kits.cli"),
    ("board", "课堂看板：学员提交的难题、观察记录、投票和行动计划，汇总显示；给难题标注章节",
     "course.board.cli"),
    ("certificates", "结业证书和学员学习小结（PDF），按配置的结业条件从成绩册和第三天评分生成",
     "course.certificates.cli"),
)


def _workshop(args: argparse.Namespace) -> int:
    from course.workshop.settings import DEFAULT_CONFIG, load_settings
    from course.workshop.setup import set_up

    settings = load_settings(args.config or DEFAULT_CONFIG)
    print(set_up(settings, args.repo, reset_passwords=args.reset_passwords))
    return 0


def _syllabus(args: argparse.Namespace, root: Path) -> int:
    from course import syllabus

    coverage = syllabus.check(root)
    print("课程内容对照表：种子材料各条目在课程中的深度（0 未涉及，1 仅提及，2 已讲解，3 有例子且有练习）\n")
    print(coverage.table())
    if args.below:
        print()
        print(coverage.below_text(args.below))
    return 0


def _profile(args: argparse.Namespace, root: Path) -> int:
    from course import local

    if args.action == "list":
        chosen = local.current_id(root)
        for pid in local.profiles():
            p = local.load(pid)
            print(f"{'* ' if pid == chosen else '  '}{pid}：{p.utility}（{p.city}）")
        print(f"（* 为当前选用的档案；新建档案请复制 {local.template_path()}）")
        return 0
    if args.action in ("check", "use") and not args.profile:
        raise local.ProfileError(f"请写出要{'检查' if args.action == 'check' else '选用'}的档案名，"
                                 "例如：course profile check shili")
    if args.action == "check":
        p = local.read(args.profile)
        print(f"本地档案“{p.id}”检查通过：{p.utility}，水价 {p.tariff().name}。")
        return 0
    if args.action == "use":
        config = local.set_in_config(root, args.profile)
        print(f"已选用本地档案“{args.profile}”（写入 {config}）。请重新运行课件和作业里的格子。")
        return 0
    p = local.read(args.profile) if args.profile else local.current(root)
    print(local.card(p).markdown)
    return 0


def _run(args: argparse.Namespace) -> int:
    from course.grading.gradebook import GradingError

    if args.command == "workshop":
        return _workshop(args)
    if args.command == "setup":
        from course.labsetup import set_up_lab

        try:
            root = args.root.resolve() if args.root else find_root()
        except GradingError:
            root = None
        print(set_up_lab(root))
        return 0
    root = args.root.resolve() if args.root else find_root()
    if not (root / "nbgrader_config.py").is_file():
        raise GradingError(f"课程目录（--root）{root} 中没有 nbgrader_config.py。")
    if args.command == "profile":
        return _profile(args, root)
    if args.command == "syllabus":
        return _syllabus(args, root)
    for name, _text, module in _PLUGINS:
        if args.command == name:
            import importlib

            return importlib.import_module(module).run(args, root)
    if args.command == "lab":
        argv = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={root}"]
        if args.no_browser:
            argv.append("--no-browser")
        os.chdir(root)
        os.execv(sys.executable, argv)
    if args.command == "release":
        from course.grading import release

        names = args.assignments or release.assignments(root)
        unknown = [a for a in names if not (root / "source" / a).is_dir()]
        if unknown:
            raise GradingError(f"作业（ASSIGNMENT）{'、'.join(unknown)} 不在 source/ 中；"
                               f"可用的有：{'、'.join(release.assignments(root)) or '无'}。")
        from course.grading.gradebook import generate_assignment

        problems = []
        for name in _bar(names, "发布"):
            generate_assignment(root, name)
            problems += [f"{name}：{p}" for p in release.verify_release(
                root / "release" / name, root / "source" / name)]
        if problems:
            print("发布检查发现问题：\n" + "\n".join(f"  - {p}" for p in problems))
            return 1
        print(f"已发布 {len(names)} 份作业：{'、'.join(names)}。")
        if args.publish:
            return _publish(root, names)
        return 0
    if args.command == "collect":
        return _collect(root, args.assignment, args.update)
    if args.command == "selfgrade":
        from course.grading.selfpaced import selfgrade

        print(selfgrade(root, args.assignment, args.student))
        return 0
    if args.command == "grade":
        from course.grading.runner import grade

        summary = grade(root, args.assignment, jobs=args.jobs, sandbox=not args.no_sandbox,
                        force=args.force, students=args.student, cell_timeout=args.timeout,
                        notebook_timeout=args.notebook_timeout)
        print(summary)
        return 0 if summary.failed == 0 else 1
    if args.command == "agreement":
        from course.grading.coach_review import agreement

        print(agreement(root, args.assignment))
        return 0
    if args.command == "feedback":
        from course.grading.feedback import generate_feedback

        generate_feedback(root, args.assignment, args.student, release=args.release)
        print(f"反馈已生成在 {root / 'feedback'}（隐藏测试的内容已去除）"
              + ("，并已放进交换目录。" if args.release else "。"))
        return 0
    if args.command == "export":
        from course.grading.export import export_grades

        paths = export_grades(root, args.out)
        print("已导出：" + "、".join(str(p) for p in paths))
        return 0
    if args.command == "paper":
        from course.grading.papers import build_paper, load_spec

        for spec_path in args.specs:
            path = build_paper(load_spec(spec_path), root)
            print(f"已组卷：{path.relative_to(root)}。检查后运行 `course release {path.parent.name}` 生成学员版。")
        return 0
    if args.command == "report":
        from course.grading.report import build_report

        print(build_report(root, args.out))
        return 0
    if args.command == "doctor":
        from course.grading.doctor import run_checks

        checks = run_checks(root)
        for c in checks:
            print(c)
        return 0 if all(c.ok or c.warning_only for c in checks) else 1
    raise GradingError("请指定命令，例如 course grade；运行 course -h 查看全部命令。")


def _collect(root: Path, assignment: str, update: bool) -> int:
    """``course collect``: nbgrader's collect, with Chinese messages instead of its log."""
    from course.grading.gradebook import GradingError, course_api, load_config

    cfg = load_config(root)
    inbound = Path(str(cfg.Exchange.root)) / str(cfg.CourseDirectory.course_id) / "inbound"
    if not inbound.is_dir():
        raise GradingError(f"交换目录 {inbound} 不存在：本机自学请先运行 course setup，"
                           "工作坊服务器请运行 sudo deploy/setup.sh。")
    before = {p.parent.name for p in (root / "submitted").glob(f"*/{assignment}")}
    cwd = os.getcwd()
    try:
        result = course_api(root, **{"ExchangeCollect.update": update}).collect(assignment)
    finally:
        os.chdir(cwd)
    if not result.get("success"):
        log = root / ".course" / "logs" / "collect.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(f"{result.get('log', '')}\n{result.get('error', '')}", encoding="utf-8")
        raise GradingError(f"收取作业 {assignment} 失败：请检查作业名和交换目录（course doctor）；"
                           f"nbgrader 的详细记录在 {log}。")
    after = sorted({p.parent.name for p in (root / "submitted").glob(f"*/{assignment}")})
    new = [s for s in after if s not in before]
    refused = [line for line in str(result.get("log", "")).splitlines() if "符号链接" in line]
    print(f"已收取作业 {assignment}：共 {len(after)} 位学员的提交，其中新收取 {len(new)} 份。")
    for line in refused:
        print(f"！{line.split('] ', 1)[-1]}")
    return 0


def _publish(root: Path, names: Sequence[str]) -> int:
    """Put released assignments in nbgrader's exchange (``nbgrader release_assignment``)."""
    from course.grading.gradebook import course_api

    api = course_api(root)
    failed = []
    for name in names:
        result = api.release_assignment(name)
        if not result.get("success"):
            failed.append(f"{name}：{result.get('error') or result.get('log')}")
    if failed:
        print("放进交换目录失败：\n" + "\n".join(f"  - {f}" for f in failed))
        return 1
    print(f"已放进交换目录，学员现在可以取回：{'、'.join(names)}。")
    return 0


def _bar(items: Sequence[str], desc: str) -> Sequence[str]:
    from tqdm import tqdm

    return tqdm(items, desc=desc, unit="份")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``course`` console script."""
    import warnings

    warnings.filterwarnings("ignore", module="sqlalchemy")
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    from course.grading.gradebook import GradingError

    try:
        return _run(args)
    except GradingError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except ValueError as exc:
        from course.grading.papers import PaperError
        from course.local import ProfileError
        from course.syllabus import SyllabusError
        from course.workshop.settings import WorkshopError

        if not (isinstance(exc, (WorkshopError, ProfileError, SyllabusError, PaperError))
                or getattr(exc, "user_facing", False)):
            raise
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\n已中断。已评完的提交都保存在成绩册中，再次运行会从中断处继续。", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
