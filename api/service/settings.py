"""The service's settings: one object, filled from flags (``stancegraph serve``) or the environment.

Every field can be set with an environment variable named ``STANCEGRAPH_`` + the field in upper case
(``STANCEGRAPH_PORT=9000``, ``STANCEGRAPH_TOKEN=...``, ``STANCEGRAPH_CORS_ORIGINS='["https://a.org"]'``).
The routes get the settings through a FastAPI dependency (:func:`stancegraph.api.service.deps.get_settings`),
never from a global.
"""

from __future__ import annotations

__all__ = ["Settings"]

from pathlib import Path

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from stancegraph.graph.store import QueryMethod, ServerKind


class Settings(BaseSettings):
    """How the service runs, where its data lives and what it allows.

    Examples
    --------
    >>> Settings(port=9000, token="s3cret").port
    9000
    >>> try:
    ...     Settings(cors_origins=["*"], cors_credentials=True)
    ... except ValueError as error:
    ...     print("wildcard origin" in str(error))
    True
    """

    model_config = SettingsConfigDict(env_prefix="STANCEGRAPH_", extra="forbid", frozen=True)

    host: str = Field("127.0.0.1", description="Interface to listen on.")
    port: int = Field(8000, ge=0, le=65535, description="TCP port.")
    store: Path = Field(Path(".stancegraph") / "store", description="Folder of the embedded store.")
    endpoint: str | None = Field(
        None,
        description="Front this SPARQL server (its query URL, or a known server's base URL) instead of the "
        "folder.",
    )
    server: ServerKind | None = Field(
        None, description="Which server the endpoint is (asked of it when not given)."
    )
    update_url: str | None = Field(
        None, description="The endpoint's SPARQL Update URL, where it is not derived."
    )
    store_url: str | None = Field(
        None, description="The endpoint's Graph Store URL, where it is not derived."
    )
    chunk_size: int | None = Field(
        None, ge=1, description="Quads per update request of a load to the endpoint."
    )
    query_method: QueryMethod = Field(QueryMethod.AUTO, description="How queries travel to the endpoint.")
    query_timeout: float = Field(10.0, gt=0, le=3600, description="Deadline of each query, in seconds.")
    max_rows: int = Field(100_000, ge=1, description="Most result rows (or triples) one query may return.")
    max_body_bytes: int = Field(10 * 2**20, ge=1024, description="Largest request body accepted.")
    token: SecretStr | None = Field(None, description="Bearer token that allows writes; none: read-only.")
    cors_origins: list[str] = Field(default_factory=list, description="Origins allowed by CORS ('*': any).")
    cors_credentials: bool = Field(False, description="Let browsers send cookies and auth headers.")
    workers: int = Field(2, ge=1, le=64, description="Query worker processes of the embedded store.")
    load_bundled: bool = Field(True, description="Load the bundled data set into an empty store at start.")
    max_result_bytes: int = Field(
        64 * 2**20, ge=1024, description="Largest serialised answer one query may return, in bytes."
    )
    max_term_bytes: int = Field(
        2**20, ge=64, description="Largest single term (IRI or literal) in an answer or a write, in bytes."
    )
    max_depth: int = Field(
        200, ge=8, le=1000, description="Deepest nesting of brackets a query, update or RDF body may have."
    )
    body_timeout: float = Field(
        30.0, gt=0, le=3600, description="Seconds a client may take to send its request body."
    )
    send_timeout: float = Field(
        30.0, gt=0, le=3600, description="Seconds a client may leave a response chunk unread."
    )
    allowed_hosts: list[str] = Field(
        default_factory=list,
        description="Host names accepted in the Host header besides the loopback names and the bind address "
        "(any port; '*.example.org' for its subdomains, '*' for any); others get a 400. List the names "
        "clients use when binding 0.0.0.0 or ::.",
    )
    csv_formula_guard: bool = Field(
        True,
        description="Prefix CSV cells that start with = + - @ tab or CR with ' (spreadsheet formula "
        "injection); turn off for machine readers of /sparql text/csv.",
    )

    def remote_options(self) -> dict[str, object]:
        """The keyword arguments of :func:`~stancegraph.graph.store.open_store` for the endpoint."""
        return {
            "server": self.server,
            "update_endpoint": self.update_url,
            "store_endpoint": self.store_url,
            "chunk_size": self.chunk_size,
            "query_method": self.query_method,
        }

    @model_validator(mode="after")
    def _remote_options_need_an_endpoint(self) -> Settings:
        given = [name for name in ("server", "update_url", "store_url", "chunk_size") if getattr(self, name)]
        if given and not self.endpoint:
            raise ValueError(
                f"{', '.join(given)} describe a SPARQL server: give its URL with endpoint (--endpoint)"
            )
        return self

    @model_validator(mode="after")
    def _no_credentials_for_any_origin(self) -> Settings:
        if self.cors_credentials and "*" in self.cors_origins:
            raise ValueError(
                "CORS credentials cannot be allowed for the wildcard origin '*': list the origins that may "
                "send credentials, or turn cors_credentials off"
            )
        return self
