"""Downloadable templates (spreadsheets and documents) of a module: checked from their bytes, stored,
archived when gone, and the lessons that link to them (`template:<key>`) rendered again."""
from __future__ import annotations

import hashlib
import io
import re
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from ..models import Module, TemplateFile
from .authoring import _check_language, _check_slug, module_rerender, text_normalise_line
from .history import change_record

FORMATS = tuple(TemplateFile.Format.values)
FILE_NAME_RE = re.compile(r"^(?P<key>[a-z0-9]+(?:-[a-z0-9]+)*)\.(?P<language>[a-z]+(?:-[a-z]+)?)\.(?P<format>[a-z]+)$")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odt": "application/vnd.oasis.opendocument.text",
}
# What must be inside each kind of package (Office Open XML or OpenDocument).
_MAIN_PART = {"xlsx": "xl/workbook.xml", "docx": "word/document.xml", "ods": "content.xml", "odt": "content.xml"}
# A zip bomb is refused before anything is decompressed: at most this many members and bytes unpacked.
MAX_MEMBERS = 2000
MAX_UNPACKED_BYTES = 64 * 1024 * 1024


def template_max_bytes() -> int:
    return int(settings.ESSOR_TEMPLATE_MAX_BYTES)


def template_inspect(data: bytes, file_format: str) -> None:
    """Raise a ValidationError saying what is wrong unless `data` is a clean file of `file_format`:
    a real Office Open XML or OpenDocument package of that kind, with no macros, not encrypted."""
    if file_format not in FORMATS:
        raise ValidationError(_("A template is a spreadsheet (.xlsx or .ods) or a document (.docx or .odt): “.%(format)s” "
                                "is not one of them.") % {"format": file_format})
    if len(data) > template_max_bytes():
        raise ValidationError(_("This template is %(size)s: a template may be at most %(limit)s. Remove images or unused "
                                "sheets and save it again.")
                              % {"size": filesizeformat(len(data)), "limit": filesizeformat(template_max_bytes())})
    broken = ValidationError(_("This file is not a valid .%(format)s file: open it in a spreadsheet or word processor and "
                               "save it again in that format.") % {"format": file_format})
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
            names = {member.filename for member in members}
            if len(members) > MAX_MEMBERS or sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
                raise broken
            if any(member.flag_bits & 0x1 for member in members):
                raise ValidationError(_("This template is protected by a password: save it again without a password."))
            if _MAIN_PART[file_format] not in names:
                raise broken
            if file_format in ("xlsx", "docx"):
                types = package.read("[Content_Types].xml").decode("utf-8", "replace")
                macros = "macroEnabled" in types or any(name.lower().endswith("vbaproject.bin") for name in names)
            else:
                kind = "spreadsheet" if file_format == "ods" else "text"
                if members[0].filename != "mimetype" or package.read("mimetype") != f"application/vnd.oasis.opendocument.{kind}".encode():
                    raise broken
                macros = any(name.startswith(("Basic/", "Scripts/")) for name in names)
            if macros:
                raise ValidationError(_("This template contains macros: save it again as a plain .%(format)s file, without "
                                        "macros.") % {"format": file_format})
            if package.testzip() is not None:
                raise broken
    except (zipfile.BadZipFile, KeyError, EOFError, zipfile.LargeZipFile, NotImplementedError, ValueError):
        raise broken


def _rerender(module: Module, key: str) -> None:
    module_rerender(module=module, containing=f"template:{key}")


@transaction.atomic
def template_file_save(*, module: Module, key: str, language: str, title: str, file_format: str, data: bytes,
                       position: int = 1, user=None, source: str = "web") -> tuple[TemplateFile, str | None]:
    """Store one language of a template (created, or updated when its bytes, title or place changed;
    restored when archived). Idempotent by checksum: the same bytes change nothing."""
    _check_slug(key, "key")
    _check_language(language)
    title = text_normalise_line(title)
    if not title:
        raise ValidationError({"title": _("Give the template a title.")})
    if len(title) > 200:
        raise ValidationError({"title": _("Shorten the title to 200 characters at most.")})
    template_inspect(data, file_format)
    digest = hashlib.sha256(data).hexdigest()
    row = (TemplateFile.objects.select_for_update().defer("data")
           .filter(module=module, key=key, language=language).first())
    if row is None:
        row = TemplateFile(module=module, key=key, language=language)
        change = "created"
    elif (row.sha256, row.title, row.format, row.position, row.is_archived) == (digest, title, file_format, position, False):
        return row, None
    else:
        change = "updated"
    links_move = change == "created" or row.is_archived or row.format != file_format or row.sha256 != digest
    fields = [name for name, old, new in (("file", row.sha256, digest), ("title", row.title, title),
                                          ("position", row.position, position), ("archived", row.is_archived, False))
              if old != new]
    row.title, row.format, row.data, row.size, row.sha256 = title, file_format, data, len(data), digest
    row.position, row.is_archived = position, False
    row.full_clean()
    row.save()
    change_record(module=module, object_type="template", object_id=row.pk, language=language, fields=fields,
                  user=user, source=source)
    if links_move:
        # The lessons' links carry the file's address and size: render them again.
        _rerender(module, key)
    return row, change


@transaction.atomic
def template_file_archive(*, row: TemplateFile, user=None, source: str = "web") -> bool:
    """Archive one language of a template: learners no longer see it, the bytes are kept."""
    if row.is_archived:
        return False
    TemplateFile.objects.filter(pk=row.pk).update(is_archived=True)
    row.is_archived = True
    change_record(module=row.module, object_type="template", object_id=row.pk, language=row.language, fields=["archived"],
                  user=user, source=source)
    _rerender(row.module, row.key)
    return True
