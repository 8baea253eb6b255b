"""The shipped curriculum is fair and consistent: quizzes that test understanding rather than
reward guessing (the rules are in docs/content-format.md), and one French inclusive convention."""
import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

CONTENT = Path(settings.BASE_DIR) / "content"

# The only middle-dot forms French content may use (docs/content-format.md, "Writing the curriculum").
ALLOWED_MIDDLE_DOT = {"adhérent·es", "habitant·es", "salarié·es", "élu·es"}


def quizzes(root: Path) -> dict[str, dict]:
    return {path.parent.name: yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted(root.glob("*/quiz.yaml"))}


def correct_is_longest(root: Path, language: str) -> tuple[int, int]:
    """(single questions whose correct choice is strictly the longest, single questions) in one language."""
    longest = singles = 0
    for quiz in quizzes(root).values():
        for question in quiz["questions"]:
            if question.get("kind", "single") != "single":
                continue
            texts = [choice["text"].get(language) for choice in question["choices"]]
            if None in texts:
                continue
            singles += 1
            right = next(i for i, choice in enumerate(question["choices"]) if choice["correct"])
            if len(texts[right]) > max(len(text) for i, text in enumerate(texts) if i != right):
                longest += 1
    return longest, singles


@pytest.mark.parametrize("language", settings.CONTENT_LANGUAGES)
def test_the_correct_choice_is_the_longest_in_at_most_a_third_of_single_questions(language):
    longest, singles = correct_is_longest(CONTENT, language)
    assert longest * 3 <= singles, (
        f"{language}: the correct choice is the longest in {longest} of {singles} single-answer questions "
        "(at most a third allowed): rewrite wrong choices to be as long and as plausible as the right one.")


def test_the_measure_catches_a_quiz_that_gives_the_answer_away(tmp_path):
    questions = [{"key": f"q{n}", "kind": "single", "text": {"fr": "?"}, "explanation": {"fr": "."},
                  "choices": [{"correct": False, "text": {"fr": "Non."}},
                              {"correct": True, "text": {"fr": "Oui, pour une raison longue et nuancée."}}]}
                 for n in range(3)]
    questions[0]["choices"][0]["text"]["fr"] = "Non, pour une raison encore plus longue et nuancée."
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "quiz.yaml").write_text(yaml.safe_dump({"questions": questions}, allow_unicode=True))
    assert correct_is_longest(tmp_path, "fr") == (2, 3)


def test_every_quiz_has_a_calculation_question():
    for slug, quiz in quizzes(CONTENT).items():
        keys = [question["key"] for question in quiz["questions"]]
        assert any(key.startswith("calc-") for key in keys), (
            f"{slug}/quiz.yaml has no calculation question (a key starting with calc-): {keys}")


def test_multiple_answer_questions_do_not_list_their_correct_choices_first():
    for slug, quiz in quizzes(CONTENT).items():
        for question in quiz["questions"]:
            if question.get("kind", "single") != "multiple":
                continue
            flags = [choice["correct"] for choice in question["choices"]]
            assert flags != sorted(flags, reverse=True), f"{slug}/{question['key']}: the correct choices come first"


def test_every_question_is_explained_in_each_language_it_is_written_in():
    for slug, quiz in quizzes(CONTENT).items():
        for question in quiz["questions"]:
            assert set(question["explanation"]) == set(question["text"]), f"{slug}/{question['key']}"


def _french_strings(value, fr=False):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _french_strings(item, fr or key == "fr")
    elif isinstance(value, list):
        for item in value:
            yield from _french_strings(item, fr)
    elif fr and isinstance(value, str):
        yield value


def french_texts(root: Path):
    """(file, French text) for every lesson in French and the French strings of every YAML file."""
    for path in sorted(root.glob("*/*.fr.md")):
        yield path, path.read_text(encoding="utf-8")
    for path in sorted([*root.glob("*/module.yaml"), *root.glob("*/quiz.yaml"), *root.glob("diagnostic.yaml")]):
        yield path, "\n".join(_french_strings(yaml.safe_load(path.read_text(encoding="utf-8"))))


def test_french_content_uses_one_light_inclusive_convention():
    found = {}
    for path, text in french_texts(CONTENT):
        for form in re.findall(r"\w+·\w+(?:·\w+)*", text):
            if form.lower() not in ALLOWED_MIDDLE_DOT:
                found.setdefault(path.relative_to(CONTENT).as_posix(), set()).add(form)
    assert not found, f"middle-dot forms outside the convention of docs/content-format.md: {found}"
