"""The Celery application: tasks are autodiscovered in every installed app's tasks.py."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# The Django task class gives every task .delay_on_commit(), so services queue after commit.
app = Celery("essor", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
