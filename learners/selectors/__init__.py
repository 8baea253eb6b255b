"""Every read the learner pages and the API need (re-exported from the submodules)."""
from .catalogue import (
    LENGTHS,
    LessonPage,
    ModuleCard,
    ModulePage,
    catalogue_list,
    lesson_for_progress,
    lesson_page,
    module_and_enrollment,
    module_cards,
    module_get_readable,
    module_next_recommended,
    module_page,
    other_language,
    published_modules,
)
from .common import content_language, language_choices, language_name, module_outline, module_outlines, module_texts, resume_urls
from .dashboard import (
    certificate_list,
    dashboard_for_learner,
    enrollment_for_module,
    enrollment_get,
    enrollment_list,
    modules_recommended,
)
from .diagnostic import (
    diagnostic_current,
    diagnostic_history,
    diagnostic_latest,
    diagnostic_questionnaire,
    diagnostic_response_get,
    diagnostic_result_get,
    weakest_area_module_ids,
)
from .offline import OfflinePackage, offline_enrollment_get, offline_package
from .quiz import quiz_attempt_get, quiz_attempt_list, quiz_attempt_result, quiz_for_learner, quiz_get
from .results import module_results

__all__ = [
    "LENGTHS", "LessonPage", "ModuleCard", "ModulePage", "catalogue_list", "certificate_list", "content_language",
    "dashboard_for_learner", "diagnostic_current", "diagnostic_history", "diagnostic_latest",
    "diagnostic_questionnaire", "diagnostic_response_get", "diagnostic_result_get", "enrollment_for_module",
    "enrollment_get", "enrollment_list", "language_choices", "language_name", "lesson_for_progress", "lesson_page",
    "module_and_enrollment", "module_cards", "module_get_readable", "module_next_recommended", "module_outline",
    "module_outlines", "module_page", "module_results", "module_texts", "modules_recommended",
    "OfflinePackage", "offline_enrollment_get", "offline_package", "other_language",
    "published_modules", "quiz_attempt_get", "quiz_attempt_list", "quiz_attempt_result", "quiz_for_learner",
    "quiz_get", "resume_urls", "weakest_area_module_ids",
]
