"""Small filters for the learner templates."""
from html import escape
from pathlib import Path

from django import template
from django.templatetags.static import static
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from courses.selectors import language_name as _language_name_translated
from learners.selectors import language_name as _language_name

register = template.Library()


@register.filter
def language_name(code: str) -> str:
    """"zh-hans" -> "简体中文" (each language in its own name)."""
    return _language_name(code)


@register.filter
def language_name_in_text(code: str) -> str:
    """"fr" -> "法语" on a Chinese page: a language named inside a sentence, in the reader's language."""
    return _language_name_translated(code)


@register.filter
def get_item(mapping, key):
    """mapping[key], trying the key as given and as a string (form errors are keyed by question id)."""
    if not mapping:
        return None
    if key in mapping:
        return mapping[key]
    return mapping.get(str(key))


@register.filter
def signed(value) -> str:
    """+5, −3 or ±0 (a true minus sign, read correctly by screen readers)."""
    if value is None:
        return ""
    value = int(value)
    if value > 0:
        return f"+{value}"
    if value < 0:
        return f"\u2212{abs(value)}"
    return "±0"


@register.simple_tag
def progress_summary(enrollment, has_quiz) -> str:
    """What the percentage counts, in words: "2 of 5 lessons done, quiz not passed yet" (the quiz is a
    step of the module, so it is named, never hidden)."""
    done, total = enrollment.lessons_done, enrollment.lessons_total
    values = {"done": done, "total": total}
    if not has_quiz:
        return ngettext("%(done)s of %(total)s lesson done", "%(done)s of %(total)s lessons done", total) % values
    if enrollment.quiz_passed:
        return ngettext("%(done)s of %(total)s lesson done, and the quiz passed",
                        "%(done)s of %(total)s lessons done, and the quiz passed", total) % values
    return ngettext("%(done)s of %(total)s lesson done, quiz not passed yet",
                    "%(done)s of %(total)s lessons done, quiz not passed yet", total) % values


@register.filter
def first_other(codes, language: str) -> str:
    """The first language of `codes` that is not `language` ("" if none): the side-by-side offer."""
    return next((code for code in codes or [] if code != language), "")


# Cover illustrations drawn for the project (static/learners/covers/, a few hundred bytes each): the one named after
# the module's slug, else after its topic's key, else default.svg. Read once: the folder ships with the code.
COVERS_DIR = Path(__file__).resolve().parent.parent.parent / "static" / "learners" / "covers"
COVERS = frozenset(path.stem for path in COVERS_DIR.glob("*.svg"))


@register.filter
def module_cover(module) -> str:
    """The static URL of a module's cover illustration."""
    topic = getattr(module.topic, "key", "") if module.topic_id else ""
    name = next((name for name in (module.slug, topic) if name in COVERS), "default")
    return static(f"learners/covers/{name}.svg")


@register.simple_tag
def lesson_list(lessons, query: str = "") -> str:
    """The module's lessons in order (reader's side column, module page), built in Python: the same
    markup as a template loop over 20 lessons at a fifth of its cost (docs/performance.md). Every value
    typed by people (titles) or taken from the address (`query`) is escaped here."""
    done = escape(gettext("done"))
    suffix = f"?{escape(query)}" if query else ""
    out = ['<ol class="lesson-list">\n']
    for item in lessons:
        css = ("is-done" if item.done else "") + (" is-current" if item.is_current else "")
        tick = "✓" if item.done else str(int(item.number))
        current = ' aria-current="page"' if item.is_current else ""
        hidden = f'<span class="visually-hidden"> ({done})</span>' if item.done else ""
        out.append(
            f'\n  <li data-lesson-id="{int(item.lesson_id)}" class="{css}">\n'
            f'    <span class="tick" aria-hidden="true">{tick}</span>\n'
            f'    <span><a href="{escape(item.url)}{suffix}" lang="{escape(item.language)}"{current}>{escape(item.title)}</a>'
            f'{hidden}</span>\n  </li>\n')
    out.append("\n</ol>\n")
    return mark_safe("".join(out))  # noqa: S308 — every value above is escaped
