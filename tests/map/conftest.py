"""The map's web tests reuse the web suite's fixtures (its app on the built-in graph, its live server).

pytest puts the folder of tests/conftest.py on sys.path, so the web suite's conftest imports as web.conftest.
"""

from web.conftest import app, client, live_url  # noqa: F401
