"""Cohorts API: cohorts, memberships, invitations (with the CSV dry run), the dashboard summary and
matrix, drill-downs, export jobs and reminders. Reports are plain values from the selectors (no
nested serializers over thousands of rows); the serializers below validate input and document output."""
from __future__ import annotations

from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, Throttled, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from accounts.models import Intermediary, User
from cohorts.join_limit import CODE_WINDOW, join_code_blocked, join_code_failed
from cohorts.models import Cohort, CohortExport, CohortInvitation, CohortInviteImport, CohortInviteRow, CohortMembership
from cohorts.permissions import can_create_cohort, intermediaries_for
from cohorts.selectors import (
    cohort_get_for_staff,
    cohort_learner_detail,
    cohort_list_for_staff,
    cohort_matrix_page,
    cohort_member_get,
    cohort_member_values,
    cohort_module_columns,
    cohort_module_report,
    cohort_summary,
    export_get,
    export_list,
    invitation_by_code,
    invitation_by_token,
    invitation_get,
    invitation_list,
    invite_import_get,
    invite_import_rows,
    membership_get_for_learner,
    membership_list_for_learner,
    reminder_list,
    row_as_dict,
    summary_values,
)
from cohorts.selectors.dashboard import SORTS, STATUSES
from cohorts.services import (
    ModuleAssignment,
    cohort_create,
    cohort_join,
    cohort_leave,
    cohort_update,
    export_downloaded,
    export_file_path,
    export_filename,
    export_request,
    invitation_create,
    invitation_join_path,
    invitation_revoke,
    invite_import_confirm,
    invite_import_counts,
    invite_import_create,
    reminder_send_now,
)
from core.audit import record
from courses.models import Module

from .fields import IdListField, pk_related
from .pagination import Pagination, paginated

TAG = ["cohorts"]


def enum(choices, **kwargs) -> serializers.ChoiceField:
    """Named in the schema by SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] (several "status" sets coexist)."""
    return serializers.ChoiceField(choices=list(choices), **kwargs)


def plain(name: str, fields: dict) -> type[serializers.Serializer]:
    """A serializer class that only documents the shape of plain-value answers in the schema."""
    return type(f"{name}Serializer", (serializers.Serializer,), fields)


# --- Cohorts -------------------------------------------------------------------------------------

class ModuleAssignmentSerializer(serializers.Serializer):
    module = pk_related(Module.objects.all())
    target_date = serializers.DateField(required=False, allow_null=True)


class CohortModuleOutSerializer(serializers.Serializer):
    module = serializers.IntegerField()
    slug = serializers.CharField()
    position = serializers.IntegerField()
    target_date = serializers.DateField(allow_null=True)


class CohortSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    intermediary = pk_related(Intermediary.objects.all())
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    language = serializers.CharField(max_length=10)
    starts_on = serializers.DateField(required=False, allow_null=True, default=None)
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    stalled_after_days = serializers.IntegerField(min_value=1, max_value=365, default=14)
    facilitators = pk_related(User.objects.all(), many=True, required=False, default=list)
    modules = ModuleAssignmentSerializer(many=True, write_only=True)
    module_list = CohortModuleOutSerializer(many=True, read_only=True, source="modules_out")
    learner_count = serializers.IntegerField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class CohortUpdateSerializer(CohortSerializer):
    """Every field optional; the organisation of a cohort cannot change."""

    intermediary = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


def cohort_out(cohort: Cohort, learner_count: int | None = None) -> dict:
    return {
        "id": cohort.pk, "intermediary": cohort.intermediary_id, "name": cohort.name, "description": cohort.description,
        "language": cohort.language, "starts_on": cohort.starts_on, "ends_on": cohort.ends_on,
        "stalled_after_days": cohort.stalled_after_days,
        "facilitators": [user.pk for user in cohort.facilitators.all()],
        "module_list": [{"module": cm.module_id, "slug": cm.module.slug, "position": cm.position, "target_date": cm.target_date}
                        for cm in sorted(cohort.cohort_modules.all(), key=lambda cm: (cm.position, cm.pk))],
        "learner_count": learner_count if learner_count is not None else cohort.memberships.filter(
            status=CohortMembership.Status.ACTIVE).count(),
        "created_at": cohort.created_at,
    }


