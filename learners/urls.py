"""Learner pages under /learn/. Fixed paths come before the <module>/<lesson>/ reader so that a module
slug never shadows them; lessons' HTML links to /learn/<module-slug>/<lesson-slug>/."""
from django.urls import path, re_path
from django.views.generic import RedirectView

from . import views

app_name = "learners"

urlpatterns = [
    path("", views.CatalogueView.as_view(), name="catalogue"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("diagnostic/", views.DiagnosticView.as_view(), name="diagnostic"),
    path("offline/", views.OfflinePageView.as_view(), name="offline"),
    # The certificate page and the public check belong to the credentials app (above learners in the
    # import order): these names point there, so learners' templates link without importing it.
    path("certificates/<str:code>/", RedirectView.as_view(pattern_name="credentials:certificate", query_string=True),
         name="certificate"),
    path("verify/<str:code>/", RedirectView.as_view(pattern_name="verify:certificate", permanent=True), name="certificate-verify"),
    path("<slug:module>/", views.ModuleDetailView.as_view(), name="module-detail"),
    path("<slug:module>/enrol/", views.EnrolView.as_view(), name="enrol"),
    path("<slug:module>/leave/", views.LeaveView.as_view(), name="leave"),
    path("<slug:module>/language/", views.LanguageSetView.as_view(), name="language-set"),
    path("<slug:module>/quiz/", views.QuizView.as_view(), name="quiz"),
    path("<slug:module>/quiz/attempts/<int:pk>/", views.QuizResultView.as_view(), name="quiz-result"),
    path("<slug:module>/results/", views.ModuleResultsView.as_view(), name="module-results"),
    path("<slug:module>/completed/", views.ModuleCompletedView.as_view(), name="module-completed"),
    # A template file: /learn/<module>/templates/<key>.<language>.<format> (courses.rendering.TEMPLATE_DOWNLOAD_PATH).
    re_path(r"^(?P<module>[-a-zA-Z0-9_]+)/templates/(?P<key>[a-z0-9]+(?:-[a-z0-9]+)*)\.(?P<language>[a-z]+(?:-[a-z]+)?)"
            r"\.(?P<extension>[a-z]{3,4})$", views.TemplateDownloadView.as_view(), name="template-download"),
    path("<slug:module>/<slug:lesson>/", views.LessonView.as_view(), name="lesson"),
    path("<slug:module>/<slug:lesson>/done/", views.LessonDoneView.as_view(), name="lesson-done"),
]
