"""The learner's dashboard, enrolments and certificates, and the public certificate check."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F
from django.http import Http404

from accounts.models import User
from courses.models import Module

from ..models import Certificate, Enrollment
from .catalogue import ModuleCard, module_cards, published_modules
from .common import ModuleText, module_texts, modules_with_quiz, resume_urls
from .diagnostic import DiagnosticResult, diagnostic_latest, weakest_area_module_ids


@dataclass
class EnrollmentRow:
    enrollment: Enrollment
    text: ModuleText
    resume_url: str
    certificate: Certificate | None
    has_quiz: bool = False

    @property
    def module(self) -> Module:
        return self.enrollment.module


@dataclass
class Dashboard:
    in_progress: list[EnrollmentRow]
    completed: list[EnrollmentRow]
    left: list[EnrollmentRow]
    diagnostic: DiagnosticResult | None
    recommended: list[ModuleCard]


def enrollment_list(*, user: User):
    """The learner's own enrolments (the API lists these)."""
    # Latest activity first; modules never started after them, in the order they were given (a cohort's order).
    return Enrollment.objects.filter(user=user).select_related("module").order_by(
        F("last_activity_at").desc(nulls_last=True), "enrolled_at", "pk")


def enrollment_get(*, user: User, pk: int) -> Enrollment:
    enrollment = enrollment_list(user=user).filter(pk=pk).first()
    if enrollment is None:
        raise Http404
    return enrollment


def enrollment_for_module(*, user: User, module: Module) -> Enrollment | None:
    if not user.is_authenticated:
        return None
    return Enrollment.objects.filter(user=user, module=module).first()


def dashboard_for_learner(*, user: User, language: str, recommendations: int = 3) -> Dashboard:
    """Everything on the learner's dashboard in a fixed number of queries (about fifteen)."""
    enrollments = list(enrollment_list(user=user).select_related("module__topic"))
    modules = [e.module for e in enrollments]
    texts = module_texts(modules, language)
    resumes = resume_urls(user=user, enrollments=enrollments)
    certificates = {c.module_id: c for c in Certificate.objects.filter(user=user, revoked_at__isnull=True)}
    with_quiz = modules_with_quiz(modules)
    rows = {"in_progress": [], "completed": [], "left": []}
    for enrollment in enrollments:
        row = EnrollmentRow(enrollment, texts[enrollment.module_id], resumes.get(enrollment.module_id, ""),
                            certificates.get(enrollment.module_id), enrollment.module_id in with_quiz)
        if enrollment.completed_at:
            rows["completed"].append(row)
        elif enrollment.status == Enrollment.Status.LEFT:
            rows["left"].append(row)
        else:
            rows["in_progress"].append(row)
    diagnostic = diagnostic_latest(user=user, language=language)
    return Dashboard(**rows, diagnostic=diagnostic,
                     recommended=modules_recommended(user=user, language=language, limit=recommendations,
                                                     exclude={e.module_id for e in enrollments}))


def modules_recommended(*, user: User, language: str, limit: int = 3, exclude: set[int] | None = None) -> list[ModuleCard]:
    """Modules for the weakest areas of the latest self-diagnostic first, then others the learner has not started."""
    exclude = exclude if exclude is not None else set(Enrollment.objects.filter(user=user).values_list("module_id", flat=True))
    weak = weakest_area_module_ids(user=user) if user.is_authenticated else []
    candidates = [m for m in published_modules() if m.pk not in exclude]
    candidates.sort(key=lambda m: (m.pk not in weak, weak.index(m.pk) if m.pk in weak else 0, m.topic.position, m.level, m.slug))
    # Every module the learner is enrolled in is excluded: the cards need no enrolment.
    return module_cards(modules=candidates[:limit], user=user, language=language, enrolled=False)


@dataclass
class CertificateRow:
    certificate: Certificate
    title: str


def certificate_list(*, user: User, language: str = "") -> list[CertificateRow]:
    certificates = list(Certificate.objects.filter(user=user).select_related("module").order_by("-issued_at", "-pk"))
    texts = module_texts([c.module for c in certificates], language) if language else {}
    return [CertificateRow(c, texts[c.module_id].title if texts else c.module.slug) for c in certificates]
