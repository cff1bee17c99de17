"""The doen-sessie (workshop) of step 4: tables with a shared canvas of post-its, votes, the top
3's on the draagvlak × haalbaarheid plane, next steps that become actions, and the closing
answers. Guests without an account join one workshop with its code."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zio.organisations.models import Organisation
from zio.personas.models import Persona

from .constants import ActionStatus, NoteKind, Round, Starter, WorkshopKind


class Workshop(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisatie")
    )
    title = models.CharField(_("titel"), max_length=150)
    question = models.TextField(_("centrale vraag"), max_length=500)
    kind = models.CharField(
        _("soort"), max_length=20, choices=WorkshopKind, default=WorkshopKind.DOEN_SESSIE
    )
    personas = models.ManyToManyField(
        Persona, blank=True, related_name="+", verbose_name=_("persona's")
    )
    # Guests join with this code; it stops working at `expires_at`.
    join_code = models.CharField(_("deelnamecode"), max_length=12, unique=True)
    expires_at = models.DateTimeField(_("code geldig tot"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("doen-sessie")
        verbose_name_plural = _("doen-sessies")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at


class WorkshopTable(models.Model):
    """One table of a workshop: its own canvas, gespreksleider and round."""

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="tables", verbose_name=_("doen-sessie")
    )
    name = models.CharField(_("naam"), max_length=60)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gespreksleider"),
    )
    round = models.CharField(_("ronde"), max_length=20, choices=Round, default=Round.OPENING)
    round_started_at = models.DateTimeField(_("ronde gestart op"), null=True, blank=True)
    round_minutes = models.PositiveSmallIntegerField(_("minuten voor de ronde"), default=0)
    # Raised by every write that changes what the canvas shows, so that a poll can answer
    # "nothing new" from this one number, without drawing the board.
    revision = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("tafel")
        verbose_name_plural = _("tafels")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class Participant(models.Model):
    workshop = models.ForeignKey(
        Workshop,
        on_delete=models.CASCADE,
        related_name="participants",
        verbose_name=_("doen-sessie"),
    )
    table = models.ForeignKey(
        WorkshopTable,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participants",
        verbose_name=_("tafel"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gebruiker"),
    )
    display_name = models.CharField(_("naam"), max_length=60)
    organisation_name = models.CharField(_("organisatie"), max_length=100, blank=True)
    # Guests only: the SHA-256 of the random token kept in their browser session.
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    joined_at = models.DateTimeField(_("aangesloten op"), auto_now_add=True)

    class Meta:
        verbose_name = _("deelnemer")
        verbose_name_plural = _("deelnemers")
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "user"],
                condition=models.Q(user__isnull=False),
                name="participant_once_per_user",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_guest(self) -> bool:
        return self.user_id is None


class Note(models.Model):
    """A post-it on a table's canvas: an actor (who) or a factor (what)."""

    table = models.ForeignKey(
        WorkshopTable, on_delete=models.CASCADE, related_name="notes", verbose_name=_("tafel")
    )
    author = models.ForeignKey(
        Participant,
        on_delete=models.SET_NULL,
        null=True,
        related_name="notes",
        verbose_name=_("auteur"),
    )
    kind = models.CharField(_("soort"), max_length=10, choices=NoteKind)
    text = models.CharField(_("tekst"), max_length=120)
    detail = models.CharField(_("toelichting"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("geplakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("post-it")
        verbose_name_plural = _("post-its")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text


class Vote(models.Model):
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="votes", verbose_name=_("deelnemer")
    )
    note = models.ForeignKey(
        Note, on_delete=models.CASCADE, related_name="votes", verbose_name=_("post-it")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stem")
        verbose_name_plural = _("stemmen")
        constraints = [
            models.UniqueConstraint(fields=["participant", "note"], name="one_vote_per_note")
        ]

    def __str__(self) -> str:
        return f"{self.participant} → {self.note}"


class Choice(models.Model):
    """One of a table's top 3 actors or factors, and where it sits on the plane of draagvlak
    (support) × haalbaarheid (feasibility), each 0-100."""

    table = models.ForeignKey(
        WorkshopTable, on_delete=models.CASCADE, related_name="choices", verbose_name=_("tafel")
    )
    note = models.OneToOneField(
        Note, on_delete=models.CASCADE, related_name="choice", verbose_name=_("post-it")
    )
    kind = models.CharField(_("soort"), max_length=10, choices=NoteKind)
    rank = models.PositiveSmallIntegerField(_("plaats"))
    support = models.PositiveSmallIntegerField(
        _("draagvlak"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    feasibility = models.PositiveSmallIntegerField(
        _("haalbaarheid"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = _("keuze")
        verbose_name_plural = _("keuzes")
        ordering = ["kind", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["table", "kind", "rank"], name="one_choice_per_rank")
        ]

    def __str__(self) -> str:
        return self.note.text


class NextStep(models.Model):
    """A next step of a table, written with 5W+H."""

    table = models.ForeignKey(
        WorkshopTable,
        on_delete=models.CASCADE,
        related_name="next_steps",
        verbose_name=_("tafel"),
    )
    starter = models.CharField(_("om te versterken"), max_length=20, choices=Starter)
    who = models.CharField(_("wie"), max_length=200)
    what = models.CharField(_("wat"), max_length=300)
    where = models.CharField(_("waar"), max_length=200, blank=True)
    when = models.CharField(_("wanneer"), max_length=100)
    why = models.CharField(_("waarom"), max_length=300, blank=True)
    how = models.CharField(_("hoe"), max_length=300, blank=True)
    author = models.ForeignKey(Participant, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vervolgstap")
        verbose_name_plural = _("vervolgstappen")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.what


class Action(models.Model):
    """A next step as it is followed up: owner, due date and status, on the school's route."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisatie")
    )
    next_step = models.OneToOneField(
        NextStep,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action",
        verbose_name=_("vervolgstap"),
    )
    title = models.CharField(_("actie"), max_length=300)
    owner = models.CharField(_("eigenaar"), max_length=200)
    due_date = models.DateField(_("klaar op"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus, default=ActionStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("actie")
        verbose_name_plural = _("acties")
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return (
            self.status != ActionStatus.DONE
            and self.due_date is not None
            and self.due_date < timezone.localdate()
        )


class Introduction(models.Model):
    """The opening round: who, where from, why here, which ZiO question plays."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="introduction"
    )
    who = models.CharField(_("wie ben je?"), max_length=200)
    where_from = models.CharField(_("waar kom je vandaan?"), max_length=200)
    why_here = models.CharField(_("waarom ben je hier?"), max_length=300, blank=True)
    question = models.CharField(
        _("welke vraag over Zorg in Onderwijstijd speelt in je regio?"),
        max_length=500,
        blank=True,
    )

    def __str__(self) -> str:
        return f"{self.who} ({self.where_from})"


class ClosingAnswer(models.Model):
    """The closing round, per participant."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="closing"
    )
    my_next_step = models.CharField(_("mijn volgende stap"), max_length=300)
    follow_up_question = models.CharField(_("mijn vervolgvraag"), max_length=300, blank=True)
    who_needed = models.CharField(_("wie heb ik nodig?"), max_length=200, blank=True)
    apply_tomorrow = models.CharField(_("wat kan ik morgen toepassen?"), max_length=300, blank=True)

    def __str__(self) -> str:
        return self.my_next_step


class Reaction(models.Model):
    """A reaction in the plenary round ("Delen van uitkomsten") to a table's next step."""

    next_step = models.ForeignKey(
        NextStep,
        on_delete=models.CASCADE,
        related_name="reactions",
        verbose_name=_("vervolgstap"),
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.CharField(_("reactie"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reactie")
        verbose_name_plural = _("reacties")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text


class JoinAttempt(models.Model):
    """A join with a wrong or expired code, to slow down guessing codes. Only a hash of the
    visitor's address is kept, and only for the window that counts (JOIN_WINDOW)."""

    address_hash = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M}"
