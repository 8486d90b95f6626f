"""ISO 4217 currencies.

The one source of minor units in the library: ISO 4217 List One (see
:mod:`backoffice.core._iso4217` for the table and its date). Currencies are shared,
immutable objects; compare them with ``is`` or ``==``.
"""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, NoReturn

from backoffice.core import _iso4217
from backoffice.errors import InvalidType, UnknownCurrency

if TYPE_CHECKING:
    import moneyed
    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
    from pydantic.json_schema import JsonSchemaValue
    from pydantic_core import CoreSchema

__all__ = ["DECIMALS_WITHOUT_MINOR_UNIT", "Currency", "currencies", "get_currency"]

#: Decimals booked for the currencies ISO 4217 gives no minor unit (XAU, XDR, XTS...):
#: a millionth, enough for a troy ounce of gold or a special drawing right.
DECIMALS_WITHOUT_MINOR_UNIT: Final = 6


class Currency:
    """An ISO 4217 currency: ``code``, ``numeric`` code and ``minor_units``.

    Instances are shared: ``get_currency("EUR") is get_currency("EUR")``. Build them
    with :func:`get_currency` (or pass the code wherever a currency is expected).

    Attributes:
        code: alphabetic code, ``"EUR"``.
        numeric: numeric code, ``"978"``.
        minor_units: decimals of the minor unit (2 for EUR, 0 for JPY, 3 for KWD), or
            ``None`` where ISO 4217 defines none (XAU, XDR...).
        decimals: the decimals a :class:`~backoffice.core.money.Money` in this
            currency is booked with: ``minor_units``, or
            :data:`DECIMALS_WITHOUT_MINOR_UNIT` where ISO 4217 defines none.
        quantum: the booked step as a ``Decimal`` (``Decimal("0.01")`` for EUR).
        withdrawn: date of withdrawal from ISO 4217 List One, for the few recently
            withdrawn codes kept for older documents; ``None`` for active currencies.
    """

    __slots__ = ("code", "decimals", "minor_units", "numeric", "quantum", "scale", "withdrawn")

    code: str
    numeric: str
    minor_units: int | None
    decimals: int
    scale: int
    quantum: Decimal
    withdrawn: date | None

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise InvalidType("use get_currency('EUR') to obtain a Currency")

    @classmethod
    def _create(
        cls, code: str, numeric: str, minor_units: int | None, withdrawn: date | None
    ) -> Currency:
        obj = object.__new__(cls)
        object.__setattr__(obj, "code", code)
        object.__setattr__(obj, "numeric", numeric)
        object.__setattr__(obj, "minor_units", minor_units)
        decimals = DECIMALS_WITHOUT_MINOR_UNIT if minor_units is None else minor_units
        object.__setattr__(obj, "decimals", decimals)
        object.__setattr__(obj, "scale", 10**decimals)
        object.__setattr__(obj, "quantum", Decimal((0, (1,), -decimals)))
        object.__setattr__(obj, "withdrawn", withdrawn)
        return obj

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError("Currency is immutable")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError("Currency is immutable")

    def __repr__(self) -> str:
        return f"Currency({self.code!r})"

    def __str__(self) -> str:
        return self.code

    def __reduce__(self) -> tuple[Any, ...]:
        return (get_currency, (self.code,))

    def __copy__(self) -> Currency:
        return self

    def __deepcopy__(self, memo: object) -> Currency:
        return self

    def name(self, locale: str = "en") -> str:
        """The currency's name in ``locale`` (``"euro"`` in ``fr_FR``)."""
        from babel.numbers import get_currency_name

        from backoffice.core.l10n import normalize_locale

        return str(get_currency_name(self.code, locale=normalize_locale(locale)))

    def symbol(self, locale: str) -> str:
        """The currency's symbol in ``locale`` (``"R$"`` for BRL in ``pt_BR``)."""
        from babel.numbers import get_currency_symbol

        from backoffice.core.l10n import normalize_locale

        return str(get_currency_symbol(self.code, locale=normalize_locale(locale)))

    def to_moneyed(self) -> moneyed.Currency:
        """The matching :class:`moneyed.Currency` (registered there if missing)."""
        import moneyed

        try:
            return moneyed.get_currency(self.code)
        except moneyed.CurrencyDoesNotExist:
            sub_unit = 1 if self.minor_units is None else 10**self.minor_units
            return moneyed.add_currency(self.code, self.numeric, sub_unit=sub_unit)

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        from pydantic_core import core_schema

        from backoffice.core._pydantic import wrap_validator

        return core_schema.no_info_plain_validator_function(
            wrap_validator(lambda value: get_currency(value)),
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda value: value.code, when_used="json"
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "string", "pattern": "^[A-Z]{3}$", "description": "ISO 4217 code"}


_CURRENCIES: dict[str, Currency] = {}
_BY_NUMERIC: dict[str, Currency] = {}
_currency_lock = threading.Lock()


def _load_currencies() -> None:
    with _currency_lock:
        if _CURRENCIES:
            return
        for code, (numeric, minor, withdrawn) in _iso4217.WITHDRAWN.items():
            currency = Currency._create(code, numeric, minor, withdrawn)
            _CURRENCIES[code] = currency
            _BY_NUMERIC[numeric] = currency
        for code, (numeric, minor) in _iso4217.ACTIVE.items():
            currency = Currency._create(code, numeric, minor, None)
            _CURRENCIES[code] = currency
            _BY_NUMERIC[numeric] = currency  # active codes win over withdrawn ones


_load_currencies()


def get_currency(code: object) -> Currency:
    """The :class:`Currency` for an ISO 4217 code (``"EUR"``, ``"eur"``, ``"978"``).

    Also accepts a :class:`Currency` (returned as is) or a :class:`moneyed.Currency`.

    Raises:
        UnknownCurrency: not an ISO 4217 code.
    """
    if isinstance(code, Currency):
        return code
    if isinstance(code, str):
        key = code.strip().upper()
        found = _CURRENCIES.get(key) or (_BY_NUMERIC.get(key) if key.isdigit() else None)
        if found is not None:
            return found
        raise UnknownCurrency(currency=code)
    moneyed_code = getattr(code, "code", None)
    if isinstance(moneyed_code, str) and type(code).__module__.startswith("moneyed"):
        return get_currency(moneyed_code)
    raise UnknownCurrency(currency=code)


def currencies() -> tuple[Currency, ...]:
    """Every known currency, active ones and the recently withdrawn, sorted by code."""
    return tuple(_CURRENCIES[code] for code in sorted(_CURRENCIES))
