"""WSGI entry point (gunicorn config.wsgi)."""
import os
import threading

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Chinese word segmentation loads its dictionary (about a second) while the server waits for its first request.
from search.text import warm_up  # noqa: E402

threading.Thread(target=warm_up, name="search-warm-up", daemon=True).start()
