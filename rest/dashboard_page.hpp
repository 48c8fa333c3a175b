#pragma once
// GET /ui: the dashboard, one static page compiled into the binary (inline CSS and script,
// nothing fetched from elsewhere). It polls GET /ovo/dashboard of the node that served it.

#include <string_view>

namespace ovo {

/// The page's HTML.
std::string_view dashboard_page_html();

}  // namespace ovo
