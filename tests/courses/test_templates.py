"""Downloadable templates: checked, imported idempotently (archived when gone), exported byte for byte,
linked from lessons in their language (visibly in another), downloaded only by who may read the module."""
import io
import shutil
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook

from courses import services
from courses.content_files import content_read
from courses.models import ContentChange, LessonTranslation, Module, TemplateFile
from tests.factories import UserFactory
from tools.templates.common import package_normalise

pytestmark = pytest.mark.django_db

TEMPLATE_YAML = """templates:
- key: budget-sheet
  title:
    fr: Budget d'une soirée
    zh-hans: 一个晚上的预算表
"""


def xlsx(value: int = 1) -> bytes:
    """A small spreadsheet with a formula (the bytes differ with `value`)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet["A1"], sheet["A2"], sheet["A3"] = value, 2, "=A1+A2"
    out = io.BytesIO()
    workbook.save(out)
    return package_normalise(out.getvalue())  # deterministic: the same bytes for the same value


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def content(tmp_path) -> Path:
    """The sample content, with a template in French and Chinese linked from both languages of lesson 1."""
    target = tmp_path / "content"
    shutil.copytree(Path(__file__).parent / "sample_content", target)
    budget = target / "sample-budget"
    (budget / "module.yaml").write_text((budget / "module.yaml").read_text() + TEMPLATE_YAML)
    (budget / "templates").mkdir()
    (budget / "templates" / "budget-sheet.fr.xlsx").write_bytes(xlsx(1))
    (budget / "templates" / "budget-sheet.zh-hans.xlsx").write_bytes(xlsx(10))
    for name, text in (("01-why-a-budget.fr.md", "[Télécharger le modèle](template:budget-sheet)"),
                       ("01-why-a-budget.zh-hans.md", "[下载模板](template:budget-sheet)")):
        path = budget / name
        path.write_text(path.read_text() + f"\n{text}\n")
    return target


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def problems(content: Path) -> list[str]:
    return [str(problem).replace(f"{content}/", "") for problem in content_read(content).problems]


def html(language: str) -> str:
    return LessonTranslation.objects.get(lesson__slug="why-a-budget", language=language).body_html


def tree(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


# --- Import, export -------------------------------------------------------------------------------

def test_import_stores_the_files_and_a_second_import_changes_nothing(content):
    out = run("import_content", str(content))
    rows = {row.language: row for row in TemplateFile.objects.all()}
    assert set(rows) == {"fr", "zh-hans"}
    assert bytes(rows["fr"].data) == xlsx(1) and rows["fr"].size == len(xlsx(1)) and len(rows["fr"].sha256) == 64
    assert (rows["fr"].title, rows["zh-hans"].title, rows["fr"].format) == ("Budget d'une soirée", "一个晚上的预算表", "xlsx")
    assert 'href="/learn/sample-budget/templates/budget-sheet.fr.xlsx"' in html("fr")
    assert 'href="/learn/sample-budget/templates/budget-sheet.zh-hans.xlsx"' in html("zh-hans")
    changes = ContentChange.objects.count()
    out = run("import_content", str(content))
    assert "0 created, 0 updated, 0 archived" in out
    assert ContentChange.objects.count() == changes


def test_changed_bytes_update_the_file_and_the_links(content):
    run("import_content", str(content))
    path = content / "sample-budget" / "templates" / "budget-sheet.fr.xlsx"
    path.write_bytes(xlsx(123456))
    assert "0 created, 1 updated, 0 archived" in run("import_content", str(content))
    assert bytes(TemplateFile.objects.get(language="fr").data) == xlsx(123456)


def test_a_file_gone_is_archived_kept_and_the_link_falls_back_visibly(content):
    run("import_content", str(content))
    (content / "sample-budget" / "templates" / "budget-sheet.zh-hans.xlsx").unlink()
    (content / "sample-budget" / "module.yaml").write_text(
        (content / "sample-budget" / "module.yaml").read_text().replace("    zh-hans: 一个晚上的预算表\n", ""))
    assert "0 created, 0 updated, 1 archived" in run("import_content", str(content))
    row = TemplateFile.objects.get(language="zh-hans")
    assert row.is_archived and bytes(row.data) == xlsx(10)  # never deleted
    chinese = html("zh-hans")
    assert 'href="/learn/sample-budget/templates/budget-sheet.fr.xlsx"' in chinese
    assert "法语" in chinese  # the fallback is said, in the lesson's language
    # It comes back with its file.
    (content / "sample-budget" / "templates" / "budget-sheet.zh-hans.xlsx").write_bytes(xlsx(10))
    (content / "sample-budget" / "module.yaml").write_text(
        (content / "sample-budget" / "module.yaml").read_text().replace("    fr: Budget d'une soirée\n",
                                                                         "    fr: Budget d'une soirée\n    zh-hans: 一个晚上的预算表\n"))
    run("import_content", str(content))
    assert not TemplateFile.objects.get(language="zh-hans").is_archived
    assert "budget-sheet.zh-hans.xlsx" in html("zh-hans")


def test_dry_run_writes_no_template(content):
    out = run("import_content", str(content), "--dry-run")
    assert "Dry run" in out
    assert not TemplateFile.objects.exists()


def test_import_then_export_gives_the_same_bytes(content, tmp_path):
    run("import_content", str(content))
    run("export_content", str(tmp_path / "exported"))
    assert tree(tmp_path / "exported") == tree(content)


def test_export_leaves_out_archived_templates(content, tmp_path):
    run("import_content", str(content))
    services.template_file_archive(row=TemplateFile.objects.get(language="zh-hans"))
    run("export_content", str(tmp_path / "exported"))
    exported = tree(tmp_path / "exported")
    assert "sample-budget/templates/budget-sheet.fr.xlsx" in exported
    assert "sample-budget/templates/budget-sheet.zh-hans.xlsx" not in exported
    assert "zh-hans: 一个晚上的预算表" not in exported["sample-budget/module.yaml"].decode()


# --- Problems found before anything is written ------------------------------------------------------

def test_a_template_not_declared_and_a_declared_template_without_file(content):
    folder = content / "sample-budget" / "templates"
    (folder / "budget-sheet.fr.xlsx").rename(folder / "other-sheet.fr.xlsx")
    found = problems(content)
    assert ("sample-budget/templates/other-sheet.fr.xlsx:1: The template “other-sheet” is not declared in module.yaml: add it "
            "to “templates” with its title, or rename the file.") in found
    assert ("sample-budget/module.yaml:18: The template “budget-sheet” has a fr title but no fr file: add "
            "templates/budget-sheet.fr.<format>, or remove the title.") in found


@pytest.mark.parametrize(("name", "data", "expected"), [
    ("budget-sheet.fr.pdf", b"%PDF-1.4", "Rename this template: template files are named <key>.<language>.<format>"),
    ("budget-sheet.de.xlsx", xlsx(), "Unknown language “de” in the file name"),
    ("budget-sheet.fr.docx", (Path(__file__).parents[2] / "content/communication/templates/consent-form.fr.docx").read_bytes(),
     "The template “budget-sheet” has two fr files: keep only one."),
], ids=["pdf", "language", "two-files"])
def test_misnamed_template_files_are_refused(content, name, data, expected):
    (content / "sample-budget" / "templates" / name).write_bytes(data)
    assert any(expected in problem for problem in problems(content)), problems(content)


def test_a_file_that_is_not_what_its_extension_says_is_refused(content):
    (content / "sample-budget" / "templates" / "budget-sheet.fr.xlsx").write_bytes(b"<html><script>alert(1)</script>")
    assert problems(content) == ["sample-budget/templates/budget-sheet.fr.xlsx:1: This file is not a valid .xlsx file: open "
                                 "it in a spreadsheet or word processor and save it again in that format.",
                                 "sample-budget/module.yaml:18: The template “budget-sheet” has a fr title but no fr file: "
                                 "add templates/budget-sheet.fr.<format>, or remove the title."]


def test_a_spreadsheet_with_macros_is_refused(content):
    path = content / "sample-budget" / "templates" / "budget-sheet.fr.xlsx"
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            target.writestr(name, source.read(name))
        target.writestr("xl/vbaProject.bin", b"macro")
    path.write_bytes(out.getvalue())
    assert ("sample-budget/templates/budget-sheet.fr.xlsx:1: This template contains macros: save it again as a plain .xlsx "
            "file, without macros.") in problems(content)


def test_size_and_count_limits(content, settings):
    settings.ESSOR_TEMPLATE_MAX_BYTES = 1000
    assert any(problem.startswith("sample-budget/templates/budget-sheet.fr.xlsx:1: This template is ")
               and "a template may be at most 1000\xa0bytes" in problem for problem in problems(content))
    settings.ESSOR_TEMPLATE_MAX_BYTES = 2 * 1024 * 1024
    settings.ESSOR_TEMPLATE_MAX_FILES = 1
    assert ("sample-budget/templates:1: This templates folder holds 2 files: a module may have at most 1 template files. "
            "Remove the ones no lesson needs.") in problems(content)


def test_a_link_to_a_template_that_does_not_exist(content):
    path = content / "sample-team" / "01-first-day.fr.md"
    path.write_text(path.read_text() + "\n[Modèle](template:budget-sheet) [x](template:Bad_Key)\n")
    found = problems(content)
    assert any("01-first-day.fr.md" in problem and "The link “template:budget-sheet” points to a template this module does "
               "not have" in problem for problem in found), found
    assert any("“template:Bad_Key” is not a template link: write template:<template-key>." in problem for problem in found)


def test_module_yaml_templates_problems(content):
    path = content / "sample-budget" / "module.yaml"
    path.write_text(path.read_text() + "- key: budget-sheet\n  title:\n    fr: Deux fois\n  colour: red\n")
    found = problems(content)
    assert "sample-budget/module.yaml:22: The template “budget-sheet” is already declared on line 18: declare each template " \
           "once." in found
    assert any("sample-budget/module.yaml:25: Unknown key “colour”" in problem for problem in found)


# --- The download ------------------------------------------------------------------------------------

@pytest.fixture
def imported(content):
    run("import_content", str(content), "--publish")
    return Module.objects.get(slug="sample-budget")


URL_FR = "/learn/sample-budget/templates/budget-sheet.fr.xlsx"


def test_anyone_downloads_a_published_modules_template(client, imported):
    assert reverse("learners:template-download", kwargs={"module": "sample-budget", "key": "budget-sheet", "language": "fr",
                                                         "extension": "xlsx"}) == URL_FR
    response = client.get(URL_FR)
    assert response.status_code == 200
    assert response.content == xlsx(1)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''Budget%20d%27une%20soir%C3%A9e.xlsx"
    assert response["Content-Length"] == str(len(xlsx(1)))
    assert response["Cache-Control"] == "public, max-age=3600"
    row = TemplateFile.objects.get(language="fr")
    assert response["ETag"] == f'"{row.sha256}"'
    assert client.get(URL_FR, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    chinese = client.get("/learn/sample-budget/templates/budget-sheet.zh-hans.xlsx")
    assert chinese["Content-Disposition"] == ("attachment; filename*=utf-8''%E4%B8%80%E4%B8%AA%E6%99%9A%E4%B8%8A%E7%9A%84"
                                              "%E9%A2%84%E7%AE%97%E8%A1%A8.xlsx")


@pytest.mark.parametrize("url", [
    "/learn/sample-budget/templates/budget-sheet.en.xlsx",    # no such language
    "/learn/sample-budget/templates/budget-sheet.fr.docx",    # not its format
    "/learn/sample-budget/templates/nothing.fr.xlsx",         # no such template
    "/learn/sample-team/templates/budget-sheet.fr.xlsx",      # another module's
    "/learn/no-module/templates/budget-sheet.fr.xlsx",
])
def test_what_does_not_exist_is_404(client, imported, url):
    assert client.get(url).status_code == 404


def test_an_archived_template_is_404(client, imported):
    services.template_file_archive(row=TemplateFile.objects.get(language="fr"))
    assert client.get(URL_FR).status_code == 404


def test_a_drafts_templates_are_for_who_may_preview_it(client, imported, author):
    Module.objects.filter(pk=imported.pk).update(status=Module.Status.DRAFT)
    assert client.get(URL_FR).status_code == 404
    client.force_login(UserFactory(is_trainer=True))  # a trainer who is not an author
    assert client.get(URL_FR).status_code == 404
    imported.authors.add(author)
    client.force_login(author)
    response = client.get(URL_FR)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"


def test_the_module_page_lists_the_templates_in_the_reading_language(client, imported):
    page = client.get("/learn/sample-budget/?lang=zh-hans").content.decode()
    assert 'href="/learn/sample-budget/templates/budget-sheet.zh-hans.xlsx"' in page and "一个晚上的预算表" in page
    english = client.get("/learn/sample-budget/?lang=en").content.decode()
    # No English file: the French one, said so.
    assert 'href="/learn/sample-budget/templates/budget-sheet.fr.xlsx"' in english and "in French" in english


def test_the_api_module_detail_lists_the_templates(client, imported, learner):
    client.force_login(learner)
    data = client.get("/api/v1/modules/sample-budget/?lang=en").json()
    assert data["templates"] == [{"key": "budget-sheet", "title": "Budget d'une soirée", "language": "fr", "fallback": True,
                                  "format": "xlsx", "size": len(xlsx(1)), "url": URL_FR, "languages": ["fr", "zh-hans"]}]
    schema = client.get("/api/schema/").content.decode()
    assert "    Template:\n" in schema and "templates:" in schema


def test_the_module_page_reads_templates_without_their_bytes(client, imported, django_assert_max_num_queries):
    from courses.selectors import module_templates

    with django_assert_max_num_queries(1) as captured:
        items = module_templates(module=imported, language="fr")
    assert [item.key for item in items] == ["budget-sheet"]
    assert '"data"' not in captured.captured_queries[0]["sql"]


def test_inside_wechat_the_module_page_says_files_open_in_the_phones_browser(client, imported):
    wechat = "Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 Mobile Safari/537.36 MicroMessenger/8.0.47.2560"
    inside = client.get("/learn/sample-budget/?lang=en", HTTP_USER_AGENT=wechat).content.decode()
    assert "WeChat&#x27;s browser cannot download files" in inside or "WeChat's browser cannot download files" in inside
    assert "cannot download files" not in client.get("/learn/sample-budget/?lang=en").content.decode()
