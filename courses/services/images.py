"""Lesson images: the type is read from the bytes (Pillow), the size is limited, huge images are resized."""
from __future__ import annotations

import hashlib
import io
import re
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from ..models import LessonImage, Module
from .authoring import module_rerender
from .history import change_record

# Formats a browser shows safely (no SVG: it can carry scripts).
FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,100}\.(?:png|jpg|jpeg|gif|webp)$")


def image_max_bytes() -> int:
    return int(getattr(settings, "ESSOR_IMAGE_MAX_BYTES", 5 * 1024 * 1024))


def image_max_side() -> int:
    return int(getattr(settings, "ESSOR_IMAGE_MAX_SIDE", 1600))


MAX_PIXELS = 40_000_000


def image_inspect(data: bytes) -> tuple[str, int, int]:
    """(format, width, height) of an image given as bytes, or a ValidationError saying what is wrong."""
    if len(data) > image_max_bytes():
        raise ValidationError(_("This image is larger than %(size)s MB: make it smaller and upload it again.")
                              % {"size": image_max_bytes() // (1024 * 1024)})
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(_("This image has too many pixels: make it smaller and upload it again."))
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(_("This file is not an image we can show: upload a PNG, JPEG, GIF or WebP image."))
    if kind not in FORMATS:
        raise ValidationError(_("This file is not an image we can show: upload a PNG, JPEG, GIF or WebP image."))
    return kind, width, height


def image_name_clean(name: str, kind: str) -> str:
    """A safe file name with the extension of the real type: "Cash Book.PNG" → "cash-book.png"."""
    stem = slugify(PurePath(name or "image").stem)[:80] or "image"
    return f"{stem}.{FORMATS[kind]}"


def _resize(data: bytes, kind: str) -> tuple[bytes, int, int]:
    with Image.open(io.BytesIO(data)) as image:
        if kind == "GIF" and getattr(image, "is_animated", False):
            return data, *image.size
        image.thumbnail((image_max_side(), image_max_side()))
        if kind == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        out = io.BytesIO()
        options = {"optimize": True}
        if kind in {"JPEG", "WEBP"}:
            options["quality"] = 85
        image.save(out, format=kind, **options)
        return out.getvalue(), *image.size


@transaction.atomic
def lesson_image_save(*, module: Module, name: str, data: bytes, user=None, source: str = "web",
                      resize: bool = True) -> tuple[LessonImage, str | None]:
    """Add (or replace, same name) an image of the module. Lessons write `![text](images/<name>)`.

    Uploads are resized when a side is longer than ESSOR_IMAGE_MAX_SIDE; imported files are
    kept byte for byte (so that an export gives the same file back)."""
    kind, width, height = image_inspect(data)
    if source == "import":
        if not NAME_RE.match(name):
            raise ValidationError(_("Rename the image “%(name)s”: use lowercase letters, digits, dots and hyphens, with a "
                                    ".png, .jpg, .gif or .webp extension.") % {"name": name})
        if PurePath(name).suffix.lower().lstrip(".").replace("jpeg", "jpg") != FORMATS[kind]:
            raise ValidationError(_("The image “%(name)s” is not of the type its extension says: rename it with the right "
                                    "extension.") % {"name": name})
    else:
        name = image_name_clean(name, kind)
    if resize and max(width, height) > image_max_side():
        data, width, height = _resize(data, kind)
    digest = hashlib.sha256(data).hexdigest()
    image = LessonImage.objects.select_for_update().filter(module=module, name=name).first()
    if image is not None and image.sha256 == digest:
        return image, None
    is_new = image is None
    if is_new:
        image = LessonImage(module=module, name=name)
    else:
        image.image.delete(save=False)
    image.width, image.height, image.sha256 = width, height, digest
    if user is not None and getattr(user, "is_authenticated", False):
        image.uploaded_by = user
    image.image.save(name, ContentFile(data), save=False)
    image.save()
    change_record(module=module, object_type="image", object_id=image.pk, fields=[name], user=user, source=source)
    if is_new:
        # Lessons that already pointed at images/<name> can show it now.
        module_rerender(module=module, containing=f"images/{name}")
    return image, "created" if is_new else "updated"


@transaction.atomic
def lesson_image_delete(*, image: LessonImage, user=None, source: str = "web") -> None:
    module, name = image.module, image.name
    image.image.delete(save=False)
    image.delete()
    change_record(module=module, object_type="image", fields=[name], user=user, source=source)
    module_rerender(module=module, containing=f"images/{name}")
