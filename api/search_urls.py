"""/api/v1/search/ (api/search.py)."""
from django.urls import path

from . import search as views

urlpatterns = [
    path("search/", views.SearchView.as_view(), name="search"),
]
