#pragma once
// The fault tests' judge: clients record what each request was told, and the checker compares
// the cluster's final state with it. Every key must read back, through every node, as its last
// acknowledged value or a newer one it was sent; every counter must equal its acknowledged
// increments plus at most its ambiguous ones (503, no answer).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ovo::test {

class write_checker {
 public:
  /// Object `key` was sent `seq` (values are the decimal sequence numbers, increasing per key).
  void sent(const std::string& key, int64_t seq);
  /// ... and `node` answered 200.
  void acknowledged(const std::string& key, int64_t seq, const std::string& node);
  /// Counter `name` was incremented by 1 through `node` and answered 200 with `total`, or not
  /// answered 200 (`total` unused).
  void counter_answered(const std::string& name, bool acknowledged, int64_t total,
                        const std::string& node);
  /// Any request through `node` got HTTP `status` (0: no answer), for the per-node tally.
  void answered(const std::string& node, long status);

  struct verdict {
    int keys = 0, lost = 0, differing = 0;
    int counters = 0, counters_exact = 0;
    int64_t acknowledged_writes = 0, acknowledged_increments = 0, ambiguous_increments = 0;
    std::string problems;  ///< one line per key or counter that failed
    /// Per node the requests sent through it: how many answered 200, 503, or otherwise
    /// (no answer included), one line each ("http://host:port: N requests, ...").
    std::string answers;
  };

  /// Reads every key and counter through each of `rest_urls` ("http://host:port") and judges.
  verdict check(const std::vector<std::string>& rest_urls) const;

 private:
  /// Seconds since the checker was made, for the diagnostics below.
  double elapsed() const;

  struct key_state {
    int64_t acknowledged = 0;  ///< 0: none yet
    int64_t highest_sent = 0;
    int64_t acknowledgements = 0;
    std::string last_acknowledgement;  ///< "through NODE at +Ts": where to look when it is lost
  };
  struct counter_state {
    int64_t acknowledged = 0, ambiguous = 0;
    int64_t last_total = 0;  ///< the total of the last acknowledged increment
    /// The first acknowledged total below the one before (one client per counter: totals only
    /// grow), "from A to B through NODE at +Ts": when and where the counter lost its value.
    std::string first_step_back;
  };
  const std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  mutable std::mutex mutex_;
  std::map<std::string, key_state> keys_;
  std::map<std::string, counter_state> counters_;
  struct answer_tally {
    int64_t requests = 0, ok = 0, unavailable = 0;
  };
  std::map<std::string, answer_tally> answers_;  ///< by node
};

/// Judges the checker's record through the nodes at `urls` (doctest checks): every
/// acknowledged write there, every copy read the same, every counter exact; the verdict and
/// the per-node answers go to the test's output.
void judge_record(const write_checker& checker, const std::vector<std::string>& urls);

/// Writers that each own `keys_per_writer` keys and write increasing sequence numbers to them,
/// and one client per counter incrementing it, all through random nodes, until stop(). The
/// keys and counters are spread evenly over the slots, so each node of a balanced layout owns
/// its share of them (names alone clustered: 79 of 120 keys once hashed into one third).
class checked_workload {
 public:
  checked_workload(write_checker& checker, std::vector<std::string> rest_urls, int writers,
                   int keys_per_writer, int counters);
  ~checked_workload() { stop(); }
  void stop();

  /// The name of counter `n` of `counters` ("counter-<n>-<i>"): counter 0 in slot 127, owned
  /// by the last node of a balanced layout (the one most fault tests cut off), the others
  /// spread below it.
  static std::string counter_name(int n, int counters);

 private:
  /// `prefix`-<i> for the first i that lands in slot `slot`.
  static std::string name_in_slot(const std::string& prefix, int slot);

  std::atomic<bool> stopping_{false};
  std::vector<std::thread> threads_;
};

}  // namespace ovo::test
