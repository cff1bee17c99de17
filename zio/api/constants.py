"""Fixed values of the API and its tokens."""

from datetime import timedelta

API_VERSION = "1"
# A token starts with this, so that it is recognisable in a configuration file or a leak
# scanner, and cannot be confused with another system's secret.
TOKEN_PREFIX = "zio_"  # noqa: S105 - a label, not a secret
# Shown in the list of tokens so that people can tell them apart: the prefix and this many
# characters of the secret. Too few to help anyone guess the rest (the secret has 256 bits).
VISIBLE_CHARACTERS = 8
# `last_used_at` is written at most this often per token: a write per request would make
# every read a write.
LAST_USED_INTERVAL = timedelta(minutes=1)
# Longest life a token may be given; without an end date it lives until it is revoked.
MAX_VALID_DAYS = 366
# Pagination: a page holds this many items unless `limit` asks otherwise, and never more than
# MAX_LIMIT; an offset beyond MAX_OFFSET is refused rather than sent to the database.
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_OFFSET = 100_000
# Ids in paths are database keys; anything outside this range cannot exist.
MAX_ID = 2**31 - 1
