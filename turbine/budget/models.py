"""Participatory budget: campaigns, envelopes, proposals, the secret vote and cached results.

Secrecy of the vote
-------------------
Who voted and what was voted are kept in tables that share no column, and are not written in
the same transaction (the threat model is in :mod:`turbine.budget.services.votes`):

* :class:`VoterRecord` (person, campaign, envelope, voted/updated dates, number of changes,
  hash of the receipt code) is the register of voters. Its unique constraint on (person,
  campaign, envelope) enforces "one ballot per person per campaign and envelope".
* :class:`VoterDigest` keeps, with no person and no date, a keyed hash of each normalised
  verified address that voted in an envelope, so that a deleted and recreated account, or the
  same address written otherwise, cannot vote twice.
* :class:`PendingBallot` holds, sealed with the campaign's key (kept outside the database),
  the ballots not yet moved into the box; ``services.ballots_flush`` moves them in shuffled
  batches, in another transaction.
* :class:`Ballot` (campaign, envelope, choices) is anonymous: a random UUID, no date, no
  person. While the vote is open the running application finds a voter's ballot through
  ``token_hash``, a keyed hash (key outside the database, not derived from ``SECRET_KEY``) of
  (envelope, person, version); when the vote closes, ``services.campaign_ballots_seal``
  rewrites every ballot in a random order without token and destroys the key.

Deleting an account deletes its voter records; the anonymous ballots stay counted, untouched.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def MoneyField(verbose_name: Any, **kwargs: Any) -> models.DecimalField:
    """An amount in euros with cents (Pabulib files may hold costs with cents)."""
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


class BallotType(models.TextChoices):
    APPROVAL = "approval", _("Approbation (choisir entre un minimum et un maximum de projets)")
    KNAPSACK = "knapsack", _("Sac à dos (choisir des projets dans la limite de l'enveloppe)")
    CUMULATIVE = "cumulative", _("Cumulatif (répartir des points entre les projets)")


class Rule(models.TextChoices):
    MES_COMPLETED = "mes-completed", _("Méthode des parts égales, complétée")
    GREEDY = "greedy", _("Les plus soutenus d'abord (glouton)")


class Phase(models.TextChoices):
    UPCOMING = "a_venir", _("À venir")
    SUBMISSION = "depot", _("Dépôt des idées")
    FEASIBILITY = "faisabilite", _("Étude de faisabilité")
    VOTE = "vote", _("Vote")
    RESULTS = "resultats", _("Résultats")
    REALISATION = "realisation", _("Réalisation")


class VoterCheck(models.TextChoices):
    ADDRESS = "adresse", _("Adresse électronique vérifiée (une personne, une adresse)")
    LIST = (
        "liste",
        _("Liste des votants importée par l'équipe, avec un code personnel par courriel"),
    )


class Campaign(models.Model):
    """One yearly edition of the participatory budget.

    Phases are consecutive date ranges (inclusive): submission, feasibility study, vote; the
    results are public from ``results_date`` and the realisation starts on ``realisation_date``.
    The campaign's budget is split into its envelopes (at least one, created with it).
    """

    territory = models.ForeignKey(
        "territory.Territory", on_delete=models.PROTECT, related_name="budget_campaigns"
    )
    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    title = models.CharField(_("titre"), max_length=200)
    year = models.PositiveSmallIntegerField(_("année"))
    description = models.TextField(_("présentation"), blank=True)
    total_budget = MoneyField(_("budget total (€)"))
    min_age = models.PositiveSmallIntegerField(_("âge minimum pour voter"), default=16)
    ballot_type = models.CharField(
        _("type de bulletin"),
        max_length=20,
        choices=BallotType.choices,
        default=BallotType.APPROVAL,
    )
    approval_min = models.PositiveSmallIntegerField(_("nombre minimum de projets"), default=1)
    approval_max = models.PositiveSmallIntegerField(_("nombre maximum de projets"), default=5)
    cumulative_points = models.PositiveSmallIntegerField(_("points à répartir"), default=10)
    rule = models.CharField(
        _("règle de décision"), max_length=20, choices=Rule.choices, default=Rule.MES_COMPLETED
    )
    submission_start = models.DateField(_("début du dépôt des idées"))
    submission_end = models.DateField(_("fin du dépôt des idées"))
    feasibility_end = models.DateField(_("fin de l'étude de faisabilité"))
    vote_start = models.DateField(_("ouverture du vote"))
    vote_end = models.DateField(_("clôture du vote"))
    results_date = models.DateField(_("publication des résultats"))
    realisation_date = models.DateField(_("début de la réalisation"))
    results_published_at = models.DateTimeField(
        _("résultats publiés le"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Écrit par le service de publication des résultats, jamais à la main."),
    )
    voter_check = models.CharField(
        _("contrôle des votants"),
        max_length=10,
        choices=VoterCheck.choices,
        default=VoterCheck.ADDRESS,
        editable=False,
        help_text=_("Changé par l'équipe sur la page de la liste des votants (voter_check_set)."),
    )
    ballots_sealed_at = models.DateTimeField(
        _("urne scellée le"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Écrit par la clôture du vote (campaign_ballots_seal), jamais à la main."),
    )
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("campagne")
        verbose_name_plural = _("campagnes")
        constraints = [
            models.CheckConstraint(
                condition=Q(submission_start__lte=models.F("submission_end"))
                & Q(submission_end__lte=models.F("feasibility_end"))
                & Q(feasibility_end__lt=models.F("vote_start"))
                & Q(vote_start__lte=models.F("vote_end"))
                & Q(vote_end__lt=models.F("results_date"))
                & Q(results_date__lte=models.F("realisation_date")),
                name="budget_campaign_phases_in_order",
            ),
            models.CheckConstraint(
                condition=Q(approval_min__lte=models.F("approval_max")),
                name="budget_campaign_approval_bounds",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("budget:campaign", args=[self.slug])

    def phase_on(self, day: date) -> Phase:
        if day < self.submission_start:
            return Phase.UPCOMING
        if day <= self.submission_end:
            return Phase.SUBMISSION
        if day < self.vote_start:
            return Phase.FEASIBILITY
        if day <= self.vote_end:
            return Phase.VOTE
        if day < self.realisation_date:
            return Phase.RESULTS
        return Phase.REALISATION

    def results_public_on(self, day: date) -> bool:
        """Whether ``day`` is on or after the announced results date (the date the scheduled
        publication runs); the results are readable only once :attr:`results_published`."""
        return day >= self.results_date

    @property
    def results_published(self) -> bool:
        """Whether ``campaign_results_publish`` has tallied the ballots and stored the results."""
        return self.results_published_at is not None

    @property
    def other_rule(self) -> str:
        return Rule.GREEDY if self.rule == Rule.MES_COMPLETED else Rule.MES_COMPLETED


class Envelope(models.Model):
    """A share of the campaign's budget with its own ballot and tally.

    ``agglomeration`` restricts both the projects (located there) and the voters (residents
    there); ``min_cost``/``max_cost`` define a size band ("petits projets" up to 50,000 €...).
    An envelope with neither is open to the whole territory and every cost.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="envelopes")
    name = models.CharField(_("nom"), max_length=120)
    budget = MoneyField(_("montant (€)"))
    agglomeration = models.ForeignKey(
        "territory.Agglomeration",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agglomération"),
    )
    min_cost = MoneyField(_("coût minimum (€)"), null=True, blank=True)
    max_cost = MoneyField(_("coût maximum (€)"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["campaign", "position", "id"]
        verbose_name = _("enveloppe")
        verbose_name_plural = _("enveloppes")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="budget_envelope_name")
        ]

    def __str__(self) -> str:
        return self.name

    def accepts_cost(self, cost: Decimal) -> bool:
        if self.min_cost is not None and cost < self.min_cost:
            return False
        return not (self.max_cost is not None and cost > self.max_cost)


