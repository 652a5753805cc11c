// The single-page app: a tiny History API router, the signed-in context (who, which
// workspace, which role) and the page modules under ./pages/, loaded on demand.
import { api, hooks, session } from './api.js';
import { h, toast } from './dom.js';

const ROUTES = [
  { pattern: /^\/login$/, page: 'login', nav: null, public: true },
  { pattern: /^\/$/, page: 'recordings', nav: 'recordings' },
  { pattern: /^\/recordings\/([^/]+)$/, page: 'meeting', nav: 'recordings', params: ['id'] },
  { pattern: /^\/live$/, page: 'live', nav: 'live' },
  { pattern: /^\/settings$/, page: 'settings', nav: 'settings' },
  { pattern: /^\/audit$/, page: 'audit', nav: 'audit' },
  { pattern: /^\/privacy$/, page: 'privacy', nav: 'privacy' },
];

const main = document.getElementById('main');
let context = null;   // {me, workspace, role}
let cleanup = null;   // the current page's teardown (timers, sockets, object URLs)
let renderId = 0;

export function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState({}, '', path);
  else history.pushState({}, '', path);
  render();
}

// Who is signed in and where: the first workspace (or the one chosen before).
async function loadContext() {
  const me = await api.get('/v1/me');
  const { workspaces } = await api.get('/v1/workspaces');
  const chosen = sessionStorage.getItem('hush.workspace');
  const workspace = workspaces.find((w) => w.id === chosen) || workspaces[0] || null;
  let role = null;
  if (workspace) {
    try {
      const { members } = await api.get(`/v1/workspaces/${workspace.id}/members`);
      role = members.find((m) => m.user_id === me.id)?.role || null;
    } catch { /* viewers may not list members */ }
  }
  return { me, workspace, workspaces, role, isAdmin: role === 'owner' || role === 'admin' };
}

export async function refreshContext() {
  context = await loadContext();
  showChrome();
  return context;
}

function showChrome() {
  const signedIn = !!context;
  document.getElementById('nav').hidden = !signedIn;
  document.getElementById('account').hidden = !signedIn;
  if (!signedIn) return;
  document.getElementById('who').textContent =
    `${context.me.name}${context.workspace ? ' · ' + context.workspace.name : ''}`;
  for (const el of document.querySelectorAll('[data-admin]')) el.hidden = !context.isAdmin;
}

function markNav(nav) {
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.dataset.nav === nav) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

async function render() {
  const id = ++renderId;
  main.dataset.ready = 'false';
  if (cleanup) { try { cleanup(); } catch { /* ignore */ } cleanup = null; }
  const path = location.pathname;
  const route = ROUTES.find((r) => r.pattern.test(path));
  if (!route) return notFound(path);
  if (!route.public && !session.token) return navigate('/login', { replace: true });
  if (!route.public && !context) {
    try {
      await refreshContext();
    } catch (e) {
      if (e.status === 401) return;  // hooks.unauthorized moved us to /login
      main.replaceChildren(h('p', { class: 'error', role: 'alert' }, `Cannot load your account: ${e.message}`));
      return;
    }
  }
  const match = path.match(route.pattern);
  const params = Object.fromEntries((route.params || []).map((name, i) => [name, decodeURIComponent(match[i + 1])]));
  markNav(route.nav);
  const module = await import(`./pages/${route.page}.js`);
  if (id !== renderId) return;  // the user moved on meanwhile
  main.replaceChildren();
  main.dataset.page = route.page;
  try {
    cleanup = (await module.render(main, { params, context, navigate, refreshContext })) || null;
  } catch (e) {
    if (e.status === 401) return;
    main.append(h('p', { class: 'error', role: 'alert' }, e.message));
  }
  if (id === renderId) {
    main.dataset.ready = 'true';
    main.focus({ preventScroll: true });
  }
}

function notFound(path) {
  main.replaceChildren(h('h1', {}, 'Not found'), h('p', {}, `Nothing lives at ${path}. `, h('a', { href: '/', 'data-link': true }, 'Back to recordings')));
}

export async function signOut() {
  try { await api.post('/v1/auth/logout'); } catch { /* the session may be gone already */ }
  session.token = null;
  context = null;
  showChrome();
  navigate('/login', { replace: true });
}

hooks.unauthorized = () => {
  session.token = null;
  context = null;
  showChrome();
  if (location.pathname !== '/login') {
    toast('Your session ended: please sign in again', true);
    navigate('/login', { replace: true });
  }
};

export function signedIn() {
  context = null;
}

// Internal links change the page without reloading it.
document.addEventListener('click', (event) => {
  const a = event.target.closest('a[data-link]');
  if (!a || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  navigate(a.getAttribute('href'));
});
window.addEventListener('popstate', render);
document.getElementById('sign-out').addEventListener('click', signOut);
render();
