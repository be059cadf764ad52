"""The HTTP routes: the SPARQL protocol and graph store, the REST API, the pages."""

__all__: list[str] = []
