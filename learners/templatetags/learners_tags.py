"""Small filters for the learner templates."""
from pathlib import Path

from django import template
from django.templatetags.static import static
from django.utils.translation import ngettext

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
