"""Trainer pages: who reaches them, one happy path each, and the lesson page's bounded reads."""
import io

import bleach
import lxml.html
import markdown
import pytest
from django.urls import reverse
from PIL import Image

from courses import services
from courses.models import ContentChange, LessonImage, LessonTranslation, Module, Question
from tests.factories import UserFactory

from .factories import module_build, question_payload

pytestmark = pytest.mark.django_db


def _page(client, url, **kwargs):
    response = client.get(url, **kwargs)
    return response, response.content.decode()


# --- Who gets in -----------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["learner", "coach", "staff"])
def test_learners_coaches_and_staff_without_trainer_role_get_403(request, client_as, module, name):
    user = request.getfixturevalue(name)
    client = client_as(user)
    for url in [reverse("courses:trainer-modules"), reverse("courses:module-detail", args=[module.slug]),
                reverse("courses:lesson-detail", args=[module.slug, "lesson-1"]), reverse("courses:quiz", args=[module.slug])]:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("courses:preview"), {"text": "x"}).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, module):
    response = client.get(reverse("courses:trainer-modules"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_other_trainers_read_but_do_not_edit(client_as, module):
    other = UserFactory(is_trainer=True)
    client = client_as(other)
    response, html = _page(client, reverse("courses:module-detail", args=[module.slug]))
    assert response.status_code == 200
    assert "Only its authors can change it" in html
    assert reverse("courses:module-workflow", args=[module.slug, "publish"]) not in html
    assert client.get(reverse("courses:lesson-edit", args=[module.slug, "lesson-1", "fr"])).status_code == 403
    assert client.post(reverse("courses:module-workflow", args=[module.slug, "publish"])).status_code == 403
    assert client.post(reverse("courses:lesson-side-by-side", args=[module.slug, "lesson-1"]), {}).status_code == 403
    # The quiz is readable, without its answers.
    response, html = _page(client, reverse("courses:quiz", args=[module.slug]))
    assert response.status_code == 200 and "Question q1 (fr)" in html and "correct</span>" not in html
    # They may join the authors.
    client.post(reverse("courses:module-authors", args=[module.slug]), {"action": "join"})
    assert module.authors.filter(pk=other.pk).exists()
    assert client.get(reverse("courses:lesson-edit", args=[module.slug, "lesson-1", "fr"])).status_code == 200


def test_admins_edit_everything(client_as, module, admin_user):
    client = client_as(admin_user)
    assert client.get(reverse("courses:lesson-edit", args=[module.slug, "lesson-1", "fr"])).status_code == 200
    response = client.post(reverse("courses:module-workflow", args=[module.slug, "publish"]))
    assert response.status_code == 302
    assert Module.objects.get(pk=module.pk).status == Module.Status.PUBLISHED


def test_an_author_adds_another_trainer_by_email(client_as, module, author):
    other = UserFactory(is_trainer=True)
    client_as(author).post(reverse("courses:module-authors", args=[module.slug]), {"action": "add", "email": other.email})
    assert module.authors.filter(pk=other.pk).exists()


def test_the_navigation_links_to_the_module_list(client_as, author):
    html = client_as(author).get("/").content.decode()
    assert f'href="{reverse("courses:trainer-modules")}"' in html


# --- Pages -----------------------------------------------------------------------------------

def test_module_list_shows_status_completeness_and_needs_update(client_as, module, author, django_assert_max_num_queries):
    zh_missing = module_build(slug="second", author=author, languages=("fr",))
    fr = LessonTranslation.objects.get(lesson__module=module, lesson__slug="lesson-1", language="fr")
    services.lesson_translation_save(lesson=fr.lesson, language="fr", title=fr.title, body_md="Changed", user=author)
    client = client_as(author)
    with django_assert_max_num_queries(20):
        response, html = _page(client, reverse("courses:trainer-modules"))
    assert response.status_code == 200
    assert "Module demo-module (en)" not in html  # no English: the list falls back, visibly per row
    assert "Draft" in html and "100 %" in html and "1 needs update" in html
    assert zh_missing.slug in html


def test_create_a_module(client_as, author):
    response = client_as(author).post(reverse("courses:module-create"), {
        "slug": "new-module", "topic": Module._meta.get_field("topic").related_model.objects.get(key="strategy").pk,
        "level": 1, "estimated_minutes": 30, "source_language": "fr", "title": "Nouveau", "summary": "Résumé"})
    assert response.status_code == 302
    module = Module.objects.get(slug="new-module")
    assert module.authors.filter(pk=author.pk).exists()
    assert module.translations.get(language="fr").title == "Nouveau"


def test_write_a_lesson_with_a_preview_without_javascript(client_as, module, author):
    client = client_as(author)
    url = reverse("courses:lesson-create", args=[module.slug])
    data = {"slug": "third", "language": "fr", "title": "Troisième", "summary": "", "body_md": "## Titre\n\n<script>x</script>"}
    response = client.post(url, {**data, "preview": "1"})
    assert response.status_code == 200
    assert '<h2 id="h-titre">Titre</h2>' in response.content.decode()
    assert not module.lessons.filter(slug="third").exists()
    response = client.post(url, data)
    assert response.status_code == 302
    assert LessonTranslation.objects.get(lesson__slug="third", language="fr").body_html == '<h2 id="h-titre">Titre</h2>\nx'


def test_the_live_preview_endpoint_renders_with_the_same_function(client_as, module, author):
    response = client_as(author).post(reverse("courses:preview"), {"text": "**a** [x](javascript:alert(1))", "module": module.slug})
    assert response.status_code == 200
    assert response.content.decode() == "<p><strong>a</strong> <a>x</a></p>"
    assert client_as(author).get(reverse("courses:preview")).status_code == 405


def test_edit_one_language(client_as, module, author):
    client = client_as(author)
    response = client.post(reverse("courses:lesson-edit", args=[module.slug, "lesson-1", "zh-hans"]),
                           {"title": "第一课", "summary": "", "body_md": "新的**文字**"})
    assert response.status_code == 302
    row = LessonTranslation.objects.get(lesson__slug="lesson-1", lesson__module=module, language="zh-hans")
    assert row.body_html == "<p>新的<strong>文字</strong></p>"
    assert ContentChange.objects.filter(lesson=row.lesson, language="zh-hans", user=author, source="web").exists()


def test_side_by_side_shows_two_languages_and_saves_both(client_as, module, author):
    client = client_as(author)
    url = reverse("courses:lesson-side-by-side", args=[module.slug, "lesson-1"])
    response, html = _page(client, url + "?left=fr&right=zh-hans")
    assert response.status_code == 200
    assert 'name="left-body_md"' in html and 'name="right-body_md"' in html
    assert "Text 1 in fr" in html and "Text 1 in zh-hans" in html
    response = client.post(url, {
        "left_language": "fr", "right_language": "zh-hans",
        "left-title": "Leçon", "left-summary": "", "left-body_md": "Premier paragraphe.\n\nSecond paragraphe.",
        "right-title": "课", "right-summary": "", "right-body_md": "第一段。\n\n第二段。"})
    assert response.status_code == 302
    rows = {row.language: row for row in LessonTranslation.objects.filter(lesson__module=module, lesson__slug="lesson-1")}
    assert rows["fr"].body_html == "<p>Premier paragraphe.</p>\n<p>Second paragraphe.</p>"
    # Translated together with the new source: not "needs update".
    assert rows["zh-hans"].source_version == rows["fr"].version == 2


def test_side_by_side_previews_pair_the_languages_section_by_section_without_javascript(client_as, module, author):
    """The "Preview" button (no JavaScript) renders one row per "## " section, the languages paired by position,
    a missing section left empty on its side."""
    client = client_as(author)
    url = reverse("courses:lesson-side-by-side", args=[module.slug, "lesson-1"])
    response = client.post(url, {
        "left_language": "fr", "right_language": "zh-hans", "preview": "1",
        "left-title": "Leçon", "left-summary": "", "left-body_md": "Intro.\n\n## Avant\n\nA.\n\n## Après\n\nB.",
        "right-title": "课", "right-summary": "", "right-body_md": "引言。\n\n## 会前\n\n甲。"})
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content.decode())
    rows = [[(cell.get("lang"), " ".join(cell.text_content().split())) for cell in row.xpath("./div[contains(@class, 'column')]")]
            for row in page.xpath("//*[@data-sbs-preview]/div[contains(@class, 'sbs-row')]")]
    assert rows == [[("fr", "Intro."), ("zh-hans", "引言。")], [("fr", "Avant A."), ("zh-hans", "会前 甲。")],
                    [("fr", "Après B."), ("zh-hans", "")]]
    assert not LessonTranslation.objects.filter(lesson__module=module, title="Leçon").exists()   # a preview saves nothing


def test_side_by_side_into_a_new_language(client_as, module, author):
    client = client_as(author)
    url = reverse("courses:lesson-side-by-side", args=[module.slug, "lesson-1"])
    fr = LessonTranslation.objects.get(lesson__module=module, lesson__slug="lesson-1", language="fr")
    response = client.post(url, {"left_language": "fr", "right_language": "en",
                                 "left-title": fr.title, "left-summary": fr.summary, "left-body_md": fr.body_md,
                                 "right-title": "Lesson one", "right-summary": "", "right-body_md": "In English."})
    assert response.status_code == 302
    assert LessonTranslation.objects.get(lesson=fr.lesson, language="en").body_html == "<p>In English.</p>"


def test_publishing_an_incomplete_module_shows_what_is_missing(client_as, author):
    module = module_build(slug="incomplete", author=author, languages=("fr",))
    client = client_as(author)
    response = client.post(reverse("courses:module-workflow", args=[module.slug, "publish"]))
    assert response.status_code == 302  # POST/redirect/GET: a refresh does not publish again
    html = client.get(response["Location"]).content.decode()
    assert "The module cannot be published yet" in html
    assert "Lesson 1 “Lesson 1 (fr)” is not written in Simplified Chinese yet" in html
    assert Module.objects.get(pk=module.pk).status == Module.Status.DRAFT


def test_workflow_buttons(client_as, module, author):
    client = client_as(author)
    for action, status in [("submit", "in_review"), ("publish", "published"), ("unpublish", "draft"), ("archive", "archived"),
                           ("restore", "draft")]:
        response = client.post(reverse("courses:module-workflow", args=[module.slug, action]))
        assert response.status_code == 302, action
        assert Module.objects.get(pk=module.pk).status == status


def test_mark_a_translation_updated(client_as, module, author):
    fr = LessonTranslation.objects.get(lesson__module=module, lesson__slug="lesson-1", language="fr")
    services.lesson_translation_save(lesson=fr.lesson, language="fr", title=fr.title, body_md="Changed", user=author)
    client = client_as(author)
    html = client.get(reverse("courses:lesson-detail", args=[module.slug, "lesson-1"]) + "?lang=zh-hans").content.decode()
    assert "needs update" in html
    client.post(reverse("courses:lesson-mark-updated", args=[module.slug, "lesson-1", "zh-hans"]))
    assert LessonTranslation.objects.get(lesson=fr.lesson, language="zh-hans").source_version == 2


def test_reorder_and_archive_lessons(client_as, module, author):
    client = client_as(author)
    client.post(reverse("courses:lesson-move", args=[module.slug, "lesson-2"]), {"direction": "up"})
    assert list(module.lessons.order_by("position").values_list("slug", flat=True)) == ["lesson-2", "lesson-1"]
    client.post(reverse("courses:lesson-archive", args=[module.slug, "lesson-2"]), {"action": "archive"})
    assert module.lessons.get(slug="lesson-2").is_archived


def test_quiz_editor(client_as, module, author):
    client = client_as(author)
    html = client.get(reverse("courses:quiz", args=[module.slug])).content.decode()
    assert "correct</span>" in html  # authors see the answers
    data = {"key": "new-question", "kind": "single", "choice_rows": "4",
            "text_fr": "Quoi ?", "explanation_fr": "Parce que.", "text_zh-hans": "什么？", "explanation_zh-hans": "因为。",
            "choice0_correct": "on", "choice0_text_fr": "Ceci", "choice0_text_zh-hans": "这个",
            "choice1_text_fr": "Cela", "choice1_text_zh-hans": "那个", "choice1_feedback_fr": "Non."}
    response = client.post(reverse("courses:question-create", args=[module.slug]), data)
    assert response.status_code == 302
    question = Question.objects.get(key="new-question")
    assert [choice.is_correct for choice in question.choices.all()] == [True, False]
    # Two correct answers on a single-choice question: the form says how to fix it.
    data["choice1_correct"] = "on"
    response = client.post(reverse("courses:question-edit", args=[module.slug, "new-question"]), data)
    assert response.status_code == 400
    assert "exactly one correct choice" in response.content.decode()
    client.post(reverse("courses:question-action", args=[module.slug, "new-question"]), {"action": "archive"})
    assert Question.objects.get(key="new-question").is_archived


def test_quiz_pass_mark(client_as, module, author):
    client_as(author).post(reverse("courses:quiz", args=[module.slug]), {"pass_mark": "80"})
    module.quiz.refresh_from_db()
    assert module.quiz.pass_mark == 80


def test_upload_an_image(client_as, module, author, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10)).save(buffer, format="PNG")
    buffer.name = "Photo de groupe.png"
    buffer.seek(0)
    response = client_as(author).post(reverse("courses:module-images", args=[module.slug]), {"image": buffer})
    assert response.status_code == 302
    assert LessonImage.objects.get(module=module).name == "photo-de-groupe.png"
    fake = io.BytesIO(b"GIF89a<script>")
    fake.name = "x.gif"
    response = client_as(author).post(reverse("courses:module-images", args=[module.slug]), {"image": fake})
    assert response.status_code == 400


