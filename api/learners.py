"""The learner's own data over the API: enrolments, progress (single and batch), quiz, attempts,
certificates and the self-diagnostic. Views are thin: they call the same services and selectors as
the pages. Another learner's objects are 404, never 403."""
from __future__ import annotations

import uuid
from datetime import UTC

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from courses.models import Module
from learners import selectors
from learners.models import Certificate, Enrollment, QuizAttempt
from learners.services import (
    COMPLETED,
    EVENTS,
    diagnostic_submit,
    enrollment_create,
    enrollment_language_set,
    enrollment_leave,
    progress_record,
    quiz_attempt_submit,
)

from .fields import IdField, IdListField

BATCH_MAX = 1000
LANGUAGE_PARAMETER = OpenApiParameter(
    "language", OpenApiTypes.STR, enum=list(settings.CONTENT_LANGUAGES), required=False,
    description="Language of the texts; by default the enrolment's reading language, else your interface language. "
                "A missing translation falls back visibly (is_fallback, language).",
)


def _language(request, enrollment: Enrollment | None = None) -> str:
    requested = request.query_params.get("language", "")
    if requested in settings.CONTENT_LANGUAGES:
        return requested
    if enrollment is not None:
        return enrollment.content_language
    return selectors.content_language(request.user.preferred_language)


def _published_module(slug: str) -> Module:
    return get_object_or_404(Module.objects.select_related("topic"), slug=slug, status=Module.Status.PUBLISHED)


# --- Enrolments ------------------------------------------------------------------------------------

class EnrollmentSerializer(serializers.ModelSerializer):
    module = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    resume_url = serializers.SerializerMethodField(help_text="The page of the first unfinished lesson (or the quiz).")

    class Meta:
        model = Enrollment
        fields = ["id", "module", "status", "content_language", "lessons_done", "lessons_total", "percent", "last_lesson",
                  "last_activity_at", "quiz_passed", "quiz_best_score", "quiz_attempts", "completed_at", "enrolled_at", "left_at",
                  "resume_url"]
        read_only_fields = fields

    def get_resume_url(self, enrollment: Enrollment) -> str:
        urls = self.context.get("resume_urls")
        if urls is None:
            urls = selectors.resume_urls(user=enrollment.user, enrollments=[enrollment])
        return urls.get(enrollment.module_id, "")


class EnrollmentCreateSerializer(serializers.Serializer):
    module = serializers.SlugField(help_text="Slug of a published module.")
    language = serializers.ChoiceField(choices=settings.CONTENT_LANGUAGES, required=False,
                                       help_text="Reading language; by default your preferred language if the module has it.")


class LanguageSerializer(serializers.Serializer):
    language = serializers.ChoiceField(choices=settings.CONTENT_LANGUAGES)


