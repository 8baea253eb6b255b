"""Staff pages: the cohort list, creating and editing a cohort, the dashboard and its drill-downs, reminders."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import FormView, TemplateView

from accounts.models import User
from core.audit import record
from learners.progress import progress_percent

from .. import charts
from ..forms import CohortForm, MatrixFilterForm, ReminderForm, published_modules
from ..permissions import can_create_cohort
from ..selectors import (
    STALLED,
    STATUS_LABELS,
    cohort_learner_detail,
    cohort_list_for_staff,
    cohort_matrix_page,
    cohort_member_get,
    cohort_module_columns,
    cohort_module_report,
    cohort_summary,
    membership_list_for_learner,
    reminder_list,
)
from ..services import cohort_create, cohort_leave, cohort_update, reminder_send_now
from .base import StaffCohortMixin, apply_validation_error

PAGE_SIZE = 50


class CohortListView(LoginRequiredMixin, TemplateView):
    """Staff: the cohorts of their organisation(s). Learners: the cohorts they belong to."""

    template_name = "cohorts/cohort_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        is_staff = user.is_superuser or user.is_intermediary_staff
        return {
            **super().get_context_data(**kwargs),
            "cohorts": cohort_list_for_staff(user=user) if is_staff else [],
            "is_staff": is_staff,
            "can_create": can_create_cohort(user),
            "memberships": membership_list_for_learner(user=user),
        }


class CohortCreateView(LoginRequiredMixin, FormView):
    template_name = "cohorts/cohort_form.html"
    form_class = CohortForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_create_cohort(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "modules": published_modules()}

    def get_initial(self):
        # The creator usually runs the cohort: pre-ticked as facilitator (untick to leave it to colleagues).
        return {"language": self.request.LANGUAGE_CODE, "facilitators": [self.request.user.pk]}

    def form_valid(self, form):
        try:
            cohort = cohort_create(intermediary=form.cleaned_data["intermediary"], created_by=self.request.user,
                                   modules=form.assignments(), facilitators=list(form.cleaned_data["facilitators"]),
                                   **form.cohort_data())
        except PermissionDenied as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The cohort has been created. Now invite its learners."))
        return HttpResponseRedirect(reverse("cohorts:invitations", kwargs={"pk": cohort.pk}))


class CohortUpdateView(StaffCohortMixin, FormView):
    template_name = "cohorts/cohort_form.html"
    form_class = CohortForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "modules": published_modules(), "cohort": self.cohort}

    def get_initial(self):
        cohort = self.cohort
        return {"name": cohort.name, "description": cohort.description, "language": cohort.language,
                "starts_on": cohort.starts_on, "ends_on": cohort.ends_on, "stalled_after_days": cohort.stalled_after_days,
                "facilitators": list(cohort.facilitators.all())}

    def form_valid(self, form):
        try:
            cohort_update(cohort=self.cohort, data=form.cohort_data(), modules=form.assignments(),
                          facilitators=list(form.cleaned_data["facilitators"]))
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The cohort has been saved."))
        return HttpResponseRedirect(reverse("cohorts:dashboard", kwargs={"pk": self.cohort.pk}))


def _sort_links(request, current: str, descending: bool, keys: list[str]) -> dict[str, dict]:
    """For each sortable column: the URL that sorts by it (toggling the direction) and its aria-sort."""
    links = {}
    for key in keys:
        params = request.GET.copy()
        params.pop("page", None)
        active = key == current
        params["sort"] = key
        params["dir"] = "asc" if active and descending else ("desc" if active else "asc")
        links[key.replace("-", "_")] = {
            "url": "?" + params.urlencode(),
            "aria": ("descending" if descending else "ascending") if active else "none",
            "arrow": ("↓" if descending else "↑") if active else "",
        }
    return links


class CohortDashboardView(StaffCohortMixin, TemplateView):
    template_name = "cohorts/dashboard.html"

    def get_context_data(self, **kwargs):
        cohort = self.cohort
        modules = cohort_module_columns(cohort_id=cohort.pk)
        summary = cohort_summary(cohort=cohort, modules=modules)
        filter_form = MatrixFilterForm(self.request.GET or None)
        filter_form.fields["days"].widget.attrs["placeholder"] = str(cohort.stalled_after_days)
        filters = filter_form.filters()
        try:
            number = int(self.request.GET.get("page", 1))
        except ValueError:
            number = 1
        page = cohort_matrix_page(cohort=cohort, modules=modules, summary=summary, page=number, page_size=PAGE_SIZE, **filters)
        params = self.request.GET.copy()
        params.pop("page", None)
        status_chart = charts.status_bars(
            [charts.StatusBar(label=m.title, counts=summary.status_by_module[m.id]) for m in modules],
            chart_id="status-chart", title=_("Where the learners are, module by module"))
        diagnostic = summary.diagnostic
        module_lines = [
            {"module": m, "counts": summary.status_by_module[m.id], "completed": summary.completed_by_module[m.id]}
            for m in modules
        ]
        sort_links = _sort_links(self.request, filters["sort"], filters["descending"],
                                 ["name", "association", "activity", "percent", "status"] + [f"module-{m.id}" for m in modules])
        return {
            **super().get_context_data(**kwargs),
            "stalled_after_days": cohort.stalled_after_days,
            # One reverse() for the 50 learner links of the page.
            "learner_url": reverse("cohorts:learner", kwargs={"pk": cohort.pk, "user_id": 0}).removesuffix("0/"),
            "module_headers": [{"module": m, "sort": sort_links[f"module_{m.id}"]} for m in modules],
            "summary": summary,
            "modules": modules,
            "module_lines": module_lines,
            "status_labels": STATUS_LABELS,
            "status_chart": status_chart,
            "diagnostic_chart": charts.diagnostic_chart(at_joining=diagnostic.average_at_joining, now=diagnostic.average_now)
            if diagnostic else None,
            "filter_form": filter_form,
            "filters": filters,
            "filtered": bool(filters["status"] or filters["query"]),
            "page": page,
            "page_query": params.urlencode(),
            "rows_count": page.count,
            "sort_links": sort_links,
            "stalled_key": STALLED,
        }


class LearnerDetailView(StaffCohortMixin, TemplateView):
    """One learner's progress, limited to the cohort's modules."""

    template_name = "cohorts/learner_detail.html"

    def get_context_data(self, **kwargs):
        detail = cohort_learner_detail(cohort=self.cohort, user_id=self.kwargs["user_id"])
        record(self.request.user, "learner-drilldown", (User, detail.user_id), cohort=self.cohort.pk)
        return {**super().get_context_data(**kwargs), "detail": detail}


class MemberRemoveView(StaffCohortMixin, View):
    def post(self, request, pk, user_id):
        membership = cohort_member_get(cohort=self.cohort, user_id=user_id)
        cohort_leave(membership=membership)
        messages.success(request, _("%(name)s is no longer in this cohort. Their own progress is kept.")
                         % {"name": membership.user.display_name})
        return HttpResponseRedirect(reverse("cohorts:dashboard", kwargs={"pk": pk}))


class ModuleReportView(StaffCohortMixin, TemplateView):
    """Per module: how many learners reached each lesson, and how they answered each question."""

    template_name = "cohorts/module_report.html"

    def get_context_data(self, **kwargs):
        report = cohort_module_report(cohort=self.cohort, module_id=self.kwargs["module_id"])
        base = report.learners or 1
        lesson_chart = charts.horizontal_bars(
            [charts.Bar(label=f"{lesson.position}. {lesson.title}", value=lesson.reached,
                        caption=f"{lesson.reached} ({progress_percent(lesson.reached, base)} %)") for lesson in report.lessons],
            maximum=report.learners, chart_id="dropoff-chart", title=_("Learners who reached each lesson"))
        question_chart = charts.paired_bars(
            [charts.PairedBar(label=f"{q.position}. {q.text}", first=q.first_percent, second=q.percent) for q in report.questions],
            first_label=_("Correct at the first attempt"), second_label=_("Correct over all attempts"),
            chart_id="questions-chart", title=_("Quiz results per question")) if report.questions else None
        lessons = [{"lesson": lesson, "percent": progress_percent(lesson.reached, base),
                    "completed_percent": progress_percent(lesson.completed, base)} for lesson in report.lessons]
        return {**super().get_context_data(**kwargs), "report": report, "lessons": lessons, "lesson_chart": lesson_chart,
                "question_chart": question_chart}


class RemindersView(StaffCohortMixin, TemplateView):
    """GET: reminders sent lately. POST: send a reminder now to the selected learners."""

    template_name = "cohorts/reminders.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "reminders": reminder_list(cohort=self.cohort)[:200]}

    def post(self, request, pk):
        form = ReminderForm(request.POST)
        back = request.POST.get("next", "")
        target = back if back.startswith(reverse("cohorts:dashboard", kwargs={"pk": pk})) else reverse(
            "cohorts:dashboard", kwargs={"pk": pk})
        if not form.is_valid():
            messages.error(request, _("Select at least one learner to remind (tick the boxes in the table)."))
            return HttpResponseRedirect(target)
        result = reminder_send_now(cohort=self.cohort, user_ids=form.cleaned_data["learners"], sent_by=request.user)
        if result.sent:
            messages.success(request, ngettext("A reminder is on its way to %(count)d learner.",
                                               "Reminders are on their way to %(count)d learners.", len(result.sent))
                             % {"count": len(result.sent)})
        if result.reminders_off:
            messages.warning(request, ngettext(
                "%(count)d learner turned reminders off: no email was sent to them.",
                "%(count)d learners turned reminders off: no email was sent to them.", len(result.reminders_off))
                % {"count": len(result.reminders_off)})
        if result.recently_reminded:
            messages.warning(request, ngettext(
                "%(count)d learner already received a reminder in the last 24 hours: none was sent again.",
                "%(count)d learners already received a reminder in the last 24 hours: none was sent again.",
                len(result.recently_reminded)) % {"count": len(result.recently_reminded)})
        return HttpResponseRedirect(target)
