"""The PDF exports, read back with poppler (pdftotext, pdfinfo, pdffonts, pdftoppm) and Pillow.

WeasyPrint takes about a second per document, so the PDFs are made once per module, in one
database transaction that is rolled back at the end, and the tests read the files.
"""

from __future__ import annotations

import re
import subprocess
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from PIL import Image
from pytest_django import DjangoDbBlocker

from zio.costs.constants import ScenarioKind
from zio.costs.models import FundingStream, Payer
from zio.costs.reference_data import seed_payers_and_streams
from zio.exports import pdf
from zio.exports.document import (
    PARENT_HEADINGS,
    Audience,
    PersonaDocument,
    audience_label,
    persona_document,
)
from zio.exports.formats import FORMATS_BY_KEY, ExportContext, Rendered
from zio.exports.tests.factories import HOSTILE_TEXTS, SECTION_TEXTS, TOTALS, filled_persona
from zio.organisations.tests.factories import OrganisationFactory
from zio.personas.constants import Section
from zio.personas.models import Persona

MM = 72 / 25.4  # PDF points per millimetre
ORGANISATION = "SBO De Regenboog"
TITLE = "Persona's van SBO De Regenboog"
# Lotte's "Wie" section is far too long for one card, even in the smallest type.
LONG_LINES = tuple(
    f"Regel {n}: Lotte komt 's ochtends binnen met een rugzak vol zorgen over thuis, over de bus "
    "en over de toets van vanmiddag, en heeft tijd nodig om rustig te worden voordat zij kan "
    "beginnen; de leerkracht ziet het aan haar houding en begint met een praatje bij de deur."
    for n in range(1, 15)
)
# Mo's is too long for 11 pt, but fits in smaller type.
MEDIUM_LINES = tuple(
    f"Mo {n}: speelt het liefst buiten met een bal, praat veel en snel, en zoekt de hele dag "
    "contact met de juf om te horen of het goed gaat met wat hij doet."
    for n in range(1, 7)
)
CARD_PAYERS = ("School / bevoegd gezag", "Samenwerkingsverband", "Gemeente")

# Every test: pytest-django only creates the test database for a run that has tests marked so.
pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Output:
    path: Path
    notes: list[str]


@dataclass(frozen=True)
class Exports:
    cards: Output  # partners: Esra, Daan (hostile texts), Lotte (too long), Mo (medium)
    a4: Output  # partners: Esra, Daan, Lotte
    pack: Output  # intern: Esra, Daan, Lotte
    parents_sheet: Output  # ouders: Esra
    parents_cards: Output  # ouders: Esra
    partners_sheet: Output  # partners: Esra
    date: str  # the export date as printed, e.g. "3 februari 2027"


def _write(folder: Path, name: str, rendered: Rendered) -> Output:
    assert isinstance(rendered.content, bytes)
    path = folder / f"{name}.pdf"
    path.write_bytes(rendered.content)
    return Output(path, rendered.notes)


@pytest.fixture(scope="module")
def exports(
    django_db_setup: None,
    django_db_blocker: DjangoDbBlocker,
    tmp_path_factory: pytest.TempPathFactory,
) -> Exports:
    folder = tmp_path_factory.mktemp("pdf")
    made_at = timezone.now()
    with (
        django_db_blocker.unblock(),
        translation.override("nl"),
        transaction.atomic(),
    ):
        if not Payer.objects.exists():  # see the reference_data fixture in conftest.py
            seed_payers_and_streams(Payer, FundingStream)
        organisation = OrganisationFactory.create(name=ORGANISATION)
        esra = filled_persona(organisation, name="Esra")
        daan = filled_persona(organisation, name="Daan", extra_texts=HOSTILE_TEXTS)
        lotte = filled_persona(organisation, name="Lotte", extra_texts=LONG_LINES)
        mo = filled_persona(organisation, name="Mo", extra_texts=MEDIUM_LINES)

        def render(key: str, audience: Audience, *personas: Persona) -> Rendered:
            documents = [persona_document(p, audience) for p in personas]
            context = ExportContext(audience, ORGANISATION, TITLE, made_at)
            return FORMATS_BY_KEY[key].render(documents, context)

        result = Exports(
            cards=_write(
                folder, "cards", render("waaier", Audience.PARTNERS, esra, daan, lotte, mo)
            ),
            a4=_write(folder, "a4", render("waaier-a4", Audience.PARTNERS, esra, daan, lotte)),
            pack=_write(folder, "pack", render("pakket", Audience.INTERNAL, esra, daan, lotte)),
            parents_sheet=_write(folder, "parents-sheet", render("blad", Audience.PARENTS, esra)),
            parents_cards=_write(folder, "parents-cards", render("waaier", Audience.PARENTS, esra)),
            partners_sheet=_write(
                folder, "partners-sheet", render("blad", Audience.PARTNERS, esra)
            ),
            date=date_format(timezone.localtime(made_at), "j F Y"),
        )
        transaction.set_rollback(True)
    return result


