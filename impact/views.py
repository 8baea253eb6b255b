"""Impact pages: an intermediary's overview of its cohorts, networks (aggregates only), impact reports."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from accounts.models import Intermediary
from cohorts.models import CohortModule
from cohorts.selectors.dashboard import title_pick
from cohorts.views.base import apply_validation_error
from courses.models import ModuleTranslation

from . import permissions, services
from .charts import month_columns
from .forms import NetworkInviteForm, PeriodForm
from .models import Network, NetworkMembership
from .selectors.network import network_view
from .selectors.overview import intermediary_overview


def module_choices(*, intermediary_ids: list[int], language: str) -> list[tuple[int, str]]:
    """Every module of these intermediaries' cohorts, for the filter (two queries)."""
    rows = list(CohortModule.objects.filter(cohort__intermediary_id__in=intermediary_ids).order_by("module_id")
                .values_list("module_id", "module__slug", "module__source_language").distinct())
    titles: dict[int, dict] = {}
    for mid, lang, title in ModuleTranslation.objects.filter(module_id__in=[r[0] for r in rows]).values_list(
            "module_id", "language", "title"):
        titles.setdefault(mid, {})[lang] = title
    return sorted(((mid, title_pick(titles.get(mid, {}), language, source, slug)) for mid, slug, source in rows),
                  key=lambda item: item[1].casefold())


def month_chart(months: list[dict], chart_id: str):
    return month_columns([(date_format(m["month"], "m/Y"), m["completed"], m["certificates"]) for m in months],
                         first_label=_("Modules completed"), second_label=_("Certificates"), chart_id=chart_id,
                         title=_("Modules completed and certificates issued, by month"))


class ImpactHomeView(LoginRequiredMixin, TemplateView):
    template_name = "impact/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return {**super().get_context_data(**kwargs), "intermediaries": list(permissions.intermediaries_for(user)),
                "networks": list(permissions.networks_for(user))}


class IntermediaryOverviewView(LoginRequiredMixin, TemplateView):
    """All the cohorts of an intermediary side by side; staff of that intermediary only (404 otherwise)."""

    template_name = "impact/intermediary_overview.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.can_view_intermediary(request.user, kwargs["pk"]):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        intermediary = get_object_or_404(Intermediary, pk=self.kwargs["pk"])
        language = self.request.LANGUAGE_CODE
        form = PeriodForm(self.request.GET or None, modules=module_choices(intermediary_ids=[intermediary.pk], language=language))
        period, module_id = form.period_and_module()
        overview = intermediary_overview(intermediary=intermediary, period=period, module_id=module_id, language=language)
        return {**super().get_context_data(**kwargs), "intermediary": intermediary, "form": form, "overview": overview,
                "chart": month_chart(overview.months, "months")}


class NetworkStaffMixin(LoginRequiredMixin):
    """Loads self.network for its staff; 404 for anybody else."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if not permissions.can_view_network(request.user, kwargs["pk"]):
                raise Http404
            self.network = get_object_or_404(Network, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class NetworkOverviewView(NetworkStaffMixin, TemplateView):
    """The accepted intermediaries side by side: aggregates only, small cells suppressed."""

    template_name = "impact/network_overview.html"

    def get_context_data(self, **kwargs):
        language = self.request.LANGUAGE_CODE
        ids = permissions.network_intermediary_ids(self.network.pk)
        form = PeriodForm(self.request.GET or None, modules=module_choices(intermediary_ids=ids, language=language))
        period, module_id = form.period_and_module()
        view = network_view(network=self.network, period=period, module_id=module_id, language=language)
        chart = month_columns([(date_format(m["month"], "m/Y"), m["completed"], m["certificates"]) for m in view.months],
                              first_label=_("Modules completed"), second_label=_("Certificates"), chart_id="months",
                              title=_("Modules completed and certificates issued, by month"))
        return {**super().get_context_data(**kwargs), "network": self.network, "form": form, "view": view,
                "overview": view, "k": view.min_group_size, "chart": chart,
                "can_invite": permissions.can_invite_to_network(self.request.user, self.network.pk)}


class NetworkMembersView(NetworkStaffMixin, TemplateView):
    """The intermediaries invited to the network and where each invitation stands; managers invite."""

    template_name = "impact/network_members.html"

    def get_context_data(self, **kwargs):
        links = NetworkMembership.objects.filter(network=self.network).select_related("intermediary").order_by(
            "intermediary__name")
        return {**super().get_context_data(**kwargs), "network": self.network, "links": links,
                "form": kwargs.get("form") or NetworkInviteForm(),
                "can_invite": permissions.can_invite_to_network(self.request.user, self.network.pk)}

    def post(self, request, *args, **kwargs):
        if not permissions.can_invite_to_network(request.user, self.network.pk):
            raise Http404
        form = NetworkInviteForm(request.POST)
        if form.is_valid():
            try:
                services.network_invite(network=self.network, slug=form.cleaned_data["intermediary"], by=request.user,
                                        message=form.cleaned_data["message"])
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The invitation is sent. The intermediary's managers will accept or decline it."))
                return redirect("impact:network-members", pk=self.network.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class IntermediaryNetworksView(LoginRequiredMixin, TemplateView):
    """An intermediary's networks: its managers accept or decline invitations and withdraw memberships."""

    template_name = "impact/intermediary_networks.html"
    actions = {"accept": services.network_membership_accept, "decline": services.network_membership_decline,
               "withdraw": services.network_membership_withdraw}

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if not permissions.can_view_intermediary(request.user, kwargs["pk"]):
                raise Http404
            self.intermediary = get_object_or_404(Intermediary, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        links = NetworkMembership.objects.filter(intermediary=self.intermediary).select_related("network").order_by("network__name")
        return {**super().get_context_data(**kwargs), "intermediary": self.intermediary, "links": links,
                "can_answer": permissions.can_manage_intermediary_networks(self.request.user, self.intermediary.pk)}

    def post(self, request, *args, **kwargs):
        action = self.actions.get(request.POST.get("action", ""))
        link_id = request.POST.get("link", "")
        link = NetworkMembership.objects.filter(intermediary=self.intermediary, pk=int(link_id)).first() \
            if link_id.isdigit() and len(link_id) < 12 else None
        if action is None or link is None:
            messages.error(request, _("This invitation no longer exists. Reload the page."))
            return redirect("impact:intermediary-networks", pk=self.intermediary.pk)
        try:
            action(link=link, by=request.user)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Done: the network's access follows your answer from now on."))
        return redirect("impact:intermediary-networks", pk=self.intermediary.pk)
