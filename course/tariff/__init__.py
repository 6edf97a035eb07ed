"""Residential tiered water tariffs (阶梯水价): bills for one household or a million.

Tariffs are data (``course/data/tariffs/<city>.yaml``, each with its source document). Inside:
:mod:`~course.tariff.inputs` (typed numbers, meter readings, billing periods),
:mod:`~course.tariff.model` (tiers, components, bills), :mod:`~course.tariff.catalog` (the
cities), :mod:`~course.tariff.design` (tier-design analysis) and :mod:`~course.tariff.charts`.

>>> from course import tariff
>>> bill = tariff.load("beijing").bill(200)
>>> bill.total
1040.00 元
"""

from course.tariff.catalog import cities, load, summary_table
from course.tariff.inputs import (
    MAX_HOUSEHOLD_SIZE,
    PERIODS,
    TariffInputError,
    parse_number,
    period_fraction,
    usage_from_readings,
)
from course.tariff.model import Bill, BillLine, Tariff

__all__ = [
    "MAX_HOUSEHOLD_SIZE",
    "PERIODS",
    "Bill",
    "BillLine",
    "Tariff",
    "TariffInputError",
    "cities",
    "load",
    "parse_number",
    "period_fraction",
    "summary_table",
    "usage_from_readings",
]
