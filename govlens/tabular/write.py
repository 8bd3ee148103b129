"""How GovLens writes CSV: RFC 4180, so that every CSV it exports reads back through this package alike."""

from __future__ import annotations

# RFC 4180 ends each record with CRLF; Excel and every CSV reader accept it, and a file stays one form everywhere.
LINE_END = "\r\n"
