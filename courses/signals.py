"""The module's `updated_at` is the content stamp that caches of a module's content are keyed on
(learners.selectors.common.module_outlines): every saved or deleted piece of a module moves it,
whatever wrote it (authoring services, import, the admin). A loose side effect: cache invalidation."""
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from .models import Choice, ChoiceTranslation, Lesson, LessonTranslation, Module, ModuleTranslation, Question, QuestionTranslation, Quiz


def _module_id(instance) -> int | None:
    if isinstance(instance, (Lesson, ModuleTranslation, Quiz)):
        return instance.module_id
    if isinstance(instance, LessonTranslation):
        return Lesson.objects.filter(pk=instance.lesson_id).values_list("module_id", flat=True).first()
    if isinstance(instance, Question):
        return Quiz.objects.filter(pk=instance.quiz_id).values_list("module_id", flat=True).first()
    if isinstance(instance, (QuestionTranslation, Choice)):
        return Question.objects.filter(pk=instance.question_id).values_list("quiz__module_id", flat=True).first()
    if isinstance(instance, ChoiceTranslation):
        return Choice.objects.filter(pk=instance.choice_id).values_list("question__quiz__module_id", flat=True).first()
    return None


def content_touched(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    module_id = _module_id(instance)
    if module_id is not None:
        Module.objects.filter(pk=module_id).update(updated_at=timezone.now())


for model in (Lesson, LessonTranslation, ModuleTranslation, Quiz, Question, QuestionTranslation, Choice, ChoiceTranslation):
    post_save.connect(content_touched, sender=model, dispatch_uid=f"courses_content_touched_save_{model.__name__}")
    post_delete.connect(content_touched, sender=model, dispatch_uid=f"courses_content_touched_delete_{model.__name__}")


@receiver(m2m_changed, sender=Module.prerequisites.through, dispatch_uid="courses_prerequisites_touched")
def prerequisites_touched(sender, instance, action: str, **kwargs) -> None:
    if action.startswith("post_") and isinstance(instance, Module):
        Module.objects.filter(pk=instance.pk).update(updated_at=timezone.now())
