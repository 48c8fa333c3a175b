#include "actors/gathered_replies.hpp"

namespace ovo {

std::vector<reply_sink_ptr> gathered_replies::start(std::size_t count, done_fn done) {
  if (count == 0) {
    done({});
    return {};
  }
  auto shared = std::make_shared<state>();
  shared->replies.resize(count);
  shared->pending = count;
  shared->done = std::move(done);
  std::vector<reply_sink_ptr> sinks;
  sinks.reserve(count);
  for (std::size_t i = 0; i < count; ++i) sinks.push_back(std::make_shared<sink>(shared, i));
  return sinks;
}

gathered_replies::sink::~sink() {
  if (!delivered_) deliver(failure(status::unavailable, "the node dropped the request"));
}

void gathered_replies::sink::deliver(reply answer) {
  if (delivered_) return;
  delivered_ = true;
  shared_->replies[index_] = std::move(answer);
  // acq_rel: the last sink sees every other sink's reply before it hands them over.
  if (shared_->pending.fetch_sub(1, std::memory_order_acq_rel) == 1)
    shared_->done(std::move(shared_->replies));
}

}  // namespace ovo
