"""The report (verslag) of a doen-sessie: everything the tables wrote, as one read, and its PDF.

`workshop_report` reads a workshop into frozen dataclasses in a fixed number of queries (one
per kind of row, whatever the number of tables, post-its or participants). `plane_svg` draws
the Goose Egg plane, draagvlak (support, vertical) × haalbaarheid (feasibility, horizontal), as
SVG with its colours in attributes: WeasyPrint's SVG renderer does not see CSS, and the web
page shows the same drawing. `report_pdf` renders the report through `exports.pdf.render_html`.

Participants are grouped under the table they sit at now (`Participant.table`); answers of
participants without a table are kept under `Report.without_table`, so that nothing written
in the session goes missing from its report.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from .constants import NoteKind
from .models import Choice, NextStep, Note, Participant, Reaction, Workshop, WorkshopTable
from .services import member_display_name

# --- what the report holds ---------------------------------------------------------------------


@dataclass(frozen=True)
class NoteLine:
    kind: str
    text: str
    detail: str
    votes: int


@dataclass(frozen=True)
class PlacedChoice:
    """One of the top 3's with its code on the plane: A1-A3 for actors, F1-F3 for factors.
    `support` and `feasibility` (0-100) are None until the table placed it."""

    code: str
    kind: str
    rank: int
    text: str
    support: int | None
    feasibility: int | None

    @property
    def is_actor(self) -> bool:
        return self.kind == NoteKind.ACTOR

    @property
    def is_placed(self) -> bool:
        return self.support is not None and self.feasibility is not None


@dataclass(frozen=True)
class ReactionLine:
    author: str
    text: str


@dataclass(frozen=True)
class StepLine:
    """A next step with all of 5W+H, and the plenary's reactions to it."""

    starter: str  # the label: "Om het draagvlak te versterken…"
    who: str
    what: str
    where: str
    when: str
    why: str
    how: str
    reactions: tuple[ReactionLine, ...]


@dataclass(frozen=True)
class IntroductionLine:
    who: str
    where_from: str
    why_here: str
    question: str


@dataclass(frozen=True)
class ClosingLine:
    my_next_step: str
    follow_up_question: str
    who_needed: str
    apply_tomorrow: str


@dataclass(frozen=True)
class PersonLine:
    """A participant with what they said in the opening and the closing round (either may be
    None when they did not answer)."""

    name: str
    organisation: str
    introduction: IntroductionLine | None
    closing: ClosingLine | None


@dataclass(frozen=True)
class TableReport:
    number: int  # 1-based place in the report; also makes the ids on the page unique
    name: str
    facilitator: str
    actors: tuple[NoteLine, ...]
    factors: tuple[NoteLine, ...]
    choices: tuple[PlacedChoice, ...]
    next_steps: tuple[StepLine, ...]
    people: tuple[PersonLine, ...]

    @property
    def placed(self) -> tuple[PlacedChoice, ...]:
        return tuple(c for c in self.choices if c.is_placed)

    @property
    def unplaced(self) -> tuple[PlacedChoice, ...]:
        return tuple(c for c in self.choices if not c.is_placed)

    @property
    def introductions(self) -> tuple[PersonLine, ...]:
        return tuple(p for p in self.people if p.introduction is not None)

    @property
    def closings(self) -> tuple[PersonLine, ...]:
        return tuple(p for p in self.people if p.closing is not None)

    @property
    def plane_id(self) -> str:
        return f"vlak-{self.number}"

    @property
    def plane(self) -> SafeString:
        """The plane of this table, titled in the language active while rendering."""
        return plane_svg(
            self.choices,
            title=_("Draagvlak en haalbaarheid van de top 3's van %(table)s")
            % {"table": self.name},
            title_id=self.plane_id,
        )


@dataclass(frozen=True)
class Report:
    workshop_id: int
    title: str
    question: str
    date: date
    organisation: str
    personas: tuple[str, ...]
    tables: tuple[TableReport, ...]
    without_table: tuple[PersonLine, ...] = field(default=())

    @property
    def unseated_introductions(self) -> tuple[PersonLine, ...]:
        return tuple(p for p in self.without_table if p.introduction is not None)

    @property
    def unseated_closings(self) -> tuple[PersonLine, ...]:
        return tuple(p for p in self.without_table if p.closing is not None)


# --- reading -------------------------------------------------------------------------------


def _person(participant: Participant) -> PersonLine | None:
    intro = getattr(participant, "introduction", None)
    closing = getattr(participant, "closing", None)
    if intro is None and closing is None:
        return None
    return PersonLine(
        name=participant.display_name,
        organisation=participant.organisation_name,
        introduction=IntroductionLine(intro.who, intro.where_from, intro.why_here, intro.question)
        if intro is not None
        else None,
        closing=ClosingLine(
            closing.my_next_step,
            closing.follow_up_question,
            closing.who_needed,
            closing.apply_tomorrow,
        )
        if closing is not None
        else None,
    )


