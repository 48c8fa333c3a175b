#pragma once
// cluster_figures -> the answer of GET /ovo/dashboard (docs/protocol.md, "Dashboard").

#include "core/cluster_figures.hpp"

#include <string>

namespace ovo {

/// The envelope {"Status":"done","Code":"0","Data":{...}} with the figures as Data.
std::string encode_dashboard(const cluster_figures& figures);

}  // namespace ovo
