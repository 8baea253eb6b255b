"""Curriculum endpoints (/api/v1/modules/, /api/v1/lessons/, /api/v1/questions/).

The published catalogue is readable by anyone logged in, in the language asked for (`?lang=`
or Accept-Language), with the language actually shown and a `fallback` flag. Trainers write
through the same services as the web pages. Which choices are correct is only ever sent to the
module's authors and to admins (the learners' quiz endpoints live in api/learners.py).
"""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from courses import permissions, selectors, services
from courses.models import Lesson, LessonTranslation, Module, ModuleTranslation, Question, Quiz, Topic
from learners.permissions import module_is_readable

from .fields import IdListField

LANG_PARAMETER = OpenApiParameter(
    "lang", OpenApiTypes.STR, OpenApiParameter.QUERY, required=False,
    description="Content language (fr, zh-hans, en). Default: Accept-Language, then the user's preferred language.")


def request_language(request) -> str:
    """?lang=, else the first content language of Accept-Language, else the user's, else the site's."""
    codes = list(settings.CONTENT_LANGUAGES)
    asked = (request.query_params.get("lang") or "").lower()
    if asked in codes:
        return asked
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        code = code.lower()
        for candidate in (code, {"zh-cn": "zh-hans", "zh": "zh-hans", "zh-sg": "zh-hans"}.get(code), code.split("-")[0]):
            if candidate in codes:
                return candidate
    user_language = getattr(request.user, "preferred_language", None)
    if user_language in codes:
        return user_language
    language = get_language()
    return language if language in codes else codes[0]


def _trainer_or_403(user) -> None:
    if not permissions.can_author(user):
        raise PermissionDenied(_("Only trainers can change modules."))


def _module_or_404(user, slug: str) -> Module:
    module = Module.objects.select_related("topic").prefetch_related("translations", "authors").filter(slug=slug).first()
    if module is None or not permissions.can_read_module(user, module):
        raise Http404
    return module


def _editable_module_or_error(user, slug: str) -> Module:
    module = _module_or_404(user, slug)
    if not permissions.can_edit_module(user, module):
        raise PermissionDenied(_("Only the authors of this module can change it. Ask one of them to add you as an author."))
    return module


def _lesson_or_404(user, pk: int) -> Lesson:
    lesson = Lesson.objects.select_related("module", "module__topic").prefetch_related("translations").filter(pk=pk).first()
    if lesson is None or not permissions.can_read_module(user, lesson.module):
        raise Http404
    if lesson.is_archived and not permissions.can_author(user):
        raise Http404
    return lesson


def _editable_lesson_or_error(user, pk: int) -> Lesson:
    lesson = _lesson_or_404(user, pk)
    if not permissions.can_edit_module(user, lesson.module):
        raise PermissionDenied(_("Only the authors of this module can change it. Ask one of them to add you as an author."))
    return lesson


def _check_language(language: str) -> str:
    if language not in settings.CONTENT_LANGUAGES:
        raise Http404
    return language


# --- Serializers ----------------------------------------------------------------------------

class TopicSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    colour = serializers.CharField()


class ModuleCardSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    status = serializers.CharField()
    topic = serializers.SerializerMethodField()
    level = serializers.IntegerField()
    estimated_minutes = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    outcomes = serializers.ListField(child=serializers.CharField())
    language = serializers.CharField(help_text="The language the texts are actually in.")
    fallback = serializers.BooleanField(source="is_fallback", help_text="True when the asked language is missing.")
    lesson_count = serializers.IntegerField()
    prerequisites = serializers.ListField(child=serializers.CharField())
    published_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField()

    @extend_schema_field(TopicSerializer)
    def get_topic(self, card) -> dict:
        return {"key": card.topic_key, "name": card.topic_name, "colour": card.topic_colour}


class LessonSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    position = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    language = serializers.CharField()
    fallback = serializers.BooleanField()


class CompletenessSerializer(serializers.Serializer):
    language = serializers.CharField()
    percent = serializers.IntegerField()
    complete = serializers.IntegerField()
    total = serializers.IntegerField()
    needs_update = serializers.IntegerField()
    required = serializers.BooleanField()


class TemplateSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    language = serializers.CharField(help_text="The language of the file offered.")
    fallback = serializers.BooleanField(source="is_fallback", help_text="True when there is no file in the asked language.")
    format = serializers.CharField(help_text="xlsx, ods, docx or odt.")
    size = serializers.IntegerField(help_text="Bytes.")
    url = serializers.CharField(help_text="Where to download it (the learners' site, same permissions as the module page).")
    languages = serializers.ListField(child=serializers.CharField(), help_text="Every language the template has a file in.")


