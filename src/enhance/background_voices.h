// Background-voice suppression by level: the user sits close to the microphone, so their
// speech arrives several dB louder than other people talking in the room (who are farther away
// and mostly reverberant, which the noise engine also reduces). The stage tracks the level of
// the user's speech and attenuates stretches whose level stays clearly below it, after the
// noise engine has removed the steady noise.
//
// It works on whole 10 ms frames with a hold time, so the user's own quiet consonants and
// short pauses inside a phrase keep the level of the surrounding vowels and pass untouched.
#pragma once

namespace hush::enhance {

class BackgroundVoices {
 public:
  explicit BackgroundVoices(int frame_size) : frame_size_(frame_size) {}

  // 0 switches the stage off.
  void set_attenuation_db(float attenuation_db) { attenuation_db_ = attenuation_db; }
  void process(float* frame, float speech_probability);
  void reset();

  // The tracked level of the user's speech (dBFS), or below -100 before any speech.
  float main_level_db() const { return main_level_db_; }

 private:
  int frame_size_;
  float attenuation_db_ = 0.0f;
  float main_level_db_ = -120.0f;
  float envelope_db_ = -120.0f;
  int hold_frames_left_ = 0;
  float gain_ = 1.0f;
};

}  // namespace hush::enhance
