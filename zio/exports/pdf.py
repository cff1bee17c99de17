"""PDF writers: the waaier (cards of 10 × 21 cm, alone or two on an A4 sheet), the persona
sheet and the session pack.

Every PDF goes through `render_html`, the one function that imports WeasyPrint. Templates are
in zio/templates/exports/pdf/, the stylesheet in zio/static/css/pdf.css.

A card must never overflow. WeasyPrint knows how much fits, we do not, so the cards are fitted
by laying them out: every card side is a page of its own, and a side that takes more than one
page is first set in a smaller type (three sizes, 11 to 9 pt) and, if that is not enough, cut
where WeasyPrint broke the page, the rest going to an extra card ("vervolg"). The A4 variant
places the fitted sides on A4 sheets; their text area is exactly that of a card page.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from itertools import count
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from zio.common.money import format_euro
from zio.costs import chart
from zio.costs.selectors import CostOverview, DifferenceCell
from zio.personas.constants import Section

from .document import AUDIENCE_HELP, PersonaDocument, audience_label
from .formats import ExportContext, Rendered

# WeasyPrint reads files from here only (fonts, stylesheet, illustrations).
STATIC_DIR = (Path(__file__).parent.parent / "static").resolve()
BASE_URL = STATIC_DIR.as_uri() + "/"

# A tagged PDF with a title and a language: PDF/UA-1 as far as WeasyPrint can make it.
PDF_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1"}

FRONT_SECTIONS = (Section.WHO, Section.PROBLEMS, Section.WISHES, Section.NEEDS)
BACK_SECTIONS = (Section.CURRENT_SCHOOL, Section.CURRENT_PARENTS, Section.DESIRED, Section.IF_UNMET)
TONES = {
    Section.CURRENT_SCHOOL.value: "current",
    Section.CURRENT_PARENTS.value: "current",
    Section.DESIRED.value: "desired",
}

# Type sizes of a card's body text, largest first: CSS classes side--l/m/s (11, 10 and 9 pt).
# Below 9 pt a card is no longer readable at arm's length, so the text moves to an extra card.
SIZES = (("l", 11.0), ("m", 10.0), ("s", 9.0))
# For a first guess of the size (WeasyPrint decides in the end): the text area in points and a
# rough average width of a character of Atkinson Hyperlegible, in em.
TEXT_WIDTH_PT = 86 / 25.4 * 72
TEXT_HEIGHT_PT = 174 / 25.4 * 72
CHAR_WIDTH_EM = 0.5
FIRST_GUESS_MARGIN = 1.2
# How often a waaier is laid out again before we give up making it fit (never reached in
# practice: each round settles every side it touches).
MAX_ROUNDS = 6

ZERO = Decimal("0.00")
# The chart colours of zio.css (.cost-series-1 to -8). The SVG is drawn by WeasyPrint's own SVG
# renderer, which does not see the page's CSS, so the colours go in as attributes.
SERIES_COLOURS = (
    "#0b5f73",
    "#a3461a",
    "#6a3d9a",
    "#216e3a",
    "#8a5a00",
    "#2f4b9a",
    "#b0261b",
    "#5e6470",
)


# --- rendering ----------------------------------------------------------------------------


def allowed_url(url: str) -> bool:
    """WeasyPrint may read data: URIs and files in our static folder, and nothing else: no
    network, no other file. Texts are escaped, so no text can add a URL, but this rule does
    not depend on that."""
    parts = urlsplit(url)
    if parts.scheme == "data":
        return True
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    return Path(url2pathname(parts.path)).resolve().is_relative_to(STATIC_DIR)


@dataclass(frozen=True)
class Layout:
    """A document laid out by WeasyPrint: per page the element ids on it (an element split
    over pages is on each of them), and the PDF."""

    page_ids: list[frozenset[str]]
    document: Any  # weasyprint.Document

    def pages_with(self, element_id: str) -> list[int]:
        return [number for number, ids in enumerate(self.page_ids) if element_id in ids]

    def pdf(self) -> bytes:
        return bytes(self.document.write_pdf(**PDF_OPTIONS))


def render_html(html: str) -> Layout:
    """Lay out `html` with WeasyPrint: the one place that imports it (it is slow to import,
    and pages that only list the formats should not pay for it). Relative URLs resolve against
    the static folder, and the URL fetcher refuses everything `allowed_url` does not allow."""
    import weasyprint  # noqa: TID251
    from weasyprint.text.fonts import FontConfiguration  # noqa: TID251
    from weasyprint.urls import URLFetcher  # noqa: TID251

    class StaticOnly(URLFetcher):
        def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
            if not allowed_url(url):
                # WeasyPrint logs this and leaves the resource out.
                raise ValueError(f"Refused to fetch {url!r}: not a static file.")
            return super().fetch(url, headers)

    fetcher = StaticOnly(allowed_protocols={"file", "data"}, allow_redirects=False)
    fonts = FontConfiguration()
    document = weasyprint.HTML(
        string=html, base_url=BASE_URL, url_fetcher=fetcher, media_type="print"
    ).render(font_config=fonts, **PDF_OPTIONS)
    return Layout([frozenset(page.anchors) for page in document.pages], document)


def _page_context(context: ExportContext) -> dict[str, Any]:
    return {
        "context": context,
        "audience": audience_label(context.audience),
        "audience_help": AUDIENCE_HELP[context.audience],
    }


# --- cards: what goes on them -------------------------------------------------------------


def series_colour(series: int) -> str:
    return SERIES_COLOURS[(series - 1) % len(SERIES_COLOURS)]


@dataclass(frozen=True)
class Segment:
    """A chart segment with its colour."""

    drawn: chart.Segment

    @property
    def colour(self) -> str:
        return series_colour(self.drawn.series)


@dataclass(frozen=True)
class CostBar:
    title: str
    total: Decimal
    segments: list[Segment]
    summary: str  # the bar in words, as the SVG's title


@dataclass(frozen=True)
class CostRow:
    payer: str
    series: int
    cells: list[Decimal]

    @property
    def colour(self) -> str:
        return series_colour(self.series)


@dataclass(frozen=True)
class CardCosts:
    """Costs per payer now and in the first desired situation, small enough for a card."""

    columns: list[str]
    bars: list[CostBar]
    rows: list[CostRow]
    totals: list[Decimal]
    difference: DifferenceCell | None
    has_amounts: bool


def card_costs(overview: CostOverview) -> CardCosts:
    views = [v for v in (overview.current, overview.first_desired) if v is not None]
    columns = [
        _("Nu")
        if view is overview.current
        else " ".join(filter(None, [_("Gewenst"), view.scenario.label]))
        for view in views
    ]
    drawn = chart.stacked_bars(
        [(view.title, [(a.series, a.payer.name, a.amount) for a in view.payers]) for view in views]
    )
    bars = [
        CostBar(
            title=view.title,
            total=view.totals.total,
            segments=[Segment(segment) for segment in bar.segments],
            summary="; ".join(
                f"{segment.name}: {format_euro(segment.amount)}" for segment in bar.segments
            ),
        )
        for view, bar in zip(views, drawn.bars, strict=True)
    ]
    rows = []
    for payer in overview.payers:
        cells = [view.totals.per_payer.get(payer.payer.code, ZERO) for view in views]
        if any(cells):
            rows.append(CostRow(payer.payer.name, payer.series, cells))
    return CardCosts(
        columns=columns,
        bars=bars,
        rows=rows,
        totals=[view.totals.total for view in views],
        difference=overview.summary_total,
        has_amounts=any(view.totals.total for view in views),
    )


@dataclass(frozen=True)
class CardBlock:
    kind: Literal["intro", "section", "costs"]
    key: str = ""
    heading: str = ""  # empty for the rest of a section that began on the card before
    items: tuple[str, ...] = ()
    tone: str = ""

    @property
    def is_continued(self) -> bool:
        return self.kind == "section" and not self.heading


@dataclass(frozen=True)
class CardSide:
    document: PersonaDocument
    face: Literal["front", "back"]
    blocks: tuple[CardBlock, ...]
    costs: CardCosts | None
    uid: int  # unique within one layout: the prefix of the element ids
    size: int = 0  # index into SIZES
    part: int = 0  # 0: the persona's own card; 1, 2, ...: extra cards
    label: str = ""  # printed at the top of an extra card

    @property
    def size_class(self) -> str:
        return SIZES[self.size][0]

    @property
    def anchor(self) -> str:
        return f"s{self.uid}"


@dataclass(frozen=True)
class Card:
    front: CardSide
    back: CardSide


def _section_block(document: PersonaDocument, key: Section) -> CardBlock | None:
    section = document.section(key)
    if section is None:
        return None
    return CardBlock(
        "section", section.key, section.heading, tuple(section.items), TONES.get(section.key, "")
    )


def _estimated_height(blocks: Iterable[CardBlock], costs: CardCosts | None, size: float) -> float:
    """A rough height in points: enough to pick a first type size."""
    line = size * 1.35
    per_line = TEXT_WIDTH_PT / (size * CHAR_WIDTH_EM)
    height = 0.0
    for block in blocks:
        if block.kind == "intro":
            height += 80
        elif block.kind == "costs":
            rows = len(costs.rows) if costs else 0
            height += 130 + 17 * rows
        else:
            height += 1.6 * line + 8
            lines = sum(math.ceil(len(item) / per_line) for item in block.items)
            height += max(lines, 1) * line
    return height


def _first_size(blocks: tuple[CardBlock, ...], costs: CardCosts | None) -> int:
    for index, (_class, points) in enumerate(SIZES):
        # The estimate runs high (a side estimated at 1.1 to 1.3 times the text area often
        # still fits): guess the larger type, the fitting shrinks it if need be.
        if _estimated_height(blocks, costs, points) <= TEXT_HEIGHT_PT * FIRST_GUESS_MARGIN:
            return index
    return len(SIZES) - 1


def card_sides(document: PersonaDocument, uids: Iterator[int]) -> tuple[CardSide, CardSide]:
    """The front and back of a persona's card, before fitting."""
    front_blocks = (CardBlock("intro"),) + tuple(
        block for key in FRONT_SECTIONS if (block := _section_block(document, key))
    )
    back_blocks = tuple(block for key in BACK_SECTIONS if (block := _section_block(document, key)))
    costs = card_costs(document.costs) if document.costs is not None else None
    if costs is not None:
        back_blocks += (CardBlock("costs"),)
    front = CardSide(document, "front", front_blocks, None, next(uids))
    back = CardSide(document, "back", back_blocks, costs, next(uids))
    return (
        replace(front, size=_first_size(front.blocks, None)),
        replace(back, size=_first_size(back.blocks, costs)),
    )


