"""Coaching API: coach profile (own), requests, ranking and proposals (staff), marketplace (coaches),
missions, sessions and feedback. Lists come from permission-filtered selectors; objects a user may not
see are 404; every write calls the same service as the HTML pages."""
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from coaching import selectors, services
from coaching.matching import COMPONENT_LABELS, component_reason
from coaching.models import CoachingRequest, CoachProfile, Feedback, Mission, Proposal, Session
from courses.models import Module, Topic

from .fields import IdField

# --- Serializers ---------------------------------------------------------------------------------------


class PersonSerializer(serializers.Serializer):
    """A person as the other side sees them before a match: a name, never an email or a phone."""

    id = serializers.IntegerField()
    display_name = serializers.CharField()


class ContactSerializer(serializers.Serializer):
    display_name = serializers.CharField()
    email = serializers.EmailField()
    phone = serializers.CharField()


class SkillSerializer(serializers.Serializer):
    topic = serializers.CharField(required=False, allow_null=True, allow_blank=True, help_text="A topic key, or empty for a free tag.")
    tag = serializers.CharField(required=False, allow_blank=True, max_length=60)
    level = serializers.IntegerField(min_value=1, max_value=3)


class CoachLanguageSerializer(serializers.Serializer):
    language = serializers.CharField()
    level = serializers.IntegerField(min_value=1, max_value=3)


class CoachProfileSerializer(serializers.ModelSerializer):
    skills = SkillSerializer(many=True)
    languages = CoachLanguageSerializer(many=True)

    class Meta:
        model = CoachProfile
        fields = ["id", "country", "city", "works_remotely", "works_in_person", "time_zone", "monthly_capacity_hours",
                  "available_from", "available_until", "employer", "bio", "skills", "languages", "is_vetted", "vetted_at"]
        read_only_fields = ["id", "is_vetted", "vetted_at"]
        # The service validates the whole profile (full_clean): no per-field model validators here.
        extra_kwargs = {"time_zone": {"validators": []}}

    def to_representation(self, profile):
        data = super().to_representation(profile) if profile.pk else {}
        if profile.pk:
            data["skills"] = [{"topic": s.topic.key if s.topic_id else None, "tag": s.tag, "level": s.level} for s in profile.skills.all()]
            data["languages"] = [{"language": lang.language, "level": lang.level} for lang in profile.languages.all()]
        return data


class CoachSummarySerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(source="user.display_name")

    class Meta:
        model = CoachProfile
        fields = ["id", "display_name", "country", "city", "time_zone", "is_vetted"]


class StaffCoachSerializer(CoachProfileSerializer):
    """Staff vet coaches, so they see who the coach is (coaches are not the other side for staff)."""

    display_name = serializers.CharField(source="user.display_name", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)

    class Meta(CoachProfileSerializer.Meta):
        fields = ["display_name", "email"] + CoachProfileSerializer.Meta.fields


class VetSerializer(serializers.Serializer):
    vetted = serializers.BooleanField(default=True)


class TransitionSerializer(serializers.Serializer):
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    by = serializers.CharField(source="by.display_name", allow_null=True, default=None)
    at = serializers.DateTimeField()


class RequestSerializer(serializers.ModelSerializer):
    topic = serializers.CharField(source="topic.key", read_only=True)
    module = serializers.CharField(source="module.slug", read_only=True, allow_null=True, default=None)
    learner = PersonSerializer(read_only=True)
    association = serializers.CharField(source="association.name", read_only=True, allow_null=True, default=None)
    cohort = serializers.CharField(source="cohort.name", read_only=True, allow_null=True, default=None)
    monthly_hours = serializers.IntegerField(read_only=True)
    mission = serializers.SerializerMethodField()

    class Meta:
        model = CoachingRequest
        fields = ["id", "status", "topic", "module", "learner", "association", "cohort", "diagnostic_score_before", "languages",
                  "need", "expected_result", "format", "country", "city", "time_zone", "hours_wanted", "monthly_hours",
                  "starts_on", "ends_on", "created_at", "status_changed_at", "mission"]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True, help_text="The mission's id once matched, else null."))
    def get_mission(self, request) -> int | None:
        mission = Mission.objects.filter(request=request).values_list("pk", flat=True).first()
        return mission


