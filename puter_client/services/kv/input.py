"""The rules a key-value call's input must follow, checked before any request.

The server would take some bad input silently (a non-string key is coerced with
JavaScript's ``String()``: ``{"a": 1}`` becomes ``"[object Object]"``) and refuse the rest
with a 400; here both fail at once, typed, naming the argument and the limit: a
``PuterInputTypeError`` (a ``TypeError``) for a value of the wrong type, a
``PuterInputError`` (a ``ValueError``) for one out of bounds. Each carries in ``.code``
the code puter.js gives the same refusal (``key_undefined``, ``key_too_large``,
``value_too_large``, ``items_required``, ``arguments_required``, ``path_map_invalid``,
``paths_invalid``, ``ttl_invalid``), the server's ``bad_request`` for what only the
server checks (forbidden object keys), else ``invalid_arguments``.
The limits are the server's (``SystemKVStore``): keys of 1 to 1024 UTF-8 bytes, values
whose ``JSON.stringify`` is at most 408,576 UTF-8 bytes, no object key ``__proto__``,
``constructor`` or ``prototype`` anywhere in a value.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Union

from puter_client.core.exceptions import PuterInputError, PuterInputTypeError

__all__ = [
    "FORBIDDEN_OBJECT_KEYS",
    "MAX_KEY_BYTES",
    "MAX_REQUEST_BYTES",
    "MAX_VALUE_BYTES",
    "Timestamp",
    "checked_amount",
    "checked_amounts",
    "checked_batch",
    "checked_cursor",
    "checked_flag",
    "checked_item_limit",
    "checked_key",
    "checked_keys",
    "checked_limit",
    "checked_path",
    "checked_path_values",
    "checked_paths",
    "checked_pattern",
    "checked_prefix",
    "checked_seconds",
    "checked_timestamp",
    "checked_ttl",
    "checked_value",
    "js_number",
]

MAX_KEY_BYTES = 1024
"""The longest key, in UTF-8 bytes."""
MAX_VALUE_BYTES = 408_576
"""The largest value (399 KiB), measured as the UTF-8 bytes of its compact JSON."""
MAX_REQUEST_BYTES = 50 * 1024 * 1024
"""The largest JSON request body the server reads (a bigger one is answered 413)."""
FORBIDDEN_OBJECT_KEYS = frozenset({"__proto__", "constructor", "prototype"})
"""Object keys the server refuses anywhere inside a value."""

Timestamp = Union[float, datetime]  # noqa: UP007 (a runtime alias: Python 3.10 needs Union)
"""A moment: unix seconds, or a timezone-aware ``datetime``."""

_FORBIDDEN_LIST = ", ".join(sorted(FORBIDDEN_OBJECT_KEYS))
_SAFE_INTEGER = 2**53  # JavaScript numbers hold integers exactly only below this


def checked_key(key: object, what: str = "key") -> str:
    """``key`` if the server would store it as given; else ``TypeError``/``ValueError``."""
    if key is None:
        raise PuterInputTypeError(f"{what} cannot be None", code="key_undefined")
    if not isinstance(key, str):
        raise PuterInputTypeError(
            f"{what} must be a str, not {type(key).__name__} (the server would store "
            "String(key), e.g. '[object Object]')",
            code="invalid_arguments",
        )
    if not key:
        raise PuterInputError(f"{what} must not be empty", code="key_undefined")
    if len(key) * 4 > MAX_KEY_BYTES or not key.isascii():
        try:
            size = len(key.encode("utf-8"))
        except UnicodeEncodeError as exc:
            raise PuterInputError(
                f"{what} holds text that cannot be sent (a lone surrogate at position {exc.start})",
                code="invalid_arguments",
            ) from None
        if size > MAX_KEY_BYTES:
            raise PuterInputError(
                f"{what} is {size} UTF-8 bytes; the limit is {MAX_KEY_BYTES} bytes",
                code="key_too_large",
            )
    return key


def checked_keys(keys: object, what: str = "keys") -> list[str]:
    """The keys of an iterable of keys, each checked (a single ``str`` is refused)."""
    if isinstance(keys, (str, bytes)) or not isinstance(keys, Iterable):
        raise PuterInputTypeError(
            f"{what} must be an iterable of str keys, not {type(keys).__name__}",
            code="invalid_arguments",
        )
    return [checked_key(key, f"{what}[{index}]") for index, key in enumerate(keys)]


def checked_value(value: Any, what: str = "value") -> int:
    """The size of ``value`` as the server measures it, once it is known to be storable.

    ``TypeError`` for anything that is not JSON (objects must be dicts with str keys;
    tuples go as lists), ``ValueError`` for NaN, infinity, a lone surrogate, a forbidden
    object key or a value over ``MAX_VALUE_BYTES``.
    """
    correction = _check_json(value, what)
    try:
        encoded = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except RecursionError:
        raise PuterInputError(
            f"{what} is nested too deeply to be sent as JSON", code="invalid_arguments"
        ) from None
    size = len(encoded.encode("utf-8")) + correction
    if size > MAX_VALUE_BYTES:
        raise PuterInputError(
            f"{what} is {size:,} bytes as JSON; the limit is {MAX_VALUE_BYTES:,} bytes (399 KiB)",
            code="value_too_large",
        )
    return size


def _check_json(value: Any, what: str) -> int:
    """Walk ``value`` (no recursion, for deep values); the bytes JavaScript writes for
    its numbers beyond what Python writes (``1.0`` is ``1`` there, ``1e+16`` is
    ``10000000000000000``)."""
    correction = 0
    stack: list[tuple[Any, str]] = [(value, what)]
    while stack:
        item, where = stack.pop()
        kind = type(item)
        if kind is str:
            if not item.isascii():
                _check_text(item, where)
        elif kind is dict:
            for name, child in item.items():
                if type(name) is not str:
                    raise PuterInputTypeError(
                        f"{where} has the object key {name!r}: JSON object keys must be str",
                        code="invalid_arguments",
                    )
                if name in FORBIDDEN_OBJECT_KEYS:
                    # The server refuses it too, 400 ``bad_request``: the same code here.
                    raise PuterInputError(
                        f"{where} has the object key {name!r}, which the server refuses "
                        f"anywhere in a value ({_FORBIDDEN_LIST})",
                        code="bad_request",
                    )
                if not name.isascii():
                    _check_text(name, f"{where} key {name!r}")
                stack.append((child, f"{where}[{name!r}]"))
        elif kind is list or kind is tuple:
            stack.extend((child, f"{where}[{index}]") for index, child in enumerate(item))
        elif kind is float:
            if not math.isfinite(item):
                raise PuterInputError(
                    f"{where} is {item!r}, which JSON cannot carry", code="invalid_arguments"
                )
            correction += len(js_number(item)) - len(repr(item))
        elif kind is int:
            if not -_SAFE_INTEGER < item < _SAFE_INTEGER:
                correction += len(js_number(_as_double(item))) - len(str(item))
        elif item is None or kind is bool:
            pass
        elif isinstance(item, (str, int, float, dict, list, tuple)):  # subclasses (enums...)
            raise PuterInputTypeError(
                f"{where} is a {kind.__name__}; give plain JSON types (str, int, float, "
                "bool, None, list, dict)",
                code="invalid_arguments",
            )
        else:
            raise PuterInputTypeError(
                f"{where} is a {kind.__name__}, which is not JSON (give str, int, float, "
                "bool, None, lists and dicts)",
                code="invalid_arguments",
            )
    return correction


def _check_text(text: str, where: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise PuterInputError(
            f"{where} holds text that cannot be sent (a lone surrogate at position {exc.start})",
            code="invalid_arguments",
        ) from None


def _as_double(number: int) -> float:
    try:
        return float(number)
    except OverflowError:
        return math.inf


def js_number(number: float) -> str:
    """JavaScript's ``JSON.stringify`` of a number (``"null"`` for one that overflowed).

    Both languages write the shortest digits that read back the same number; they place
    the decimal point differently (ECMAScript's Number::toString).
    """
    if not math.isfinite(number):
        return "null"
    if number == 0:
        return "0"
    mantissa, _, exponent = repr(abs(number)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    fraction = fraction.rstrip("0")
    digits = (whole + fraction).lstrip("0")
    power = int(exponent or 0) - len(fraction) + len(digits) - len(digits.rstrip("0"))
    digits = digits.rstrip("0")
    k = len(digits)
    n = k + power  # the number is 0.<digits> * 10**n
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = f"{digits[:n]}.{digits[n:]}"
    elif -6 < n <= 0:
        text = "0." + "0" * -n + digits
    else:
        rest = f".{digits[1:]}" if k > 1 else ""
        text = f"{digits[0]}{rest}e{'+' if n > 0 else '-'}{abs(n - 1)}"
    return "-" + text if number < 0 else text


def checked_timestamp(timestamp: object, what: str) -> float:
    """Unix seconds of a timestamp given as a number or an aware ``datetime``."""
    if isinstance(timestamp, datetime):
        if timestamp.tzinfo is None or timestamp.utcoffset() is None:
            raise PuterInputError(
                f"{what} must be a timezone-aware datetime (or unix seconds)",
                code="invalid_arguments",
            )
        return timestamp.timestamp()
    return checked_seconds(timestamp, what)


def checked_seconds(seconds: object, what: str, code: str = "invalid_arguments") -> float:
    """A finite number of seconds (not a bool); refusals carry ``code``."""
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise PuterInputTypeError(
            f"{what} must be a number of seconds, not {type(seconds).__name__}", code=code
        )
    if not math.isfinite(seconds):
        raise PuterInputError(f"{what} must be a finite number, not {seconds!r}", code=code)
    return seconds


def checked_amount(amount: object, what: str = "amount") -> float:
    """An increment: a finite int or float (not a bool)."""
    if isinstance(amount, bool) or not isinstance(amount, (int, float)):
        raise PuterInputTypeError(
            f"{what} must be an int or a float, not {type(amount).__name__}",
            code="invalid_arguments",
        )
    if not math.isfinite(amount):
        raise PuterInputError(
            f"{what} must be a finite number, not {amount!r}", code="invalid_arguments"
        )
    return amount


def checked_prefix(prefix: object) -> str:
    """A key prefix: any str (``""`` for every key)."""
    if not isinstance(prefix, str):
        raise PuterInputTypeError(
            f"prefix must be a str, not {type(prefix).__name__}", code="invalid_arguments"
        )
    if not prefix.isascii():
        _check_text(prefix, "prefix")
    return prefix


def checked_batch(mapping: object, what: str = "mapping") -> int:
    """About how many bytes a ``batchPut`` of ``mapping`` sends, once every key and value
    is checked; ``ValueError`` when that is over the server's request limit."""
    if not isinstance(mapping, Mapping):
        raise PuterInputTypeError(
            f"{what} must be a mapping of keys to values, not {type(mapping).__name__}",
            code="invalid_item",
        )
    if not mapping:
        raise PuterInputError(
            f"{what} is empty: a batch needs at least one item", code="items_required"
        )
    total = 0
    for key, value in mapping.items():
        total += len(checked_key(key, f"a key of {what}").encode("utf-8"))
        total += checked_value(value, f"{what}[{key!r}]") + _ITEM_OVERHEAD
    if total > MAX_REQUEST_BYTES:
        raise PuterInputError(
            f"{what} is about {total:,} bytes as JSON; one request may carry at most "
            f"{MAX_REQUEST_BYTES:,} bytes: split it into several calls",
            code="value_too_large",
        )
    return total


_ITEM_OVERHEAD = len('{"key":"","value":},')


# ------------------------------------------------------------ document paths

_INDEX = re.compile(r"\[\d*\]")


def checked_path(path: object, what: str = "path") -> str:
    """A document path inside a value (``"a.b"``, ``"list[0]"``; ``""`` is the value
    itself) that the server would walk: a ``str`` with no segment named ``__proto__``,
    ``constructor`` or ``prototype`` (the server refuses those, 400 ``bad_request``)."""
    if not isinstance(path, str):
        raise PuterInputTypeError(
            f"{what} must be a str, not {type(path).__name__}", code="paths_invalid"
        )
    if not path.isascii():
        _check_text(path, what)
    for chunk in path.split("."):
        name = _INDEX.split(chunk)[0]
        if name in FORBIDDEN_OBJECT_KEYS:
            raise PuterInputError(
                f"{what} {path!r} walks through {name!r}, which the server refuses "
                f"({_FORBIDDEN_LIST})",
                code="bad_request",
            )
    return path


def checked_path_values(paths: object, what: str = "paths") -> dict[str, Any]:
    """A ``{path: JSON value}`` map, every path and value checked; at least one path."""
    if not isinstance(paths, Mapping):
        raise PuterInputTypeError(
            f"{what} must be a mapping of document paths to values, not {type(paths).__name__}",
            code="path_map_invalid",
        )
    if not paths:
        raise PuterInputError(f"{what} cannot be empty", code="path_map_invalid")
    for path, value in paths.items():
        checked_path(path, f"a path of {what}")
        checked_value(value, f"{what}[{path!r}]")
    return dict(paths)


def checked_amounts(amounts: object, what: str = "amount") -> dict[str, float]:
    """A ``{path: amount}`` map of finite numbers; at least one path."""
    if not isinstance(amounts, Mapping):
        raise PuterInputTypeError(
            f"{what} must be a number or a mapping of document paths to numbers, not "
            f"{type(amounts).__name__}",
            code="path_map_invalid",
        )
    if not amounts:
        raise PuterInputError(f"{what} cannot be an empty mapping", code="path_map_invalid")
    result = {}
    for path, amount in amounts.items():
        result[checked_path(path, f"a path of {what}")] = checked_amount(
            amount, f"{what}[{path!r}]"
        )
    return result


def checked_paths(paths: tuple[object, ...]) -> list[str]:
    """The paths given to ``remove`` as separate arguments: at least one, each a ``str``."""
    if len(paths) == 1 and isinstance(paths[0], (list, tuple)):
        raise PuterInputTypeError(
            "give the paths as separate arguments: remove(key, 'a', 'b.c')",
            code="paths_invalid",
        )
    if not paths:
        raise PuterInputError("at least one path is required", code="arguments_required")
    return [checked_path(path, f"paths[{index}]") for index, path in enumerate(paths)]


def checked_ttl(ttl: object) -> float | None:
    """An optional number of seconds until expiry (puter.js: ``ttl_invalid`` otherwise)."""
    if ttl is None:
        return None
    return checked_seconds(ttl, "ttl", code="ttl_invalid")


# ------------------------------------------------------------------ listings


def checked_pattern(pattern: object) -> str:
    """A listing pattern: any ``str``."""
    if not isinstance(pattern, str):
        raise PuterInputTypeError(
            f"pattern must be a str, not {type(pattern).__name__}", code="invalid_arguments"
        )
    if not pattern.isascii():
        _check_text(pattern, "pattern")
    return pattern


def checked_limit(limit: object, what: str = "limit") -> int:
    """A page size: an ``int`` of at least 1."""
    if isinstance(limit, bool) or not isinstance(limit, int):
        raise PuterInputTypeError(
            f"{what} must be an int, not {type(limit).__name__}", code="invalid_arguments"
        )
    if limit < 1:
        raise PuterInputError(f"{what} must be at least 1, not {limit}", code="invalid_arguments")
    return limit


def checked_item_limit(limit: object) -> int | None:
    """How many items a listing yields at most: ``None`` (all) or an ``int`` >= 0."""
    if limit is None:
        return None
    if isinstance(limit, bool) or not isinstance(limit, int):
        raise PuterInputTypeError(
            f"limit must be an int or None, not {type(limit).__name__}", code="invalid_arguments"
        )
    if limit < 0:
        raise PuterInputError(f"limit must be >= 0, not {limit}", code="invalid_arguments")
    return limit


def checked_cursor(cursor: object) -> str:
    """A page cursor as a listing gave it: a non-empty ``str``."""
    if not isinstance(cursor, str):
        raise PuterInputTypeError(
            f"cursor must be a str (a page's cursor), not {type(cursor).__name__}",
            code="invalid_arguments",
        )
    if not cursor.strip():
        raise PuterInputError("cursor must not be empty", code="invalid_arguments")
    return cursor


def checked_flag(flag: object, what: str) -> bool:
    """``True`` or ``False``."""
    if not isinstance(flag, bool):
        raise PuterInputTypeError(
            f"{what} must be True or False, not {flag!r}", code="invalid_arguments"
        )
    return flag