# --- readers ------------------------------------------------------------------------------


def run(*command: str | Path) -> str:
    return subprocess.run(
        [str(part) for part in command], check=True, capture_output=True, text=True
    ).stdout


def text(path: Path, first: int | None = None, last: int | None = None, *crop: float) -> str:
    """pdftotext -layout of pages first..last (1-based), optionally of a crop box in points
    (x, y, width, height)."""
    command: list[str | Path] = ["pdftotext", "-layout"]
    if first is not None:
        command += ["-f", str(first), "-l", str(last or first)]
    if crop:
        for flag, value in zip(("-x", "-y", "-W", "-H"), crop, strict=True):
            command += [flag, str(round(value))]
    return run(*command, path, "-")


def flat(value: str) -> str:
    """Without any white space: lines wrap differently on every card, words do not change."""
    return "".join(value.split())


def pages(path: Path) -> list[str]:
    return text(path).split("\f")[:-1]


def info(path: Path, *options: str) -> dict[str, str]:
    lines = run("pdfinfo", *options, path).splitlines()
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in lines)}


def page_size_mm(path: Path) -> tuple[float, float]:
    match = re.match(r"([\d.]+) x ([\d.]+) pts", info(path)["Page size"])
    assert match
    return float(match[1]) / MM, float(match[2]) / MM


def words(path: Path) -> list[tuple[int, float, float, float, float, str]]:
    """Every word with its page (1-based) and box in millimetres from the top left corner of
    the page (the media box, bleed included): x0, y0, x1, y1."""
    found = []
    html = run("pdftotext", "-bbox", path, "-")
    for number, page in enumerate(html.split("<page ")[1:], 1):
        for box in re.finditer(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', page
        ):
            x0, y0, x1, y1 = (float(value) / MM for value in box.groups()[:4])
            found.append((number, x0, y0, x1, y1, box[5]))
    return found


def inside(low: float, start: float, end: float, high: float) -> bool:
    """Whether start..end lies within low..high, give or take half a millimetre."""
    return low - 0.5 <= start and end <= high + 0.5


