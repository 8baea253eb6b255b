"""The capacity self-diagnostic: the questionnaire in a language, scores with the change since last
time, and the modules recommended for the two weakest areas."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.http import Http404

from accounts.models import User
from courses.models import Diagnostic, DiagnosticArea, Module

from ..models import DiagnosticResponse, Enrollment
from .common import module_texts


def _text(texts: dict, language: str) -> str:
    """A text from a per-language dict, falling back to the site language then any language."""
    texts = texts or {}
    for code in (language, settings.LANGUAGE_CODE, *settings.CONTENT_LANGUAGES):
        if texts.get(code):
            return texts[code]
    return next(iter(texts.values()), "")


def diagnostic_current() -> Diagnostic | None:
    return Diagnostic.objects.order_by("pk").first()


@dataclass
class StatementView:
    key: str
    text: str


@dataclass
class AreaView:
    key: str
    title: str
    statements: list[StatementView]


@dataclass
class Questionnaire:
    diagnostic: Diagnostic
    scale: list[tuple[int, str]]
    areas: list[AreaView]


def diagnostic_questionnaire(*, language: str) -> Questionnaire | None:
    """Two queries."""
    diagnostic = diagnostic_current()
    if diagnostic is None:
        return None
    scale = diagnostic.scale.get(language) or diagnostic.scale.get(settings.LANGUAGE_CODE) or \
        next(iter(diagnostic.scale.values()), ["1", "2", "3", "4"])
    areas = [AreaView(area.key, _text(area.titles, language),
                      [StatementView(s.key, _text(s.texts, language)) for s in area.statements.all()])
             for area in diagnostic.areas.prefetch_related("statements")]
    return Questionnaire(diagnostic=diagnostic, scale=list(enumerate(scale, start=1)), areas=areas)


@dataclass
class AreaScore:
    key: str
    title: str
    score: int
    previous: int | None = None
    module_slug: str = ""
    module_title: str = ""

    @property
    def change(self) -> int | None:
        return None if self.previous is None else self.score - self.previous


@dataclass
class DiagnosticResult:
    id: int
    created_at: datetime
    context: str
    average: int
    previous_average: int | None
    areas: list[AreaScore]
    weakest: list[AreaScore] = field(default_factory=list)
    # Slugs of the modules the learner has completed: never recommended again.
    completed_modules: set[str] = field(default_factory=set)

    @property
    def change(self) -> int | None:
        return None if self.previous_average is None else self.average - self.previous_average

    @property
    def recommended(self) -> list[AreaScore]:
        """The two weakest areas whose module the learner has not completed, one entry per module: when
        the module of a weak area is done, the next weakest area's module takes its place."""
        seen, result = set(self.completed_modules), []
        for area in sorted(self.areas, key=lambda a: a.score):  # stable: ties go to the area listed first
            if area.module_slug and area.module_slug not in seen and len(result) < 2:
                seen.add(area.module_slug)
                result.append(area)
        return result


def _areas(diagnostic_ids) -> list[DiagnosticArea]:
    return list(DiagnosticArea.objects.filter(diagnostic_id__in=diagnostic_ids).select_related("module").order_by("position", "pk"))


def _results(pairs: list[tuple[DiagnosticResponse, DiagnosticResponse | None]], language: str) -> list[DiagnosticResult]:
    """Build results for (response, the one before it) pairs. Three queries."""
    if not pairs:
        return []
    areas = _areas({response.diagnostic_id for response, _previous in pairs})
    completed = set(Enrollment.objects.filter(user_id=pairs[0][0].user_id, completed_at__isnull=False)
                    .values_list("module__slug", flat=True))
    published = [a.module for a in areas if a.module and a.module.is_published]
    titles = module_texts(published, language) if published else {}
    results = []
    for response, previous in pairs:
        scores = []
        for area in areas:
            if area.diagnostic_id != response.diagnostic_id or area.key not in response.scores:
                continue
            module = area.module if area.module and area.module.is_published else None
            scores.append(AreaScore(
                key=area.key, title=_text(area.titles, language), score=response.scores[area.key],
                previous=previous.scores.get(area.key) if previous else None,
                module_slug=module.slug if module else "", module_title=titles[module.pk].title if module else "",
            ))
        # Ties go to the area listed first.
        weakest = sorted(scores, key=lambda a: a.score)[:2]
        results.append(DiagnosticResult(id=response.pk, created_at=response.created_at, context=response.context,
                                        average=response.average, previous_average=previous.average if previous else None,
                                        areas=scores, weakest=weakest, completed_modules=completed))
    return results


def diagnostic_history(*, user: User, language: str, limit: int = 20) -> list[DiagnosticResult]:
    """The learner's self-diagnostics, newest first, each compared with the one before. Three queries."""
    responses = list(DiagnosticResponse.objects.filter(user=user).order_by("-created_at", "-pk")[: limit + 1])
    pairs = [(response, responses[i + 1] if i + 1 < len(responses) else None) for i, response in enumerate(responses[:limit])]
    return _results(pairs, language)


def diagnostic_result_get(*, user: User, pk: int, language: str) -> DiagnosticResult:
    """One of the learner's own self-diagnostics (anyone else's is a 404), compared with the one before."""
    response = diagnostic_response_get(user=user, pk=pk)
    previous = (DiagnosticResponse.objects.filter(user=user)
                .filter(Q(created_at__lt=response.created_at) | Q(created_at=response.created_at, pk__lt=response.pk))
                .order_by("-created_at", "-pk").first())
    return _results([(response, previous)], language)[0]


def diagnostic_latest(*, user: User, language: str) -> DiagnosticResult | None:
    history = diagnostic_history(user=user, language=language, limit=1)
    return history[0] if history else None


def diagnostic_response_get(*, user: User, pk: int) -> DiagnosticResponse:
    response = DiagnosticResponse.objects.filter(user=user, pk=pk).first()
    if response is None:
        raise Http404
    return response


def weakest_area_module_ids(*, user: User) -> list[int]:
    """Published modules of the two weakest areas of the learner's latest self-diagnostic. Two queries."""
    latest = DiagnosticResponse.objects.filter(user=user).order_by("-created_at", "-pk").values_list("diagnostic_id", "scores").first()
    if latest is None:
        return []
    diagnostic_id, scores = latest
    areas = list(DiagnosticArea.objects.filter(diagnostic_id=diagnostic_id).order_by("position", "pk")
                 .values_list("key", "module_id", "module__status"))
    # Ties go to the area listed first, as on the diagnostic page.
    weakest = sorted((a for a in areas if a[0] in scores), key=lambda a: scores[a[0]])[:2]
    return [module_id for _key, module_id, status in weakest if module_id and status == Module.Status.PUBLISHED]
