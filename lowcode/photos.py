"""Cleaning a resident's photo: decoded, turned upright, shrunk, and written again with its pixels only.

A phone's photo carries the GPS position where it was taken (often the resident's home), the phone's make, model
and serial number; a file may claim to be an image and be something else (a GIF header followed by HTML), or be a
decompression bomb (a 437 KB PNG of 60,000×60,000 pixels). So every upload is decoded with Pillow, its size in
pixels is checked before any pixel is decoded, and only its pixels are encoded again: no EXIF, XMP, IPTC, ICC
profile, comment or PNG text chunk survives. Pure functions on bytes: no Flask, no files.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps

from .values import InvalidValue

# Decoded format → file extension. Each format stays its own (a GIF stays a GIF, first frame only), so a photo's
# name and its served type never change when `lowcode clean-photos` re-encodes it.
FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
EXTENSION_FORMATS = {ext: fmt for fmt, ext in FORMATS.items()}
MIMETYPES = {"jpg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp"}
DEFAULT_MAX_SIDE_PX = 2048
MAX_PIXELS = 50_000_000  # a 50-megapixel phone photo; a larger one is refused before its pixels are decoded
JPEG_QUALITY = 85
# What Pillow reports about a file that has no metadata at all (our own output): anything else is metadata.
PLAIN_INFO = frozenset({"jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi", "progressive", "progression",
                        "version", "background", "transparency", "loop", "duration", "aspect"})


@dataclass(frozen=True)
class CleanPhoto:
    data: bytes
    extension: str
    width: int
    height: int

    @property
    def mimetype(self) -> str:
        return MIMETYPES[self.extension]


def clean_photo(data: bytes, max_side: int = DEFAULT_MAX_SIDE_PX, extension: str | None = None) -> CleanPhoto:
    """The photo's pixels only, upright, at most `max_side` px long, in its own format (or the one `extension` names).

    Raises InvalidValue("not_image") for anything Pillow cannot fully decode as JPEG, PNG, GIF or WebP, and
    InvalidValue("too_many_pixels") for an image larger than MAX_PIXELS.
    """
    image = open_photo(data)
    fmt = EXTENSION_FORMATS.get(extension or "", image.format or "")
    pixels = decode_upright(image, max_side)
    return CleanPhoto(encode_pixels(pixels, fmt), FORMATS[fmt], *pixels.size)


def open_photo(data: bytes) -> Image.Image:
    """Read the header only (no pixels yet) and refuse what is not one of our formats or is too large in pixels."""
    try:
        image = Image.open(io.BytesIO(data), formats=list(FORMATS))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InvalidValue("too_many_pixels", limit=MAX_PIXELS // 1_000_000) from None
    except Exception:  # noqa: BLE001 - a hostile file may make a decoder fail in any way; each is "not an image"
        raise InvalidValue("not_image") from None
    if image.width * image.height > MAX_PIXELS:
        raise InvalidValue("too_many_pixels", limit=MAX_PIXELS // 1_000_000)
    return image


def decode_upright(image: Image.Image, max_side: int) -> Image.Image:
    """Every pixel decoded (a file Pillow cannot fully load is refused), turned by its EXIF orientation, shrunk."""
    if image.format == "JPEG":
        image.draft(image.mode, (max_side, max_side))  # decode at 1/2, 1/4 or 1/8 when the photo is much larger
    try:
        image.load()
        upright = ImageOps.exif_transpose(image) or image
        working = to_srgb(upright)
        working = working.convert(working_mode(working))
    except Exception:  # noqa: BLE001 - truncated or forged data fails while decoding, in whatever way
        raise InvalidValue("not_image") from None
    working.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return Image.frombytes(working.mode, working.size, working.tobytes())  # a fresh image: no `info` carried over


def to_srgb(image: Image.Image) -> Image.Image:
    """Colours converted from the photo's own profile (iPhones use Display P3) before the profile is dropped."""
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in ("RGB", "RGBA"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        converted = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=image.mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # a broken profile: keep the pixels as they are
    return converted or image


def working_mode(image: Image.Image) -> str:
    """L, LA, RGB or RGBA: modes every step (resize, every encoder) handles."""
    has_alpha = "A" in image.getbands() or "transparency" in image.info
    if image.mode in ("1", "L", "I", "I;16", "F") and not has_alpha:
        return "L"
    if image.mode == "LA":
        return "LA"
    return "RGBA" if has_alpha else "RGB"


def encode_pixels(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        flat = image if image.mode in ("L", "RGB") else flatten_on_white(image)
        flat.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    elif fmt == "WEBP":
        image.save(out, "WEBP", quality=JPEG_QUALITY)
    else:
        image.save(out, fmt)
    return out.getvalue()


def flatten_on_white(image: Image.Image) -> Image.Image:
    """JPEG has no transparency: transparent parts become white, as on the page, not black."""
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def needs_cleaning(data: bytes, max_side: int) -> bool:
    """Whether a stored photo still carries metadata, another orientation, frames or pixels beyond `max_side`.

    Re-encoding a clean JPEG again would only lose quality, so `lowcode clean-photos` leaves such files alone.
    """
    image = open_photo(data)
    if max(image.size) > max_side or getattr(image, "n_frames", 1) > 1:
        return True
    if set(image.info) - PLAIN_INFO or image.getexif():
        return True
    return any(marker != "APP0" or not content.startswith(b"JFIF") for marker, content in getattr(image, "applist", []))