# --- cards: fitting -----------------------------------------------------------------------


def _render_sides(sides: Sequence[CardSide], context: ExportContext) -> Layout:
    html = render_to_string("exports/pdf/waaier.html", {**_page_context(context), "sides": sides})
    return render_html(html)


def _split(side: CardSide, layout: Layout, uids: Iterator[int]) -> list[CardSide]:
    """Cut `side` where WeasyPrint broke its pages: one card side per page."""
    pages = layout.pages_with(side.anchor)

    def part_of(element_id: str) -> int:
        first = layout.pages_with(element_id)
        return pages.index(first[0]) if first and first[0] in pages else 0

    parts: list[list[CardBlock]] = [[] for _page in pages]
    for k, block in enumerate(side.blocks):
        block_id = f"{side.anchor}-b{k}"
        if block.kind != "section" or not block.items:
            parts[part_of(block_id)].append(block)
            continue
        by_part: dict[int, list[str]] = {}
        for j, item in enumerate(block.items):
            by_part.setdefault(part_of(f"{block_id}-i{j}"), []).append(item)
        first = min(by_part)
        for number, items in sorted(by_part.items()):
            heading = block.heading if number == first else ""
            parts[number].append(replace(block, heading=heading, items=tuple(items)))
    filled = [blocks for blocks in parts if blocks]
    if len(filled) == 1:
        # WeasyPrint broke the page after the last element (a margin, say): move the last line
        # on, so that every round makes progress.
        filled = _move_last_item(filled[0])
    result = [replace(side, blocks=tuple(filled[0]), uid=next(uids))]
    for blocks in filled[1:]:
        result.append(_extra_side(side, tuple(blocks), next(uids), part=side.part + len(result)))
    return result


