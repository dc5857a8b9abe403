from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from turbine.core.exceptions import PermissionDeniedError, TurbineError
from turbine.directory import services
from turbine.directory.models import Organisation
from turbine.directory.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def image_file(fmt: str = "JPEG", size: tuple[int, int] = (1200, 800)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 60)).save(buffer, format=fmt)
    return SimpleUploadedFile(f"logo.{fmt.lower()}", buffer.getvalue())


def test_it_reencodes_the_logo_as_a_small_png(territory, alice, chloe) -> None:
    org = OrganisationFactory(admin=alice)
    with pytest.raises(PermissionDeniedError):
        services.organisation_set_logo(user=chloe, organisation=org, upload=image_file())
    org = services.organisation_set_logo(user=alice, organisation=org, upload=image_file())
    with Image.open(org.logo.path) as saved:
        assert saved.format == "PNG" and max(saved.size) == 512
    with pytest.raises(TurbineError, match="pas une image lisible"):
        services.organisation_set_logo(
            user=alice, organisation=org, upload=SimpleUploadedFile("x.png", b"<svg></svg>")
        )
    with pytest.raises(TurbineError, match="JPEG, PNG, WebP ou GIF"):
        services.organisation_set_logo(
            user=alice, organisation=org, upload=image_file("BMP", (40, 40))
        )
    org = services.organisation_set_logo(user=alice, organisation=org, upload=None)
    assert not org.logo


def test_it_refuses_the_whole_form_when_the_logo_is_bad(client, territory, alice) -> None:
    client.force_login(alice)
    response = client.post(
        reverse("directory:organisation_create"),
        {
            "name": "Avec logo",
            "kind": "association",
            "family": "font",
            "logo": SimpleUploadedFile("logo.png", b"pas une image"),
        },
    )
    assert response.status_code == 200 and "logo" in response.context["form"].errors
    assert not Organisation.objects.exists()
    response = client.post(
        reverse("directory:organisation_create"),
        {"name": "Avec logo", "kind": "association", "family": "font", "logo": image_file("PNG")},
    )
    org = Organisation.objects.get()
    assert org.logo.name.endswith(".png")
    assert client.get(f"/api/v1/organisations/{org.pk}").json()["logo"].startswith("http://")
