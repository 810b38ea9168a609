"""Cleaning one photo, format by format (no web app needed: `lowcode.photos` works on bytes)."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from lowcode.photos import clean_photo, needs_cleaning
from lowcode.values import InvalidValue


def encoded(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def exif_with_gps() -> Image.Exif:
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: (36.0, 33.0, 40.0)})
    return exif


def test_an_animated_gif_keeps_its_first_frame_and_loses_its_comment() -> None:
    frames = [Image.new("P", (20, 10), colour) for colour in (1, 2, 3)]
    data = encoded(frames[0], "GIF", save_all=True, append_images=frames[1:], comment=b"made at home")

    photo = clean_photo(data)

    assert photo.extension == "gif" and photo.mimetype == "image/gif"
    assert b"made at home" not in photo.data
    with Image.open(io.BytesIO(photo.data)) as image:
        assert getattr(image, "n_frames", 1) == 1


def test_a_webp_photo_stays_webp_without_its_exif() -> None:
    data = encoded(Image.new("RGB", (50, 40), "red"), "WEBP", exif=exif_with_gps().tobytes())
    assert b"EXIF" in data  # the RIFF chunk that holds it

    photo = clean_photo(data)

    assert photo.extension == "webp" and b"EXIF" not in photo.data and (photo.width, photo.height) == (50, 40)
    with Image.open(io.BytesIO(photo.data)) as image:
        assert not image.getexif()


def test_a_cmyk_jpeg_becomes_an_rgb_jpeg() -> None:
    photo = clean_photo(encoded(Image.new("CMYK", (30, 30)), "JPEG"))

    with Image.open(io.BytesIO(photo.data)) as image:
        assert image.format == "JPEG" and image.mode == "RGB"


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_a_truncated_photo_is_refused(cut: float) -> None:
    data = encoded(Image.effect_noise((200, 200), 50).convert("RGB"), "JPEG")

    with pytest.raises(InvalidValue) as refused:
        clean_photo(data[: int(len(data) * cut)])

    assert refused.value.key == "not_image"


def test_a_file_of_another_format_pillow_knows_is_refused() -> None:
    with pytest.raises(InvalidValue):
        clean_photo(encoded(Image.new("RGB", (10, 10)), "BMP"))


def test_a_cleaned_photo_needs_no_second_cleaning_but_a_phone_photo_does() -> None:
    original = encoded(Image.new("RGB", (60, 40), "blue"), "JPEG", exif=exif_with_gps())

    cleaned = clean_photo(original).data

    assert needs_cleaning(original, 2048) and not needs_cleaning(cleaned, 2048)
    assert needs_cleaning(cleaned, 50)  # longer than a smaller `max_side_px`
