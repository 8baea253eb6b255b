"""Fixtures of the cohort tests: a staff member of ANOTHER intermediary, a cohort with two modules."""
import pytest

from tests.factories import IntermediaryStaffFactory
from tests.learners.factories import module_with_lessons

from .factories import cohort_for


@pytest.fixture
def other_staff(db):
    """Staff of a different intermediary: must never see our cohorts."""
    return IntermediaryStaffFactory(is_manager=True).user


@pytest.fixture
def module_a(db):
    return module_with_lessons(lessons=3, questions=2, slug="money-basics")


@pytest.fixture
def module_b(db):
    return module_with_lessons(lessons=2, questions=0, slug="volunteers")


@pytest.fixture
def cohort(staff, module_a, module_b):
    return cohort_for(staff, module_list=[module_a, module_b])


@pytest.fixture(autouse=True)
def english():
    """Service messages are asserted in English (the fr and zh-hans catalogues are filled by a translator)."""
    from django.utils import translation

    with translation.override("en"):
        yield
