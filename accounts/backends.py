"""Log-in by email (Django's ModelBackend) that reads, with the user of each request, whether they
are staff of an intermediary: the navigation asks on every page, and this saves that query."""
from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef

from .models import IntermediaryStaff, User


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        user = (User._default_manager.annotate(staff_flag=Exists(IntermediaryStaff.objects.filter(user_id=OuterRef("pk"))))
                .filter(pk=user_id).first())
        if user is None or not self.user_can_authenticate(user):
            return None
        user._is_intermediary_staff = user.staff_flag
        return user
