"""How the JavaScript server turns JSON values into strings (``String(x)``, template literals)."""

from __future__ import annotations

import math
from typing import Any

#: A JSON field that was not sent at all (JavaScript ``undefined``).
ABSENT: Any = type("Absent", (), {"__repr__": lambda self: "ABSENT"})()


def js_number(value: float) -> str:
    """``String(n)`` of a JSON number: ``1.0`` -> ``"1"``, ``1e21`` -> ``"1e+21"``."""
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        if value.is_integer() and abs(value) < 1e21:
            return str(int(value))
        return repr(value).replace("e+0", "e+").replace("e-0", "e-")
    return str(value)


def js_string(value: Any) -> str:
    """``String(value)`` for a value parsed from JSON (or `ABSENT`)."""
    if value is ABSENT:
        return "undefined"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return js_number(value)
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return ",".join("" if item is None else js_string(item) for item in value)
    return "[object Object]"


def js_to_number(value: Any) -> float:
    """``Number(value)`` for a value parsed from JSON (NaN when JavaScript gives NaN)."""
    if value is ABSENT:
        return math.nan
    if value is None or value is False:
        return 0.0
    if value is True:
        return 1.0
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return 0.0
        if text.lstrip("+-") == "Infinity":
            return -math.inf if text.startswith("-") else math.inf
        if "_" in text or text.lstrip("+-").lower().startswith(("inf", "nan")):
            return math.nan
        try:
            return float(int(text, 0)) if text[:2].lower() in ("0x", "0o", "0b") else float(text)
        except ValueError:
            return math.nan
    if isinstance(value, list):
        return js_to_number(js_string(value))
    return math.nan


def is_js_number(value: Any) -> bool:
    """``typeof value === "number"`` for a value parsed from JSON."""
    return isinstance(value, int | float) and not isinstance(value, bool)
