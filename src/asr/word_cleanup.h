// Turning a decoder's raw tokens into words a person reads: drops filler tokens and strips
// pronunciation-variant suffixes. Engine-independent, so every engine's output reads alike.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hush::asr {

// nullopt for a token that is not a word: sentence marks "<s>", "</s>", silence "<sil>", noise
// fillers "[NOISE]", "[SPEECH]", "++BREATH++", "+um+", and the empty string. Otherwise the word
// in lower case with a variant suffix removed: "and(2)" -> "and", "READ(3)" -> "read".
std::optional<std::string> clean_token(std::string_view token);

// A whole hypothesis string ("<s> the(2) cat <sil> sat </s>") cleaned word by word and joined
// with single spaces ("the cat sat").
std::string clean_hypothesis(std::string_view hypothesis);

}  // namespace hush::asr
