"""Handing a draft to the user's mail program: a ``mailto:`` URL (RFC 6068)."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote

from nurture.model import validate_email

# RFC 6068 section 2: in an address "%", "/", "?", "#", "[", "]", "&", ";" and
# "=" must be encoded; "@", ":" and "+" (sub-addresses) are kept. A comma
# separates addresses, so one inside an address is encoded too.
_ADDRESS_SAFE = "!$'()*+:@"
# In a header value: the RFC's some-delims, except "+", which form decoders
# read as a space, so it is sent as %2B (section 5 allows this).
_VALUE_SAFE = "!$'()*,:@"
# Several mail programs truncate longer URLs; the caller can offer the clipboard instead.
SAFE_LENGTH = 2000


def mailto_url(to: str | Iterable[str], subject: str = "", body: str = "") -> str:
    """A ``mailto:`` URL that opens a new message with ``subject`` and ``body`` filled in.

    Spaces become ``%20`` (never ``+``) and every line break ``%0D%0A``, as RFC
    6068 requires; text is UTF-8. Raises ``ValidationError`` for an address
    that is not one.
    """
    addresses = [to] if isinstance(to, str) else list(to)
    encoded = ",".join(quote(validate_email(a), safe=_ADDRESS_SAFE)
                       for a in addresses if a.strip())
    fields = []
    subject = " ".join(subject.split())
    if subject:
        fields.append("subject=" + quote(subject, safe=_VALUE_SAFE, errors="replace"))
    if body:
        lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        fields.append("body=" + "%0D%0A".join(quote(line, safe=_VALUE_SAFE, errors="replace")
                                              for line in lines))
    return "mailto:" + encoded + ("?" + "&".join(fields) if fields else "")
