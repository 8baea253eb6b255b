"""Coaching pages. Each view finds its object through a permission-filtered selector (404 for others)
and calls a service; the service's ValidationError becomes a message on the page."""
import datetime as dt

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from core.forms import apply_validation_error
from courses.models import Module, Topic

from . import selectors, services
from .forms import (
    CancelForm,
    CoachProfileForm,
    DeclineForm,
    FeedbackForm,
    ObjectivesForm,
    OfferForm,
    ProposeForm,
    RequestForm,
    SessionForm,
    StaffRequestForm,
)
from .models import CoachingRequest, CoachProfile, Feedback, Mission, Proposal
from .permissions import can_edit_request, can_manage_request, can_view_mission, is_coaching_staff, mission_side

Status = CoachingRequest.Status


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _visible_request(user, pk: int) -> tuple[CoachingRequest, set[str]]:
    request = get_object_or_404(CoachingRequest.objects.select_related("learner", "topic", "module", "cohort", "association"),
                                pk=pk)
    roles = selectors.request_roles(user=user, request=request)
    if not roles:
        raise Http404
    return request, roles


def _visible_mission(user, pk: int) -> Mission:
    return get_object_or_404(selectors.mission_list_for_user(user=user), pk=pk)


def _visible_proposal(user, pk: int) -> Proposal:
    return get_object_or_404(selectors.proposal_list_for_user(user=user).select_related("request__learner", "coach__user"), pk=pk)


class HomeView(LoginRequiredMixin, TemplateView):
    """The landing page of each role: learner, coach, intermediary staff (one person may be several)."""

    template_name = "coaching/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        context = super().get_context_data(**kwargs)
        context["is_staff_view"] = is_coaching_staff(user)
        if user.is_learner:
            requests = list(selectors.request_list_for_learner(user=user).select_related("mission"))
            live_topics = {r.topic_id for r in requests if not r.is_final}
            context["my_requests"] = requests
            certificates = [c for c in selectors.certificate_list_for_learner(user=user) if c.module.topic_id not in live_topics]
            for certificate in certificates:
                certificate.module_title = selectors.module_title(certificate.module, get_language())
            context["certificates"] = certificates
        if user.is_coach:
            profile = selectors.coach_profile_get(user=user)
            context["profile"] = profile
            if profile is not None:
                proposals = list(selectors.proposal_list_for_coach(user=user))
                context["pending_proposals"] = [p for p in proposals if p.status == Proposal.Status.PENDING]
                context["market_count"] = len(selectors.marketplace_list(user=user))
                context["coach_missions"] = list(selectors.mission_list_for_user(user=user).filter(coach=profile))
        if context["is_staff_view"]:
            requests = list(selectors.request_list_for_staff(user=user).exclude(
                status__in=[Status.COMPLETED, Status.CANCELLED, Status.EXPIRED]).select_related("mission__coach__user")[:200])
            context["staff_open"] = [r for r in requests if r.status == Status.OPEN]
            context["staff_proposed"] = [r for r in requests if r.status == Status.PROPOSED]
            context["staff_running"] = [r for r in requests if r.status in (Status.MATCHED, Status.IN_PROGRESS)]
            visible = selectors.request_list_for_staff(user=user).values("pk")
            context["offers_to_confirm"] = list(Proposal.objects.filter(
                request__in=visible, kind=Proposal.Kind.OFFER, status=Proposal.Status.PENDING
            ).select_related("request__learner", "request__topic", "coach__user"))
            context["coaches_to_vet"] = CoachProfile.objects.filter(is_vetted=False).count()
        return context


# --- Coach profile and vetting ---------------------------------------------------------------------

class CoachProfileView(LoginRequiredMixin, FormView):
    template_name = "coaching/coach_profile_form.html"
    form_class = CoachProfileForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_coach:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        profile = selectors.coach_profile_get(user=self.request.user) or CoachProfile(user=self.request.user)
        return {**super().get_form_kwargs(), "instance": profile, "topics": list(Topic.objects.all()),
                "language": get_language()}

    def form_valid(self, form):
        try:
            services.coach_profile_save(user=self.request.user, **form.service_kwargs())
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Your coach profile has been saved."))
        return redirect("coaching:coach-profile")


class StaffOnlyMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_coaching_staff(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CoachListView(StaffOnlyMixin, TemplateView):
    template_name = "coaching/coach_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        coaches = list(selectors.coach_list_for_staff(user=self.request.user))
        load = selectors.coach_committed_hours(profile_ids=[c.pk for c in coaches])
        for coach in coaches:
            coach.committed = load.get(coach.pk, 0)
        context["coaches"] = coaches
        return context


class CoachVetView(StaffOnlyMixin, View):
    def post(self, request, pk):
        profile = get_object_or_404(selectors.coach_list_for_staff(user=request.user), pk=pk)
        vetted = request.POST.get("vetted") == "1"
        services.coach_vet(profile=profile, by=request.user, vetted=vetted)
        if vetted:
            messages.success(request, _("%(name)s is now vetted and can be proposed.") % {"name": profile.user.display_name})
        else:
            messages.success(request, _("%(name)s is no longer vetted.") % {"name": profile.user.display_name})
        return redirect("coaching:coach-list")


# --- Requests ----------------------------------------------------------------------------------------

class RequestCreateView(LoginRequiredMixin, FormView):
    """A learner asks for coaching after a module (?module=<slug>); the form is pre-filled."""

    template_name = "coaching/request_form.html"
    form_class = RequestForm

    def dispatch(self, request, *args, **kwargs):
        self.module = None
        slug = request.GET.get("module") or request.POST.get("module")
        if slug:
            self.module = get_object_or_404(Module.objects.select_related("topic"), slug=slug)
        return super().dispatch(request, *args, **kwargs)

    def get_prefill(self):
        if not hasattr(self, "_prefill"):
            self._prefill = selectors.request_prefill(user=self.request.user, module=self.module, language=get_language())
        return self._prefill

    def get_initial(self):
        if self.module is None:
            return {}
        prefill = self.get_prefill()
        today = timezone.localdate()
        return {"languages": prefill.languages, "country": prefill.country, "city": prefill.city,
                "time_zone": prefill.time_zone, "format": CoachingRequest.Format.REMOTE, "hours_wanted": 6,
                "starts_on": today, "ends_on": today + dt.timedelta(days=90)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["module"] = self.module
        if self.module is None:
            certificates = list(selectors.certificate_list_for_learner(user=self.request.user))
            for certificate in certificates:
                certificate.module_title = selectors.module_title(certificate.module, get_language())
            context["certificates"] = certificates
        else:
            context["prefill"] = self.get_prefill()
        return context

    def form_valid(self, form):
        if self.module is None:
            raise Http404
        try:
            coaching_request = services.request_create(by=self.request.user, learner=self.request.user, module=self.module,
                                                       data=form.service_data(), submit="save_draft" not in self.request.POST,
                                                       kind=form.cleaned_data.get("request_kind") or CoachingRequest.Kind.MISSION)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        if coaching_request.status == Status.DRAFT:
            messages.success(self.request, _("Your request is saved as a draft. Send it when you are ready."))
        else:
            messages.success(self.request, _("Your request has been sent. The intermediary will propose a coach who fits."))
        return redirect("coaching:request-detail", pk=coaching_request.pk)


class RequestOpenForView(StaffOnlyMixin, FormView):
    """Staff open a request for a learner of one of their cohorts."""

    template_name = "coaching/request_open_for.html"
    form_class = StaffRequestForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "learners": selectors.learner_list_for_staff(user=self.request.user),
                "language": get_language()}

    def get_initial(self):
        today = timezone.localdate()
        return {"format": CoachingRequest.Format.REMOTE, "hours_wanted": 6, "starts_on": today,
                "ends_on": today + dt.timedelta(days=90)}

    def form_valid(self, form):
        data = form.service_data()
        try:
            coaching_request = services.request_create(by=self.request.user, learner=form.cleaned_data["learner"],
                                                       topic=form.cleaned_data["topic"], data=data, submit=True)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The request is open. Rank the coaches to propose one."))
        return redirect("coaching:request-ranking", pk=coaching_request.pk)


class RequestListView(StaffOnlyMixin, TemplateView):
    template_name = "coaching/request_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("status") or ""
        if status not in Status.values:
            status = ""
        context["status"] = status
        context["statuses"] = [(value, label) for value, label in Status.choices if value != Status.DRAFT]
        context["requests"] = selectors.request_list_for_staff(user=self.request.user, status=status or None) \
            .select_related("mission__coach__user")[:500]
        return context


class RequestDetailView(LoginRequiredMixin, TemplateView):
    template_name = "coaching/request_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        request, roles = _visible_request(user, self.kwargs["pk"])
        context.update(request=request, roles=roles, module_title=selectors.module_title(request.module, get_language()))
        if "learner" in roles or "staff" in roles:
            context["transitions"] = selectors.request_transitions(request=request)
            context["proposals"] = selectors.request_proposals(request=request)
            context["can_edit"] = can_edit_request(user, request)
            context["can_cancel"] = not request.is_final
            context["decline_form"] = DeclineForm()
            context["cancel_form"] = CancelForm()
        if "coach" in roles and "staff" not in roles:
            own = list(Proposal.objects.filter(request=request, coach__user=user).order_by("-created_at"))
            context["own_proposals"] = own
            pending = any(p.status == Proposal.Status.PENDING for p in own)
            declined = any(p.status == Proposal.Status.DECLINED for p in own)
            context["can_offer"] = request.status in (Status.OPEN, Status.PROPOSED) and not pending and not declined
            context["offer_form"] = OfferForm()
        mission = Mission.objects.filter(request=request).select_related("coach").first()
        context["mission"] = mission
        context["mission_visible"] = mission is not None and can_view_mission(user, mission)
        context["can_rank"] = request.status in (Status.OPEN, Status.PROPOSED)
        return context


class RequestEditView(LoginRequiredMixin, FormView):
    template_name = "coaching/request_edit.html"
    form_class = RequestForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object, roles = _visible_request(request.user, kwargs["pk"])
        if not can_edit_request(request.user, self.object):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "request_obj": self.object}

    def form_valid(self, form):
        try:
            # The form worked on a copy: the service re-reads and applies the same fields.
            services.request_update(request=self.object, by=self.request.user, data=form.service_data())
            if "submit" in self.request.POST and self.object.status == Status.DRAFT:
                services.request_submit(request=self.object, by=self.request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The request has been saved."))
        return redirect("coaching:request-detail", pk=self.object.pk)


class ActionView(LoginRequiredMixin, View):
    """POST-only: find the object, call a service, report the outcome as a message, redirect."""

    success_message = ""

    def get_object(self):
        raise NotImplementedError

    def act(self, obj):
        raise NotImplementedError

    def redirect_to(self, obj, result) -> str:
        raise NotImplementedError

    def post(self, request, pk):
        obj = self.get_object()
        try:
            result = self.act(obj)
        except ValidationError as error:
            messages.error(request, _error_text(error))
            return HttpResponseRedirect(self.error_redirect(obj))
        if self.success_message:
            messages.success(request, self.success_message)
        return HttpResponseRedirect(self.redirect_to(obj, result))

    def error_redirect(self, obj) -> str:
        return self.redirect_to(obj, None)


class RequestActionView(ActionView):
    def get_object(self):
        return _visible_request(self.request.user, self.kwargs["pk"])[0]

    def redirect_to(self, obj, result):
        return reverse("coaching:request-detail", args=[obj.pk])


class RequestSubmitView(RequestActionView):
    def act(self, obj):
        services.request_submit(request=obj, by=self.request.user)
        messages.success(self.request, _("Your request has been sent. The intermediary will propose a coach who fits."))


class RequestCancelView(RequestActionView):
    def act(self, obj):
        form = CancelForm(self.request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        services.request_cancel(request=obj, by=self.request.user, reason=reason)
        messages.success(self.request, _("The request has been cancelled."))


class RequestRankingView(LoginRequiredMixin, TemplateView):
    """Staff: every vetted coach for the request, ranked, with each component of the score."""

    template_name = "coaching/request_ranking.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request, roles = _visible_request(self.request.user, self.kwargs["pk"])
        if "staff" not in roles:
            raise PermissionDenied
        ranking = selectors.coach_ranking(request=request)
        context.update(request=request, ranking=ranking, eligible=ranking.eligible, excluded=ranking.excluded,
                       profiles=ranking.profiles, proposals=selectors.request_proposals(request=request),
                       can_propose=request.status in (Status.OPEN, Status.PROPOSED),
                       module_title=selectors.module_title(request.module, get_language()))
        return context


class ProposalCreateView(RequestActionView):
    def act(self, obj):
        form = ProposeForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError(_("Choose a coach from the ranking."))
        coach = CoachProfile.objects.filter(pk=form.cleaned_data["coach"]).select_related("user").first()
        if coach is None:
            raise ValidationError(_("Choose a coach from the ranking."))
        services.proposal_create(request=obj, coach=coach, by=self.request.user, message=form.cleaned_data["message"])
        messages.success(self.request, _("%(name)s has been asked. You will be told when they answer.")
                         % {"name": coach.user.display_name})

    def redirect_to(self, obj, result):
        return reverse("coaching:request-ranking", args=[obj.pk])


class OfferCreateView(RequestActionView):
    def act(self, obj):
        form = OfferForm(self.request.POST)
        message = form.cleaned_data["message"] if form.is_valid() else ""
        services.offer_create(request=obj, by=self.request.user, message=message)
        messages.success(self.request, _("Your offer has been sent. The learner or the intermediary will confirm it."))


# --- Proposals -----------------------------------------------------------------------------------------

class ProposalDetailView(LoginRequiredMixin, TemplateView):
    """The coach reads a proposal (the request, without the learner's contact details) and answers."""

    template_name = "coaching/proposal_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        proposal = _visible_proposal(self.request.user, self.kwargs["pk"])
        is_coach = proposal.coach.user_id == self.request.user.id
        if not is_coach and not can_manage_request(self.request.user, proposal.request):
            raise Http404
        request = proposal.request
        context.update(proposal=proposal, request=request, is_coach=is_coach, decline_form=DeclineForm(),
                       components=_components(proposal), module_title=selectors.module_title(request.module, get_language()),
                       mission=Mission.objects.filter(proposal=proposal).first())
        return context


def _components(proposal: Proposal) -> list[dict]:
    """The stored breakdown, with labels and reasons in the reader's language."""
    from .matching import COMPONENT_LABELS, component_reason

    rows = []
    for item in (proposal.breakdown or {}).get("components", []):
        key = item.get("key")
        if key not in COMPONENT_LABELS:
            continue
        rows.append({"label": COMPONENT_LABELS[key], "weight": item.get("weight"), "points": item.get("points"),
                     "percent": round((item.get("value") or 0) * 100), "reason": component_reason(key, item.get("details") or {})})
    return rows


class ProposalActionView(ActionView):
    def get_object(self):
        return _visible_proposal(self.request.user, self.kwargs["pk"])


class ProposalAcceptView(ProposalActionView):
    def act(self, obj):
        mission = services.proposal_accept(proposal=obj, by=self.request.user)
        messages.success(self.request, _("Thank you! The mission is confirmed: the learner's contact details are on its page."))
        return mission

    def redirect_to(self, obj, result):
        if result is not None:
            return reverse("coaching:mission-detail", args=[result.pk])
        return reverse("coaching:proposal-detail", args=[obj.pk])


class OfferConfirmView(ProposalActionView):
    def act(self, obj):
        mission = services.offer_confirm(proposal=obj, by=self.request.user)
        messages.success(self.request, _("The match is confirmed. Contact details are now on the mission's page."))
        return mission

    def redirect_to(self, obj, result):
        if result is not None:
            return reverse("coaching:mission-detail", args=[result.pk])
        return reverse("coaching:request-detail", args=[obj.request_id])


class ProposalDeclineView(ProposalActionView):
    def act(self, obj):
        form = DeclineForm(self.request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        services.proposal_decline(proposal=obj, by=self.request.user, reason=reason)
        messages.success(self.request, _("Your answer has been recorded. Thank you for saying why."))

    def redirect_to(self, obj, result):
        if obj.coach.user_id == self.request.user.id:
            return reverse("coaching:proposal-detail", args=[obj.pk])
        return reverse("coaching:request-detail", args=[obj.request_id])


# --- Marketplace ------------------------------------------------------------------------------------------

class MarketplaceView(LoginRequiredMixin, TemplateView):
    template_name = "coaching/marketplace.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_coach:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["profile"] = selectors.coach_profile_get(user=self.request.user)
        context["items"] = selectors.marketplace_list(user=self.request.user)
        return context


# --- Missions ------------------------------------------------------------------------------------------------

class MissionDetailView(LoginRequiredMixin, TemplateView):
    template_name = "coaching/mission_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        mission = kwargs.get("mission") or _visible_mission(user, self.kwargs["pk"])
        request = mission.request
        side = mission_side(user, mission)
        feedback = {f.role: f for f in Feedback.objects.filter(mission=mission)}
        running = request.status in (Status.MATCHED, Status.IN_PROGRESS)
        context.update(
            mission=mission, request=request, side=side, is_staff=side is None,
            running=running, sessions=selectors.mission_sessions(mission=mission), feedback=feedback,
            learner_feedback=feedback.get(Feedback.Role.LEARNER), coach_feedback=feedback.get(Feedback.Role.COACH),
            can_give_feedback=side is not None and request.status == Status.COMPLETED and side not in feedback,
            objectives_form=kwargs.get("objectives_form") or ObjectivesForm(initial={"objectives": mission.objectives}),
            session_form=kwargs.get("session_form") or SessionForm(),
            feedback_form=kwargs.get("feedback_form") or FeedbackForm(),
            module_title=selectors.module_title(request.module, get_language()),
            contacts_visible=request.contacts_revealed,
            other_side=mission.coach.user if side == "learner" else request.learner if side == "coach" else None,
            change=selectors.diagnostic_change(mission=mission) if request.status == Status.COMPLETED else None,
            diagnostic_retaken=request.status == Status.COMPLETED and selectors.diagnostic_after(mission=mission) is not None,
        )
        context["can_agree"] = (side is not None and running and bool(mission.objectives)
                                and mission.objectives_agreed_at is None and mission.objectives_set_by_id != user.id)
        context["completion_waiting_for_me"] = (side is not None and mission.completion_requested_by_id is not None
                                                and mission.completion_requested_by_id != user.id and running)
        return context


class MissionActionView(ActionView):
    def get_object(self):
        return _visible_mission(self.request.user, self.kwargs["pk"])

    def redirect_to(self, obj, result):
        return reverse("coaching:mission-detail", args=[obj.pk])


class MissionFormView(MissionDetailView):
    """POST of one form of the mission page: valid → the service, then back to the page; invalid or refused by
    the service → the page again with the form as typed, its errors beside the fields (nothing is lost)."""

    http_method_names = ["post"]
    form_class = None
    context_name = ""

    def act(self, mission, data) -> None:
        raise NotImplementedError

    def post(self, request, pk):
        mission = _visible_mission(request.user, pk)
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                self.act(mission, form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                return redirect("coaching:mission-detail", pk=mission.pk)
        return self.render_to_response(self.get_context_data(mission=mission, **{self.context_name: form}))


class MissionObjectivesView(MissionFormView):
    form_class, context_name = ObjectivesForm, "objectives_form"

    def act(self, mission, data):
        services.mission_objectives_set(mission=mission, by=self.request.user, objectives=data["objectives"])
        messages.success(self.request, _("The objectives are saved. The other side of the mission now agrees to them."))


class MissionObjectivesAgreeView(MissionActionView):
    def act(self, obj):
        services.mission_objectives_agree(mission=obj, by=self.request.user)
        messages.success(self.request, _("You agreed to the objectives."))


class SessionCreateView(MissionFormView):
    form_class, context_name = SessionForm, "session_form"

    def act(self, mission, data):
        services.session_log(mission=mission, by=self.request.user, **data)
        messages.success(self.request, _("The session has been logged."))


class MissionCompleteView(MissionActionView):
    def act(self, obj):
        mission = services.mission_complete(mission=obj, by=self.request.user)
        if mission.completed_at:
            messages.success(self.request, _("The mission is completed. Please give your feedback below."))
        else:
            messages.success(self.request, _("Your request to close the mission has been sent. The other side confirms it."))


class MissionCompletionDeclineView(MissionActionView):
    def act(self, obj):
        services.mission_completion_decline(mission=obj, by=self.request.user)
        messages.success(self.request, _("The mission goes on."))


class MissionFollowUpView(MissionActionView):
    """After a completed scoping session or mission: a new mission, first proposed to the same coach."""

    def act(self, obj):
        follow_up = services.request_follow_up(previous=obj.request, by=self.request.user,
                                               same_coach=self.request.POST.get("same_coach", "1") != "0")
        messages.success(self.request, _("Your new request is sent. The coach is asked first; if they cannot, "
                                         "the intermediary proposes another coach.") if follow_up.preferred_coach_id else
                         _("Your new request has been sent. The intermediary will propose a coach who fits."))
        return follow_up

    def redirect_to(self, obj, result):
        if result is not None:
            return reverse("coaching:request-detail", args=[result.pk])
        return super().redirect_to(obj, result)


class FeedbackCreateView(MissionFormView):
    form_class, context_name = FeedbackForm, "feedback_form"

    def act(self, mission, data):
        services.feedback_give(mission=mission, by=self.request.user, **data)
        messages.success(self.request, _("Thank you for your feedback."))


# --- Cohort reports ------------------------------------------------------------------------------------------

class CohortReportListView(StaffOnlyMixin, TemplateView):
    template_name = "coaching/cohort_reports.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cohorts = list(selectors.cohort_list_for_staff(user=self.request.user))
        summary = selectors.cohort_coaching_summary(cohort_ids=[c.pk for c in cohorts])
        context["rows"] = [(cohort, summary[cohort.pk]) for cohort in cohorts]
        return context


class CohortReportView(StaffOnlyMixin, TemplateView):
    template_name = "coaching/cohort_report.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cohort = get_object_or_404(selectors.cohort_list_for_staff(user=self.request.user), pk=self.kwargs["pk"])
        context["cohort"] = cohort
        context["summary"] = selectors.cohort_coaching_summary(cohort_ids=[cohort.pk])[cohort.pk]
        context["rows"] = selectors.cohort_mission_rows(cohort=cohort)
        return context
