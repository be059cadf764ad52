"""Opening a store: the embedded one in memory or in a folder, or a remote SPARQL server."""

from __future__ import annotations

__all__ = ["open_store"]

from pathlib import Path

from stancegraph.graph.errors import StoreError
from stancegraph.graph.store.base import Store
from stancegraph.graph.store.embedded import EmbeddedStore
from stancegraph.graph.store.remote import RemoteStore
from stancegraph.graph.store.servers import QueryMethod, ServerKind


def open_store(
    location: str | Path | None = None,
    *,
    read_only: bool = False,
    endpoint: str | None = None,
    update_endpoint: str | None = None,
    store_endpoint: str | None = None,
    server: ServerKind | str | None = None,
    token: str | None = None,
    timeout: float = 30.0,
    chunk_size: int | None = None,
    query_method: QueryMethod | str = QueryMethod.AUTO,
    row_cap: int | None = None,
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
        URL of a SPARQL server: its query URL (Virtuoso ``http://host:8890/sparql``, Fuseki
        ``http://host:3030/ds/query``) or the base URL of a server whose layout is known (Oxigraph
        ``http://host:7878``, Virtuoso ``http://host:8890``). See :class:`RemoteStore`.
    update_endpoint, store_endpoint : str, optional
        The server's SPARQL Update and Graph Store URLs, where they cannot be derived (a generic server).
    server : str, optional
        ``oxigraph``, ``virtuoso``, ``fuseki`` or ``generic``; by default the server is asked which it is.
    token : str, optional
        Bearer token sent to the server.
    timeout : float, default 30.0
        Seconds to wait for the server per request.
    chunk_size : int, optional
        Quads per update request of a load (by default the server's; see :class:`RemoteStore`).
    query_method : str, default "auto"
        How queries travel: ``auto``, ``get``, ``form`` or ``direct``.
    row_cap : int, optional
        The server's row cap where it was changed from its default (Virtuoso's ``ResultSetMaxRows``).

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
            endpoint,
            server=server,
            update_url=update_endpoint,
            store_url=store_endpoint,
            token=token,
            timeout=timeout,
            chunk_size=chunk_size,
            query_method=query_method,
            row_cap=row_cap,
        )
    given = {"update_endpoint": update_endpoint, "store_endpoint": store_endpoint, "server": server}
    given |= {"chunk_size": chunk_size, "row_cap": row_cap}
    named = [name for name, value in given.items() if value is not None]
    if named:
        raise StoreError(f"{' and '.join(named)} describe a SPARQL server: give endpoint= (its URL) as well")
    return EmbeddedStore(location, read_only=read_only)
