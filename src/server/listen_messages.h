// The JSON text messages of the Deepgram-style live protocol (`/v1/listen`), as ListenSession
// sends them. Shapes follow Deepgram's documented messages so its SDKs parse them unchanged;
// times are seconds from the start of the stream, rounded to the millisecond.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "meeting/transcript.h"

namespace hush::server {

struct ResultsMessage {
  double start_s = 0.0;     // the audio span this result covers
  double duration_s = 0.0;
  bool is_final = false;
  bool speech_final = false;
  bool from_finalize = false;
  std::string transcript;
  double confidence = 0.0;
  std::vector<meeting::Word> words;  // absolute times
  bool with_speaker = false;         // add "speaker" to each word (diarize=true)
};

// {"type":"Results","channel_index":[0,1],"duration","start","is_final","speech_final",
//  "from_finalize","channel":{"alternatives":[{"transcript","confidence","words":[{"word","start",
//  "end","confidence","punctuated_word"[,"speaker"]}]}]},"metadata":{"request_id","model_info":{"name"}}}
std::string results_message(const ResultsMessage& results, std::string_view request_id, std::string_view model);
// {"type":"SpeechStarted","channel":[0,1],"timestamp"}
std::string speech_started_message(double timestamp_s);
// {"type":"UtteranceEnd","channel":[0,1],"last_word_end"}
std::string utterance_end_message(double last_word_end_s);
// {"type":"Metadata","transaction_key":"deprecated","request_id","created","duration","channels",
//  "models":[model],"model_info":{model:{"name":model}}}; created is now in UTC (ISO 8601).
std::string metadata_message(std::string_view request_id, double duration_s, int channels, std::string_view model);
// {"type":"Error","description","message","variant"}
std::string error_message(std::string_view description, std::string_view variant = "invalid_message");

// A random UUID (version 4), Deepgram's request_id format.
std::string new_request_id();

}  // namespace hush::server
