// The runner of the protocol tests: CAF's own unit-test engine, which caf/test/dsl.hpp needs
// (it does not mix with doctest, hence a binary of its own). Our logs are cut to errors so the
// DSL's trace of each expected message stays readable.

#include "core/logging.hpp"

#define CAF_TEST_NO_MAIN
#include <caf/test/unit_test_impl.hpp>

int main(int argc, char** argv) {
  ovo::setup_logging("protocol-test", "error");
  return caf::test::main(argc, argv);
}
