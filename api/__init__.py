"""The service and the command line: thin layers over :mod:`stancegraph.graph`."""

__all__: list[str] = []
