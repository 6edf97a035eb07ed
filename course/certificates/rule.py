"""The pass rule of the course, set in ``nbgrader_config.py`` (section ``CourseCertificates``).

Shape (every setting optional; percentages 0–100)::

    c.CourseCertificates.pass_percent = 60      # overall share of points in the required assignments
    c.CourseCertificates.required = ["pretest", "posttest"]   # default: every assignment in the gradebook
    c.CourseCertificates.min_each = 40          # each required assignment at least this share (default 0)
    c.CourseCertificates.day3_min = 70          # mean day-3 station total at least this (default: not used)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["CertificateError", "PassRule", "read_rule"]

_SECTION = "CourseCertificates"
_KNOWN = ("pass_percent", "required", "min_each", "day3_min")


class CertificateError(ValueError):
    """Bad settings or input for certificates (Chinese message naming the setting)."""

    user_facing = True


@dataclass(frozen=True)
class PassRule:
    """Who earns a certificate."""

    pass_percent: float = 60.0
    required: tuple[str, ...] | None = None  # None: every assignment in the gradebook
    min_each: float = 0.0
    day3_min: float | None = None

    def describe(self) -> str:
        parts = [f"必考作业总得分率不低于 {self.pass_percent:g}%"]
        parts.append("必考作业：" + ("、".join(self.required) if self.required else "成绩册中的全部作业"))
        if self.min_each:
            parts.append(f"每项必考作业得分率不低于 {self.min_each:g}%")
        if self.day3_min is not None:
            parts.append(f"第三天考站平均总分不低于 {self.day3_min:g}")
        return "；".join(parts)


def _percent(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
        raise CertificateError(f"nbgrader_config.py 中 c.{_SECTION}.{name} = {value!r} 不可用："
                               "请写 0 到 100 之间的数字（百分比），例如 60。")
    return float(value)


def rule_from_settings(settings: dict[str, Any]) -> PassRule:
    """A :class:`PassRule` from the settings as written (a Chinese error names a bad one)."""
    unknown = sorted(set(settings) - set(_KNOWN))
    if unknown:
        raise CertificateError(f"nbgrader_config.py 中 c.{_SECTION}.{unknown[0]} 不是可用的设置："
                               f"可用的有 {'、'.join(_KNOWN)}。")
    rule = PassRule()
    kw: dict[str, Any] = {}
    if "pass_percent" in settings:
        kw["pass_percent"] = _percent(settings["pass_percent"], "pass_percent")
    if "min_each" in settings:
        kw["min_each"] = _percent(settings["min_each"], "min_each")
    if settings.get("day3_min") is not None:
        value = settings["day3_min"]
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise CertificateError(f"nbgrader_config.py 中 c.{_SECTION}.day3_min = {value!r} 不可用："
                                   "请写不小于 0 的数字（第三天考站平均总分），或删去这一行。")
        kw["day3_min"] = float(value)
    if "required" in settings:
        req = settings["required"]
        if isinstance(req, str) or not isinstance(req, list | tuple) or not all(
                isinstance(x, str) and x.strip() for x in req):
            raise CertificateError(f"nbgrader_config.py 中 c.{_SECTION}.required = {req!r} 不可用："
                                   '请写作业名的列表，例如 ["pretest", "posttest"]。')
        kw["required"] = tuple(x.strip() for x in req) or None
    return PassRule(**{**rule.__dict__, **kw})


def read_rule(root: Path | str) -> PassRule:
    """The pass rule of the course at ``root`` (defaults when nothing is set)."""
    from course.grading.gradebook import load_config

    cfg = load_config(root)
    section = cfg.get(_SECTION, {})
    return rule_from_settings({k: v for k, v in dict(section).items()})
