"""Stored percents were rounded down ("1 of 6 steps" was 16 %): recount them with the one rule of
learners.progress (nearest, halves up; 1 once something is done, 99 until everything is)."""
from django.db import migrations


def recount(apps, schema_editor):
    from learners.progress import progress_percent

    Enrollment = apps.get_model("learners", "Enrollment")
    Question = apps.get_model("courses", "Question")
    with_quiz = set(Question.objects.filter(is_archived=False).values_list("quiz__module_id", flat=True).distinct())
    rows = Enrollment.objects.filter(completed_at__isnull=True).only("pk", "module_id", "lessons_done", "lessons_total",
                                                                     "quiz_passed", "percent")
    for row in rows.iterator():
        has_quiz = row.module_id in with_quiz
        done = min(row.lessons_done, row.lessons_total) + (1 if row.quiz_passed and has_quiz else 0)
        percent = progress_percent(done, row.lessons_total + (1 if has_quiz else 0))
        if percent != row.percent:
            Enrollment.objects.filter(pk=row.pk).update(percent=percent)


class Migration(migrations.Migration):
    dependencies = [("learners", "0002_enrollment_done_lessons"), ("courses", "0005_wrap_stored_lesson_tables")]
    operations = [migrations.RunPython(recount, migrations.RunPython.noop)]
