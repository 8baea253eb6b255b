"""Publishing while a translation needs an update warns and asks for a confirmation, or is refused when the
site says so (ESSOR_REFUSE_STALE_TRANSLATIONS); a refused publish redirects (POST/redirect/GET) (issue 12, items 4, 7)."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from courses import services
from courses.models import LessonTranslation, Module

from .factories import module_build

pytestmark = pytest.mark.django_db


@pytest.fixture
def stale_module(author):
    """Complete in fr and zh-hans, then the French text of lesson 1 changed: its Chinese text needs an update."""
    module = module_build(slug="stale", author=author)
    fr = LessonTranslation.objects.get(lesson__module=module, lesson__slug="lesson-1", language="fr")
    services.lesson_translation_save(lesson=fr.lesson, language="fr", title=fr.title, body_md="Nouveau texte.", user=author)
    return module


def test_the_service_asks_for_a_confirmation(stale_module, author):
    with pytest.raises(ValidationError) as refused:
        services.module_publish(module=stale_module, user=author)
    assert {error.code for error in refused.value.error_list} == {"stale_translations"}
    assert any("Lesson 1" in message and "Simplified Chinese" in message for message in refused.value.messages)
    assert Module.objects.get(pk=stale_module.pk).status == Module.Status.DRAFT
    services.module_publish(module=stale_module, user=author, stale_confirmed=True)
    assert Module.objects.get(pk=stale_module.pk).status == Module.Status.PUBLISHED


def test_a_fresh_module_needs_no_confirmation(author):
    module = module_build(slug="fresh", author=author)
    services.module_publish(module=module, user=author)
    assert Module.objects.get(pk=module.pk).status == Module.Status.PUBLISHED


def test_the_setting_refuses_even_a_confirmed_publish(stale_module, author, settings):
    settings.ESSOR_REFUSE_STALE_TRANSLATIONS = True
    with pytest.raises(ValidationError) as refused:
        services.module_publish(module=stale_module, user=author, stale_confirmed=True)
    assert "stale_translations" not in {error.code for error in refused.value.error_list}
    assert Module.objects.get(pk=stale_module.pk).status == Module.Status.DRAFT


def test_the_page_warns_then_publishes_after_confirmation(client_as, stale_module, author):
    client = client_as(author)
    client.cookies["django_language"] = "en"
    url = reverse("courses:module-workflow", args=[stale_module.slug, "publish"])
    response = client.post(url)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "needs an update" in page and 'name="stale_confirmed"' in page
    assert Module.objects.get(pk=stale_module.pk).status == Module.Status.DRAFT
    response = client.post(url, {"stale_confirmed": "1"})
    assert response.status_code == 302
    assert Module.objects.get(pk=stale_module.pk).status == Module.Status.PUBLISHED


def test_with_the_setting_the_page_offers_no_confirmation(client_as, stale_module, author, settings):
    settings.ESSOR_REFUSE_STALE_TRANSLATIONS = True
    client = client_as(author)
    url = reverse("courses:module-workflow", args=[stale_module.slug, "publish"])
    response = client.post(url, {"stale_confirmed": "1"})
    page = client.get(response["Location"]).content.decode()
    assert 'name="stale_confirmed"' not in page and "needs an update" in page
    assert Module.objects.get(pk=stale_module.pk).status == Module.Status.DRAFT


def test_a_refused_publish_redirects_to_the_page_that_says_what_is_missing(client_as, author):
    module = module_build(slug="incomplete", author=author, languages=("fr",))
    client = client_as(author)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("courses:module-workflow", args=[module.slug, "publish"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("courses:module-detail", args=[module.slug]))
    html = client.get(response["Location"]).content.decode()
    assert "The module cannot be published yet" in html
    assert "Lesson 1 “Lesson 1 (fr)” is not written in Simplified Chinese yet" in html
    assert Module.objects.get(pk=module.pk).status == Module.Status.DRAFT
