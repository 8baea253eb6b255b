"""Trainer authoring pages under /courses/: thin views over the services and selectors."""
from __future__ import annotations

from itertools import zip_longest

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from . import permissions, selectors, services
from .forms import (
    AuthorAddForm,
    ImageUploadForm,
    LessonCreateForm,
    LessonTextForm,
    ModuleCreateForm,
    ModuleSettingsForm,
    ModuleTranslationForm,
    QuestionForm,
    QuizForm,
    apply_validation_error,
)
from .models import LessonImage, LessonTranslation, Module, ModuleTranslation, Question, Quiz
from .rendering import html_sections, markdown_render
from .selectors import language_name

PREVIEW_MAX_CHARS = 200_000


def _language() -> str:
    language = get_language() or settings.LANGUAGE_CODE
    return language if language in settings.CONTENT_LANGUAGES else settings.CONTENT_LANGUAGES[0]


class AuthoringMixin(LoginRequiredMixin):
    """Trainers and admins only: learners and coaches get 403."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not permissions.can_author(request.user):
            raise PermissionDenied(_("These pages are for trainers. Ask an administrator if you need to write modules."))
        return super().dispatch(request, *args, **kwargs)


class ModuleMixin(AuthoringMixin):
    """Loads `self.module` from the URL; `edit_required` views refuse non-authors (403)."""

    edit_required = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated or not permissions.can_author(request.user):
            return super().dispatch(request, *args, **kwargs)
        try:
            self.module = selectors.module_get_for_authoring(slug=kwargs["slug"])
        except Module.DoesNotExist:
            raise Http404
        self.can_edit = permissions.can_edit_module(request.user, self.module)
        if self.edit_required and not self.can_edit:
            raise PermissionDenied(_("Only the authors of this module can change it. Ask one of them to add you as an author."))
        return super().dispatch(request, *args, **kwargs)

    def module_title(self) -> str:
        row, _fallback = selectors.translation_pick(self.module.translations.all(), _language(),
                                                    source_language=self.module.source_language)
        return row.title if row else self.module.slug

    def base_context(self, **extra) -> dict:
        return {"module": self.module, "module_title": self.module_title(), "can_edit": self.can_edit,
                "topic_name": self.module.topic.name_in(_language()),
                "can_see_answers": permissions.can_see_answers(self.request.user, self.module), **extra}

    def lesson_or_404(self, slug: str):
        try:
            return selectors.lesson_get_for_authoring(module=self.module, slug=slug)
        except self.module.lessons.model.DoesNotExist:
            raise Http404

    def language_or_404(self, language: str) -> str:
        if language not in settings.CONTENT_LANGUAGES:
            raise Http404
        return language


# --- Module list and creation ----------------------------------------------------------------

class TrainerModuleListView(AuthoringMixin, View):
    def get(self, request):
        rows = selectors.module_list_for_trainer(user=request.user, language=_language())
        return render(request, "courses/trainer_module_list.html", {
            "rows": rows, "languages": [(code, language_name(code)) for code in settings.CONTENT_LANGUAGES]})


class ModuleCreateView(AuthoringMixin, View):
    def get(self, request):
        form = ModuleCreateForm(initial={"source_language": _language(), "estimated_minutes": 60})
        return render(request, "courses/module_create.html", {"form": form})

    def post(self, request):
        form = ModuleCreateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                module = services.module_create(
                    slug=data["slug"], topic=data["topic"], level=data["level"], estimated_minutes=data["estimated_minutes"],
                    source_language=data["source_language"], user=request.user)
                services.module_translation_save(module=module, language=data["source_language"], title=data["title"],
                                                 summary=data["summary"], user=request.user)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The module was created. Add its lessons and its quiz."))
                return redirect("courses:module-detail", slug=module.slug)
        return render(request, "courses/module_create.html", {"form": form}, status=400)


# --- Module page -----------------------------------------------------------------------------

WORKFLOW = {
    "submit": services.module_submit_for_review,
    "publish": services.module_publish,
    "unpublish": services.module_unpublish,
    "archive": services.module_archive,
    "restore": services.module_restore,
}


class ModuleDetailView(ModuleMixin, View):
    def context(self, **extra) -> dict:
        module = self.module
        completeness = selectors.module_translation_completeness(module)
        translations = {row.language: row for row in module.translations.all()}
        source = translations.get(module.source_language)
        module_texts = [{
            "code": code, "name": language_name(code), "translation": translations.get(code),
            "needs_update": selectors.translation_needs_update(translation=translations.get(code), source=source),
        } for code in settings.CONTENT_LANGUAGES]
        quiz = Quiz.objects.filter(module=module).first()
        return self.base_context(
            completeness=[completeness[code] for code in settings.CONTENT_LANGUAGES],
            module_texts=module_texts, source_language_name=language_name(module.source_language),
            lessons=selectors.module_lessons_for_authoring(module=module),
            quiz=quiz,
            question_count=quiz.questions.filter(is_archived=False).count() if quiz else 0,
            history=_labelled(selectors.module_history(module=module, limit=8)),
            author_form=AuthorAddForm(),
            can_join=permissions.can_join_as_author(self.request.user, module),
            **extra,
        )

    def get(self, request, slug):
        extra = {}
        if request.GET.get("publish") == "check" and self.can_edit and self.module.status in ("draft", "in_review"):
            # After a refused publish (POST/redirect/GET): what is missing, else the translations that need an update.
            extra["publish_problems"] = selectors.module_publish_check(self.module)
            if not extra["publish_problems"]:
                extra["publish_stale"] = selectors.module_stale_translations(self.module)
                extra["stale_refused"] = settings.ESSOR_REFUSE_STALE_TRANSLATIONS
        return render(request, "courses/module_detail.html", self.context(**extra))


class ModuleWorkflowView(ModuleMixin, View):
    edit_required = True

    def post(self, request, slug, action):
        service = WORKFLOW.get(action)
        if service is None:
            raise Http404
        options = {"stale_confirmed": request.POST.get("stale_confirmed") == "1"} if action == "publish" else {}
        try:
            service(module=self.module, user=request.user, **options)
        except ValidationError as error:
            if action == "publish":
                # The module page says what is missing (or asks to confirm): a redirect, so a refresh does not post again.
                return redirect(reverse("courses:module-detail", args=[self.module.slug]) + "?publish=check#publishing")
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, {
                "submit": _("The module was submitted for review."),
                "publish": _("The module is published: learners can now find it in the catalogue."),
                "unpublish": _("The module is back to draft: learners no longer see it in the catalogue."),
                "archive": _("The module is archived."),
                "restore": _("The module is restored as a draft."),
            }[action])
        return redirect("courses:module-detail", slug=self.module.slug)


class ModuleSettingsView(ModuleMixin, View):
    edit_required = True

    def get(self, request, slug):
        module = self.module
        form = ModuleSettingsForm(module=module, initial={
            "topic": module.topic, "level": module.level, "estimated_minutes": module.estimated_minutes,
            "source_language": module.source_language, "prerequisites": list(module.prerequisites.all())})
        return render(request, "courses/module_settings.html", self.base_context(form=form))

    def post(self, request, slug):
        form = ModuleSettingsForm(request.POST, module=self.module)
        if form.is_valid():
            try:
                services.module_update(module=self.module, data=dict(form.cleaned_data), user=request.user)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The module's settings were saved."))
                return redirect("courses:module-detail", slug=self.module.slug)
        return render(request, "courses/module_settings.html", self.base_context(form=form), status=400)


class ModuleTranslationView(ModuleMixin, View):
    edit_required = True

    def context(self, language, form):
        rows = {row.language: row for row in self.module.translations.all()}
        return self.base_context(
            form=form, language=language, language_label=language_name(language), translation=rows.get(language),
            source=rows.get(self.module.source_language) if language != self.module.source_language else None,
            needs_update=selectors.translation_needs_update(translation=rows.get(language),
                                                            source=rows.get(self.module.source_language)))

    def get(self, request, slug, language):
        language = self.language_or_404(language)
        row = ModuleTranslation.objects.filter(module=self.module, language=language).first()
        initial = {"title": row.title, "summary": row.summary, "outcomes": "\n".join(row.outcomes)} if row else {}
        return render(request, "courses/module_translation.html", self.context(language, ModuleTranslationForm(initial=initial)))

    def post(self, request, slug, language):
        language = self.language_or_404(language)
        form = ModuleTranslationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.module_translation_save(module=self.module, language=language, title=data["title"],
                                                 summary=data["summary"], outcomes=data["outcomes"], user=request.user,
                                                 matches_source=data["matches_source"] or None)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The module's texts were saved."))
                return redirect("courses:module-detail", slug=self.module.slug)
        return render(request, "courses/module_translation.html", self.context(language, form), status=400)


class ModuleAuthorsView(ModuleMixin, View):
    def post(self, request, slug):
        action = request.POST.get("action")
        User = get_user_model()
        try:
            if action == "join":
                if not permissions.can_join_as_author(request.user, self.module):
                    raise PermissionDenied
                services.module_author_add(module=self.module, author=request.user, user=request.user)
                messages.success(request, _("You are now an author of this module."))
            elif action == "add":
                if not self.can_edit:
                    raise PermissionDenied
                form = AuthorAddForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Enter the email address of a trainer."))
                author = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
                if author is None:
                    raise ValidationError(_("Nobody has an account with this email address: check it, or invite the trainer "
                                            "to sign up first."))
                services.module_author_add(module=self.module, author=author, user=request.user)
                messages.success(request, _("%(name)s is now an author of this module.") % {"name": author.display_name})
            elif action == "remove":
                author = User.objects.filter(pk=request.POST.get("user")).first()
                if author is None or not (self.can_edit or author.pk == request.user.pk):
                    raise PermissionDenied
                services.module_author_remove(module=self.module, author=author, user=request.user)
                messages.success(request, _("%(name)s is no longer an author of this module.") % {"name": author.display_name})
            else:
                return HttpResponseBadRequest()
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect("courses:module-detail", slug=self.module.slug)


# Lazy: read in the reader's language at each request (a plain gettext here ran once, at import, in English).
HISTORY_LABELS = {
    "created": gettext_lazy("created"), "title": gettext_lazy("title"), "summary": gettext_lazy("summary"),
    "body": gettext_lazy("text"), "outcomes": gettext_lazy("outcomes"), "status": gettext_lazy("status"),
    "position": gettext_lazy("order"), "archived": gettext_lazy("archived"), "restored": gettext_lazy("restored"),
    "marked_updated": gettext_lazy("marked as up to date"), "authors": gettext_lazy("authors"),
    "text": gettext_lazy("question and answers"), "removed": gettext_lazy("language removed"),
    "pass_mark": gettext_lazy("pass mark"), "kind": gettext_lazy("kind of question"),
    "correct": gettext_lazy("correct answers"), "choices": gettext_lazy("answers"), "key": gettext_lazy("key"),
    "topic": gettext_lazy("topic"), "level": gettext_lazy("level"),
    "estimated_minutes": gettext_lazy("estimated time"), "source_language": gettext_lazy("source language"),
    "prerequisites": gettext_lazy("prerequisites"), "intermediary": gettext_lazy("owning organisation"),
}


def _labelled(changes):
    for change in changes:
        change.field_label = change.field if change.object_type == "image" else HISTORY_LABELS.get(change.field, change.field)
    return changes


class ModuleHistoryView(ModuleMixin, View):
    def get(self, request, slug):
        return render(request, "courses/module_history.html", self.base_context(
            history=_labelled(selectors.module_history(module=self.module, limit=500))))


class ModuleImagesView(ModuleMixin, View):
    def context(self, form):
        return self.base_context(form=form, images=list(LessonImage.objects.filter(module=self.module).order_by("name")))

    def get(self, request, slug):
        return render(request, "courses/module_images.html", self.context(ImageUploadForm()))

    def post(self, request, slug):
        if not self.can_edit:
            raise PermissionDenied
        if request.POST.get("delete"):
            image = LessonImage.objects.filter(module=self.module, pk=request.POST["delete"]).first()
            if image is None:
                raise Http404
            services.lesson_image_delete(image=image, user=request.user)
            messages.success(request, _("The image was deleted."))
            return redirect("courses:module-images", slug=self.module.slug)
        form = ImageUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["image"]
            if upload.size > services.images.image_max_bytes():
                form.add_error("image", _("This image is larger than %(size)s MB: make it smaller and upload it again.")
                               % {"size": services.images.image_max_bytes() // (1024 * 1024)})
            else:
                try:
                    image, _change = services.lesson_image_save(module=self.module, name=upload.name, data=upload.read(),
                                                                user=request.user)
                except ValidationError as error:
                    apply_validation_error(form, error)
                else:
                    messages.success(request, _("The image was added. Write ![description](images/%(name)s) in a lesson to "
                                                "show it.") % {"name": image.name})
                    return redirect("courses:module-images", slug=self.module.slug)
        return render(request, "courses/module_images.html", self.context(form), status=400)


# --- Lessons ---------------------------------------------------------------------------------

class LessonCreateView(ModuleMixin, View):
    edit_required = True

    def get(self, request, slug):
        form = LessonCreateForm(initial={"language": self.module.source_language})
        return render(request, "courses/lesson_create.html", self.base_context(form=form))

    def post(self, request, slug):
        form = LessonCreateForm(request.POST)
        preview = None
        if form.is_valid():
            data = form.cleaned_data
            if "preview" in request.POST:
                preview = markdown_render(data["body_md"], module=self.module, language=data.get("language"))
            else:
                try:
                    lesson = services.lesson_create(module=self.module, slug=data["slug"], user=request.user)
                    services.lesson_translation_save(lesson=lesson, language=data["language"], title=data["title"],
                                                     summary=data["summary"], body_md=data["body_md"], user=request.user)
                except ValidationError as error:
                    apply_validation_error(form, error)
                else:
                    messages.success(request, _("The lesson was saved."))
                    return redirect("courses:lesson-detail", slug=self.module.slug, lesson=lesson.slug)
        return render(request, "courses/lesson_create.html", self.base_context(form=form, preview=preview),
                      status=200 if preview is not None else 400)


def _lesson_languages(module, lesson) -> list[dict]:
    rows = {row.language: row for row in lesson.translations.all()}
    source = rows.get(module.source_language)
    return [{
        "code": code, "name": language_name(code), "translation": rows.get(code),
        "is_source": code == module.source_language,
        "complete": bool(rows.get(code) and rows[code].is_complete),
        "needs_update": selectors.translation_needs_update(translation=rows.get(code), source=source),
    } for code in settings.CONTENT_LANGUAGES]


class LessonDetailView(ModuleMixin, View):
    """The trainer's read-only view of a lesson: stored HTML only (no Markdown rendering here)."""

    def get(self, request, slug, lesson):
        lesson = self.lesson_or_404(lesson)
        languages = _lesson_languages(self.module, lesson)
        requested = request.GET.get("lang")
        available = [item for item in languages if item["translation"]]
        current = next((item for item in languages if item["code"] == requested and item["translation"]), None)
        if current is None:
            row, _fallback = selectors.translation_pick([item["translation"] for item in available], _language(),
                                                        source_language=self.module.source_language)
            current = next((item for item in languages if row and item["code"] == row.language), None)
        other = next((item["code"] for item in languages if current and item["code"] != current["code"]
                      and item["code"] in settings.REQUIRED_CONTENT_LANGUAGES), None)
        return render(request, "courses/lesson_detail.html", self.base_context(
            lesson=lesson, languages=languages, current=current, other_language=other,
            reader_url=f"/learn/{self.module.slug}/{lesson.slug}/"))