@extend_schema(tags=["learners"])
class EnrollmentListCreateView(generics.ListAPIView):
    """Your enrolments (newest activity first). POST enrols you in a module, or enrols you again after
    leaving: idempotent, 201 when created, 200 when you were already enrolled."""

    serializer_class = EnrollmentSerializer

    def get_queryset(self):
        return selectors.enrollment_list(user=self.request.user)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        page = getattr(self, "_page", None)
        if page is not None:
            context["resume_urls"] = selectors.resume_urls(user=self.request.user, enrollments=page)
        return context

    def paginate_queryset(self, queryset):
        self._page = super().paginate_queryset(queryset)
        return self._page

    @extend_schema(request=EnrollmentCreateSerializer, responses={200: EnrollmentSerializer, 201: EnrollmentSerializer})
    def post(self, request):
        data = EnrollmentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        module = _published_module(data.validated_data["module"])
        existed = Enrollment.objects.filter(user=request.user, module=module, status=Enrollment.Status.ACTIVE).exists()
        enrollment = enrollment_create(user=request.user, module=module, language=data.validated_data.get("language"))
        return Response(EnrollmentSerializer(enrollment).data, status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


@extend_schema(tags=["learners"])
class EnrollmentDetailView(generics.RetrieveAPIView):
    """One of your enrolments with its stored aggregates (the same numbers a cohort dashboard shows)."""

    serializer_class = EnrollmentSerializer

    def get_object(self):
        return selectors.enrollment_get(user=self.request.user, pk=self.kwargs["pk"])


@extend_schema(tags=["learners"])
class EnrollmentLeaveView(APIView):
    @extend_schema(request=None, responses=EnrollmentSerializer, summary="Leave a module (progress is kept)")
    def post(self, request, pk):
        enrollment = enrollment_leave(enrollment=selectors.enrollment_get(user=request.user, pk=pk))
        return Response(EnrollmentSerializer(enrollment).data)


@extend_schema(tags=["learners"])
class EnrollmentLanguageView(APIView):
    @extend_schema(request=LanguageSerializer, responses=EnrollmentSerializer, summary="Change the reading language of a module")
    def post(self, request, pk):
        enrollment = selectors.enrollment_get(user=request.user, pk=pk)
        data = LanguageSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        enrollment = enrollment_language_set(enrollment=enrollment, language=data.validated_data["language"])
        return Response(EnrollmentSerializer(enrollment).data)


# --- Progress --------------------------------------------------------------------------------------

class ProgressEventSerializer(serializers.Serializer):
    lesson = IdField(help_text="Lesson id.")
    event = serializers.ChoiceField(choices=list(EVENTS), default=COMPLETED)
    at = serializers.DateTimeField(required=False, allow_null=True, default_timezone=UTC,
                                   help_text="When it happened on the device (ISO 8601; without an offset it is read as UTC; "
                                             "a time in the future is recorded as now). Default: now.")
    language = serializers.ChoiceField(choices=settings.CONTENT_LANGUAGES, required=False, allow_blank=True, default="")


class ProgressBatchSerializer(serializers.Serializer):
    events = ProgressEventSerializer(many=True, max_length=BATCH_MAX, allow_empty=False)


class ProgressResultSerializer(serializers.Serializer):
    applied = serializers.BooleanField(help_text="False when the event changed nothing (a duplicate or an older view).")
    enrollment = EnrollmentSerializer()


class ProgressBatchResultSerializer(serializers.Serializer):
    applied = serializers.ListField(child=serializers.BooleanField(),
                                    help_text="One entry per event, in the order sent: whether it changed anything.")
    enrollments = EnrollmentSerializer(many=True, help_text="The enrolments the batch touched, after it.")


@extend_schema(tags=["learners"])
class ProgressView(APIView):
    @extend_schema(request=ProgressEventSerializer, responses=ProgressResultSerializer,
                   summary="Record one progress event (idempotent; done never goes back)")
    def post(self, request):
        data = ProgressEventSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        event = dict(data.validated_data)
        result = progress_record(user=request.user, events=[event])
        enrollment = next(iter(result.enrollments.values()))
        urls = selectors.resume_urls(user=request.user, enrollments=[enrollment])
        return Response({"applied": result.applied[0],
                         "enrollment": EnrollmentSerializer(enrollment, context={"resume_urls": urls}).data})


@extend_schema(tags=["learners"])
class ProgressBatchView(APIView):
    @extend_schema(request=ProgressBatchSerializer, responses=ProgressBatchResultSerializer,
                   summary="Record a batch of events (a phone that was offline)",
                   description=f"Up to {BATCH_MAX} events with the device's timestamps. Order-independent and idempotent: "
                               "sending the same events again, or shuffled, ends in the same state. All or nothing per module.")
    def post(self, request):
        data = ProgressBatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = progress_record(user=request.user, events=[dict(e) for e in data.validated_data["events"]])
        enrollments = list(result.enrollments.values())
        urls = selectors.resume_urls(user=request.user, enrollments=enrollments)
        return Response({"applied": result.applied,
                         "enrollments": EnrollmentSerializer(enrollments, many=True, context={"resume_urls": urls}).data})


# --- Quiz ------------------------------------------------------------------------------------------

class QuizChoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text_html = serializers.CharField()


class QuizQuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    kind = serializers.ChoiceField(choices=["single", "multiple"])
    text_html = serializers.CharField()
    language = serializers.CharField()
    is_fallback = serializers.BooleanField()
    choices = QuizChoiceSerializer(many=True)


class LearnerQuizSerializer(serializers.Serializer):
    module = serializers.CharField(source="module.slug")
    pass_mark = serializers.IntegerField()
    attempt_key = serializers.CharField(help_text="The key that shuffled the choices: send it as the attempt's client_key "
                                                  "so that the attempt records the order shown.")
    questions = QuizQuestionSerializer(many=True)


class AttemptSubmitSerializer(serializers.Serializer):
    answers = serializers.DictField(child=IdListField(),
                                    help_text='{"<question id>": [<choice id>, ...]} — every question must be answered.')
    language = serializers.ChoiceField(choices=settings.CONTENT_LANGUAGES, required=False)
    client_key = serializers.CharField(required=False, allow_blank=True, max_length=64,
                                       help_text="Any unique string: a retried submission with the same key is stored once.")
    started_at = serializers.DateTimeField(required=False, allow_null=True, default_timezone=UTC)
    submitted_at = serializers.DateTimeField(
        required=False, allow_null=True, default_timezone=UTC,
        help_text="When the learner submitted the answers on the device (an attempt taken offline and sent later; "
                  "a time in the future is recorded as now). Default: now.")


class ChoiceResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text_html = serializers.CharField()
    chosen = serializers.BooleanField()
    correct = serializers.BooleanField(allow_null=True, help_text="null until the right answers are shown (see answers_revealed).")
    feedback_html = serializers.CharField(allow_blank=True)


class QuestionResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    is_correct = serializers.BooleanField(help_text="Whether you answered this question right.")
    text_html = serializers.CharField()
    explanation_html = serializers.CharField(allow_blank=True)
    choices = ChoiceResultSerializer(many=True)


class AttemptSummarySerializer(serializers.ModelSerializer):
    module = serializers.CharField(source="quiz.module.slug")

    class Meta:
        model = QuizAttempt
        fields = ["id", "module", "score", "passed", "language", "started_at", "submitted_at"]


class AttemptResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="attempt.id")
    module = serializers.CharField(source="module.slug")
    score = serializers.IntegerField(source="attempt.score")
    passed = serializers.BooleanField(source="attempt.passed")
    pass_mark = serializers.IntegerField()
    best_score = serializers.IntegerField(allow_null=True)
    submitted_at = serializers.DateTimeField(source="attempt.submitted_at")
    module_completed = serializers.SerializerMethodField()
    certificate = serializers.SerializerMethodField(help_text="The certificate's code once the module is completed.")
    answers_revealed = serializers.BooleanField(help_text="Whether the right choices are given: once the quiz is passed, or "
                                                          "after every attempt when the module's quiz says so.")
    questions = QuestionResultSerializer(many=True)

    def get_module_completed(self, result) -> bool:
        return bool(result.enrollment.completed_at)

    def get_certificate(self, result) -> str | None:
        if not result.enrollment.completed_at:
            return None
        return Certificate.objects.filter(user_id=result.attempt.user_id, module=result.module, revoked_at__isnull=True) \
            .values_list("code", flat=True).first()


