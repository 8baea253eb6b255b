"""What every staff page of a cohort shares: log-in, the cohort loaded with its permission check."""
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError

from ..selectors import cohort_get_for_staff


class StaffCohortMixin:
    """Loads self.cohort for staff of its intermediary; 404 for anybody else (learners included)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.cohort = cohort_get_for_staff(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "cohort": self.cohort}


def apply_validation_error(form, error: ValidationError) -> None:
    """Attach a service's ValidationError to the form fields it names (or to the whole form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")
