/*
 * hush.h — the public C API of the Hush voice engine.
 *
 * Conventions
 *  - Every symbol starts with `hush_` / `HUSH_`. Handles are opaque.
 *  - Functions that can fail return a negative `hush_error`; `hush_strerror()` describes it.
 *  - Config structs come from `hush_*_default_config()` and carry `struct_size`, so a caller
 *    compiled against an older, shorter struct keeps working when fields are added.
 *  - Audio is 32-bit float, mono, nominal range [-1, 1], in 10 ms frames
 *    (`hush_frame_size(rate)` samples).
 *  - Each function states its thread safety and whether it is real-time safe (RT-safe: no
 *    allocation, no lock, no system call, bounded time).
 *  - Nothing in this library aborts the host process on bad input.
 */
#ifndef HUSH_H
#define HUSH_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define HUSH_API __declspec(dllexport)
#else
#define HUSH_API __attribute__((visibility("default")))
#endif

#if defined(__GNUC__) || defined(__clang__)
#define HUSH_NODISCARD __attribute__((warn_unused_result))
#else
#define HUSH_NODISCARD
#endif

#define HUSH_VERSION_MAJOR 0
#define HUSH_VERSION_MINOR 3
#define HUSH_VERSION_PATCH 0

/* Error codes. Always negative; 0 is success. */
typedef enum hush_error {
  HUSH_OK = 0,
  HUSH_ERR_INVALID_ARGUMENT = -1, /* NULL pointer, out-of-range value */
  HUSH_ERR_UNSUPPORTED_RATE = -2, /* sample rate not one of 8/16/32/44.1/48 kHz */
  HUSH_ERR_OUT_OF_MEMORY = -3,
  HUSH_ERR_UNKNOWN_ENGINE = -4,   /* engine id not known to this build */
  HUSH_ERR_BAD_STRUCT_SIZE = -5,  /* struct_size smaller than the first version of the struct */
  HUSH_ERR_BUFFER_TOO_SMALL = -6, /* caller-owned memory smaller than hush_denoiser_get_size() */
  HUSH_ERR_IO = -7,               /* file missing, unreadable or not writable */
  HUSH_ERR_FORMAT = -8,           /* corrupt, truncated or unsupported audio/model data */
  HUSH_ERR_INTERNAL = -9
} hush_error;

/* Human-readable text for an error code; never NULL. Thread-safe, RT-safe. */
HUSH_API const char *hush_strerror(int error);

/* "MAJOR.MINOR.PATCH". Thread-safe, RT-safe. */
HUSH_API const char *hush_version(void);

/* Samples in one 10 ms frame at `sample_rate_hz` (80, 160, 320, 441, 480), or
 * HUSH_ERR_UNSUPPORTED_RATE. Supported rates: 8000, 16000, 32000, 44100, 48000.
 * Thread-safe, RT-safe. */
HUSH_API int hush_frame_size(int sample_rate_hz);

/* ---------------------------------------------------------------------------------------- */
/* Streaming noise suppression                                                              */
/* ---------------------------------------------------------------------------------------- */

typedef enum hush_engine {
  HUSH_ENGINE_DEFAULT = 0,  /* the best engine compiled into this build (neural) */
  HUSH_ENGINE_SPECTRAL = 1, /* statistical suppressor: OM-LSA gain + IMCRA noise tracking */
  HUSH_ENGINE_NEURAL = 2    /* HushNet: a GRU predicting per-bin gains (model built in or loaded) */
} hush_engine;

/* A loaded neural model: read-only once loaded, shared by any number of denoisers on any
 * threads. It must outlive every denoiser created with it. */
typedef struct hush_model hush_model;

/* Loads a Hush model file (.hnn). HUSH_ERR_IO if unreadable, HUSH_ERR_FORMAT if truncated,
 * corrupted (checksum) or of another architecture. Thread-safe. Not RT-safe. */
HUSH_API HUSH_NODISCARD int hush_model_load_file(const char *path, hush_model **out_model);

/* The same from memory; `data` is copied. */
HUSH_API HUSH_NODISCARD int hush_model_load_memory(const void *data, size_t bytes,
                                                   hush_model **out_model);

/* Frees a model loaded by hush_model_load_*. NULL is ignored. */
HUSH_API void hush_model_destroy(hush_model *model);

/* Bytes of weights the model holds (shared, not per stream); NULL = the built-in model. */
HUSH_API long long hush_model_weight_bytes(const hush_model *model);

typedef struct hush_denoiser_config {
  size_t struct_size;     /* = sizeof(hush_denoiser_config); set by the default config */
  int sample_rate_hz;     /* 8000, 16000, 32000, 44100 or 48000; default 48000 */
  int engine;             /* a hush_engine value; default HUSH_ENGINE_DEFAULT */
  float strength_db;      /* maximum attenuation of noise in dB, 0..60; default 25 */
  /* Added in 0.2: */
  const hush_model *model; /* neural model; NULL = the built-in one. Ignored by spectral. */
} hush_denoiser_config;