@extend_schema(tags=["learners"])
class QuizView(APIView):
    @extend_schema(parameters=[LANGUAGE_PARAMETER, OpenApiParameter(
                       "attempt_key", OpenApiTypes.STR, required=False,
                       description="Letters and digits (up to 64): the choices are shuffled with it, the same way every time. "
                                   "Without it a new key is made and returned.")],
                   responses=LearnerQuizSerializer, summary="A module's quiz, without the correct answers")
    def get(self, request, module):
        module = _published_module(module)
        quiz = selectors.quiz_get(module=module)
        enrollment = selectors.enrollment_for_module(user=request.user, module=module)
        key = request.query_params.get("attempt_key", "")[:64]
        key = key if key.isascii() and key.isalnum() else uuid.uuid4().hex
        view = selectors.quiz_for_learner(quiz=quiz, language=_language(request, enrollment), attempt_key=key)
        return Response(LearnerQuizSerializer(view).data)


@extend_schema(tags=["learners"])
class QuizAttemptCreateView(APIView):
    @extend_schema(request=AttemptSubmitSerializer, responses={201: AttemptResultSerializer, 200: AttemptResultSerializer},
                   summary="Submit answers: scored on the server",
                   description="Returns the score, whether you passed, and each question (right or not) with the "
                               "explanation and the feedback of your answers; the right choices once you have passed "
                               "(answers_revealed). Unlimited attempts; the best score is kept. "
                               "200 (not 201) when a client_key already stored this attempt.")
    def post(self, request, module):
        module = _published_module(module)
        quiz = selectors.quiz_get(module=module)
        data = AttemptSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        client_key = values.get("client_key", "")
        replay = bool(client_key) and QuizAttempt.objects.filter(user=request.user, client_key=client_key, quiz=quiz).exists()
        enrollment = selectors.enrollment_for_module(user=request.user, module=module)
        language = values.get("language") or _language(request, enrollment)
        attempt = quiz_attempt_submit(user=request.user, quiz=quiz, answers=values["answers"], language=language,
                                      client_key=client_key, started_at=values.get("started_at"),
                                      submitted_at=values.get("submitted_at"))
        result = selectors.quiz_attempt_result(attempt=selectors.quiz_attempt_get(user=request.user, pk=attempt.pk), language=language)
        return Response(AttemptResultSerializer(result).data, status=status.HTTP_200_OK if replay else status.HTTP_201_CREATED)


