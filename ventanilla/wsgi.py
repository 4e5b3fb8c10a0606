import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ventanilla.settings")
application = get_wsgi_application()

from ventanilla import serverlog  # noqa: E402

# Whatever server imports this module, its access log redacts tracking tokens (ventanilla/serverlog.py).
serverlog.install()
