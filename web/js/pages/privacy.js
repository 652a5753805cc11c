// The privacy centre: the signed-in user's rights (P9-P11): export, restriction, erasure,
// consents and the voice profile used for speaker identification.
import { api, session } from '../api.js';
import { checkbox, field, h, saveBlob, toast } from '../dom.js';

const CONSENTS = {
  speaker_identification: 'Speaker identification: recognise my voice in recordings (uses my voice profile)',
  training_feedback: 'Training feedback: my ratings and corrections may improve the models',
  recording: 'Recording: I agree to be recorded in this workspace’s calls',
};

export async function render(main, { context, navigate, refreshContext }) {
  const me = await api.get('/v1/me');
  main.append(h('h1', {}, 'Privacy centre'),
    h('p', { class: 'muted' }, `Signed in as ${me.name} <${me.email}>.`),
    exportPanel(), consentsPanel(me), voicePanel(), restrictPanel(me, refreshContext), deletePanel(me, navigate));
}

function exportPanel() {
  const button = h('button', { type: 'button' }, 'Download my data');
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      saveBlob(await api.blob('/v1/me/export'), 'hush-export.zip');
      toast('Your data export is downloading');
    } catch (e) {
      toast(e.message, true);
    } finally {
      button.disabled = false;
    }
  });
  return h('section', { class: 'panel', 'aria-labelledby': 'export-title' }, h('h2', { id: 'export-title' }, 'Export my data'),
    h('p', {}, 'A ZIP with everything Hush stores about you: your account, recordings (with audio), transcripts, notes, consents and the audit entries about you.'),
    button);
}

function consentsPanel(me) {
  const granted = new Set(me.consents || []);
  const boxes = Object.entries(CONSENTS).map(([kind, label]) => {
    const box = checkbox(label, granted.has(kind), { name: kind });
    box.input.addEventListener('change', async () => {
      try {
        await api.put(`/v1/me/consents/${kind}`, { granted: box.input.checked });
        toast(`${box.input.checked ? 'Granted' : 'Withdrawn'}: ${kind.replace('_', ' ')}`);
      } catch (e) {
        box.input.checked = !box.input.checked;
        toast(e.message, true);
      }
    });
    return box.element;
  });
  return h('section', { class: 'panel', 'aria-labelledby': 'consents-title' }, h('h2', { id: 'consents-title' }, 'Consents'),
    h('fieldset', {}, h('legend', { class: 'muted' }, 'Each one can be withdrawn at any time; withdrawing speaker identification deletes your voice profile.'), boxes));
}

function voicePanel() {
  const embedding = h('textarea', { name: 'embedding', placeholder: '[0.12, -0.4, …]' });
  const form = h('form', { class: 'panel', 'aria-labelledby': 'voice-title' }, h('h2', { id: 'voice-title' }, 'Speaker profile'),
    h('p', {}, 'Your voice profile lets Hush name you in transcripts. It needs the speaker identification consent above.'),
    field('Voice embedding (JSON array of numbers, e.g. from hush speakers)', embedding), h('button', { type: 'submit' }, 'Save voice profile'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    let values;
    try {
      values = JSON.parse(embedding.value);
      if (!Array.isArray(values) || !values.every((v) => typeof v === 'number')) throw new Error();
    } catch {
      toast('The embedding must be a JSON array of numbers', true);
      return;
    }
    try {
      await api.put('/v1/me/voice-profile', { embedding: values });
      toast('Voice profile saved');
    } catch (e) {
      toast(e.message, true);
    }
  });
  return form;
}

function restrictPanel(me, refreshContext) {
  const box = checkbox('Restrict processing: no new recordings, transcription or streams of my data', me.restricted, { name: 'restricted' });
  box.input.addEventListener('change', async () => {
    try {
      await api.post('/v1/me/restrict', { restricted: box.input.checked });
      toast(box.input.checked ? 'Processing of your data is restricted' : 'Restriction lifted');
      await refreshContext();
    } catch (e) {
      box.input.checked = !box.input.checked;
      toast(e.message, true);
    }
  });
  return h('section', { class: 'panel', 'aria-labelledby': 'restrict-title' }, h('h2', { id: 'restrict-title' }, 'Restrict processing'), box.element);
}

function deletePanel(me, navigate) {
  const confirmInput = h('input', { type: 'text', name: 'confirm_delete', autocomplete: 'off' });
  const button = h('button', { type: 'submit', class: 'danger', disabled: true }, 'Delete my account');
  confirmInput.addEventListener('input', () => { button.disabled = confirmInput.value !== me.email; });
  const form = h('form', { class: 'panel', 'aria-labelledby': 'delete-title' }, h('h2', { id: 'delete-title' }, 'Delete my account'),
    h('p', {}, 'Erases your account, sessions, keys, consents, voice profile and the recordings you own. This cannot be undone.'),
    field(`Type your e-mail address (${me.email}) to confirm`, confirmInput), button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await api.del('/v1/me');
      session.token = null;
      toast('Your account was deleted');
      navigate('/login', { replace: true });
    } catch (e) {
      toast(e.message, true);
    }
  });
  return form;
}
