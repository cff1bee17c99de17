"""Django's JSON serializer, but with times to the microsecond.

The standard JSON encoder cuts times to milliseconds (as JavaScript's Date has them), so a
restored row would differ from the backed-up one. Registered as format `zio_json` by the
backup and restore commands; the output is ordinary JSON that `loaddata` of `json` reads too.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.serializers import json as django_json

# Reading needs no change: the fields parse full ISO times.
from django.core.serializers.json import Deserializer as Deserializer

FORMAT = "zio_json"


class ExactEncoder(django_json.DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(django_json.Serializer):
    def serialize(self, *args: Any, **options: Any) -> Any:
        # Options the serializer does not know itself are passed on to json.dump.
        options.setdefault("cls", ExactEncoder)
        return super().serialize(*args, **options)


def register() -> None:
    from django.core import serializers

    serializers.register_serializer(FORMAT, __name__)
