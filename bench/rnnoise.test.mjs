// Tests for rnnoise.mjs (`node --test bench/`): each RNNoise release denoises speech in white
// noise into a 16 kHz file of the same length, quieter where there is only noise, and lined up
// with the clean speech (hush-bench scores it sample by sample against the clean clip). Skipped
// without sox, the npm packages (`npm run setup` in bench/) or ../shared/data's speech.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { readWav } from './dnsmos.mjs';

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'rnnoise.mjs');
const RATE_HZ = 16000;
const RAW = ['-t', 'raw', '-e', 'floating-point', '-b', '32', '-c', '1', '-r', String(RATE_HZ)];
const DATA = process.env.HUSH_DATA || path.resolve(path.dirname(SCRIPT), '..', '..', 'shared', 'data');
const SPEECH = path.join(DATA, 'speech/librispeech-mini/6272/70171/6272-70171-0021.flac');

let skip = false;
if (spawnSync('sox', ['--version']).status !== 0) skip = 'sox not installed';
else if (!fs.existsSync(SPEECH)) skip = `no test speech at ${SPEECH} (HUSH_DATA)`;
else {
  const modules = path.join(path.dirname(SCRIPT), 'node_modules');
  for (const p of ['@shiguredo/rnnoise-wasm', '@jitsi/rnnoise-wasm']) {
    if (!fs.existsSync(path.join(modules, p, 'package.json'))) skip = `${p} not installed (npm run setup in bench/)`;
  }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rnnoise-test-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

// 1 s of white noise, then a LibriSpeech utterance in the same noise at 10 dB SNR. Returns the
// clean speech as placed in the clip.
function writeTestClip(file) {
  const r = spawnSync('sox', [SPEECH, ...RAW, '-']);
  assert.equal(r.status, 0, r.stderr?.toString());
  const speech = new Float32Array(new Uint8Array(r.stdout).buffer);
  const clean = new Float32Array(RATE_HZ + speech.length);
  clean.set(speech, RATE_HZ);
  const noiseRms = Math.sqrt(energy(speech, 0, speech.length) / speech.length) / Math.sqrt(10);
  let seed = 12345;
  const uniform = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  const noisy = clean.map((v) => v + noiseRms * Math.sqrt(3) * uniform());
  const w = spawnSync('sox', [...RAW, '-', '-e', 'floating-point', '-b', '32', file], { input: Buffer.from(noisy.buffer) });
  assert.equal(w.status, 0, w.stderr?.toString());
  return { clean, noisy };
}

const energy = (x, from, to) => x.subarray(from, to).reduce((a, v) => a + v * v, 0);

for (const release of ['0.1', '0.2']) {
  test(`RNNoise ${release}: same length and rate, noise removed, output aligned with the input`, { skip }, () => {
    const input = path.join(tmp, `in-${release}.wav`), output = path.join(tmp, `out-${release}.wav`);
    const { clean, noisy: x } = writeTestClip(input);
    const r = spawnSync(process.execPath, [SCRIPT, '--in', input, '--out', output, '--release', release]);
    assert.equal(r.status, 0, r.stderr.toString());
    const y = readWav(output);
    assert.equal(y.rate, RATE_HZ);
    assert.equal(y.samples.length, x.length);
    assert.ok(y.samples.every(Number.isFinite));
    // Noise only (after 0.3 s to adapt): at least 10 dB quieter.
    const noiseOnly = [0.3 * RATE_HZ, RATE_HZ];
    const reductionDb = 10 * Math.log10(energy(x, ...noiseOnly) / energy(y.samples, ...noiseOnly));
    assert.ok(reductionDb > 10, `noise only ${reductionDb.toFixed(1)} dB quieter`);
    // The speech lines up with the clean speech: their cross-correlation peaks at lag 0.
    const from = 1.2 * RATE_HZ, to = 3.2 * RATE_HZ;
    let best = 0, bestLag = NaN;
    for (let lag = -480; lag <= 480; ++lag) {
      let c = 0;
      for (let i = from; i < to; ++i) c += clean[i] * y.samples[i + lag];
      if (c > best) [best, bestLag] = [c, lag];
    }
    assert.equal(bestLag, 0);
  });
}

test('an unknown release is a clear error', { skip }, () => {
  const r = spawnSync(process.execPath, [SCRIPT, '--in', 'x.wav', '--out', 'y.wav', '--release', '9']);
  assert.equal(r.status, 1);
  assert.match(r.stderr.toString(), /--release is 0.1 or 0.2, not 9/);
});
