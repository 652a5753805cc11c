// The meeting notes of a recording (summary, action items, decisions, questions, topics,
// chapters): whatever the recording's notes JSON has. Not a page of its own.
import { clock, h } from './dom.js';

function timeButton(seconds, seek) {
  return h('button', { type: 'button', class: 'link', 'aria-label': `Play from ${clock(seconds)}`, onclick: () => seek(seconds) }, clock(seconds));
}

function list(title, items, line) {
  if (!items?.length) return null;
  return [h('h3', {}, title), h('ul', {}, items.map((item) => h('li', {}, line(item))))];
}

export function notesSection(notes, seek) {
  const panel = h('section', { class: 'panel notes', 'aria-labelledby': 'notes-title' }, h('h2', { id: 'notes-title' }, 'Notes'));
  if (!notes) {
    panel.append(h('p', { class: 'muted' }, 'No notes for this recording (notes may be turned off in this workspace).'));
    return panel;
  }
  const parts = [
    list('Summary', notes.summary, (l) => [timeButton(l.time_s, seek), ' ', l.text]),
    list('Action items', notes.action_items, (a) => [timeButton(a.time_s, seek), ' ', a.text,
      a.owner ? h('span', { class: 'muted' }, ` — ${a.owner}`) : null, a.due ? h('span', { class: 'muted' }, ` (due ${a.due})`) : null]),
    list('Decisions', notes.decisions, (l) => [timeButton(l.time_s, seek), ' ', l.text]),
    list('Open questions', notes.questions, (l) => [timeButton(l.time_s, seek), ' ', l.text]),
    list('Chapters', notes.chapters, (c) => [timeButton(c.start_s, seek), ' ', c.title]),
    notes.topics?.length ? [h('h3', {}, 'Topics'), h('p', {}, notes.topics.join(', '))] : null,
  ].filter(Boolean);
  if (!parts.length) panel.append(h('p', { class: 'muted' }, 'The notes are empty.'));
  panel.append(...parts.flat());
  if (notes.summarizer) panel.append(h('p', { class: 'muted' }, `Summarizer: ${notes.summarizer}`));
  return panel;
}
