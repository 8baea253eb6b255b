"""Learner pages: catalogue, module page, lesson reader, quiz, completion, dashboard, certificates,
self-diagnostic and the public certificate check. Thin: reads come from selectors, writes from services."""
from __future__ import annotations

import contextlib
import uuid
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header, http_date, url_has_allowed_host_and_scheme
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from courses import selectors as course_selectors
from courses.models import Module
from courses.services.templates import CONTENT_TYPES

from . import selectors
from .charts import diagnostic_chart
from .forms import CatalogueFilterForm
from .models import Certificate, Enrollment
from .permissions import lesson_needs_account, module_results_can_view
from .services import (
    COMPLETED,
    diagnostic_submit,
    enrollment_create,
    enrollment_language_set,
    enrollment_leave,
    lesson_progress_record,
    lesson_view_record,
    quiz_attempt_submit,
)


def interface_content_language() -> str:
    return selectors.content_language(get_language())


def reading_language(request, enrollment: Enrollment | None) -> str:
    """?lang= (a one-off choice), else the enrolment's saved language, else the interface language."""
    requested = request.GET.get("lang", "")
    if requested in settings.CONTENT_LANGUAGES:
        return requested
    if enrollment is not None:
        return enrollment.content_language
    return interface_content_language()


def safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def _module_or_404(request, slug: str) -> Module:
    return selectors.module_get_readable(user=request.user, slug=slug)


def _completion_context(request, module: Module, language: str) -> dict:
    return {
        "completion_certificate": Certificate.objects.filter(user=request.user, module=module, revoked_at__isnull=True).first(),
        "next_module": selectors.module_next_recommended(user=request.user, module=module, language=language),
    }


class CatalogueView(TemplateView):
    template_name = "learners/catalogue.html"

    def get_context_data(self, **kwargs):
        language = interface_content_language()
        form = CatalogueFilterForm(self.request.GET or None, language=language)
        cards = selectors.catalogue_list(user=self.request.user, language=language, **form.filters())
        return super().get_context_data(form=form, cards=cards, filtered=bool(form.filters()), language=language, **kwargs)


class ModuleDetailView(TemplateView):
    template_name = "learners/module_detail.html"

    def get_context_data(self, **kwargs):
        module, enrollment = selectors.module_and_enrollment(user=self.request.user, slug=kwargs["module"])
        language = reading_language(self.request, enrollment)
        page = selectors.module_page(user=self.request.user, module=module, language=language, enrollment=enrollment)
        return {"page": page, "module": module, "language": language}


class EnrolView(LoginRequiredMixin, View):
    """One click: enrol (or re-enrol after leaving) and go to the first unfinished lesson."""

    def get(self, request, module):
        return redirect("learners:module-detail", module=module)

    def post(self, request, module):
        module = _module_or_404(request, module)
        language = request.POST.get("language") or None
        if language not in settings.CONTENT_LANGUAGES:
            language = None
        try:
            enrollment_create(user=request.user, module=module, language=language)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("learners:module-detail", module=module.slug)
        page = selectors.module_page(user=request.user, module=module, language=language or interface_content_language(),
                                     enrollment=selectors.enrollment_for_module(user=request.user, module=module))
        return HttpResponseRedirect(safe_next(request, page.resume_url or reverse("learners:module-detail", args=[module.slug])))


class LeaveView(LoginRequiredMixin, View):
    def post(self, request, module):
        module = _module_or_404(request, module)
        enrollment = get_object_or_404(Enrollment, user=request.user, module=module)
        enrollment_leave(enrollment=enrollment)
        messages.success(request, _("You have left this module. Your progress is kept: enrol again to pick up where you stopped."))
        return redirect("learners:module-detail", module=module.slug)