class LessonEditView(ModuleMixin, View):
    edit_required = True

    def context(self, lesson, language, form, preview=None):
        languages = _lesson_languages(self.module, lesson)
        current = next(item for item in languages if item["code"] == language)
        source = next(item for item in languages if item["is_source"])
        return self.base_context(lesson=lesson, language=language, language_label=language_name(language), form=form,
                                 current=current, source=source, preview=preview, languages=languages)

    def get(self, request, slug, lesson, language):
        lesson = self.lesson_or_404(lesson)
        language = self.language_or_404(language)
        row = next((item for item in lesson.translations.all() if item.language == language), None)
        initial = {"title": row.title, "summary": row.summary, "body_md": row.body_md} if row else {}
        form = LessonTextForm(initial=initial, language=language)
        return render(request, "courses/lesson_edit.html",
                      self.context(lesson, language, form, preview=row.body_html if row else ""))

    def post(self, request, slug, lesson, language):
        lesson = self.lesson_or_404(lesson)
        language = self.language_or_404(language)
        form = LessonTextForm(request.POST, language=language)
        if form.is_valid():
            data = form.cleaned_data
            if "preview" in request.POST:
                return render(request, "courses/lesson_edit.html", self.context(
                    lesson, language, form, preview=markdown_render(data["body_md"], module=self.module, language=language)))
            try:
                services.lesson_translation_save(lesson=lesson, language=language, title=data["title"],
                                                 summary=data["summary"], body_md=data["body_md"], user=request.user,
                                                 matches_source=data["matches_source"] or None)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The %(language)s text of the lesson was saved.") % {"language": language_name(language)})
                return redirect(reverse("courses:lesson-detail", args=[self.module.slug, lesson.slug]) + f"?lang={language}")
        return render(request, "courses/lesson_edit.html", self.context(lesson, language, form), status=400)


