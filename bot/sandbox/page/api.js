// The page's only way to the sandbox: JSON over fetch to /sandbox/…, and the live change stream.

export class ApiError extends Error {}

async function answer(response) {
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(body.error || `HTTP ${response.status}`);
  return body;
}

export async function get(path, params = {}) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null));
  return answer(await fetch(`${path}${query.size ? `?${query}` : ""}`, { cache: "no-store" }));
}

export async function post(path, body) {
  return answer(await fetch(path, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  }));
}

// Server-sent events: the browser reconnects by itself; `onChange` gets each change as an object.
export function listen(onChange, onState) {
  const source = new EventSource("/sandbox/events");
  source.onmessage = (event) => onChange(JSON.parse(event.data));
  source.onopen = () => onState(true);
  source.onerror = () => onState(false);
  return source;
}
