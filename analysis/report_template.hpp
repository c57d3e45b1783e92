#pragma once
// The fixed parts of the report page live as files under analysis/templates/ (report.html, the
// skeleton; report.css and network.css; error-catcher.js, network.js, report.js and
// uncertainty.js), embedded in klynge at build time by klynge_embed (cmake/embed.cmake): editing
// one re-runs CMake, which regenerates the embedded copy and rebuilds report_template.cpp. The
// C++ fills the skeleton (analysis/report.cpp); `klynge studio` draws its network panel with
// network.css and network.js (sim/cli/studio/server.cpp), so both pages draw it with one code.
// Plain CSS and vanilla JS, no external resources: the page must work offline, in any current
// browser, and in headless Chromium (tests/python/test_report_browser.py).
#include <map>
#include <string>
#include <string_view>

namespace klynge::analysis::report::page {

// The file `name` of analysis/templates/ (e.g. "network.js"), as embedded. Throws
// std::logic_error for a name that is not embedded (a programming error, not bad input).
std::string_view file(std::string_view name);

// `text` with its marks replaced, in one pass (what is put in is never scanned again):
//   {{name}}    values.at(name), HTML-escaped (text for element content and attribute values);
//   {{{name}}}  values.at(name) as it is (HTML made by the caller, or JSON safe inside <script>);
//   {{> file}}  file(file) as it is;
//   {{! ...}}   nothing: a comment, dropped with the line end right after it.
// Throws std::logic_error for a mark naming no value, an unclosed mark, or a value that no mark
// uses (so a misspelt name cannot silently leave a hole in the page).
std::string fill(std::string_view text, const std::map<std::string, std::string>& values);

}  // namespace klynge::analysis::report::page
