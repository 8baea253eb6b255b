"""Who may read which module, see its results, and open which certificate."""
from __future__ import annotations

from accounts.models import User
from courses.models import Module

from .models import Certificate


def module_can_preview(user: User, module: Module) -> bool:
    """Authors, staff of the owning organisation and administrators see a module before it is published."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if module.authors.filter(pk=user.pk).exists():
        return True
    return bool(module.intermediary_id) and user.staff_memberships.filter(intermediary_id=module.intermediary_id).exists()


def module_is_readable(user: User, module: Module) -> bool:
    return module.is_published or module_can_preview(user, module)


def lesson_needs_account(*, user: User, is_first_lesson: bool) -> bool:
    """The first lesson of a module is open to everyone; the others need an account."""
    return not user.is_authenticated and not is_first_lesson


def module_results_can_view(user: User, module: Module) -> bool:
    """Per-question results and drop-off are for the module's authors, its organisation's trainers and admins."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or module.authors.filter(pk=user.pk).exists():
        return True
    return (user.is_trainer and bool(module.intermediary_id)
            and user.staff_memberships.filter(intermediary_id=module.intermediary_id).exists())


def certificate_can_view(user: User, certificate: Certificate) -> bool:
    """The printable certificate is its holder's (and an administrator's); anyone may verify a code."""
    return user.is_authenticated and (certificate.user_id == user.pk or user.is_superuser)
