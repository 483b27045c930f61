// The dashboard's only way to the server: /api/v1 with the session cookie,
// and the CSRF token on every change. Errors carry the server's message.

let csrfToken = null;
export let me = null;

export class ApiError extends Error {
  constructor(status, code, message, body) {
    super(message);
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

export function setSession(info) {
  me = info;
  csrfToken = info?.csrf_token ?? null;
}

export async function api(path, { method = 'GET', json, body, contentType } = {}) {
  const headers = {};
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (body !== undefined) {
    headers['Content-Type'] = contentType ?? 'application/octet-stream';
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response;
  try {
    response = await fetch(`/api/v1${path}`, { method, headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network', '无法连接服务器，请检查网络后重试');
  }
  let data = null;
  const type = response.headers.get('Content-Type') ?? '';
  if (type.startsWith('application/json')) data = await response.json().catch(() => null);
  if (!response.ok) {
    const error = data?.error ?? {};
    if (response.status === 401 && path !== '/login' && path !== '/me') {
      window.dispatchEvent(new CustomEvent('kd-unauthorised'));
    }
    throw new ApiError(response.status, error.code ?? 'http', error.message ?? `服务器返回 ${response.status}`, data);
  }
  return data;
}

export function isAdmin() {
  return me?.role === 'admin';
}

// The office and 教务处 read every college.
export function seesEveryCollege() {
  return me?.role === 'admin' || me?.role === 'academic';
}