def assert_not_blank(path: Path, tmp_path: Path) -> None:
    run("pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "1", "-singlefile", path, tmp_path / "p")
    with Image.open(tmp_path / "p.png") as image:
        grey = image.convert("L")
        dark = sum(grey.histogram()[:200])
    assert dark > 100, f"{path.name}: the first page is (nearly) white"


# --- the waaier ---------------------------------------------------------------------------


def test_a_card_is_10_by_21_cm_with_5_mm_bleed_for_the_crop_marks(exports: Exports) -> None:
    width, height = page_size_mm(exports.cards.path)
    assert (round(width), round(height)) == (110, 220)
    trim = info(exports.cards.path, "-box")["TrimBox"].split()
    x0, y0, x1, y1 = (float(value) for value in trim)
    assert (round((x1 - x0) / MM), round((y1 - y0) / MM)) == (100, 210)


def test_card_text_stays_within_the_margins(exports: Exports) -> None:
    # The page includes 5 mm of bleed: the card's text area is 12 to 98 mm from the left.
    found = words(exports.cards.path)
    assert len(found) > 500
    for page, x0, _y0, x1, _y1, word in found:
        assert inside(12, x0, x1, 98), (page, word)


def test_front_and_back_of_a_card(exports: Exports) -> None:
    front, back = (flat(page) for page in pages(exports.cards.path)[:2])
    assert flat("Esra") in front
    assert flat("12 leerlingen") in front
    for section in (Section.WHO, Section.PROBLEMS, Section.WISHES, Section.NEEDS):
        assert flat(section.heading("Esra")) in front
        for item in SECTION_TEXTS[section]:
            assert flat(item) in front
    for section in (
        Section.CURRENT_SCHOOL,
        Section.CURRENT_PARENTS,
        Section.DESIRED,
        Section.IF_UNMET,
    ):
        assert flat(section.heading("Esra")) in back
        assert flat(section.heading("Esra")) not in front
        for item in SECTION_TEXTS[section]:
            assert flat(item) in back


def test_the_back_shows_the_costs_per_payer_now_and_desired(exports: Exports) -> None:
    back = pages(exports.cards.path)[1]
    for kind in (ScenarioKind.CURRENT, ScenarioKind.DESIRED):
        assert f"€ {TOTALS[kind]}" in back.replace("\u00a0", " ")
    # The alternative's costs stay on the sheet: the card compares now and desired only.
    assert TOTALS[ScenarioKind.IF_UNMET] not in back
    for payer in CARD_PAYERS:
        # A long name wraps in its table cell, with the amounts of its row in between.
        assert all(word in back for word in payer.split()), payer
    assert flat("+ € 3.000,00 duurder") in flat(back)


def test_every_card_side_is_one_page_front_then_back(exports: Exports) -> None:
    texts = pages(exports.cards.path)
    # Esra, Daan and Mo one card each; Lotte's card continues on extra cards.
    extra = len(texts) // 2 - 4
    assert len(texts) % 2 == 0 and extra >= 1
    fronts = texts[0::2]
    names = [next(n for n in ("Esra", "Daan", "Lotte", "Mo") if n in page) for page in fronts]
    assert names == ["Esra", "Daan", "Lotte"] + ["Lotte"] * extra + ["Mo"]


def test_a_card_that_is_too_full_continues_on_an_extra_card(exports: Exports) -> None:
    texts = pages(exports.cards.path)
    extra = len(texts) // 2 - 4
    expected = "een extra kaart" if extra == 1 else f"{extra} extra kaarten"
    assert exports.cards.notes == [
        f"De kaart van Lotte was te vol: de tekst loopt door op {expected}."
    ]
    lotte = [page for page in texts if "Lotte" in page]
    everything = flat("".join(lotte))
    for line in LONG_LINES:
        assert flat(line) in everything
    # Nothing lost from the rest of the front, and the extra card says whose it is.
    for item in SECTION_TEXTS[Section.NEEDS]:
        assert flat(item) in everything
    assert "Lotte, vervolg" in "".join(lotte[2:])


def test_text_that_fits_in_smaller_type_stays_on_one_card(exports: Exports) -> None:
    texts = pages(exports.cards.path)
    mo_front, mo_back = texts[-2], texts[-1]
    for line in MEDIUM_LINES:
        assert flat(line) in flat(mo_front)
    assert "vervolg" not in mo_front + mo_back
    assert not any("Mo" in note for note in exports.cards.notes)


def test_card_footer_prints_audience_organisation_and_date(exports: Exports) -> None:
    footer = flat(f"{audience_label(Audience.PARTNERS)} · {ORGANISATION} · {exports.date}")
    for page in pages(exports.cards.path):
        assert footer in flat(page)


def test_waaier_on_a4_two_cards_per_portrait_page(exports: Exports) -> None:
    width, height = page_size_mm(exports.a4.path)
    assert (round(width), round(height)) == (210, 297)
    cards = len(pages(exports.cards.path)) // 2 - 1  # the same cards, without Mo's
    texts = pages(exports.a4.path)
    assert len(texts) == 2 * ((cards + 1) // 2)
    assert "omslaan via de lange kant" in exports.a4.notes[0]


def test_a4_back_pages_are_mirrored_for_duplex(exports: Exports) -> None:
    left = (0, 0, 105 * MM, 297 * MM)
    right = (105 * MM, 0, 105 * MM, 297 * MM)
    # Page 1: Esra's front on the left, Daan's on the right. Page 2: their backs, swapped,
    # so that flipped on the long edge each back lies behind its front.
    assert "Esra" in text(exports.a4.path, 1, 1, *left)
    assert "Daan" in text(exports.a4.path, 1, 1, *right)
    assert flat("als Daan niet krijgt") in flat(text(exports.a4.path, 2, 2, *left))
    assert flat("als Esra niet krijgt") in flat(text(exports.a4.path, 2, 2, *right))


def test_a4_cards_keep_their_text_inside_the_card(exports: Exports) -> None:
    """Cards on A4 are clipped to their text area. pdftotext still sees clipped text, so a
    word outside the text area (86 mm wide, 7 mm in from the card's edges; the footer below
    it) would have been cut off."""
    found = words(exports.a4.path)
    assert len(found) > 500
    for page, x0, y0, x1, y1, word in found:
        if y1 < 43.5:
            continue  # the printing hint above the cards
        top = 43.5  # of the cards
        assert inside(12, x0, x1, 98) or inside(112, x0, x1, 198), (page, word)
        assert (
            inside(top + 22, y0, y1, top + 22 + 174)  # the text area
            or inside(top + 199, y0, y1, top + 210)  # the footer
            or inside(top + 10, y0, y1, top + 22)  # the "vervolg" label
        ), (page, word)


# --- sheets and pack ----------------------------------------------------------------------


def test_pack_cover_and_contents_with_page_numbers(exports: Exports) -> None:
    texts = pages(exports.pack.path)
    cover = flat(texts[0])
    for expected in (TITLE, audience_label(Audience.INTERNAL), ORGANISATION, exports.date):
        assert flat(expected) in cover
    contents = texts[1]
    numbers = {}
    for name in ("Esra", "Daan", "Lotte"):
        match = re.search(rf"^\s*{name}\s*\.*\s*(\d+)\s*$", contents, re.MULTILINE)
        assert match, f"{name} is not in the contents with a page number"
        numbers[name] = int(match[1])
    assert numbers["Esra"] < numbers["Daan"] < numbers["Lotte"]
    for name, number in numbers.items():
        assert flat(f"Wie is {name}?") in flat(texts[number - 1])


def test_pack_has_every_section_item_and_total_of_every_persona(exports: Exports) -> None:
    everything = flat(text(exports.pack.path))
    for name in ("Esra", "Daan", "Lotte"):
        for section, items in SECTION_TEXTS.items():
            assert flat(section.heading(name)) in everything
            for item in items:
                assert flat(item) in everything
    for line in LONG_LINES:
        assert flat(line) in everything
    for total in TOTALS.values():
        assert everything.count(flat(f"€ {total}")) >= 3


def test_internal_sheet_shows_how_each_line_is_counted(exports: Exports) -> None:
    everything = flat(text(exports.pack.path))
    for expected in (
        "8 uur × 40 weken × € 50,00 voor de hele groep",
        "1 jaar × € 2.500,00, voor 4 leerlingen",
        "Geldstroom: Eigen middelen school",
        "Jeugdhulpverlener in de groep",
        "Per geldstroom",
        "Verschil met de huidige situatie",
        "− € 6.000,00 bespaart",
    ):
        assert flat(expected) in everything


def test_partners_sheet_shows_lines_and_totals_without_calculations(exports: Exports) -> None:
    everything = flat(text(exports.partners_sheet.path))
    for expected in (
        "Jeugdhulpverlener in de groep",
        "Gemeente",
        "€ 16.000,00",
        *(f"€ {total}" for total in TOTALS.values()),
        "Per betaler",
        "Verschil met de huidige situatie",
    ):
        assert flat(expected) in everything
    for hidden in ("8 uur × 40 weken", "Geldstroom", "Per geldstroom"):
        assert flat(hidden) not in everything
    assert info(exports.partners_sheet.path)["Title"] == "Persona-blad: Esra"


def test_parents_see_no_costs_and_no_payers(exports: Exports) -> None:
    for output in (exports.parents_sheet, exports.parents_cards):
        everything = text(output.path)
        assert "€" not in everything
        for payer in CARD_PAYERS:
            assert payer not in everything, payer
        assert "Kosten" not in everything
        for section in Section:
            if section in PARENT_HEADINGS:
                heading = str(PARENT_HEADINGS[section]) % {"name": "Esra"}
                assert flat(heading) in flat(everything)
        assert audience_label(Audience.PARENTS) in everything
        assert output.notes == []


# --- safety and accessibility -------------------------------------------------------------


def test_hostile_texts_come_out_as_text(exports: Exports) -> None:
    for path in (exports.cards.path, exports.pack.path):
        everything = flat(text(path))
        for hostile in HOSTILE_TEXTS[:5]:
            assert flat(hostile) in everything
        # The emoji may have no glyph in our fonts; the words around them must survive.
        assert flat("Blij") in everything and flat("met de leerkracht") in everything
        assert "<script>" in text(path)


def test_first_pages_are_not_blank(exports: Exports, tmp_path: Path) -> None:
    for output in (exports.cards, exports.a4, exports.pack, exports.parents_sheet):
        assert_not_blank(output.path, tmp_path)


def _catalogue_and_streams(path: Path) -> bytes:
    """The PDF's bytes with every compressed stream inflated, to look for catalogue keys."""
    data = path.read_bytes()
    inflated = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.DOTALL):
        try:
            inflated.append(zlib.decompress(match[1]))
        except zlib.error:
            continue
    return b"".join(inflated)


def test_pdfs_are_tagged_with_title_and_language_and_embed_their_fonts(exports: Exports) -> None:
    for output in (exports.cards, exports.a4, exports.pack, exports.partners_sheet):
        metadata = info(output.path)
        assert metadata["Tagged"] == "yes"
        assert metadata["Title"]
        assert b"/Lang (nl)" in _catalogue_and_streams(output.path)
        fonts = run("pdffonts", output.path).splitlines()[2:]
        assert any("Atkinson-Hyperlegible" in font for font in fonts)
        assert all(font.split()[-5] == "yes" for font in fonts), fonts  # the "emb" column
    assert info(exports.pack.path)["Title"] == TITLE


def test_only_static_files_and_data_uris_may_be_fetched() -> None:
    static = pdf.STATIC_DIR
    assert pdf.allowed_url((static / "css" / "pdf.css").as_uri())
    assert pdf.allowed_url("data:image/svg+xml,%3Csvg%3E%3C/svg%3E")
    assert not pdf.allowed_url((static / ".." / ".." / "config" / "settings.py").as_uri())
    assert not pdf.allowed_url("file:///etc/passwd")
    assert not pdf.allowed_url("http://example.org/a.png")
    assert not pdf.allowed_url("https://example.org/a.css")
    assert not pdf.allowed_url("ftp://example.org/a")
    assert not pdf.allowed_url("file://example.org" + str(static / "css" / "pdf.css"))


@pytest.fixture
def web_server() -> Iterator[tuple[str, list[str]]]:
    """A local web server that records every request it gets."""
    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requests
    finally:
        server.shutdown()
        server.server_close()


def test_rendering_fetches_nothing_over_the_network(
    web_server: tuple[str, list[str]], caplog: pytest.LogCaptureFixture
) -> None:
    url, requests = web_server
    html = (
        f'<html lang="nl"><head><title>t</title><link rel="stylesheet" href="{url}/a.css">'
        f"<style>p {{ background: url({url}/b.png) }}</style></head>"
        f'<body><p>Tekst</p><img src="{url}/c.png" alt="c"><img src="file:///etc/hostname" '
        'alt="d"></body></html>'
    )
    layout = pdf.render_html(html)
    assert layout.pdf().startswith(b"%PDF")
    assert requests == []
    # WeasyPrint did ask for all four, and our fetcher refused them.
    refused = [r for r in caplog.records if "Refused to fetch" in r.getMessage()]
    assert len(refused) == 4


def test_an_escaped_image_tag_in_a_text_is_printed_not_loaded(
    web_server: tuple[str, list[str]],
) -> None:
    url, requests = web_server
    persona = filled_persona(name="Sam", extra_texts=(f'<img src="{url}/x.png" alt="x">',))
    document: PersonaDocument = persona_document(persona, Audience.PARENTS)
    context = ExportContext(Audience.PARENTS, ORGANISATION, TITLE, timezone.now())
    rendered = pdf.persona_sheets([document], context)
    assert requests == []
    assert rendered.content.startswith(b"%PDF")