def test_history_is_visible_to_trainers(client_as, module, author):
    html = client_as(UserFactory(is_trainer=True)).get(reverse("courses:module-history", args=[module.slug])).content.decode()
    assert author.display_name in html
    assert "title" in html and "lesson lesson-1" in html


def test_history_names_the_fields_in_the_readers_language(client_as, module, author):
    """The walkthrough saw "leçon agenda: text" on a French page: the labels were translated once, at import."""
    trainer = UserFactory(is_trainer=True, preferred_language="fr")
    html = client_as(trainer).get(reverse("courses:module-history", args=[module.slug]),
                                  HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "titre" in html and ": title<" not in html and ": text<" not in html


# --- The lesson page reads stored HTML only ----------------------------------------------------

def test_the_lesson_page_never_renders_markdown(client_as, module, author, monkeypatch, django_assert_max_num_queries):
    fr = LessonTranslation.objects.get(lesson__module=module, lesson__slug="lesson-1", language="fr")
    services.lesson_translation_save(lesson=fr.lesson, language="fr", title=fr.title,
                                     body_md="## Stored\n\n| a | b |\n|---|---|\n| 1 | 2 |", user=author)

    def forbidden(*args, **kwargs):
        raise AssertionError("A page rendered Markdown or called bleach.")

    monkeypatch.setattr(markdown.Markdown, "convert", forbidden)
    monkeypatch.setattr(markdown, "markdown", forbidden)
    monkeypatch.setattr(bleach.sanitizer.Cleaner, "clean", forbidden)
    monkeypatch.setattr(bleach, "clean", forbidden)
    client = client_as(UserFactory(is_trainer=True))
    client.get("/")  # session and first-request work out of the count
    url = reverse("courses:lesson-detail", args=[module.slug, "lesson-1"])
    with django_assert_max_num_queries(10):
        response = client.get(url + "?lang=fr")
    assert response.status_code == 200
    assert '<h2 id="h-stored">Stored</h2>' in response.content.decode()
    for other in [reverse("courses:module-detail", args=[module.slug]), reverse("courses:trainer-modules"),
                  reverse("courses:lesson-side-by-side", args=[module.slug, "lesson-1"]), reverse("courses:quiz", args=[module.slug])]:
        assert client.get(other).status_code == 200


def test_the_lesson_page_queries_do_not_grow_with_lessons(client_as, author, django_assert_max_num_queries):
    big = module_build(slug="big", author=author, lessons=12, questions=3)
    client = client_as(author)
    client.get("/")
    with django_assert_max_num_queries(10):
        client.get(reverse("courses:lesson-detail", args=[big.slug, "lesson-7"]))
    with django_assert_max_num_queries(25):
        client.get(reverse("courses:module-detail", args=[big.slug]))




def test_module_page_links_to_the_learners_results(client_as, module, author):
    html = client_as(author).get(reverse("courses:module-detail", args=[module.slug])).content.decode()
    assert f'href="/learn/{module.slug}/results/"' in html
    assert "Learners' results per question" in html


def test_question_payload_helper_is_valid(module, author):
    assert services.question_save(quiz=module.quiz, user=author, **question_payload("extra"))[1] == "created"


def test_module_page_names_the_source_language_in_the_interface_language(client_as, module, author):
    """It printed the code ("source language: fr") where every other line names the language."""
    client = client_as(author)
    html = client.get(reverse("courses:module-detail", args=[module.slug]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "source language: French" in html
    author.preferred_language = "zh-hans"
    author.save(update_fields=["preferred_language"])
    html = client.get(reverse("courses:module-detail", args=[module.slug])).content.decode()
    assert "原文语言： 法语" in html
