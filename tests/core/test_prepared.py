"""core/db/prepared.py: a query compiled once per process reads what the ORM reads, in one statement, with each call's
own parameters; a query it cannot prepare fails when it is prepared, not with wrong rows."""
import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError

from core.db.prepared import PreparedQuery
from courses.models import Module
from learners.models import Enrollment
from learners.selectors.catalogue import _ENROLLMENT_BY_MODULE_SLUG, _MODULE_BY_SLUG
from learners.services import _ENROLLMENT_FOR_UPDATE, enrollment_create, lesson_progress_record
from tests.factories import UserFactory
from tests.learners.factories import module_with_lessons

pytestmark = pytest.mark.django_db


def _fields(obj) -> dict:
    """Every concrete field's value, as the model holds it (aware datetimes, JSON lists, foreign keys' ids)."""
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


@pytest.fixture
def two_modules_and_learners():
    first = module_with_lessons(lessons=2, questions=1, slug="prepared-first")
    second = module_with_lessons(lessons=3, questions=0, slug="prepared-second")
    learners = [UserFactory(is_learner=True) for _ in range(3)]
    enrollment_create(user=learners[0], module=first, language="fr")
    enrollment_create(user=learners[0], module=second, language="zh-hans")
    enrollment_create(user=learners[1], module=second, language="en")
    lesson = second.lessons.order_by("position").first()
    lesson_progress_record(user=learners[1], lesson=lesson, language="en")  # times, a done lesson, a percentage
    return [first, second], learners


@pytest.mark.parametrize("with_topic", [True, False])
def test_the_enrolment_by_module_slug_is_the_orms_with_its_module(two_modules_and_learners, with_topic, django_assert_num_queries):
    modules, learners = two_modules_and_learners
    related = ("module__topic", "module__intermediary") if with_topic else ("module",)
    cases = 0
    for learner in learners:
        for slug in [module.slug for module in modules] + ["no-such-module"]:
            expected = Enrollment.objects.select_related(*related).filter(user=learner, module__slug=slug).first()
            with django_assert_num_queries(1):
                found = _ENROLLMENT_BY_MODULE_SLUG[with_topic](user_id=learner.pk, slug=slug)
                got = found[0] if found else None
                if got is not None:  # what select_related read is there: no query for it
                    assert _fields(got.module) == _fields(expected.module)
                    if with_topic:
                        assert _fields(got.module.topic) == _fields(expected.module.topic)
                        assert got.module.intermediary == expected.module.intermediary
            assert (got is None) == (expected is None)
            if got is not None:
                cases += 1
                assert _fields(got) == _fields(expected)
                assert got._state.db == "default" and not got._state.adding
    assert cases == 3


@pytest.mark.parametrize("with_related", [True, False])
def test_the_module_by_slug_is_the_orms(two_modules_and_learners, with_related, django_assert_num_queries):
    modules, _ = two_modules_and_learners
    for slug in [module.slug for module in modules] + ["no-such-module"]:
        query = Module.objects.select_related("topic", "intermediary") if with_related else Module.objects
        expected = query.filter(slug=slug).first()
        with django_assert_num_queries(1):
            found = _MODULE_BY_SLUG[with_related](slug=slug)
            if with_related and found:
                assert _fields(found[0].topic) == _fields(expected.topic)
        assert [_fields(module) for module in found] == ([_fields(expected)] if expected else [])


def test_the_locked_enrolment_is_the_orms(two_modules_and_learners):
    modules, learners = two_modules_and_learners
    with transaction.atomic():
        for learner in learners:
            for module in modules:
                expected = Enrollment.objects.select_for_update().filter(user=learner, module=module).first()
                found = _ENROLLMENT_FOR_UPDATE(user_id=learner.pk, module_id=module.pk)
                assert [_fields(e) for e in found] == ([_fields(expected)] if expected else [])


