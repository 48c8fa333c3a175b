#pragma once
// Runs a decoded bulk request (POST /ovo/mget, /ovo/mset) on the node and builds its answer:
// one entry per key or item, in request order, refused entries included.

#include "actors/local_node.hpp"
#include "rest/bulk_request.hpp"

#include <functional>
#include <string>
#include <vector>

namespace ovo {

/// Routes the commands of `entries` together (local_node::route_many: one message per owner
/// node) and gives `answer` the bulk envelope once every command has its reply. Never blocks.
void run_bulk(const local_node& node, std::vector<bulk_entry> entries,
              std::function<void(std::string body)> answer);

}  // namespace ovo
