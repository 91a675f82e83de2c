// The emulator's worker prelude: a small Web-like runtime and puter.js's worker router.
// Written for the emulator (see runtime.py); evaluated in a fresh V8 context per request.
(function (g) {
  class Headers {
    constructor(init) {
      this._m = {};
      const src = init instanceof Headers ? init._m : (init || {});
      for (const k of Object.keys(src)) this._m[k.toLowerCase()] = String(src[k]);
    }
    get(k) { const v = this._m[String(k).toLowerCase()]; return v === undefined ? null : v; }
    set(k, v) { this._m[String(k).toLowerCase()] = String(v); }
    append(k, v) { this.set(k, this.has(k) ? this.get(k) + ", " + v : v); }
    has(k) { return String(k).toLowerCase() in this._m; }
    delete(k) { delete this._m[String(k).toLowerCase()]; }
    forEach(f) { for (const k of Object.keys(this._m)) f(this._m[k], k, this); }
    entries() { return Object.entries(this._m)[Symbol.iterator](); }
    [Symbol.iterator]() { return this.entries(); }
  }
  class URLSearchParams {
    constructor(query) {
      this._p = [];
      for (const part of String(query || "").replace(/^\?/, "").split("&")) {
        if (!part) continue;
        const i = part.indexOf("=");
        const dec = (s) => decodeURIComponent(s.replace(/\+/g, " "));
        this._p.push(i < 0 ? [dec(part), ""] : [dec(part.slice(0, i)), dec(part.slice(i + 1))]);
      }
    }
    get(k) { const e = this._p.find((p) => p[0] === k); return e ? e[1] : null; }
    getAll(k) { return this._p.filter((p) => p[0] === k).map((p) => p[1]); }
    has(k) { return this._p.some((p) => p[0] === k); }
  }
  class URL {
    constructor(url) {
      const m = /^([a-z]+:)\/\/([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/i.exec(String(url));
      if (!m) throw new TypeError("Invalid URL: " + url);
      this.protocol = m[1]; this.host = m[2]; this.hostname = m[2].split(":")[0];
      this.port = m[2].split(":")[1] || ""; this.pathname = m[3] || "/";
      this.search = m[4] || ""; this.hash = m[5] || "";
      this.origin = this.protocol + "//" + this.host;
      this.href = String(url);
      this.searchParams = new URLSearchParams(this.search);
    }
    toString() { return this.href; }
  }
  class Request {
    constructor(d) {
      this.method = d.method; this.url = d.url; this.headers = new Headers(d.headers);
      this._body = d.body;
    }
    async text() { return this._body; }
    async json() { return JSON.parse(this._body); }
  }
  class Response {
    constructor(body, init) {
      init = init || {};
      this.body = body === undefined ? null : body;
      this.status = init.status === undefined ? 200 : init.status;
      this.statusText = init.statusText || "";
      this.headers = new Headers(init.headers);
    }
    static json(data, init) {
      const r = new Response(JSON.stringify(data), init);
      if (!r.headers.has("content-type")) r.headers.set("content-type", "application/json");
      return r;
    }
    get ok() { return this.status >= 200 && this.status < 300; }
    async text() { return this.body === null ? "" : String(this.body); }
    async json() { return JSON.parse(await this.text()); }
  }
  function kv(store) {
    const touch = (k, v) => { store.items[k] = v; store.changed[k] = v; store.deleted = store.deleted.filter((d) => d !== k); };
    return {
      async get(k) { return Object.prototype.hasOwnProperty.call(store.items, k) ? store.items[k] : null; },
      async set(k, v) { touch(String(k), v === undefined ? null : v); return true; },
      async del(k) { k = String(k); delete store.items[k]; delete store.changed[k]; store.deleted.push(k); return true; },
      async incr(k, a) { const v = (Number(store.items[k]) || 0) + (a === undefined ? 1 : a); touch(String(k), v); return v; },
      async decr(k, a) { return this.incr(k, -(a === undefined ? 1 : a)); },
      async list(pattern) {
        const p = typeof pattern === "string" ? pattern.replace(/\*$/, "") : "";
        return Object.keys(store.items).filter((k) => k.startsWith(p)).sort();
      },
    };
  }
  const routes = [];
  const router = {
    custom(method, path, handler) { routes.push({ method: String(method).toUpperCase(), path, handler }); },
    get(p, h) { this.custom("GET", p, h); },
    post(p, h) { this.custom("POST", p, h); },
    put(p, h) { this.custom("PUT", p, h); },
    delete(p, h) { this.custom("DELETE", p, h); },
    options(p, h) { this.custom("OPTIONS", p, h); },
  };
  function match(pattern, path) {
    const ps = pattern.split("/").filter(Boolean), xs = path.split("/").filter(Boolean);
    const params = {};
    for (let i = 0; i < ps.length; i++) {
      const p = ps[i];
      if (p.length > 1 && p[0] === "*") { params[p.slice(1)] = xs.slice(i).map(decodeURIComponent).join("/"); return params; }
      if (i >= xs.length) return null;
      if (p.length > 1 && p[0] === ":") params[p.slice(1)] = decodeURIComponent(xs[i]);
      else if (p !== xs[i]) return null;
    }
    return ps.length === xs.length ? params : null;
  }
  const CORS = { "access-control-allow-origin": "*" };
  function wire(status, headers, body) {
    const h = Object.assign({}, CORS, headers);
    return { status, headers: h, text: typeof body === "string" ? body : null, bytes: typeof body === "string" ? null : body };
  }
  async function toWire(result) {
    if (result instanceof Response) {
      const h = result.headers._m;
      const b = result.body;
      if (b instanceof Uint8Array) return wire(result.status, h, Array.from(b));
      if (b !== null && typeof b === "object") return wire(result.status, h, JSON.stringify(b));
      if (b !== null && !("content-type" in h)) h["content-type"] = "text/plain;charset=UTF-8";
      return wire(result.status, h, b === null ? "" : String(b));
    }
    if (result instanceof Uint8Array) return wire(200, { "content-type": "application/octet-stream" }, Array.from(result));
    if (typeof result === "string") return wire(200, { "content-type": "text/plain;charset=UTF-8" }, result);
    if (result === undefined || result === null) return wire(200, {}, "");
    return wire(200, { "content-type": "application/json" }, JSON.stringify(result));
  }
  async function dispatch(d, user) {
    const request = new Request(d);
    for (const r of routes) {
      if (r.method !== request.method) continue;
      const params = match(r.path, d.path);
      if (!params) continue;
      try {
        return await toWire(await r.handler({ request, user, params, me: g.me, env: {} }));
      } catch (e) {
        return wire(500, { "content-type": "text/plain;charset=UTF-8" }, String(e && e.message !== undefined ? e.message : e));
      }
    }
    if (request.method === "OPTIONS") {
      return wire(204, { "access-control-allow-methods": "GET, POST, PUT, DELETE, OPTIONS", "access-control-allow-headers": "*" }, "");
    }
    return wire(404, { "content-type": "text/plain;charset=UTF-8" }, "Path not found");
  }
  g.Headers = Headers; g.Request = Request; g.Response = Response; g.URL = URL;
  g.URLSearchParams = URLSearchParams; g.router = router;
  g.__puter = { kv, dispatch };
})(globalThis);