@pytest.mark.django_db(transaction=True)
def test_the_locked_enrolment_outside_a_transaction_is_refused_where_the_orm_refuses_it(two_modules_and_learners):
    """A database that locks rows (PostgreSQL) refuses a row lock outside a transaction; SQLite reads."""
    modules, learners = two_modules_and_learners
    assert connection.get_autocommit()
    try:
        Enrollment.objects.select_for_update().filter(user=learners[0]).first()
        orm_refuses = False
    except TransactionManagementError:
        orm_refuses = True
    assert orm_refuses == connection.features.has_select_for_update
    if orm_refuses:
        with pytest.raises(TransactionManagementError):
            _ENROLLMENT_FOR_UPDATE(user_id=learners[0].pk, module_id=modules[0].pk)
    else:
        assert len(_ENROLLMENT_FOR_UPDATE(user_id=learners[0].pk, module_id=modules[0].pk)) == 1


def test_a_parameter_the_orm_changes_on_its_way_is_refused_when_prepared(two_modules_and_learners):
    contains = PreparedQuery(lambda slug: Module.objects.filter(slug__contains=slug), slug=str)  # the ORM adds % … %
    with pytest.raises(ValueError, match="slug"):
        contains(slug="prepared")
    with pytest.raises(TypeError):
        PreparedQuery(lambda when: Module.objects.filter(created_at=when), when=object)
    exact = PreparedQuery(lambda slug: Module.objects.filter(slug=slug).order_by("pk"), slug=str)
    with pytest.raises(TypeError):
        exact(name="prepared-first")
    assert [m.slug for m in exact(slug="prepared-first")] == ["prepared-first"]


def test_constants_stay_and_parameters_change_between_calls(two_modules_and_learners):
    """The same prepared query, many calls: each reads its own parameters, the query's constants stay put."""
    modules, learners = two_modules_and_learners
    active = PreparedQuery(lambda user_id: Enrollment.objects.filter(user_id=user_id, status=Enrollment.Status.ACTIVE)
                           .order_by("pk"), user_id=int)
    for _ in range(2):
        for learner in learners:
            expected = list(Enrollment.objects.filter(user=learner, status=Enrollment.Status.ACTIVE).order_by("pk"))
            assert [_fields(e) for e in active(user_id=learner.pk)] == [_fields(e) for e in expected]
    Enrollment.objects.filter(user=learners[0], module=modules[0]).update(status=Enrollment.Status.LEFT)
    assert [e.module_id for e in active(user_id=learners[0].pk)] == [modules[1].pk]


def test_the_readers_lesson_texts_are_the_orms_with_the_same_deferred_fields(two_modules_and_learners, django_assert_num_queries):
    from courses.models import LessonTranslation
    from learners.selectors.catalogue import _LESSON_TEXTS

    modules, _ = two_modules_and_learners
    fields = ["language", "title", "summary", "body_html", "version", "source_version"]
    lessons = [lesson for module in modules for lesson in module.lessons.all()]
    for lesson in lessons:
        expected = list(LessonTranslation.objects.filter(lesson_id=lesson.pk).only(*fields))
        with django_assert_num_queries(1):
            got = _LESSON_TEXTS(lesson_id=lesson.pk)
        assert len(got) == len(expected) >= 2
        assert [{name: getattr(row, name) for name in ["pk", *fields]} for row in got] == \
            [{name: getattr(row, name) for name in ["pk", *fields]} for row in expected]
        assert got[0].get_deferred_fields() == expected[0].get_deferred_fields()
    assert _LESSON_TEXTS(lesson_id=max(lesson.pk for lesson in lessons) + 1) == []


def test_one_events_progress_row_is_the_orms(two_modules_and_learners):
    from learners.models import LessonProgress
    from learners.services import _PROGRESS_ROW

    modules, learners = two_modules_and_learners
    seen = 0
    for learner in learners:
        for lesson in modules[1].lessons.all():
            expected = list(LessonProgress.objects.filter(user=learner, lesson_id__in={lesson.pk}))
            got = _PROGRESS_ROW(user_id=learner.pk, lesson_id=lesson.pk)
            assert [_fields(row) for row in got] == [_fields(row) for row in expected]
            seen += len(got)
    assert seen == 1


