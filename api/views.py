"""Account endpoints: the current user's profile."""
from drf_spectacular.utils import extend_schema
from rest_framework import generics

from accounts.services import user_profile_update

from .serializers import MeSerializer


@extend_schema(tags=["accounts"])
class MeView(generics.RetrieveUpdateAPIView):
    """The logged-in user's own profile."""

    serializer_class = MeSerializer

    def get_object(self):
        return self.request.user

    def perform_update(self, serializer):
        serializer.instance = user_profile_update(user=self.request.user, data=dict(serializer.validated_data))