class _Invalid(Exception):
    pass


class LessonSideBySideView(ModuleMixin, View):
    """Two languages of one lesson in two columns; authors edit both at once."""

    def columns(self, request, lesson) -> tuple[str, str]:
        codes = list(settings.CONTENT_LANGUAGES)
        left = request.GET.get("left") or request.POST.get("left_language") or self.module.source_language
        left = left if left in codes else self.module.source_language
        default_right = next((code for code in [*settings.REQUIRED_CONTENT_LANGUAGES, *codes] if code != left), left)
        right = request.GET.get("right") or request.POST.get("right_language") or default_right
        right = right if right in codes and right != left else default_right
        return left, right

    def forms(self, lesson, left, right, data=None):
        rows = {row.language: row for row in lesson.translations.all()}
        forms = []
        for prefix, code in (("left", left), ("right", right)):
            row = rows.get(code)
            initial = {"title": row.title, "summary": row.summary, "body_md": row.body_md} if row else {}
            forms.append(LessonTextForm(data, initial=initial, prefix=prefix, language=code, optional=True))
        return forms

    def render_page(self, request, lesson, left, right, forms, previews=None, status=200):
        languages = {item["code"]: item for item in _lesson_languages(self.module, lesson)}
        columns = []
        for form, code in zip(forms, (left, right), strict=True):
            item = languages[code]
            html = (previews or {}).get(code)
            if html is None:
                html = item["translation"].body_html if item["translation"] else ""
            columns.append({**item, "form": form, "preview": html})
        # One row per section, the two languages paired by position (what a learner reading side by side sees).
        preview_rows = [list(zip((left, right), pair, strict=True)) for pair in
                        zip_longest(html_sections(columns[0]["preview"]), html_sections(columns[1]["preview"]), fillvalue="")]
        return render(request, "courses/lesson_side_by_side.html", self.base_context(
            lesson=lesson, columns=columns, left=left, right=right, preview_rows=preview_rows,
            language_choices=[(code, language_name(code)) for code in settings.CONTENT_LANGUAGES]), status=status)

    def get(self, request, slug, lesson):
        lesson = self.lesson_or_404(lesson)
        left, right = self.columns(request, lesson)
        return self.render_page(request, lesson, left, right, self.forms(lesson, left, right))

    def post(self, request, slug, lesson):
        if not self.can_edit:
            raise PermissionDenied(_("Only the authors of this module can change it. Ask one of them to add you as an author."))
        lesson = self.lesson_or_404(lesson)
        left, right = self.columns(request, lesson)
        forms = self.forms(lesson, left, right, data=request.POST)
        if not all(form.is_valid() for form in forms):
            return self.render_page(request, lesson, left, right, forms, status=400)
        if "preview" in request.POST:
            previews = {form.language: markdown_render(form.cleaned_data["body_md"], module=self.module, language=form.language)
                        for form in forms}
            return self.render_page(request, lesson, left, right, forms, previews=previews)
        existing = {row.language for row in lesson.translations.all()}
        source = self.module.source_language
        # The source language first: a translation saved together with a changed source matches it.
        ordered = sorted(forms, key=lambda form: form.language != source)
        source_changed = False
        try:
            with transaction.atomic():
                for form in ordered:
                    data = form.cleaned_data
                    if form.is_blank() and form.language not in existing:
                        continue
                    try:
                        _row, change = services.lesson_translation_save(
                            lesson=lesson, language=form.language, title=data["title"], summary=data["summary"],
                            body_md=data["body_md"], user=request.user,
                            matches_source=(data["matches_source"] or (source_changed and form.language != source)) or None)
                    except ValidationError as error:
                        apply_validation_error(form, error)
                        raise _Invalid from error
                    if form.language == source and change:
                        source_changed = True
        except _Invalid:
            return self.render_page(request, lesson, left, right, forms, status=400)
        messages.success(request, _("Both languages of the lesson were saved."))
        return redirect(reverse("courses:lesson-side-by-side", args=[self.module.slug, lesson.slug]) + f"?left={left}&right={right}")


