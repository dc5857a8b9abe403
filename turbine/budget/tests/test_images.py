"""Images of proposals: checked, re-encoded without metadata, served by the app."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from turbine.budget import services
from turbine.budget.models import Proposal, ProposalImage
from turbine.budget.services import BudgetError
from turbine.budget.services.proposals import IMAGE_FORMATS, IMAGE_SIDE
from turbine.budget.tests.factories import make_campaign
from turbine.core import images
from turbine.core.images import ImageError

Image = pytest.importorskip("PIL.Image")


def reencode(upload: SimpleUploadedFile) -> images.CleanImage:
    """As a proposal's image is."""
    return images.reencode(upload, max_side=IMAGE_SIDE, formats=IMAGE_FORMATS)


def picture(fmt: str = "PNG", size: tuple[int, int] = (3000, 1500), exif: bool = False) -> bytes:
    img = Image.new(
        "RGBA" if fmt == "PNG" else "RGB",
        size,
        (30, 120, 60, 255) if fmt == "PNG" else (30, 120, 60),
    )
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010E] = "secret description"  # ImageDescription
        img.save(out, format=fmt, exif=data)
    else:
        img.save(out, format=fmt)
    return out.getvalue()


def test_it_reencodes_an_image_as_a_small_jpeg_without_metadata() -> None:
    clean = reencode(SimpleUploadedFile("photo.jpg", picture("JPEG", exif=True), "image/jpeg"))
    assert (clean.width, clean.height) == (1600, 800)
    data = clean.content.read()
    with Image.open(io.BytesIO(data)) as img:
        assert img.format == "JPEG" and not img.getexif()
    assert b"secret description" not in data


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not an image at all", "pas une image lisible"),
        (b"GIF89a" + b"\x00" * 100, "pas une image lisible"),
        (b"\x00" * (5 * 1024 * 1024 + 1), "5 Mo"),
    ],
)
def test_it_refuses_what_is_not_an_accepted_image(content: bytes, message: str) -> None:
    with pytest.raises(ImageError, match=message):
        reencode(SimpleUploadedFile("x.png", content, "image/png"))


def test_it_refuses_other_formats_and_huge_images() -> None:
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, format="GIF")
    with pytest.raises(ImageError, match="JPEG, PNG ou WebP"):
        reencode(SimpleUploadedFile("x.gif", gif.getvalue(), "image/gif"))
    with pytest.raises(ImageError, match="mégapixels"):
        reencode(SimpleUploadedFile("x.png", picture("PNG", size=(8000, 6000)), "image/png"))


@pytest.mark.django_db
def test_it_attaches_an_image_to_a_proposal_and_serves_it(territory, alice, client) -> None:
    campaign = make_campaign(phase="depot")
    upload = SimpleUploadedFile("photo.png", picture(), "image/png")
    with pytest.raises(BudgetError, match="Décrivez l'image"):
        services.proposal_submit(
            user=alice,
            campaign=campaign,
            title="Ruches",
            description="D",
            estimated_cost=10,
            image=upload,
        )
    assert not Proposal.objects.exists()
    upload.seek(0)
    proposal = services.proposal_submit(
        user=alice,
        campaign=campaign,
        title="Ruches",
        description="D",
        estimated_cost=10,
        image=upload,
        image_alt="Trois ruches au fond d'un jardin",
    )
    image = ProposalImage.objects.get(proposal=proposal)
    assert image.file.name.endswith(".jpg")
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert 'alt="Trois ruches au fond d&#x27;un jardin"' in page
    response = client.get(image.get_absolute_url())
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    image.file.delete(save=False)
