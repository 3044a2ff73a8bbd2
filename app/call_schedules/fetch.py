"""Fetching a calendar from a URL a coordinator gives (an ICS feed of the call schedule).

- Only ``http`` and ``https`` are fetched; ``webcal://`` (what calendar sites hand out for subscriptions) is
  read as ``https://``. Anything else (``file:``, ``ftp:``, ``data:`` …) is refused before any connection.
- Redirects are followed by hand, at most ``MAX_REDIRECTS``, and each target must be http(s) too.
- The body is read in chunks and refused (413) as soon as it passes ``max_bytes``; the whole fetch must
  finish within ``timeout`` seconds.
- Link-local (cloud metadata services live at 169.254.169.254), multicast, unspecified and reserved
  addresses are refused, both as written in the URL and as the address actually connected to (checked
  before the body is read, so a name that resolves there gets nothing back). Loopback and private
  addresses are allowed: hospital calendar servers often live on the intranet.
- Every failure is a 422 whose message begins "Could not fetch the calendar URL:" and says why (no answer,
  connection refused, the server's status …) without repeating the URL, which often carries a secret.

Nothing here logs the URL (``app.logging`` also keeps httpx's own logger quiet).
"""

import ipaddress
import time

import httpx

from app.errors import InvalidInput, PayloadTooLarge

MAX_REDIRECTS = 5
DEFAULT_TIMEOUT = 15.0
_SCHEMES = {"http": "http", "https": "https", "webcal": "https", "webcals": "https"}


def _cannot(reason: str) -> InvalidInput:
    return InvalidInput(f"Could not fetch the calendar URL: {reason}.")


def check_url(raw: str) -> httpx.URL:
    """The URL to fetch, with ``webcal`` read as ``https``; InvalidInput for other schemes or no host."""
    try:
        url = httpx.URL(raw.strip())
    except (httpx.InvalidURL, TypeError, ValueError):
        raise InvalidInput("The calendar URL is not a valid URL.") from None
    scheme = _SCHEMES.get(url.scheme.lower())
    if scheme is None:
        shown = url.scheme[:20] or "none"
        raise InvalidInput(
            f"Only http:// and https:// calendar URLs (or webcal://) can be imported; this one's scheme is "
            f"'{shown}'."
        )
    if not url.host:
        raise InvalidInput("The calendar URL has no host name.")
    if refused_address(url.host):
        raise InvalidInput("Calendar URLs may not point to link-local, multicast or reserved addresses.")
    return url.copy_with(scheme=scheme)


def refused_address(host: str) -> bool:
    """Whether ``host``, if it is an IP address, is one a calendar is never fetched from."""
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False  # a name: checked again once connected
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback:
        return False  # (::1 lies in a block Python counts as reserved)
    return address.is_link_local or address.is_multicast or address.is_unspecified or address.is_reserved


def fetch_calendar(raw_url: str, *, max_bytes: int, timeout: float | None = None) -> bytes:
    """The body served at ``raw_url`` (at most ``max_bytes``), or a 4xx saying why it could not be had.

    ``timeout`` (seconds; default ``DEFAULT_TIMEOUT``) bounds the whole fetch, redirects and body included.
    """
    url = check_url(raw_url)
    timeout = timeout or DEFAULT_TIMEOUT
    deadline = time.monotonic() + timeout
    headers = {"Accept": "text/calendar, */*;q=0.5", "User-Agent": "Tend call-schedule import"}
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False, headers=headers) as client:
            for _ in range(MAX_REDIRECTS + 1):
                if time.monotonic() > deadline:
                    raise _cannot(f"no calendar within {timeout:g} seconds")
                with client.stream("GET", url) as response:
                    _check_peer(response)
                    if response.is_redirect:
                        location = response.headers.get("location", "")
                        if not location:
                            raise _cannot(f"the server answered {response.status_code} without a location")
                        try:
                            url = response.url.join(location)
                        except (httpx.InvalidURL, ValueError):
                            raise _cannot("the server redirected to an invalid URL") from None
                        if url.scheme.lower() not in ("http", "https"):
                            raise _cannot("the server redirected to a URL that is not http or https")
                        continue
                    if response.status_code != 200:
                        raise _cannot(f"the server answered {response.status_code} {response.reason_phrase}")
                    return _read_body(response, max_bytes=max_bytes, deadline=deadline, timeout=timeout)
            raise _cannot(f"more than {MAX_REDIRECTS} redirects")
    except httpx.TimeoutException:
        raise _cannot(f"the server did not answer within {timeout:g} seconds") from None
    except httpx.ConnectError:
        raise _cannot(
            "the server could not be reached (no such host, or the connection was refused)"
        ) from None
    except httpx.HTTPError as exc:
        raise _cannot(f"the connection failed ({type(exc).__name__})") from None


def _check_peer(response: httpx.Response) -> None:
    stream = response.extensions.get("network_stream")
    peer = stream.get_extra_info("server_addr") if stream is not None else None
    if isinstance(peer, tuple) and peer and refused_address(str(peer[0])):
        raise _cannot("its host name leads to a link-local, multicast or reserved address")


def _read_body(response: httpx.Response, *, max_bytes: int, deadline: float, timeout: float) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise _too_large(max_bytes)
    body = bytearray()
    for chunk in response.iter_bytes():
        body.extend(chunk)
        if len(body) > max_bytes:
            raise _too_large(max_bytes)
        if time.monotonic() > deadline:
            raise _cannot(f"the calendar took longer than {timeout:g} seconds to download")
    return bytes(body)


def _too_large(max_bytes: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"The calendar at that URL is larger than the {max_bytes / 1_048_576:g} MB limit; export a shorter "
        "period."
    )
