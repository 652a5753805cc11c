// A real hushd for the UI tests: a scratch data directory, accounts from `hushd admin create`
// (password on stdin), the server on a free port, and a speech recording uploaded through the
// API and transcribed.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const PASSWORD = 'a long enough password';

function createAccount(hushd, env, email, name) {
  const run = spawnSync(hushd, ['admin', 'create', '--email', email, '--name', name], { env, input: PASSWORD + '\n', encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`hushd admin create failed: ${run.stderr}`);
  const key = run.stdout.match(/^api key (\S+)/m)?.[1];
  const workspace = run.stdout.match(/^workspace (\S+)/m)?.[1];
  if (!key || !workspace) throw new Error(`unexpected admin create output: ${run.stdout}`);
  return { email, name, key, workspace };
}

// espeak-ng in two voices, joined into one 16-bit mono WAV: two "speakers" for the timeline.
export function speechWav(dir) {
  const parts = [
    ['en+m3', 'Good morning everyone. This is the weekly planning meeting. We need to review the budget and the release date.'],
    ['en+f4', 'I will send the report to the team by Friday. We decided to move the release to next month.'],
  ];
  const pcm = [];
  let rate = 0;
  parts.forEach(([voice, text], i) => {
    const file = path.join(dir, `part${i}.wav`);
    const run = spawnSync('espeak-ng', ['-v', voice, '-s', '150', '-w', file, text]);
    if (run.status !== 0) throw new Error(`espeak-ng failed: ${run.stderr}`);
    const wav = fs.readFileSync(file);
    rate = wav.readUInt32LE(24);
    const data = wav.indexOf('data', 12, 'latin1');
    pcm.push(wav.subarray(data + 8));
    pcm.push(Buffer.alloc(Math.round(rate * 0.8) * 2));  // a pause between the speakers
  });
  const body = Buffer.concat(pcm);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1'); header.writeUInt32LE(36 + body.length, 4); header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16); header.writeUInt16LE(1, 20); header.writeUInt16LE(1, 22); header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28); header.writeUInt16LE(2, 32); header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1'); header.writeUInt32LE(body.length, 40);
  const out = path.join(dir, 'meeting.wav');
  fs.writeFileSync(out, Buffer.concat([header, body]));
  return out;
}

export async function startHushd(hushdPath) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-web-'));
  const env = { ...process.env, HUSHD_DATA: path.join(dir, 'data') };
  const admin = createAccount(hushdPath, env, 'ada@example.com', 'Ada Admin');
  const other = createAccount(hushdPath, env, 'bob@example.com', 'Bob Builder');
  const child = spawn(hushdPath, ['--listen', '127.0.0.1:0', '--workers', '1', '--web-root', WEB_ROOT], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hushd did not start:\n${log}`)), 20000);
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const m = log.match(/serving on http:\/\/127\.0\.0\.1:(\d+)/);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`hushd exited with ${code}:\n${log}`)); });
  });
  const base = `http://127.0.0.1:${port}`;
  const call = async (method, target, body, key = admin.key) => {
    const headers = { Authorization: `Bearer ${key}` };
    if (body && !(body instanceof FormData)) headers['Content-Type'] = 'application/json';
    const r = await fetch(base + target, { method, headers, body: body instanceof FormData ? body : body && JSON.stringify(body) });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${target} -> ${r.status}: ${text}`);
    return text ? JSON.parse(text) : {};
  };
  return {
    dir, base, admin, other, call, log: () => log,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Uploads a WAV as a recording and waits for its transcript.
export async function uploadAndWait(server, wavPath, title, timeoutMs = 180000) {
  const form = new FormData();
  form.append('title', title);
  form.append('consent', 'true');
  form.append('file', new Blob([fs.readFileSync(wavPath)], { type: 'audio/wav' }), path.basename(wavPath));
  const { id } = await server.call('POST', '/v1/recordings', form);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await server.call('GET', `/v1/recordings/${id}`);
    if (r.status === 'completed') return r;
    if (r.status === 'failed') throw new Error(`transcription failed: ${r.error}`);
    if (Date.now() > deadline) throw new Error(`recording ${id} still ${r.status}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}
