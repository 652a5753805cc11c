// Audio for the live stream: decode a file to 16 kHz mono, and turn float samples into the
// linear16 (16-bit little-endian PCM) frames GET /v1/listen expects.
export const STREAM_RATE_HZ = 16000;

// Any format the browser decodes, resampled by WebAudio itself: decodeAudioData converts to
// the (offline) context's sample rate.
export async function decodeTo16k(arrayBuffer) {
  const context = new OfflineAudioContext(1, 1, STREAM_RATE_HZ);
  const buffer = await context.decodeAudioData(arrayBuffer);
  const mono = new Float32Array(buffer.length);
  for (let c = 0; c < buffer.numberOfChannels; c++) {
    const data = buffer.getChannelData(c);
    for (let i = 0; i < data.length; i++) mono[i] += data[i] / buffer.numberOfChannels;
  }
  return mono;
}

export function toLinear16(samples) {
  const out = new DataView(new ArrayBuffer(samples.length * 2));
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]));
    out.setInt16(2 * i, s < 0 ? s * 0x8000 : s * 0x7fff, true);
  }
  return out.buffer;
}
