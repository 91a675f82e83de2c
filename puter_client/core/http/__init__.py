"""The SDK's private HTTP layer: everything between a model and the bytes on the wire.

- ``operation``: ``Operation``, one operation of the schema (host, auth, retry class);
- ``requests``: building a request with a JSON, bytes or multipart body (``jsonbody``,
  ``multipart`` stream large bodies piece by piece);
- ``responses``: reading an answer (JSON into a model, NDJSON lines, bytes into a memory
  or file sink);
- ``errors``: the one mapping from status and body to the exception classes.

- ``content``: what an answer's ``Content-Type`` says it carries.

Generated endpoint stubs import ``Operation``, ``build_request``, ``parse_response`` and
``parse_stream_line`` from the submodules (this file imports nothing, so that the
transport loads only what it uses). Nothing in this package does I/O.
"""
