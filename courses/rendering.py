"""The one place where Markdown becomes HTML: python-markdown, then bleach with an explicit allow-list.

Called by the services when a text is saved (web, API, import); the HTML is stored in the
`*_html` fields and pages only ever print it. Nothing else in the project imports markdown or
bleach, so replacing either later touches this file only.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from urllib.parse import urlsplit

import bleach
import markdown
from bleach.html5lib_shim import Filter
from django.conf import settings
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor

__all__ = ["markdown_render", "tables_wrap", "html_sections", "LESSON_READER_PATH", "TEMPLATE_DOWNLOAD_PATH", "ALLOWED_TAGS",
           "ALLOWED_PROTOCOLS", "TABLE_REGION_CLASS"]

# The learner's lesson reader (built by the learners app under /learn/).
LESSON_READER_PATH = "/learn/{module}/{lesson}/"
# A template file of a module, downloaded from the learners app (`template:<key>` links).
TEMPLATE_DOWNLOAD_PATH = "/learn/{module}/templates/{key}.{language}.{format}"

SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
LESSON_LINK = re.compile(rf"^lesson:(?P<module>{SLUG})/(?P<lesson>{SLUG})(?P<anchor>#[\w-]*)?$")
IMAGE_REF = re.compile(r"^images/(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)$")
TEMPLATE_LINK = re.compile(rf"^template:(?P<key>{SLUG})$")

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "ins", "li", "ol", "p", "pre", "s", "span", "strong", "sub", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "ul",
})
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
# Classes python-markdown itself writes (footnotes, fenced code); any other class is dropped.
ALLOWED_CLASSES = frozenset({"footnote", "footnote-ref", "footnote-backref"})
CODE_CLASS = re.compile(r"^language-[A-Za-z0-9_+-]{1,30}$")
# Ids only as python-markdown writes them (headings "h-...", footnotes "fn:..."), so a lesson can
# never clobber an id of the page around it.
ALLOWED_ID = re.compile(r"^(?:h-[\w-]{0,80}|fn:[\w-]{1,20}|fnref\d*:[\w-]{1,20})$")
ALIGN = frozenset({"left", "right", "center"})


def _allow_attribute(tag: str, name: str, value: str) -> bool:
    if name == "class":
        return value in ALLOWED_CLASSES or (tag == "code" and bool(CODE_CLASS.match(value)))
    if name == "id":
        return tag in {"h1", "h2", "h3", "h4", "h5", "h6", "li", "sup"} and bool(ALLOWED_ID.match(value))
    if name == "title":
        return tag in {"a", "abbr", "img"}
    allowed = {
        "a": {"href", "rel"},
        "img": {"src", "alt", "width", "height"},
        "td": {"align"},
        "th": {"align"},
        "ol": {"start"},
    }.get(tag, set())
    if name not in allowed:
        return False
    if name == "align":
        return value in ALIGN
    if name in {"width", "height", "start"}:
        return value.isdigit() and len(value) <= 5
    return True


def _media_url() -> str:
    return settings.MEDIA_URL if settings.MEDIA_URL.startswith("/") else "/" + settings.MEDIA_URL


def _is_site_media(src: str) -> bool:
    media = _media_url()
    return src.startswith(media) and not src.startswith("//") and ".." not in src and "\\" not in src


def _is_external(href: str) -> bool:
    parts = urlsplit(href)
    return bool(parts.netloc) or href.startswith("//")


class LinksAndImagesFilter(Filter):
    """After sanitizing: images only from the site's media or https, rel on external links."""

    def __iter__(self):
        for token in Filter.__iter__(self):
            kind = token.get("type")
            if kind in {"StartTag", "EmptyTag"} and token.get("name") == "img":
                attrs = token.get("data") or {}
                src = attrs.get((None, "src"), "")
                if not src or not (_is_site_media(src) or src.lower().startswith("https://")):
                    # An image from elsewhere is dropped; its description stays readable.
                    alt = attrs.get((None, "alt"), "")
                    if alt:
                        yield {"type": "Characters", "data": alt}
                    continue
            if kind == "StartTag" and token.get("name") == "a":
                attrs = dict(token.get("data") or {})
                href = attrs.get((None, "href"), "")
                attrs.pop((None, "rel"), None)
                if href and _is_external(href):
                    attrs[(None, "rel")] = "nofollow noopener noreferrer"
                token = {**token, "data": attrs}
            yield token


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_allow_attribute,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[LinksAndImagesFilter],
)


