#pragma once
// A node's vote in the layout register, kept on disk beside `<conf>.temp` (docs/cluster.md,
// "Layout epochs": a vote forgotten across a restart is what could let two layouts win one
// epoch). JSON, written to a temporary file, flushed to the disk and renamed over the old one.

#include "core/layout_register.hpp"

#include <optional>
#include <string>
#include <variant>

namespace ovo {

/// Where the node started from `config_path` keeps its vote: `<conf>.layout`, `<conf>` without
/// its ".temp" suffixes, so a restart from `<conf>.temp` finds the vote of the run before.
std::string layout_path_for(std::string config_path);

std::string render_layout_state(const acceptor_state& state);

/// The state, or why the text is not one.
std::variant<acceptor_state, std::string> parse_layout_state(const std::string& text);

/// Writes `state` to `path` durably (fsync before the rename, and of the directory after it);
/// the error, if any.
std::optional<std::string> save_layout_state(const std::string& path, const acceptor_state& state);

/// The state saved at `path`: nothing when there is no file, an error when it cannot be read.
std::variant<std::monostate, acceptor_state, std::string> load_layout_state(
    const std::string& path);

}  // namespace ovo
