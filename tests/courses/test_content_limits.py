"""import_content limits every input and reads every file the same way (issue 11): sizes and counts
with a message naming the limit, a UTF-8 BOM accepted in any file, an encoding error at its line."""
import pytest

from courses.content_files import content_read

pytestmark = pytest.mark.django_db

LESSON = "sample-budget/01-why-a-budget.fr.md"


@pytest.fixture
def content(sample_dir, tmp_path):
    import shutil

    shutil.copytree(sample_dir, tmp_path / "content")
    return tmp_path / "content"


@pytest.fixture
def sample_dir():
    from pathlib import Path

    return Path(__file__).parent / "sample_content"


def problems(content) -> list[str]:
    return [str(problem).replace(f"{content}/", "") for problem in content_read(content).problems]


def test_a_lesson_over_the_size_limit_is_refused_without_being_read(content, settings):
    settings.ESSOR_CONTENT_MAX_FILE_BYTES = 1000
    path = content / LESSON
    path.write_bytes(b"x" * 3000)
    assert f"{LESSON}:1: This file is 2.9\xa0KB: a content file may be at most 1000\xa0bytes. Split it into smaller files." \
        in problems(content)


def test_a_yaml_file_over_the_size_limit_is_refused(content, settings):
    settings.ESSOR_CONTENT_MAX_FILE_BYTES = 100
    assert any(p.startswith("sample-budget/module.yaml:1: This file is ") and "at most 100\xa0bytes" in p for p in problems(content))


def test_too_many_files_in_a_module_are_refused(content, settings):
    settings.ESSOR_CONTENT_MAX_FILES_PER_MODULE = 3
    assert any(p.startswith("sample-budget:1: This module folder holds ") and "at most 3" in p for p in problems(content))


def test_too_many_modules_are_refused(content, settings):
    settings.ESSOR_CONTENT_MAX_MODULES = 1
    assert problems(content) == [f"{content}:1: This content folder holds 2 module folders; one import takes at most 1. "
                                 "Import them from several folders."]


@pytest.mark.parametrize("name", [LESSON, "sample-budget/module.yaml", "sample-budget/quiz.yaml", "diagnostic.yaml"])
def test_a_utf8_bom_is_accepted_in_every_file(content, name):
    path = content / name
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert problems(content) == []


def test_invalid_utf8_is_reported_at_its_line(content):
    path = content / LESSON
    lines = path.read_bytes().split(b"\n")
    lines[5] = lines[5] + b" caf\xe9"
    path.write_bytes(b"\n".join(lines))
    assert f"{LESSON}:6: This file is not in UTF-8 (line 6): save it again as UTF-8." in problems(content)
