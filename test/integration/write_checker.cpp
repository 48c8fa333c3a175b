#include "test/integration/write_checker.hpp"

#include "core/base64.hpp"
#include "core/slot_hash.hpp"
#include "test/integration/http_client.hpp"
#include "test/integration/test_cluster.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <ctime>
#include <iomanip>
#include <random>
#include <sstream>

namespace ovo::test {

using json = nlohmann::json;

void write_checker::sent(const std::string& key, int64_t seq) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto& state = keys_[key];
  state.highest_sent = std::max(state.highest_sent, seq);
}

double write_checker::elapsed() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

namespace {

/// "through NODE at +S s (HH:MM:SS.mmm UTC)": the wall clock to find the moment in node logs.
std::string through(const std::string& node, double seconds) {
  const auto now = std::chrono::system_clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch());
  const std::time_t whole = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&whole, &utc);
  std::ostringstream text;
  text << "through " << node << " at +" << std::fixed << std::setprecision(3) << seconds << " s ("
       << std::put_time(&utc, "%H:%M:%S") << '.' << std::setw(3) << std::setfill('0')
       << ms.count() % 1000 << " UTC)";
  return text.str();
}

}  // namespace

void write_checker::acknowledged(const std::string& key, int64_t seq, const std::string& node) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto& state = keys_[key];
  if (seq > state.acknowledged) {
    state.acknowledged = seq;
    state.last_acknowledgement = through(node, elapsed());
  }
  ++state.acknowledgements;
}

void write_checker::counter_answered(const std::string& name, bool acknowledged, int64_t total,
                                     const std::string& node) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto& state = counters_[name];
  if (!acknowledged) {
    ++state.ambiguous;
    return;
  }
  ++state.acknowledged;
  if (total < state.last_total && state.first_step_back.empty())
    state.first_step_back = "from " + std::to_string(state.last_total) + " to " +
                            std::to_string(total) + " " + through(node, elapsed());
  state.last_total = total;
}

void write_checker::answered(const std::string& node, long status) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto& tally = answers_[node];
  ++tally.requests;
  tally.ok += status == 200 ? 1 : 0;
  tally.unavailable += status == 503 ? 1 : 0;
}

namespace {

/// The sequence number stored under `key` as read through `node` ("http://host:port"); -1
/// when absent, -2 on error.
int64_t read_seq(http_client& client, const std::string& node, const std::string& key) {
  auto answer = client.get(node + "/ovo/keystorage/" + key);
  if (answer.status == 404) return -1;
  if (answer.status != 200) return -2;
  auto bytes = decode_base64(answer.envelope()["Data"]["Data"].get<std::string>());
  return bytes ? std::stoll(*bytes) : -2;
}

/// The counter's value through `node`; -1 when absent, -2 on error.
int64_t read_counter(http_client& client, const std::string& node, const std::string& name) {
  auto answer = client.get(node + "/ovo/counters/" + name);
  if (answer.status == 404) return -1;
  if (answer.status != 200) return -2;
  return answer.envelope()["Data"]["Value"].get<int64_t>();
}

}  // namespace

write_checker::verdict write_checker::check(const std::vector<std::string>& rest_urls) const {
  std::lock_guard<std::mutex> lock(mutex_);
  verdict v;
  http_client client;
  std::ostringstream problems;
  for (const auto& [key, state] : keys_) {
    ++v.keys;
    v.acknowledged_writes += state.acknowledgements;
    std::vector<int64_t> seen;
    for (const auto& node : rest_urls) seen.push_back(read_seq(client, node, key));
    bool lost = false, differing = false;
    for (auto seq : seen) {
      differing = differing || seq != seen.front();
      // Its last acknowledged value or a newer one it was sent; absent only if never acknowledged.
      lost = lost || seq < state.acknowledged || seq > state.highest_sent ||
             (seq == -1 && state.acknowledged > 0) || seq == -2;
    }
    v.lost += lost ? 1 : 0;
    v.differing += differing ? 1 : 0;
    if (lost || differing) {
      problems << key << ": acknowledged " << state.acknowledged << " "
               << state.last_acknowledgement << ", sent up to " << state.highest_sent << ", read";
      for (auto seq : seen) problems << ' ' << seq;
      problems << '\n';
    }
  }
  for (const auto& [name, state] : counters_) {
    ++v.counters;
    v.acknowledged_increments += state.acknowledged;
    v.ambiguous_increments += state.ambiguous;
    bool exact = true;
    std::vector<int64_t> seen;
    for (const auto& node : rest_urls) {
      const auto value = read_counter(client, node, name);
      seen.push_back(value);
      const auto total = value < 0 && state.acknowledged == 0 ? 0 : value;
      exact = exact && total >= state.acknowledged &&
              total <= state.acknowledged + state.ambiguous && value == seen.front();
    }
    v.counters_exact += exact ? 1 : 0;
    if (!exact) {
      problems << "counter " << name << ": acknowledged " << state.acknowledged << ", ambiguous "
               << state.ambiguous << ", read";
      for (auto value : seen) problems << ' ' << value;
      if (!state.first_step_back.empty())
        problems << "; acknowledged totals stepped back " << state.first_step_back;
      problems << '\n';
    }
  }
  v.problems = problems.str();
  std::ostringstream answers;
  for (const auto& [node, tally] : answers_)
    answers << node << ": " << tally.requests << " requests, " << tally.ok << " answered 200, "
            << tally.unavailable << " 503, " << tally.requests - tally.ok - tally.unavailable
            << " otherwise or not at all\n";
  v.answers = answers.str();
  return v;
}

