// The hushd API from the browser: the session token lives in sessionStorage (gone when the tab
// closes) and goes out as "Authorization: Bearer <token>".
const TOKEN_KEY = 'hush.token';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export const session = {
  get token() { return sessionStorage.getItem(TOKEN_KEY); },
  set token(value) {
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
  },
};

// Called on 401 (an expired session): set by app.js to show the sign-in page.
export const hooks = { unauthorized: () => {} };

async function request(method, path, body, { raw = false, auth = true } = {}) {
  const headers = {};
  if (auth && session.token) headers.Authorization = `Bearer ${session.token}`;
  let payload;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const response = await fetch(path, { method, headers, body: payload });
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      const json = await response.json();
      if (json?.error?.message) message = json.error.message;
    } catch { /* not JSON */ }
    if (response.status === 401 && auth) hooks.unauthorized();
    throw new ApiError(response.status, message);
  }
  if (raw) return response;
  const text = await response.text();
  return text ? JSON.parse(text) : {};
}

export const api = {
  get: (path, opts) => request('GET', path, undefined, opts),
  post: (path, body, opts) => request('POST', path, body, opts),
  put: (path, body, opts) => request('PUT', path, body, opts),
  patch: (path, body, opts) => request('PATCH', path, body, opts),
  del: (path, opts) => request('DELETE', path, undefined, opts),
  blob: async (path) => (await request('GET', path, undefined, { raw: true })).blob(),
};