class RequestDetailSerializer(RequestSerializer):
    transitions = TransitionSerializer(many=True, read_only=True)

    class Meta(RequestSerializer.Meta):
        fields = RequestSerializer.Meta.fields + ["transitions"]
        read_only_fields = fields


class RequestWriteSerializer(serializers.Serializer):
    """Create (learner: `module`; staff: `learner` and `topic`) or edit a request."""

    module = serializers.SlugField(required=False, help_text="Learner: the slug of the module whose certificate you hold.")
    learner = IdField(required=False, help_text="Staff: the id of a learner of one of your cohorts.")
    topic = serializers.SlugField(required=False, help_text="Staff: the topic key (finance, volunteers, ...).")
    submit = serializers.BooleanField(default=True, help_text="False keeps the request as a draft.")
    need = serializers.CharField(max_length=4000)
    expected_result = serializers.CharField(max_length=2000)
    format = serializers.ChoiceField(choices=CoachingRequest.Format.choices, default=CoachingRequest.Format.REMOTE)
    country = serializers.CharField(required=False, max_length=2)
    city = serializers.CharField(required=False, allow_blank=True, max_length=120)
    time_zone = serializers.CharField(required=False, max_length=64)
    hours_wanted = serializers.IntegerField(required=False, min_value=1, max_value=200)
    starts_on = serializers.DateField(required=False)
    ends_on = serializers.DateField(required=False)
    languages = serializers.ListField(child=serializers.CharField(), required=False)

    def service_data(self) -> dict:
        return {k: v for k, v in self.validated_data.items() if k not in ("module", "learner", "topic", "submit")}


