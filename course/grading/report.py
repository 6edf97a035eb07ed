"""``course report``: cohort analytics from the gradebook, as HTML with figures plus CSV.

Per assignment: the score distribution. Per item (an autograded or manually graded cell):
difficulty (mean fraction of points earned) and discrimination (correlation of the item with
the learner's total on the *other* items of the assignment; negative values are flagged —
good learners do worse on that item than weak ones, so the item or its key needs a look).
Per skill: mastery, where source cells carry ``metadata.course.skills``. A learner × item
heat map shows the whole cohort at once.
"""

from __future__ import annotations

import base64
import html
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course.grading.skills import item_tags, skill_tags

__all__ = ["BankItemStat", "CohortReport", "ItemStat", "bank_item_stats", "build_report", "collect", "skill_tags"]


@dataclass(frozen=True)
class ItemStat:
    """Difficulty and discrimination of one graded cell."""

    assignment: str
    notebook: str
    item: str
    max_score: float
    n: int
    difficulty: float
    discrimination: float | None

    @property
    def flagged(self) -> bool:
        return self.discrimination is not None and self.discrimination < 0


def _natural(key: tuple[str, ...]) -> tuple:
    """Sort q2 before q10 (numbers inside names compared as numbers)."""
    return tuple(tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", k)) for k in key)


@dataclass(frozen=True)
class BankItemStat:
    """One item of the item bank across every assignment that uses it (each learner's own variant)."""

    ref: str
    uses: tuple[str, ...]  # "assignment/grade_id"
    n: int  # responses
    difficulty: float  # mean share of the points earned
    discrimination: float | None  # item share vs share of the rest of the same assignment

    @property
    def label(self) -> str:
        """The item as a trainer recognises it: its skill and the start of its question."""
        from course.itembank import describe

        return describe(self.ref)

    @property
    def advice(self) -> str:
        """What the trainer should look at, in Chinese ('' when the item behaves)."""
        if self.discrimination is not None and self.discrimination < 0:
            return "区分度为负：总分高的学员反而答错，请检查题目或评分"
        if self.n >= 5 and self.difficulty >= 0.95:
            return "几乎人人答对，可换成更有挑战的变式"
        if self.n >= 5 and self.difficulty < 0.3:
            return "多数人答错：课上再讲一遍，或检查题目是否有歧义"
        return ""


def bank_item_stats(scores: dict[tuple[str, str, str], dict[str, float]],
                    maxes: dict[tuple[str, str, str], float],
                    refs: dict[tuple[str, str, str], str]) -> list[BankItemStat]:
    """Pool every graded cell of a bank item: its difficulty and its discrimination."""
    assignment_max: dict[str, float] = {}
    learner_total: dict[tuple[str, str], float] = {}
    for key, per in scores.items():
        assignment_max[key[0]] = assignment_max.get(key[0], 0.0) + maxes[key]
        for who, v in per.items():
            learner_total[(key[0], who)] = learner_total.get((key[0], who), 0.0) + v
    # one bank item may be graded by several cells of one assignment: add them up per response
    per_ref: dict[str, dict[tuple[str, str], list[float]]] = {}
    uses: dict[str, set[str]] = {}
    for key, ref in refs.items():
        if key not in scores:
            continue
        uses.setdefault(ref, set()).add(f"{key[0]}/{key[2]}")
        for who, v in scores[key].items():
            pair = per_ref.setdefault(ref, {}).setdefault((key[0], who), [0.0, 0.0])
            pair[0] += v
            pair[1] += maxes[key]
    out = []
    for ref in sorted(per_ref):
        item, rest = [], []
        for (assignment, who), (got, mx) in sorted(per_ref[ref].items()):
            item.append(got / mx if mx else 0.0)
            room = assignment_max[assignment] - mx
            rest.append((learner_total[(assignment, who)] - got) / room if room else 0.0)
        out.append(BankItemStat(ref, tuple(sorted(uses[ref])), len(item), sum(item) / len(item),
                                _corr(item, rest)))
    return out


@dataclass(frozen=True)
class CohortReport:
    """The numbers behind the report."""

    learners: tuple[str, ...]
    items: tuple[ItemStat, ...]
    totals: dict[str, dict[str, float]]  # assignment → learner → score
    matrix: dict[tuple[str, str, str], dict[str, float]]  # item key → learner → fraction
    mastery: dict[str, dict[str, float]]  # skill → learner → fraction
    html_path: Path | None = None
    gain: Any = None  # course.grading.gain.GainReport when a pre- and post-test were graded
    travelled: tuple[Any, ...] = ()  # course.grading.similarity.TravelledAnswer
    bank: tuple[BankItemStat, ...] = ()

    def __str__(self) -> str:
        flagged = [i for i in self.items if i.flagged]
        text = f"学员 {len(self.learners)} 人，题目 {len(self.items)} 道，区分度为负的题目 {len(flagged)} 道。"
        if flagged:
            text += "\n" + "\n".join(f"  - {i.assignment}/{i.item}（区分度 {i.discrimination:.2f}）"
                                     for i in flagged)
        watch = [b for b in self.bank if b.advice]
        if self.bank:
            text += f"\n题库题目 {len(self.bank)} 道（每人各自的变式合并统计），需要留意的 {len(watch)} 道。"
            text += "".join(f"\n  - {b.label}（得分率 {b.difficulty:.0%}）：{b.advice}" for b in watch)
        if self.travelled:
            text += "\n雷同答案（请核实）：\n" + "\n".join(f"  - {t}" for t in self.travelled)
        if self.gain is not None and self.gain.skills:
            text += "\n" + str(self.gain)
        if self.html_path:
            text += f"\n报告：{self.html_path}"
        return text


def _corr(xs: list[float], ys: list[float]) -> float | None:
    n = len(xs)
    if n < 3:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / math.sqrt(sxx * syy)


def collect(url: str, root: Path | None = None) -> CohortReport:
    """Read every submission's grades from the gradebook and compute the statistics."""
    from nbgrader.api import Gradebook

    scores: dict[tuple[str, str, str], dict[str, float]] = {}
    maxes: dict[tuple[str, str, str], float] = {}
    totals: dict[str, dict[str, float]] = {}
    learners: set[str] = set()
    with Gradebook(url) as gb:
        for a in gb.assignments:
            totals[a.name] = {}
            for sub in a.submissions:
                learners.add(sub.student.id)
                total = 0.0
                for nb in sub.notebooks:
                    for g in nb.grades:
                        key = (a.name, nb.name, g.name)
                        maxes[key] = float(g.max_score or 0)
                        value = float(g.score or 0)
                        scores.setdefault(key, {})[sub.student.id] = value
                        total += value
                totals[a.name][sub.student.id] = total
    items = []
    matrix: dict[tuple[str, str, str], dict[str, float]] = {}
    for key in sorted(scores, key=_natural):
        mx = maxes[key]
        frac = {s: (v / mx if mx else 0.0) for s, v in scores[key].items()}
        matrix[key] = frac
        who = sorted(frac)
        rest = [totals[key[0]][s] - scores[key][s] for s in who]
        disc = _corr([frac[s] for s in who], rest)
        diff = sum(frac.values()) / len(frac) if frac else 0.0
        items.append(ItemStat(key[0], key[1], key[2], mx, len(frac), diff, disc))
    mastery: dict[str, dict[str, float]] = {}
    if root is not None:
        earned: dict[str, dict[str, list[float]]] = {}
        for key, skills in skill_tags(root).items():
            if key not in scores:
                continue
            for skill in skills:
                for s, v in scores[key].items():
                    pair = earned.setdefault(skill, {}).setdefault(s, [0.0, 0.0])
                    pair[0] += v
                    pair[1] += maxes[key]
        mastery = {k: {s: (e / m if m else 0.0) for s, (e, m) in v.items()}
                   for k, v in sorted(earned.items())}
    bank = tuple(bank_item_stats(scores, maxes, item_tags(root))) if root is not None else ()
    return CohortReport(tuple(sorted(learners)), tuple(items), totals, matrix, mastery, bank=bank)


def _subplots(figsize: tuple[float, float]) -> tuple[Any, Any]:
    """A figure outside pyplot with Chinese fonts: no global backend or state is touched."""
    from course.plotting import new_figure

    return new_figure(*figsize)


def _png(fig: Any) -> str:
    from course.plotting import figure_png

    return base64.b64encode(figure_png(fig, dpi=110, bbox_inches="tight")).decode()


def _write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    import csv

    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


def build_report(root: Path | str, out: Path | str | None = None, progress: bool = True) -> CohortReport:
    """Write ``report.html`` and CSV files to ``out`` (default ``<root>/reports``)."""
    from course.grading.gradebook import load_config
    from course.plotting import use_chinese_fonts

    root = Path(root).resolve()
    out = Path(out) if out else root / "reports"
    out.mkdir(parents=True, exist_ok=True)
    steps = ["读取成绩册", "分数分布", "题目分析", "技能掌握", "热力图", "写出文件"]
    bar = _bar(len(steps), progress)
    url = str(load_config(root).CourseDirectory.db_url)
    rep = collect(url, root)
    from course.grading.gain import learning_gain

    gain = learning_gain(url, root)
    travelled = _travelled(root, list(rep.totals))
    bar.update(1)
    use_chinese_fonts()
    figs: list[tuple[str, str]] = []
    for a, tot in sorted(rep.totals.items()):
        if not tot:
            continue
        fig, ax = _subplots(figsize=(6, 3))
        ax.hist(list(tot.values()), bins=min(20, max(5, len(tot) // 3)), color="#3b82f6")
        ax.set_title(f"{a}：总分分布（{len(tot)} 人）")
        ax.set_xlabel("得分")
        ax.set_ylabel("人数")
        figs.append((f"{a} 分数分布", _png(fig)))
    bar.update(1)
    if rep.items:
        fig, ax = _subplots(figsize=(6, 4))
        for i in rep.items:
            ax.scatter(i.difficulty, i.discrimination if i.discrimination is not None else 0,
                       color="#b42318" if i.flagged else "#1f2937")
        ax.axhline(0, color="#999", lw=0.8)
        ax.set_xlabel("难度（平均得分率，越高越容易）")
        ax.set_ylabel("区分度")
        ax.set_title("题目难度与区分度（红点：区分度为负）")
        figs.append(("题目分析", _png(fig)))
    bar.update(1)
    if rep.mastery:
        fig, ax = _subplots(figsize=(6, 3))
        names = list(rep.mastery)
        ax.barh(names, [sum(v.values()) / len(v) for v in rep.mastery.values()], color="#10b981")
        ax.set_xlim(0, 1)
        ax.set_xlabel("平均掌握度")
        ax.set_title("技能掌握情况")
        figs.append(("技能掌握", _png(fig)))
    if gain.skills:
        figs.append(("课前课后对比（学习增益）", _png(_gain_figure(gain))))
    bar.update(1)
    if rep.items and rep.learners:
        keys = list(rep.matrix)
        data = [[rep.matrix[k].get(s, math.nan) for k in keys] for s in rep.learners]
        fig, ax = _subplots(figsize=(max(6, len(keys) * 0.35), max(3, len(rep.learners) * 0.2)))
        im = ax.imshow(data, aspect="auto", cmap="RdYlGn", vmin=0, vmax=1)
        ax.set_xticks(range(len(keys)), [k[2] for k in keys], rotation=90, fontsize=7)
        ax.set_yticks(range(len(rep.learners)), rep.learners, fontsize=6)
        ax.set_title("学员 × 题目 得分率")
        fig.colorbar(im, ax=ax, label="得分率")
        figs.append(("学员 × 题目热力图", _png(fig)))
    bar.update(1)
    _write_csv(out / "items.csv", ["作业", "notebook", "题目", "满分", "人数", "难度", "区分度", "需复核"],
               [[i.assignment, i.notebook, i.item, i.max_score, i.n, round(i.difficulty, 4),
                 "" if i.discrimination is None else round(i.discrimination, 4),
                 "是" if i.flagged else ""] for i in rep.items])
    _write_csv(out / "bank_items.csv", ["题库题目", "题目内容", "用在", "作答人次", "难度（得分率）", "区分度", "建议"],
               [[b.ref, b.label, "、".join(b.uses), b.n, round(b.difficulty, 4),
                 "" if b.discrimination is None else round(b.discrimination, 4), b.advice] for b in rep.bank])
    _write_csv(out / "scores.csv", ["作业", "学员", "总分"],
               [[a, s, v] for a, tot in sorted(rep.totals.items()) for s, v in sorted(tot.items())])
    _write_csv(out / "skills.csv", ["技能", "学员", "掌握度"],
               [[k, s, round(v, 4)] for k, m in rep.mastery.items() for s, v in sorted(m.items())])
    _write_csv(out / "matrix.csv", ["学员", *["/".join(k) for k in rep.matrix]],
               [[s, *[rep.matrix[k].get(s, "") for k in rep.matrix]] for s in rep.learners])
    _write_csv(out / "gain.csv", ["技能", "学员", "课前", "课后", "提高"],
               [[g.skill, who, round(a, 4), round(b, 4), round(b - a, 4)]
                for g in gain.skills for who, (a, b) in sorted(g.per_learner.items())])
    rows = "".join(
        f"<tr{' class=flag' if i.flagged else ''}><td>{html.escape(i.assignment)}</td>"
        f"<td>{html.escape(i.item)}</td><td>{i.difficulty:.2f}</td>"
        f"<td>{'—' if i.discrimination is None else f'{i.discrimination:.2f}'}</td></tr>"
        for i in rep.items)
    body = "".join(f"<h2>{html.escape(t)}</h2><img src='data:image/png;base64,{b}'>" for t, b in figs)
    page = (
        "<!doctype html><html lang='zh-CN'><meta charset='utf-8'><title>学员成绩分析报告</title>"
        "<style>body{font-family:sans-serif;max-width:1000px;margin:auto}"
        "td,th{border:1px solid #ccc;padding:2px 6px}.flag{background:#fde2e1}"
        ".caution{background:#fff7e6;border-left:4px solid #f59e0b;padding:6px 10px}</style>"
        f"<h1>学员成绩分析报告</h1><p>{html.escape(str(rep)).replace(chr(10), '<br>')}</p>{body}"
        "<h2>题目统计</h2><table><tr><th>作业</th><th>题目</th><th>难度</th><th>区分度</th></tr>"
        f"{rows}</table>{_bank_table(rep.bank)}{_gain_table(gain)}{_travelled_html(travelled)}"
        "<p>同样的数字见 items.csv、bank_items.csv、scores.csv、skills.csv、matrix.csv、gain.csv。</p></html>")
    path = out / "report.html"
    path.write_text(page, encoding="utf-8")
    (out / "summary.json").write_text(json.dumps(
        {"learners": len(rep.learners), "items": len(rep.items),
         "flagged": [i.item for i in rep.items if i.flagged]}, ensure_ascii=False), encoding="utf-8")
    bar.update(1)
    bar.close()
    _write_csv(out / "travelled.csv", ["作业", "学员", "答案与谁的题目相符", "题目"],
               [[t.assignment, t.learner, t.source, "、".join(t.items)] for t in travelled])
    return CohortReport(rep.learners, rep.items, rep.totals, rep.matrix, rep.mastery, path, gain,
                        tuple(travelled), rep.bank)


def _bank_table(bank: tuple[BankItemStat, ...]) -> str:
    if not bank:
        return ""
    rows = "".join(
        f"<tr{' class=flag' if b.advice else ''}><td>{html.escape(b.label)}"
        f"<br><small style='color:#777'>{html.escape(b.ref)}</small></td>"
        f"<td>{html.escape('、'.join(b.uses))}</td><td>{b.n}</td><td>{b.difficulty:.2f}</td>"
        f"<td>{'—' if b.discrimination is None else f'{b.discrimination:.2f}'}</td>"
        f"<td>{html.escape(b.advice)}</td></tr>" for b in bank)
    return ("<h2>题库题目统计</h2><p>每位学员做的是自己的变式（数字、选项顺序不同），同一道题库题目的所有变式"
            "合并统计；区分度是这道题的得分率与同一份作业其余题目得分率的相关。</p>"
            "<table><tr><th>题库题目</th><th>用在</th><th>作答人次</th><th>难度</th><th>区分度</th>"
            f"<th>建议</th></tr>{rows}</table>")


def _travelled(root: Path, assignments: list[str]) -> list[Any]:
    from course.grading.similarity import travelled_answers

    found = []
    for a in sorted(assignments):
        if (root / "source" / a).is_dir():
            found += travelled_answers(root, a)
    return found


def _travelled_html(travelled: list[Any]) -> str:
    if not travelled:
        return ("<h2>雷同答案</h2><p>没有发现学员交上来的是别人那一份题目的答案。</p>")
    rows = "".join(f"<li>{html.escape(str(t))}</li>" for t in travelled)
    return ("<h2>雷同答案（请核实）</h2><p>每位学员的题目数字和选项顺序不同。下面这些学员有两道以上的题，"
            "答案对自己的题目是错的，却恰好是另一位学员那一份的正确答案。这只是提醒，请和学员当面核实，"
            f"不要直接据此处理。</p><ul class=flag>{rows}</ul>")


def _gain_figure(gain: Any) -> Any:
    """Grouped bars: each skill's cohort mastery before and after the course."""
    names = [g.skill for g in gain.skills]
    fig, ax = _subplots(figsize=(6.5, max(2.5, 0.55 * len(names) + 1)))
    ys = range(len(names))
    ax.barh([y + 0.2 for y in ys], [g.pre for g in gain.skills], height=0.38, color="#9ca3af",
            label="课前诊断")
    ax.barh([y - 0.2 for y in ys], [g.post for g in gain.skills], height=0.38, color="#2563eb",
            label="课后测验")
    for y, g in zip(ys, gain.skills, strict=True):
        ax.text(min(g.post, 0.98) + 0.01, y - 0.2, f"{g.gain * 100:+.0f}", va="center", fontsize=8)
    ax.set_yticks(list(ys), names)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.1)
    ax.set_xlabel("平均掌握度（该技能得分率）")
    ax.set_title(f"课前课后对比（{len(gain.learners)} 人）")
    ax.legend(loc="lower right", fontsize=8)
    return fig


def _gain_table(gain: Any) -> str:
    if not gain.skills and not gain.caution:
        return ""
    rows = "".join(
        f"<tr><td>{html.escape(g.skill)}</td><td>{g.n}</td><td>{g.pre:.0%}</td><td>{g.post:.0%}</td>"
        f"<td>{g.gain * 100:+.0f}</td><td>{'—' if g.normalised is None else f'{g.normalised:.2f}'}</td></tr>"
        for g in gain.skills)
    note = f"<p class=caution>{html.escape(gain.caution)}</p>" if gain.caution else ""
    return ("<h2>学习增益（每项技能）</h2>"
            f"<p>{html.escape(gain.pre)} 与 {html.escape(gain.post)} 都完成的学员才计入。"
            "标准化增益 = 提高幅度 ÷ 课前还差的部分（0 表示没有进步，1 表示把差距全部补上）。</p>"
            f"{note}<table><tr><th>技能</th><th>人数</th><th>课前</th><th>课后</th><th>提高（百分点）</th>"
            f"<th>标准化增益</th></tr>{rows}</table>")


def _bar(total: int, enabled: bool) -> Any:
    from course.grading.runner import _progress

    return _progress(total, enabled, desc="生成报告", unit="步")