def _move_last_item(blocks: list[CardBlock]) -> list[list[CardBlock]]:
    last = blocks[-1]
    if last.kind == "section" and len(last.items) > 1:
        return [
            [*blocks[:-1], replace(last, items=last.items[:-1])],
            [replace(last, heading="", items=last.items[-1:])],
        ]
    if len(blocks) > 1:
        return [blocks[:-1], [last]]
    return [blocks]  # one block that cannot be cut: leave it (it cannot be that long)


def _extra_side(side: CardSide, blocks: tuple[CardBlock, ...], uid: int, part: int) -> CardSide:
    label = _("%(name)s, vervolg") % {"name": side.document.name}
    if blocks and blocks[0].is_continued and (section := side.document.section(blocks[0].key)):
        label = f"{label}: {section.heading}"
    return replace(side, blocks=blocks, uid=uid, part=part, label=label)


def _blank_side(side: CardSide, face: Literal["front", "back"], uid: int, part: int) -> CardSide:
    """The other side of an extra card whose text only continues one side."""
    return replace(
        side,
        face=face,
        blocks=(),
        uid=uid,
        part=part,
        label=_("%(name)s, vervolg") % {"name": side.document.name},
    )


def _pair(fronts: list[CardSide], backs: list[CardSide], uids: Iterator[int]) -> list[Card]:
    cards = []
    for part in range(max(len(fronts), len(backs))):
        front = fronts[part] if part < len(fronts) else None
        back = backs[part] if part < len(backs) else None
        if front is None:
            assert back is not None
            front = _blank_side(back, "front", next(uids), part)
        if back is None:
            back = _blank_side(front, "back", next(uids), part)
        cards.append(Card(front, back))
    return cards


