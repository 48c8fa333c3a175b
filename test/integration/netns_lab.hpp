#pragma once
// Nodes in network namespaces of their own, on a bridge the test driver is on too, and network
// partitions made of iptables DROP rules inside the namespaces: node-to-node traffic is cut
// both ways while the driver (the clients) still reaches every node. Needs root (CI runs as
// root); a lab that cannot be built fails the test with the reason, never skips it. Everything
// it created (namespaces with their rules, links, the bridge) is removed by the destructor,
// also when the test fails.

#include "test/integration/test_cluster.hpp"

#include <string>
#include <vector>

namespace ovo::test {

class netns_lab {
 public:
  /// `tag` (1-250) must be unique among the tests of one suite: it names the namespaces
  /// ("ovo<tag>n<i>"), the bridge ("ovo<tag>br") and the subnet (10.213.<tag>.0/24, the driver
  /// at .1, node i at .(i+2)). Suites run at once from other checkouts use the same tags: a lab
  /// waits for the lock of its tag, held until it is removed.
  netns_lab(int tag, int nodes);
  ~netns_lab();
  netns_lab(const netns_lab&) = delete;
  netns_lab& operator=(const netns_lab&) = delete;

  /// Where test_cluster runs each node: its address, inside its namespace.
  std::vector<test_cluster::node_place> places() const;

  /// Cuts the traffic between nodes `a` and `b`, both ways.
  void cut(int a, int b);
  /// Removes the cut between nodes `a` and `b` (made by cut or isolate), both ways.
  void mend(int a, int b);
  /// Cuts node `a` from every other node (the driver still reaches it).
  void isolate(int a);
  /// Removes every cut.
  void heal();

 private:
  std::string ns(int i) const;
  std::string address(int i) const;
  /// Adds (`add`) or deletes the rules that drop traffic between `a` and `b` inside a's
  /// namespace.
  void drop_rules(int a, int b, bool add);
  void remove_everything();

  int tag_;
  int nodes_;
  int lock_fd_ = -1;  ///< holds the tag's lock file (see the constructor)
};

}  // namespace ovo::test
