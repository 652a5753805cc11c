// Rule-based action items: who promised or was asked to do what, and by when.
//
// Recognised shapes (the subject must open a clause, and the verb must follow a future or
// obligation marker; past tense, conditionals, hedges and questions are not tasks):
//   "Alice will send the draft by Friday"   owner Alice,        due "by Friday"
//   "I'll book the room tomorrow"           owner = the speaker's label
//   "I'm going to / I need to / I have to ..."
//   "we need to / we have to / we'll / let's ..."       owner "" (the group)
//   "Bob, can you check the numbers?"      owner Bob (the named addressee, else "")
//   "please ...", "make sure ...", "don't forget to ...", "action item: ...", "Alice to ..."
// Not tasks: "Alice sent the draft", "if we had time we would ...", "did you send it?",
// "it will be hard", "we'll see", "I won't ...".
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "meeting/notes.h"

namespace hush::meeting {

// The action item stated in `sentence` (text, owner, due; time and speaker left to the
// caller), or nullopt. `speaker_label` stands in for "I".
std::optional<ActionItem> find_action_item(std::string_view sentence, const std::string& speaker_label);

// The first date phrase in `sentence` as said ("by Friday", "tomorrow", "next week",
// "by the end of the month", "on the 12th", "in two weeks"), or "".
std::string find_due(std::string_view sentence);

}  // namespace hush::meeting
