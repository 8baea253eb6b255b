"""Trainer authoring under /courses/ (the learner's catalogue and reader live in the learners app)."""
from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("", views.TrainerModuleListView.as_view(), name="trainer-modules"),
    path("new/", views.ModuleCreateView.as_view(), name="module-create"),
    path("preview/", views.PreviewView.as_view(), name="preview"),
    path("<slug:slug>/", views.ModuleDetailView.as_view(), name="module-detail"),
    path("<slug:slug>/settings/", views.ModuleSettingsView.as_view(), name="module-settings"),
    path("<slug:slug>/texts/<str:language>/", views.ModuleTranslationView.as_view(), name="module-translation"),
    path("<slug:slug>/texts/<str:language>/mark-updated/", views.ModuleTranslationMarkUpdatedView.as_view(),
         name="module-translation-mark-updated"),
    path("<slug:slug>/workflow/<str:action>/", views.ModuleWorkflowView.as_view(), name="module-workflow"),
    path("<slug:slug>/authors/", views.ModuleAuthorsView.as_view(), name="module-authors"),
    path("<slug:slug>/history/", views.ModuleHistoryView.as_view(), name="module-history"),
    path("<slug:slug>/images/", views.ModuleImagesView.as_view(), name="module-images"),
    path("<slug:slug>/lessons/new/", views.LessonCreateView.as_view(), name="lesson-create"),
    path("<slug:slug>/lessons/<slug:lesson>/", views.LessonDetailView.as_view(), name="lesson-detail"),
    path("<slug:slug>/lessons/<slug:lesson>/edit/<str:language>/", views.LessonEditView.as_view(), name="lesson-edit"),
    path("<slug:slug>/lessons/<slug:lesson>/side-by-side/", views.LessonSideBySideView.as_view(), name="lesson-side-by-side"),
    path("<slug:slug>/lessons/<slug:lesson>/mark-updated/<str:language>/", views.LessonMarkUpdatedView.as_view(),
         name="lesson-mark-updated"),
    path("<slug:slug>/lessons/<slug:lesson>/move/", views.LessonMoveView.as_view(), name="lesson-move"),
    path("<slug:slug>/lessons/<slug:lesson>/archive/", views.LessonArchiveView.as_view(), name="lesson-archive"),
    path("<slug:slug>/quiz/", views.QuizView.as_view(), name="quiz"),
    path("<slug:slug>/quiz/questions/new/", views.QuestionEditView.as_view(), name="question-create"),
    path("<slug:slug>/quiz/questions/<slug:key>/", views.QuestionEditView.as_view(), name="question-edit"),
    path("<slug:slug>/quiz/questions/<slug:key>/action/", views.QuestionActionView.as_view(), name="question-action"),
]
