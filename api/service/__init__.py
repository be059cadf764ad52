"""The FastAPI service: the app and its settings, dependencies and problem details, the routes, the query
runner and its worker processes, and the guards on what a request may ask and an answer may hold.

Run it with ``stancegraph serve`` or
``uvicorn --factory stancegraph.api.service.app:app_from_environment``.
"""

__all__: list[str] = []