void judge_record(const write_checker& checker, const std::vector<std::string>& urls) {
  const auto v = checker.check(urls);
  MESSAGE(v.acknowledged_writes << " acknowledged writes to " << v.keys << " keys: " << v.lost
                                << " lost, " << v.differing << " differing; counters exact "
                                << v.counters_exact << " of " << v.counters << " ("
                                << v.acknowledged_increments << " acknowledged increments, "
                                << v.ambiguous_increments << " ambiguous)\n"
                                << v.answers);
  CHECK_MESSAGE(v.lost == 0, v.problems);
  CHECK_MESSAGE(v.differing == 0, v.problems);
  CHECK_MESSAGE(v.counters_exact == v.counters, v.problems);
}

std::string checked_workload::name_in_slot(const std::string& prefix, int slot) {
  return keys_in_slot(slot, 1, prefix + "-").front();
}

std::string checked_workload::counter_name(int n, int counters) {
  return name_in_slot("counter-" + std::to_string(n), slot_count - 1 - n * slot_count / counters);
}

checked_workload::checked_workload(write_checker& checker, std::vector<std::string> rest_urls,
                                   int writers, int keys_per_writer, int counters) {
  // Bounded in time by stop() (the test's own deadline) and in count by the request rate.
  for (int w = 0; w < writers; ++w)
    threads_.emplace_back([this, &checker, rest_urls, w, writers, keys_per_writer] {
      http_client client;
      std::mt19937 rng(static_cast<unsigned>(w));
      std::vector<std::string> keys;
      for (int k = 0; k < keys_per_writer; ++k)
        keys.push_back(name_in_slot("w" + std::to_string(w) + "-k" + std::to_string(k),
                                    (k * writers + w) * slot_count / (writers * keys_per_writer)));
      std::vector<int64_t> seq(keys.size(), 0);
      for (std::size_t i = 0; !stopping_; ++i) {
        const auto k = i % keys.size();
        const auto& key = keys[k];
        const auto value = ++seq[k];
        checker.sent(key, value);
        const auto& node = rest_urls[rng() % rest_urls.size()];
        auto answer =
            client.request("PUT", node + "/ovo/keystorage",
                           json{{"Key", key}, {"Data", to_base64(std::to_string(value))}}.dump());
        checker.answered(node, answer.status);
        if (answer.status == 200) checker.acknowledged(key, value, node);
      }
    });
  for (int n = 0; n < counters; ++n)
    threads_.emplace_back([this, &checker, rest_urls, n, counters] {
      http_client client;
      std::mt19937 rng(static_cast<unsigned>(100 + n));
      const auto name = counter_name(n, counters);
      const auto body = json{{"Key", name}, {"Value", 1}}.dump();
      while (!stopping_) {
        const auto& node = rest_urls[rng() % rest_urls.size()];
        auto answer = client.request("PUT", node + "/ovo/counters", body);
        const bool ok = answer.status == 200;
        checker.answered(node, answer.status);
        checker.counter_answered(name, ok,
                                 ok ? answer.envelope()["Data"]["Value"].get<int64_t>() : 0, node);
      }
    });
}

void checked_workload::stop() {
  stopping_ = true;
  for (auto& thread : threads_)
    if (thread.joinable()) thread.join();
  threads_.clear();
}

}  // namespace ovo::test