class LanguageSetView(View):
    """The reader's language switch: saved on the enrolment, then back to the same lesson."""

    def post(self, request, module):
        module = _module_or_404(request, module)
        language = request.POST.get("language", "")
        target = safe_next(request, reverse("learners:module-detail", args=[module.slug]))
        if language not in settings.CONTENT_LANGUAGES:
            messages.error(request, _("This language is not available for lessons. Choose one of the languages listed."))
            return HttpResponseRedirect(target)
        enrollment = selectors.enrollment_for_module(user=request.user, module=module)
        if enrollment is None or enrollment.status != Enrollment.Status.ACTIVE:
            # Not enrolled: nothing to save, the choice travels in the address.
            return HttpResponseRedirect(target + ("&" if "?" in target else "?") + urlencode({"lang": language}))
        enrollment_language_set(enrollment=enrollment, language=language)
        return HttpResponseRedirect(target)


class LessonView(View):
    template_name = "learners/lesson.html"

    def get(self, request, module, lesson):
        module, enrollment = selectors.module_and_enrollment(user=request.user, slug=module, with_topic=False)
        language = reading_language(request, enrollment)
        side_by_side = request.GET.get("view") == "side-by-side"
        page = selectors.lesson_page(user=request.user, module=module, lesson_slug=lesson, language=language,
                                     enrollment=enrollment, side_by_side=side_by_side, second_language=request.GET.get("with", ""))
        if lesson_needs_account(user=request.user, is_first_lesson=page.is_first):
            return redirect_to_login(request.get_full_path())
        # A phone downloading the module to read it offline is not reading it now (docs/offline.md).
        if page.is_active and module.is_published and request.headers.get("X-Essor-Offline") != "download":
            lesson_view_record(user=request.user, lesson=page.lesson, enrollment=enrollment, language=page.text.language)
        keep = {}
        if side_by_side and page.second:
            keep.update({"view": "side-by-side", "with": page.second.language})
        if "lang" in request.GET and language == request.GET["lang"] and not page.is_active:
            keep["lang"] = language
        single = {key: value for key, value in keep.items() if key == "lang"}
        return render(request, self.template_name, {
            "page": page, "module": module, "language": language, "side_by_side": bool(side_by_side and page.second),
            "side_by_side_asked": side_by_side, "query": urlencode(keep), "single_query": urlencode(single),
            "other_languages": [code for code in page.languages if code != page.text.language],
        })


def _lesson_done_message(enrollment: Enrollment, *, has_quiz: bool) -> str:
    """A lesson done is a small moment: say so warmly, and say what comes next."""
    left = max(enrollment.lessons_total - enrollment.lessons_done, 0)
    if left:
        return ngettext("Well done: lesson done. %(left)s lesson to go.",
                        "Well done: lesson done. %(left)s lessons to go.", left) % {"left": left}
    if has_quiz and not enrollment.quiz_passed:
        return _("Well done: you have read every lesson. Now the quiz: take your time, you can try as often as you like.")
    return _("Well done: you have read every lesson.")


class LessonDoneView(View):
    """"Mark as done": a plain form POST, so it works without JavaScript."""

    def post(self, request, module, lesson):
        module = selectors.module_get_readable(user=request.user, slug=module, with_related=False)
        lesson_url = reverse("learners:lesson", kwargs={"module": module.slug, "lesson": lesson})
        if not request.user.is_authenticated:
            return redirect_to_login(lesson_url)
        lesson_obj = selectors.lesson_for_progress(module=module, slug=lesson)
        try:
            enrollment = lesson_progress_record(user=request.user, lesson=lesson_obj, event=COMPLETED,
                                                language=request.POST.get("language", "")[:10])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(lesson_url)
        if enrollment.completed_now:
            return redirect("learners:module-completed", module=module.slug)
        messages.success(request, _lesson_done_message(enrollment, has_quiz=lesson_obj.module_has_quiz))
        return HttpResponseRedirect(safe_next(request, lesson_url))


