"""App configurations of the project package itself."""

from django.contrib.staticfiles.apps import StaticFilesConfig


class SentraStaticFilesConfig(StaticFilesConfig):
    """``collectstatic`` without the ``node_modules`` folders viewflow ships inside its static files.

    They are package sources nobody loads, and their CSS refers to files that are not there, which
    makes the hashed manifest storage of production (``DJANGO_STATIC_MANIFEST``) fail the build.
    """

    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "node_modules"]