class _SiteLinks(Treeprocessor):
    """`lesson:<module>/<lesson>` links go to the reader; `images/<name>` to the module's image;
    `template:<key>` to the module's template file in the text's language, or visibly in another."""

    def __init__(self, md, images: dict[str, str], templates: dict[str, tuple[str, str]]):
        super().__init__(md)
        self.images = images
        self.templates = templates

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag == "a":
                href = (element.get("href") or "").strip()
                if href.lower().startswith("lesson:"):
                    match = LESSON_LINK.match(href)
                    if match:
                        element.set("href", LESSON_READER_PATH.format(**match.groupdict()) + (match["anchor"] or ""))
                    else:
                        del element.attrib["href"]
                elif href.lower().startswith("template:"):
                    match = TEMPLATE_LINK.match(href)
                    found = self.templates.get(match["key"]) if match else None
                    if found:
                        element.set("href", found[0])
                        element.tail = found[1] + (element.tail or "")
                    else:
                        del element.attrib["href"]
            elif element.tag == "img":
                src = (element.get("src") or "").strip()
                match = IMAGE_REF.match(src)
                if match:
                    url = self.images.get(match["name"])
                    if url:
                        element.set("src", url)
                    else:
                        del element.attrib["src"]


# A space between groups of digits ("4 000", "1 200 €") becomes a no-break space in table cells, so
# that an amount never splits across two lines of a narrow column.
DIGIT_GROUPS = re.compile(r"(?<=\d) (?=\d{3}(?!\d))|(?<=\d) (?=[€¥$%元])")


def _keep_amounts_whole(text: str | None) -> str | None:
    return DIGIT_GROUPS.sub("\u00a0", text) if text and " " in text else text