@extend_schema(tags=["learners"], parameters=[OpenApiParameter("module", OpenApiTypes.STR, required=False,
                                                               description="Only the attempts of this module (slug).")])
class QuizAttemptListView(generics.ListAPIView):
    """Your quiz attempts, newest first."""

    serializer_class = AttemptSummarySerializer

    def get_queryset(self):
        module = None
        if self.request.query_params.get("module"):
            module = Module.objects.filter(slug=self.request.query_params["module"]).first()
            if module is None:
                return QuizAttempt.objects.none()
        return selectors.quiz_attempt_list(user=self.request.user, module=module)


@extend_schema(tags=["learners"])
class QuizAttemptDetailView(APIView):
    @extend_schema(parameters=[LANGUAGE_PARAMETER], responses=AttemptResultSerializer, summary="One of your attempts, with the results")
    def get(self, request, pk):
        attempt = selectors.quiz_attempt_get(user=request.user, pk=pk)
        language = _language(request, attempt.enrollment)
        return Response(AttemptResultSerializer(selectors.quiz_attempt_result(attempt=attempt, language=language)).data)


# --- Offline package -------------------------------------------------------------------------------

class OfflineEntrySerializer(serializers.Serializer):
    url = serializers.CharField(help_text="A same-site address to download (a page, an image, a CSS or JS file).")
    kind = serializers.ChoiceField(choices=["module", "lesson", "lesson-side-by-side", "quiz", "image", "static", "page"])
    bytes = serializers.IntegerField(help_text="Its size in bytes (pages: an estimate; files: exact).")
    lesson = serializers.IntegerField(allow_null=True, help_text="The lesson id of a lesson page.")
    version = serializers.CharField(allow_blank=True, help_text="Changes when the page's content changes.")


class OfflinePackageSerializer(serializers.Serializer):
    module = serializers.CharField()
    language = serializers.CharField(help_text="The enrolment's reading language.")
    second_language = serializers.CharField(allow_blank=True, help_text="The side-by-side language asked with ?with=, if any.")
    version = serializers.CharField(help_text="Changes when any entry changes: the phone then downloads the module again.")
    lessons = serializers.ListField(child=serializers.IntegerField(), help_text="Ids of the module's current lessons.")
    bytes = serializers.IntegerField(help_text="The total of the entries' sizes.")
    entries = OfflineEntrySerializer(many=True)


@extend_schema(tags=["learners"])
class OfflinePackageView(APIView):
    @extend_schema(parameters=[OpenApiParameter("with", OpenApiTypes.STR, enum=list(settings.CONTENT_LANGUAGES), required=False,
                                                description="Also the lessons side by side with this language.")],
                   responses=OfflinePackageSerializer, summary="What to download to take a module offline, with sizes",
                   description="For a learner enrolled in the module (404 otherwise): its pages in the enrolment's language, "
                               "the quiz, the images and the CSS/JS, each with its size; docs/offline.md.")
    def get(self, request, module):
        package = selectors.offline_package(user=request.user, slug=module, second_language=request.query_params.get("with", ""))
        return Response(OfflinePackageSerializer(package).data)


# --- Certificates ----------------------------------------------------------------------------------

