// Tests for dnsmos.mjs: `node --test bench/`. Tests that run the model skip when the model file
// (or onnxruntime-node, before `npm run setup`) is missing; the WAV/windowing tests always run.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { defaultModelPath, readWav, resample, tile, windows, WINDOW_SAMPLES } from './dnsmos.mjs';

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'dnsmos.mjs');
const MODEL = defaultModelPath();
let skipModel = false;
if (!fs.existsSync(MODEL)) skipModel = `DNSMOS model not found at ${MODEL}`;
else {
  try {
    await import('onnxruntime-node');
  } catch {
    skipModel = 'onnxruntime-node not installed (npm run setup in bench/)';
  }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dnsmos-test-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

// Writes interleaved float samples as PCM16, PCM24 or float32 WAV.
function writeWav(file, samples, { rate = 16000, channels = 1, bits = 16, float = false } = {}) {
  const bytes = bits / 8;
  const data = Buffer.alloc(samples.length * bytes);
  samples.forEach((s, i) => {
    const o = i * bytes;
    if (float) data.writeFloatLE(s, o);
    else if (bits === 16) data.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(s * 32768))), o);
    else data.writeIntLE(Math.max(-8388608, Math.min(8388607, Math.round(s * 8388608))), o, 3);
  });
  const hdr = Buffer.alloc(44);
  hdr.write('RIFF', 0, 'latin1');
  hdr.writeUInt32LE(36 + data.length, 4);
  hdr.write('WAVEfmt ', 8, 'latin1');
  hdr.writeUInt32LE(16, 16);
  hdr.writeUInt16LE(float ? 3 : 1, 20);
  hdr.writeUInt16LE(channels, 22);
  hdr.writeUInt32LE(rate, 24);
  hdr.writeUInt32LE(rate * channels * bytes, 28);
  hdr.writeUInt16LE(channels * bytes, 32);
  hdr.writeUInt16LE(bits, 34);
  hdr.write('data', 36, 'latin1');
  hdr.writeUInt32LE(data.length, 40);
  fs.writeFileSync(file, Buffer.concat([hdr, data]));
  return file;
}

// Deterministic pseudo-random numbers so failures reproduce.
function lcg(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296) * 2 - 1;
}

function whiteNoise(seconds, amp = 0.1) {
  const r = lcg(1);
  return Float32Array.from({ length: seconds * 16000 }, () => amp * r());
}

// Speech-like: a gliding 100-160 Hz pulse train through three formant resonators, gated at a
// syllable rate of 4 Hz, so the model sees voiced harmonics with pauses rather than a steady tone.
function voiced(seconds) {
  const fs_ = 16000;
  const n = seconds * fs_;
  const out = new Float32Array(n);
  const formants = [700, 1200, 2600].map((f, i) => {
    const r = Math.exp((-Math.PI * [80, 100, 150][i]) / fs_);
    return { a1: 2 * r * Math.cos((2 * Math.PI * f) / fs_), a2: -r * r, y1: 0, y2: 0 };
  });
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const t = i / fs_;
    const f0 = 130 + 30 * Math.sin(2 * Math.PI * 0.7 * t);
    phase += f0 / fs_;
    let e = 0;
    if (phase >= 1) (phase -= 1), (e = 1);
    let y = 0;
    for (const f of formants) {
      const v = e + f.a1 * f.y1 + f.a2 * f.y2;
      f.y2 = f.y1;
      f.y1 = v;
      y += v;
    }
    const gate = Math.max(0, Math.sin(2 * Math.PI * 4 * t)) ** 0.5;
    out[i] = y * gate;
  }
  const peak = out.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  return out.map((v) => (0.3 * v) / peak);
}

