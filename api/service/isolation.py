"""The second guard against fetching: query workers live where no outbound connection is possible.

The first guard reads the query (:func:`stancegraph.api.service.sparql_text.refuse_fetching`). This one
does not depend on reading anything: a query worker moves itself into a Linux network namespace of its own
before it opens the store, and a new network namespace has only a loopback interface that is down, so even a
``SERVICE`` the lexer missed gets "network is unreachable" from the kernel, for every address, loopback
included. The worker still talks to the service over its inherited pipe.

The namespace needs ``CAP_SYS_ADMIN`` (root, or a container that grants it) or unprivileged user
namespaces (most desktop Linux systems). Where neither is available (another OS, a locked-down kernel)
:func:`cut_off_network` says so and the service logs a warning: the lexer is then the only guard.
"""

from __future__ import annotations

__all__ = ["cut_off_network"]

import ctypes
import os
import sys

_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000


def cut_off_network() -> str | None:
    """Move this process into a new, empty network namespace.

    Call it early in a fresh process (before it starts threads: a user namespace needs a single thread).

    Returns
    -------
    str or None
        How the process was cut off (``"network namespace"`` or ``"user and network namespace"``), or
        None when the system allows neither (the reason is then in the ``errno`` of the last try).
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        unshare = libc.unshare
    except (OSError, AttributeError):
        return None
    if unshare(_CLONE_NEWNET) == 0:
        return "network namespace"
    if os.geteuid() != 0 and unshare(_CLONE_NEWUSER | _CLONE_NEWNET) == 0:
        return "user and network namespace"
    return None
