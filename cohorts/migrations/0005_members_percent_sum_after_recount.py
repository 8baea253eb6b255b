"""The members' stored sum of module percents follows the enrolments' recounted percents
(learners 0003): sum again, per active membership, over the cohort's modules."""
from django.db import migrations


def resum(apps, schema_editor):
    CohortMembership = apps.get_model("cohorts", "CohortMembership")
    CohortModule = apps.get_model("cohorts", "CohortModule")
    Enrollment = apps.get_model("learners", "Enrollment")
    modules: dict[int, set[int]] = {}
    for cohort_id, module_id in CohortModule.objects.values_list("cohort_id", "module_id"):
        modules.setdefault(cohort_id, set()).add(module_id)
    percents: dict[int, dict[int, int]] = {}
    for user_id, module_id, percent in Enrollment.objects.values_list("user_id", "module_id", "percent").iterator():
        percents.setdefault(user_id, {})[module_id] = percent
    for pk, cohort_id, user_id, stored in CohortMembership.objects.filter(status="active").values_list(
            "pk", "cohort_id", "user_id", "percent_sum").iterator():
        mine = percents.get(user_id, {})
        total = sum(mine.get(module_id, 0) for module_id in modules.get(cohort_id, ()))
        if total != stored:
            CohortMembership.objects.filter(pk=pk).update(percent_sum=total)


class Migration(migrations.Migration):
    dependencies = [("cohorts", "0004_merge_export_heartbeat_and_stored_aggregates"),
                    ("learners", "0003_recount_percent_with_one_rounding_rule")]
    operations = [migrations.RunPython(resum, migrations.RunPython.noop)]
