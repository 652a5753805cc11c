// The workspace's audit log (admins, privacy P14): who did what to which object, newest first.
import { api } from '../api.js';
import { dateTime, h } from '../dom.js';

export async function render(main, { context }) {
  const ws = context.workspace;
  main.append(h('h1', {}, 'Audit log'));
  if (!ws || !context.isAdmin) {
    main.append(h('p', {}, 'The audit log is for workspace admins.'));
    return;
  }
  const [{ entries }, { members }] = await Promise.all([
    api.get(`/v1/workspaces/${ws.id}/audit`), api.get(`/v1/workspaces/${ws.id}/members`)]);
  const names = new Map(members.map((m) => [m.user_id, m.name || m.email]));
  const rows = [...entries].sort((a, b) => b.at - a.at);
  main.append(h('section', { class: 'panel', 'aria-label': 'Entries' },
    rows.length ? h('table', {},
      h('caption', { class: 'muted' }, `${rows.length} entr${rows.length === 1 ? 'y' : 'ies'} in ${ws.name}`),
      h('thead', {}, h('tr', {}, ['When', 'Who', 'Action', 'Object'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows.map((e) => h('tr', {},
        h('td', {}, dateTime(e.at)), h('td', {}, names.get(e.actor_id) || e.actor_id || 'hushd'),
        h('td', {}, h('code', {}, e.action)), h('td', {}, `${e.target_kind} ${e.target_id}`))))) :
      h('p', { class: 'muted' }, 'No entries yet.')));
}