def _assignments(items: list[dict]) -> list[ModuleAssignment]:
    return [ModuleAssignment(module=item["module"], target_date=item.get("target_date")) for item in items]


class CohortListCreateView(APIView):
    """Staff: the cohorts of their organisations; create one."""

    @extend_schema(tags=TAG, operation_id="v1_cohorts_list", responses=paginated(CohortSerializer, "PaginatedCohortList"), parameters=[
        OpenApiParameter("page", int), OpenApiParameter("page_size", int)])
    def get(self, request):
        paginator = Pagination()
        cohorts = cohort_list_for_staff(user=request.user).prefetch_related("facilitators", "cohort_modules__module")
        page = paginator.paginate_queryset(cohorts, request, view=self)
        return paginator.get_paginated_response([cohort_out(c, c.learner_count) for c in page])

    @extend_schema(tags=TAG, request=CohortSerializer, responses={201: CohortSerializer})
    def post(self, request):
        if not can_create_cohort(request.user):  # before the body: only staff and admins create cohorts
            raise PermissionDenied(_("Only the staff of an intermediary can create a cohort."))
        serializer = CohortSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        intermediary = data.pop("intermediary")
        if not intermediaries_for(request.user).filter(pk=intermediary.pk).exists():
            raise ValidationError({"intermediary": [_("You are not staff of this organisation: choose one you work for.")]})
        cohort = cohort_create(intermediary=intermediary, created_by=request.user, modules=_assignments(data.pop("modules")),
                               facilitators=data.pop("facilitators"), **data)
        return Response(cohort_out(cohort), status=status.HTTP_201_CREATED)


class CohortDetailView(APIView):
    @extend_schema(tags=TAG, responses=CohortSerializer)
    def get(self, request, pk: int):
        return Response(cohort_out(cohort_get_for_staff(user=request.user, pk=pk)))

    @extend_schema(tags=TAG, request=CohortUpdateSerializer, responses=CohortSerializer)
    def patch(self, request, pk: int):
        cohort = cohort_get_for_staff(user=request.user, pk=pk)
        serializer = CohortUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        modules = data.pop("modules", None)
        facilitators = data.pop("facilitators", None)
        cohort = cohort_update(cohort=cohort, data=data, modules=_assignments(modules) if modules is not None else None,
                               facilitators=facilitators)
        return Response(cohort_out(cohort))


# --- Memberships ---------------------------------------------------------------------------------

MemberSerializer = plain("CohortMember", {
    "id": serializers.IntegerField(), "user_id": serializers.IntegerField(), "name": serializers.CharField(),
    "email": serializers.EmailField(), "association": serializers.CharField(allow_null=True),
    "joined_at": serializers.DateTimeField(),
})
MyMembershipSerializer = plain("MyCohortMembership", {
    "id": serializers.IntegerField(), "cohort": serializers.IntegerField(), "cohort_name": serializers.CharField(),
    "organisation": serializers.CharField(), "facilitators": serializers.ListField(child=serializers.CharField()),
    "joined_at": serializers.DateTimeField(),
})


class CohortMembershipListView(APIView):
    @extend_schema(tags=TAG, responses=paginated(MemberSerializer, "PaginatedCohortMemberList"), parameters=[
        OpenApiParameter("page", int), OpenApiParameter("page_size", int)])
    def get(self, request, pk: int):
        cohort = cohort_get_for_staff(user=request.user, pk=pk)
        paginator = Pagination()
        return paginator.get_paginated_response(paginator.paginate_queryset(cohort_member_values(cohort=cohort), request, view=self))