def test_a_prepared_update_writes_what_the_orms_update_writes(two_modules_and_learners, django_assert_num_queries):
    """The reader's two prepared UPDATEs against `queryset.update()` on twin rows: same values (datetimes to the
    microsecond, NULL), the later activity kept (GREATEST), the rows counted, None refused where it is not a value."""
    from datetime import timedelta

    from django.db.models import Value
    from django.db.models.functions import Greatest
    from django.utils import timezone

    from learners.models import LessonProgress
    from learners.services import _ENROLLMENT_VIEWED, _PROGRESS_ROW_UPDATE

    modules, learners = two_modules_and_learners
    row = LessonProgress.objects.get(user=learners[1])
    twin = LessonProgress.objects.create(user=learners[0], lesson_id=row.lesson_id, enrollment=Enrollment.objects.get(
        user=learners[0], module=modules[1]), first_seen_at=row.first_seen_at, last_seen_at=row.last_seen_at)
    first, last = timezone.now() - timedelta(days=2, microseconds=3), timezone.now() - timedelta(microseconds=7)
    for completed in (last, None):
        with django_assert_num_queries(1):
            assert _PROGRESS_ROW_UPDATE(pk=row.pk, first_seen_at=first, last_seen_at=last, completed_at=completed,
                                        language="zh-hans") == 1
        LessonProgress.objects.filter(pk=twin.pk).update(first_seen_at=first, last_seen_at=last, completed_at=completed,
                                                         language="zh-hans")
        got, expected = LessonProgress.objects.get(pk=row.pk), LessonProgress.objects.get(pk=twin.pk)
        assert (got.first_seen_at, got.last_seen_at, got.completed_at, got.language) == \
            (expected.first_seen_at, expected.last_seen_at, expected.completed_at, expected.language) == \
            (first, last, completed, "zh-hans")
    assert _PROGRESS_ROW_UPDATE(pk=twin.pk + 1000, first_seen_at=first, last_seen_at=last, completed_at=None, language="") == 0
    with pytest.raises(TypeError):
        _PROGRESS_ROW_UPDATE(pk=row.pk, first_seen_at=None, last_seen_at=last, completed_at=None, language="")

    ours, theirs = Enrollment.objects.get(user=learners[1]), Enrollment.objects.get(user=learners[0], module=modules[1])
    Enrollment.objects.filter(pk__in=[ours.pk, theirs.pk]).update(last_activity_at=last)
    lesson_ids = list(modules[1].lessons.values_list("pk", flat=True))
    for lesson_id, now in [(lesson_ids[1], last - timedelta(hours=1)), (lesson_ids[2], last + timedelta(microseconds=11))]:
        assert _ENROLLMENT_VIEWED(pk=ours.pk, lesson_id=lesson_id, now=now) == 1
        Enrollment.objects.filter(pk=theirs.pk).update(last_lesson_id=lesson_id,
                                                       last_activity_at=Greatest("last_activity_at", Value(now)))
        got, expected = Enrollment.objects.get(pk=ours.pk), Enrollment.objects.get(pk=theirs.pk)
        assert (got.last_lesson_id, got.last_activity_at) == (expected.last_lesson_id, expected.last_activity_at)
    assert got.last_activity_at == last + timedelta(microseconds=11) and got.last_lesson_id == lesson_ids[2]


def test_an_update_of_a_value_the_orm_changes_is_refused_when_prepared(two_modules_and_learners):
    from core.db.prepared import PreparedUpdate

    changed = PreparedUpdate(lambda pk, language: (Enrollment.objects.filter(pk=pk), {"content_language": language[:2]}),
                             pk=int, language=str)  # the value the SQL gets is not the one passed
    with pytest.raises(ValueError, match="language"):
        changed(pk=1, language="fr")
    with pytest.raises(TypeError):
        PreparedUpdate(lambda pk: (Enrollment.objects.filter(pk=pk), {}), pk=float)
