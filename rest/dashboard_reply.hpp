#pragma once
// Answers GET /ovo/dashboard through a REST reply sink: the figures as JSON when the admin
// actor delivers them, a 503 envelope when it could not gather them.

#include "actors/interfaces.hpp"
#include "rest/dashboard_json.hpp"
#include "rest/raw_response.hpp"

#include <memory>

namespace ovo {

/// `Sink` answers envelopes (deliver(reply)) and raw bodies (deliver_raw(raw_response)).
template <class Sink>
class dashboard_reply final : public figures_sink {
 public:
  explicit dashboard_reply(std::shared_ptr<Sink> sink) : sink_(std::move(sink)) {}

  void deliver(cluster_figures figures) override {
    sink_->deliver_raw({200, "application/json; charset=utf-8", encode_dashboard(figures)});
  }

  void fail(std::string why) override {
    sink_->deliver(failure(status::unavailable, "cannot gather the dashboard's figures: " + why));
  }

 private:
  std::shared_ptr<Sink> sink_;
};

}  // namespace ovo
