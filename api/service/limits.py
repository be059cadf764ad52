"""Bounds on what one connection can hold: the request body (size, time to send it) and the answer.

- :class:`BodyLimit` refuses a body over the size limit (413) and one not sent in full within the body
  timeout (408), so a half-sent body cannot hold a connection open.
- :class:`SendTimeout` gives up on a client that leaves a piece of its answer unread past the send
  timeout: the connection is dropped and what was waiting to be sent is freed, so slow readers cannot
  pin memory.
- :func:`chunked_response` sends an answer that is already in pieces (the query workers cut every
  answer into chunks) piece by piece, letting go of each piece once it is sent.

All three are plain ASGI; no route knows about them.
"""

from __future__ import annotations

__all__ = ["BodyLimit", "SendTimeout", "chunked_response"]

import asyncio
import ctypes
import logging
from collections.abc import AsyncIterator, Iterable, Mapping
from typing import Any

from fastapi.responses import StreamingResponse

from stancegraph.api.service import problems

_log = logging.getLogger("stancegraph.api")


class BodyLimit:
    """ASGI middleware: a request body over ``limit`` bytes is a 413, one slower than ``timeout`` a 408."""

    def __init__(self, app: Any, *, limit: int, timeout: float = 30.0) -> None:
        self.app = app
        self.limit = limit
        self.timeout = timeout

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self._refuse(
                scope, send, 413, "too-large", f"larger than this service's limit of {self.limit} bytes"
            )
            return
        loop = asyncio.get_running_loop()
        deadline: float | None = None
        seen = 0
        started = False

        complete = False

        async def counted_receive() -> dict:
            nonlocal seen, deadline, complete
            if complete:  # the body is in: what follows is waiting for a disconnect, never timed
                return await receive()
            if deadline is None:
                deadline = loop.time() + self.timeout
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                raise _TooSlow from None
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge
                complete = not message.get("more_body", False)
            return message

        async def tracked_send(message: dict) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except _TooLarge:
            if not started:
                await self._refuse(scope, send, 413, "too-large", self._too_large)
        except _TooSlow:
            if not started:
                await self._refuse(
                    scope,
                    send,
                    408,
                    "body-timeout",
                    f"not sent in full within {self.timeout:g} s, this service's limit (body_timeout)",
                )

    @property
    def _too_large(self) -> str:
        return f"larger than this service's limit of {self.limit} bytes"

    async def _refuse(self, scope: dict, send: Any, status: int, kind: str, what: str) -> None:
        response = problems.problem(
            status,
            kind,
            f"the request body is {what}",
            instance=scope.get("path"),
            headers={"Connection": "close"},
        )

        async def nothing() -> dict:
            return {"type": "http.disconnect"}

        await response(scope, nothing, send)


class _TooLarge(Exception):
    pass


class _TooSlow(Exception):
    pass


class SendTimeout:
    """ASGI middleware: a response piece the client has not taken within ``timeout`` s ends the answer.

    uvicorn's ``send`` waits while the connection's write buffer is full; past the timeout the rest of the
    answer is dropped and the connection closed (the server logs that the response was not completed).
    """

    def __init__(self, app: Any, *, timeout: float = 30.0) -> None:
        self.app = app
        self.timeout = timeout

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def timed_send(message: dict) -> None:
            try:
                async with asyncio.timeout(self.timeout):
                    await send(message)
            except TimeoutError:
                raise _Unread from None

        try:
            await self.app(scope, receive, timed_send)
        except _Unread:
            _log.warning(
                "%s: the client left the answer unread for %g s (send_timeout); the connection was dropped",
                scope.get("path"),
                self.timeout,
            )


class _Unread(Exception):
    pass


#: Answers at least this large hand their freed memory back to the system when they end.
_TRIM_AFTER = 1 << 20


def _give_back_memory() -> None:
    """Ask glibc to return freed heap pages to the system (``malloc_trim``); elsewhere do nothing.

    A large answer's pieces are allocated from several threads' heaps; without this, the freed pages stay
    in those heaps, and the service's resident memory ratchets up with each large answer.
    """
    global _malloc_trim
    if _malloc_trim is None:
        try:
            _malloc_trim = ctypes.CDLL(None).malloc_trim
        except (OSError, AttributeError):
            _malloc_trim = False
    if _malloc_trim:
        _malloc_trim(0)


_malloc_trim: Any = None


def chunked_response(
    chunks: Iterable[bytes], *, media_type: str, headers: Mapping[str, str] | None = None
) -> StreamingResponse:
    """A response that sends ``chunks`` one by one, with their total as ``Content-Length``."""
    pending = list(chunks)
    pending.reverse()  # popped from the end: each piece is released as soon as it is sent
    size = sum(len(chunk) for chunk in pending)

    async def pieces() -> AsyncIterator[bytes]:
        try:
            while pending:
                yield pending.pop()
        finally:
            pending.clear()
            if size >= _TRIM_AFTER:
                _give_back_memory()

    return StreamingResponse(
        pieces(), media_type=media_type, headers={**(headers or {}), "Content-Length": str(size)}
    )
