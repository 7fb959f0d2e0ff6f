import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "erp.settings.base")
application = get_wsgi_application()

# Import every URLconf and view module now, in the worker's start-up, not in its first request:
# that import took the first request of a gunicorn worker over a second (measured 1.1–1.3 s on
# the shared machine, Redis up, down or hung alike; issue 15's "first create 703 ms").
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018

# The same for the translation catalogs (every app's .mo file, parsed on first use).
from django.conf import settings  # noqa: E402
from django.utils import translation  # noqa: E402

for _code, _name in settings.LANGUAGES:
    with translation.override(_code):
        translation.gettext("Log in")

# Everything loaded so far lives as long as the worker: move it to the garbage collector's
# permanent generation. Otherwise every full collection walks those ~170,000 objects again
# (~90 ms each on this box; py-spy put 44 % of a busy gunicorn worker's time in the
# collector during the webhook bench, and its pauses were the intake's p99).
import gc  # noqa: E402

gc.collect()
gc.freeze()
