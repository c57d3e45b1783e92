#include "analysis/report_network.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>
#include <tuple>
#include <utility>

#include "sim/core/projection.hpp"
#include "sim/core/results.hpp"

namespace klynge::analysis::report::detail {

namespace {

// Paul Tol's "muted" scheme for clusters; grey for "no cluster".
constexpr std::array<const char*, 9> kClusterColours = {"#CC6677", "#332288", "#DDCC77",
                                                        "#117733", "#88CCEE", "#882255",
                                                        "#44AA99", "#999933", "#AA4499"};
constexpr const char* kNoClusterColour = "#C8C8C8";

// Drawing units of the panel (its viewBox): node radii, and the place names' font size, which
// analysis/templates/network.css sets to the same value (svg.network-svg .muni).
constexpr double kNetW = 560, kNetH = 440, kRMin = 3, kRMax = 11;
constexpr double kNameFont = 12;

struct Point {
  double x = 0, y = 0;
};

struct Label {
  std::string name;
  Point at;  // text-anchor middle, baseline
};

struct Layout {
  std::vector<Point> firms;
  std::vector<Label> labels;
  std::vector<std::string> unplaced;  // names left out: every place for them covers something
  double height = 0;                  // used height: the drawing is cropped to its content
};

// Pushes firms closer than `min_d` apart (deterministic passes; small populations only).
void separate(std::vector<Point>& firms, double min_d) {
  const std::size_t n = firms.size();
  if (n > 2000) return;
  for (int pass = 0; pass < 60; ++pass) {
    bool moved = false;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = i + 1; j < n; ++j) {
        double dx = firms[j].x - firms[i].x;
        double dy = firms[j].y - firms[i].y;
        double d = std::hypot(dx, dy);
        if (d >= min_d) continue;
        if (d < 1e-9) dx = 1, dy = 0, d = 1;  // identical points: push along x
        const double push = (min_d - d) / 2 + 0.01;
        firms[i].x -= dx / d * push, firms[i].y -= dy / d * push;
        firms[j].x += dx / d * push, firms[j].y += dy / d * push;
        moved = true;
      }
    if (!moved) break;
  }
}

std::size_t characters(const std::string& text) {
  std::size_t n = 0;
  for (const char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

struct Box {
  double x0, y0, x1, y1;
  bool overlaps(const Box& b, double gap) const {
    return x0 < b.x1 + gap && b.x0 < x1 + gap && y0 < b.y1 + gap && b.y0 < y1 + gap;
  }
  bool touches_circle(const Point& c, double r) const {
    const double dx = std::max({x0 - c.x, 0.0, c.x - x1});
    const double dy = std::max({y0 - c.y, 0.0, c.y - y1});
    return dx * dx + dy * dy < r * r;
  }
};

// The box a name takes at font size kNameFont, centred on `at.x` with its baseline at `at.y`:
// 0.62 em per character is wider than DejaVu Sans's and Arial's average (about 0.55 em), so the
// box holds the drawn text; the height spans ascenders and descenders.
Box name_box(const std::string& name, Point at) {
  const double half = 0.31 * kNameFont * static_cast<double>(characters(name)) + 2;
  return {at.x - half, at.y - kNameFont, at.x + half, at.y + 0.35 * kNameFont};
}

Layout geographic_layout(const ResultsHeader& h, double width, double height, double spacing,
                         double node_margin) {
  const std::size_t n = h.pseudonyms.size();
  Layout layout;
  layout.firms.resize(n);
  if (n == 0) return layout;
  double lat0 = 0;
  std::size_t located = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (std::isfinite(h.lat[i])) lat0 += h.lat[i], ++located;
  lat0 = located ? lat0 / static_cast<double>(located) : projection::kOriginLat;

  // Groups of firms at the same stored location (municipality centroids), in pseudonym order.
  struct Group {
    double gx = 0, gy = 0;  // location on the simulation's projection (east, south), km
    std::vector<std::size_t> members;
  };
  std::map<std::pair<long long, long long>, Group> by_location;
  for (std::size_t i = 0; i < n; ++i) {
    const double la = std::isfinite(h.lat[i]) ? h.lat[i] : lat0;
    const double lo = std::isfinite(h.lon[i]) ? h.lon[i] : 0;
    Group& g = by_location[{std::llround(la * 1e5), std::llround(lo * 1e5)}];
    g.gx = projection::east_km(lo), g.gy = -projection::north_km(la);
    g.members.push_back(i);
  }
  std::vector<Group> groups;
  for (auto& entry : by_location) groups.push_back(std::move(entry.second));
  double min_x = 1e300, max_x = -1e300, min_y = 1e300, max_y = -1e300;
  for (auto& g : groups) {
    std::sort(g.members.begin(), g.members.end(),
              [&](std::size_t a, std::size_t b) { return h.pseudonyms[a] < h.pseudonyms[b]; });
    min_x = std::min(min_x, g.gx), max_x = std::max(max_x, g.gx);
    min_y = std::min(min_y, g.gy), max_y = std::max(max_y, g.gy);
  }
  const double span_x = std::max(max_x - min_x, 1e-9), span_y = std::max(max_y - min_y, 1e-9);

  // Place centroids into the box with margin m, firms on a sunflower spiral around them, push
  // overlapping firms apart; then widen the margin by what spilled over and place again.
  constexpr double kGolden = 2.399963229728653;  // radians
  std::vector<Point> centre(groups.size());
  double margin = node_margin + spacing;
  for (int attempt = 0; attempt < 4; ++attempt) {
    const double scale = std::min((width - 2 * margin) / span_x, (height - 2 * margin) / span_y);
    const double off_x = (width - span_x * scale) / 2, off_y = (height - span_y * scale) / 2;
    for (std::size_t k = 0; k < groups.size(); ++k) {
      const Group& g = groups[k];
      centre[k] = {off_x + (g.gx - min_x) * scale, off_y + (g.gy - min_y) * scale};
      for (std::size_t m = 0; m < g.members.size(); ++m) {
        const double rr = g.members.size() > 1 ? spacing * std::sqrt(m + 0.5) : 0;
        layout.firms[g.members[m]] = {centre[k].x + rr * std::cos(m * kGolden),
                                      centre[k].y + rr * std::sin(m * kGolden)};
      }
    }
    separate(layout.firms, spacing);
    double spill = 0;
    for (const auto& p : layout.firms)
      spill = std::max({spill, node_margin - p.x, p.x - (width - node_margin), node_margin - p.y,
                        p.y - (height - node_margin)});
    if (spill <= 0.5) break;
    margin += spill;
  }
  for (auto& p : layout.firms) {
    p.x = std::clamp(p.x, node_margin, width - node_margin);
    p.y = std::clamp(p.y, node_margin, height - node_margin);
  }

  // Municipality names, largest groups first, each at the first of four places around its firms
  // (below, above, right, left) where it covers no firm at its largest size (kRMax, plus a
  // pixel) and no name already placed; a name with no such place is left out (and listed under
  // the panel). Names were drawn under their firms before, whatever was there.
  std::vector<std::size_t> order(groups.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return groups[a].members.size() > groups[b].members.size();
  });
  std::vector<Box> placed;
  for (const std::size_t k : order) {
    const auto& g = groups[k];
    if (h.municipalities.size() <= g.members.front()) continue;
    const std::string& name = h.municipalities[g.members.front()];
    if (name.empty()) continue;
    double x0 = centre[k].x, x1 = x0, y0 = centre[k].y, y1 = y0;
    for (const std::size_t i : g.members) {
      x0 = std::min(x0, layout.firms[i].x), x1 = std::max(x1, layout.firms[i].x);
      y0 = std::min(y0, layout.firms[i].y), y1 = std::max(y1, layout.firms[i].y);
    }
    const double mid = (x0 + x1) / 2, half = name_box(name, {0, 0}).x1;
    const std::array<Point, 4> candidates = {
        Point{mid, y1 + kRMax + 2 + kNameFont}, Point{mid, y0 - kRMax - 2 - 0.35 * kNameFont},
        Point{x1 + kRMax + 3 + half, (y0 + y1) / 2 + 0.35 * kNameFont},
        Point{x0 - kRMax - 3 - half, (y0 + y1) / 2 + 0.35 * kNameFont}};
    bool done = false;
    for (const Point& at : candidates) {
      const Box box = name_box(name, at);
      if (box.x0 < 0 || box.x1 > width || box.y0 < 0 || box.y1 > height) continue;
      const bool clash = std::any_of(placed.begin(), placed.end(),
                                     [&](const Box& b) { return box.overlaps(b, 2); }) ||
                         std::any_of(layout.firms.begin(), layout.firms.end(), [&](const Point& p) {
                           return box.touches_circle(p, kRMax + 1);
                         });
      if (clash) continue;
      placed.push_back(box);
      layout.labels.push_back({name, at});
      done = true;
      break;
    }
    if (!done) layout.unplaced.push_back(name);
  }
  std::sort(layout.unplaced.begin(), layout.unplaced.end());

  // Crop empty space above and below (the region is usually wider than tall).
  double top = height, bottom = 0;
  for (const auto& p : layout.firms)
    top = std::min(top, p.y - node_margin), bottom = std::max(bottom, p.y + node_margin);
  for (const auto& b : placed) top = std::min(top, b.y0 - 2), bottom = std::max(bottom, b.y1 + 2);
  top = std::max(top - 4, 0.0);
  for (auto& p : layout.firms) p.y -= top;
  for (auto& l : layout.labels) l.at.y -= top;
  layout.height = std::min(height, bottom + 4) - top;
  return layout;
}

struct WeightedTie {
  std::size_t a, b;
  double weight;  // share of the shown months (all panels) in which the tie exists
};

// Fruchterman-Reingold from the geographic positions (so no random numbers are needed and the
// result is the same on every run), with a weak pull to the centre that keeps firms without
// ties from drifting off; then scaled into the box and pushed apart like the geographic layout.
std::vector<Point> force_layout(std::vector<Point> pos, const std::vector<WeightedTie>& ties,
                                double width, double height, double spacing, double margin) {
  const std::size_t n = pos.size();
  if (n < 2 || n > 2000) return pos;
  const double k = 0.9 * std::sqrt(width * height / static_cast<double>(n));
  const Point centre{width / 2, height / 2};
  constexpr int kIterations = 300;
  std::vector<Point> move(n);
  for (int it = 0; it < kIterations; ++it) {
    const double temperature = width / 10 * (1 - static_cast<double>(it) / kIterations) + 0.5;
    std::fill(move.begin(), move.end(), Point{});
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = i + 1; j < n; ++j) {
        double dx = pos[i].x - pos[j].x, dy = pos[i].y - pos[j].y;
        double d = std::hypot(dx, dy);
        if (d < 1e-6) dx = 1e-3 * static_cast<double>(j - i), dy = 0, d = std::abs(dx);
        const double f = k * k / d;
        move[i].x += dx / d * f, move[i].y += dy / d * f;
        move[j].x -= dx / d * f, move[j].y -= dy / d * f;
      }
    for (const WeightedTie& t : ties) {
      const double dx = pos[t.a].x - pos[t.b].x, dy = pos[t.a].y - pos[t.b].y;
      const double d = std::max(std::hypot(dx, dy), 1e-6);
      const double f = d * d / k * (0.3 + t.weight);
      move[t.a].x -= dx / d * f, move[t.a].y -= dy / d * f;
      move[t.b].x += dx / d * f, move[t.b].y += dy / d * f;
    }
    for (std::size_t i = 0; i < n; ++i) {
      move[i].x -= 0.04 * (pos[i].x - centre.x) * k / 40;
      move[i].y -= 0.04 * (pos[i].y - centre.y) * k / 40;
      const double d = std::hypot(move[i].x, move[i].y);
      if (d < 1e-12) continue;
      const double step = std::min(d, temperature);
      pos[i].x += move[i].x / d * step, pos[i].y += move[i].y / d * step;
    }
  }
  double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300;
  for (const auto& p : pos)
    x0 = std::min(x0, p.x), x1 = std::max(x1, p.x), y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
  const double scale = std::min((width - 2 * margin) / std::max(x1 - x0, 1e-9),
                                (height - 2 * margin) / std::max(y1 - y0, 1e-9));
  const double off_x = (width - (x1 - x0) * scale) / 2, off_y = (height - (y1 - y0) * scale) / 2;
  for (auto& p : pos) p = {off_x + (p.x - x0) * scale, off_y + (p.y - y0) * scale};
  separate(pos, spacing);
  for (auto& p : pos) {
    p.x = std::clamp(p.x, margin, width - margin);
    p.y = std::clamp(p.y, margin, height - margin);
  }
  return pos;
}

// Ties of detail replicate 0 in `d`, per step, checked against the population.
std::vector<std::vector<const TieRecord*>> ties_by_step(const DetailResults& d,
                                                        std::size_t firm_count) {
  std::vector<std::vector<const TieRecord*>> out(d.steps);
  for (std::size_t t = 0; t < d.ties.size(); ++t) {
    if (t < d.tie_detail.size() && d.tie_detail[t] != 0) continue;
    const TieRecord& tie = d.ties[t];
    if (tie.step < 0 || static_cast<std::size_t>(tie.step) >= d.steps) continue;
    if (tie.firm_a < 0 || tie.firm_b < 0 || static_cast<std::size_t>(tie.firm_a) >= firm_count ||
        static_cast<std::size_t>(tie.firm_b) >= firm_count)
      continue;
    out[static_cast<std::size_t>(tie.step)].push_back(&tie);
  }
  return out;
}

int variable_index(const ResultsFile& results, const char* name, FirmVariable fallback) {
  for (std::size_t k = 0; k < results.firm_variable_names.size(); ++k)
    if (results.firm_variable_names[k] == name) return static_cast<int>(k);
  return static_cast<int>(fallback);
}

}  // namespace

