/* Compiles include/hush.h as C99 (with -pedantic -Werror) and runs the C API from C. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hush.h"

static int fail(const char *what) {
  fprintf(stderr, "FAIL: %s\n", what);
  return 1;
}

int main(void) {
  hush_denoiser_config config = hush_denoiser_default_config();
  hush_denoiser *denoiser = NULL;
  float frame[480];
  int i;
  float vad;

  if (config.struct_size != sizeof(config)) return fail("struct_size");
  if (hush_frame_size(48000) != 480 || hush_frame_size(44100) != 441) return fail("frame size");
  if (hush_frame_size(12345) != HUSH_ERR_UNSUPPORTED_RATE) return fail("bad rate");
  if (strlen(hush_strerror(HUSH_ERR_FORMAT)) == 0) return fail("strerror");
  if (hush_denoiser_create(&config, &denoiser) != HUSH_OK) return fail("create");
  for (i = 0; i < 480; ++i) frame[i] = 0.1f * sinf(0.05f * (float)i);
  vad = hush_denoiser_process(denoiser, frame, frame);
  if (!(vad >= 0.0f && vad <= 1.0f)) return fail("vad range");
  if (hush_denoiser_latency_samples(denoiser) <= 0) return fail("latency");
  hush_denoiser_destroy(denoiser);

  /* A caller built against 0.1 passes the shorter config (no `model`): still accepted. */
  config = hush_denoiser_default_config();
  config.struct_size = offsetof(hush_denoiser_config, model);
  config.engine = HUSH_ENGINE_NEURAL;
  if (hush_denoiser_create(&config, &denoiser) != HUSH_OK) return fail("0.1-sized config");
  hush_denoiser_destroy(denoiser);
  if (hush_model_weight_bytes(NULL) <= 0) return fail("built-in model size");

  {
    hush_call_config call_config = hush_call_default_config();
    hush_call *call = NULL;
    hush_call_stats stats;
    call_config.sample_rate_hz = 48000;
    call_config.echo_canceller = HUSH_AEC_SPEEX;
    if (hush_call_create(&call_config, &call) != HUSH_OK) return fail("call create");
    if (hush_call_frame_size(call) != 480) return fail("call frame size");
    if (hush_call_analyze_render(call, frame) != HUSH_OK) return fail("analyze render");
    vad = hush_call_process_capture(call, frame, frame);
    if (!(vad >= 0.0f && vad <= 1.0f)) return fail("call vad range");
    memset(&stats, 0, sizeof stats);
    stats.struct_size = sizeof stats;
    if (hush_call_get_stats(call, &stats) != HUSH_OK || stats.capture_frames != 1) return fail("call stats");
    hush_call_destroy(call);
  }
  printf("hush %s: C header OK\n", hush_version());
  return 0;
}