class QuizView(LoginRequiredMixin, View):
    template_name = "learners/quiz.html"

    def _render(self, request, module, quiz, enrollment, *, errors=None, selected=None, status=200, client_key="",
                started_at=""):
        language = reading_language(request, enrollment)
        # One key per attempt: it names the attempt (a retried POST is stored once) and seeds its shuffle of
        # the choices, so the page shown again after an error keeps the same order.
        client_key = client_key or uuid.uuid4().hex
        view = selectors.quiz_for_learner(quiz=quiz, language=language, attempt_key=client_key)
        return render(request, self.template_name, {
            "module": module, "quiz": view, "enrollment": enrollment, "language": language, "errors": errors or {},
            "selected": selected or set(), "client_key": client_key, "started_at": started_at or timezone.now().isoformat(),
            "module_text": selectors.module_texts([module], language)[module.pk],
        }, status=status)

    def get(self, request, module):
        module = _module_or_404(request, module)
        quiz = selectors.quiz_get(module=module)
        return self._render(request, module, quiz, selectors.enrollment_for_module(user=request.user, module=module))

    def post(self, request, module):
        module = _module_or_404(request, module)
        quiz = selectors.quiz_get(module=module)
        answers = {key[2:]: request.POST.getlist(key) for key in request.POST if key.startswith("q-")}
        started_at = None
        with contextlib.suppress(TypeError, ValueError):  # a missing or tampered time is simply not stored
            started_at = min(datetime.fromisoformat(request.POST.get("started_at", "")), timezone.now())
        enrollment = selectors.enrollment_for_module(user=request.user, module=module)
        try:
            attempt = quiz_attempt_submit(user=request.user, quiz=quiz, answers=answers,
                                          language=reading_language(request, enrollment),
                                          client_key=request.POST.get("client_key", "")[:64], started_at=started_at)
        except ValidationError as error:
            errors = {}
            for field, messages_ in getattr(error, "message_dict", {"": error.messages}).items():
                key = field.removeprefix("answers.") if field.startswith("answers.") else ""
                errors.setdefault(key, []).extend(messages_)
            selected = {int(value) for values in answers.values() for value in values if str(value).isdigit()}
            key = request.POST.get("client_key", "")[:64]
            return self._render(request, module, quiz, enrollment, errors=errors, selected=selected, status=400,
                                client_key=key if key.isalnum() else "", started_at=started_at.isoformat() if started_at else "")
        return redirect("learners:quiz-result", module=module.slug, pk=attempt.pk)


class QuizResultView(LoginRequiredMixin, TemplateView):
    template_name = "learners/quiz_result.html"

    def get_context_data(self, **kwargs):
        module = _module_or_404(self.request, kwargs["module"])
        attempt = selectors.quiz_attempt_get(user=self.request.user, pk=kwargs["pk"], module=module)
        language = reading_language(self.request, attempt.enrollment)
        result = selectors.quiz_attempt_result(attempt=attempt, language=language)
        context = {"module": module, "result": result, "language": language,
                   "module_text": selectors.module_texts([module], language)[module.pk]}
        if result.attempt.passed and not result.enrollment.completed_at:
            # Passed, lessons still to do: the next step is the first of them.
            enrollment = result.enrollment
            enrollment.module = module
            context["resume_url"] = selectors.resume_urls(user=self.request.user, enrollments=[enrollment]).get(module.pk, "")
        if result.enrollment.completed_at:
            context.update(_completion_context(self.request, module, interface_content_language()))
        return context


class ModuleCompletedView(LoginRequiredMixin, TemplateView):
    template_name = "learners/module_completed.html"

    def get(self, request, *args, **kwargs):
        module = _module_or_404(request, kwargs["module"])
        enrollment = selectors.enrollment_for_module(user=request.user, module=module)
        if enrollment is None or not enrollment.completed_at:
            return redirect("learners:module-detail", module=module.slug)
        language = interface_content_language()
        context = {"module": module, "enrollment": enrollment,
                   "module_text": selectors.module_texts([module], enrollment.content_language)[module.pk],
                   **_completion_context(request, module, language)}
        return self.render_to_response(context)


