"""Dutch search terms for the library: words, a small Dutch stemmer, and what the two
databases are asked. Pure: no ORM, no Django.

PostgreSQL's Dutch configuration (Snowball) stems "overprikkeling" to "overprikkel" but leaves
"overprikkeld" as it is, so the Dutch configuration alone does not find one with the other.
Both databases therefore also search for our own stem as a prefix:

- PostgreSQL: every word becomes `(word:* | stem:*)` in a `to_tsquery('dutch', ...)`, matched
  against `to_tsvector('dutch', search_text)` (the Dutch configuration drops stop words and
  stems the lexemes; the prefix catches the forms it does not join).
- SQLite: the text is stored stemmed (`normalise`), and every stem of the query must start a
  word there (`" " + stem`, compared with LIKE).

The stemmer is deliberately simple (suffix stripping, then undoubling a final consonant); it
only has to give a word and its inflections the same beginning, on both sides alike.
"""

from __future__ import annotations

import re
import unicodedata

MAX_TERMS = 10
MIN_STEM = 3

# Frequent Dutch words that carry no meaning in a search (PostgreSQL's Dutch configuration
# drops these and more; the fallback needs its own short list).
# A text split into words reads better here than a list of sixty quoted strings.
STOP_WORDS = frozenset(
    """aan al als bij dan dat de der des die dit door een en er geen het hij hoe
    ik in is je maar met na naar niet nog of om on ook op over te tot u uit van
    voor wat we wie wij zal ze zij zijn zo""".split()  # noqa: SIM905
)

# An ending is (ending, replacement, letters it may follow; "" for any). A replacement keeps
# what a longer ending shares with a shorter one ("ingen" -> "ing").
Rule = tuple[str, str, str]
# Plurals: "-s" only where Dutch writes one (prikkels, leraars, concentraties), not in "klas".
_PLURAL: tuple[Rule, ...] = (
    ("heden", "heid", ""),
    ("ingen", "ing", ""),
    ("eren", "er", ""),
    ("en", "", ""),
    ("s", "", "elrnm"),
)
_DERIVATION: tuple[Rule, ...] = (
    ("lijk", "", ""),
    ("baar", "", ""),
    ("heid", "", ""),
    ("ing", "", ""),
    ("end", "", ""),
    ("ig", "", ""),
)
# Verb forms and inflection; not the "t" of "angst" or "vast".
_INFLECTION: tuple[Rule, ...] = (
    ("de", "", ""),
    ("te", "", "abcdefghijklmnopqrtuvwxyz"),
    ("d", "", ""),
    ("t", "", "abcdefghijklmnopqrtuvwxyz"),
    ("e", "", ""),
)
_DOUBLE = re.compile(r"([bcdfgklmnprstvz])\1$")
# "probleem" and "problemen", "jaar" and "jaren": a long vowel is written double only in a
# closed syllable, so one of the two is dropped.
_LONG_VOWEL = re.compile(r"([aeou])\1([^aeiou])$")
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower case without accents: "Geïmporteerd" -> "geimporteerd"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The words of a text, lower case, accents kept (PostgreSQL's lexemes keep them)."""
    return _WORD.findall(text.casefold())


def _strip(word: str, rules: tuple[Rule, ...]) -> str:
    for ending, replacement, after in rules:
        rest = word[: len(word) - len(ending)]
        if (
            word.endswith(ending)
            and len(rest) + len(replacement) >= MIN_STEM
            and (not after or rest[-1] in after)
        ):
            return rest + replacement
    return word


def stem(word: str) -> str:
    """A Dutch word's stem: "overprikkeling", "overprikkeld" and "overprikkelingen" all give
    "overprikkel"; "concentratie(s)" gives "concentrati"."""
    result = fold(word)
    if len(result) <= MIN_STEM or not result.isalpha():
        return result
    result = _strip(result, _PLURAL)
    # A derivation ("veiligheid" -> "veilig"), else an inflection ("angstige" -> "angstig"),
    # then one more derivation ("veilig" -> "veil", "angstig" -> "angst").
    shorter = _strip(result, _DERIVATION)
    result = _strip(result, _INFLECTION) if shorter == result else shorter
    result = _strip(result, _DERIVATION)
    if len(result) > MIN_STEM:
        result = _DOUBLE.sub(r"\1", result)
    return _LONG_VOWEL.sub(r"\1\2", result) if len(result) > MIN_STEM else result


def normalise(text: str) -> str:
    """The text as the SQLite fallback stores it: stems between spaces, so that
    `" " + stem` finds the start of a word."""
    return " " + " ".join(stem(w) for w in words(text)) + " "


def query_words(query: str) -> list[str]:
    """The words of a search query that count: no stop words, no single letters, no repeats,
    at most MAX_TERMS."""
    found = [w for w in words(query) if len(w) > 1 and fold(w) not in STOP_WORDS]
    return list(dict.fromkeys(found))[:MAX_TERMS]


def fallback_patterns(query: str) -> list[str]:
    """What `search_normalised` must contain for each query word (all must match)."""
    return [" " + stem(w) for w in query_words(query)]


def tsquery(query: str) -> str:
    """A `to_tsquery` text (search type "raw") for PostgreSQL: every word as itself or as our
    stem, both as a prefix, all words required. Only letters and digits reach it, so a user
    cannot write tsquery syntax; "" when nothing is left to search for."""
    terms = []
    for word in query_words(query):
        options = dict.fromkeys([word, stem(word)])
        terms.append("(" + " | ".join(f"{o}:*" for o in options) + ")")
    return " & ".join(terms)
