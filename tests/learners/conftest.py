"""Fixtures for the learner tests: a published bilingual module with a quiz, and an enrolled learner."""
import pytest

from learners.services import enrollment_create
from tests.learners.factories import module_with_lessons


@pytest.fixture
def module(db):
    return module_with_lessons(lessons=3, questions=2, slug="basic-finance")


@pytest.fixture
def enrolled(learner, module):
    """The learner, enrolled in `module` reading zh-hans."""
    enrollment_create(user=learner, module=module, language="zh-hans")
    return learner
