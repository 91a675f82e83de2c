"""The SDK's private HTTP layer: everything between a model and the bytes on the wire.

- ``operation``: ``Operation``, one operation of the schema (host, auth, retry class);
- ``requests``: building a request with a JSON, bytes or multipart body (``jsonbody``,
  ``multipart`` stream large bodies piece by piece);
- ``responses``: reading an answer by its ``Content-Type`` (JSON, NDJSON, bytes into a
  memory or file sink);
- ``errors``: the one mapping from status and body to the exception classes.

Generated endpoint stubs call ``Operation``, ``build_request``, ``parse_response`` and
``parse_stream_line`` from here. Nothing in this package does I/O.
"""

from puter_client._http.operation import Operation
from puter_client._http.requests import build_request
from puter_client._http.responses import parse_response, parse_stream_line
from puter_client.retry import RetryClass

__all__ = ["Operation", "RetryClass", "build_request", "parse_response", "parse_stream_line"]
