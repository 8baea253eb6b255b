"""Staff pages for invitations: link and code, CSV bulk invite with its dry run and confirmation."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from ..forms import InvitationForm, InviteCsvForm, SingleInvitationForm
from ..models import CohortInvitation, CohortInviteRow
from ..selectors import invitation_get, invitation_list, invite_import_get, invite_import_rows
from ..services import (
    invitation_create,
    invitation_join_path,
    invitation_personal_send,
    invitation_revoke,
    invite_import_confirm,
    invite_import_counts,
    invite_import_create,
)
from .base import StaffCohortMixin, apply_validation_error

PERSONAL_SHOWN = 200


class InvitationsView(StaffCohortMixin, TemplateView):
    """GET: the cohort's invitations and the two ways to invite. POST: a new link and code."""

    template_name = "cohorts/invitations.html"

    def get_context_data(self, **kwargs):
        links = [
            {"invitation": invitation, "state": invitation.state(),
             "url": self.request.build_absolute_uri(invitation_join_path(invitation))}
            for invitation in invitation_list(cohort=self.cohort, kind=CohortInvitation.Kind.LINK)
        ]
        personal = invitation_list(cohort=self.cohort, kind=CohortInvitation.Kind.PERSONAL)
        return {
            **super().get_context_data(**kwargs),
            "links": links,
            "personal": [{"invitation": i, "state": i.state()} for i in personal[:PERSONAL_SHOWN]],
            "personal_count": personal.count(),
            "personal_shown": PERSONAL_SHOWN,
            "imports": self.cohort.invite_imports.exclude(filename="").order_by("-created_at")[:5],  # not single invitations
            "join_code_url": self.request.build_absolute_uri(reverse("cohorts:join-code")),
            "invitation_form": kwargs.get("invitation_form") or InvitationForm(),
            "csv_form": kwargs.get("csv_form") or InviteCsvForm(),
            "single_form": kwargs.get("single_form") or SingleInvitationForm(initial={"language": self.cohort.language}),
        }

    def post(self, request, pk):
        form = InvitationForm(request.POST)
        if form.is_valid():
            try:
                invitation_create(cohort=self.cohort, created_by=request.user, expires_at=form.expires_at(),
                                  max_uses=form.cleaned_data["max_uses"], label=form.cleaned_data["label"])
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("A new invitation link and code have been created: share them with the learners."))
                return HttpResponseRedirect(reverse("cohorts:invitations", kwargs={"pk": pk}))
        return self.render_to_response(self.get_context_data(invitation_form=form))


class InvitationRevokeView(StaffCohortMixin, View):
    def post(self, request, pk, invitation_id):
        invitation_revoke(invitation=invitation_get(cohort=self.cohort, pk=invitation_id))
        messages.success(request, _("The invitation has been withdrawn: nobody can join with it any more."))
        return HttpResponseRedirect(reverse("cohorts:invitations", kwargs={"pk": pk}))


class InviteSingleView(InvitationsView):
    """POST one address and a language: the CSV path for one person. The answer is the same whether the address has an
    account or not."""

    def get(self, request, pk):
        return HttpResponseRedirect(reverse("cohorts:invitations", kwargs={"pk": pk}))

    def post(self, request, pk):
        form = SingleInvitationForm(request.POST)
        if form.is_valid():
            email = form.cleaned_data["email"].strip().lower()
            try:
                row = invitation_personal_send(cohort=self.cohort, created_by=request.user, email=email,
                                               language=form.cleaned_data["language"],
                                               display_name=form.cleaned_data["display_name"])
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                if row.action == CohortInviteRow.Action.ALREADY_MEMBER:
                    messages.info(request, _("%(email)s is already a member of this cohort: no invitation was sent.")
                                  % {"email": email})
                else:
                    messages.success(request, _("An invitation is being sent to %(email)s.") % {"email": email})
                return HttpResponseRedirect(reverse("cohorts:invitations", kwargs={"pk": pk}))
        return self.render_to_response(self.get_context_data(single_form=form))


class InviteCsvUploadView(InvitationsView):
    """POST a CSV file: it is checked (the dry run) and nothing is sent until staff confirm."""

    def get(self, request, pk):
        return HttpResponseRedirect(reverse("cohorts:invitations", kwargs={"pk": pk}))

    def post(self, request, pk):
        form = InviteCsvForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                batch = invite_import_create(cohort=self.cohort, created_by=request.user, data=upload.read(),
                                             filename=upload.name, encoding=form.cleaned_data["encoding"])
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                return HttpResponseRedirect(reverse("cohorts:invite-import", kwargs={"pk": pk, "import_id": batch.pk}))
        return self.render_to_response(self.get_context_data(csv_form=form))


class InviteImportView(StaffCohortMixin, TemplateView):
    """GET: the dry run, row by row. POST: send the invitations of the good rows."""

    template_name = "cohorts/invite_import.html"

    def get_context_data(self, **kwargs):
        batch = invite_import_get(cohort=self.cohort, pk=self.kwargs["import_id"])
        rows = invite_import_rows(batch=batch)
        counts = invite_import_counts(batch)
        return {**super().get_context_data(**kwargs), "batch": batch, "rows": rows, "counts": counts,
                "errors": [row for row in rows if row["action"] == "error"]}

    def post(self, request, pk, import_id):
        batch = invite_import_get(cohort=self.cohort, pk=import_id)
        result = invite_import_confirm(batch=batch, confirmed_by=request.user)
        if result["already_confirmed"]:
            messages.info(request, _("These invitations had already been sent; nothing was sent twice."))
        else:
            messages.success(request, ngettext("%(count)d invitation is being sent.", "%(count)d invitations are being sent.",
                                               result["sent"]) % {"count": result["sent"]})
        return HttpResponseRedirect(reverse("cohorts:invitations", kwargs={"pk": pk}))
