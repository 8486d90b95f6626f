"""Localisation: message catalogs and babel formatting with an explicit locale.

Nothing here reads or changes the process locale: every function takes the locale as
an argument (``"fr_FR"``, ``"pt_BR"``, ``"en_US"``; ``"fr-FR"`` is accepted too).

Message catalogs map an error or message ``code`` to a template in one language.
English templates live beside the code (the ``template`` of each error class); other
languages are registered with :func:`register_messages`, which later capabilities call
for their own codes. Look-ups fall back from ``pt_BR`` to ``pt``, then give up
(``None``) so that the caller can use its English text.
"""

from __future__ import annotations

import decimal
import re
import threading
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Final, Literal

from backoffice.errors import InvalidValue, UnknownLocale, render

if TYPE_CHECKING:
    from babel import Locale

    from backoffice.core.money import Money, Rate
    from backoffice.core.quantity import Quantity

__all__ = [
    "format_date",
    "format_datetime",
    "format_decimal",
    "format_money",
    "format_percent",
    "format_quantity",
    "message_locales",
    "normalize_locale",
    "register_messages",
    "translate",
]

_lock = threading.Lock()

#: babel does decimal arithmetic in the thread's context; every babel call here runs in
#: this one instead (as a local context), so the caller's context neither changes the
#: result nor sees its flags change.
BABEL_CONTEXT: Final = decimal.Context(
    prec=400,
    rounding=decimal.ROUND_HALF_EVEN,
    Emax=decimal.MAX_EMAX,
    Emin=decimal.MIN_EMIN,
    capitals=1,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)
_catalogs: dict[str, dict[str, str]] = {}
_builtin_loaded = False


def register_messages(catalogs: Mapping[str, Mapping[str, str]]) -> None:
    """Add translated templates: ``{"fr": {"money.parse": "..."}, "pt_BR": {...}}``.

    Keys of the outer mapping are locale identifiers (a language such as ``"fr"`` or a
    language and territory such as ``"pt_BR"``); inner keys are message codes. A later
    registration of the same code and locale replaces the earlier one, built-in ones
    included.
    """
    _ensure_builtin()
    _register(catalogs)


def _register(catalogs: Mapping[str, Mapping[str, str]]) -> None:
    with _lock:
        for locale, messages in catalogs.items():
            _catalogs.setdefault(_catalog_key(locale), {}).update(messages)


def _catalog_key(locale: str) -> str:
    """``"pt-br"``, ``"PT_BR"`` → ``"pt_BR"``; ``"FR"`` → ``"fr"``."""
    parts = locale.replace("-", "_").split("_")
    language = parts[0].lower()
    return "_".join([language, *(part.upper() for part in parts[1:])]) if parts[1:] else language


def _ensure_builtin() -> None:
    global _builtin_loaded
    if not _builtin_loaded:
        from backoffice._messages import CATALOGS

        _builtin_loaded = True
        _register(CATALOGS)


def message_locales() -> tuple[str, ...]:
    """The locales that have a message catalog (English is always available)."""
    _ensure_builtin()
    return ("en", *sorted(_catalogs))


def translate(code: str, locale: str, details: Mapping[str, Any]) -> str | None:
    """The message ``code`` rendered in ``locale`` with ``details``, or ``None``.

    ``None`` means no catalog has the code for that locale or its language: callers
    fall back to their English text.
    """
    _ensure_builtin()
    key = _catalog_key(locale)
    for candidate in (key, key.split("_", 1)[0]):
        template = _catalogs.get(candidate, {}).get(code)
        if template is not None:
            return render(template, details)
    return None


@lru_cache(maxsize=64)
def _babel_locale(identifier: str) -> Locale:
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(identifier.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError) as exc:
        raise UnknownLocale(locale=identifier) from exc


def normalize_locale(locale: str) -> str:
    """Check ``locale`` against babel and return it as ``ll_TT`` (``"fr-fr"`` → ``"fr_FR"``).

    Raises:
        UnknownLocale: babel has no data for it.
    """
    if not isinstance(locale, str) or not locale:
        raise UnknownLocale(locale=locale)
    return str(_babel_locale(locale))


