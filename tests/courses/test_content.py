"""content/ files: checked with file and line, imported all or nothing and idempotently, exported byte for byte."""
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from courses import services
from courses.content_files import content_files, content_import, content_read
from courses.models import ContentChange, Diagnostic, Lesson, LessonImage, LessonTranslation, Module
from learners.models import Enrollment, LessonProgress

pytestmark = pytest.mark.django_db

REAL_CONTENT = Path(settings.BASE_DIR) / "content"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def content(sample_dir, tmp_path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(sample_dir, target)
    return target


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def tree(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


# --- Import ----------------------------------------------------------------------------------

def test_import_of_two_modules_then_a_second_run_changes_nothing(content):
    out, err = run("import_content", str(content))
    assert err == ""
    assert "Checked 2 module(s), 3 lesson(s): no problem." in out
    assert Module.objects.count() == 2
    budget = Module.objects.get(slug="sample-budget")
    assert budget.translations.count() == 2
    assert list(budget.lessons.order_by("position").values_list("slug", flat=True)) == ["why-a-budget", "cash-plan"]
    assert LessonTranslation.objects.filter(lesson__module=budget).count() == 5
    assert budget.quiz.questions.count() == 2
    assert list(Module.objects.get(slug="sample-team").prerequisites.values_list("slug", flat=True)) == ["sample-budget"]
    html = LessonTranslation.objects.get(lesson__slug="why-a-budget", language="fr").body_html
    image = LessonImage.objects.get(module=budget, name="cash-book.png")
    assert f'src="{image.image.url}"' in html
    assert 'href="/learn/sample-budget/cash-plan/"' in html
    assert Diagnostic.objects.get().areas.count() == 2
    changes = ContentChange.objects.count()

    out, err = run("import_content", str(content))
    assert "0 created, 0 updated, 0 archived" in out
    assert ContentChange.objects.count() == changes


def test_import_shows_progress(content):
    out, _err = run("import_content", str(content))
    assert "[1/2] sample-budget" in out and "[2/2] sample-team" in out


def test_dry_run_writes_nothing(content):
    out, _err = run("import_content", str(content), "--dry-run")
    assert "Dry run, nothing written:" in out
    assert Module.objects.count() == 0
    assert not any((Path(settings.MEDIA_ROOT)).rglob("*.png"))


def test_publish_publishes_complete_modules_once(content):
    out, _err = run("import_content", str(content), "--publish")
    assert "Published sample-budget." in out
    budget = Module.objects.get(slug="sample-budget")
    assert budget.status == Module.Status.PUBLISHED
    # A trainer takes it offline; `make run` imports again with --publish: it stays offline.
    services.module_unpublish(module=budget)
    run("import_content", str(content), "--publish")
    assert Module.objects.get(slug="sample-budget").status == Module.Status.DRAFT


def test_import_keeps_freshness(content):
    run("import_content", str(content))
    page = content / "sample-budget" / "01-why-a-budget.fr.md"
    page.write_text(page.read_text().replace("avant de dépenser", "avant toute dépense"))
    out, _err = run("import_content", str(content))
    assert "0 created, 1 updated" in out
    zh = LessonTranslation.objects.get(lesson__slug="why-a-budget", language="zh-hans")
    fr = LessonTranslation.objects.get(lesson__slug="why-a-budget", language="fr")
    assert (fr.version, zh.source_version) == (2, 1)  # the Chinese now needs an update
    # Both files changed together: the translation follows its source.
    page.write_text(page.read_text().replace("avant toute dépense", "avant de payer"))
    zh_page = content / "sample-budget" / "01-why-a-budget.zh-hans.md"
    zh_page.write_text(zh_page.read_text().replace("做决定", "作决定"))
    run("import_content", str(content))
    zh.refresh_from_db()
    assert zh.source_version == 3


def test_a_lesson_gone_from_the_files_is_archived_and_progress_kept(content, learner):
    run("import_content", str(content), "--publish")
    lesson = Lesson.objects.get(slug="cash-plan")
    enrollment = Enrollment.objects.create(user=learner, module=lesson.module)
    now = timezone.now()
    LessonProgress.objects.create(user=learner, lesson=lesson, enrollment=enrollment, first_seen_at=now, last_seen_at=now,
                                  completed_at=now)
    for path in (content / "sample-budget").glob("02-cash-plan.*.md"):
        path.unlink()
    # The link to the lesson must go too, or the import refuses it.
    for path in (content / "sample-budget").glob("01-*.md"):
        path.write_text(path.read_text().replace("(lesson:sample-budget/cash-plan)", "(https://example.org)"))
    out, _err = run("import_content", str(content))
    assert "1 archived" in out
    lesson.refresh_from_db()
    assert lesson.is_archived
    assert LessonProgress.objects.filter(lesson=lesson, user=learner).count() == 1
    # Back in the files: restored.
    shutil.copy(Path(__file__).parent / "sample_content/sample-budget/02-cash-plan.fr.md", content / "sample-budget")
    for code in ("zh-hans", "en"):
        shutil.copy(Path(__file__).parent / f"sample_content/sample-budget/02-cash-plan.{code}.md", content / "sample-budget")
    run("import_content", str(content))
    lesson.refresh_from_db()
    assert not lesson.is_archived


def test_web_edits_are_not_overwritten_silently(content, author):
    run("import_content", str(content))
    lesson = Lesson.objects.get(slug="first-day")
    services.lesson_translation_save(lesson=lesson, language="fr", title="Le premier jour", summary="Un binôme.",
                                     body_md="Texte écrit sur le web.", user=author)
    page = content / "sample-team" / "01-first-day.fr.md"
    page.write_text(page.read_text().replace("une première tâche simple", "une tâche facile"))
    out, err = run("import_content", str(content))
    assert f"{page}:1: This lesson's fr text was changed on the web: this file was not imported. (warning)" in err
    assert LessonTranslation.objects.get(lesson=lesson, language="fr").body_md == "Texte écrit sur le web."
    # The other files were imported as usual; --overwrite lets the files win.
    out, err = run("import_content", str(content), "--overwrite")
    assert "une tâche facile" in LessonTranslation.objects.get(lesson=lesson, language="fr").body_md


def test_a_lesson_written_on_the_web_is_not_archived_by_the_import(content, author):
    run("import_content", str(content))
    module = Module.objects.get(slug="sample-team")
    extra = services.lesson_create(module=module, slug="web-only", user=author)
    services.lesson_translation_save(lesson=extra, language="fr", title="Web", body_md="Texte.", user=author)
    _out, err = run("import_content", str(content))
    assert "web-only" in err
    assert not Lesson.objects.get(pk=extra.pk).is_archived


def test_an_error_half_way_imports_nothing(content, monkeypatch):
    from courses.content_files import importer

    calls = {"n": 0}
    real = importer.question_save

    def failing(**kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(importer, "question_save", failing)
    with pytest.raises(RuntimeError):
        run("import_content", str(content))
    assert Module.objects.count() == 0
    assert ContentChange.objects.count() == 0


# --- Problems --------------------------------------------------------------------------------

def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1))


def test_a_broken_folder_is_refused_with_every_problem_and_nothing_imported(content):
    budget, team = content / "sample-budget", content / "sample-team"
    (budget / "module.yaml").write_text((budget / "module.yaml").read_text() + "colour: red\n")
    _edit(team / "module.yaml", "  zh-hans: 迎接一位志愿者\n", "")
    (budget / "02-cash-plan.zh-hans.md").unlink()
    _edit(team / "01-first-day.fr.md", "lesson:sample-budget/why-a-budget", "lesson:sample-budget/nope")
    _edit(budget / "01-why-a-budget.fr.md", "images/cash-book.png", "images/absent.png")
    _edit(team / "quiz.yaml", "  - correct: true", "  - correct: false")
    _edit(budget / "quiz.yaml", "  - correct: false\n    text:\n      fr: À faire plaisir",
          "  - correct: true\n    text:\n      fr: À faire plaisir")
    shutil.copy(team / "01-first-day.zh-hans.md", team / "02-first-day.zh-hans.md")
    (budget / "notes.txt").write_text("x")

    with pytest.raises(CommandError) as error:
        run("import_content", str(content))
    assert "nothing was imported" in str(error.value)
    assert Module.objects.count() == 0 and Diagnostic.objects.count() == 0

    plan = content_read(content)
    problems = {str(problem) for problem in plan.problems}
    expected = {
        f"{budget}/module.yaml:17: Unknown key “colour”: the keys allowed here are topic, level, minutes, source_language, "
        "prerequisites, title, summary, outcomes, templates.",
        f"{team}/module.yaml:7: “title” has no zh-hans text: add a “zh-hans:” line.",
        f"{budget}/02-cash-plan.fr.md:1: Lesson 02 “cash-plan” has no zh-hans file: add 02-cash-plan.zh-hans.md.",
        f"{team}/01-first-day.fr.md:5: The link “lesson:sample-budget/nope” points to a lesson that does not exist: check the "
        "module and lesson short names.",
        f"{budget}/01-why-a-budget.fr.md:9: The image “images/absent.png” is not in the module's images folder: add the file "
        "or fix the name.",
        f"{team}/quiz.yaml:3: The question “first-task” has no correct answer: mark one choice “correct: true”.",
        f"{budget}/quiz.yaml:3: The single-choice question “budget-purpose” has 2 correct choices: mark exactly one, or make "
        "it “kind: multiple”.",
        f"{team}/02-first-day.zh-hans.md:1: The lesson “first-day” has files with two numbers (01 and 02): use the same "
        "number in every language.",
        f"{budget}/notes.txt:1: Unexpected file: lesson files are named NN-<lesson-slug>.<language>.md (for example "
        "01-annual-budget.fr.md). Rename or remove it.",
    }
    assert expected <= problems, sorted(problems - expected)


def test_the_command_prints_path_line_message(content):
    _edit(content / "sample-team" / "quiz.yaml", "kind: single", "kind: singel")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_content", str(content), stdout=StringIO(), stderr=err)
    assert f"{content}/sample-team/quiz.yaml:4: “kind” is single or multiple." in err.getvalue()


@pytest.mark.parametrize(("file", "old", "new", "expected"), [
    ("sample-team/quiz.yaml", "pass_mark: 50", "pass_mark: [50", "quiz.yaml:2: This is not valid YAML"),
    ("sample-team/01-first-day.fr.md", "title: Le premier jour\n", "titel: Le premier jour\n",
     "01-first-day.fr.md:2: Unknown key “titel”"),
    ("sample-team/01-first-day.fr.md", "---\nDonnez", "Donnez", "01-first-day.fr.md:1: The front matter is not closed"),
    ("sample-team/module.yaml", "topic: volunteers", "topic: gardening", "module.yaml:1: Unknown topic “gardening”"),
    ("sample-team/module.yaml", "- sample-budget", "- sample-nothing", "module.yaml:6: There is no module “sample-nothing”"),
    ("sample-team/module.yaml", "level: 2", "level: 7", "module.yaml:2: “level” must be a whole number from 1 to 3."),
    ("sample-team/module.yaml", "  en: Welcoming a volunteer", "  de: Einen Freiwilligen begrüßen",
     "module.yaml:10: Unknown language “de”"),
    ("sample-budget/quiz.yaml", "- key: cash-plan-lines", "- key: budget-purpose",
     "quiz.yaml:23: The question key “budget-purpose” is already used on line 3"),
    ("sample-budget/quiz.yaml", "      zh-hans: 让资助方满意。\n", "", "quiz.yaml:20: “text” has no zh-hans text"),
    ("sample-team/module.yaml", "  en: Welcoming a volunteer\n", "",
     "module.yaml:7: The module has a summary or outcomes in en but no title in en: add the title."),
    ("diagnostic.yaml", "module: sample-team", "module: sample-nowhere", "diagnostic.yaml:24: There is no module “sample-nowhere”"),
    ("diagnostic.yaml", "  - Tout à fait\n", "", "diagnostic.yaml:2: The fr scale must list exactly four answers."),
    ("sample-budget/01-why-a-budget.zh-hans.md", "[现金流](lesson:sample-budget/cash-plan)", "[现金流](lesson:Sample/X)",
     "01-why-a-budget.zh-hans.md:7: “lesson:Sample/X” is not a lesson link"),
    ("sample-budget/01-why-a-budget.zh-hans.md", "![日记账](images/cash-book.png)", "![日记账](http://example.org/a.png)",
     "01-why-a-budget.zh-hans.md:9: Images come from the module's images folder"),
])
def test_each_kind_of_problem_is_found_with_its_line(content, file, old, new, expected):
    _edit(content / file, old, new)
    problems = [str(problem) for problem in content_read(content).problems]
    assert any(expected in problem for problem in problems), problems
    assert all(str(content) in problem for problem in problems)


def test_an_image_that_is_not_an_image_is_refused(content):
    (content / "sample-budget" / "images" / "fake.png").write_bytes(b"<svg onload=alert(1)>")
    problems = [str(problem) for problem in content_read(content).problems]
    assert problems == [f"{content}/sample-budget/images/fake.png:1: This file is not an image we can show: upload a PNG, "
                        "JPEG, GIF or WebP image."]


# --- Export ----------------------------------------------------------------------------------

def test_import_then_export_gives_the_same_bytes_for_the_sample(content, tmp_path):
    run("import_content", str(content))
    out, _err = run("export_content", str(tmp_path / "exported"))
    assert tree(tmp_path / "exported") == tree(content)


def test_import_then_export_gives_the_same_bytes_for_the_shipped_curriculum(tmp_path):
    out, err = run("import_content", str(REAL_CONTENT), "--publish")
    assert err == ""
    assert set(Module.objects.filter(status=Module.Status.PUBLISHED).values_list("slug", flat=True)) == {
        "basic-finance", "communication", "governance", "project-funding", "strategy", "volunteer-management"}
    assert Lesson.objects.count() == 31
    # The lessons' template links found their files (downloadable templates).
    assert 'href="/learn/basic-finance/templates/annual-budget.zh-hans.xlsx"' in LessonTranslation.objects.get(
        lesson__module__slug="basic-finance", lesson__slug="annual-budget", language="zh-hans").body_html
    out, _err = run("import_content", str(REAL_CONTENT))
    assert "0 created, 0 updated, 0 archived" in out
    run("export_content", str(tmp_path / "exported"))
    assert tree(tmp_path / "exported") == tree(REAL_CONTENT)


def test_a_hand_written_style_takes_the_canonical_form(content, tmp_path):
    _edit(content / "sample-team" / "01-first-day.fr.md", "summary: Un binôme et une tâche simple.",
          "summary: \"Un binôme et une tâche simple.\"")
    (content / "sample-team" / "quiz.yaml").write_text((content / "sample-team" / "quiz.yaml").read_text().replace("\n", "\r\n"))
    run("import_content", str(content))
    files = content_files()
    assert files["sample-team/01-first-day.fr.md"].decode().splitlines()[2] == "summary: Un binôme et une tâche simple."
    assert b"\r" not in files["sample-team/quiz.yaml"]


def test_export_removes_the_files_of_an_archived_lesson(content, author):
    run("import_content", str(content))
    services.lesson_archive(lesson=Lesson.objects.get(slug="cash-plan"), user=author)
    out, _err = run("export_content", str(content))
    assert "3 removed" in out
    assert not list((content / "sample-budget").glob("02-*"))


def test_web_authoring_and_files_meet_in_the_same_models(content, author, tmp_path):
    """A module written on the web exports to files that import back identically."""
    from .factories import module_build

    module = module_build(slug="web-module", author=author)
    run("export_content", str(tmp_path / "out"), "--module", "web-module")
    exported = tree(tmp_path / "out")
    assert "web-module/01-lesson-1.zh-hans.md" in exported
    Module.objects.filter(pk=module.pk).delete()
    plan = content_read(tmp_path / "out")
    assert plan.problems == []
    content_import(plan)
    shutil.rmtree(tmp_path / "out")
    run("export_content", str(tmp_path / "out"), "--module", "web-module")
    assert tree(tmp_path / "out") == exported


@pytest.mark.django_db(transaction=True)
def test_import_on_a_database_behind_its_migrations_says_to_migrate():
    from django.core.management import CommandError, call_command

    call_command("migrate", "courses", "0002", verbosity=0)  # the topics come with 0003
    try:
        with pytest.raises(CommandError, match="run `manage.py migrate` first"):
            call_command("import_content", str(Path(__file__).parent / "sample_content"), "--dry-run")
    finally:
        call_command("migrate", verbosity=0)


def test_when_a_quiz_reveals_its_answers_is_imported_exported_and_checked(content, tmp_path):
    """quiz.yaml's `reveal_answers` (issue 12): after_pass by default, always when the module says so."""
    from courses.models import Quiz

    run("import_content", str(content))
    assert Quiz.objects.get(module__slug="sample-team").reveal_answers == Quiz.Reveal.AFTER_PASS
    _edit(content / "sample-team" / "quiz.yaml", "pass_mark: 50", "pass_mark: 50\nreveal_answers: always")
    out, _err = run("import_content", str(content))
    assert Quiz.objects.get(module__slug="sample-team").reveal_answers == Quiz.Reveal.ALWAYS
    run("export_content", str(tmp_path / "exported"))
    assert "reveal_answers: always" in (tmp_path / "exported" / "sample-team" / "quiz.yaml").read_text()
    assert "reveal_answers" not in (tmp_path / "exported" / "sample-budget" / "quiz.yaml").read_text()
    _edit(content / "sample-team" / "quiz.yaml", "reveal_answers: always", "reveal_answers: never")
    with pytest.raises(CommandError):
        call_command("import_content", str(content), stdout=StringIO(), stderr=(err := StringIO()))
    assert "quiz.yaml:2: “reveal_answers” must be “after_pass”" in err.getvalue()
