"""The Celery application: tasks are autodiscovered in every installed app's tasks.py."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Services do not queue tasks themselves: they record them in the outbox (core.outbox.outbox_enqueue).
app = Celery("essor", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