class _TableCells(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for cell in root.iter():
            if cell.tag in {"td", "th"}:
                for element in cell.iter():
                    element.text = _keep_amounts_whole(element.text)
                    if element is not cell:
                        element.tail = _keep_amounts_whole(element.tail)


class _SiteLinksExtension(Extension):
    def __init__(self, images: dict[str, str], templates: dict[str, tuple[str, str]]):
        super().__init__()
        self.images = images
        self.templates = templates

    def extendMarkdown(self, md) -> None:  # noqa: N802 (python-markdown's API)
        # After the inline patterns have built the links (priority 20) and after toc (5)..
        md.treeprocessors.register(_SiteLinks(md, self.images, self.templates), "essor_site_links", 1)
        md.treeprocessors.register(_TableCells(md), "essor_table_cells", 0)


def _heading_slug(value: str, separator: str) -> str:
    return "h-" + slugify_unicode(value, separator)


def _module_images(module) -> dict[str, str]:
    if module is None or module.pk is None:
        return {}
    from .models import LessonImage

    return {row.name: row.image.url for row in LessonImage.objects.filter(module=module).only("name", "image")}


def _module_templates(module, language: str | None) -> dict[str, tuple[str, str]]:
    """{key: (address, text after the link)} for the module's templates, in `language` when the
    template has that language, else in the module's source language or another one, said in the
    text after the link (in the text's language) so that the fallback is visible."""
    if module is None or module.pk is None:
        return {}
    from django.template.defaultfilters import filesizeformat
    from django.utils import translation
    from django.utils.translation import gettext

    from .models import TemplateFile

    language = language or module.source_language
    order = [language, module.source_language, *settings.REQUIRED_CONTENT_LANGUAGES, *settings.CONTENT_LANGUAGES]
    files: dict[str, dict[str, tuple[str, int]]] = {}
    for key, code, file_format, size in (TemplateFile.objects.filter(module=module, is_archived=False)
                                         .values_list("key", "language", "format", "size")):
        files.setdefault(key, {})[code] = (file_format, size)
    result = {}
    with translation.override(language):
        for key, by_language in files.items():
            code = next((code for code in order if code in by_language), None) or sorted(by_language)[0]
            file_format, size = by_language[code]
            url = TEMPLATE_DOWNLOAD_PATH.format(module=module.slug, key=key, language=code, format=file_format)
            details = {"format": file_format.upper(), "size": filesizeformat(size)}
            if code == language:
                note = gettext("(%(format)s, %(size)s)") % details
            else:
                details["language"] = translation.get_language_info(code)["name_translated"]
                note = gettext("(%(format)s, %(size)s, in %(language)s)") % details
            # A space before a Latin bracket, none before a full-width one (Chinese).
            result[key] = (url, note if note.startswith("（") else " " + note)
    return result


def _convert(text: str, images: dict[str, str], templates: dict[str, tuple[str, str]], *, footnotes: bool = True) -> str:
    extensions = ["tables", "fenced_code", "toc", "sane_lists", _SiteLinksExtension(images, templates)]
    if footnotes:
        extensions.insert(2, "footnotes")
    md = markdown.Markdown(
        extensions=extensions,
        extension_configs={
            "toc": {"slugify": _heading_slug, "permalink": False},
            "tables": {"use_align_attribute": True},
            **({"footnotes": {"BACKLINK_TITLE": "", "SUPERSCRIPT_TEXT": "{}"}} if footnotes else {}),
        },
        output_format="html",
    )
    return md.convert(text)


def markdown_render(text: str, *, module=None, language: str | None = None) -> str:
    """Markdown (trainer's text) → safe HTML to store. `module` resolves `images/<name>` and
    `template:<key>`; `language` is the text's language (which file a template link points to)."""
    if not text or not text.strip():
        return ""
    images = _module_images(module)
    templates = _module_templates(module, language) if "template:" in text else {}
    try:
        html = _convert(text, images, templates)
    except Exception:
        # python-markdown's footnotes extension fails on some unfinished input (an empty "[^1]: ");
        # a trainer still gets their text rendered, without footnotes.
        html = _convert(text, images, templates, footnotes=False)
    return tables_wrap(_cleaner.clean(html).strip(), language)


# Every table sits in its own sideways-scrolling region: a wide table scrolls inside the text on a phone
# instead of squeezing its cells until numbers and words break. The region takes the keyboard focus
# (tabindex) so that it can be scrolled without a mouse, and is named for screen readers. Added after
# bleach, which would strip these attributes from a trainer's HTML: only this function writes them.
TABLE_REGION_CLASS = "table-scroll"


def tables_wrap(html: str, language: str | None = None) -> str:
    """Wrap each `<table>` of sanitised HTML (bleach leaves no attribute on it) in a focusable, labelled,
    sideways-scrolling region. HTML that already has its regions is returned unchanged."""
    if "<table>" not in html or f'<div class="{TABLE_REGION_CLASS}"' in html:
        return html
    from django.utils import translation
    from django.utils.html import escape
    from django.utils.translation import gettext

    with translation.override(language or settings.LANGUAGE_CODE):
        label = escape(gettext("Table: scroll sideways to see every column"))
    opening = f'<div class="{TABLE_REGION_CLASS}" tabindex="0" role="region" aria-label="{label}"><table>'
    return html.replace("<table>", opening).replace("</table>", "</table></div>")


_CELL = re.compile(r"(<t[dh](?: [^>]*)?>)(.*?)(</t[dh]>)", re.S)


def stored_tables_upgrade(html: str, language: str | None = None) -> str:
    """HTML stored before tables had their regions (a migration): amounts kept whole in the cells, each
    table wrapped. The same result as rendering the text again, without running Markdown."""
    if "<table>" not in html:
        return html
    html = _CELL.sub(lambda m: m[1] + re.sub(r">([^<]*)<", lambda t: ">" + _keep_amounts_whole(t[1]) + "<",
                                             ">" + m[2] + "<")[1:-1] + m[3], html)
    return tables_wrap(html, language)


# A lesson's sections begin at its second-level headings (a lesson's own title is the page's h1). Stored HTML only:
# python-markdown writes `<h2>` or `<h2 id="h-...">` at the top level, never inside another element it keeps.
_SECTION_START = re.compile(r"(?=<h2[ >])")


def html_sections(html: str) -> list[str]:
    """Stored lesson HTML cut before each `<h2>`: the text before the first heading (if any), then one piece per
    section. The side-by-side reader pairs two languages' sections by position, one row each."""
    return [piece for piece in _SECTION_START.split(html or "") if piece.strip()]