class ProposalStatus(models.TextChoices):
    SUBMITTED = "deposee", _("Déposée, en cours d'étude")
    ADMISSIBLE = "recevable", _("Recevable, soumise au vote")
    INADMISSIBLE = "non_recevable", _("Non recevable")
    MERGED = "fusionnee", _("Fusionnée avec une proposition proche")
    FUNDED = "laureate", _("Lauréate")
    NOT_FUNDED = "non_retenue", _("Non retenue au vote")
    IN_PROGRESS = "en_travaux", _("En cours de réalisation")
    DONE = "realisee", _("Réalisée")


VOTABLE_STATUSES = (
    ProposalStatus.ADMISSIBLE,
    ProposalStatus.FUNDED,
    ProposalStatus.NOT_FUNDED,
    ProposalStatus.IN_PROGRESS,
    ProposalStatus.DONE,
)


class Proposal(models.Model):
    """An idea submitted to a campaign; after the feasibility study, a project put to the vote.

    ``description`` is Markdown, rendered sanitised. ``pabulib_id`` keeps the project id of an
    imported Pabulib file; otherwise the project id in exports and tallies is ``str(pk)``.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="proposals")
    envelope = models.ForeignKey(
        Envelope,
        # RESTRICT, not PROTECT: deleting a whole campaign deletes its envelopes and proposals.
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("enveloppe"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_proposals",
    )
    title = models.CharField(_("titre"), max_length=160)
    description = models.TextField(_("description"), max_length=10_000)
    commune = models.ForeignKey(
        "territory.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune"),
    )
    place = models.CharField(_("lieu précis"), max_length=200, blank=True)
    themes = models.ManyToManyField("core.Theme", blank=True, related_name="+")
    estimated_cost = MoneyField(_("coût estimé (€)"))
    revised_cost = MoneyField(_("coût révisé (€)"), null=True, blank=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.SUBMITTED
    )
    public_reason = models.TextField(_("motif public"), blank=True, max_length=2000)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_proposals"
    )
    realisation_project = models.OneToOneField(
        "projects.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_proposal",
        verbose_name=_("fiche projet"),
    )
    progress_note = models.TextField(_("avancement de la réalisation"), blank=True, max_length=4000)
    pabulib_id = models.CharField(max_length=100, blank=True)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("proposition")
        verbose_name_plural = _("propositions")
        indexes = [models.Index(fields=["campaign", "status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("budget:proposal", args=[self.campaign.slug, self.pk])

    @property
    def cost(self) -> Decimal:
        return self.revised_cost if self.revised_cost is not None else self.estimated_cost

    @property
    def project_id(self) -> str:
        return self.pabulib_id or str(self.pk)

    @property
    def is_votable(self) -> bool:
        return self.status in VOTABLE_STATUSES


class ProposalImage(models.Model):
    """An image of a proposal, re-encoded as JPEG by ``core.images`` (never the raw upload)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="images")
    file = models.FileField(upload_to="budget/propositions/", max_length=200)
    alt = models.CharField(_("description de l'image"), max_length=200)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["proposal", "position", "id"]
        verbose_name = _("image de proposition")
        verbose_name_plural = _("images de propositions")

    def __str__(self) -> str:
        return self.alt

    def get_absolute_url(self) -> str:
        return reverse("budget:image", args=[self.pk])


