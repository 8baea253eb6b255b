"""/api/v1/ endpoints of the learner's own data (api/learners.py)."""
from django.urls import path

from . import learners as views

urlpatterns = [
    path("enrollments/", views.EnrollmentListCreateView.as_view(), name="enrollment-list"),
    path("enrollments/<id:pk>/", views.EnrollmentDetailView.as_view(), name="enrollment-detail"),
    path("enrollments/<id:pk>/leave/", views.EnrollmentLeaveView.as_view(), name="enrollment-leave"),
    path("enrollments/<id:pk>/language/", views.EnrollmentLanguageView.as_view(), name="enrollment-language"),
    path("progress/", views.ProgressView.as_view(), name="progress"),
    path("progress/batch/", views.ProgressBatchView.as_view(), name="progress-batch"),
    path("quizzes/<slug:module>/", views.QuizView.as_view(), name="quiz"),
    path("quizzes/<slug:module>/attempts/", views.QuizAttemptCreateView.as_view(), name="quiz-attempt-create"),
    path("offline/modules/<slug:module>/", views.OfflinePackageView.as_view(), name="offline-package"),
    path("quiz-attempts/", views.QuizAttemptListView.as_view(), name="quiz-attempt-list"),
    path("quiz-attempts/<id:pk>/", views.QuizAttemptDetailView.as_view(), name="quiz-attempt-detail"),
    path("certificates/", views.CertificateListView.as_view(), name="certificate-list"),
    path("certificates/<str:code>/", views.CertificateDetailView.as_view(), name="certificate-detail"),
    path("diagnostic/", views.DiagnosticQuestionnaireView.as_view(), name="diagnostic"),
    path("diagnostic/responses/", views.DiagnosticResponseListCreateView.as_view(), name="diagnostic-response-list"),
    path("diagnostic/responses/<id:pk>/", views.DiagnosticResponseDetailView.as_view(), name="diagnostic-response-detail"),
]
