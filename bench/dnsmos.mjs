#!/usr/bin/env node
// DNSMOS P.835 scorer (non-intrusive SIG/BAK/OVRL) for WAV files, used by hush-bench.
//
//   node bench/dnsmos.mjs [--model M] [--json] FILE_OR_DIR...
//
// Mirrors Microsoft's DNS-Challenge dnsmos_local.py (non-personalized model) so that numbers are
// comparable with published ones: tiling by doubling, 9.01 s windows with a 1 s hop, the same
// window count and slice arithmetic, the P.835 polynomials, mean over windows.
//
// --json prints one object that hush-bench parses:
//   {"model": PATH,
//    "files": [{"file": PATH, "sig": N, "bak": N, "ovrl": N, "windows": N}, ...],
//    "mean": {"sig": N, "bak": N, "ovrl": N}}
//
// Model: --model PATH, else $HUSH_DATA/models/dnsmos/sig_bak_ovr.onnx, where HUSH_DATA defaults to
// ../shared/data next to the repository root. Install the runtime with `npm run setup` in bench/
// (see package.json for why that matters: it keeps the CUDA download off).

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const SAMPLE_RATE = 16000;
const INPUT_LENGTH = 9.01;
export const WINDOW_SAMPLES = Math.trunc(INPUT_LENGTH * SAMPLE_RATE); // 144160

// np.poly1d coefficients, highest power first (dnsmos_local.py, is_personalized_MOS=False).
const P_SIG = [-0.08397278, 1.22083953, 0.0052439];
const P_BAK = [-0.13166888, 1.60915514, -0.39604546];
const P_OVR = [-0.06766283, 1.11546468, 0.04602535];
const polyval = (p, x) => p.reduce((acc, c) => acc * x + c, 0);

const SCRIPT_DIR = path.dirname(fileURLToPath(import.meta.url));

export function defaultModelPath() {
  const data = process.env.HUSH_DATA || path.resolve(SCRIPT_DIR, '..', '..', 'shared', 'data');
  return path.join(data, 'models', 'dnsmos', 'sig_bak_ovr.onnx');
}

// ---------------------------------------------------------------------------------------------
// WAV reading. Hand-written on purpose: the format subset we need is small and we do not want an
// npm dependency (and its supply chain) just to read PCM from a RIFF container.

export function readWav(file) {
  let buf;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    throw new Error(`cannot read ${file}: ${e.code || e.message}`);
  }
  const bad = (why) => new Error(`${file}: not a usable WAV file (${why})`);
  if (buf.length < 12 || buf.toString('latin1', 0, 4) !== 'RIFF' || buf.toString('latin1', 8, 12) !== 'WAVE') {
    throw bad('no RIFF/WAVE header');
  }
  let fmt = null;
  let data = null;
  for (let pos = 12; pos + 8 <= buf.length; ) {
    const id = buf.toString('latin1', pos, pos + 4);
    const size = buf.readUInt32LE(pos + 4);
    const body = pos + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + size > buf.length) throw bad('short fmt chunk');
      let tag = buf.readUInt16LE(body);
      // WAVE_FORMAT_EXTENSIBLE keeps the real format tag in the first two bytes of the sub-format GUID.
      if (tag === 0xfffe && size >= 40) tag = buf.readUInt16LE(body + 24);
      fmt = {
        tag,
        channels: buf.readUInt16LE(body + 2),
        rate: buf.readUInt32LE(body + 4),
        bits: buf.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      // Streaming writers may leave 0xFFFFFFFF here; a truncated file also holds less than declared.
      const end = Math.min(buf.length, body + size);
      data = { start: body, end };
      if (fmt) break;
    }
    pos = body + size + (size & 1); // chunks are padded to even length
  }
  if (!fmt) throw bad('no fmt chunk');
  if (!data) throw bad('no data chunk');
  const { tag, channels, rate, bits } = fmt;
  if (channels < 1 || rate < 1) throw bad(`${channels} channels at ${rate} Hz`);
  const isFloat = tag === 3 && bits === 32;
  const isPcm = tag === 1 && (bits === 16 || bits === 24 || bits === 32);
  if (!isFloat && !isPcm) throw bad(`unsupported encoding: format ${tag}, ${bits} bits`);

  const bytes = bits / 8;
  const frames = Math.floor((data.end - data.start) / (bytes * channels));
  if (frames === 0) throw bad('no audio frames');
  const read = isFloat
    ? (o) => buf.readFloatLE(o)
    : bits === 16
      ? (o) => buf.readInt16LE(o) / 32768
      : bits === 24
        ? (o) => buf.readIntLE(o, 3) / 8388608
        : (o) => buf.readInt32LE(o) / 2147483648;
  // Several channels are averaged: DNSMOS is a mono model.
  const out = new Float32Array(frames);
  for (let i = 0, o = data.start; i < frames; i++) {
    let s = 0;
    for (let c = 0; c < channels; c++, o += bytes) s += read(o);
    out[i] = s / channels;
  }
  if (!out.every(Number.isFinite)) throw bad('non-finite samples');
  return { samples: out, rate };
}