class RequestUpdateSerializer(RequestWriteSerializer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("module", "learner", "topic", "submit"):
            self.fields.pop(name)
        for field in self.fields.values():
            field.required = False


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ComponentSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    weight = serializers.IntegerField()
    value = serializers.FloatField(help_text="0 to 1")
    points = serializers.FloatField(help_text="weight × value")
    reason = serializers.CharField()
    details = serializers.DictField()


class CandidateSerializer(serializers.Serializer):
    coach = serializers.SerializerMethodField()
    score = serializers.FloatField()
    pending = serializers.BooleanField(source="coach.pending")
    components = serializers.SerializerMethodField()
    excluded_because = serializers.ListField(child=serializers.CharField())
    exclusion_reasons = serializers.ListField(child=serializers.CharField())

    @extend_schema_field(inline_serializer("RankedCoach", {"id": serializers.IntegerField(), "display_name": serializers.CharField(),
                                                          "city": serializers.CharField(), "time_zone": serializers.CharField()}))
    def get_coach(self, candidate) -> dict:
        c = candidate.coach
        return {"id": c.profile_id, "display_name": c.name, "city": c.city, "time_zone": c.time_zone}

    @extend_schema_field(ComponentSerializer(many=True))
    def get_components(self, candidate) -> list:
        return [{"key": c.key, "label": c.label, "weight": c.weight, "value": round(c.value, 4), "points": c.points,
                 "reason": c.reason, "details": c.details} for c in candidate.components]


class RankingSerializer(serializers.Serializer):
    eligible = CandidateSerializer(many=True)
    excluded = CandidateSerializer(many=True)


class ProposalSerializer(serializers.ModelSerializer):
    coach = CoachSummarySerializer(read_only=True)
    components = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = ["id", "request", "coach", "kind", "status", "score", "components", "message", "created_at", "expires_at",
                  "responded_at", "decline_reason"]
        read_only_fields = fields

    @extend_schema_field(ComponentSerializer(many=True))
    def get_components(self, proposal) -> list:
        rows = []
        for item in (proposal.breakdown or {}).get("components", []):
            key = item.get("key")
            if key in COMPONENT_LABELS:
                rows.append({**item, "label": str(COMPONENT_LABELS[key]), "reason": component_reason(key, item.get("details") or {})})
        return rows


class ProposeSerializer(serializers.Serializer):
    coach = IdField(help_text="The coach profile id, from the ranking.")
    message = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class OfferSerializer(serializers.Serializer):
    message = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class MarketItemSerializer(serializers.Serializer):
    request = RequestSerializer()
    score = serializers.FloatField(source="candidate.score")
    offered = serializers.BooleanField(help_text="A proposal or an offer of this coach waits for an answer.")
    pending_kind = serializers.CharField(allow_null=True)
    has_capacity = serializers.BooleanField()


class MissionSerializer(serializers.ModelSerializer):
    request = RequestSerializer(read_only=True)
    coach = CoachSummarySerializer(read_only=True)
    status = serializers.CharField(source="request.status", read_only=True)
    hours_logged = serializers.FloatField(read_only=True)
    contacts = serializers.SerializerMethodField()

    class Meta:
        model = Mission
        fields = ["id", "status", "request", "coach", "objectives", "objectives_agreed_at", "minutes_logged", "hours_logged",
                  "session_count", "last_session_on", "completion_requested_by", "completion_requested_at", "completed_at",
                  "created_at", "contacts"]
        read_only_fields = fields

    @extend_schema_field(inline_serializer("MissionContacts", {"learner": ContactSerializer(), "coach": ContactSerializer()},
                                           allow_null=True))
    def get_contacts(self, mission) -> dict | None:
        """Revealed once the match is confirmed (and hidden again if the mission is cancelled)."""
        if not mission.request.contacts_revealed:
            return None

        def contact(user: User) -> dict:
            return {"display_name": user.display_name, "email": user.email or "", "phone": str(user.phone or "")}

        return {"learner": contact(mission.request.learner), "coach": contact(mission.coach.user)}


class ObjectivesSerializer(serializers.Serializer):
    objectives = serializers.CharField(max_length=4000)


class SessionSerializer(serializers.ModelSerializer):
    logged_by = serializers.CharField(source="logged_by.display_name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Session
        fields = ["id", "held_on", "duration_minutes", "notes", "logged_by", "created_at"]
        read_only_fields = ["id", "logged_by", "created_at"]


class FeedbackSerializer(serializers.ModelSerializer):
    class Meta:
        model = Feedback
        fields = ["id", "role", "rating", "comment", "share_consent", "created_at"]
        read_only_fields = ["id", "role", "created_at"]
        extra_kwargs = {"rating": {"min_value": 1, "max_value": 5}}


# --- Views ------------------------------------------------------------------------------------------------


@extend_schema(tags=["coaching"])
class CoachProfileAPIView(APIView):
    """The logged-in coach's own profile (PUT creates it)."""

    serializer_class = CoachProfileSerializer

    def _profile(self):
        profile = selectors.coach_profile_get(user=self.request.user)
        if profile is None:
            raise Http404
        return profile

    @extend_schema(responses=CoachProfileSerializer)
    def get(self, request):
        return Response(CoachProfileSerializer(self._profile()).data)

    def _save(self, request, partial: bool):
        if not request.user.is_coach:  # before reading the body: a non-coach learns nothing from a 400
            raise PermissionDenied(_("Only coaches have a coach profile. Ask the site administrator to add the coach role "
                                     "to your account."))
        current = selectors.coach_profile_get(user=request.user)
        serializer = CoachProfileSerializer(current, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        if partial:
            # A PATCH may leave out the lists, but a skill or language it sends is a whole one.
            for name, nested in (("skills", SkillSerializer), ("languages", CoachLanguageSerializer)):
                if name in request.data:
                    whole = nested(data=request.data[name], many=True)
                    if not whole.is_valid():
                        raise serializers.ValidationError({name: whole.errors})
        data = dict(serializer.validated_data)
        skills = data.pop("skills", None)
        languages = data.pop("languages", None)
        if skills is None:
            skills = [{"topic": s.topic.key if s.topic_id else None, "tag": s.tag, "level": s.level}
                      for s in (current.skills.all() if current else [])]
        if languages is None:
            languages = [{"language": lang.language, "level": lang.level} for lang in (current.languages.all() if current else [])]
        profile = services.coach_profile_save(
            user=request.user, data=data,
            topic_levels={s["topic"]: s["level"] for s in skills if s.get("topic")},
            tags={s["tag"]: s["level"] for s in skills if not s.get("topic") and s.get("tag")},
            languages={lang["language"]: lang["level"] for lang in languages},
        )
        return Response(CoachProfileSerializer(selectors.coach_profile_get(user=profile.user)).data)

    @extend_schema(request=CoachProfileSerializer, responses=CoachProfileSerializer)
    def put(self, request):
        return self._save(request, partial=False)

    @extend_schema(request=CoachProfileSerializer, responses=CoachProfileSerializer)
    def patch(self, request):
        return self._save(request, partial=True)


@extend_schema(tags=["coaching"])
class CoachViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Staff: the pool of coaches, and vetting."""

    lookup_value_converter = "id"

    serializer_class = StaffCoachSerializer

    def get_queryset(self):
        return selectors.coach_list_for_staff(user=self.request.user)

    @extend_schema(request=VetSerializer, responses=StaffCoachSerializer)
    @action(detail=True, methods=["post"])
    def vet(self, request, pk=None):
        serializer = VetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        profile = services.coach_vet(profile=self.get_object(), by=request.user, vetted=serializer.validated_data["vetted"])
        return Response(StaffCoachSerializer(profile).data)


@extend_schema(tags=["coaching"])
class RequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Requests: a learner's own; those of a staff member's cohorts; those proposed to a coach.
    A coach also opens the marketplace requests that fit them (without the learner's contact details)."""

    lookup_value_converter = "id"

    serializer_class = RequestSerializer

    def get_queryset(self):
        return selectors.request_list_for_user(user=self.request.user).order_by("-created_at", "-id")

    def get_serializer_class(self):
        return RequestDetailSerializer if self.action == "retrieve" else RequestSerializer

    def get_object(self):
        request = get_object_or_404(CoachingRequest.objects.select_related("learner", "topic", "module", "association", "cohort"),
                                    pk=self.kwargs["pk"])
        self.roles = selectors.request_roles(user=self.request.user, request=request)
        if not self.roles:
            raise Http404
        return request

    def _staff_object(self):
        request = self.get_object()
        if "staff" not in self.roles:
            raise PermissionDenied(_("Only the staff who follow this request can do this."))
        return request

    @extend_schema(request=RequestWriteSerializer, responses={201: RequestSerializer})
    def create(self, request):
        serializer = RequestWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        module = topic = None
        if values.get("module"):
            module = get_object_or_404(Module, slug=values["module"])
        if values.get("topic"):
            topic = get_object_or_404(Topic, key=values["topic"])
        # Staff name a learner of their cohorts; anyone else is "not found".
        learner = request.user
        if values.get("learner") and values["learner"] != request.user.pk:
            learner = get_object_or_404(selectors.learner_list_for_staff(user=request.user), pk=values["learner"])
        created = services.request_create(by=request.user, learner=learner, module=module, topic=topic,
                                          data=serializer.service_data(), submit=values["submit"])
        return Response(RequestSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RequestUpdateSerializer, responses=RequestSerializer)
    def partial_update(self, request, pk=None):
        obj = self.get_object()
        serializer = RequestUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        updated = services.request_update(request=obj, by=request.user, data=serializer.service_data())
        return Response(RequestSerializer(updated).data)

    @extend_schema(request=None, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return Response(RequestSerializer(services.request_submit(request=self.get_object(), by=request.user)).data)

    @extend_schema(request=CancelSerializer, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        serializer = CancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cancelled = services.request_cancel(request=self.get_object(), by=request.user,
                                            reason=serializer.validated_data.get("reason", ""))
        return Response(RequestSerializer(cancelled).data)

    @extend_schema(responses=RankingSerializer)
    @action(detail=True, methods=["get"])
    def ranking(self, request, pk=None):
        """Staff: every vetted coach, eligible ones ranked with each component of the score, others with reasons."""
        ranking = selectors.coach_ranking(request=self._staff_object())
        return Response(RankingSerializer({"eligible": ranking.eligible, "excluded": ranking.excluded}).data)

    @extend_schema(request=ProposeSerializer, responses={201: ProposalSerializer})
    @action(detail=True, methods=["post"])
    def propose(self, request, pk=None):
        obj = self._staff_object()
        serializer = ProposeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        coach = get_object_or_404(CoachProfile, pk=serializer.validated_data["coach"])
        proposal = services.proposal_create(request=obj, coach=coach, by=request.user,
                                            message=serializer.validated_data.get("message", ""))
        return Response(ProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=OfferSerializer, responses={201: ProposalSerializer})
    @action(detail=True, methods=["post"])
    def offer(self, request, pk=None):
        serializer = OfferSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        offer = services.offer_create(request=self.get_object(), by=request.user,
                                      message=serializer.validated_data.get("message", ""))
        return Response(ProposalSerializer(offer).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["coaching"])
class ProposalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Proposals and offers: a coach's own, those on a learner's requests, those on requests staff follow."""

    lookup_value_converter = "id"

    serializer_class = ProposalSerializer

    def get_queryset(self):
        return selectors.proposal_list_for_user(user=self.request.user)

    @extend_schema(request=None, responses=MissionSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        mission = services.proposal_accept(proposal=self.get_object(), by=request.user)
        return Response(MissionSerializer(mission).data)

    @extend_schema(request=None, responses=MissionSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        mission = services.offer_confirm(proposal=self.get_object(), by=request.user)
        return Response(MissionSerializer(mission).data)

    @extend_schema(request=DeclineSerializer, responses=ProposalSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        proposal = self.get_object()  # 404 for others before the body is read
        serializer = DeclineSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        proposal = services.proposal_decline(proposal=proposal, by=request.user,
                                             reason=serializer.validated_data["reason"])
        return Response(ProposalSerializer(proposal).data)


@extend_schema(tags=["coaching"])
class MarketplaceAPIView(APIView):
    """Coaches: open requests that fit their skills, languages and place (no contact details)."""

    serializer_class = MarketItemSerializer

    @extend_schema(responses=MarketItemSerializer(many=True))
    def get(self, request):
        if not request.user.is_coach:
            raise PermissionDenied(_("Only coaches have a marketplace of requests."))
        return Response(MarketItemSerializer(selectors.marketplace_list(user=request.user), many=True).data)


@extend_schema(tags=["coaching"])
class MissionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Missions of the pair, followed by the intermediary's staff."""

    lookup_value_converter = "id"

    serializer_class = MissionSerializer

    def get_queryset(self):
        return selectors.mission_list_for_user(user=self.request.user)

    def _respond(self, mission):
        return Response(MissionSerializer(self.get_queryset().get(pk=mission.pk)).data)

    @extend_schema(request=ObjectivesSerializer, responses=MissionSerializer)
    @action(detail=True, methods=["post"])
    def objectives(self, request, pk=None):
        mission = self.get_object()  # 404 for others before the body is read
        serializer = ObjectivesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._respond(services.mission_objectives_set(mission=mission, by=request.user,
                                                             objectives=serializer.validated_data["objectives"]))

    @extend_schema(request=None, responses=MissionSerializer)
    @action(detail=True, methods=["post"], url_path="objectives/agree")
    def objectives_agree(self, request, pk=None):
        return self._respond(services.mission_objectives_agree(mission=self.get_object(), by=request.user))

    @extend_schema(request=None, responses=MissionSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Ask to close the mission, or confirm the other side's request."""
        return self._respond(services.mission_complete(mission=self.get_object(), by=request.user))

    @extend_schema(methods=["get"], responses=SessionSerializer(many=True))
    @extend_schema(methods=["post"], request=SessionSerializer, responses={201: SessionSerializer})
    @action(detail=True, methods=["get", "post"], serializer_class=SessionSerializer, pagination_class=None)
    def sessions(self, request, pk=None):
        mission = self.get_object()
        if request.method == "GET":
            return Response(SessionSerializer(selectors.mission_sessions(mission=mission), many=True).data)
        serializer = SessionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = services.session_log(mission=mission, by=request.user, **serializer.validated_data)
        return Response(SessionSerializer(session).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["get"], responses=FeedbackSerializer(many=True))
    @extend_schema(methods=["post"], request=FeedbackSerializer, responses={201: FeedbackSerializer})
    @action(detail=True, methods=["get", "post"], serializer_class=FeedbackSerializer, pagination_class=None)
    def feedback(self, request, pk=None):
        mission = self.get_object()
        if request.method == "GET":
            return Response(FeedbackSerializer(Feedback.objects.filter(mission=mission), many=True).data)
        serializer = FeedbackSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        feedback = services.feedback_give(mission=mission, by=request.user, **serializer.validated_data)
        return Response(FeedbackSerializer(feedback).data, status=status.HTTP_201_CREATED)
