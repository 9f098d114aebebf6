"""The base of every API schema in Felles: text that arrives in a request is plain text.

Every app's schemas derive from `felles.core.schemas.Schema` instead of `ninja.Schema`, so
each string in a request body (top-level fields, and strings inside lists and objects such
as order answers) is refused with a bokmål field error if it holds a control character
(`core.validators`). A field counts as multi-line text (tabs and line breaks allowed) when
it may be longer than MULTILINE_LENGTH characters (`Field(max_length=…)`); every other text
field is a single line. Responses are never checked: what is stored is
shown as it is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import ninja
from ninja.schema import DjangoGetter
from pydantic import ModelWrapValidatorHandler, ValidationError, ValidationInfo, model_validator
from pydantic.fields import FieldInfo
from pydantic_core import InitErrorDetails

from felles.core.validators import (
    DATE_RANGE_MESSAGE,
    control_character,
    control_character_message,
    date_in_range,
)

# Descriptions, comments and minutes allow thousands of characters; names, references and
# codes at most a few hundred.
MULTILINE_LENGTH = 300


def is_multiline(field: FieldInfo) -> bool:
    for item in field.metadata:
        max_length = getattr(item, "max_length", None)
        if max_length is not None:
            return bool(max_length > MULTILINE_LENGTH)
    return False


def _check(value: Any, multiline: bool) -> None:
    if isinstance(value, dt.date):
        if not date_in_range(value):
            raise ValueError(str(DATE_RANGE_MESSAGE))
    elif isinstance(value, str):
        char = control_character(value, multiline=multiline)
        if char is not None:
            raise ValueError(control_character_message(char))
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _check(key, False)
            _check(item, multiline)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            _check(item, multiline)


class Schema(ninja.Schema):
    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(
        cls, values: Any, handler: ModelWrapValidatorHandler[Any], info: ValidationInfo
    ) -> Any:
        """ninja's own (it replaces it by name), with two changes.

        A response is validated without the plain-text check, and one that the API code
        built as a plain dict (a page of orders, the free rooms) as the dict it is: ninja
        wraps every value in a `DjangoGetter` first, which reads model attributes,
        resolvers and related managers — a few microseconds a field, most of the time of a
        long list. Objects, schemas with resolvers and requests go ninja's way.

        A request's values are checked once the fields are valid (`_plain_text`): one
        call per schema, not a validator per field, which every field of every response
        also paid for (6 % of an order read)."""
        response = bool(info.context and "response_status" in info.context)
        if response and type(values) is dict and not cls._ninja_resolvers:
            return handler(values)
        if cls.model_config.get("extra") == "forbid" or cls.model_config.get(
            "validate_assignment", False
        ):
            handler(values)
        model = handler(DjangoGetter(values, cls, info.context))
        if not response:
            _plain_text(cls, model)
        return model


def _plain_text(schema: type[Schema], model: Any) -> None:
    """Refuse a request whose text holds a control character (or whose date is out of
    range), each at its field: the errors carry the field's place in the request as a
    field validator's would (pydantic prefixes the place of a nested schema)."""
    errors: list[InitErrorDetails] = []
    sent = model.model_fields_set  # a default is not the request's text
    for name, field in schema.model_fields.items():
        value = getattr(model, name, None) if name in sent else None
        if value is None or isinstance(value, int | float | bool | ninja.Schema):
            continue  # a nested schema checked its own fields
        # The values of an object (e.g. order answers) may be long text; its keys may not.
        multiline = isinstance(value, Mapping) or is_multiline(field)
        try:
            _check(value, multiline)
        except ValueError as exc:
            # Named as the request names it (an alias), as a field validator's error was.
            alias = field.validation_alias
            place = alias if isinstance(alias, str) else field.alias or name
            errors.append(
                InitErrorDetails(type="value_error", loc=(place,), input=value, ctx={"error": exc})
            )
    if errors:
        raise ValidationError.from_exception_data(schema.__name__, errors)
