"""Benchmark and quality report of the reply coach (course.coach.review).

Run: .venv/bin/python bench/bench_coach.py

Prints: latency p50/p95 of reviewing 500-character replies; the time of the first call after
import in a fresh interpreter (data loaded and rules compiled lazily, once); the ratio against a
naive baseline measured in the same run (the same rules re-read and re-compiled on every call, as
a coach without caching would do: lexicons, speech-act frames, the segmenter's dictionary and the
learned model all loaded again); and the corpus figures of the training and dev parts of
tests/data/coach/ (the test part is measured once by hand, see tests/data/coach/HISTORY.md).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from course import coach  # noqa: E402
from course._data import _load  # noqa: E402
from course.coach import acts, classifier, gaming, text  # noqa: E402
from course.coach import rules as coach_rules  # noqa: E402
from course.coach.eval import evaluate, load_corpus  # noqa: E402

PIECES = [
    "非常理解您的心情，水费突然变高，换作是我也会着急。",
    "阶梯水价是按照用水量分档计价的，第一档的价格和原来一样，只有超出的部分才按第二档计算。",
    "比如您家一个月用了18立方，其中超出的3立方按第二档计价。",
    "我是营业厅的小王，工号0231，我马上帮您调出近三个月的读数，今天下午五点前给您回电话。",
    "您看是不是可以先把家里的总阀关上，看看水表还转不转？",
    "我们绝不会说“这是常有的事”，也不会说公司的规定就是这样的。",
    "如果确实有困难，也可以为您申请分期缴纳。",
    "有任何问题随时找我，祝您生活愉快！",
]


def make_reply(i: int, n: int = 500) -> str:
    """A realistic 500-character reply, varied by ``i``."""
    out = ""
    k = i
    while len(out) < n:
        out += PIECES[k % len(PIECES)]
        k += 3
    return out[:n]


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def time_calls(fn, texts: list[str], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        for t in texts:
            a = time.perf_counter()
            fn(t)
            out.append((time.perf_counter() - a) * 1000)
    return out


CACHED = [getattr(m, name) for m in (acts, classifier, gaming, text, coach_rules)
          for name in dir(m) if hasattr(getattr(m, name), "cache_clear")
          and getattr(getattr(m, name), "__module__", "") == m.__name__]


def naive_review(text: str) -> coach.Review:
    """Baseline: the same review, but data re-read, rules and model re-loaded on every call."""
    _load.cache_clear()
    for fn in CACHED:
        fn.cache_clear()
    return coach.review(text)


def fresh_review(text: str) -> coach.Review:
    """The review as timed: the model's memory of recently scored clauses is emptied first, so
    the repeated texts cost what a new reply costs."""
    classifier.load().forget()
    return coach.review(text)


def first_call_seconds() -> float:
    code = (
        "import time; t = time.perf_counter(); from course.coach import review; "
        "review('非常理解您的心情。我们今天下午派师傅上门验表。祝您生活愉快！'); "
        "print(time.perf_counter() - t)"
    )
    runs = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True, cwd=ROOT)
        runs.append(float(out.stdout.strip()))
    return max(runs)


def main() -> None:
    texts = [make_reply(i) for i in range(20)]
    assert all(len(t) == 500 for t in texts)
    coach.review(texts[0])  # warm
    ours = time_calls(fresh_review, texts, repeat=10)
    naive = time_calls(naive_review, texts[:5], repeat=2)
    coach.review(texts[0])  # re-warm caches after the baseline
    p50, p95 = percentile(ours, 0.5), percentile(ours, 0.95)
    n50 = statistics.median(naive)
    print(f"review(500 字回复)：p50 {p50:.2f} ms，p95 {p95:.2f} ms（{len(ours)} 次）；目标 p95 < 20 ms")
    print(f"朴素基线（每次重新读取并编译规则）：p50 {n50:.2f} ms；加速比 {n50 / p50:.1f}×")
    first = first_call_seconds()
    print(f"新进程中 import + 首次调用：{first * 1000:.0f} ms（3 次中最慢）；目标 < 1000 ms")

    data = ROOT / "tests" / "data" / "coach"
    for label, name in (("训练集（规则与模型据此调整）", "train.yaml"), ("开发集", "dev.yaml")):
        print(f"{label}：{evaluate(load_corpus(data / name))}")
    print("注：测试集只在写成后测一次，结果见 tests/data/coach/HISTORY.md。")


if __name__ == "__main__":
    main()