// ---------------------------------------------------------------------------------------------
// Resampling to 16 kHz. dnsmos_local.py uses librosa's Kaiser-windowed sinc; we do the same kind
// of band-limited interpolation (32 zero crossings, Kaiser beta 9.6, cutoff 0.95 of the lower
// Nyquist) rather than refusing other rates, so 44.1/48 kHz outputs can be scored directly.
// Results are close to, not bit-identical with, resampling by librosa or sox first.

const ZEROS = 32;
const BETA = 9.6;
const ROLLOFF = 0.95;
const TABLE_STEPS = 512; // kernel samples per zero crossing, linearly interpolated

function besselI0(x) {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

let kernelTable = null;
function kernel() {
  if (kernelTable) return kernelTable;
  const n = ZEROS * TABLE_STEPS;
  kernelTable = new Float64Array(n + 2);
  const norm = besselI0(BETA);
  for (let i = 0; i <= n; i++) {
    const u = i / TABLE_STEPS; // distance in zero crossings
    const sinc = u === 0 ? 1 : Math.sin(Math.PI * u) / (Math.PI * u);
    const w = besselI0(BETA * Math.sqrt(Math.max(0, 1 - (u / ZEROS) ** 2))) / norm;
    kernelTable[i] = sinc * w;
  }
  return kernelTable;
}

export function resample(x, fromRate, toRate) {
  if (fromRate === toRate) return x;
  const table = kernel();
  const ratio = toRate / fromRate;
  const fc = ROLLOFF * Math.min(1, ratio); // cutoff as a fraction of the input Nyquist
  const half = ZEROS / fc; // kernel half-width in input samples
  const outLen = Math.round(x.length * ratio);
  const y = new Float32Array(outLen);
  for (let n = 0; n < outLen; n++) {
    const t = n / ratio;
    const lo = Math.max(0, Math.ceil(t - half));
    const hi = Math.min(x.length - 1, Math.floor(t + half));
    let acc = 0;
    for (let k = lo; k <= hi; k++) {
      const pos = Math.abs(t - k) * fc * TABLE_STEPS;
      const i = Math.floor(pos);
      if (i >= ZEROS * TABLE_STEPS) continue;
      const f = pos - i;
      acc += x[k] * (table[i] + f * (table[i + 1] - table[i]));
    }
    y[n] = acc * fc;
  }
  return y;
}

// ---------------------------------------------------------------------------------------------
// Windowing exactly as dnsmos_local.py: tile by appending the clip to itself (doubling), then
// num_hops = int(floor(len/fs) - 9.01) + 1 windows at whole-second hops, skipping a short slice.
// Note int() truncates toward zero, so this can be one window fewer than floor(len/fs - 9.01) + 1.

export function tile(audio) {
  let a = audio;
  while (a.length < WINDOW_SAMPLES) {
    const b = new Float32Array(a.length * 2);
    b.set(a, 0);
    b.set(a, a.length);
    a = b;
  }
  return a;
}

export function windows(audio) {
  const a = tile(audio);
  const numHops = Math.trunc(Math.floor(a.length / SAMPLE_RATE) - INPUT_LENGTH) + 1;
  const out = [];
  for (let idx = 0; idx < numHops; idx++) {
    const seg = a.subarray(Math.trunc(idx * SAMPLE_RATE), Math.trunc((idx + INPUT_LENGTH) * SAMPLE_RATE));
    if (seg.length < WINDOW_SAMPLES) continue;
    out.push(seg);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

export async function createScorer(modelPath = defaultModelPath()) {
  if (!fs.existsSync(modelPath)) {
    throw new Error(`DNSMOS model not found: ${modelPath} (set HUSH_DATA or pass --model)`);
  }
  let ort;
  try {
    ort = (await import('onnxruntime-node')).default;
  } catch {
    throw new Error('onnxruntime-node is not installed: run `npm run setup` in bench/');
  }
  // One thread, sequential: DNSMOS numbers must not depend on the machine's core count.
  const session = await ort.InferenceSession.create(modelPath, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    executionProviders: ['cpu'],
    logSeverityLevel: 3,
  });
  const [inputName] = session.inputNames;
  const [outputName] = session.outputNames;

  async function scoreSamples(samples) {
    const segs = windows(samples);
    const sum = { sig: 0, bak: 0, ovrl: 0 };
    for (const seg of segs) {
      // Copy: the tensor must own a buffer of exactly 144160 floats, not a view into a bigger one.
      const input = new ort.Tensor('float32', Float32Array.from(seg), [1, WINDOW_SAMPLES]);
      const result = await session.run({ [inputName]: input });
      const [sig, bak, ovr] = result[outputName].data; // raw SIG, BAK, OVRL in that order
      sum.sig += polyval(P_SIG, sig);
      sum.bak += polyval(P_BAK, bak);
      sum.ovrl += polyval(P_OVR, ovr);
    }
    const n = segs.length;
    return { sig: sum.sig / n, bak: sum.bak / n, ovrl: sum.ovrl / n, windows: n };
  }

  async function scoreFile(file) {
    const { samples, rate } = readWav(file);
    return { file, ...(await scoreSamples(resample(samples, rate, SAMPLE_RATE))) };
  }

  return { scoreSamples, scoreFile, modelPath };
}

// A directory contributes its *.wav files (recursively, sorted); a named file must be a WAV.
function expandInputs(inputs) {
  const files = [];
  for (const p of inputs) {
    let st;
    try {
      st = fs.statSync(p);
    } catch {
      throw new Error(`no such file or directory: ${p}`);
    }
    if (!st.isDirectory()) {
      files.push(p);
      continue;
    }
    const found = fs
      .readdirSync(p, { recursive: true })
      .map(String)
      .filter((f) => f.toLowerCase().endsWith('.wav'))
      .sort()
      .map((f) => path.join(p, f));
    if (found.length === 0) throw new Error(`no .wav files in ${p}`);
    files.push(...found);
  }
  return files;
}

function parseArgs(argv) {
  const opts = { model: null, json: false, inputs: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') opts.json = true;
    else if (a === '--model') {
      if (i + 1 >= argv.length) throw new Error('--model needs a path');
      opts.model = argv[++i];
    } else if (a.startsWith('--model=')) opts.model = a.slice(8);
    else if (a === '-h' || a === '--help') opts.help = true;
    else if (a === '--') opts.inputs.push(...argv.slice(i + 1)), (i = argv.length);
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else opts.inputs.push(a);
  }
  return opts;
}

async function main(argv) {
  const opts = parseArgs(argv);
  if (opts.help || opts.inputs.length === 0) {
    const usage = 'usage: node bench/dnsmos.mjs [--model M] [--json] FILE_OR_DIR...';
    if (opts.help) return void console.log(usage);
    throw new Error(usage);
  }
  const files = expandInputs(opts.inputs);
  const scorer = await createScorer(opts.model ?? defaultModelPath());
  const results = [];
  for (const f of files) results.push(await scorer.scoreFile(f));
  const mean = {};
  for (const k of ['sig', 'bak', 'ovrl']) mean[k] = results.reduce((s, r) => s + r[k], 0) / results.length;

  if (opts.json) {
    console.log(JSON.stringify({ model: scorer.modelPath, files: results, mean }, null, 1));
    return;
  }
  const row = (r, name) => `${r.sig.toFixed(3)}  ${r.bak.toFixed(3)}  ${r.ovrl.toFixed(3)}  ${name}`;
  console.log('  SIG    BAK    OVRL   file');
  for (const r of results) console.log(row(r, r.file));
  console.log(row(mean, `mean of ${results.length} file${results.length === 1 ? '' : 's'}`));
}

if (process.argv[1] && import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`dnsmos: error: ${String(e.message || e).split('\n')[0]}\n`);
    process.exit(1);
  });
}
