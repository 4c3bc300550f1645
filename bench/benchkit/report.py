"""Medians and Markdown tables for the bench reports."""
import math


def median(values: list[float]) -> float:
    ordered = sorted(v for v in values if not math.isnan(v))
    if not ordered:
        return float("nan")
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def number(value: float, digits: int = 2) -> str:
    """'—' for a figure that does not apply, else the value with thousands separators."""
    if value is None or math.isnan(value):
        return "—"
    return f"{value:,.{digits}f}"


def markdown_table(header: list[str], rows: list[list[str]], right_from: int = 1) -> str:
    """Columns from `right_from` on are figures: right-aligned."""
    align = [":--" if i < right_from else "--:" for i in range(len(header))]
    lines = [header, align] + rows
    return "\n".join("| " + " | ".join(cells) + " |" for cells in lines) + "\n"
