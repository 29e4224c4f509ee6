// The console's only way to the server: the public /api/v1 with the signed-in person's own token.
// The token lives in sessionStorage (gone when the tab closes; "Sign out" removes it) and is sent
// only as an Authorization header, never in a URL.

const KEY = 'autoplane.token';

export const session = {
  get token() { return sessionStorage.getItem(KEY); },
  signIn(token) { sessionStorage.setItem(KEY, token); },
  signOut() { sessionStorage.removeItem(KEY); },
};

/** A problem+json answer (RFC 9457), or a network failure. */
export class ApiError extends Error {
  constructor(status, problem) {
    const fields = (problem.errors || []).map(e => `${e.field}: ${e.message}`).join('; ');
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.fields = fields;
  }
  toString() { return this.fields ? `${this.message} (${this.fields})` : this.message; }
}

let onUnauthorized = () => {};
export function whenUnauthorized(fn) { onUnauthorized = fn; }

function headers(extra = {}, accept = 'application/json') {
  return { Authorization: `Bearer ${session.token}`, Accept: accept, ...extra };
}

async function failure(res) {
  let problem;
  try { problem = await res.json(); } catch { problem = { title: res.statusText || `HTTP ${res.status}` }; }
  if (res.status === 401) onUnauthorized(problem);
  return new ApiError(res.status, problem);
}

/** JSON request to /api/v1{path}; answers the parsed body (null for 204). */
export async function api(path, { method = 'GET', body, reason, ifMatch, signal } = {}) {
  const extra = {};
  if (body !== undefined) extra['Content-Type'] = 'application/json';
  if (reason) extra['X-Reason'] = reason;
  if (ifMatch) extra['If-Match'] = ifMatch;
  const res = await fetch(`/api/v1${path}`, {
    method, headers: headers(extra), signal, cache: 'no-store',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw await failure(res);
  return res.status === 204 ? null : res.json();
}

/** The raw response of a GET with another media type (the audit log's NDJSON export). */
export async function download(path, accept) {
  const res = await fetch(`/api/v1${path}`, { headers: headers({}, accept), cache: 'no-store' });
  if (!res.ok) throw await failure(res);
  return res.blob();
}

/** "?a=1&b=2" of the non-empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/**
 * Server-Sent Events read with fetch() and a streaming body reader, because EventSource cannot send
 * an Authorization header (and a token in the URL would end up in logs and history). Yields
 * {event, id, data} for each event and {comment} for each comment line (the server's keep-alives).
 */
export async function* sse(path, { lastEventId, signal } = {}) {
  const extra = lastEventId ? { 'Last-Event-ID': lastEventId } : {};
  const res = await fetch(`/api/v1${path}`, { headers: headers(extra, 'text/event-stream'), signal, cache: 'no-store' });
  if (!res.ok) throw await failure(res);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let event = { data: [] };
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      const lines = buffer.split(/\r\n|\r|\n/);
      buffer = lines.pop();
      for (const line of lines) {
        if (line === '') {
          if (event.data.length || event.event) {
            yield { event: event.event || 'message', id: event.id, data: event.data.join('\n') };
          }
          event = { data: [] };
        } else if (line.startsWith(':')) {
          yield { comment: line.slice(1).trim() };
        } else {
          const i = line.indexOf(':');
          const field = i < 0 ? line : line.slice(0, i);
          let value = i < 0 ? '' : line.slice(i + 1);
          if (value.startsWith(' ')) value = value.slice(1);
          if (field === 'data') event.data.push(value);
          else if (field === 'event') event.event = value;
          else if (field === 'id') event.id = value;
        }
      }
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}
