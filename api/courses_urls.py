"""/api/v1/ curriculum endpoints (see api/courses.py)."""
from django.urls import path

from . import courses as views

urlpatterns = [
    path("modules/", views.ModuleListView.as_view(), name="module-list"),
    path("modules/<slug:slug>/", views.ModuleDetailView.as_view(), name="module-detail"),
    path("modules/<slug:slug>/translations/<str:language>/", views.ModuleTranslationView.as_view(), name="module-translation"),
    path("modules/<slug:slug>/translations/<str:language>/mark-updated/", views.ModuleTranslationMarkUpdatedView.as_view(),
         name="module-translation-mark-updated"),
    path("modules/<slug:slug>/completeness/", views.ModuleCompletenessView.as_view(), name="module-completeness"),
    path("modules/<slug:slug>/history/", views.ModuleHistoryView.as_view(), name="module-history"),
    path("modules/<slug:slug>/lessons/reorder/", views.LessonReorderView.as_view(), name="module-lessons-reorder"),
    path("modules/<slug:slug>/quiz/", views.QuizView.as_view(), name="module-quiz"),
    path("modules/<slug:slug>/quiz/questions/", views.QuestionCreateView.as_view(), name="module-quiz-questions"),
    *[path(f"modules/<slug:slug>/{action}/", views.ModuleWorkflowView.as_view(action_name=action), name=f"module-{action}")
      for action in views.WORKFLOW],
    path("questions/<id:pk>/", views.QuestionDetailView.as_view(), name="question-detail"),
    path("lessons/", views.LessonListView.as_view(), name="lesson-list"),
    path("lessons/<id:pk>/", views.LessonDetailView.as_view(), name="lesson-detail"),
    path("lessons/<id:pk>/translations/<str:language>/", views.LessonTranslationView.as_view(), name="lesson-translation"),
    path("lessons/<id:pk>/translations/<str:language>/mark-updated/", views.LessonTranslationMarkUpdatedView.as_view(),
         name="lesson-translation-mark-updated"),
    path("lessons/<id:pk>/archive/", views.LessonArchiveView.as_view(), name="lesson-archive"),
    path("lessons/<id:pk>/restore/", views.LessonArchiveView.as_view(restore=True), name="lesson-restore"),
]
