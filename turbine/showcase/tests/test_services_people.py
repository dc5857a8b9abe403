"""Portraits (consent of the person portrayed, publication by staff) and stories (proposed,
reviewed, published)."""

from __future__ import annotations

import pytest
from django.core import mail

from turbine.core.exceptions import PermissionDeniedError, TurbineError
from turbine.projects.tests.factories import ProjectFactory
from turbine.showcase.models import Consent, Portrait, PortraitStatus, StoryStatus
from turbine.showcase.services import people as services

pytestmark = pytest.mark.django_db


def _data(**kwargs: object) -> services.PortraitData:
    base = {"name": "Alice", "role": "Réparatrice de vélos", "family": "font", "know_how": "Vélos."}
    return services.PortraitData(**{**base, **kwargs})  # type: ignore[arg-type]


def test_it_asks_the_person_with_an_account_and_refuses_publication_without_consent(
    bruno, alice, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        portrait = services.portrait_create(actor=bruno, data=_data(person_email=alice.email))
    assert portrait.consent == Consent.PENDING
    assert mail.outbox[0].to == [alice.email]
    with pytest.raises(TurbineError, match="accord"):
        services.portrait_publish(actor=bruno, portrait_id=portrait.pk)
    assert not Portrait.objects.public().exists()

    services.portrait_decide_consent(user=alice, portrait_id=portrait.pk, agree=True)
    services.portrait_publish(actor=bruno, portrait_id=portrait.pk)
    assert list(Portrait.objects.public()) == [portrait]

    services.portrait_decide_consent(user=alice, portrait_id=portrait.pk, agree=False)
    assert not Portrait.objects.public().exists()


def test_it_lets_only_the_person_decide_and_staff_record_consent_only_without_account(
    bruno, alice, chloe
) -> None:
    portrait = services.portrait_create(actor=bruno, data=_data(person_email=alice.email))
    with pytest.raises(PermissionDeniedError):
        services.portrait_decide_consent(user=chloe, portrait_id=portrait.pk, agree=True)
    with pytest.raises(PermissionDeniedError):
        services.portrait_decide_consent(user=bruno, portrait_id=portrait.pk, agree=True)
    with pytest.raises(TurbineError, match="compte"):
        services.portrait_record_consent(actor=bruno, portrait_id=portrait.pk, record="oral")
    other = services.portrait_create(actor=bruno, data=_data(name="Sans compte"))
    services.portrait_record_consent(actor=bruno, portrait_id=other.pk, record="Écrit du 3 mars")
    assert services.portrait_publish(actor=bruno, portrait_id=other.pk).status == (
        PortraitStatus.PUBLISHED
    )


def test_it_refuses_portraits_from_non_staff_and_bad_input(alice, bruno) -> None:
    with pytest.raises(PermissionDeniedError):
        services.portrait_create(actor=alice, data=_data())
    with pytest.raises(TurbineError) as error:
        services.portrait_create(actor=bruno, data=_data(name="\x00  "))
    assert error.value.field == "name"
    with pytest.raises(TurbineError):
        services.portrait_create(actor=bruno, data=_data(family="inconnue"))
    with pytest.raises(TurbineError):
        services.portrait_create(actor=bruno, data=_data(theme_slugs=["nexistepas"]))
    assert not Portrait.objects.exists()


def _story(**kwargs: object) -> services.StoryData:
    base = {"title": "La friche", "summary": "Un jardin.", "body": "Texte."}
    return services.StoryData(**{**base, **kwargs})  # type: ignore[arg-type]


def test_an_actor_proposes_a_story_published_after_review(
    chloe, bruno, django_capture_on_commit_callbacks
) -> None:
    project = ProjectFactory()
    story = services.story_create(actor=chloe, data=_story(project_ids=[project.pk]), submit=True)
    assert story.status == StoryStatus.SUBMITTED
    with pytest.raises(PermissionDeniedError):
        services.story_review(actor=chloe, story_id=story.pk, publish=True)
    with pytest.raises(TurbineError):
        services.story_review(actor=bruno, story_id=story.pk, publish=False, note="")
    with django_capture_on_commit_callbacks(execute=True):
        story = services.story_review(actor=bruno, story_id=story.pk, publish=True)
    assert story.status == StoryStatus.PUBLISHED
    assert mail.outbox[-1].to == [chloe.email]
    with pytest.raises(TurbineError, match="publié"):
        services.story_update(actor=chloe, story_id=story.pk, data=_story(title="Autre"))


def test_a_global_story_names_its_policy_and_links_only_public_things(chloe) -> None:
    with pytest.raises(TurbineError) as error:
        services.story_create(actor=chloe, data=_story(scope="global"))
    assert error.value.field == "policy"
    draft = ProjectFactory(visibility="draft")
    with pytest.raises(TurbineError):
        services.story_create(actor=chloe, data=_story(project_ids=[draft.pk]))
    story = services.story_create(
        actor=chloe,
        data=_story(scope="global", policy_level="europe", policy="Pacte vert européen"),
    )
    assert story.status == StoryStatus.DRAFT


def test_a_story_image_needs_its_description(chloe) -> None:
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, format="PNG")
    upload = SimpleUploadedFile("a.png", buffer.getvalue(), content_type="image/png")
    with pytest.raises(TurbineError) as error:
        services.story_create(actor=chloe, data=_story(image=upload))
    assert error.value.field == "image_alt"
    upload.seek(0)
    story = services.story_create(
        actor=chloe, data=_story(image=upload, image_alt="Un potager sur un terril")
    )
    assert story.image.name.endswith(".jpg")


def test_personal_data_exports_and_anonymises(chloe, bruno) -> None:
    from turbine.showcase import personal_data
    from turbine.showcase.models import BlockerReport, Story

    services.story_create(actor=chloe, data=_story(title="Brouillon"))
    published = services.story_create(actor=bruno, data=_story(title="Publié"), submit=True)
    Story.objects.filter(pk=published.pk).update(author=chloe)
    report = BlockerReport.objects.create(
        title="B", description="D", rule="R", level="national", holder=chloe, holder_agrees=True
    )
    assert [s["title"] for s in personal_data.export_stories(chloe)] == ["Brouillon", "Publié"]
    assert personal_data.export_blockers(chloe)[0]["public"] is True
    personal_data.anonymise_stories(chloe)
    personal_data.anonymise_blockers(chloe)
    assert list(Story.objects.values_list("title", flat=True)) == ["Publié"]
    report.refresh_from_db()
    assert report.holder_agrees is False


def test_a_published_story_enters_the_site_search(
    chloe, bruno, django_capture_on_commit_callbacks
) -> None:
    from turbine.core import search

    with django_capture_on_commit_callbacks(execute=True):
        story = services.story_create(
            actor=chloe, data=_story(title="Ressourcerie d'Avion"), submit=True
        )
    assert search.search("ressourcerie", kinds=["recit"]).count == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.story_review(actor=bruno, story_id=story.pk, publish=True)
    assert search.search("ressourcerie", kinds=["recit"]).count == 1