typedef struct hush_denoiser hush_denoiser;

/* Defaults for every field. Thread-safe, RT-safe. */
HUSH_API hush_denoiser_config hush_denoiser_default_config(void);

/* Creates a denoiser with its own heap memory. `config` may be NULL for the defaults.
 * Thread-safe (separate denoisers are independent). Not RT-safe (allocates). */
HUSH_API HUSH_NODISCARD int hush_denoiser_create(const hush_denoiser_config *config,
                                                 hush_denoiser **out_denoiser);

/* The first call that needs the built-in model parses it (about 2 MB, checked by CRC): call
 * hush_denoiser_get_size() or create once outside the audio thread before using _init there. */

/* Caller-owned memory: the bytes a denoiser with `config` needs, or a negative error.
 * Use with hush_denoiser_init() to avoid the heap (e.g. in a plugin host's audio thread). */
HUSH_API HUSH_NODISCARD long long hush_denoiser_get_size(const hush_denoiser_config *config);

/* Builds a denoiser inside `memory` (at least hush_denoiser_get_size() bytes, aligned to 16).
 * Release with hush_denoiser_destroy(), which then frees nothing. RT-safe. */
HUSH_API HUSH_NODISCARD int hush_denoiser_init(void *memory, size_t memory_bytes,
                                               const hush_denoiser_config *config,
                                               hush_denoiser **out_denoiser);

/* Frees a denoiser made by create (or releases one made by init). NULL is ignored. */
HUSH_API void hush_denoiser_destroy(hush_denoiser *denoiser);

/* Denoises one 10 ms frame: hush_frame_size(sample_rate_hz) samples from `in` to `out`.
 * `out == in` is allowed. The output is delayed by hush_denoiser_latency_samples().
 * Returns the probability in [0, 1] that the frame holds speech, or a negative hush_error
 * (as float) on a NULL argument. Non-finite input samples are treated as silence.
 * RT-safe. Not thread-safe for one denoiser: call it from one thread at a time. */
HUSH_API float hush_denoiser_process(hush_denoiser *denoiser, float *out, const float *in);

/* Changes the maximum attenuation while audio runs; takes effect smoothly (no click) over
 * about 50 ms. Clamped to 0..60 dB. Thread-safe with respect to hush_denoiser_process
 * (lock-free atomic), RT-safe. */
HUSH_API int hush_denoiser_set_strength_db(hush_denoiser *denoiser, float strength_db);

/* Algorithmic latency: how many samples the output lags the input. RT-safe. */
HUSH_API int hush_denoiser_latency_samples(const hush_denoiser *denoiser);

/* Samples per frame for this denoiser. RT-safe. */
HUSH_API int hush_denoiser_frame_size(const hush_denoiser *denoiser);

/* Bytes of per-stream state this denoiser holds (everything it allocated). RT-safe. */
HUSH_API long long hush_denoiser_state_bytes(const hush_denoiser *denoiser);

/* Forgets all history (noise estimate, overlap buffers), as if freshly created. RT-safe. */
HUSH_API int hush_denoiser_reset(hush_denoiser *denoiser);

/* ---------------------------------------------------------------------------------------- */
/* Two-way call processing                                                                  */
/* ---------------------------------------------------------------------------------------- */
/*
 * A call has two paths, each in 10 ms frames at the call's sample rate:
 *   capture: microphone -> echo cancellation -> noise suppression -> background-voice
 *            suppression -> voice gate -> automatic gain control -> what you send
 *   render:  incoming audio -> noise suppression -> what you hear
 *
 * Delay contract. The echo canceller needs the far-end reference: the audio that reaches the
 * loudspeaker (usually the render path's output). Pass every played frame, in order, to
 * hush_call_analyze_render() no later than the capture frame that holds its first echo. Each
 * hush_call_process_capture() consumes the oldest reference frame not yet used, so the echo
 * may arrive 0..HUSH_CALL_MAX_ECHO_DELAY_MS after its reference frame was passed. The pipeline
 * estimates that delay itself (hush_call_stats.echo_delay_ms); `echo_delay_ms` in the config,
 * the device's known output+input latency, is used until the first estimate.
 * A reference that is missing or late counts as silence for that frame (no echo removed,
 * nothing else changes); reference frames that pile up beyond HUSH_CALL_MAX_ECHO_DELAY_MS of
 * audio (capture stalled, clock drift) are dropped oldest first. Both are counted in
 * hush_call_stats.
 *
 * Threads: analyze_render and process_render may run on the playback thread while
 * process_capture runs on the recording thread (the reference queue is a lock-free
 * single-producer/single-consumer ring). Each function alone must not be called from two
 * threads at once.
 */

/* Added in 0.3. */
#define HUSH_CALL_MAX_ECHO_DELAY_MS 500

