"""Working groups across networks, on themes proposed by the Turbine; and peer teaching
(know-how to pass on, which becomes meetings of format « formation entre pairs »)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

MIN_NETWORKS = 2


class WorkTheme(models.Model):
    """A « thématique de travail » proposed by the Turbine to bring networks together."""

    title = models.CharField(_("thématique"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=10_000)
    themes = models.ManyToManyField(
        "core.Theme", blank=True, related_name="work_themes", verbose_name=_("thèmes")
    )
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("thématique de travail")
        verbose_name_plural = _("thématiques de travail")

    def __str__(self) -> str:
        return self.title


class WorkingGroupQuerySet(models.QuerySet["WorkingGroup"]):
    def public(self) -> WorkingGroupQuerySet:
        return self.filter(is_hidden=False)


class WorkingGroup(models.Model):
    work_theme = models.ForeignKey(
        WorkTheme, on_delete=models.PROTECT, related_name="groups", verbose_name=_("thématique")
    )
    name = models.CharField(_("nom du groupe"), max_length=200)
    description = models.TextField(_("objet du groupe"), max_length=10_000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Kept by the membership services: distinct networks of the members. The group works
    # (messages, documents, meetings) only from MIN_NETWORKS networks on.
    network_count = models.PositiveSmallIntegerField(default=0)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    is_hidden = models.BooleanField(_("masqué par la modération"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WorkingGroupQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("groupe de travail")
        verbose_name_plural = _("groupes de travail")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cooperation:group_detail", args=[self.pk])

    @property
    def crosses_networks(self) -> bool:
        return self.network_count >= MIN_NETWORKS


class GroupMember(models.Model):
    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships"
    )
    # The network of the directory this person brings (through an organisation or their
    # profile).
    network = models.ForeignKey(
        "directory.Network", on_delete=models.PROTECT, related_name="+", verbose_name=_("réseau")
    )
    notify = models.BooleanField(_("recevoir les messages par courriel"), default=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="group_member_unique")
        ]
        verbose_name = _("membre d'un groupe")
        verbose_name_plural = _("membres des groupes")

    def __str__(self) -> str:
        return f"{self.user} – {self.group}"


class GroupMessage(models.Model):
    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("message"), max_length=5000)
    is_hidden = models.BooleanField(_("masqué par la modération"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message de groupe")
        verbose_name_plural = _("messages de groupe")

    def __str__(self) -> str:
        return self.body[:60]


class GroupDocument(models.Model):
    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("titre"), max_length=200)
    file = models.FileField(_("fichier"), upload_to="cooperation/groups/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("document de groupe")
        verbose_name_plural = _("documents de groupe")

    def __str__(self) -> str:
        return self.title


class KnowHowOffer(models.Model):
    """« Savoir-faire à transmettre »: someone who has done something offers to teach it."""

    title = models.CharField(_("savoir-faire"), max_length=200)
    description = models.TextField(_("ce que vous transmettez"), max_length=10_000)
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="know_how_offers"
    )
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="know_how_offers",
        verbose_name=_("projet où ce savoir-faire a servi"),
    )
    themes = models.ManyToManyField(
        "core.Theme", blank=True, related_name="know_how_offers", verbose_name=_("thèmes")
    )
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    is_hidden = models.BooleanField(_("masqué par la modération"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("savoir-faire à transmettre")
        verbose_name_plural = _("savoir-faire à transmettre")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cooperation:offer_detail", args=[self.pk])


class KnowHowRequest(models.Model):
    """A person asks to attend a session of a know-how offer."""

    offer = models.ForeignKey(KnowHowOffer, on_delete=models.CASCADE, related_name="requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="know_how_requests"
    )
    message = models.CharField(_("message"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "user"], name="know_how_request_unique")
        ]
        verbose_name = _("demande de formation entre pairs")
        verbose_name_plural = _("demandes de formation entre pairs")

    def __str__(self) -> str:
        return f"{self.user} – {self.offer}"