function runCli(args) {
  const r = spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('readWav decodes PCM16, PCM24 and float32, averaging stereo channels', () => {
  const left = [0.5, -0.25, 0.125];
  const right = [0.0, -0.75, 0.375];
  const inter = left.flatMap((l, i) => [l, right[i]]);
  const cases = [{ bits: 16 }, { bits: 24 }, { bits: 32, float: true }];
  for (const c of cases) {
    const f = writeWav(path.join(tmp, `st${c.bits}.wav`), inter, { ...c, channels: 2, rate: 22050 });
    const { samples, rate } = readWav(f);
    assert.equal(rate, 22050);
    assert.equal(samples.length, 3);
    left.forEach((l, i) => assert.ok(Math.abs(samples[i] - (l + right[i]) / 2) < 1e-4, `${c.bits} bit`));
  }
});

test('resample keeps a 1 kHz tone at 1 kHz and its level', () => {
  const x = Float32Array.from({ length: 48000 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 1000 * i) / 48000));
  const y = resample(x, 48000, 16000);
  assert.equal(y.length, 16000);
  let err = 0;
  for (let i = 1000; i < 15000; i++) err = Math.max(err, Math.abs(y[i] - 0.5 * Math.sin((2 * Math.PI * 1000 * i) / 16000)));
  assert.ok(err < 1e-3, `max error ${err}`);
});

test('a 2 s clip is tiled by doubling to 16 s, giving 7 windows of 9.01 s', () => {
  const clip = voiced(2);
  const tiled = tile(clip);
  assert.equal(tiled.length, 16 * 16000);
  assert.deepEqual(tiled.subarray(3 * 32000, 4 * 32000), clip);
  const w = windows(clip);
  assert.equal(w.length, 7);
  for (const seg of w) assert.equal(seg.length, WINDOW_SAMPLES);
  // dnsmos_local.py truncates: 10.6 s gives int(10 - 9.01) + 1 = 1 window, not 2.
  assert.equal(windows(new Float32Array(169600)).length, 1);
});

test('CLI scores white noise and a voiced signal in 1..5, JSON has the documented shape', { skip: skipModel }, () => {
  const noise = writeWav(path.join(tmp, 'noise.wav'), whiteNoise(10));
  const speech = writeWav(path.join(tmp, 'voiced.wav'), voiced(10));
  const r = runCli(['--json', noise, speech]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.ok(Array.isArray(out.files));
  assert.deepEqual(out.files.map((f) => f.file), [noise, speech]);
  for (const f of [...out.files, out.mean]) {
    for (const k of ['sig', 'bak', 'ovrl']) {
      assert.equal(typeof f[k], 'number');
      assert.ok(f[k] >= 1 && f[k] <= 5, `${k}=${f[k]}`);
    }
  }
  assert.ok(Math.abs(out.mean.ovrl - (out.files[0].ovrl + out.files[1].ovrl) / 2) < 1e-12);
  // Broadband noise has no speech and a terrible background: BAK must be far below the clean signal.
  assert.ok(out.files[1].bak > out.files[0].bak + 1, JSON.stringify(out.files));

  const text = runCli([noise]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^\s*SIG\s+BAK\s+OVRL/m);
  assert.match(text.stdout, /mean of 1 file/);
});

test('CLI tiles a 2 s clip: same score as the clip pre-tiled to 16 s', { skip: skipModel }, () => {
  const clip = voiced(2);
  const short = writeWav(path.join(tmp, 'short.wav'), clip, { bits: 32, float: true });
  const long = writeWav(path.join(tmp, 'long.wav'), tile(clip), { bits: 32, float: true });
  const r = runCli(['--json', short, long]);
  assert.equal(r.code, 0, r.stderr);
  const [a, b] = JSON.parse(r.stdout).files;
  assert.equal(a.windows, 7);
  assert.deepEqual([a.sig, a.bak, a.ovrl], [b.sig, b.bak, b.ovrl]);
});

test('CLI fails with one line on a corrupt or missing file', () => {
  const corrupt = path.join(tmp, 'corrupt.wav');
  fs.writeFileSync(corrupt, Buffer.from('RIFF\x10\x00\x00\x00WAVEjunkjunkjunk', 'latin1'));
  const garbage = path.join(tmp, 'garbage.wav');
  fs.writeFileSync(garbage, Buffer.alloc(1000, 7));
  for (const f of [corrupt, garbage, path.join(tmp, 'missing.wav')]) {
    const r = runCli([f]);
    assert.notEqual(r.code, 0);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^dnsmos: error: .+\n$/);
  }
  const ok = writeWav(path.join(tmp, 'ok.wav'), whiteNoise(1));
  const badModel = runCli(['--model', path.join(tmp, 'nope.onnx'), ok]);
  assert.notEqual(badModel.code, 0);
  assert.match(badModel.stderr, /model not found/);
});