class CohortMembershipRemoveView(APIView):
    @extend_schema(tags=TAG, request=None, responses={204: None})
    def delete(self, request, pk: int, user_id: int):
        """Remove a learner from the cohort: they keep their progress; staff stop seeing it."""
        cohort = cohort_get_for_staff(user=request.user, pk=pk)
        cohort_leave(membership=cohort_member_get(cohort=cohort, user_id=user_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


def my_membership_out(membership: CohortMembership) -> dict:
    return {"id": membership.pk, "cohort": membership.cohort_id, "cohort_name": membership.cohort.name,
            "organisation": membership.cohort.intermediary.name,
            "facilitators": [user.display_name for user in membership.cohort.facilitators.all()],
            "joined_at": membership.joined_at}


class MyMembershipListView(APIView):
    """The logged-in learner's cohorts, with who sees their progress."""

    @extend_schema(tags=TAG, responses=MyMembershipSerializer(many=True))
    def get(self, request):
        return Response([my_membership_out(m) for m in membership_list_for_learner(user=request.user)])


class MyMembershipLeaveView(APIView):
    @extend_schema(tags=TAG, request=None, responses=MyMembershipSerializer)
    def post(self, request, membership_id: int):
        """Leave a cohort; progress is kept."""
        membership = cohort_leave(membership=membership_get_for_learner(user=request.user, pk=membership_id))
        return Response(my_membership_out(membership))


class JoinSerializer(serializers.Serializer):
    token = serializers.CharField(required=False, allow_blank=True)
    code = serializers.CharField(required=False, allow_blank=True)

    def validate(self, attrs):
        if not attrs.get("token") and not attrs.get("code"):
            raise serializers.ValidationError(_("Give the invitation link's token or the invitation code."))
        return attrs


class CohortJoinView(APIView):
    """The logged-in user joins a cohort by invitation token or code (and is enrolled in its modules).
    By joining, they agree that the cohort's facilitators see their progress in its modules."""

    @extend_schema(tags=TAG, request=JoinSerializer, responses={200: MyMembershipSerializer, 201: MyMembershipSerializer})
    def post(self, request):
        serializer = JoinSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, code = serializer.validated_data.get("token"), serializer.validated_data.get("code")
        # The same guess limit as the join page, in the same counters (cohorts.join_limit).
        ip = BaseThrottle().get_ident(request)
        if join_code_blocked(ip=ip, user=request.user):
            raise Throttled(wait=CODE_WINDOW, detail=_(
                "Too many wrong codes from this connection. Wait a quarter of an hour, then try again."))
        invitation = invitation_by_token(token=token) if token else invitation_by_code(code=code)
        if invitation is None:
            join_code_failed(ip=ip, user=request.user)
            raise NotFound(_("No cohort has this code. Check the code (8 letters and digits) and try again."))
        membership, created = cohort_join(invitation=invitation, user=request.user)
        membership = CohortMembership.objects.select_related("cohort__intermediary").get(pk=membership.pk)
        return Response(my_membership_out(membership), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


# --- Invitations ---------------------------------------------------------------------------------

class InvitationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.CharField(read_only=True)
    label = serializers.CharField(required=False, allow_blank=True, max_length=120, default="")
    code = serializers.CharField(read_only=True)
    url = serializers.CharField(read_only=True)
    email = serializers.CharField(read_only=True, help_text="Empty for a link or a code.")
    expires_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    max_uses = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=100000, default=None)
    uses_count = serializers.IntegerField(read_only=True)
    state = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


def invitation_out(request, invitation: CohortInvitation) -> dict:
    return {"id": invitation.pk, "kind": invitation.kind, "label": invitation.label, "code": invitation.code,
            "url": request.build_absolute_uri(invitation_join_path(invitation)), "email": invitation.email,
            "expires_at": invitation.expires_at, "max_uses": invitation.max_uses, "uses_count": invitation.uses_count,
            "state": invitation.state(), "created_at": invitation.created_at}


class InvitationListCreateView(APIView):
    @extend_schema(tags=TAG, responses=paginated(InvitationSerializer, "PaginatedInvitationList"), parameters=[
        OpenApiParameter("kind", str, enum=CohortInvitation.Kind.values), OpenApiParameter("page", int),
        OpenApiParameter("page_size", int)])
    def get(self, request, pk: int):
        cohort = cohort_get_for_staff(user=request.user, pk=pk)
        kind = request.query_params.get("kind")
        paginator = Pagination()
        page = paginator.paginate_queryset(invitation_list(cohort=cohort, kind=kind if kind in CohortInvitation.Kind.values else None),
                                           request, view=self)
        return paginator.get_paginated_response([invitation_out(request, i) for i in page])

    @extend_schema(tags=TAG, request=InvitationSerializer, responses={201: InvitationSerializer})
    def post(self, request, pk: int):
        """A shareable link and short code (optional expiry and maximum number of uses)."""
        cohort = cohort_get_for_staff(user=request.user, pk=pk)
        serializer = InvitationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation = invitation_create(cohort=cohort, created_by=request.user, **serializer.validated_data)
        return Response(invitation_out(request, invitation), status=status.HTTP_201_CREATED)


class InvitationRevokeView(APIView):
    @extend_schema(tags=TAG, request=None, responses=InvitationSerializer)
    def post(self, request, pk: int, invitation_id: int):
        cohort = cohort_get_for_staff(user=request.user, pk=pk)
        return Response(invitation_out(request, invitation_revoke(invitation=invitation_get(cohort=cohort, pk=invitation_id))))


class InviteCsvSerializer(serializers.Serializer):
    file = serializers.FileField()
    encoding = enum(["utf-8", "gb18030", "cp1252"], default="utf-8")
    dry_run = serializers.BooleanField(default=True, help_text="true (default): only check the file and say what would happen.")


ImportRowSerializer = plain("CohortInviteRow", {
    "line": serializers.IntegerField(), "email": serializers.CharField(), "display_name": serializers.CharField(),
    "association_name": serializers.CharField(), "language": serializers.CharField(),
    "action": enum(CohortInviteRow.Action.choices),
    "error": enum(CohortInviteRow.Error.choices, allow_blank=True),
    "message": serializers.CharField(), "invitation_id": serializers.IntegerField(allow_null=True),
})
ImportSerializer = plain("CohortInviteImport", {
    "id": serializers.IntegerField(), "status": enum(CohortInviteImport.Status.choices),
    "filename": serializers.CharField(), "counts": serializers.DictField(child=serializers.IntegerField()),
    "rows": ImportRowSerializer(many=True),
})


def import_out(batch) -> dict:
    batch.refresh_from_db()
    return {"id": batch.pk, "status": batch.status, "filename": batch.filename, "counts": invite_import_counts(batch),
            "rows": invite_import_rows(batch=batch)}


class InviteCsvView(APIView):
    """CSV bulk invite (columns email, name, association, language). With dry_run (the default),
    nothing is sent: the answer says row by row what will happen, and why bad rows are refused
    (invalid_email, unknown_language, duplicate, too_long, with the line number). Good rows are
    kept: confirm the import to send their invitations."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(tags=TAG, request={"multipart/form-data": InviteCsvSerializer}, responses={201: ImportSerializer})
    def post(self, request, pk: int):
        cohort = cohort_get_for_staff(user=request.user, pk=pk)
        serializer = InviteCsvSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        batch = invite_import_create(cohort=cohort, created_by=request.user, data=upload.read(), filename=upload.name,
                                     encoding=serializer.validated_data["encoding"])
        if not serializer.validated_data["dry_run"]:
            invite_import_confirm(batch=batch, confirmed_by=request.user)
        return Response(import_out(batch), status=status.HTTP_201_CREATED)


class InviteImportDetailView(APIView):
    @extend_schema(tags=TAG, responses=ImportSerializer)
    def get(self, request, pk: int, import_id: int):
        cohort = cohort_get_for_staff(user=request.user, pk=pk)
        return Response(import_out(invite_import_get(cohort=cohort, pk=import_id)))


class InviteImportConfirmView(APIView):
    @extend_schema(tags=TAG, request=None, responses=ImportSerializer)
    def post(self, request, pk: int, import_id: int):
        """Send the invitations of the good rows (each in the invitee's language). Confirming twice sends nothing twice."""
        cohort = cohort_get_for_staff(user=request.user, pk=pk)
        batch = invite_import_get(cohort=cohort, pk=import_id)
        invite_import_confirm(batch=batch, confirmed_by=request.user)
        return Response(import_out(batch))


# --- Dashboard -----------------------------------------------------------------------------------

ModuleSummarySerializer = plain("CohortModuleSummary", {
    "id": serializers.IntegerField(), "slug": serializers.CharField(), "title": serializers.CharField(),
    "position": serializers.IntegerField(), "target_date": serializers.DateField(allow_null=True),
    "lessons": serializers.IntegerField(), "completed": serializers.IntegerField(),
    "statuses": serializers.DictField(child=serializers.IntegerField()),
})
SummarySerializer = plain("CohortDashboardSummary", {
    "learners": serializers.IntegerField(), "active_last_7_days": serializers.IntegerField(),
    "started": serializers.IntegerField(), "not_started": serializers.IntegerField(),
    "in_progress": serializers.IntegerField(), "stalled": serializers.IntegerField(),
    "completed_all_modules": serializers.IntegerField(), "certificates": serializers.IntegerField(),
    "stalled_after_days": serializers.IntegerField(), "modules": ModuleSummarySerializer(many=True),
    "diagnostic": plain("CohortDiagnosticSummary", {
        "learners": serializers.IntegerField(), "average_at_joining": serializers.IntegerField(),
        "average_now": serializers.IntegerField(), "retaken": serializers.IntegerField()})(allow_null=True),
    "coaching": serializers.DictField(allow_null=True,
                                      help_text="Coaching requested / matched, once the coaching app provides it; null until then."),
    "generated_at": serializers.DateTimeField(),
})
CellSerializer = plain("CohortMatrixCell", {
    "module_id": serializers.IntegerField(), "status": enum(STATUSES),
    "percent": serializers.IntegerField(), "lessons_done": serializers.IntegerField(), "lessons_total": serializers.IntegerField(),
    "quiz_best_score": serializers.IntegerField(allow_null=True), "quiz_passed": serializers.BooleanField(),
    "certificate": serializers.CharField(allow_null=True),
})
RowSerializer = plain("CohortMatrixRow", {
    "user_id": serializers.IntegerField(), "name": serializers.CharField(), "email": serializers.EmailField(),
    "association": serializers.CharField(), "country": serializers.CharField(), "joined_at": serializers.DateTimeField(),
    "last_activity_at": serializers.DateTimeField(allow_null=True), "percent": serializers.IntegerField(),
    "status": enum(STATUSES), "reminders_enabled": serializers.BooleanField(),
    "modules": CellSerializer(many=True),
})
MatrixSerializer = plain("CohortMatrix", {
    "count": serializers.IntegerField(), "page": serializers.IntegerField(), "pages": serializers.IntegerField(),
    "modules": plain("CohortMatrixModule", {"id": serializers.IntegerField(), "slug": serializers.CharField(),
                                                        "title": serializers.CharField()})(many=True),
    "results": RowSerializer(many=True),
})


class DashboardSummaryView(APIView):
    """The dashboard's header figures (the same numbers as the page and the export)."""

    @extend_schema(tags=TAG, responses=SummarySerializer)
    def get(self, request, pk: int):
        cohort = cohort_get_for_staff(user=request.user, pk=pk)
        modules = cohort_module_columns(cohort_id=cohort.pk, language=get_language())
        return Response(summary_values(summary=cohort_summary(cohort=cohort, modules=modules), modules=modules,
                                       stalled_after_days=cohort.stalled_after_days, generated_at=timezone.now()))


class MatrixQuerySerializer(serializers.Serializer):
    status = enum(["", *STATUSES], required=False, default="")
    days = serializers.IntegerField(required=False, min_value=0, max_value=3650, allow_null=True, default=None,
                                    help_text="With status=stalled: stalled for more than this many days.")
    q = serializers.CharField(required=False, allow_blank=True, default="")
    sort = serializers.CharField(required=False, default="name", help_text=f"One of {', '.join(SORTS)} or module-<id>.")
    dir = enum(["asc", "desc"], required=False, default="asc")
    page = serializers.IntegerField(required=False, min_value=1, max_value=1000000, default=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=500, default=100)


class MatrixView(APIView):
    """The learner × module matrix, filtered, sorted and paginated (a fixed number of queries).
    Each cell has the module's status and percent; dates per module are in the learner drill-down and the export."""

    @extend_schema(tags=TAG, parameters=[MatrixQuerySerializer], responses=MatrixSerializer)
    def get(self, request, pk: int):
        cohort = cohort_get_for_staff(user=request.user, pk=pk)
        query = MatrixQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        modules = cohort_module_columns(cohort_id=cohort.pk, language=get_language())
        needs_summary = not params["q"] and params["days"] is None
        page = cohort_matrix_page(
            cohort=cohort, modules=modules, summary=cohort_summary(cohort=cohort, modules=modules, with_coaching=False)
            if needs_summary else None, status=params["status"], inactive_days=params["days"], query=params["q"],
            sort=params["sort"], descending=params["dir"] == "desc", page=params["page"], page_size=params["page_size"], clamp=False)
        return Response({
            "count": page.count, "page": page.number, "pages": page.pages,
            "modules": [{"id": m.id, "slug": m.slug, "title": m.title} for m in modules],
            "results": [row_as_dict(row) for row in page.rows],
        })


LearnerDetailSerializer = plain("CohortLearnerDetail", {
    "user_id": serializers.IntegerField(), "name": serializers.CharField(), "email": serializers.EmailField(),
    "association": serializers.CharField(), "joined_at": serializers.DateTimeField(),
    "modules": plain("CohortLearnerModule", {
        "module_id": serializers.IntegerField(), "title": serializers.CharField(), "enrolled": serializers.BooleanField(),
        "percent": serializers.IntegerField(), "lessons_done": serializers.IntegerField(),
        "lessons_total": serializers.IntegerField(), "last_activity_at": serializers.DateTimeField(allow_null=True),
        "completed_at": serializers.DateTimeField(allow_null=True), "quiz_best_score": serializers.IntegerField(allow_null=True),
        "quiz_passed": serializers.BooleanField(), "certificate": serializers.CharField(allow_null=True),
        "lessons": plain("CohortLearnerLesson", {
            "id": serializers.IntegerField(), "slug": serializers.CharField(), "title": serializers.CharField(),
            "position": serializers.IntegerField(), "first_seen_at": serializers.DateTimeField(allow_null=True),
            "completed_at": serializers.DateTimeField(allow_null=True)})(many=True),
        "quiz_attempts": plain("CohortLearnerAttempt", {
            "submitted_at": serializers.DateTimeField(), "score": serializers.IntegerField(),
            "passed": serializers.BooleanField()})(many=True),
    })(many=True),
})


class LearnerDetailView(APIView):
    """One learner's lessons, quiz attempts and last activity — in the cohort's modules only."""

    @extend_schema(tags=TAG, responses=LearnerDetailSerializer)
    def get(self, request, pk: int, user_id: int):
        cohort = cohort_get_for_staff(user=request.user, pk=pk)
        detail = cohort_learner_detail(cohort=cohort, user_id=user_id, language=get_language())
        record(request.user, "learner-drilldown", (User, detail.user_id), cohort=cohort.pk)
        return Response({
            "user_id": detail.user_id, "name": detail.name, "email": detail.email, "association": detail.association,
            "joined_at": detail.joined_at,
            "modules": [{
                "module_id": m.module.id, "title": m.module.title, "enrolled": m.enrolled, "percent": m.percent,
                "lessons_done": m.lessons_done, "lessons_total": m.lessons_total, "last_activity_at": m.last_activity_at,
                "completed_at": m.completed_at, "quiz_best_score": m.quiz_best_score, "quiz_passed": m.quiz_passed,
                "certificate": m.certificate_code or None,
                "lessons": [{"id": lesson.id, "slug": lesson.slug, "title": lesson.title, "position": lesson.position,
                             "first_seen_at": lesson.first_seen_at, "completed_at": lesson.completed_at} for lesson in m.lessons],
                "quiz_attempts": [{"submitted_at": a.submitted_at, "score": a.score, "passed": a.passed} for a in m.attempts],
            } for m in detail.modules],
        })


ModuleReportSerializer = plain("CohortModuleReport", {
    "module_id": serializers.IntegerField(), "title": serializers.CharField(), "learners": serializers.IntegerField(),
    "enrolled": serializers.IntegerField(), "completed": serializers.IntegerField(),
    "lessons": plain("CohortLessonReach", {
        "id": serializers.IntegerField(), "position": serializers.IntegerField(), "title": serializers.CharField(),
        "reached": serializers.IntegerField(), "completed": serializers.IntegerField()})(many=True),
    "questions": plain("CohortQuestionResult", {
        "id": serializers.IntegerField(), "key": serializers.CharField(), "position": serializers.IntegerField(),
        "text": serializers.CharField(), "first_answered": serializers.IntegerField(), "first_correct": serializers.IntegerField(),
        "answered": serializers.IntegerField(), "correct": serializers.IntegerField()})(many=True),
})


class ModuleReportView(APIView):
    """Drop-off per lesson and per-question quiz results of the cohort in one of its modules."""

    @extend_schema(tags=TAG, responses=ModuleReportSerializer)
    def get(self, request, pk: int, module_id: int):
        cohort = cohort_get_for_staff(user=request.user, pk=pk)
        report = cohort_module_report(cohort=cohort, module_id=module_id, language=get_language())
        return Response({
            "module_id": report.module.id, "title": report.module.title, "learners": report.learners,
            "enrolled": report.enrolled, "completed": report.completed,
            "lessons": [{"id": x.id, "position": x.position, "title": x.title, "reached": x.reached, "completed": x.completed}
                        for x in report.lessons],
            "questions": [{"id": q.id, "key": q.key, "position": q.position, "text": q.text, "first_answered": q.first_answered,
                           "first_correct": q.first_correct, "answered": q.answered, "correct": q.correct}
                          for q in report.questions],
        })


# --- Exports -------------------------------------------------------------------------------------

class ExportSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    format = enum(CohortExport.Format.choices)
    status = enum(CohortExport.Status.choices, read_only=True)
    progress = serializers.IntegerField(read_only=True)
    rows_done = serializers.IntegerField(read_only=True)
    rows_total = serializers.IntegerField(read_only=True)
    download_url = serializers.CharField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    expires_at = serializers.DateTimeField(read_only=True, allow_null=True)
    error = serializers.CharField(read_only=True, help_text="Why a failed export failed (a sentence), else empty.")


def export_out(request, export: CohortExport) -> dict:
    ready = export_file_path(export) is not None
    return {"id": export.pk, "format": export.format, "status": export.status, "progress": export.progress,
            "rows_done": export.rows_done, "rows_total": export.rows_total,
            "download_url": request.build_absolute_uri(reverse("api:cohort-export-download", kwargs={
                "pk": export.cohort_id, "export_id": export.pk})) if ready else None,
            "created_at": export.created_at, "expires_at": export.expires_at, "error": export.error}


class ExportListCreateView(APIView):
    @extend_schema(tags=TAG, responses=ExportSerializer(many=True))
    def get(self, request, pk: int):
        cohort = cohort_get_for_staff(user=request.user, pk=pk)
        return Response([export_out(request, e) for e in export_list(cohort=cohort)[:50]])

    @extend_schema(tags=TAG, request=ExportSerializer, responses={202: ExportSerializer})
    def post(self, request, pk: int):
        """Queue an export (CSV or XLSX); poll its status, then download it."""
        cohort = cohort_get_for_staff(user=request.user, pk=pk)
        serializer = ExportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        export = export_request(cohort=cohort, requested_by=request.user, format=serializer.validated_data["format"],
                                language=get_language())
        export.refresh_from_db()
        return Response(export_out(request, export), status=status.HTTP_202_ACCEPTED)


class ExportStatusView(APIView):
    @extend_schema(tags=TAG, responses=ExportSerializer)
    def get(self, request, pk: int, export_id: int):
        cohort = cohort_get_for_staff(user=request.user, pk=pk)
        return Response(export_out(request, export_get(cohort=cohort, pk=export_id)))


class ExportDownloadView(APIView):
    @extend_schema(tags=TAG, responses={(200, "text/csv"): OpenApiTypes.BINARY,
                                        (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY,
                                        (200, "application/octet-stream"): OpenApiTypes.BINARY, 410: None})
    def get(self, request, pk: int, export_id: int):
        cohort = cohort_get_for_staff(user=request.user, pk=pk)
        export = export_get(cohort=cohort, pk=export_id)
        path = export_file_path(export)
        if path is None:
            message = _("This export is not ready, failed or has expired. Request a new one.")
            return Response({"detail": message, "errors": [{"field": None, "message": message, "code": "gone"}]},
                            status=status.HTTP_410_GONE)
        export_downloaded(export=export, by=request.user)
        return FileResponse(path.open("rb"), as_attachment=True, filename=export_filename(export))


# --- Reminders -----------------------------------------------------------------------------------

ReminderSerializer = plain("CohortReminder", {
    "id": serializers.IntegerField(), "user_id": serializers.IntegerField(), "kind": serializers.CharField(),
    "created_at": serializers.DateTimeField(), "sent_at": serializers.DateTimeField(allow_null=True),
})


class ReminderSendSerializer(serializers.Serializer):
    user_ids = IdListField(min_length=1, max_length=5000)


ReminderResultSerializer = plain("CohortReminderResult", {
    "sent": serializers.ListField(child=serializers.IntegerField()),
    "reminders_off": serializers.ListField(child=serializers.IntegerField()),
    "recently_reminded": serializers.ListField(child=serializers.IntegerField()),
    "not_members": serializers.ListField(child=serializers.IntegerField()),
})


class ReminderListCreateView(APIView):
    @extend_schema(tags=TAG, responses=ReminderSerializer(many=True))
    def get(self, request, pk: int):
        cohort = cohort_get_for_staff(user=request.user, pk=pk)
        return Response(list(reminder_list(cohort=cohort)[:200].values("id", "user_id", "kind", "created_at", "sent_at")))

    @extend_schema(tags=TAG, request=ReminderSendSerializer, responses=ReminderResultSerializer)
    def post(self, request, pk: int):
        """Send a reminder now to these learners (members only; not to those who turned reminders off)."""
        cohort = cohort_get_for_staff(user=request.user, pk=pk)
        serializer = ReminderSendSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = reminder_send_now(cohort=cohort, user_ids=serializer.validated_data["user_ids"], sent_by=request.user)
        return Response({"sent": result.sent, "reminders_off": result.reminders_off,
                         "recently_reminded": result.recently_reminded, "not_members": result.not_members})

