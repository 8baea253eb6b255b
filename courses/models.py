"""Topics, modules, lessons and quizzes, with one translation row per language.

Translatable texts live in `<Model>Translation` tables (one row per object and language):
a side-by-side page reads two rows of one lesson, a catalogue reads one language of many
modules, and each row carries its own freshness (`source_version`) and stored HTML.
"""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def content_language_choices():
    names = dict(settings.LANGUAGES)
    return [(code, names.get(code, code)) for code in settings.CONTENT_LANGUAGES]


class Topic(models.Model):
    """finance, volunteers, strategy, communication, governance."""

    key = models.SlugField(_("key"), unique=True)
    names = models.JSONField(_("names"), default=dict, help_text=_("The topic's name in each language, e.g. {\"fr\": \"Finances\"}."))
    colour = models.CharField(_("colour"), max_length=7, default="#0f5e57")
    icon = models.CharField(_("icon"), max_length=8, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "key"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.key

    def name_in(self, language: str) -> str:
        return self.names.get(language) or self.names.get(settings.LANGUAGE_CODE) or self.key


class Module(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    class Level(models.IntegerChoices):
        BEGINNER = 1, _("Beginner")
        INTERMEDIATE = 2, _("Intermediate")
        ADVANCED = 3, _("Advanced")

    slug = models.SlugField(_("slug"), unique=True, max_length=80)
    topic = models.ForeignKey(Topic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="modules")
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, default=Level.BEGINNER)
    estimated_minutes = models.PositiveIntegerField(_("estimated time (minutes)"), default=60)
    source_language = models.CharField(_("source language"), max_length=10, default="fr")
    prerequisites = models.ManyToManyField("self", verbose_name=_("prerequisites"), symmetrical=False, blank=True,
                                           related_name="required_by")
    authors = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("authors"), blank=True,
                                     related_name="authored_modules")
    intermediary = models.ForeignKey("accounts.Intermediary", verbose_name=_("owning organisation"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="modules")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["topic__position", "level", "slug"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def __str__(self) -> str:
        return self.slug

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class ModuleTranslation(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=10, choices=content_language_choices)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    outcomes = models.JSONField(_("what you will be able to do"), default=list, blank=True)
    # Freshness, as for lessons: `version` counts changes, `source_version` is the version of the
    # source-language row this translation matches.
    version = models.PositiveIntegerField(default=1)
    source_version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["module", "language"], name="uniq_module_translation")]
        verbose_name = _("module translation")

    def __str__(self) -> str:
        return f"{self.module.slug} [{self.language}]"

    @property
    def is_complete(self) -> bool:
        return bool(self.title.strip() and self.summary.strip())


class Lesson(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="lessons")
    slug = models.SlugField(_("slug"), max_length=80)
    position = models.PositiveIntegerField(_("position"), default=1)
    # A lesson removed from the files (or by a trainer) is archived, never deleted: progress stays.
    is_archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["module", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["module", "slug"], name="uniq_lesson_slug")]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def __str__(self) -> str:
        return f"{self.module.slug}/{self.slug}"


class LessonTranslation(models.Model):
    """One language of a lesson. `version` counts changes to this text; a translation made from
    the source language records the source's version it matches in `source_version`."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=10, choices=content_language_choices)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    body_md = models.TextField(_("text (Markdown)"), blank=True)
    body_html = models.TextField(_("text (HTML)"), blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)
    source_version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["lesson", "language"], name="uniq_lesson_translation")]
        verbose_name = _("lesson translation")

    def __str__(self) -> str:
        return f"{self.lesson} [{self.language}]"

    @property
    def is_complete(self) -> bool:
        return bool(self.title.strip() and self.body_md.strip())


class Quiz(models.Model):
    """A module's quiz and its settings (`pass_mark`, `reveal_answers` in content/<module>/quiz.yaml)."""

    class Reveal(models.TextChoices):
        AFTER_PASS = "after_pass", _("After the learner passes")
        ALWAYS = "always", _("After every attempt")

    module = models.OneToOneField(Module, on_delete=models.CASCADE, related_name="quiz")
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"), default=70,
                                                 validators=[MinValueValidator(1), MaxValueValidator(100)])
    # When a learner's results show which choices were right. A failed attempt always says which questions
    # were wrong, with their explanations; with AFTER_PASS the right choices wait until the quiz is passed,
    # so a second attempt proves something.
    reveal_answers = models.CharField(_("show the right answers"), max_length=12, choices=Reveal.choices,
                                      default=Reveal.AFTER_PASS)

    class Meta:
        verbose_name = pgettext_lazy("noun", "quiz")
        verbose_name_plural = pgettext_lazy("noun", "quizzes")

    def __str__(self) -> str:
        return f"quiz {self.module.slug}"


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(_("key"), max_length=80)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    position = models.PositiveIntegerField(default=1)
    is_archived = models.BooleanField(default=False)

    class Meta:
        ordering = ["quiz", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["quiz", "key"], name="uniq_question_key")]
        verbose_name = _("question")

    def __str__(self) -> str:
        return f"{self.quiz.module.slug}#{self.key}"


