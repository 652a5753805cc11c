// One recording: the audio (fetched with the session header as a blob: an <audio> element
// cannot send headers), the transcript with clickable timestamps, a speaker timeline and the
// meeting notes.
import { api } from '../api.js';
import { clock, dateTime, h, speakerColour, toast } from '../dom.js';
import { notesSection } from '../notes.js';

// The blob's type from its first bytes: the API sends audio as application/octet-stream.
function audioType(bytes) {
  const tag = String.fromCharCode(...bytes.slice(0, 4));
  if (tag === 'RIFF') return 'audio/wav';
  if (tag === 'OggS') return 'audio/ogg';
  if (tag === 'fLaC') return 'audio/flac';
  if (tag.startsWith('ID3') || (bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0)) return 'audio/mpeg';
  return 'application/octet-stream';
}

export async function render(main, { params }) {
  let recording = await api.get(`/v1/recordings/${encodeURIComponent(params.id)}`);
  let timer = 0;
  let objectUrl = null;
  const heading = h('h1', {}, recording.title || recording.id);
  main.append(h('p', {}, h('a', { href: '/', 'data-link': true }, '← All recordings')), heading);
  if (recording.status === 'deleted') {
    main.append(h('p', {}, `This recording was deleted on ${dateTime(recording.deleted_at)}.`));
    return null;
  }
  const statusLine = h('p', { class: 'muted', 'aria-live': 'polite' });
  main.append(statusLine);
  const body = h('div');
  main.append(body);

  // Waits for a queued recording's transcript.
  const poll = async () => {
    recording = await api.get(`/v1/recordings/${encodeURIComponent(params.id)}`);
    if (recording.status === 'queued' || recording.status === 'processing') {
      statusLine.textContent = `Transcribing… (${recording.status})`;
      timer = setTimeout(() => poll().catch((e) => toast(e.message, true)), 2000);
      return;
    }
    statusLine.textContent = `${recording.status} · ${clock(recording.duration_s)} · ${dateTime(recording.created_at)}`
      + (recording.legal_hold ? ' · on legal hold' : '');
    objectUrl = await show(body, recording);
  };
  await poll();
  return () => {
    clearTimeout(timer);
    if (objectUrl) URL.revokeObjectURL(objectUrl);
  };
}

async function show(body, recording) {
  const audio = h('audio', { controls: true, preload: 'metadata', 'aria-label': 'Recording audio' });
  let objectUrl = null;
  try {
    const blob = await api.blob(`/v1/recordings/${encodeURIComponent(recording.id)}/audio`);
    const bytes = new Uint8Array(await blob.slice(0, 4).arrayBuffer());
    objectUrl = URL.createObjectURL(new Blob([blob], { type: audioType(bytes) }));
    audio.src = objectUrl;
  } catch (e) {
    audio.replaceWith(h('p', { class: 'muted' }, `No audio: ${e.message}`));
  }
  const seek = (seconds) => {
    audio.currentTime = seconds;
    audio.play().catch(() => { /* autoplay may be refused; the position is set */ });
  };
  const transcript = recording.transcript;
  const playerPanel = h('section', { class: 'panel', 'aria-labelledby': 'player-title' },
    h('h2', { id: 'player-title' }, 'Listen'), audio);
  if (transcript) playerPanel.append(timeline(transcript, audio, seek));
  if (recording.error) playerPanel.append(h('p', { class: 'error' }, recording.error));

  const left = h('div', {}, playerPanel);
  if (transcript) left.append(transcriptPanel(transcript, audio, seek));
  const right = h('div', {}, notesSection(recording.notes, seek));
  body.replaceChildren(h('div', { class: 'grid-2' }, left, right));
  return objectUrl;
}

function speakerLabel(transcript, index) {
  return transcript.speakers?.[index]?.label || (index >= 0 ? `Speaker ${index + 1}` : 'Unknown');
}

function duration(transcript) {
  const end = Math.max(0, ...transcript.segments.map((s) => s.end_s));
  return Math.max(transcript.duration_s || 0, end) || 1;
}

// One lane per speaker, a bar per segment, positioned in % of the recording's length.
function timeline(transcript, audio, seek) {
  const total = duration(transcript);
  const speakers = [...new Set(transcript.segments.map((s) => s.speaker))].sort((a, b) => a - b);
  const playheads = [];
  const lanes = speakers.map((speaker) => {
    const track = h('div', { class: 'track' });
    for (const seg of transcript.segments.filter((s) => s.speaker === speaker)) {
      const bar = h('button', {
        type: 'button', class: 'bar', title: `${speakerLabel(transcript, speaker)} ${clock(seg.start_s)}–${clock(seg.end_s)}`,
        'aria-label': `${speakerLabel(transcript, speaker)} from ${clock(seg.start_s)} to ${clock(seg.end_s)}`,
        onclick: () => seek(seg.start_s),
        style: { left: `${(100 * seg.start_s) / total}%`, width: `${(100 * (seg.end_s - seg.start_s)) / total}%`, background: speakerColour(speaker) },
      });
      track.append(bar);
    }
    const playhead = h('div', { class: 'playhead', 'aria-hidden': 'true', style: { left: '0%' } });
    playheads.push(playhead);
    track.append(playhead);
    return h('div', { class: 'lane' }, h('span', { class: 'speaker' }, h('span', { class: 'swatch', style: { background: speakerColour(speaker) } }), speakerLabel(transcript, speaker)), track);
  });
  audio.addEventListener('timeupdate', () => {
    for (const p of playheads) p.style.left = `${Math.min(100, (100 * audio.currentTime) / total)}%`;
  });
  return h('div', { class: 'timeline', role: 'group', 'aria-label': 'Speaker timeline' }, lanes);
}

function transcriptPanel(transcript, audio, seek) {
  const items = transcript.segments.map((seg) => h('li', { dataset: { start: seg.start_s, end: seg.end_s } },
    h('button', { type: 'button', class: 'link timestamp', 'aria-label': `Play from ${clock(seg.start_s)}`, onclick: () => seek(seg.start_s) }, clock(seg.start_s)),
    h('span', { class: 'speaker' }, h('span', { class: 'swatch', style: { background: speakerColour(seg.speaker) } }), speakerLabel(transcript, seg.speaker)),
    h('span', { class: 'text' }, seg.text)));
  audio.addEventListener('timeupdate', () => {
    for (const li of items) {
      const t = audio.currentTime;
      li.classList.toggle('current', t >= Number(li.dataset.start) && t < Number(li.dataset.end));
    }
  });
  return h('section', { class: 'panel', 'aria-labelledby': 'transcript-title' }, h('h2', { id: 'transcript-title' }, 'Transcript'),
    items.length ? h('ol', { class: 'transcript' }, items) : h('p', { class: 'muted' }, 'No speech was found.'));
}
