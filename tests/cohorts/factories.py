"""Cohorts as the tests need them: built through the real services, or in bulk for the scale tests."""
from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from cohorts.models import Cohort, CohortInvitation, CohortMembership
from cohorts.services import ModuleAssignment, cohort_create, cohort_join, invitation_create
from cohorts.services.stats import cohort_stats_rebuild, members_refresh
from courses.models import Module
from learners.models import Enrollment, LessonProgress
from tests.factories import AssociationFactory, UserFactory
from tests.learners.factories import module_with_lessons


def modules(count: int = 2, *, lessons: int = 3, questions: int = 2) -> list[Module]:
    return [module_with_lessons(lessons=lessons, questions=questions) for _ in range(count)]


def cohort_for(staff: User, *, module_list: list[Module] | None = None, name: str = "Spring cohort",
               stalled_after_days: int = 14, **kwargs) -> Cohort:
    intermediary = staff.staff_memberships.first().intermediary
    module_list = module_list if module_list is not None else modules(2)
    return cohort_create(intermediary=intermediary, created_by=staff, name=name, stalled_after_days=stalled_after_days,
                         modules=[ModuleAssignment(module=m) for m in module_list], facilitators=[staff], **kwargs)


def link(cohort: Cohort, **kwargs) -> CohortInvitation:
    return invitation_create(cohort=cohort, created_by=None, **kwargs)


def member(cohort: Cohort, user: User | None = None, **user_kwargs) -> User:
    """A learner who joined through a link (the real join service: membership + enrolments)."""
    user = user or UserFactory(is_learner=True, association=AssociationFactory(), **user_kwargs)
    invitation = cohort.invitations.filter(kind=CohortInvitation.Kind.LINK, revoked_at__isnull=True).first() or link(cohort)
    cohort_join(invitation=invitation, user=user)
    return user


def backdate(user: User, *, days: int, module: Module | None = None) -> None:
    """Move a learner's activity `days` into the past (after recording it through the real services).
    Written behind the services' back: the stored cohort aggregates of the learner are recomputed."""
    when = timezone.now() - timedelta(days=days)
    enrollments = Enrollment.objects.filter(user=user, last_activity_at__isnull=False)
    if module is not None:
        enrollments = enrollments.filter(module=module)
    enrollments.update(last_activity_at=when)
    LessonProgress.objects.filter(user=user).update(first_seen_at=when, last_seen_at=when)
    members_refresh(membership_ids=list(CohortMembership.objects.filter(user=user).values_list("pk", flat=True)))


def bulk_cohort(staff: User, *, learners: int, module_list: list[Module], seed: int = 1) -> Cohort:
    """A big cohort written with bulk_create (users, memberships, enrolments with stored aggregates)."""
    import random

    rng = random.Random(seed)
    cohort = cohort_for(staff, module_list=module_list, name=f"Big cohort {learners}")
    now = timezone.now()
    users = User.objects.bulk_create([
        User(email=f"bulk{seed}-{n}@example.org", display_name=f"Learner {n:05d}", password="!", is_learner=True)
        for n in range(learners)
    ])
    CohortMembership.objects.bulk_create([CohortMembership(cohort=cohort, user=user) for user in users])
    totals = {m.pk: m.lessons.filter(is_archived=False).count() for m in module_list}
    rows = []
    for user in users:
        for module in module_list:
            done = rng.randint(0, totals[module.pk])
            activity = now - timedelta(days=rng.randint(0, 40)) if done else None
            completed = activity if done == totals[module.pk] and rng.random() < 0.7 else None
            rows.append(Enrollment(user=user, module=module, lessons_done=done, lessons_total=totals[module.pk],
                                   percent=100 if completed else 100 * done // (totals[module.pk] + 1), last_activity_at=activity,
                                   completed_at=completed, quiz_passed=bool(completed), quiz_best_score=80 if completed else None))
    Enrollment.objects.bulk_create(rows, batch_size=2000)
    cohort_stats_rebuild(cohort_id=cohort.pk)  # written in bulk, behind the services' back
    return cohort


def seeded_cohort(staff: User, module_a: Module, module_b: Module) -> tuple[Cohort, dict[str, User]]:
    """A cohort with a learner at every stage, one who left and one active only outside the cohort:

    A not started · B in progress · C stalled (20 days) · D module A completed (+ certificate), B in
    progress, self-diagnostic 33 at joining then 67 · E everything completed (2 certificates), one
    self-diagnostic of 100 after joining · F left the cohort · G active only in a module outside it."""
    from cohorts.services import cohort_leave
    from learners.models import DiagnosticResponse
    from learners.services import diagnostic_submit, lesson_progress_record, quiz_attempt_submit
    from tests.learners.factories import diagnostic, module_with_lessons, quiz_answers

    cohort = cohort_for(staff, module_list=[module_a, module_b])
    people = {key: UserFactory(is_learner=True, association=AssociationFactory(name=f"Association {key}"), display_name=f"Learner {key}")
              for key in "ABCDEFG"}
    diag = diagnostic()
    keys = list(diag.areas.values_list("statements__key", flat=True))
    # D took the self-diagnostic before joining.
    before = diagnostic_submit(user=people["D"], answers=dict.fromkeys(keys, 2))
    DiagnosticResponse.objects.filter(pk=before.pk).update(created_at=timezone.now() - timedelta(days=60))
    for user in people.values():
        member(cohort, user)
    lessons_a, lessons_b = list(module_a.lessons.all()), list(module_b.lessons.all())
    lesson_progress_record(user=people["B"], lesson=lessons_a[0])
    lesson_progress_record(user=people["C"], lesson=lessons_a[0])
    backdate(people["C"], days=20)
    for lesson in lessons_a:
        lesson_progress_record(user=people["D"], lesson=lesson)
    quiz_attempt_submit(user=people["D"], quiz=module_a.quiz, answers=quiz_answers(module_a, correct=False))
    quiz_attempt_submit(user=people["D"], quiz=module_a.quiz, answers=quiz_answers(module_a))
    lesson_progress_record(user=people["D"], lesson=lessons_b[0])
    diagnostic_submit(user=people["D"], answers=dict.fromkeys(keys, 3))
    for lesson in lessons_a + lessons_b:
        lesson_progress_record(user=people["E"], lesson=lesson)
    quiz_attempt_submit(user=people["E"], quiz=module_a.quiz, answers=quiz_answers(module_a))
    diagnostic_submit(user=people["E"], answers=dict.fromkeys(keys, 4))
    lesson_progress_record(user=people["F"], lesson=lessons_a[0])
    cohort_leave(membership=CohortMembership.objects.get(cohort=cohort, user=people["F"]))
    outside = module_with_lessons(lessons=2, slug="outside-module")
    lesson_progress_record(user=people["G"], lesson=outside.lessons.first())
    return cohort, people
