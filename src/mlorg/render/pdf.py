"""PDF of the HTML report, laid out by WeasyPrint (the optional ``pdf`` extra).

WeasyPrint is imported only when a PDF is asked for, so the rest of mlorg works without it and
its system libraries. It is given a URL fetcher that refuses everything: the report is
self-contained, and making a PDF must never reach the network or the file system.
"""

from __future__ import annotations

import logging
from typing import Any, NoReturn

from mlorg.errors import UsageError

INSTALL_HINT = "PDF output needs WeasyPrint: pip install 'mlorg[pdf]'"


def _refuse(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    raise ValueError(f"the report is self-contained; refusing to fetch {url[:80]}")


def render_pdf(html: str) -> bytes:
    """Lay the report out on A4 pages; raise :class:`UsageError` (exit 2) when WeasyPrint is missing."""
    try:
        import weasyprint  # type: ignore[import-untyped]
    except ImportError as exc:
        raise UsageError(INSTALL_HINT) from exc
    except OSError as exc:  # the Python package is there but its system libraries (Pango) are not
        raise UsageError(f"{INSTALL_HINT} (and its system libraries, e.g. Pango): {exc}") from exc
    log = logging.getLogger("weasyprint")
    level = log.level
    log.setLevel(logging.ERROR)  # unsupported-CSS warnings are noise here; the report degrades gracefully
    try:
        pdf = weasyprint.HTML(string=html, url_fetcher=_refuse).write_pdf()
    finally:
        log.setLevel(level)
    assert isinstance(pdf, bytes)
    return pdf
