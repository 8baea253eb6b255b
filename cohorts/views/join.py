"""Learner pages: join a cohort by link or code (creating an account if needed), leave a cohort."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from accounts.models import User

from ..forms import JoinCodeForm, JoinSignupForm
from ..join_limit import join_code_blocked, join_code_failed
from ..models import CohortInvitation, CohortMembership
from ..selectors import cohort_module_columns, invitation_by_code, invitation_by_token, membership_get_for_learner
from ..services import cohort_join, cohort_join_new_user, cohort_leave
from .base import apply_validation_error, client_ip


def after_join_url() -> str:
    try:
        return reverse("learners:dashboard")
    except NoReverseMatch:
        return reverse("cohorts:list")


def joined_message(cohort) -> str:
    return _("Welcome to the cohort “%(cohort)s”. Its facilitators now see your progress in its modules.") % {"cohort": cohort.name}


class JoinCodeView(FormView):
    """Type the short code given on paper or in a message."""

    template_name = "cohorts/join_code.html"
    form_class = JoinCodeForm

    def get_initial(self):
        return {"code": self.request.GET.get("code", "")}

    def form_valid(self, form):
        ip = client_ip(self.request)
        if join_code_blocked(ip=ip, user=self.request.user):
            form.add_error("code", _("Too many wrong codes from this connection. Wait a quarter of an hour, then try again."))
            return self.form_invalid(form)
        invitation = invitation_by_code(code=form.cleaned_data["code"])
        if invitation is None:
            join_code_failed(ip=ip, user=self.request.user)
            form.add_error("code", _("No cohort has this code. Check the code (8 letters and digits) and try again."))
            return self.form_invalid(form)
        return HttpResponseRedirect(reverse("cohorts:join", kwargs={"token": invitation.token}))


class JoinView(TemplateView):
    """What the cohort is, who will see the learner's progress, then: join (logged in) or create an account and join."""

    template_name = "cohorts/join.html"

    def dispatch(self, request, *args, **kwargs):
        self.invitation = invitation_by_token(token=kwargs["token"])
        return super().dispatch(request, *args, **kwargs)

    def _personal_email(self) -> str:
        return self.invitation.email if self.invitation.kind == CohortInvitation.Kind.PERSONAL else ""

    def get_context_data(self, **kwargs):
        invitation, user = self.invitation, self.request.user
        cohort = invitation.cohort
        membership = None
        if user.is_authenticated:
            membership = CohortMembership.objects.filter(cohort=cohort, user=user, status=CohortMembership.Status.ACTIVE).first()
        personal_email = self._personal_email()
        has_account = bool(personal_email) and User.objects.filter(email__iexact=personal_email).exists()
        form = kwargs.get("form")
        if form is None and not user.is_authenticated:
            form = JoinSignupForm(fixed_email=personal_email, initial={
                "display_name": invitation.display_name, "association_name": invitation.association_name,
                "preferred_language": invitation.language or self.request.LANGUAGE_CODE,
                "association_country": cohort.intermediary.country})
        return {
            **super().get_context_data(**kwargs),
            "invitation": invitation,
            "cohort": cohort,
            "state": invitation.state(),
            "facilitators": [f.display_name for f in cohort.facilitators.all()],
            "modules": cohort_module_columns(cohort_id=cohort.pk),
            "membership": membership,
            "form": form,
            "has_account": has_account,
            "wrong_account": user.is_authenticated and bool(personal_email) and user.email.lower() != personal_email.lower(),
            "login_url": f"{reverse('accounts:login')}?next={self.request.path}",
        }

    def post(self, request, token):
        if request.user.is_authenticated:
            try:
                _membership, created = cohort_join(invitation=self.invitation, user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return HttpResponseRedirect(request.path)
            if created:
                messages.success(request, joined_message(self.invitation.cohort))
            return HttpResponseRedirect(after_join_url())
        form = JoinSignupForm(request.POST, fixed_email=self._personal_email())
        if form.is_valid():
            try:
                user, _membership = cohort_join_new_user(invitation=self.invitation, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                login(request, user, backend="accounts.backends.UserBackend")
                messages.success(request, joined_message(self.invitation.cohort))
                return HttpResponseRedirect(after_join_url())
        return self.render_to_response(self.get_context_data(form=form))


class LeaveView(LoginRequiredMixin, View):
    """A learner leaves one of their cohorts; their progress stays theirs."""

    def post(self, request, membership_id):
        membership = membership_get_for_learner(user=request.user, pk=membership_id)
        cohort_leave(membership=membership)
        messages.success(request, _("You have left the cohort “%(cohort)s”. Your progress is kept; its facilitators no longer see it.")
                         % {"cohort": membership.cohort.name})
        return HttpResponseRedirect(reverse("cohorts:list"))
