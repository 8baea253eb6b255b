"""Keep enrolment aggregates true when a module gains or archives lessons (a loose side effect)."""
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from courses.models import Lesson

from .models import Enrollment


@receiver(post_save, sender=Lesson, dispatch_uid="learners_lesson_saved")
def lesson_saved(sender, instance: Lesson, created: bool, update_fields=None, **kwargs):
    if not created and update_fields is not None and "is_archived" not in update_fields:
        return
    module_id = instance.module_id

    def refresh():
        from .services import module_enrollments_refresh

        if Enrollment.objects.filter(module_id=module_id).exists():
            module_enrollments_refresh(module_id=module_id)

    transaction.on_commit(refresh)
