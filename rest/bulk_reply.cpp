#include "rest/bulk_reply.hpp"

#include "rest/envelope.hpp"

namespace ovo {

void run_bulk(const local_node& node, std::vector<bulk_entry> entries,
              std::function<void(std::string body)> answer) {
  // Refused entries keep their refusal; the others get their command's reply in their place.
  std::vector<reply> answers(entries.size());
  std::vector<command> commands;
  std::vector<std::size_t> places;  // where each command's reply goes
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (auto* cmd = std::get_if<command>(&entries[i].work)) {
      commands.push_back(std::move(*cmd));
      places.push_back(i);
    } else {
      answers[i] = std::get<reply>(std::move(entries[i].work));
    }
    answers[i].key = std::move(entries[i].key);  // every entry names its key, found or not
  }
  node.route_many(std::move(commands),
                  [answers = std::move(answers), places = std::move(places),
                   answer = std::move(answer)](std::vector<reply> replies) mutable {
                    for (std::size_t i = 0; i < replies.size(); ++i) {
                      auto key = std::move(answers[places[i]].key);
                      answers[places[i]] = std::move(replies[i]);
                      answers[places[i]].key = std::move(key);
                    }
                    answer(encode_bulk_envelope(answers));
                  });
}

}  // namespace ovo
