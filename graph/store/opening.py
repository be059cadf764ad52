"""Opening a store: the embedded one in memory or in a folder, or a remote SPARQL server."""

from __future__ import annotations

__all__ = ["open_store"]

from pathlib import Path

from stancegraph.graph.errors import StoreError
from stancegraph.graph.store.base import Store
from stancegraph.graph.store.embedded import EmbeddedStore
from stancegraph.graph.store.remote import RemoteStore


def open_store(
    location: str | Path | None = None,
    *,
    read_only: bool = False,
    endpoint: str | None = None,
    update_endpoint: str | None = None,
    store_endpoint: str | None = None,
    token: str | None = None,
    timeout: float = 30.0,
) -> Store:
    """Open the store a program should use.

    Parameters
    ----------
    location : str or Path, optional
        A folder for an on-disk embedded store, created if missing. Without it (and without
        ``endpoint``) the store lives in memory and vanishes when closed.
    read_only : bool, default False
        Open the folder ``location`` (which must hold a store) for reading only, without its lock, while
        another process may hold it read-write: see :class:`EmbeddedStore`. Writes are refused.
    endpoint : str, optional
        URL of a SPARQL server: the Oxigraph server root (``http://host:7878``) or any query endpoint
        (``http://host:3030/ds/sparql``). See :class:`RemoteStore` for how the update and graph-store
        URLs are derived; give ``update_endpoint`` and ``store_endpoint`` for servers that do not follow
        Oxigraph's layout (Fuseki: ``.../ds/update`` and ``.../ds/data``).
    token : str, optional
        Bearer token sent to the server.
    timeout : float, default 30.0
        Seconds to wait for the server per request.

    Returns
    -------
    Store
        An :class:`EmbeddedStore` or a :class:`RemoteStore`.

    Raises
    ------
    StoreError
        The folder is locked by another process or cannot be written; ``location`` and ``endpoint``
        are both given; ``read_only`` without a folder, or with a folder that holds no store.

    Examples
    --------
    >>> with open_store() as store:
    ...     store.counts().quads
    0

    A second process can read an on-disk store that a first one holds (and writes):

    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> with open_store(folder) as store:
    ...     store.update("INSERT DATA { <urn:ex:a> <urn:ex:p> <urn:ex:b> }")
    >>> with open_store(folder, read_only=True) as view:
    ...     view.query("ASK { ?s ?p ?o }")
    True
    """
    if endpoint is not None:
        if read_only:
            raise StoreError(
                f"read_only=True opens a store folder read-only; {endpoint} is a server, which decides "
                "itself what it allows: leave read_only out"
            )
        if location is not None:
            raise StoreError(
                f"open_store got both a folder ({location}) and an endpoint ({endpoint}); pass one of them"
            )
        return RemoteStore(
            endpoint, update_url=update_endpoint, store_url=store_endpoint, token=token, timeout=timeout
        )
    if update_endpoint is not None or store_endpoint is not None:
        raise StoreError("update_endpoint / store_endpoint need endpoint= (the query URL) as well")
    return EmbeddedStore(location, read_only=read_only)