def format_decimal(value: Decimal | int, locale: str, *, decimals: int | None = None) -> str:
    """Format a number with the locale's separators, exactly.

    With ``decimals``, exactly that many decimals are shown (the value must already have
    at most that many: nothing is rounded here); without, the value's own decimals are.
    """
    from babel.numbers import format_decimal as babel_format_decimal

    from backoffice.core._numbers import to_decimal

    number = to_decimal(value, "value", 'Decimal("1234.5")')
    if not number:
        number = number.copy_abs()
    shown = _exponent_decimals(number) if decimals is None else decimals
    if _exponent_decimals(number) > shown:
        raise InvalidValue(
            f"{number} has more than {shown} decimals: round it explicitly before formatting",
            field="value",
            reason=f"more than {shown} decimals",
        )
    pattern = "#,##0" + ("." + "0" * shown if shown else "")
    with decimal.localcontext(BABEL_CONTEXT):
        return babel_format_decimal(
            number, format=pattern, locale=_babel_locale(locale), decimal_quantization=False
        )


def _exponent_decimals(number: Decimal) -> int:
    """Decimals as written (``1.50`` has two), not as needed."""
    from backoffice.core._numbers import exponent_of

    return max(0, -exponent_of(number))


def format_money(money: Money, locale: str, *, style: Literal["symbol", "code"] = "symbol") -> str:
    """Format an amount as the locale writes it: ``1 234,56 €`` in ``fr_FR``.

    The number of decimals is the currency's ISO 4217 minor unit (not the locale's
    CLDR guess), and nothing is rounded: the amount is shown as it is.

    Args:
        money: the amount.
        locale: ``"fr_FR"``, ``"pt_BR"``, ``"en_US"``...
        style: ``"symbol"`` (``€``) or ``"code"`` (``EUR``).
    """
    from babel.numbers import parse_pattern

    babel_locale = _babel_locale(locale)
    shown = money.currency.decimals
    pattern = parse_pattern(babel_locale.currency_formats["standard"].pattern)
    pattern.frac_prec = (shown, shown)
    with decimal.localcontext(BABEL_CONTEXT):
        text = pattern.apply(
            money.amount,
            babel_locale,
            currency=money.currency.code,
            currency_digits=False,
            decimal_quantization=False,
        )
    if style == "code":
        symbol = babel_locale.currency_symbols.get(money.currency.code, money.currency.code)
        if symbol != money.currency.code:
            text = text.replace(symbol, money.currency.code)
    # CLDR currency spacing: a symbol made of letters never touches the digits.
    return _LETTER_DIGIT.sub("\u00a0", text)


_LETTER_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")


def format_percent(rate: Rate, locale: str, *, decimals: int | None = None) -> str:
    """Format a rate as a percentage: ``20 %`` in ``fr_FR``, ``5.5%`` in ``en_US``.

    Without ``decimals`` the rate's own decimals are shown; nothing is rounded.
    """
    from babel.numbers import parse_pattern

    babel_locale = _babel_locale(locale)
    percent = rate.percent_value
    shown = _exponent_decimals(percent) if decimals is None else decimals
    if _exponent_decimals(percent) > shown:
        raise InvalidValue(
            f"{percent} % has more than {shown} decimals: round it explicitly before formatting"
        )
    pattern = parse_pattern(babel_locale.percent_formats[None].pattern)
    pattern.frac_prec = (shown, shown)
    with decimal.localcontext(BABEL_CONTEXT):
        return str(pattern.apply(rate.ratio, babel_locale, decimal_quantization=False))


def format_quantity(quantity: Quantity, locale: str) -> str:
    """Format a quantity with its unit's symbol: ``1 234,5 kg`` in ``fr_FR``."""
    return f"{format_decimal(quantity.value, locale)}\u00a0{quantity.unit.symbol}"


def format_date(
    value: date, locale: str, *, format: Literal["short", "medium", "long", "full"] = "medium"
) -> str:
    """Format a date the locale's way (``31 janv. 2026`` in ``fr_FR``)."""
    from babel.dates import format_date as babel_format_date

    from backoffice.core.time import ensure_date

    day = ensure_date(value, "value")
    return str(babel_format_date(day, format=format, locale=_babel_locale(locale)))


def format_datetime(
    value: datetime,
    locale: str,
    *,
    format: Literal["short", "medium", "long", "full"] = "medium",
) -> str:
    """Format an aware datetime in its own time zone, the locale's way."""
    from babel.dates import format_datetime as babel_format_datetime

    from backoffice.core.time import ensure_aware

    aware = ensure_aware(value, "value")
    return str(
        babel_format_datetime(
            aware, format=format, tzinfo=aware.tzinfo, locale=_babel_locale(locale)
        )
    )
