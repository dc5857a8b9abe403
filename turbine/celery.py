"""The Celery application.

In production the broker is Redis (``REDIS_URL`` or ``CELERY_BROKER_URL``) and ``celery beat``
runs the schedules defined in settings (``CELERY_BEAT_SCHEDULE``). Without a broker, settings make
every task eager, so sending a task runs it in process; ``manage.py run_schedules`` runs the
scheduled jobs.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "turbine.settings")

app = Celery("turbine")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
