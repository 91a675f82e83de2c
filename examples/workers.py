"""Workers: deploy a serverless JavaScript worker from a local file with
``client.workers``, call it with ``exec``, then delete it.

Reads PUTER_USERNAME / PUTER_PASSWORD (and PUTER_API_BASE / PUTER_LOGIN_URL) from the
environment. The worker, its sandbox app and its file are removed at the end.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from puter import Puter

NAME = "workers-example"
SOURCE = """
// Route parameters, JSON answers, a custom status, the worker's own key-value store.
router.get("/api/greet/:name", async ({ params }) => ({ greeting: `Hello, ${params.name}!` }));

router.post("/api/visits", async ({ request, me }) => {
  const { page } = await request.json();
  const count = await me.puter.kv.incr(`visits:${page}`);
  return new Response(JSON.stringify({ page, count }), {
    status: 201,
    headers: { "Content-Type": "application/json" },
  });
});

router.get("/api/whoami", async ({ user }) => ({ signed_in: Boolean(user && user.puter) }));
"""


def main() -> None:
    with Puter() as client, tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "worker.js"
        source.write_text(SOURCE)

        deployment = client.workers.deploy(NAME, source)  # sandboxed under its own app
        print("deployed:", deployment.success)

        greeting = client.workers.exec(NAME, "/api/greet/Ada")
        print("greet:", greeting.status, greeting.json())

        for _ in range(2):
            visits = client.workers.exec(NAME, "/api/visits", method="POST", json={"page": "home"})
        print("visits:", visits.status, visits.json())
        print("the worker's kv is its own:", client.kv.get("visits:home") is None)

        print("with the session:", client.workers.exec(NAME, "/api/whoami").json())
        print("without:", client.workers.exec(NAME, "/api/whoami", auth=False).json())
        print("missing route:", client.workers.exec(NAME, "/nope").status)

        worker = client.workers.get(NAME)
        print("listed:", [w.name for w in client.workers.list()], "file:", worker.file_path)

        client.workers.delete(NAME)
        client.apps.delete(f"sandbox-{NAME}")
        client.fs.delete(f"~/Workers/{NAME}.js")
        print("workers left:", [w.name for w in client.workers.list()])


if __name__ == "__main__":
    main()
