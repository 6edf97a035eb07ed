"""A local profile: one utility's tariff and rules, as the course shows and uses them."""

from __future__ import annotations

import re
from typing import Any

__all__ = ["Profile", "ProfileError"]

_PLACEHOLDER = re.compile(r"\{本地\.([a-z_]+(?:\.[a-z_]+)*)\}")


class ProfileError(ValueError):
    """A local profile that cannot be used; the message (Chinese) says what to fix."""


class Profile:
    """One utility's local profile (read-only; validated when it was loaded)."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self._raw = raw

    @property
    def id(self) -> str:
        return str(self._raw["id"])

    @property
    def utility(self) -> str:
        return str(self._raw["utility"])

    @property
    def city(self) -> str:
        return str(self._raw["city"])

    @property
    def fictional(self) -> bool:
        return bool(self._raw["fictional"])

    @property
    def tariff_id(self) -> str:
        return str(self._raw["tariff"])

    def tariff(self) -> Any:
        """The profile's tariff (a :class:`course.tariff.Tariff`)."""
        from course import tariff

        return tariff.load(self.tariff_id)

    def get(self, path: str) -> Any:
        """The value at a dotted path, e.g. ``profile.get("meter_test.fee")``."""
        node: Any = self._raw
        for part in path.split("."):
            node = node[part]
        return node

    def text(self, path: str) -> str:
        """A value as a learner reads it: numbers without trailing zeros, lists joined by 、."""
        value = self.get(path)
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, float):
            return f"{value:g}"
        if isinstance(value, list):
            return "、".join(str(x) for x in value)
        return str(value)

    def fill(self, text: str) -> str:
        """Replace ``{本地.meter_test.fee}``-style placeholders with this profile's values."""
        return _PLACEHOLDER.sub(lambda m: self.text(m.group(1)), text)

    @property
    def key(self) -> str:
        """The profile's data as canonical JSON (for caches keyed by profile)."""
        import json

        return json.dumps(self._raw, ensure_ascii=False, sort_keys=True, default=str)

    def as_dict(self) -> dict[str, Any]:
        """A copy of the profile's data (e.g. to hand to a grading kernel)."""
        import copy

        return copy.deepcopy(self._raw)

    def __repr__(self) -> str:
        return f"本地档案：{self.utility}（{self.city}，{self.id}）"
