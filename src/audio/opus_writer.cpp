#include "audio/opus_writer.h"

#include <opus/opusenc.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>

#include "util/error.h"

namespace hush::audio {
namespace {

// libopusenc holds back this much audio before encoding it (default 2 s, far too much for a
// crash-safe recorder); 100 ms costs nothing for speech.
constexpr int kDecisionDelayFrames = kOpusRateHz / 10;

[[noreturn]] void fail_opus(const char* what, int code) {
  throw Error(HUSH_ERR_INTERNAL, std::string("Opus encoder: ") + what + ": " + ope_strerror(code));
}

struct CommentsDeleter {
  void operator()(OggOpusComments* c) const { ope_comments_destroy(c); }
};

}  // namespace

OpusWriter::OpusWriter(ByteSink& sink, const OpusWriterConfig& config) : sink_(sink), config_(config) {
  if (config.channels != 1 && config.channels != 2) {
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "Opus writer: channels must be 1 or 2");
  }
  if (!(config.page_interval_s > 0.0 && config.page_interval_s <= 1.0)) {
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "Opus writer: page interval must be in (0, 1] s");
  }
  if (config.bitrate_bps < 0) throw Error(HUSH_ERR_INVALID_ARGUMENT, "Opus writer: negative bitrate");
  page_interval_frames_ = std::max<std::int64_t>(1, std::llround(config.page_interval_s * kOpusRateHz));

  std::unique_ptr<OggOpusComments, CommentsDeleter> comments(ope_comments_create());
  if (!comments) throw std::bad_alloc();
  if (!config.title.empty()) ope_comments_add(comments.get(), "TITLE", config.title.c_str());
  if (!config.date.empty()) ope_comments_add(comments.get(), "DATE", config.date.c_str());

  int error = OPE_OK;
  enc_ = ope_encoder_create_pull(comments.get(), kOpusRateHz, config.channels, 0, &error);
  if (enc_ == nullptr) fail_opus("cannot create", error);
  const int bitrate = config.bitrate_bps > 0 ? config.bitrate_bps : 32000 * config.channels;
  int rc = ope_encoder_ctl(enc_, OPUS_SET_BITRATE(bitrate));
  // libopusenc's default serial number comes from rand() (the same in every process).
  if (rc == OPE_OK) rc = ope_encoder_ctl(enc_, OPE_SET_SERIALNO(static_cast<int>(std::random_device{}() & 0x7fffffff)));
  if (rc == OPE_OK) rc = ope_encoder_ctl(enc_, OPE_SET_DECISION_DELAY(kDecisionDelayFrames));
  // libopusenc's own page cut-off; the writer forces pages sooner anyway.
  if (rc == OPE_OK) rc = ope_encoder_ctl(enc_, OPE_SET_MUXING_DELAY(static_cast<int>(page_interval_frames_)));
  // libopusenc 0.2.1 leaves two fields uninitialised after create: the frame-size request (only
  // ope_encoder_ctl sets it; drain reads it) and the stream's end granule (only a write sets it;
  // draining a stream with no audio then asserts). Setting the frame size and writing zero
  // samples initialises both (found with valgrind).
  if (rc == OPE_OK) rc = ope_encoder_ctl(enc_, OPUS_SET_EXPERT_FRAME_DURATION(OPUS_FRAMESIZE_20_MS));
  if (rc == OPE_OK) rc = ope_encoder_flush_header(enc_);
  if (rc == OPE_OK) rc = ope_encoder_write_float(enc_, nullptr, 0);
  if (rc != OPE_OK) {
    ope_encoder_destroy(enc_);
    fail_opus("cannot configure", rc);
  }
  try {
    pull_pages(true);
    sink_.commit(true);
  } catch (...) {
    ope_encoder_destroy(enc_);
    throw;
  }
  last_sync_ = std::chrono::steady_clock::now();
}

OpusWriter::~OpusWriter() { ope_encoder_destroy(enc_); }

void OpusWriter::pull_pages(bool force) {
  unsigned char* page = nullptr;
  opus_int32 len = 0;
  while (ope_encoder_get_page(enc_, &page, &len, force ? 1 : 0) == 1) {
    sink_.write({page, static_cast<std::size_t>(len)});
  }
}

void OpusWriter::commit() {
  pull_pages(true);
  const auto now = std::chrono::steady_clock::now();
  const bool durable = now - last_sync_ >= std::chrono::duration<double>(config_.sync_interval_s);
  sink_.commit(durable);
  if (durable) last_sync_ = now;
  frames_since_commit_ = 0;
}

void OpusWriter::write(std::span<const float> interleaved) {
  if (finished_) throw Error(HUSH_ERR_INVALID_ARGUMENT, "Opus writer: write after finish");
  const auto channels = static_cast<std::size_t>(config_.channels);
  if (interleaved.size() % channels != 0) {
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "Opus writer: sample count is not a multiple of channels");
  }
  std::size_t frames = interleaved.size() / channels;
  const float* at = interleaved.data();
  while (frames > 0) {
    // Feed at most up to the next commit point, so pages are cut where promised.
    const std::int64_t room = page_interval_frames_ - frames_since_commit_;
    const auto n = static_cast<std::size_t>(std::min<std::int64_t>(room, static_cast<std::int64_t>(frames)));
    const int rc = ope_encoder_write_float(enc_, at, static_cast<int>(n));
    if (rc != OPE_OK) fail_opus("cannot encode", rc);
    pull_pages(false);
    at += n * channels;
    frames -= n;
    frames_written_ += static_cast<std::int64_t>(n);
    frames_since_commit_ += static_cast<std::int64_t>(n);
    if (frames_since_commit_ >= page_interval_frames_) commit();
  }
}

void OpusWriter::finish() {
  if (finished_) return;
  finished_ = true;
  const int rc = ope_encoder_drain(enc_);
  if (rc != OPE_OK) fail_opus("cannot finish", rc);
  pull_pages(true);
  sink_.finish();
}

}  // namespace hush::audio
