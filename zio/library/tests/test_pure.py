"""The pure parts of the library: the Dutch stemmer and search terms, the group-size bands,
and what the public copy leaves out. No database."""

from __future__ import annotations

import pytest

from zio.library import public_copy, search


@pytest.mark.parametrize(
    ("forms", "shared"),
    [
        (("overprikkeling", "overprikkeld", "overprikkelingen", "overprikkelt"), "overprikkel"),
        (("concentratie", "concentraties"), "concentrati"),
        (("angstig", "angstige"), "angst"),
        (("werken", "werkt", "werkte"), "werk"),
        (("prikkels", "prikkel"), "prikkel"),
        (("veiligheid", "veilig"), "veil"),
        (("probleem", "problemen"), "problem"),
        (("jaar", "jaren"), "jar"),
    ],
)
def test_word_forms_share_a_stem(forms: tuple[str, ...], shared: str) -> None:
    assert {search.stem(word) for word in forms} == {shared}


def test_short_words_and_accents() -> None:
    assert search.stem("les") == "les"
    assert search.stem("lessen") == "les"
    assert search.stem("Geïmporteerd") == search.stem("geimporteerd")
    assert search.stem("groep5") == "groep5"


def test_query_words_drop_stop_words_repeats_and_single_letters() -> None:
    assert search.query_words("De overprikkeling, de x en OVERPRIKKELING") == ["overprikkeling"]
    assert len(search.query_words(" ".join(f"woord{n}" for n in range(30)))) == search.MAX_TERMS


def test_tsquery_keeps_tsquery_syntax_out() -> None:
    assert search.tsquery("overprikkeld") == "(overprikkeld:* | overprikkel:*)"
    assert search.tsquery("kind") == "(kind:* | kin:*)"
    hostile = search.tsquery("a' | !b & (c:* <-> 'd) jeugdhulp")
    assert hostile == "(jeugdhulp:*)"
    assert search.tsquery("de het een") == ""


def test_fallback_finds_the_start_of_a_stemmed_word() -> None:
    stored = search.normalise("Veel overprikkeling in een drukke klas.")
    assert all(p in stored for p in search.fallback_patterns("overprikkeld klassen"))
    assert not all(p in stored for p in search.fallback_patterns("overprikkeld thuiszitten"))
    # A word inside another word is no match: only the start of a word counts.
    assert " prikkel" not in search.normalise("overprikkeling")


@pytest.mark.parametrize(
    ("size", "band", "label"),
    [
        (0, (0, 10), "minder dan 10 leerlingen"),
        (9, (0, 10), "minder dan 10 leerlingen"),
        (10, (10, 25), "10 tot 25 leerlingen"),
        (24, (10, 25), "10 tot 25 leerlingen"),
        (25, (25, 50), "25 tot 50 leerlingen"),
        (99, (50, 100), "50 tot 100 leerlingen"),
        (249, (100, 250), "100 tot 250 leerlingen"),
        (4000, (250, None), "250 leerlingen of meer"),
    ],
)
def test_group_size_bands(size: int, band: tuple[int, int | None], label: str) -> None:
    assert public_copy.size_band(size, 10) == band
    assert public_copy.band_label(*band) == label


def test_bands_follow_a_higher_threshold() -> None:
    assert public_copy.size_band(20, 30) == (0, 30)
    assert public_copy.size_band(30, 30) == (30, 50)  # the 25 edge is below the threshold


def _data() -> dict:
    return {
        "format": "zio-persona",
        "persona": {
            "name": "Esra",
            "group_size": 12,
            "sections": {
                "problemen": [
                    {"text": "Overprikkeling", "signal": {"name": "Overprikkeling"}},
                    {"text": "Eigen woord", "signal": {"name": "Eigen signaal"}},
                ],
                "kosten_huidig": [{"text": "Geld van het SWV"}],
            },
            "scenarios": [
                {
                    "kind": "huidig",
                    "label": "",
                    "name": "",
                    "lines": [
                        {
                            "description": "Jeugdhulp",
                            "pupils": 4,
                            "tariff": {"name": "Tarief Regio X", "year": 2026},
                        }
                    ],
                }
            ],
        },
    }


def test_scrub_removes_what_the_library_must_not_hold() -> None:
    data = _data()
    result = public_copy.scrub(data, with_costs=True, shared_signals=["overprikkeling"])
    persona = result["persona"]
    assert persona["group_size"] is None
    problems = persona["sections"]["problemen"]
    assert problems[0]["signal"] == {"name": "Overprikkeling"}  # shared: kept
    assert problems[1] == {"text": "Eigen woord"}  # own signal: only the text
    line = persona["scenarios"][0]["lines"][0]
    assert line["pupils"] is None and "tariff" not in line
    assert data["persona"]["group_size"] == 12  # the input is not changed


def test_scrub_without_costs_drops_the_cost_model_and_cost_sections() -> None:
    result = public_copy.scrub(_data(), with_costs=False, shared_signals=[])
    assert "scenarios" not in result["persona"]
    assert "kosten_huidig" not in result["persona"]["sections"]
    assert [k for k, _ in public_copy.texts(result)] == ["naam", "problemen", "problemen"]


def test_mentions_and_email() -> None:
    assert public_copy.mentions("Op SBO de regenboog gaat het goed", ["SBO De Regenboog"])
    assert not public_copy.mentions("Een regenboog", ["SBO De Regenboog", " "])
    assert public_copy.has_email("Mail naar ib@school.example voor meer")
    assert not public_copy.has_email("Op @school en school.nl")