class ModuleResultsView(LoginRequiredMixin, TemplateView):
    """Per-question results and drop-off for the module's authors (linked from the trainer's module page)."""

    template_name = "learners/module_results.html"

    def get_context_data(self, **kwargs):
        module = get_object_or_404(Module.objects.select_related("topic"), slug=kwargs["module"])
        if not module_results_can_view(self.request.user, module):
            raise PermissionDenied(_("Only the module's authors and administrators can see its results."))
        language = interface_content_language()
        return {"module": module, "results": selectors.module_results(module=module, language=language),
                "module_text": selectors.module_texts([module], language)[module.pk]}


class OfflinePageView(TemplateView):
    """Shown by the service worker for a learner page that was not downloaded, when there is no connection."""

    template_name = "learners/offline.html"


class DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "learners/dashboard.html"

    def get_context_data(self, **kwargs):
        language = interface_content_language()
        dashboard = selectors.dashboard_for_learner(user=self.request.user, language=language)
        return {"dashboard": dashboard, "chart": diagnostic_chart(dashboard.diagnostic) if dashboard.diagnostic else None}


class DiagnosticView(LoginRequiredMixin, View):
    template_name = "learners/diagnostic.html"

    def _render(self, request, *, errors=None, values=None, status=200):
        language = interface_content_language()
        history = selectors.diagnostic_history(user=request.user, language=language)
        latest = history[0] if history else None
        return render(request, self.template_name, {
            "questionnaire": selectors.diagnostic_questionnaire(language=language), "history": history, "latest": latest,
            "chart": diagnostic_chart(latest) if latest else None, "errors": errors or {}, "values": values or {},
            "recommended": self._recommended(request, latest, language),
        }, status=status)

    @staticmethod
    def _recommended(request, latest, language):
        if latest is None:
            return []
        slugs = [area.module_slug for area in latest.recommended]
        modules = sorted(selectors.published_modules().filter(slug__in=slugs), key=lambda m: slugs.index(m.slug))
        return selectors.module_cards(modules=modules, user=request.user, language=language)

    def get(self, request):
        return self._render(request)

    def post(self, request):
        answers = {key: value for key, value in request.POST.items() if key not in ("csrfmiddlewaretoken",)}
        try:
            diagnostic_submit(user=request.user, answers=answers)
        except ValidationError as error:
            errors = getattr(error, "message_dict", {"": error.messages})
            return self._render(request, errors=errors, values=answers, status=400)
        messages.success(request, _("Thank you: your self-diagnostic is saved. Your scores and the modules we recommend are below."))
        return HttpResponseRedirect(reverse("learners:diagnostic") + "#results")


class TemplateDownloadView(View):
    """A template file of a module the visitor may read (published: anyone; drafts: those who may
    preview them), else 404. Named after its title in its language; revalidated by its checksum."""

    def get(self, request, module, key, language, extension):
        module = _module_or_404(request, module)
        row = course_selectors.template_file_get(module=module, key=key, language=language, file_format=extension)
        if row is None:
            raise Http404
        etag = f'"{row.sha256}"'
        last_modified = row.updated_at.timestamp()
        response = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if response is None:
            response = HttpResponse(bytes(row.data), content_type=CONTENT_TYPES[row.format])
            name = "".join("_" if char in '\\/:*?"<>|' or ord(char) < 32 else char for char in row.title)
            response["Content-Disposition"] = content_disposition_header(True, f"{name}.{row.format}")
            response["Content-Length"] = str(row.size)
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        # Published: any cache may keep it an hour, then asks again (ETag). Drafts: never shared.
        response["Cache-Control"] = "public, max-age=3600" if module.is_published else "private, no-cache"
        response["X-Content-Type-Options"] = "nosniff"
        return response
