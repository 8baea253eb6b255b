"""Coach profiles: the coach writes theirs, intermediary staff vet it."""
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Topic

from ..models import CoachLanguage, CoachProfile, CoachSkill
from ..permissions import can_vet_coaches

PROFILE_FIELDS = ("country", "city", "works_remotely", "works_in_person", "time_zone", "monthly_capacity_hours",
                  "available_from", "available_until", "employer", "bio")
LEVELS = (1, 2, 3)


def _check_levels(values: dict, message: str) -> None:
    if any(level not in LEVELS for level in values.values()):
        raise ValidationError(message)


@transaction.atomic
def coach_profile_save(
    *,
    user,
    data: dict,
    topic_levels: dict[str, int],
    tags: dict[str, int],
    languages: dict[str, int],
) -> CoachProfile:
    """Create or update a coach's own profile, replacing their skills and languages."""
    if not user.is_coach:
        raise PermissionDenied(_("Only coaches have a coach profile. Ask the site administrator to add the coach role to your account."))
    unknown = set(data) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    if not languages:
        raise ValidationError({"languages": _("Add at least one language in which you can coach.")})
    known_languages = dict(settings.LANGUAGES)
    if any(code not in known_languages for code in languages):
        raise ValidationError({"languages": _("Choose languages from the list offered.")})
    _check_levels(languages, _("Choose a level between 1 and 3 for each language."))
    topics = {t.key: t for t in Topic.objects.filter(key__in=list(topic_levels))}
    if set(topic_levels) - set(topics):
        raise ValidationError({"skills": _("Choose topics from the list offered.")})
    _check_levels(topic_levels, _("Choose a level between 1 and 3 for each skill."))
    clean_tags: dict[str, int] = {}
    seen = set()
    for tag, level in tags.items():
        tag = " ".join(str(tag).split())
        if not tag or tag.casefold() in seen:
            continue
        if len(tag) > 60:
            raise ValidationError({"tags": _("Keep each skill under 60 characters, for example “Excel bookkeeping”.")})
        seen.add(tag.casefold())
        clean_tags[tag] = level
    _check_levels(clean_tags, _("Choose a level between 1 and 3 for each skill."))
    if not topic_levels and not clean_tags:
        raise ValidationError({"skills": _("Add at least one skill: a topic of the curriculum or a skill of your own.")})

    profile = CoachProfile.objects.select_for_update().filter(user=user).first() or CoachProfile(user=user)
    for name in PROFILE_FIELDS:
        if name in data:
            value = data[name]
            setattr(profile, name, value.strip() if isinstance(value, str) else value)
    profile.full_clean()
    profile.save()

    profile.skills.exclude(topic__key__in=list(topics)).filter(topic__isnull=False).delete()
    profile.skills.filter(topic__isnull=True).exclude(tag__in=list(clean_tags)).delete()
    for key, level in topic_levels.items():
        CoachSkill.objects.update_or_create(profile=profile, topic=topics[key], defaults={"level": level, "tag": ""})
    for tag, level in clean_tags.items():
        CoachSkill.objects.update_or_create(profile=profile, tag=tag, topic=None, defaults={"level": level})
    profile.languages.exclude(language__in=list(languages)).delete()
    for code, level in languages.items():
        CoachLanguage.objects.update_or_create(profile=profile, language=code, defaults={"level": level})
    return profile


@transaction.atomic
def coach_vet(*, profile: CoachProfile, by, vetted: bool = True) -> CoachProfile:
    """Mark a coach as vetted (or not) by an intermediary's staff member: only vetted coaches are proposed."""
    if not can_vet_coaches(by):
        raise PermissionDenied(_("Only the staff of an intermediary can vet coaches."))
    if profile.user_id == by.id:
        raise PermissionDenied(_("You cannot vet your own coach profile: ask a colleague."))
    profile = CoachProfile.objects.select_for_update().get(pk=profile.pk)
    profile.is_vetted = vetted
    profile.vetted_by = by if vetted else None
    profile.vetted_at = timezone.now() if vetted else None
    profile.save(update_fields=["is_vetted", "vetted_by", "vetted_at", "updated_at"])
    return profile
