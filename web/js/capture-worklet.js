// Runs in the AudioWorklet: hands the microphone's samples (mono, at the context's rate) to the
// page, which batches them into linear16 frames.
class CaptureProcessor extends AudioWorkletProcessor {
  process(inputs) {
    const channel = inputs[0]?.[0];
    if (channel) this.port.postMessage(channel.slice());
    return true;
  }
}
registerProcessor('hush-capture', CaptureProcessor);