class QuestionTranslation(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=10, choices=content_language_choices)
    text_md = models.TextField(_("question"))
    text_html = models.TextField(editable=False, blank=True)
    explanation_md = models.TextField(_("explanation"), blank=True)
    explanation_html = models.TextField(editable=False, blank=True)
    # Freshness of the question in this language (its text, explanation and its choices' texts).
    version = models.PositiveIntegerField(default=1)
    source_version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "language"], name="uniq_question_translation")]

    @property
    def is_complete(self) -> bool:
        return bool(self.text_md.strip() and self.explanation_md.strip())


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveIntegerField(default=1)
    is_correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        ordering = ["question", "position", "id"]
        verbose_name = _("choice")


class ChoiceTranslation(models.Model):
    choice = models.ForeignKey(Choice, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=10, choices=content_language_choices)
    text_md = models.TextField(_("answer"))
    text_html = models.TextField(editable=False, blank=True)
    feedback_md = models.TextField(_("feedback"), blank=True)
    feedback_html = models.TextField(editable=False, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["choice", "language"], name="uniq_choice_translation")]

    @property
    def is_complete(self) -> bool:
        return bool(self.text_md.strip())


class LessonImage(models.Model):
    """An image a lesson shows: uploaded by a trainer or imported from content/<module>/images/."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="images")
    name = models.CharField(_("file name"), max_length=120)
    image = models.ImageField(_("image"), upload_to="lessons/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["module", "name"], name="uniq_lesson_image_name")]


class ContentChange(models.Model):
    """History of authoring: who changed which field of which object, in which language, when."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="changes")
    lesson = models.ForeignKey(Lesson, null=True, blank=True, on_delete=models.CASCADE, related_name="changes")
    object_type = models.CharField(max_length=30)  # module, lesson, quiz, question, choice
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    language = models.CharField(max_length=10, blank=True)
    field = models.CharField(max_length=60)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source = models.CharField(max_length=10, default="web")  # web, api, import
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class Diagnostic(models.Model):
    """The capacity self-diagnostic questionnaire (imported from content/diagnostic.yaml).

    Small and always read whole, so its texts are per-language JSON dicts."""

    key = models.SlugField(unique=True, default="capacity")
    scale = models.JSONField(default=dict)  # {"fr": ["Pas du tout", ...4], ...}
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.key


class DiagnosticArea(models.Model):
    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="areas")
    key = models.SlugField()  # finance, volunteers, strategy, communication, governance
    position = models.PositiveSmallIntegerField(default=1)
    titles = models.JSONField(default=dict)
    module = models.ForeignKey(Module, null=True, blank=True, on_delete=models.SET_NULL, related_name="diagnostic_areas")

    class Meta:
        ordering = ["diagnostic", "position"]
        constraints = [models.UniqueConstraint(fields=["diagnostic", "key"], name="uniq_diagnostic_area")]


class DiagnosticStatement(models.Model):
    area = models.ForeignKey(DiagnosticArea, on_delete=models.CASCADE, related_name="statements")
    key = models.SlugField(max_length=80)
    position = models.PositiveSmallIntegerField(default=1)
    texts = models.JSONField(default=dict)

    class Meta:
        ordering = ["area", "position"]
        constraints = [models.UniqueConstraint(fields=["area", "key"], name="uniq_diagnostic_statement")]


class TemplateFile(models.Model):
    """One language of a downloadable template of a module (a spreadsheet or a document), imported
    from content/<module>/templates/<key>.<language>.<format> and linked from lessons as `template:<key>`.

    The bytes live in the database, not under MEDIA_ROOT: /media/ is public, and a draft module's
    templates are for its authors only; the import writes them in its transaction (a dry run or a
    failed import leaves nothing behind); several web hosts need no shared volume. The files are
    small (ESSOR_TEMPLATE_MAX_BYTES). A file gone from content/ is archived, never deleted."""

    class Format(models.TextChoices):
        XLSX = "xlsx", "XLSX"
        ODS = "ods", "ODS"
        DOCX = "docx", "DOCX"
        ODT = "odt", "ODT"

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="template_files")
    key = models.SlugField(_("key"), max_length=80)
    language = models.CharField(_("language"), max_length=10, choices=content_language_choices)
    title = models.CharField(_("title"), max_length=200)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    data = models.BinaryField(_("file"))
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(max_length=64)
    position = models.PositiveIntegerField(default=1)
    is_archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["module", "position", "key", "language"]
        constraints = [models.UniqueConstraint(fields=["module", "key", "language"], name="uniq_template_file")]
        verbose_name = _("template file")
        verbose_name_plural = _("template files")

    def __str__(self) -> str:
        return f"{self.module.slug}/templates/{self.key}.{self.language}.{self.format}"

    @property
    def file_name(self) -> str:
        return f"{self.key}.{self.language}.{self.format}"
