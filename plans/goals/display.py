"""A goal's figures as read: "40 %", "−60 %", "25 bilar", "–" when there is none."""

from decimal import Decimal

from django.utils import formats


def figure_text(value: Decimal | None, unit: str = "") -> str:
    if value is None:
        return "–"
    number = int(value) if value == value.to_integral_value() else value.normalize()
    text = formats.number_format(number, use_l10n=True, force_grouping=True).replace("-", "\u2212")
    return f"{text}\u00a0{unit}" if unit else text