@dataclass
class FittedCards:
    cards: list[Card]
    layout: Layout  # the cards laid out one side per page, in card order
    notes: list[str] = field(default_factory=list)


def fit_cards(documents: Sequence[PersonaDocument], context: ExportContext) -> FittedCards:
    """Every persona's card, with each side fitting on one card page (see the module's
    docstring). The layout of the last round is the waaier itself: when the first guess of the
    type sizes fits, the cards are laid out once."""
    uids = count()
    # Per persona its front parts and its back parts: more than one when the text continues
    # on extra cards. The lists are changed in place while fitting.
    fronts: list[list[CardSide]] = []
    backs: list[list[CardSide]] = []
    for document in documents:
        front, back = card_sides(document, uids)
        fronts.append([front])
        backs.append([back])
    groups = [*fronts, *backs]

    def laid_out() -> tuple[list[Card], Layout]:
        cards = [c for f, b in zip(fronts, backs, strict=True) for c in _pair(f, b, uids)]
        return cards, _render_sides([s for c in cards for s in (c.front, c.back)], context)

    cards, layout = laid_out()
    for _round in range(MAX_ROUNDS):
        too_long = [
            (group, index)
            for group in groups
            for index, side in enumerate(group)
            if _pages(side, layout) > 1
        ]
        if not too_long:
            break
        _shrink_or_split(too_long, layout, context, uids)
        for group in groups:
            # Extra cards follow their first card: renumber the parts (and so their labels).
            for number, side in enumerate(group):
                if number and side.part != number:
                    group[number] = _extra_side(side, side.blocks, side.uid, number)
        cards, layout = laid_out()

    notes = []
    for document, f, b in zip(documents, fronts, backs, strict=True):
        extra = max(len(f), len(b)) - 1
        if extra:
            notes.append(
                ngettext(
                    "De kaart van %(name)s was te vol: de tekst loopt door op een extra kaart.",
                    "De kaart van %(name)s was te vol: de tekst loopt door op %(count)s extra "
                    "kaarten.",
                    extra,
                )
                % {"name": document.name, "count": extra}
            )
    return FittedCards(cards, layout, notes)


def _pages(side: CardSide, layout: Layout) -> int:
    return len(layout.pages_with(side.anchor))


def _shrink_or_split(
    too_long: list[tuple[list[CardSide], int]],
    layout: Layout,
    context: ExportContext,
    uids: Iterator[int],
) -> None:
    """Make the sides at `too_long` (a list of parts and an index in it) fit: in smaller type
    first, all of them measured together in one small document per step, then cut over extra
    cards where the smallest type is not enough. Changes the lists."""
    measured = {group[index].uid: layout for group, index in too_long}
    shrinking = [(group, index) for group, index in too_long if group[index].size < len(SIZES) - 1]
    while shrinking:
        for group, index in shrinking:
            group[index] = replace(group[index], size=group[index].size + 1, uid=next(uids))
        small = _render_sides([group[index] for group, index in shrinking], context)
        for group, index in shrinking:
            measured[group[index].uid] = small
        shrinking = [
            (group, index)
            for group, index in shrinking
            if _pages(group[index], small) > 1 and group[index].size < len(SIZES) - 1
        ]
    # From the last index down, so that cutting a side does not move the ones still to come.
    for group, index in sorted(too_long, key=lambda entry: -entry[1]):
        side = group[index]
        if _pages(side, measured[side.uid]) > 1:
            group[index : index + 1] = _split(side, measured[side.uid], uids)


