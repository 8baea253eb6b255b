"""Keep the search index in step with the curriculum: courses never imports search, search listens.

Lesson and module translations are saved by the courses services only (web authoring, API,
import_content alike); each save rewrites that translation's index row in the same transaction.
Publishing, unpublishing and archiving need nothing here: visibility is read from the module
when searching. Images change a lesson's stored HTML through a bulk update, so a change of image
re-indexes the module once the transaction has committed.
"""
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from courses.models import LessonImage, LessonTranslation, ModuleTranslation

from . import services


@receiver(post_save, sender=LessonTranslation, dispatch_uid="search_lesson_translation_saved")
def lesson_translation_saved(sender, instance: LessonTranslation, raw: bool = False, **kwargs):
    if not raw:
        services.lesson_translation_index(translation=instance)


@receiver(post_delete, sender=LessonTranslation, dispatch_uid="search_lesson_translation_deleted")
def lesson_translation_deleted(sender, instance: LessonTranslation, **kwargs):
    services.lesson_document_delete(lesson_id=instance.lesson_id, language=instance.language)


@receiver(post_save, sender=ModuleTranslation, dispatch_uid="search_module_translation_saved")
def module_translation_saved(sender, instance: ModuleTranslation, raw: bool = False, **kwargs):
    if not raw:
        services.module_translation_index(translation=instance)


@receiver(post_delete, sender=ModuleTranslation, dispatch_uid="search_module_translation_deleted")
def module_translation_deleted(sender, instance: ModuleTranslation, **kwargs):
    services.module_document_delete(module_id=instance.module_id, language=instance.language)


@receiver([post_save, post_delete], sender=LessonImage, dispatch_uid="search_lesson_image_changed")
def lesson_image_changed(sender, instance: LessonImage, raw: bool = False, **kwargs):
    if not raw:
        module_id = instance.module_id
        transaction.on_commit(lambda: services.module_index(module_id=module_id), robust=True)