class ModuleDetailSerializer(ModuleCardSerializer):
    lessons = LessonSummarySerializer(many=True)
    templates = TemplateSerializer(many=True, help_text="Downloadable templates (spreadsheets, documents), in the asked "
                                                        "language where they have it.")
    quiz = inline_serializer("ModuleQuizSummary", {"pass_mark": serializers.IntegerField(),
                                                   "question_count": serializers.IntegerField()}, allow_null=True)
    can_edit = serializers.BooleanField()
    authors = serializers.ListField(child=serializers.CharField(), required=False)
    completeness = CompletenessSerializer(many=True, required=False)


class ModuleCreateSerializer(serializers.Serializer):
    slug = serializers.SlugField(max_length=80)
    topic = serializers.SlugRelatedField(slug_field="key", queryset=Topic.objects.all())
    level = serializers.ChoiceField(choices=Module.Level.choices, default=Module.Level.BEGINNER)
    estimated_minutes = serializers.IntegerField(min_value=1, max_value=10000, default=60)
    source_language = serializers.ChoiceField(choices=settings.CONTENT_LANGUAGES, default="fr")
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(required=False, allow_blank=True, default="")


class ModuleUpdateSerializer(serializers.Serializer):
    topic = serializers.SlugRelatedField(slug_field="key", queryset=Topic.objects.all(), required=False)
    level = serializers.ChoiceField(choices=Module.Level.choices, required=False)
    estimated_minutes = serializers.IntegerField(min_value=1, max_value=10000, required=False)
    source_language = serializers.ChoiceField(choices=settings.CONTENT_LANGUAGES, required=False)
    prerequisites = serializers.SlugRelatedField(slug_field="slug", queryset=Module.objects.all(), many=True, required=False)


class ModuleTranslationInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(allow_blank=True, default="")
    outcomes = serializers.ListField(child=serializers.CharField(), default=list)
    matches_source = serializers.BooleanField(default=False)


class ModuleTranslationOutputSerializer(serializers.Serializer):
    language = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    outcomes = serializers.ListField(child=serializers.CharField())
    version = serializers.IntegerField()
    source_version = serializers.IntegerField()


class LessonTranslationInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(allow_blank=True, default="")
    body_md = serializers.CharField(allow_blank=True, default="", trim_whitespace=False)
    matches_source = serializers.BooleanField(default=False)


class LessonTranslationOutputSerializer(serializers.Serializer):
    language = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    body_md = serializers.CharField()
    body_html = serializers.CharField()
    version = serializers.IntegerField()
    source_version = serializers.IntegerField()
    needs_update = serializers.BooleanField()
    is_complete = serializers.BooleanField()


class LessonCreateSerializer(LessonTranslationInputSerializer):
    module = serializers.SlugField()
    slug = serializers.SlugField(max_length=80)
    language = serializers.CharField(help_text="A content language: fr, zh-hans or en.")
    matches_source = None

    def validate_language(self, value: str) -> str:
        if value not in settings.CONTENT_LANGUAGES:
            raise serializers.ValidationError(_("Use one of the content languages: %(languages)s.")
                                              % {"languages": ", ".join(settings.CONTENT_LANGUAGES)})
        return value


class LessonDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    module = serializers.CharField()
    slug = serializers.CharField()
    position = serializers.IntegerField()
    is_archived = serializers.BooleanField()
    title = serializers.CharField()
    summary = serializers.CharField()
    body_html = serializers.CharField()
    language = serializers.CharField()
    fallback = serializers.BooleanField()
    translations = LessonTranslationOutputSerializer(many=True, required=False)


class ReorderSerializer(serializers.Serializer):
    lessons = IdListField(allow_empty=False, max_length=500)


class ChoiceTextSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True, default="")
    feedback = serializers.CharField(allow_blank=True, default="")


class QuestionTextSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True, default="")
    explanation = serializers.CharField(allow_blank=True, default="")


class ChoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    correct = serializers.BooleanField()
    texts = serializers.DictField(child=ChoiceTextSerializer())


class QuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    key = serializers.SlugField(max_length=80)
    kind = serializers.ChoiceField(choices=Question.Kind.choices)
    position = serializers.IntegerField(required=False, min_value=1, max_value=10000)
    texts = serializers.DictField(child=QuestionTextSerializer())
    choices = ChoiceSerializer(many=True)