class CertificateSerializer(serializers.ModelSerializer):
    module = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    is_valid = serializers.SerializerMethodField()
    verify_url = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = ["code", "module", "learner_name", "issuer_name", "score", "issued_at", "revoked_at", "is_valid", "verify_url"]

    def get_is_valid(self, certificate) -> bool:
        return certificate.revoked_at is None

    def get_verify_url(self, certificate) -> str:
        return settings.SITE_URL + reverse("verify:certificate", kwargs={"code": certificate.code})


@extend_schema(tags=["learners"])
class CertificateListView(generics.ListAPIView):
    """Your certificates, newest first."""

    serializer_class = CertificateSerializer

    def get_queryset(self):
        return Certificate.objects.filter(user=self.request.user).select_related("module").order_by("-issued_at", "-pk")


@extend_schema(tags=["learners"])
class CertificateDetailView(generics.RetrieveAPIView):
    serializer_class = CertificateSerializer

    def get_object(self):
        certificate = Certificate.objects.select_related("module").filter(
            user=self.request.user, code=self.kwargs["code"].strip().upper()).first()
        if certificate is None:
            raise Http404
        return certificate


# --- Self-diagnostic -------------------------------------------------------------------------------

class StatementSerializer(serializers.Serializer):
    key = serializers.CharField()
    text = serializers.CharField()


class AreaSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    statements = StatementSerializer(many=True)


class QuestionnaireSerializer(serializers.Serializer):
    scale = serializers.SerializerMethodField(help_text="The four ratings, from 1 (not at all) to 4 (completely).")
    areas = AreaSerializer(many=True)

    def get_scale(self, questionnaire) -> list[dict]:
        return [{"value": value, "label": label} for value, label in questionnaire.scale]


class AreaScoreSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    score = serializers.IntegerField(help_text="0 to 100.")
    previous = serializers.IntegerField(allow_null=True, help_text="The score in the self-diagnostic before this one.")
    change = serializers.IntegerField(allow_null=True)
    module = serializers.CharField(source="module_slug", allow_blank=True, help_text="The module that helps in this area.")


class DiagnosticResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    context = serializers.CharField()
    average = serializers.IntegerField()
    previous_average = serializers.IntegerField(allow_null=True)
    change = serializers.IntegerField(allow_null=True)
    areas = AreaScoreSerializer(many=True)
    recommended_modules = serializers.SerializerMethodField(help_text="Modules for the two weakest areas.")

    def get_recommended_modules(self, result) -> list[str]:
        return [area.module_slug for area in result.recommended]


class DiagnosticSubmitSerializer(serializers.Serializer):
    answers = serializers.DictField(child=serializers.IntegerField(min_value=1, max_value=4),
                                    help_text='{"<statement key>": 1..4} — every statement must be rated.')


@extend_schema(tags=["learners"])
class DiagnosticQuestionnaireView(APIView):
    @extend_schema(parameters=[LANGUAGE_PARAMETER], responses=QuestionnaireSerializer, summary="The self-diagnostic questionnaire")
    def get(self, request):
        questionnaire = selectors.diagnostic_questionnaire(language=_language(request))
        if questionnaire is None:
            raise Http404
        return Response(QuestionnaireSerializer(questionnaire).data)


@extend_schema(tags=["learners"])
class DiagnosticResponseListCreateView(APIView):
    @extend_schema(parameters=[LANGUAGE_PARAMETER], responses=DiagnosticResultSerializer(many=True),
                   summary="Your self-diagnostics, newest first, each with the change since the one before")
    def get(self, request):
        history = selectors.diagnostic_history(user=request.user, language=_language(request), limit=50)
        return Response(DiagnosticResultSerializer(history, many=True).data)

    @extend_schema(request=DiagnosticSubmitSerializer, responses={201: DiagnosticResultSerializer},
                   summary="Submit a self-diagnostic (earlier ones are kept)")
    def post(self, request):
        data = DiagnosticSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        response = diagnostic_submit(user=request.user, answers=data.validated_data["answers"])
        return Response(DiagnosticResultSerializer(selectors.diagnostic_result_get(
            user=request.user, pk=response.pk, language=_language(request))).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["learners"])
class DiagnosticResponseDetailView(APIView):
    @extend_schema(parameters=[LANGUAGE_PARAMETER], responses=DiagnosticResultSerializer)
    def get(self, request, pk):
        result = selectors.diagnostic_result_get(user=request.user, pk=pk, language=_language(request))
        return Response(DiagnosticResultSerializer(result).data)

