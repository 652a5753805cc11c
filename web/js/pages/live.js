// Live transcription over the Deepgram-shaped WebSocket (GET /v1/listen). Browsers cannot set
// headers on a WebSocket, so the session token goes as subprotocols ['token', <token>], which
// hushd accepts as Deepgram does. Audio: a file (decoded and sent at real-time pace) or the
// microphone (an AudioWorklet at 16 kHz).
import { session } from '../api.js';
import { checkbox, field, h, toast } from '../dom.js';
import { STREAM_RATE_HZ, decodeTo16k, toLinear16 } from '../pcm.js';

const CHUNK_S = 0.1;

export async function render(main, { context }) {
  const file = h('input', { type: 'file', name: 'audio', accept: 'audio/*' });
  const record = checkbox('Keep this call as a recording (everyone on it agreed)', false, { name: 'record' });
  const startFile = h('button', { type: 'button' }, 'Stream the file');
  const startMic = h('button', { type: 'button', class: 'secondary' }, 'Use the microphone');
  const stop = h('button', { type: 'button', class: 'secondary', disabled: true }, 'Stop');
  const state = h('p', { class: 'muted', role: 'status' }, 'Not streaming.');
  const finals = h('div', { class: 'finals' });
  const interim = h('p', { class: 'interim' });
  const output = h('section', { class: 'panel live-output', 'aria-labelledby': 'live-title', 'aria-live': 'polite' },
    h('h2', { id: 'live-title' }, 'Transcript'), finals, interim);
  main.append(h('h1', {}, 'Live transcription'),
    h('section', { class: 'panel', 'aria-label': 'Audio source' },
      h('div', { class: 'row' }, field('Audio file', file), h('div', { class: 'field' }, startFile), h('div', { class: 'field' }, startMic), h('div', { class: 'field' }, stop)),
      context.workspace?.settings.recording_enabled ? record.element : null, state),
    output);

  let stream = null;  // {socket, stopAudio}
  const setBusy = (busy) => { startFile.disabled = busy; startMic.disabled = busy; stop.disabled = !busy; };

  function open() {
    const params = new URLSearchParams({ encoding: 'linear16', sample_rate: String(STREAM_RATE_HZ), interim_results: 'true' });
    if (record.input.checked) {
      params.set('record', 'true');
      params.set('consent', 'true');
      params.set('title', `Live ${new Date().toLocaleString()}`);
    }
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/v1/listen?${params}`;
    const socket = new WebSocket(url, ['token', session.token]);
    socket.binaryType = 'arraybuffer';
    finals.replaceChildren();
    interim.textContent = '';
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(event.data);
      if (message.type === 'Results') {
        const text = message.channel?.alternatives?.[0]?.transcript || '';
        if (message.is_final) {
          if (text) finals.append(h('p', { class: 'final' }, text));
          interim.textContent = '';
        } else {
          interim.textContent = text;
        }
      } else if (message.type === 'Error') {
        toast(message.description || 'The stream failed', true);
      }
    });
    socket.addEventListener('close', (event) => {
      state.textContent = event.code === 1000 ? 'Stream ended.' : `Stream closed (${event.code}${event.reason ? ': ' + event.reason : ''}).`;
      if (stream?.stopAudio) stream.stopAudio();
      stream = null;
      setBusy(false);
    });
    socket.addEventListener('error', () => toast('The live stream could not connect', true));
    return socket;
  }

  startFile.addEventListener('click', async () => {
    const chosen = file.files[0];
    if (!chosen) { toast('Choose an audio file first', true); return; }
    setBusy(true);
    state.textContent = 'Decoding…';
    let samples;
    try {
      samples = await decodeTo16k(await chosen.arrayBuffer());
    } catch {
      toast('The browser cannot decode this file', true);
      setBusy(false);
      state.textContent = 'Not streaming.';
      return;
    }
    const socket = open();
    const chunk = Math.round(CHUNK_S * STREAM_RATE_HZ);
    let sent = 0;
    let timer = 0;
    let started = 0;
    // Real-time pace: send what the wall clock says should have been spoken by now.
    const pump = () => {
      const due = Math.min(samples.length, Math.ceil(((performance.now() - started) / 1000) * STREAM_RATE_HZ) + chunk);
      while (sent < due && socket.readyState === WebSocket.OPEN) {
        const end = Math.min(due, sent + chunk);
        socket.send(toLinear16(samples.subarray(sent, end)));
        sent = end;
      }
      state.textContent = `Streaming ${chosen.name}: ${(sent / STREAM_RATE_HZ).toFixed(1)} of ${(samples.length / STREAM_RATE_HZ).toFixed(1)} s`;
      if (sent >= samples.length) {
        clearInterval(timer);
        socket.send(JSON.stringify({ type: 'CloseStream' }));
        state.textContent = 'Finishing…';
      }
    };
    stream = { socket, stopAudio: () => clearInterval(timer) };
    socket.addEventListener('open', () => {
      started = performance.now();
      state.textContent = 'Streaming…';
      timer = setInterval(pump, CHUNK_S * 1000);
    });
  });

  startMic.addEventListener('click', async () => {
    setBusy(true);
    let media, audio;
    try {
      media = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression: false } });
      audio = new AudioContext({ sampleRate: STREAM_RATE_HZ });
      await audio.audioWorklet.addModule('/js/capture-worklet.js');
    } catch (e) {
      if (media) media.getTracks().forEach((t) => t.stop());
      toast(`No microphone: ${e.message}`, true);
      setBusy(false);
      return;
    }
    const socket = open();
    const source = audio.createMediaStreamSource(media);
    const capture = new AudioWorkletNode(audio, 'hush-capture');
    let pending = [];
    let pendingLength = 0;
    capture.port.onmessage = ({ data }) => {
      pending.push(data);
      pendingLength += data.length;
      if (pendingLength < CHUNK_S * STREAM_RATE_HZ || socket.readyState !== WebSocket.OPEN) return;
      const joined = new Float32Array(pendingLength);
      let at = 0;
      for (const part of pending) { joined.set(part, at); at += part.length; }
      pending = [];
      pendingLength = 0;
      socket.send(toLinear16(joined));
    };
    source.connect(capture);
    state.textContent = 'Listening to the microphone…';
    stream = {
      socket,
      stopAudio: () => {
        source.disconnect();
        media.getTracks().forEach((t) => t.stop());
        audio.close();
      },
    };
  });

  stop.addEventListener('click', () => {
    if (!stream) return;
    stream.stopAudio();
    if (stream.socket.readyState === WebSocket.OPEN) stream.socket.send(JSON.stringify({ type: 'CloseStream' }));
    state.textContent = 'Finishing…';
  });

  return () => {
    if (!stream) return;
    stream.stopAudio();
    stream.socket.close();
  };
}
