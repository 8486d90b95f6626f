"""Helpers that let the library's value types serve as pydantic v2 field types.

Imported only when pydantic builds a schema, so ``import backoffice`` never loads
pydantic.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic_core import PydanticCustomError, core_schema

from backoffice.errors import BackofficeError

T = TypeVar("T")


def wrap_validator(build: Callable[[Any], T]) -> Callable[[Any], T]:
    """Run ``build`` and turn the library's errors into pydantic errors.

    pydantic only collects ``ValueError``; our ``TypeError`` subclasses (a float where
    money is due) would escape it. The pydantic error's type is the library's stable
    code, so API clients can switch on it.
    """

    def validate(value: Any) -> T:
        try:
            return build(value)
        except BackofficeError as exc:
            raise PydanticCustomError(exc.code, "{message}", {"message": exc.message}) from None

    return validate


def object_schema(
    cls: type[T], build: Callable[[Any], T], dump: Callable[[T], dict[str, str]]
) -> core_schema.CoreSchema:
    """A schema that validates with ``build`` and dumps to ``dump`` in JSON mode.

    In Python mode (``model_dump()``) the value stays an instance of ``cls``; in JSON
    mode (``model_dump(mode="json")``, ``model_dump_json()``) it becomes the dict.
    """
    return core_schema.no_info_plain_validator_function(
        wrap_validator(build),
        serialization=core_schema.plain_serializer_function_ser_schema(dump, when_used="json"),
    )