def _note_lines(notes: Sequence[Note], kind: NoteKind) -> tuple[NoteLine, ...]:
    # Most votes first; equal votes in the order they were stuck on the canvas.
    chosen = [n for n in notes if n.kind == kind]
    chosen.sort(key=lambda n: -n.vote_count)  # type: ignore[attr-defined]
    return tuple(
        NoteLine(n.kind, n.text, n.detail, n.vote_count)  # type: ignore[attr-defined]
        for n in chosen
    )


def _choice(choice: Choice) -> PlacedChoice:
    letter = "A" if choice.kind == NoteKind.ACTOR else "F"
    return PlacedChoice(
        code=f"{letter}{choice.rank}",
        kind=choice.kind,
        rank=choice.rank,
        text=choice.note.text,
        support=choice.support,
        feasibility=choice.feasibility,
    )


def _step(step: NextStep) -> StepLine:
    return StepLine(
        starter=str(step.get_starter_display()),
        who=step.who,
        what=step.what,
        where=step.where,
        when=step.when,
        why=step.why,
        how=step.how,
        reactions=tuple(
            ReactionLine(r.participant.display_name if r.participant else "", r.text)
            for r in step.reactions.all()
        ),
    )


def workshop_report(workshop: Workshop) -> Report:
    """Everything the session produced, per table in the tables' order. At most eight queries,
    however large the session: tables, post-its with their votes, choices, next steps, reactions,
    participants with their answers, persona's and the organisation."""
    tables = list(
        workshop.tables.select_related("facilitator").prefetch_related(
            Prefetch(
                "notes",
                queryset=Note.objects.annotate(vote_count=Count("votes")).order_by(
                    "created_at", "pk"
                ),
            ),
            Prefetch(
                "choices",
                queryset=Choice.objects.select_related("note").order_by("kind", "rank"),
            ),
            Prefetch(
                "next_steps",
                queryset=NextStep.objects.order_by("created_at", "pk").prefetch_related(
                    Prefetch(
                        "reactions",
                        queryset=Reaction.objects.select_related("participant").order_by(
                            "created_at", "pk"
                        ),
                    )
                ),
            ),
        )
    )
    people: dict[int | None, list[PersonLine]] = defaultdict(list)
    for participant in workshop.participants.select_related("introduction", "closing").order_by(
        "joined_at", "pk"
    ):
        person = _person(participant)
        if person is not None:
            people[participant.table_id].append(person)

    table_reports = []
    for number, table in enumerate(tables, start=1):
        notes = list(table.notes.all())
        table_reports.append(
            TableReport(
                number=number,
                name=table.name,
                facilitator=_facilitator_name(table),
                actors=_note_lines(notes, NoteKind.ACTOR),
                factors=_note_lines(notes, NoteKind.FACTOR),
                choices=tuple(_choice(c) for c in table.choices.all()),
                next_steps=tuple(_step(s) for s in table.next_steps.all()),
                people=tuple(people.get(table.pk, ())),
            )
        )
    return Report(
        workshop_id=workshop.pk,
        title=workshop.title,
        question=workshop.question,
        date=timezone.localdate(workshop.created_at),
        organisation=workshop.organisation.name,
        personas=tuple(workshop.personas.order_by("name").values_list("name", flat=True)),
        tables=tuple(table_reports),
        without_table=tuple(people.get(None, ())),
    )


def _facilitator_name(table: WorkshopTable) -> str:
    if table.facilitator is None:
        return ""
    return member_display_name(table.facilitator)


# --- the plane -----------------------------------------------------------------------------

# Geometry in units of the viewBox: the square is SIDE wide, with room left and below for the
# axis names and numbers.
SIDE = 300
LEFT = 56
TOP = 14
BOTTOM = 52
RIGHT = 16
WIDTH = LEFT + SIDE + RIGHT
HEIGHT = TOP + SIDE + BOTTOM
DOT = 7  # radius of an actor's circle; a factor's square has the same area, near enough
INK = "#1d2433"
INK_SOFT = "#4a5263"
LINE = "#b8b2a4"
PAPER = "#ffffff"
TINT = "#e5f3e8"  # the quarter with both high: where a top 3 should end up
# Text contrast at least 4.5:1 on white (WCAG AA), and a shape of their own, so that actors
# and factors differ without colour too.
ACTOR_COLOUR = "#0b5f73"
FACTOR_COLOUR = "#a3461a"
FONT = "Atkinson Hyperlegible, DejaVu Sans, sans-serif"


def _x(feasibility: int) -> int:
    return LEFT + round(feasibility * SIDE / 100)


def _y(support: int) -> int:
    return TOP + SIDE - round(support * SIDE / 100)