typedef enum hush_echo_canceller {
  HUSH_AEC_DEFAULT = 0, /* the better of the two on hush-bench call (see README) */
  HUSH_AEC_OFF = 1,
  HUSH_AEC_WEBRTC = 2,  /* WebRTC audio processing 0.3: AEC2 with delay-agnostic mode */
  HUSH_AEC_SPEEX = 3    /* SpeexDSP: MDF adaptive filter + its residual echo suppressor */
} hush_echo_canceller;

typedef struct hush_call_config {
  size_t struct_size;        /* = sizeof(hush_call_config); set by the default config */
  int sample_rate_hz;        /* 8000, 16000, 32000, 44100 or 48000; default 48000 */
  int echo_canceller;        /* a hush_echo_canceller value; default HUSH_AEC_DEFAULT */
  int echo_delay_ms;         /* known delay from analyze_render to the echo in the capture,
                                0..HUSH_CALL_MAX_ECHO_DELAY_MS; default 0 (unknown) */
  int engine;                /* noise engine for both paths (hush_engine); default neural */
  const hush_model *model;   /* neural model; NULL = the built-in one */
  float capture_strength_db; /* noise suppression on the microphone, 0..60 (0 = off); 25 */
  float render_strength_db;  /* noise suppression on incoming audio, 0..60 (0 = off); 25 */
  float background_voice_db; /* attenuation of other people talking near the microphone,
                                0..40 (0 = off); default 0 */
  int voice_gate_grace_ms;   /* mute the capture after this long without the user's speech,
                                0 = no gate (default); 50..5000 */
  int agc;                   /* 1 = automatic gain control on the capture path (default) */
} hush_call_config;

typedef struct hush_call_stats {
  size_t struct_size;            /* set by the caller to sizeof(hush_call_stats) */
  long long capture_frames;      /* frames processed by hush_call_process_capture */
  long long reference_missing;   /* capture frames that found no reference frame queued */
  long long reference_dropped;   /* reference frames dropped because the queue was full */
  float echo_return_loss_enhancement_db; /* recent ERLE while the far end talks; 0 if unknown */
  float agc_gain_db;             /* current AGC gain */
  int echo_canceller;            /* the canceller in use (hush_echo_canceller, never DEFAULT) */
  int echo_delay_ms;             /* estimated far-end-to-echo delay; -1 without a canceller */
} hush_call_stats;

typedef struct hush_call hush_call;

/* Defaults for every field. Thread-safe, RT-safe. */
HUSH_API hush_call_config hush_call_default_config(void);

/* Creates the state of one call. Not RT-safe (allocates). */
HUSH_API HUSH_NODISCARD int hush_call_create(const hush_call_config *config, hush_call **out_call);

/* Frees a call. NULL is ignored. */
HUSH_API void hush_call_destroy(hush_call *call);

/* Queues one frame of what the loudspeaker plays (the echo reference). RT-safe. */
HUSH_API int hush_call_analyze_render(hush_call *call, const float *played);

/* Cleans one frame of incoming audio (`out == in` allowed). Does not queue it as the
 * reference: pass what you actually play to hush_call_analyze_render. RT-safe. */
HUSH_API int hush_call_process_render(hush_call *call, float *out, const float *in);

/* Cleans one microphone frame (`out == mic` allowed). Returns the probability in [0, 1] that
 * the frame holds the user's speech, or a negative hush_error as float. Non-finite and
 * denormal input samples are treated as silence. RT-safe. */
HUSH_API float hush_call_process_capture(hush_call *call, float *out, const float *mic);

/* Live controls, callable from any thread while audio runs (lock-free). Clamped to the
 * config ranges. RT-safe. */
HUSH_API int hush_call_set_capture_strength_db(hush_call *call, float strength_db);
HUSH_API int hush_call_set_background_voice_db(hush_call *call, float attenuation_db);
HUSH_API int hush_call_set_voice_gate_grace_ms(hush_call *call, int grace_ms);

/* Samples per frame. RT-safe. */
HUSH_API int hush_call_frame_size(const hush_call *call);

/* How many samples the capture output lags the microphone: the noise engine's latency plus
 * what the echo canceller and the AGC add (measured when the call is created). The render path lags by
 * hush_call_render_latency_samples(). RT-safe. */
HUSH_API int hush_call_capture_latency_samples(const hush_call *call);
HUSH_API int hush_call_render_latency_samples(const hush_call *call);

/* Counters and estimates. Call from the capture thread (or while audio is stopped). */
HUSH_API int hush_call_get_stats(const hush_call *call, hush_call_stats *stats);

/* Forgets all adaptation (echo path, noise, gain) and empties the reference queue. Not RT-safe
 * with HUSH_AEC_WEBRTC (re-initialises the library's state). */
HUSH_API int hush_call_reset(hush_call *call);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* HUSH_H */
