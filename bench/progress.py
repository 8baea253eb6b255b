"""Progress recording: one event, a phone's offline batch of 500 events, and the same batch again.

    ESSOR_DEMO=1 .venv/bin/python -m bench.progress
"""
import random
from datetime import timedelta

from bench.setup import bench_setup, measure, report


def main() -> None:
    bench_setup()
    from django.utils import timezone

    from learners.services import lesson_progress_record, progress_record
    from tests.factories import UserFactory
    from tests.learners.factories import module_with_lessons

    module = module_with_lessons(lessons=40, questions=6)
    lessons = list(module.lessons.all())
    results: list = []
    user = UserFactory()
    with measure("first event (enrols, creates the row)", results):
        lesson_progress_record(user=user, lesson=lessons[0])
    with measure("one more lesson marked done", results):
        lesson_progress_record(user=user, lesson=lessons[1])
    with measure("the same lesson again (idempotent)", results):
        lesson_progress_record(user=user, lesson=lessons[1])
    rng = random.Random(1)
    start = timezone.now() - timedelta(days=10)
    events = [{"lesson": rng.choice(lessons).pk, "event": rng.choice(["viewed", "completed"]),
               "at": (start + timedelta(minutes=i)).isoformat()} for i in range(500)]
    batch_user = UserFactory()
    with measure("batch of 500 events (40 lessons), first time", results):
        first = progress_record(user=batch_user, events=events)
    with measure("the same batch again (nothing applied)", results):
        again = progress_record(user=batch_user, events=events)
    shuffled = events[:]
    rng.shuffle(shuffled)
    with measure("the same batch shuffled (nothing applied)", results):
        progress_record(user=batch_user, events=shuffled)
    report("Progress recording", results)
    print(f"\napplied first time: {first.applied.count(True)}/500; second time: {again.applied.count(True)}/500")


if __name__ == "__main__":
    main()
