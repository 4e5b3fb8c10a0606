"""The ASGI application with static files, for a live server in tests and benchmarks (daphne or
uvicorn in a subprocess): the board's page, script and socket from one process, as in production
behind a static-file server."""

from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

from ventanilla.asgi import application as site

application = ASGIStaticFilesHandler(site)
