// Workspace settings (admins change them, others read): recording, notes, the external
// summarizer, retention, legal hold; members and their roles.
import { api } from '../api.js';
import { checkbox, field, h, toast } from '../dom.js';

const ROLES = ['viewer', 'member', 'admin', 'owner'];

function roleSelect(value, attrs = {}) {
  const select = h('select', attrs, ROLES.map((r) => h('option', { value: r }, r)));
  select.value = value;
  return select;
}

export async function render(main, { context, refreshContext }) {
  const ws = context.workspace;
  if (!ws) {
    main.append(h('h1', {}, 'Workspace'), h('p', {}, 'You are not a member of any workspace yet.'));
    return;
  }
  const admin = context.isAdmin;
  main.append(h('h1', {}, `Workspace: ${ws.name}`));
  if (!admin) main.append(h('p', { class: 'muted' }, `You are a ${context.role || 'guest'} here: only admins change settings and members.`));
  main.append(settingsForm(ws, admin, refreshContext), await membersPanel(ws, admin, context.me));
}

function settingsForm(ws, admin, refreshContext) {
  const s = ws.settings;
  const boxes = {
    recording_enabled: checkbox('Recording: members may upload and record calls', s.recording_enabled, { name: 'recording_enabled' }),
    notes_enabled: checkbox('Meeting notes: summaries and action items from transcripts', s.notes_enabled, { name: 'notes_enabled' }),
    external_summarizer: checkbox('External summarizer (sends transcripts to the configured service)', s.external_summarizer, { name: 'external_summarizer' }),
    legal_hold: checkbox('Legal hold: nothing in this workspace is deleted', s.legal_hold, { name: 'legal_hold' }),
  };
  const retention = h('input', { type: 'number', name: 'retention_days', min: '0', step: '1' });
  retention.value = String(s.retention_days);
  const save = h('button', { type: 'submit' }, 'Save settings');
  const form = h('form', { class: 'panel', 'aria-labelledby': 'settings-title' },
    h('h2', { id: 'settings-title' }, 'Recording and notes'),
    h('fieldset', { disabled: !admin },
      h('legend', { class: 'muted' }, 'What this workspace keeps'),
      Object.values(boxes).map((b) => b.element),
      field('Retention (days)', retention, '0 keeps recordings until they are deleted.'),
      save));
  if (ws.subprocessors?.length) {
    form.append(h('h3', {}, 'Subprocessors'), h('ul', {}, ws.subprocessors.map((p) =>
      h('li', {}, `${p.name}: ${p.purpose} (${p.enabled ? 'on' : 'off'})`))));
  }
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = Object.fromEntries(Object.entries(boxes).map(([k, b]) => [k, b.input.checked]));
    body.retention_days = Number.parseInt(retention.value, 10) || 0;
    try {
      const updated = await api.patch(`/v1/workspaces/${ws.id}/settings`, body);
      Object.assign(ws.settings, updated.settings);
      await refreshContext();
      toast('Settings saved');
    } catch (e) {
      toast(e.message, true);
    }
  });
  return form;
}

async function membersPanel(ws, admin, me) {
  const panel = h('section', { class: 'panel', 'aria-labelledby': 'members-title' }, h('h2', { id: 'members-title' }, 'Members'));
  const table = h('div');
  panel.append(table);
  const reload = async () => {
    const { members } = await api.get(`/v1/workspaces/${ws.id}/members`);
    table.replaceChildren(h('table', {},
      h('thead', {}, h('tr', {}, ['Name', 'E-mail', 'Role', ''].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, members.map((m) => memberRow(ws, m, admin && m.user_id !== me.id, reload)))));
  };
  try {
    await reload();
  } catch (e) {
    table.replaceChildren(h('p', { class: 'muted' }, e.message));
  }
  if (admin) panel.append(addMemberForm(ws, reload));
  return panel;
}

function memberRow(ws, m, editable, reload) {
  const role = roleSelect(m.role, { 'aria-label': `Role of ${m.email}`, disabled: !editable });
  role.addEventListener('change', async () => {
    try {
      await api.put(`/v1/workspaces/${ws.id}/members`, { email: m.email, role: role.value });
      toast(`${m.email} is now ${role.value}`);
      await reload();
    } catch (e) {
      toast(e.message, true);
      role.value = m.role;
    }
  });
  const remove = editable ? h('button', { type: 'button', class: 'secondary', 'aria-label': `Remove ${m.email}`, onclick: async () => {
    if (!window.confirm(`Remove ${m.email} from ${ws.name}?`)) return;
    try {
      await api.del(`/v1/workspaces/${ws.id}/members/${encodeURIComponent(m.user_id)}`);
      toast(`${m.email} removed`);
      await reload();
    } catch (e) {
      toast(e.message, true);
    }
  } }, 'Remove') : null;
  return h('tr', { dataset: { email: m.email } }, h('td', {}, m.name), h('td', {}, m.email), h('td', {}, role), h('td', {}, remove));
}

function addMemberForm(ws, reload) {
  const email = h('input', { type: 'email', name: 'member_email', required: true });
  const role = roleSelect('member', { name: 'member_role' });
  const form = h('form', { class: 'row', 'aria-label': 'Add a member' },
    field('E-mail of an existing account', email), field('Role', role), h('div', { class: 'field' }, h('button', { type: 'submit' }, 'Add member')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await api.put(`/v1/workspaces/${ws.id}/members`, { email: email.value, role: role.value });
      toast(`${email.value} added as ${role.value}`);
      form.reset();
      await reload();
    } catch (e) {
      toast(e.message, true);
    }
  });
  return h('div', {}, h('h3', {}, 'Add a member'), form);
}
