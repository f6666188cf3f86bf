"""HTTP basic and digest authentication for the one HTTP client (wegokg.core.remote): the header
that answers a server's challenge, and what each place asked for earlier in the run.

A body (a graph's N-Triples, often megabytes) should go once, not once to be refused with a 401
and again with the credentials, as urllib's handlers send it. So where a server asked for Basic,
the next requests to the same place (scheme, host and port, path, user) carry the credentials at
once; before a request with a body to a place not known to be open, the client sends a bodiless
``HEAD`` to fetch the challenge (a Digest nonce may be good for one answer only, so each such
request is probed) and the request goes with the answer. Only a server that challenges the write
but not the ``HEAD`` still gets a Digest request's body twice: the nonce the answer needs comes
with the refusal of the body.
"""

from __future__ import annotations

from base64 import b64encode
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str


# What each place asked of this run's requests: "basic", "digest" (a HEAD brought the challenge),
# "late" (Digest, but the HEAD was not challenged) or "open" (nothing was asked).
_ASKED: dict[tuple[str, str, str, str], str] = {}


def _place(url: str, credentials: Credentials) -> tuple[str, str, str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", credentials.user


def remembered(url: str, credentials: Credentials) -> str | None:
    """The Basic credentials, if this place asked for Basic before; else None."""
    return basic(credentials) if _ASKED.get(_place(url, credentials)) == "basic" else None


def worth_probing(url: str, credentials: Credentials) -> bool:
    """Whether a HEAD may bring the challenge first: not at a place known to ask for nothing,
    nor at one that did not challenge a HEAD before."""
    return _ASKED.get(_place(url, credentials)) not in ("open", "late")


def remember(url: str, credentials: Credentials, sent: str, answered_probe: bool) -> None:
    """Note what the place asked for, from the request it did not refuse with a 401: ``sent`` is
    the Authorization header that request carried ("" for none)."""
    scheme = sent.partition(" ")[0].lower() or "open"
    if scheme == "digest" and not answered_probe:
        scheme = "late"
    _ASKED[_place(url, credentials)] = scheme


def basic(credentials: Credentials) -> str:
    pair = f"{credentials.user}:{credentials.password}".encode()
    return f"Basic {b64encode(pair).decode('ascii')}"


def answer(
    method: str, url: str, body: bytes | None, credentials: Credentials, challenges: list[str]
) -> str | None:
    """The Authorization header that answers the server's challenges, Digest before Basic; None
    if it offers neither in a form that can be answered."""
    by_scheme = {}
    for challenge in challenges:
        scheme, _, rest = challenge.strip().partition(" ")
        by_scheme.setdefault(scheme.lower(), rest)
    if "digest" in by_scheme:
        import urllib.error  # here, not at the top: only a login needs it, and it costs imports
        import urllib.request

        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, url, credentials.user, credentials.password)
        handler = urllib.request.HTTPDigestAuthHandler(passwords)
        fields = urllib.request.parse_keqv_list(
            filter(None, urllib.request.parse_http_list(by_scheme["digest"]))
        )
        request = urllib.request.Request(url, data=body, method=method)
        try:
            digest = handler.get_authorization(request, fields)
        except (ValueError, urllib.error.URLError):  # an algorithm or qop urllib cannot do
            digest = None
        if digest:
            return f"Digest {digest}"
    if "basic" in by_scheme:
        return basic(credentials)
    return None
