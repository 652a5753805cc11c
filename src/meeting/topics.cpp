#include "meeting/topics.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

namespace hush::meeting {

namespace {

// Content-word runs of one sentence and their 1..3-grams.
std::vector<std::string> phrases_of(const Sentence& s) {
  std::vector<std::string> out;
  std::vector<std::string> run;
  auto flush = [&] {
    for (std::size_t n = 1; n <= 3; ++n) {
      for (std::size_t i = 0; i + n <= run.size(); ++i) {
        std::string p = run[i];
        for (std::size_t k = 1; k < n; ++k) p += " " + run[i + k];
        out.push_back(std::move(p));
      }
    }
    run.clear();
  };
  for (const std::string& t : s.tokens) {
    // Short words and -ly adverbs rarely name a topic.
    if (is_content_word(t) && t.size() >= 3 && !(t.size() > 4 && t.ends_with("ly"))) {
      run.push_back(t);
    } else {
      flush();
    }
  }
  flush();
  return out;
}

std::size_t word_count(const std::string& phrase) {
  return static_cast<std::size_t>(std::count(phrase.begin(), phrase.end(), ' ')) + 1;
}

std::set<std::string> words_of(const std::string& phrase) {
  std::set<std::string> out;
  std::size_t i = 0;
  while (i <= phrase.size()) {
    const std::size_t j = std::min(phrase.find(' ', i), phrase.size());
    out.insert(phrase.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

}  // namespace

std::vector<std::string> key_phrases(const std::vector<Sentence>& sentences, Span span,
                                     std::size_t count, const std::vector<Span>& docs) {
  std::unordered_map<std::string, int> tf;
  for (std::size_t i = span.begin; i < span.end && i < sentences.size(); ++i)
    for (std::string& p : phrases_of(sentences[i])) ++tf[p];
  if (tf.empty() || count == 0) return {};

  std::unordered_map<std::string, int> df;
  double n_docs = 0.0;
  if (docs.empty()) {
    n_docs = static_cast<double>(sentences.size());
    for (const Sentence& s : sentences) {
      std::vector<std::string> ps = phrases_of(s);
      std::sort(ps.begin(), ps.end());
      ps.erase(std::unique(ps.begin(), ps.end()), ps.end());
      for (const std::string& p : ps)
        if (tf.count(p)) ++df[p];
    }
  } else {
    n_docs = static_cast<double>(docs.size());
    for (const Span& d : docs) {
      std::set<std::string> seen;
      for (std::size_t i = d.begin; i < d.end && i < sentences.size(); ++i)
        for (std::string& p : phrases_of(sentences[i]))
          if (tf.count(p)) seen.insert(std::move(p));
      for (const std::string& p : seen) ++df[p];
    }
  }
  const std::size_t span_sentences = span.end - span.begin;
  struct Scored {
    std::string phrase;
    double score;
  };
  std::vector<Scored> scored;
  for (const auto& [p, f] : tf) {
    const std::size_t n = word_count(p);
    if (n > 1 && f < 2) continue;
    if (n == 1 && f < 2 && span_sentences >= 20) continue;
    const double idf = std::log(1.0 + n_docs / std::max(1, df[p]));
    scored.push_back({p, f * idf * (n == 1 ? 1.0 : 1.5 * static_cast<double>(n))});
  }
  // Ties broken alphabetically so the output does not depend on hash order.
  std::sort(scored.begin(), scored.end(), [](const Scored& a, const Scored& b) {
    return a.score != b.score ? a.score > b.score : a.phrase < b.phrase;
  });
  std::vector<std::string> out;
  std::set<std::string> used;
  for (const Scored& s : scored) {
    if (out.size() >= count) break;
    const std::set<std::string> ws = words_of(s.phrase);
    if (std::any_of(ws.begin(), ws.end(), [&](const std::string& w) { return used.count(w) > 0; })) continue;
    used.insert(ws.begin(), ws.end());
    out.push_back(s.phrase);
  }
  return out;
}

std::vector<Span> chapter_spans(const std::vector<Sentence>& sentences, const ChapterOptions& o) {
  const std::size_t n_sent = sentences.size();
  if (n_sent == 0) return {};
  // The content-word stream and the sentence each word came from.
  std::vector<std::string> words;
  std::vector<std::size_t> sentence_of;
  for (std::size_t i = 0; i < n_sent; ++i)
    for (const std::string& t : sentences[i].tokens)
      if (is_content_word(t)) {
        words.push_back(t);
        sentence_of.push_back(i);
      }
  const std::size_t w = static_cast<std::size_t>(std::max(5, o.pseudo_sentence_words));
  const std::size_t k = static_cast<std::size_t>(std::max(1, o.block_pseudo_sentences));
  const std::size_t n_pseudo = words.size() / w;
  const std::size_t min_words = static_cast<std::size_t>(std::max(1, o.min_chapter_words));
  if (n_pseudo < 2 * k || words.size() < 2 * min_words) return {{0, n_sent}};

  // Gap g lies before pseudo-sentence g; similarity of the k pseudo-sentences either side.
  auto block_counts = [&](std::size_t from_ps, std::size_t to_ps) {
    std::map<std::string, double> c;
    for (std::size_t i = from_ps * w; i < std::min(to_ps * w, words.size()); ++i) c[words[i]] += 1.0;
    return c;
  };
  std::vector<double> sim(n_pseudo, 0.0);
  for (std::size_t g = 1; g < n_pseudo; ++g) {
    const auto a = block_counts(g >= k ? g - k : 0, g), b = block_counts(g, std::min(n_pseudo, g + k));
    double dot = 0, na = 0, nb = 0;
    for (const auto& [t, v] : a) {
      na += v * v;
      auto it = b.find(t);
      if (it != b.end()) dot += v * it->second;
    }
    for (const auto& [t, v] : b) nb += v * v;
    sim[g] = (na > 0 && nb > 0) ? dot / std::sqrt(na * nb) : 0.0;
  }
  std::vector<double> smooth(n_pseudo, 0.0);
  for (std::size_t g = 1; g < n_pseudo; ++g) {
    double s = 0;
    int c = 0;
    for (std::size_t h = g > 1 ? g - 1 : 1; h <= std::min(n_pseudo - 1, g + 1); ++h, ++c) s += sim[h];
    smooth[g] = s / c;
  }
  // Depth score: how far the similarity climbs on both sides of a valley.
  std::vector<double> depth(n_pseudo, 0.0);
  for (std::size_t g = 1; g < n_pseudo; ++g) {
    double left = smooth[g], right = smooth[g];
    for (std::size_t h = g; h >= 1 && smooth[h] >= left; --h) left = smooth[h];
    for (std::size_t h = g; h < n_pseudo && smooth[h] >= right; ++h) right = smooth[h];
    depth[g] = (left - smooth[g]) + (right - smooth[g]);
  }
  double mean = 0, sd = 0;
  for (std::size_t g = 1; g < n_pseudo; ++g) mean += depth[g];
  mean /= static_cast<double>(n_pseudo - 1);
  for (std::size_t g = 1; g < n_pseudo; ++g) sd += (depth[g] - mean) * (depth[g] - mean);
  sd = std::sqrt(sd / static_cast<double>(n_pseudo - 1));
  const double cutoff = mean - sd / 2;

  std::vector<std::size_t> candidates;
  for (std::size_t g = 1; g < n_pseudo; ++g)
    if (depth[g] > cutoff && depth[g] > 0 && depth[g] >= depth[g - 1] &&
        (g + 1 >= n_pseudo || depth[g] >= depth[g + 1]))
      candidates.push_back(g);
  std::stable_sort(candidates.begin(), candidates.end(),
                   [&](std::size_t a, std::size_t b) { return depth[a] > depth[b]; });

  const bool timed = sentences.back().end_s > 0;
  // Accepted boundaries as word positions; a chapter must reach both minimum lengths.
  std::vector<std::size_t> cuts = {0, words.size()};
  auto time_at = [&](std::size_t word) {
    return word >= words.size() ? sentences.back().end_s : sentences[sentence_of[word]].start_s;
  };
  for (std::size_t g : candidates) {
    if (cuts.size() - 1 >= static_cast<std::size_t>(std::max(1, o.max_chapters))) break;
    // Snap to the first word of the sentence the gap falls in, so chapters start at a sentence.
    std::size_t pos = g * w;
    while (pos > 0 && sentence_of[pos - 1] == sentence_of[pos]) --pos;
    auto after = std::upper_bound(cuts.begin(), cuts.end(), pos);
    const std::size_t next = *after, prev = *(after - 1);
    if (pos - prev < min_words || next - pos < min_words) continue;
    if (timed && (time_at(pos) - time_at(prev) < o.min_chapter_s || time_at(next) - time_at(pos) < o.min_chapter_s))
      continue;
    cuts.insert(after, pos);
  }
  std::vector<Span> spans;
  for (std::size_t c = 0; c + 1 < cuts.size(); ++c) {
    const std::size_t begin = c == 0 ? 0 : sentence_of[cuts[c]];
    const std::size_t end = c + 2 == cuts.size() ? n_sent : sentence_of[cuts[c + 1]];
    if (end > begin) spans.push_back({begin, end});
  }
  return spans;
}

std::vector<Chapter> make_chapters(const std::vector<Sentence>& sentences, const ChapterOptions& o) {
  const std::vector<Span> spans = chapter_spans(sentences, o);
  std::vector<Chapter> out;
  for (std::size_t c = 0; c < spans.size(); ++c) {
    const Span& s = spans[c];
    std::vector<std::string> phrases =
        key_phrases(sentences, s, static_cast<std::size_t>(std::max(1, o.title_phrases)), spans.size() > 1 ? spans : std::vector<Span>{});
    std::string title;
    for (const std::string& p : phrases) title += (title.empty() ? "" : ", ") + p;
    if (title.empty()) title = "part " + std::to_string(c + 1);
    title[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(title[0])));
    out.push_back({title, sentences[s.begin].start_s, sentences[s.end - 1].end_s});
  }
  return out;
}

}  // namespace hush::meeting