class LessonMarkUpdatedView(ModuleMixin, View):
    edit_required = True

    def post(self, request, slug, lesson, language):
        lesson = self.lesson_or_404(lesson)
        row = LessonTranslation.objects.filter(lesson=lesson, language=self.language_or_404(language)).first()
        if row is None:
            raise Http404
        services.translation_mark_updated(translation=row, user=request.user)
        messages.success(request, _("The %(language)s text is marked as up to date.") % {"language": language_name(language)})
        return redirect(request.POST.get("next") or reverse("courses:lesson-detail", args=[self.module.slug, lesson.slug]))


class ModuleTranslationMarkUpdatedView(ModuleMixin, View):
    edit_required = True

    def post(self, request, slug, language):
        row = ModuleTranslation.objects.filter(module=self.module, language=self.language_or_404(language)).first()
        if row is None:
            raise Http404
        services.translation_mark_updated(translation=row, user=request.user)
        messages.success(request, _("The %(language)s text is marked as up to date.") % {"language": language_name(language)})
        return redirect("courses:module-detail", slug=self.module.slug)


class LessonMoveView(ModuleMixin, View):
    edit_required = True

    def post(self, request, slug, lesson):
        lesson = self.lesson_or_404(lesson)
        services.lesson_move(lesson=lesson, offset=-1 if request.POST.get("direction") == "up" else 1, user=request.user)
        return redirect(reverse("courses:module-detail", args=[self.module.slug]) + "#lessons")