ClusterTracks track_clusters(const std::vector<std::vector<int>>& labels, std::size_t palette) {
  ClusterTracks tracks;
  std::vector<int> memory;  // per firm: the last cluster number it was seen in (-1: never)
  std::vector<std::pair<int, int>> life;  // per number: first and last step seen
  int next = 0;
  for (std::size_t s = 0; s < labels.size(); ++s) {
    const std::vector<int>& now = labels[s];
    if (memory.size() < now.size()) memory.resize(now.size(), -1);
    // This month's clusters: firms sharing a stored label, numbered in order of first firm.
    std::map<int, int> group_of;
    std::vector<int> group(now.size(), -1);
    for (std::size_t f = 0; f < now.size(); ++f)
      if (now[f] >= 0) {
        const auto it = group_of.emplace(now[f], static_cast<int>(group_of.size())).first;
        group[f] = it->second;
      }
    // Overlaps (shared firms) of each group with each remembered number, largest first.
    std::map<std::pair<int, int>, int> shared;
    for (std::size_t f = 0; f < now.size(); ++f)
      if (group[f] >= 0 && memory[f] >= 0) ++shared[{group[f], memory[f]}];
    std::vector<std::tuple<int, int, int>> overlaps;  // (-shared, number, group)
    for (const auto& [key, count] : shared) overlaps.emplace_back(-count, key.second, key.first);
    std::sort(overlaps.begin(), overlaps.end());
    std::vector<int> number(group_of.size(), -1);
    std::vector<char> taken(static_cast<std::size_t>(next), 0);
    for (const auto& [minus, id, g] : overlaps) {
      if (taken[static_cast<std::size_t>(id)] || number[static_cast<std::size_t>(g)] >= 0) continue;
      taken[static_cast<std::size_t>(id)] = 1;
      number[static_cast<std::size_t>(g)] = id;
    }
    for (int& id : number)
      if (id < 0) {
        id = next++;
        life.emplace_back(static_cast<int>(s), static_cast<int>(s));
      }
    std::vector<int> row(now.size(), -1);
    for (std::size_t f = 0; f < now.size(); ++f)
      if (group[f] >= 0) {
        row[f] = number[static_cast<std::size_t>(group[f])];
        memory[f] = row[f];
        life[static_cast<std::size_t>(row[f])].second = static_cast<int>(s);
      }
    tracks.id.push_back(std::move(row));
  }
  // Colours in order of first appearance: the first one no overlapping lifetime holds; when all
  // are held, the one held by the fewest.
  tracks.colour.assign(life.size(), 0);
  for (std::size_t id = 0; id < life.size(); ++id) {
    std::vector<int> held(std::max<std::size_t>(palette, 1), 0);
    for (std::size_t other = 0; other < id; ++other)
      if (life[other].first <= life[id].second && life[id].first <= life[other].second)
        ++held[static_cast<std::size_t>(tracks.colour[other])];
    tracks.colour[id] = static_cast<int>(std::min_element(held.begin(), held.end()) - held.begin());
  }
  return tracks;
}

