#!/usr/bin/env node
// Runs RNNoise (xiph's recurrent noise suppressor, built to WebAssembly) over the dev set's noisy
// clips, so that `hush-bench quality --enhanced DIR` can score it beside Hush's engines: issue 3's
// bar is "clearly better than RNNoise on every metric". Two releases, from npm:
//   --release 0.2 (default): RNNoise 0.2 (2024, its larger model), npm @shiguredo/rnnoise-wasm;
//   --release 0.1: the original RNNoise (2017), npm @jitsi/rnnoise-wasm's dist/rnnoise.wasm.
//
//   node bench/rnnoise.mjs --devset build/release/devset [--release R] [--out DIR]
//       # DIR default DEVSET/enhanced-rnnoise-R
//   node bench/rnnoise.mjs --in IN.wav --out OUT.wav [--release R]
//
// RNNoise runs only at 48 kHz on 480-sample frames of 16-bit-scaled floats. sox (Debian's, its
// very-high-quality resampler) converts each 16 kHz clip to 48 kHz and back. The output is
// advanced by RNNoise's delay (0.1: one 10 ms frame, 0.2: two; measured: there the
// cross-correlation of its output with the clean clip peaks), so it lines up with the clean
// reference the way Hush's latency-aligned offline output does, and keeps the input's length.
// This measures quality only: WebAssembly run through Node is no measure of RNNoise's speed.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const RATE_HZ = 48000;
const DELAY_FRAMES = { '0.1': 1, '0.2': 2 };

function sox(args, input) {
  const r = spawnSync('sox', args, { input, maxBuffer: 1 << 30 });
  if (r.error) throw new Error(`cannot run sox: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`sox ${args.join(' ')}: ${r.stderr.toString().trim()}`);
  return r.stdout;
}

const RAW = ['-t', 'raw', '-e', 'floating-point', '-b', '32', '-c', '1', '-r', String(RATE_HZ)];

function rateOf(file) {
  return Number(sox(['--i', '-r', file]).toString().trim());
}

// Denoises `inFile` into `outFile` (a float WAV at the input's rate). `rnnoise` is loadRnnoise()'s.
export function denoiseFile(rnnoise, inFile, outFile) {
  const delay = rnnoise.delayFrames;
  const inputRate = rateOf(inFile);
  const raw = sox([inFile, ...RAW, '-', 'rate', '-v']);
  const x = new Float32Array(new Uint8Array(raw).buffer);  // a copy: aligned whatever raw's offset
  const frame = rnnoise.frameSize;  // 480
  // Extra frames of zeros flush the delayed tail; the delayed start of the output is dropped.
  const frames = Math.ceil(x.length / frame) + delay;
  const y = new Float32Array(frames * frame);
  const state = rnnoise.createDenoiseState();
  try {
    const buf = new Float32Array(frame);
    for (let f = 0; f < frames; ++f) {
      buf.fill(0);
      for (let i = 0; i < frame && f * frame + i < x.length; ++i) buf[i] = x[f * frame + i] * 32768;
      state.processFrame(buf);
      for (let i = 0; i < frame; ++i) y[f * frame + i] = buf[i] / 32768;
    }
  } finally {
    state.destroy();
  }
  const aligned = y.subarray(delay * frame, delay * frame + x.length);
  const bytes = Buffer.from(aligned.buffer, aligned.byteOffset, aligned.byteLength);
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  sox([...RAW, '-', '-e', 'floating-point', '-b', '32', outFile, 'rate', '-v', String(inputRate)], bytes);
}

// {frameSize, delayFrames, createDenoiseState() -> {processFrame(Float32Array), destroy()}}.
export async function loadRnnoise(release) {
  if (!(release in DELAY_FRAMES)) throw new Error(`--release is 0.1 or 0.2, not ${release}`);
  const delayFrames = DELAY_FRAMES[release];
  if (release === '0.2') {
    // The package is built for browsers and refuses to start without a `window`; it uses nothing
    // else from one.
    globalThis.window ??= globalThis;
    const { Rnnoise } = await import('@shiguredo/rnnoise-wasm');
    const rnnoise = await Rnnoise.load();
    return { frameSize: rnnoise.frameSize, delayFrames, createDenoiseState: () => rnnoise.createDenoiseState() };
  }
  const dist = path.join(path.dirname(fileURLToPath(import.meta.resolve('@jitsi/rnnoise-wasm/package.json'))), 'dist');
  const { default: create } = await import(pathToFileURL(path.join(dist, 'rnnoise.js')).href);
  const wasm = await create({ wasmBinary: fs.readFileSync(path.join(dist, 'rnnoise.wasm')) });
  const frameSize = 480;
  return {
    frameSize,
    delayFrames,
    createDenoiseState() {
      const state = wasm._rnnoise_create(0);
      const pcm = wasm._malloc(frameSize * 4);
      return {
        processFrame(frame) {
          new Float32Array(wasm.HEAPF32.buffer, pcm, frameSize).set(frame);
          wasm._rnnoise_process_frame(state, pcm, pcm);
          frame.set(new Float32Array(wasm.HEAPF32.buffer, pcm, frameSize));
        },
        destroy() {
          wasm._free(pcm);
          wasm._rnnoise_destroy(state);
        },
      };
    },
  };
}

async function main(argv) {
  const opt = {};
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i], value = argv[i + 1];
    if (!['--devset', '--in', '--out', '--release'].includes(key) || value === undefined) {
      throw new Error(`usage: rnnoise.mjs --devset DIR [--out DIR] | --in IN.wav --out OUT.wav; [--release 0.1|0.2] (got ${key})`);
    }
    opt[key.slice(2)] = value;
  }
  const release = opt.release ?? '0.2';
  const rnnoise = await loadRnnoise(release);
  if (opt.in) {
    if (!opt.out) throw new Error('--in needs --out');
    denoiseFile(rnnoise, opt.in, opt.out);
    return;
  }
  if (!opt.devset) throw new Error('give --devset DIR or --in FILE');
  const manifest = JSON.parse(fs.readFileSync(path.join(opt.devset, 'manifest.json'), 'utf8'));
  const out = opt.out ?? path.join(opt.devset, `enhanced-rnnoise-${release}`);
  for (const clip of manifest) {
    denoiseFile(rnnoise, path.join(opt.devset, clip.noisy), path.join(out, `${clip.id}.wav`));
  }
  console.log(`rnnoise.mjs: ${manifest.length} clips written to ${out}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(`rnnoise.mjs: ${e.message}`);
    process.exit(1);
  });
}