class LessonArchiveView(ModuleMixin, View):
    edit_required = True

    def post(self, request, slug, lesson):
        lesson = self.lesson_or_404(lesson)
        if request.POST.get("action") == "restore":
            services.lesson_restore(lesson=lesson, user=request.user)
            messages.success(request, _("The lesson is back in the module."))
        else:
            services.lesson_archive(lesson=lesson, user=request.user)
            messages.success(request, _("The lesson is archived: learners no longer see it; their progress is kept."))
        return redirect(reverse("courses:module-detail", args=[self.module.slug]) + "#lessons")


# --- Quiz ------------------------------------------------------------------------------------

class QuizView(ModuleMixin, View):
    def context(self, form):
        questions = selectors.quiz_for_authoring(module=self.module)
        rows = []
        for question in questions:
            translation, fallback = selectors.translation_pick(question.translations.all(), _language(),
                                                               source_language=self.module.source_language)
            rows.append({"question": question, "translation": translation, "is_fallback": fallback,
                         "languages": sorted(row.language for row in question.translations.all()),
                         "choices": [{"choice": choice, "translation": selectors.translation_pick(
                             choice.translations.all(), _language(), source_language=self.module.source_language)[0]}
                             for choice in question.choices.all()]})
        return self.base_context(form=form, questions=rows, quiz=Quiz.objects.filter(module=self.module).first())

    def get(self, request, slug):
        quiz = Quiz.objects.filter(module=self.module).first()
        return render(request, "courses/quiz.html", self.context(QuizForm(initial={"pass_mark": quiz.pass_mark if quiz else 70})))

    def post(self, request, slug):
        if not self.can_edit:
            raise PermissionDenied
        form = QuizForm(request.POST)
        if form.is_valid():
            quiz = services.quiz_get_or_create(module=self.module)
            services.quiz_update(quiz=quiz, pass_mark=form.cleaned_data["pass_mark"], user=request.user)
            messages.success(request, _("The pass mark was saved."))
            return redirect("courses:quiz", slug=self.module.slug)
        return render(request, "courses/quiz.html", self.context(form), status=400)