class VoterRecord(models.Model):
    """The register of voters: that a person voted in an envelope, never what (see module doc).

    ``receipt_hash`` is the SHA-256 of the receipt code shown to the voter after each
    confirmation, so that they can prove their participation.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="budget_voter_records"
    )
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="voter_records")
    envelope = models.ForeignKey(Envelope, on_delete=models.CASCADE, related_name="voter_records")
    receipt_hash = models.CharField(max_length=64)
    voted_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    changes = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("votant")
        verbose_name_plural = _("registre des votants")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "campaign", "envelope"], name="budget_one_voter_record"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} / {self.envelope_id}"


class Ballot(models.Model):
    """An anonymous ballot (see module doc). ``choices`` is a list of proposal ids (approval and
    knapsack ballots) or a list of ``[proposal id, points]`` pairs (cumulative ballots).
    ``synthetic`` marks ballots generated for the demonstration and scale data."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="ballots")
    envelope = models.ForeignKey(Envelope, on_delete=models.CASCADE, related_name="ballots")
    token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    choices = models.JSONField(default=list)
    synthetic = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        indexes = [models.Index(fields=["envelope", "campaign"])]

    def __str__(self) -> str:
        return str(self.id)


class PendingBallot(models.Model):
    """A ballot on its way to the ballot box, sealed (AES-GCM) with the campaign's key, which is
    kept outside the database (see :mod:`turbine.budget.secrecy`).

    It is written in the voter's transaction, so a database reader can link it to the voter
    record; that is why it holds nothing readable: ``tag`` is a keyed hash (another key than the
    ballot's ``token_hash``) that lets the voter's next change find it, ``sealed`` holds the
    envelope, the tokens and the choices, padded to a fixed size. ``ballots_flush`` moves pending
    ballots, in shuffled batches and in another transaction, into :class:`Ballot`."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    # The envelope and whether it adds a ballot (rather than replacing one) are in the voter
    # record already; here they let the ballot counts include the pending pool.
    envelope = models.ForeignKey(Envelope, on_delete=models.CASCADE, related_name="+")
    adds = models.BooleanField()
    tag = models.CharField(max_length=64, unique=True)
    sealed = models.TextField()

    class Meta:
        verbose_name = _("bulletin en attente")
        verbose_name_plural = _("bulletins en attente")

    def __str__(self) -> str:
        return str(self.id)


class VoterDigest(models.Model):
    """That some verified address (normalised, see ``core.emails.normalise_address``) took part
    in an envelope: a keyed hash with the campaign's key, no person, no ballot, no date. It
    outlives the account, so that a deleted and recreated account cannot vote twice; it is
    deleted with the campaign's key when the vote closes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("empreinte de votant")
        verbose_name_plural = _("empreintes de votants")

    def __str__(self) -> str:
        return self.digest[:12]