NetworkSection network_section(const ResultsFile& results,
                               const std::vector<NetworkVariant>& networks, const Options& options,
                               const std::vector<VariantStyle>& styles,
                               const std::string& baseline) {
  const ResultsHeader& h = results.header;
  const std::size_t firm_count = h.pseudonyms.size();
  NetworkSection out;
  std::ostringstream html;
  html << "<section id=\"network\"><h2>The network, month by month</h2>\n";
  std::vector<const NetworkVariant*> shown;
  for (const auto& nv : networks)
    if (nv.detail.steps > 0 && nv.detail.firms == firm_count) shown.push_back(&nv);
  if (firm_count > options.max_network_firms) {
    html << "<p class=\"note\">" << firm_count << " firms are more than the network view shows ("
         << options.max_network_firms << "); use the HDF5 file's detail tie lists instead.</p>\n";
    out.html = html.str() + "</section>\n";
    return out;
  }
  if (shown.empty()) {
    html << "<p class=\"note\">No detail replicates in this results file (the scenario's "
            "<code>outputs: {detail_replicates: N}</code> was 0), so there is no network to "
            "show.</p>\n";
    out.html = html.str() + "</section>\n";
    return out;
  }
  const auto label_of = [&](const std::string& name) {
    for (const auto& s : styles)
      if (s.name == name) return s.label;
    return name;
  };

  const Layout layout = geographic_layout(h, kNetW, kNetH, 2 * kRMax + 2, kRMax + 3);
  std::vector<std::vector<std::vector<const TieRecord*>>> ties;
  for (const auto* nv : shown) ties.push_back(ties_by_step(nv->detail, firm_count));
  std::vector<WeightedTie> union_ties;
  {
    std::map<std::pair<std::size_t, std::size_t>, double> months;
    double total = 0;
    for (const auto& per_step : ties)
      for (const auto& step_ties : per_step) {
        total += 1;
        for (const TieRecord* t : step_ties) {
          const auto a = static_cast<std::size_t>(t->firm_a),
                     b = static_cast<std::size_t>(t->firm_b);
          months[{std::min(a, b), std::max(a, b)}] += 1;
        }
      }
    for (const auto& [key, count] : months)
      union_ties.push_back({key.first, key.second, total > 0 ? count / total : 0});
  }
  const std::vector<Point> force =
      force_layout(layout.firms, union_ties, kNetW, layout.height, 2 * kRMax + 2, kRMax + 3);

  const int rev_var = variable_index(results, "revenue_mdkk", FirmVariable::revenue_mdkk);
  const int cluster_var = variable_index(results, "cluster", FirmVariable::cluster);
  std::ostringstream js;
  js << "{\"horizon\":" << h.horizon << ",\"replicates\":" << h.replicates << ",\"width\":" << kNetW
     << ",\"height\":" << num(layout.height, 1) << ",\"rmin\":" << kRMin << ",\"rmax\":" << kRMax
     << ",\"noClusterColour\":" << json_string(kNoClusterColour) << ",\"clusterColours\":[";
  for (std::size_t k = 0; k < kClusterColours.size(); ++k)
    js << (k ? "," : "") << json_string(kClusterColours[k]);
  js << "],\"tieTypes\":[";
  for (std::size_t k = 0; k < kTieTypeNames.size(); ++k)
    js << (k ? "," : "") << json_string(kTieTypeNames[k]);
  js << "],\"firms\":[";
  for (std::size_t i = 0; i < firm_count; ++i)
    js << (i ? "," : "") << "{\"id\":" << json_string(h.pseudonyms[i])
       << ",\"m\":" << json_string(i < h.municipalities.size() ? h.municipalities[i] : "")
       << ",\"p\":" << (i < h.participant.size() && h.participant[i] ? 1 : 0)
       << ",\"x\":" << num(layout.firms[i].x, 1) << ",\"y\":" << num(layout.firms[i].y, 1)
       << ",\"fx\":" << num(force[i].x, 1) << ",\"fy\":" << num(force[i].y, 1) << "}";
  js << "],\"variants\":{";
  double revmax = 1;
  for (std::size_t k = 0; k < shown.size(); ++k) {
    const NetworkVariant& nv = *shown[k];
    const DetailResults& d = nv.detail;
    js << (k ? "," : "") << json_string(nv.variant)
       << ":{\"label\":" << json_string(label_of(nv.variant)) << ",\"replicate\":" << nv.replicate
       << ",\"revenue\":[";
    for (std::size_t s = 0; s < d.steps; ++s) {
      js << (s ? "," : "") << "[";
      for (std::size_t f = 0; f < d.firms; ++f) {
        const double r = d.trajectory(0, s, f, static_cast<std::size_t>(rev_var));
        if (std::isfinite(r)) revmax = std::max(revmax, r);
        js << (f ? "," : "") << num(r, 1);
      }
      js << "]";
    }
    // The stored labels, followed over the months (track_clusters says why).
    std::vector<std::vector<int>> stored(d.steps, std::vector<int>(d.firms, -1));
    for (std::size_t s = 0; s < d.steps; ++s)
      for (std::size_t f = 0; f < d.firms; ++f) {
        const double c = d.trajectory(0, s, f, static_cast<std::size_t>(cluster_var));
        stored[s][f] = std::isfinite(c) && c >= 0 ? static_cast<int>(std::lround(c)) : -1;
      }
    const ClusterTracks tracks = track_clusters(stored, kClusterColours.size());
    js << "],\"cluster\":[";
    for (std::size_t s = 0; s < d.steps; ++s) {
      js << (s ? "," : "") << "[";
      for (std::size_t f = 0; f < d.firms; ++f) js << (f ? "," : "") << tracks.id[s][f];
      js << "]";
    }
    js << "],\"clusterColour\":[";
    for (std::size_t c = 0; c < tracks.colour.size(); ++c) js << (c ? "," : "") << tracks.colour[c];
    // Ties per step: flat [a, b, trust, type, ...].
    js << "],\"ties\":[";
    for (std::size_t s = 0; s < d.steps; ++s) {
      js << (s ? "," : "") << "[";
      bool first = true;
      for (const TieRecord* t : ties[k][s]) {
        js << (first ? "" : ",") << t->firm_a << "," << t->firm_b << ","
           << num(std::clamp<double>(t->trust, 0, 1), 2) << "," << std::min<int>(t->type, 2);
        first = false;
      }
      js << "]";
    }
    js << "]}";
  }
  js << "},\"revmax\":" << num(revmax, 1) << "}";
  out.json = js.str();

  // Panels: the baseline on the left, the chosen variant on the right.
  std::vector<std::string> names;
  for (const auto* nv : shown) names.push_back(nv->variant);
  const auto has = [&](const std::string& n) {
    return std::find(names.begin(), names.end(), n) != names.end();
  };
  const std::string left = has(baseline) ? baseline : names.front();
  std::string right;
  if (!options.network_variant.empty() && has(options.network_variant))
    right = options.network_variant;
  else if (has("full_programme") && left != "full_programme")
    right = "full_programme";
  else
    for (const auto& n : names)
      if (n != left) {
        right = n;
        break;
      }
  std::vector<std::string> initial = {left};
  {
    std::ostringstream labels;
    labels << "[";
    for (std::size_t k = 0; k < layout.labels.size(); ++k)
      labels << (k ? "," : "") << "{\"name\":" << json_string(layout.labels[k].name)
             << ",\"x\":" << num(layout.labels[k].at.x, 1)
             << ",\"y\":" << num(layout.labels[k].at.y, 1) << "}";
    labels << "]";
    out.labels_json = labels.str();
  }
  if (!right.empty()) initial.push_back(right);

  html << "<p class=\"lead\"><strong>One simulated run</strong> (replicate "
       << shown.front()->replicate << " of " << h.replicates
       << ") of two programmes side by side, from the relations the interviews reported (month 0) "
          "to month "
       << h.horizon
       << " (shown first). Press play to watch it form, or drag the slider. Both panels use the "
          "same random numbers, so differences come from the programmes. The figures above each "
          "panel are for this one run; the ranking and the charts above average over all "
       << h.replicates << " runs, so they differ.</p>\n"
       << "<div class=\"controls\"><button type=\"button\" id=\"play\" aria-pressed=\"false\">"
          "\u25b6 Play</button><input type=\"range\" id=\"step-slider\" min=\"0\" max=\""
       << h.horizon << "\" value=\"" << h.horizon
       << "\" step=\"1\" aria-label=\"month\"><span id=\"step-label\">Month " << h.horizon << " of "
       << h.horizon
       << "</span><label>Speed <select id=\"speed\"><option value=\"900\">slow</option>"
          "<option value=\"450\" selected>normal</option><option value=\"180\">fast</option>"
          "</select></label><label>Layout <select id=\"layout\"><option value=\"geo\" "
          "selected>by municipality</option><option value=\"force\">by ties "
          "(force-directed)</option></select></label><label><input type=\"checkbox\" "
          "id=\"show-names\" checked> municipality names</label></div>\n<div class=\"panels\">\n";
  for (std::size_t p = 0; p < initial.size(); ++p) {
    html << "<div class=\"panel\" id=\"panel-" << p
         << "\"><label>Programme <select id=\"network-variant-" << p << "\">";
    for (const auto& n : names)
      html << "<option value=\"" << html_escape(n) << "\"" << (n == initial[p] ? " selected" : "")
           << ">" << html_escape(label_of(n)) << "</option>";
    html << "</select></label><div class=\"stats\">&nbsp;</div>\n<svg class=\"network-svg\" "
            "viewBox=\"0 0 "
         << kNetW << " " << num(layout.height, 1)
         << "\" role=\"img\" aria-label=\"collaboration network of the firms\"><g "
            "class=\"labels\">";
    for (const auto& label : layout.labels)
      html << "<text class=\"muni\" x=\"" << num(label.at.x, 1) << "\" y=\"" << num(label.at.y, 1)
           << "\">" << html_escape(label.name) << "</text>";
    html << "</g></svg></div>\n";
  }
  html << "</div>\n<div class=\"net-legend\"><span><svg width=\"46\" height=\"14\">";
  for (std::size_t k = 0; k < 3; ++k)
    html << "<circle cx=\"" << 7 + 15 * k << "\" cy=\"7\" r=\"6\" fill=\"" << kClusterColours[k]
         << "\"/>";
  html << "</svg> colour: cluster</span><span><svg width=\"14\" height=\"14\"><circle cx=\"7\" "
          "cy=\"7\" r=\"6\" fill=\""
       << kNoClusterColour
       << "\"/></svg> in no cluster</span><span><svg width=\"16\" height=\"16\"><circle "
          "cx=\"8\" cy=\"8\" r=\"6\" fill=\"#fff\" stroke=\"#111\" stroke-width=\"2.2\"/></svg> "
          "ring: target group (participant)</span><span>size: revenue</span>"
          "<span><svg width=\"30\" height=\"10\"><line x1=\"2\" x2=\"28\" y1=\"5\" y2=\"5\" "
          "stroke=\"#555\" stroke-width=\"2.5\"/></svg> partner tie</span>"
          "<span><svg width=\"30\" height=\"10\"><line x1=\"2\" x2=\"28\" y1=\"5\" y2=\"5\" "
          "stroke=\"#555\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/></svg> knowledge "
          "tie</span><span><svg width=\"30\" height=\"10\"><line x1=\"2\" x2=\"28\" y1=\"5\" "
          "y2=\"5\" stroke=\"#a9a9a9\" stroke-width=\"2\"/></svg> trade tie</span>"
          "<span><svg width=\"30\" height=\"10\"><line x1=\"2\" x2=\"28\" y1=\"5\" y2=\"5\" "
          "stroke=\"#d55e00\" stroke-width=\"2.5\"/></svg> formed this month</span>"
          "<span>thicker, darker: more trust</span></div>\n"
          "<p class=\"note\"><strong>By municipality</strong>: firms sit at their municipality "
          "(firms of one municipality around it). <strong>By ties</strong>: a force-directed "
          "drawing of every tie the two runs ever had, so firms that work together sit together "
          "and clusters show as groups; positions are the same in every month and both panels. "
          "Hover a firm for its pseudonym, municipality, revenue and cluster. A cluster keeps "
          "its colour and number from month to month, also when it is missed at a month's "
          "detection and found again; two clusters seen in the same month have different "
          "colours.";
  if (!layout.unplaced.empty()) {
    html << " Names left out where every place for them would cover a firm: ";
    for (std::size_t k = 0; k < layout.unplaced.size(); ++k)
      html << (k ? ", " : "") << html_escape(layout.unplaced[k]);
    html << ".";
  }
  html << "</p>\n</section>\n";
  out.html = html.str();
  return out;
}

}  // namespace klynge::analysis::report::detail