class QuizSerializer(serializers.Serializer):
    pass_mark = serializers.IntegerField(min_value=1, max_value=100)
    questions = QuestionSerializer(many=True, read_only=True)


class PublishRefusedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = inline_serializer("PublishProblem", {"field": serializers.CharField(allow_null=True),
                                                  "message": serializers.CharField(), "code": serializers.CharField()},
                               many=True)
    missing = serializers.ListField(child=serializers.CharField())


# --- Data builders --------------------------------------------------------------------------

def _card_data(card) -> dict:
    return ModuleCardSerializer(card).data


def _module_detail(module: Module, user, language: str) -> dict:
    card = selectors.module_card_get(module=module, language=language)
    data = dict(ModuleCardSerializer(card).data)
    lessons = Lesson.objects.filter(module=module, is_archived=False).order_by("position", "id").prefetch_related("translations")
    data["lessons"] = []
    for lesson in lessons:
        row, fallback = selectors.translation_pick(lesson.translations.all(), language, source_language=module.source_language)
        data["lessons"].append({"id": lesson.pk, "slug": lesson.slug, "position": lesson.position,
                                "title": row.title if row else lesson.slug, "summary": row.summary if row else "",
                                "language": row.language if row else language, "fallback": fallback})
    quiz = Quiz.objects.filter(module=module).first()
    data["quiz"] = ({"pass_mark": quiz.pass_mark, "question_count": quiz.questions.filter(is_archived=False).count()}
                    if quiz else None)
    templates = selectors.module_templates(module=module, language=language) if module_is_readable(user, module) else []
    data["templates"] = TemplateSerializer(templates, many=True).data
    data["can_edit"] = permissions.can_edit_module(user, module)
    if permissions.can_author(user):
        data["authors"] = [author.display_name for author in module.authors.all()]
        completeness = selectors.module_translation_completeness(module)
        data["completeness"] = [completeness[code] for code in settings.CONTENT_LANGUAGES]
    return data


def _lesson_translation_data(row: LessonTranslation, source: LessonTranslation | None) -> dict:
    return {"language": row.language, "title": row.title, "summary": row.summary, "body_md": row.body_md,
            "body_html": row.body_html, "version": row.version, "source_version": row.source_version,
            "needs_update": selectors.translation_needs_update(translation=row, source=source), "is_complete": row.is_complete}


def _lesson_detail(lesson: Lesson, user, language: str) -> dict:
    rows = list(lesson.translations.all())
    row, fallback = selectors.translation_pick(rows, language, source_language=lesson.module.source_language)
    data = {"id": lesson.pk, "module": lesson.module.slug, "slug": lesson.slug, "position": lesson.position,
            "is_archived": lesson.is_archived, "title": row.title if row else lesson.slug, "summary": row.summary if row else "",
            "body_html": row.body_html if row else "", "language": row.language if row else language, "fallback": fallback}
    if permissions.can_author(user):
        source = next((item for item in rows if item.language == lesson.module.source_language), None)
        data["translations"] = [_lesson_translation_data(item, source) for item in rows]
    return data


def _quiz_data(module: Module) -> dict:
    quiz = Quiz.objects.filter(module=module).first()
    questions = []
    for question in selectors.quiz_for_authoring(module=module):
        questions.append({
            "id": question.pk, "key": question.key, "kind": question.kind, "position": question.position,
            "texts": {row.language: {"text": row.text_md, "explanation": row.explanation_md} for row in question.translations.all()},
            "choices": [{"id": choice.pk, "correct": choice.is_correct,
                         "texts": {row.language: {"text": row.text_md, "feedback": row.feedback_md}
                                   for row in choice.translations.all()}} for choice in question.choices.all()],
        })
    return {"pass_mark": quiz.pass_mark if quiz else 70, "questions": questions}


def _quiz_for_authors_or_error(user, slug: str) -> Module:
    module = _module_or_404(user, slug)
    if not permissions.can_see_answers(user, module):
        raise PermissionDenied(_("Only the authors of this module can see its quiz with the answers."))
    return module


# --- Views ----------------------------------------------------------------------------------