class EligibleVoter(models.Model):
    """A person on the list of voters that staff imported for a campaign whose ``voter_check``
    is ``liste``. ``code_hash`` is the SHA-256 of the one-time code sent to ``address``; the
    code is used once (``claimed``), by the account ``claimed_by``, and never again, even if
    that account is deleted."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="eligible_voters")
    address = models.EmailField(_("adresse électronique"), max_length=254)
    normalised = models.CharField(max_length=254)
    code_hash = models.CharField(max_length=64, blank=True)
    code_sent = models.BooleanField(default=False)
    claimed = models.BooleanField(default=False)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_eligibilities",
    )

    class Meta:
        verbose_name = _("votant inscrit")
        verbose_name_plural = _("liste des votants")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "normalised"], name="budget_eligible_voter_once"
            ),
            models.UniqueConstraint(
                fields=["campaign", "claimed_by"], name="budget_eligible_voter_one_code"
            ),
        ]
        indexes = [models.Index(fields=["campaign", "code_hash"])]

    def __str__(self) -> str:
        return self.address


class ResultSnapshot(models.Model):
    """A tally of an envelope's ballots with one rule, computed once the vote is closed (ballots
    no longer change then) so that the results page reads one row whatever the number of
    ballots. ``ballot_count`` guards against a stale snapshot (imports, corrections)."""

    envelope = models.ForeignKey(Envelope, on_delete=models.CASCADE, related_name="snapshots")
    rule = models.CharField(max_length=20)
    ballot_count = models.PositiveIntegerField()
    data = models.JSONField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["envelope", "rule"], name="budget_one_snapshot")
        ]

    def __str__(self) -> str:
        return f"{self.envelope_id} / {self.rule}"


class StaffAction(models.Model):
    """Audit log of staff actions on a campaign (feasibility decisions, merges, tallies)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="staff_actions")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=40)
    proposal = models.ForeignKey(
        Proposal, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("action du personnel")
        verbose_name_plural = _("journal des actions du personnel")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"