def _marker(choice: PlacedChoice, x: int, y: int) -> SafeString:
    if choice.is_actor:
        return format_html(
            '<circle cx="{}" cy="{}" r="{}" fill="{}" stroke="{}" stroke-width="1.5"/>',
            x,
            y,
            DOT,
            ACTOR_COLOUR,
            PAPER,
        )
    return format_html(
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}" stroke-width="1.5"/>',
        x - DOT + 1,
        y - DOT + 1,
        2 * DOT - 2,
        2 * DOT - 2,
        FACTOR_COLOUR,
        PAPER,
    )


def plane_svg(points: Sequence[PlacedChoice], *, title: str, title_id: str) -> SafeString:
    """The draagvlak × haalbaarheid square with a numbered marker for every placed choice
    (unplaced ones are left out: the legend lists them). Choices on the same spot share one
    label ("A1, F2"). Every text goes through format_html, so it is escaped."""
    placed = [p for p in points if p.is_placed]
    spots: dict[tuple[int, int], list[PlacedChoice]] = defaultdict(list)
    for point in placed:
        assert point.support is not None and point.feasibility is not None
        spots[(_x(point.feasibility), _y(point.support))].append(point)

    markers = format_html_join(
        "", "{}", ((_marker(p, x, y),) for (x, y), group in spots.items() for p in group)
    )
    labels = []
    for (x, y), group in spots.items():
        # Labels go right of the marker, or left of it near the right edge; above it at the
        # bottom so that they stay inside the square.
        near_right = x > LEFT + SIDE - 60
        labels.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="{}" font-size="13" font-weight="700" '
                'fill="{}">{}</text>',
                x - DOT - 4 if near_right else x + DOT + 4,
                y - DOT - 2 if y > TOP + SIDE - 14 else y + 5,
                "end" if near_right else "start",
                ACTOR_COLOUR if group[0].is_actor else FACTOR_COLOUR,
                ", ".join(p.code for p in group),
            )
        )
    ticks = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="{}">{}</text>'
        '<text x="{}" y="{}" text-anchor="end" font-size="11" fill="{}">{}</text>',
        (
            (_x(v), TOP + SIDE + 16, INK_SOFT, v, LEFT - 6, _y(v) + 4, INK_SOFT, v)
            for v in (0, 50, 100)
        ),
    )
    middle_x, middle_y = _x(50), _y(50)
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="report-plane__svg" '
        'viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-labelledby="{id}" '
        'font-family="{font}">'
        '<title id="{id}">{title}</title>'
        '<rect x="{left}" y="{top}" width="{side}" height="{side}" fill="{paper}" '
        'stroke="{ink}" stroke-width="1.5"/>'
        '<rect x="{mx}" y="{top}" width="{half}" height="{half}" fill="{tint}"/>'
        '<line x1="{mx}" y1="{top}" x2="{mx}" y2="{bottom}" stroke="{line}" '
        'stroke-dasharray="4 4"/>'
        '<line x1="{left}" y1="{my}" x2="{right}" y2="{my}" stroke="{line}" '
        'stroke-dasharray="4 4"/>'
        '<rect x="{left}" y="{top}" width="{side}" height="{side}" fill="none" '
        'stroke="{ink}" stroke-width="1.5"/>'
        "{ticks}"
        '<text x="{cx}" y="{xlabel_y}" text-anchor="middle" font-size="13" font-weight="700" '
        'fill="{ink}">{feasibility} →</text>'
        '<text x="18" y="{cy}" text-anchor="middle" font-size="13" font-weight="700" '
        'fill="{ink}" transform="rotate(-90 18 {cy})">{support} →</text>'
        "{markers}{labels}</svg>",
        w=WIDTH,
        h=HEIGHT,
        id=title_id,
        font=FONT,
        title=title,
        left=LEFT,
        top=TOP,
        side=SIDE,
        half=SIDE // 2,
        right=LEFT + SIDE,
        bottom=TOP + SIDE,
        mx=middle_x,
        my=middle_y,
        cx=LEFT + SIDE // 2,
        cy=TOP + SIDE // 2,
        xlabel_y=TOP + SIDE + 38,
        paper=PAPER,
        ink=INK,
        line=LINE,
        tint=TINT,
        ticks=ticks,
        feasibility=_("Haalbaarheid"),
        support=_("Draagvlak"),
        markers=markers,
        labels=format_html_join("", "{}", ((label,) for label in labels)),
    )


# --- the PDF -------------------------------------------------------------------------------


def report_pdf(report: Report) -> bytes:
    """The report on A4, with the plane of every table; WeasyPrint is imported in
    `render_html` only."""
    from zio.exports.pdf import render_html

    html = render_to_string(
        "workshops/pdf/report.html",
        {
            "report": report,
            # What exports/pdf/base.html and its footer line expect.
            "context": {
                "title": _("Verslag: %(title)s") % {"title": report.title},
                "organisation": report.organisation,
                "made_at": timezone.now(),
            },
            "audience": _("Verslag doen-sessie"),
        },
    )
    return render_html(html).pdf()