class QuestionEditView(ModuleMixin, View):
    edit_required = True

    def question(self, key):
        if key is None:
            return None
        question = (Question.objects.filter(quiz__module=self.module, key=key)
                    .prefetch_related("translations", "choices__translations").first())
        if question is None:
            raise Http404
        return question

    def rows(self, question):
        return max(4, (question.choices.count() + 2) if question else 4)

    def get(self, request, slug, key=None):
        question = self.question(key)
        initial = QuestionForm.initial_from(question) if question else {"kind": Question.Kind.SINGLE}
        form = QuestionForm(initial=initial, choice_rows=self.rows(question))
        return render(request, "courses/question_form.html", self.base_context(form=form, question=question))

    def post(self, request, slug, key=None):
        question = self.question(key)
        form = QuestionForm(request.POST, choice_rows=int(request.POST.get("choice_rows") or self.rows(question)))
        if form.is_valid():
            payload = form.payload()
            try:
                quiz = services.quiz_get_or_create(module=self.module)
                services.question_save(quiz=quiz, question=question, user=request.user, **payload)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The question was saved."))
                return redirect("courses:quiz", slug=self.module.slug)
        return render(request, "courses/question_form.html", self.base_context(form=form, question=question), status=400)


class QuestionActionView(ModuleMixin, View):
    edit_required = True

    def post(self, request, slug, key):
        question = Question.objects.filter(quiz__module=self.module, key=key, is_archived=False).first()
        if question is None:
            raise Http404
        action = request.POST.get("action")
        if action in ("up", "down"):
            services.question_move(question=question, offset=-1 if action == "up" else 1, user=request.user)
        elif action == "archive":
            services.question_archive(question=question, user=request.user)
            messages.success(request, _("The question was removed from the quiz; learners' past answers are kept."))
        else:
            return HttpResponseBadRequest()
        return redirect("courses:quiz", slug=self.module.slug)


# --- Live preview ----------------------------------------------------------------------------

@method_decorator(require_POST, name="dispatch")
class PreviewView(AuthoringMixin, View):
    """The editor's live preview: the same sanitizing function as a save, nothing stored."""

    def post(self, request):
        text = request.POST.get("text", "")
        if len(text) > PREVIEW_MAX_CHARS:
            return HttpResponseBadRequest(_("The text is too long to preview."))
        module = Module.objects.filter(slug=request.POST.get("module", "")).first()
        language = request.POST.get("language", "")
        response = HttpResponse(markdown_render(text, module=module, language=language if language in settings.CONTENT_LANGUAGES else None),
                                content_type="text/html; charset=utf-8")
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response

