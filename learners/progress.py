"""The one rule that turns "done of total" into a percentage, used wherever a percentage of progress is
shown or stored: the enrolment's stored percent (learner pages, the API, the export), a cohort member's
average over the cohort's modules, the cohort pages. Imports nothing, so every app can use it."""

__all__ = ["progress_percent"]


def progress_percent(done: int, total: int) -> int:
    """Nearest whole percent, halves rounded up (1 of 6 → 17, 2 of 6 → 33, 5 of 6 → 83); never 0 once
    something is done and never 100 before everything is (199 of 200 → 99)."""
    if total <= 0:
        return 0
    done = max(0, min(done, total))
    value = (200 * done + total) // (2 * total)
    if done and value == 0:
        return 1
    if done < total and value == 100:
        return 99
    return value
