// The workspace's recordings: title/transcript search (GET /v1/recordings?q=) and upload.
import { api } from '../api.js';
import { checkbox, clock, dateTime, field, h, toast } from '../dom.js';

export async function render(main, { context }) {
  const ws = context.workspace;
  if (!ws) {
    main.append(h('h1', {}, 'Recordings'), h('p', {}, 'You are not a member of any workspace yet.'));
    return;
  }
  const query = h('input', { type: 'search', name: 'q', placeholder: 'Words in a title or transcript' });
  query.value = new URLSearchParams(location.search).get('q') || '';
  const list = h('div', { 'aria-live': 'polite' });
  const search = h('form', { role: 'search', class: 'row' }, field('Search recordings', query), h('div', { class: 'field' }, h('button', { type: 'submit' }, 'Search')));

  async function load() {
    const q = query.value.trim();
    history.replaceState({}, '', q ? `/?q=${encodeURIComponent(q)}` : '/');
    const { recordings } = await api.get(`/v1/recordings?workspace_id=${encodeURIComponent(ws.id)}&q=${encodeURIComponent(q)}`);
    if (!recordings.length) {
      list.replaceChildren(h('p', { class: 'muted' }, q ? `No recording matches “${q}”.` : 'No recordings yet.'));
      return;
    }
    list.replaceChildren(h('table', {},
      h('caption', { class: 'muted' }, `${recordings.length} recording${recordings.length === 1 ? '' : 's'}`),
      h('thead', {}, h('tr', {}, ['Title', 'Status', 'Length', 'Created'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, recordings.map((r) => h('tr', {},
        h('td', {}, h('a', { href: `/recordings/${encodeURIComponent(r.id)}`, 'data-link': true }, r.title || r.id)),
        h('td', {}, h('span', { class: `status ${r.status}` }, r.status)),
        h('td', {}, clock(r.duration_s)),
        h('td', {}, dateTime(r.created_at)))))));
  }
  search.addEventListener('submit', (event) => { event.preventDefault(); load().catch((e) => toast(e.message, true)); });

  main.append(h('h1', {}, 'Recordings'), h('section', { class: 'panel', 'aria-label': 'Search' }, search, list),
    uploadPanel(ws, load));
  await load();
}

function uploadPanel(ws, reload) {
  const file = h('input', { type: 'file', name: 'file', accept: 'audio/*', required: true });
  const title = h('input', { type: 'text', name: 'title' });
  const consent = checkbox('Everyone recorded agreed to it', false, { name: 'consent', required: true });
  const form = h('form', { class: 'panel', 'aria-labelledby': 'upload-title' },
    h('h2', { id: 'upload-title' }, 'Upload a recording'),
    ws.settings.recording_enabled ? null : h('p', { class: 'muted' }, 'Recording is turned off in this workspace: an admin can turn it on under Workspace.'),
    h('div', { class: 'row' }, field('Audio file', file), field('Title', title)), consent.element,
    h('button', { type: 'submit' }, 'Upload'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData();
    data.append('title', title.value || file.files[0]?.name || 'recording');
    data.append('consent', consent.input.checked ? 'true' : 'false');
    data.append('file', file.files[0]);
    try {
      await api.post(`/v1/recordings?workspace_id=${encodeURIComponent(ws.id)}`, data);
      form.reset();
      toast('Uploaded: transcription has started');
      await reload();
    } catch (e) {
      toast(e.message, true);
    }
  });
  return form;
}
