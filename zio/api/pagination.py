"""Limit/offset pagination with bounds in the schema, so that a client learns the limits
from the OpenAPI document and a huge offset is refused before it reaches the database."""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from .constants import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET


class Pagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per pagina.")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Zoveel items overslaan.")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(max_limit=MAX_LIMIT)