class CoursesAPIView(APIView):
    """Messages in the user's interface language, also with token authentication (which the
    language middleware cannot see)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        language = getattr(request.user, "preferred_language", None)
        if language in {code for code, _name in settings.LANGUAGES}:
            translation.activate(language)
            request.LANGUAGE_CODE = language


@extend_schema(tags=["courses"])
class ModuleListView(CoursesAPIView):
    @extend_schema(parameters=[LANG_PARAMETER], responses=ModuleCardSerializer(many=True),
                   summary="The published catalogue (trainers also get their drafts) in one language.")
    def get(self, request):
        cards = selectors.module_list_for_api(user=request.user, language=request_language(request))
        return Response([_card_data(card) for card in cards])

    @extend_schema(request=ModuleCreateSerializer, responses={201: ModuleDetailSerializer}, summary="Create a draft module.")
    def post(self, request):
        _trainer_or_403(request.user)
        serializer = ModuleCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        module = services.module_create(slug=data["slug"], topic=data["topic"], level=data["level"],
                                        estimated_minutes=data["estimated_minutes"], source_language=data["source_language"],
                                        user=request.user, source="api")
        services.module_translation_save(module=module, language=data["source_language"], title=data["title"],
                                         summary=data["summary"], user=request.user, source="api")
        module = _module_or_404(request.user, module.slug)
        return Response(_module_detail(module, request.user, request_language(request)), status=status.HTTP_201_CREATED)


@extend_schema(tags=["courses"])
class ModuleDetailView(CoursesAPIView):
    @extend_schema(parameters=[LANG_PARAMETER], responses=ModuleDetailSerializer, summary="One module in one language.")
    def get(self, request, slug):
        module = _module_or_404(request.user, slug)
        return Response(_module_detail(module, request.user, request_language(request)))

    @extend_schema(request=ModuleUpdateSerializer, responses=ModuleDetailSerializer, summary="Change a module's settings.")
    def patch(self, request, slug):
        module = _editable_module_or_error(request.user, slug)
        serializer = ModuleUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.module_update(module=module, data=dict(serializer.validated_data), user=request.user, source="api")
        module = _module_or_404(request.user, slug)
        return Response(_module_detail(module, request.user, request_language(request)))


@extend_schema(tags=["courses"])
class ModuleTranslationView(CoursesAPIView):
    @extend_schema(request=ModuleTranslationInputSerializer, responses=ModuleTranslationOutputSerializer,
                   summary="Write a module's title, summary and outcomes in one language.")
    def put(self, request, slug, language):
        module = _editable_module_or_error(request.user, slug)
        language = _check_language(language)
        serializer = ModuleTranslationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        row, _change = services.module_translation_save(
            module=module, language=language, title=data["title"], summary=data["summary"], outcomes=data["outcomes"],
            user=request.user, source="api", matches_source=data["matches_source"] or None)
        return Response(ModuleTranslationOutputSerializer(row).data)


@extend_schema(tags=["courses"])
class ModuleTranslationMarkUpdatedView(CoursesAPIView):
    @extend_schema(request=None, responses=ModuleTranslationOutputSerializer,
                   summary="Say that a module translation matches the current source text.")
    def post(self, request, slug, language):
        module = _editable_module_or_error(request.user, slug)
        row = ModuleTranslation.objects.filter(module=module, language=_check_language(language)).first()
        if row is None:
            raise Http404
        row = services.translation_mark_updated(translation=row, user=request.user, source="api")
        return Response(ModuleTranslationOutputSerializer(row).data)


WORKFLOW = {
    "submit": services.module_submit_for_review,
    "publish": services.module_publish,
    "unpublish": services.module_unpublish,
    "archive": services.module_archive,
    "restore": services.module_restore,
}


@extend_schema(tags=["courses"])
class ModuleWorkflowView(CoursesAPIView):
    action_name = ""

    @extend_schema(request=None, responses={200: ModuleDetailSerializer, 400: PublishRefusedSerializer},
                   summary="Change a module's status (publishing is refused with the list of what is missing).")
    def post(self, request, slug):
        module = _editable_module_or_error(request.user, slug)
        try:
            # A program cannot answer a confirmation: translations that need an update are published (the trainer's
            # page warns); ESSOR_REFUSE_STALE_TRANSLATIONS refuses them here too.
            options = {"stale_confirmed": True} if self.action_name == "publish" else {}
            WORKFLOW[self.action_name](module=module, user=request.user, source="api", **options)
        except ValidationError as error:
            messages = list(error.messages)
            return Response({"detail": messages[0] if messages else "", "missing": messages,
                             "errors": [{"field": None, "message": message, "code": "incomplete"} for message in messages]},
                            status=status.HTTP_400_BAD_REQUEST)
        module = _module_or_404(request.user, slug)
        return Response(_module_detail(module, request.user, request_language(request)))


@extend_schema(tags=["courses"])
class ModuleCompletenessView(CoursesAPIView):
    @extend_schema(responses=CompletenessSerializer(many=True), summary="Translation completeness per language.")
    def get(self, request, slug):
        _trainer_or_403(request.user)
        module = _module_or_404(request.user, slug)
        completeness = selectors.module_translation_completeness(module)
        return Response([CompletenessSerializer(completeness[code]).data for code in settings.CONTENT_LANGUAGES])


@extend_schema(tags=["courses"])
class ModuleHistoryView(CoursesAPIView):
    @extend_schema(responses=inline_serializer("ContentChange", {
        "created_at": serializers.DateTimeField(), "user": serializers.CharField(allow_null=True),
        "object_type": serializers.CharField(), "object_id": serializers.IntegerField(allow_null=True),
        "lesson": serializers.CharField(allow_null=True), "language": serializers.CharField(),
        "field": serializers.CharField(), "source": serializers.CharField()}, many=True),
        summary="Who changed what, and when (newest first).")
    def get(self, request, slug):
        _trainer_or_403(request.user)
        module = _module_or_404(request.user, slug)
        return Response([{"created_at": change.created_at, "user": change.user.display_name if change.user else None,
                          "object_type": change.object_type, "object_id": change.object_id,
                          "lesson": change.lesson.slug if change.lesson else None, "language": change.language,
                          "field": change.field, "source": change.source}
                         for change in selectors.module_history(module=module, limit=200)])


@extend_schema(tags=["courses"])
class LessonReorderView(CoursesAPIView):
    @extend_schema(request=ReorderSerializer, responses=LessonSummarySerializer(many=True),
                   summary="Put the module's lessons in a new order.")
    def post(self, request, slug):
        module = _editable_module_or_error(request.user, slug)
        serializer = ReorderSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.lesson_reorder(module=module, lesson_ids=serializer.validated_data["lessons"], user=request.user, source="api")
        return Response(_module_detail(module, request.user, request_language(request))["lessons"])


@extend_schema(tags=["courses"])
class QuizView(CoursesAPIView):
    @extend_schema(responses=QuizSerializer, summary="The quiz with its answers (the module's authors and admins only).")
    def get(self, request, slug):
        module = _quiz_for_authors_or_error(request.user, slug)
        return Response(_quiz_data(module))

    @extend_schema(request=inline_serializer("QuizUpdate", {"pass_mark": serializers.IntegerField(min_value=1, max_value=100)}),
                   responses=QuizSerializer, summary="Change the pass mark.")
    def patch(self, request, slug):
        module = _editable_module_or_error(request.user, slug)
        quiz = services.quiz_get_or_create(module=module)
        services.quiz_update(quiz=quiz, pass_mark=request.data.get("pass_mark"), user=request.user, source="api")
        return Response(_quiz_data(module))


def _save_question(request, module: Module, question: Question | None) -> Response:
    serializer = QuestionSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    quiz = services.quiz_get_or_create(module=module)
    choices = [{"correct": choice["correct"], "texts": {code: dict(value) for code, value in choice["texts"].items()}}
               for choice in data["choices"]]
    question, _change = services.question_save(
        quiz=quiz, question=question, key=data["key"], kind=data["kind"], position=data.get("position"),
        texts={code: dict(value) for code, value in data["texts"].items()}, choices=choices, user=request.user, source="api")
    saved = next(item for item in _quiz_data(module)["questions"] if item["id"] == question.pk)
    return Response(saved, status=status.HTTP_201_CREATED if _change == "created" else status.HTTP_200_OK)


@extend_schema(tags=["courses"])
class QuestionCreateView(CoursesAPIView):
    @extend_schema(request=QuestionSerializer, responses={201: QuestionSerializer}, summary="Add a question to the quiz.")
    def post(self, request, slug):
        module = _editable_module_or_error(request.user, slug)
        return _save_question(request, module, None)


@extend_schema(tags=["courses"])
class QuestionDetailView(CoursesAPIView):
    def _question(self, request, pk) -> tuple[Module, Question]:
        question = Question.objects.select_related("quiz__module").filter(pk=pk, is_archived=False).first()
        if question is None:
            raise Http404
        module = _module_or_404(request.user, question.quiz.module.slug)
        if not permissions.can_edit_module(request.user, module):
            raise PermissionDenied(_("Only the authors of this module can change it. Ask one of them to add you as an author."))
        return module, question

    @extend_schema(request=QuestionSerializer, responses=QuestionSerializer, summary="Change a question and its choices.")
    def put(self, request, pk):
        module, question = self._question(request, pk)
        return _save_question(request, module, question)

    @extend_schema(request=None, responses={204: None}, summary="Remove a question from the quiz (archived, answers kept).")
    def delete(self, request, pk):
        _module, question = self._question(request, pk)
        services.question_archive(question=question, user=request.user, source="api")
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["courses"])
class LessonListView(CoursesAPIView):
    @extend_schema(parameters=[LANG_PARAMETER, OpenApiParameter("module", OpenApiTypes.STR, OpenApiParameter.QUERY,
                                                                required=True, description="The module's short name.")],
                   responses=LessonSummarySerializer(many=True), summary="The lessons of a module in one language.")
    def get(self, request):
        slug = request.query_params.get("module")
        if not slug:
            raise DRFValidationError({"module": [_("Give the module's short name: ?module=<slug>.")]})
        module = _module_or_404(request.user, slug)
        return Response(_module_detail(module, request.user, request_language(request))["lessons"])

    @extend_schema(request=LessonCreateSerializer, responses={201: LessonDetailSerializer},
                   summary="Add a lesson (with its first language) to a module.")
    def post(self, request):
        _trainer_or_403(request.user)
        serializer = LessonCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        module = _editable_module_or_error(request.user, data["module"])
        lesson = services.lesson_create(module=module, slug=data["slug"], user=request.user, source="api")
        services.lesson_translation_save(lesson=lesson, language=data["language"], title=data["title"], summary=data["summary"],
                                         body_md=data["body_md"], user=request.user, source="api")
        lesson = _lesson_or_404(request.user, lesson.pk)
        return Response(_lesson_detail(lesson, request.user, data["language"]), status=status.HTTP_201_CREATED)


@extend_schema(tags=["courses"])
class LessonDetailView(CoursesAPIView):
    @extend_schema(parameters=[LANG_PARAMETER], responses=LessonDetailSerializer,
                   summary="One lesson in one language (stored HTML), with a fallback flag.")
    def get(self, request, pk):
        lesson = _lesson_or_404(request.user, pk)
        return Response(_lesson_detail(lesson, request.user, request_language(request)))


@extend_schema(tags=["courses"])
class LessonTranslationView(CoursesAPIView):
    @extend_schema(request=LessonTranslationInputSerializer, responses=LessonTranslationOutputSerializer,
                   summary="Write one language of a lesson (Markdown; the HTML is rendered and stored).")
    def put(self, request, pk, language):
        lesson = _editable_lesson_or_error(request.user, pk)
        language = _check_language(language)
        serializer = LessonTranslationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        row, _change = services.lesson_translation_save(
            lesson=lesson, language=language, title=data["title"], summary=data["summary"], body_md=data["body_md"],
            user=request.user, source="api", matches_source=data["matches_source"] or None)
        source = LessonTranslation.objects.filter(lesson=lesson, language=lesson.module.source_language).first()
        return Response(_lesson_translation_data(row, source))


@extend_schema(tags=["courses"])
class LessonTranslationMarkUpdatedView(CoursesAPIView):
    @extend_schema(request=None, responses=LessonTranslationOutputSerializer,
                   summary="Say that a lesson translation matches the current source text.")
    def post(self, request, pk, language):
        lesson = _editable_lesson_or_error(request.user, pk)
        row = LessonTranslation.objects.filter(lesson=lesson, language=_check_language(language)).first()
        if row is None:
            raise Http404
        row = services.translation_mark_updated(translation=row, user=request.user, source="api")
        source = LessonTranslation.objects.filter(lesson=lesson, language=lesson.module.source_language).first()
        return Response(_lesson_translation_data(row, source))


@extend_schema(tags=["courses"])
class LessonArchiveView(CoursesAPIView):
    restore = False

    @extend_schema(request=None, responses=LessonDetailSerializer,
                   summary="Archive (or restore) a lesson; learners' progress on it is kept.")
    def post(self, request, pk):
        lesson = _editable_lesson_or_error(request.user, pk)
        if self.restore:
            services.lesson_restore(lesson=lesson, user=request.user, source="api")
        else:
            services.lesson_archive(lesson=lesson, user=request.user, source="api")
        lesson = _lesson_or_404(request.user, pk)
        return Response(_lesson_detail(lesson, request.user, request_language(request)))
