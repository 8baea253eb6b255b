"""Who may author, read and change which module.

Trainers and admins reach the authoring pages; a module's authors edit it, other trainers read
it (and may add themselves as authors), admins do everything. Learners and coaches never reach
authoring (403).
"""
from __future__ import annotations

from .models import Module


def can_author(user) -> bool:
    """May use the authoring pages at all (and create modules)."""
    return bool(user and user.is_authenticated and user.is_active and (user.is_trainer or user.is_superuser))


def can_view_module_authoring(user, module: Module) -> bool:
    return can_author(user)


def is_module_author(user, module: Module) -> bool:
    if not (user and user.is_authenticated):
        return False
    authors = getattr(module, "_prefetched_objects_cache", {}).get("authors")
    if authors is not None:
        return any(author.pk == user.pk for author in authors)
    return module.authors.filter(pk=user.pk).exists()


def can_edit_module(user, module: Module) -> bool:
    if not can_author(user):
        return False
    return bool(user.is_superuser or is_module_author(user, module))


def can_manage_authors(user, module: Module) -> bool:
    """Authors and admins add or remove authors; any trainer may add themselves."""
    return can_edit_module(user, module)


def can_join_as_author(user, module: Module) -> bool:
    return can_author(user) and not is_module_author(user, module)


def can_see_answers(user, module: Module) -> bool:
    """Which choices are correct: the module's authors and admins only."""
    return bool(user and user.is_authenticated and (user.is_superuser or is_module_author(user, module)))


def can_read_module(user, module: Module) -> bool:
    """The learner-facing reading of a module: published for everyone logged in, drafts for trainers."""
    if not (user and user.is_authenticated):
        return False
    if module.status == Module.Status.PUBLISHED:
        return True
    return can_author(user)
