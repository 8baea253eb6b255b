"""The public certificate check at /verify/<code> (included from config/urls.py, namespace "verify")."""
from django.urls import re_path

from . import views

app_name = "verify"

urlpatterns = [
    # With or without the final slash, any letter case: the address is printed on certificates and typed by hand.
    re_path(r"^(?P<code>[A-Za-z0-9-]{1,40})/?$", views.VerifyView.as_view(), name="certificate"),
]