# --- persona sheets -----------------------------------------------------------------------


@dataclass(frozen=True)
class ChartBar:
    drawn: chart.Bar
    segments: list[Segment]


@dataclass(frozen=True)
class LegendEntry:
    payer: str
    series: int

    @property
    def colour(self) -> str:
        return series_colour(self.series)


@dataclass(frozen=True)
class Sheet:
    """A persona on A4 (`anchor`: the id the pack's contents link to)."""

    document: PersonaDocument
    anchor: str

    @property
    def bars(self) -> list[ChartBar]:
        if self.document.costs is None:
            return []
        return [
            ChartBar(bar, [Segment(segment) for segment in bar.segments])
            for bar in self.document.costs.chart.bars
        ]

    @property
    def legend(self) -> list[LegendEntry]:
        if self.document.costs is None:
            return []
        return [LegendEntry(p.payer.name, p.series) for p in self.document.costs.payers]


def _sheets(documents: Sequence[PersonaDocument]) -> list[Sheet]:
    return [Sheet(document, f"persona-{number}") for number, document in enumerate(documents, 1)]


# --- writers ------------------------------------------------------------------------------


def waaier_cards(documents: Sequence[PersonaDocument], context: ExportContext) -> Rendered:
    """One card per persona, 10 × 21 cm plus bleed with crop marks: front, back, front, ...
    Printed double-sided on card stock, flipped on the long edge, each back is behind its
    front."""
    fitted = fit_cards(documents, context)
    return Rendered(fitted.layout.pdf(), fitted.notes)


@dataclass(frozen=True)
class Slot:
    position: Literal["left", "right"]
    side: CardSide | None


@dataclass(frozen=True)
class A4Page:
    face: Literal["front", "back"]
    slots: tuple[Slot, Slot]


def a4_pages(cards: Sequence[Card]) -> list[A4Page]:
    """Two cards per sheet of A4 (portrait: a card is as tall as A4 is wide, so on landscape
    there would be no margin left for the printer or the crop marks). Fronts on one page, backs
    on the next, mirrored: a sheet printed double-sided and flipped on the long edge (the usual
    duplex setting for portrait) has the back of the left card behind it, on the right."""
    pages = []
    for start in range(0, len(cards), 2):
        left = cards[start]
        right = cards[start + 1] if start + 1 < len(cards) else None
        pages.append(
            A4Page(
                "front",
                (Slot("left", left.front), Slot("right", right.front if right else None)),
            )
        )
        pages.append(
            A4Page("back", (Slot("left", right.back if right else None), Slot("right", left.back)))
        )
    return pages


def waaier_a4(documents: Sequence[PersonaDocument], context: ExportContext) -> Rendered:
    """The same cards as `waaier_cards`, two side by side on A4 to print double-sided (flip on
    the long edge) and cut out along the crop marks."""
    fitted = fit_cards(documents, context)
    html = render_to_string(
        "exports/pdf/waaier_a4.html",
        {
            **_page_context(context),
            "pages": a4_pages(fitted.cards),
            "crop_marks": ("v1", "v2", "v3", "v4", "v5", "v6", "h1", "h2", "h3", "h4"),
        },
    )
    notes = [
        _(
            "Druk dubbelzijdig af op werkelijke grootte en kies omslaan via de lange kant: dan "
            "komt elke achterkant achter zijn voorkant. Knip daarna langs de snijtekens."
        ),
        *fitted.notes,
    ]
    return Rendered(render_html(html).pdf(), notes)


def persona_sheets(documents: Sequence[PersonaDocument], context: ExportContext) -> Rendered:
    """A persona on A4 with every section and cost line in full. The export calls this with
    one persona per file; more than one go into the same file, each on a new page."""
    title = (
        _("Persona-blad: %(name)s") % {"name": documents[0].name}
        if len(documents) == 1
        else context.title
    )
    html = render_to_string(
        "exports/pdf/sheets.html",
        {**_page_context(context), "title": title, "sheets": _sheets(documents)},
    )
    return Rendered(render_html(html).pdf())


def session_pack(documents: Sequence[PersonaDocument], context: ExportContext) -> Rendered:
    """A cover, a contents page with page numbers and every persona sheet: one PDF for a
    session."""
    html = render_to_string(
        "exports/pdf/pack.html",
        {**_page_context(context), "sheets": _sheets(documents)},
    )
    return Rendered(render_html(html).pdf())
