"""The demo seeder: the trainer authors the curriculum and finds one unfinished draft."""
import pytest
from django.core.management import call_command

from courses.demo import DRAFT_SLUG
from courses.models import Module
from courses.selectors import module_publish_check, module_translation_completeness

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_the_trainer_modules_and_an_unfinished_draft(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("import_content", str(settings.CONTENT_DIR), "--publish", stdout=None)
    call_command("seed_demo", "--force")
    call_command("seed_demo", "--force")  # idempotent
    from accounts.models import User

    trainer = User.objects.get(email="trainer@essor.demo")
    assert Module.objects.filter(authors=trainer, status=Module.Status.PUBLISHED).count() == 6
    draft = Module.objects.get(slug=DRAFT_SLUG)
    assert draft.status == Module.Status.DRAFT and draft.authors.filter(pk=trainer.pk).exists()
    completeness = module_translation_completeness(draft)
    assert completeness["fr"]["percent"] == 100
    assert completeness["zh-hans"]["percent"] < 100
    assert completeness["zh-hans"]["needs_update"] == 1
    assert len(module_publish_check(draft)) == 1
    assert Module.objects.filter(slug=DRAFT_SLUG).count() == 1


def test_seed_demo_imports_the_curriculum_when_it_was_not(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", "--force")
    assert Module.objects.filter(status=Module.Status.PUBLISHED).count() == 6
