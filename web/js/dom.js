// Small DOM helpers. Everything is built with createElement and textContent (never innerHTML
// with data), and styles go through CSSOM, which the strict CSP allows.

// h('button', {type: 'button', onclick: fn, class: 'x'}, 'text', child, ...)
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = value;
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (name === 'style') Object.assign(el.style, value);
    else if (name in el && typeof value !== 'string') el[name] = value;
    else el.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

// 75.4 -> "1:15"; 3723 -> "1:02:03"
export function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds || 0));
  const mm = String(Math.floor((s % 3600) / 60));
  const ss = String(s % 60).padStart(2, '0');
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mm.padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

export function dateTime(epochSeconds) {
  return epochSeconds ? new Date(epochSeconds * 1000).toLocaleString() : '';
}

let toastTimer = 0;
export function toast(message, bad = false) {
  const el = document.getElementById('toast');
  el.textContent = message;
  el.classList.toggle('bad', bad);
  el.classList.add('show');
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => el.classList.remove('show'), 3000);
}

// A labelled form control: field('Title', h('input', {...})).
export function field(label, control, hint) {
  if (!control.id) control.id = 'f-' + Math.random().toString(36).slice(2, 9);
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control,
    hint ? h('div', { class: 'muted' }, hint) : null);
}

export function checkbox(label, checked, attrs = {}) {
  const input = h('input', { type: 'checkbox', ...attrs });
  input.checked = !!checked;
  return { input, element: h('label', { class: 'check' }, input, label) };
}

// Saves bytes as a file through a temporary link (the download has to carry the session
// header, so it cannot be a plain link to the API).
export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// Speaker colours, distinguishable and with enough contrast on white.
export const SPEAKER_COLOURS = ['#2f5d8a', '#c05621', '#2f855a', '#8a3ffc', '#b83280', '#2c7a7b', '#975a16', '#4a5568'];
export function speakerColour(index) {
  return index >= 0 ? SPEAKER_COLOURS[index % SPEAKER_COLOURS.length] : '#718096';
}
