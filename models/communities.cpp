#include "models/communities.hpp"

#include <algorithm>
#include <boost/random/uniform_int_distribution.hpp>
#include <cstdint>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>
#include <tuple>

namespace klynge {

namespace {

using Weight = std::int64_t;      // sums and products: exact up to (2m)^2 < 2^63
using EdgeWeight = std::int32_t;  // one arc of a level graph: at most 2m < 2^31

std::size_t idx(int i) {
  return static_cast<std::size_t>(i);
}

// Q from contiguous labels 0..count-1, exact in integers up to the final division:
// Q = (2m sum_c in_c - sum_c tot_c^2) / (2m)^2, in_c = 2 L_c, tot_c = degree sum.
double modularity_contiguous(const Graph& g, const std::vector<int>& label, int count) {
  const auto two_m = static_cast<Weight>(2 * g.edge_count());
  if (two_m == 0) return 0.0;
  std::vector<Weight> tot(idx(count), 0);
  Weight inside = 0;
  for (int u = 0; u < g.node_count(); ++u) {
    const int c = label[idx(u)];
    tot[idx(c)] += g.degree(u);
    for (int v : g.neighbours(u)) inside += label[idx(v)] == c ? 1 : 0;
  }
  Weight squares = 0;
  for (Weight t : tot) squares += t * t;
  return static_cast<double>(two_m * inside - squares) /
         (static_cast<double>(two_m) * static_cast<double>(two_m));
}

// One Louvain level: a weighted graph whose node i stands for a set of original nodes.
// Off-diagonal weights in CSR; loop[i] = A_ii (edges inside the set, counted from both ends);
// strength[i] = k_i = loop[i] + sum of the row. Level 0 leaves `weight` empty: every arc
// weighs 1 (less memory traffic where it matters most).
struct LevelGraph {
  int n = 0;
  std::vector<std::size_t> offsets{0};
  std::vector<int> target;
  std::vector<EdgeWeight> weight;  // empty = all 1
  std::vector<Weight> loop;
  std::vector<Weight> strength;
};

LevelGraph level_zero(const Graph& g, const std::vector<EdgeWeight>* arc_weight) {
  LevelGraph lg;
  lg.n = g.node_count();
  lg.offsets.assign(idx(lg.n) + 1, 0);
  lg.target.reserve(2 * g.edge_count());
  for (int u = 0; u < lg.n; ++u) {
    for (int v : g.neighbours(u)) lg.target.push_back(v);
    lg.offsets[idx(u) + 1] = lg.target.size();
  }
  lg.loop.assign(idx(lg.n), 0);
  lg.strength.resize(idx(lg.n));
  if (arc_weight) {
    lg.weight = *arc_weight;
    for (int u = 0; u < lg.n; ++u) {
      Weight k = 0;
      for (std::size_t e = lg.offsets[idx(u)]; e < lg.offsets[idx(u) + 1]; ++e) k += lg.weight[e];
      lg.strength[idx(u)] = k;
    }
  } else {
    for (int u = 0; u < lg.n; ++u) lg.strength[idx(u)] = g.degree(u);
  }
  return lg;
}

// Q of contiguous labels on a level graph (weighted): (2m sum_c in_c - sum_c tot_c^2) / (2m)^2.
double modularity_level(const LevelGraph& lg, const std::vector<int>& label, int count,
                        Weight two_m) {
  if (two_m == 0) return 0.0;
  std::vector<Weight> tot(idx(count), 0);
  Weight inside = 0;
  for (int u = 0; u < lg.n; ++u) {
    const int c = label[idx(u)];
    tot[idx(c)] += lg.strength[idx(u)];
    for (std::size_t e = lg.offsets[idx(u)]; e < lg.offsets[idx(u) + 1]; ++e)
      if (label[idx(lg.target[e])] == c) inside += lg.weight.empty() ? 1 : lg.weight[e];
  }
  Weight squares = 0;
  for (Weight t : tot) squares += t * t;
  return static_cast<double>(two_m * inside - squares) /
         (static_cast<double>(two_m) * static_cast<double>(two_m));
}

constexpr double kThreshold = 1e-7;  // modularity gain below which no further level is built
constexpr std::uint64_t kMaxIterations = 20;  // whole Louvain runs, each from the last result

// Local moving on one level (the queue variant of Traag et al. 2019, "fast local move"): nodes
// start in the communities `comm` (ids < n) and in a FIFO queue in keyed-shuffle order; a
// visited node moves to the best neighbouring community (ties to the lowest id) if that strictly
// raises modularity, and then its neighbours outside the new community rejoin the queue unless
// already in it. Ends when the queue is empty; every move raises modularity by an exact positive
// integer amount, so it terminates. Returns each level node's community (ids are level node ids)
// and sets `gain` to the modularity gained times (2m)^2 / 2.
template <bool kUnitWeights>
std::vector<int> local_moving(const LevelGraph& lg, std::vector<int> comm, Weight two_m,
                              KeyedRng rng, Weight& gain) {
  const int n = lg.n;
  // Per community, side by side for locality: the visited node's links to it (-1 = untouched)
  // and its total strength.
  struct Slot {
    EdgeWeight links;
    EdgeWeight tot;
  };
  std::vector<Slot> slot(idx(n), Slot{-1, 0});
  for (int i = 0; i < n; ++i)
    slot[idx(comm[idx(i)])].tot += static_cast<EdgeWeight>(lg.strength[idx(i)]);
  std::vector<int> queue(idx(n));  // ring buffer; a node is in it at most once
  std::iota(queue.begin(), queue.end(), 0);
  for (int i = n - 1; i > 0; --i) {
    boost::random::uniform_int_distribution<int> pick(0, i);
    std::swap(queue[idx(i)], queue[idx(pick(rng))]);
  }
  std::vector<char> queued(idx(n), 1);
  std::size_t head = 0, waiting = idx(n);
  std::vector<int> touched_store(idx(n));  // communities the visited node links to
  int* const touched = touched_store.data();
  gain = 0;
  while (waiting > 0) {
    const int i = queue[head];
    head = head + 1 == idx(n) ? 0 : head + 1;
    --waiting;
    queued[idx(i)] = 0;
    const int own = comm[idx(i)];
    const auto k = static_cast<EdgeWeight>(lg.strength[idx(i)]);
    const std::size_t row_begin = lg.offsets[idx(i)], row_end = lg.offsets[idx(i) + 1];
    std::size_t touched_count = 0;
    slot[idx(own)].links = 0;
    touched[touched_count++] = own;
    for (std::size_t e = row_begin; e < row_end; ++e) {
      const int c = comm[idx(lg.target[e])];
      Slot& s = slot[idx(c)];
      if (s.links < 0) {
        s.links = 0;
        touched[touched_count++] = c;
      }
      if constexpr (kUnitWeights)
        s.links += 1;
      else
        s.links += lg.weight[e];
    }
    slot[idx(own)].tot -= k;
    // Gain of joining c, times (2m)^2 / 2, up to a term common to every c.
    const auto gain_of = [&](const Slot& s) {
      return Weight{s.links} * two_m - Weight{k} * Weight{s.tot};
    };
    const Weight stay = gain_of(slot[idx(own)]);
    int best = -1;
    Weight best_gain = std::numeric_limits<Weight>::min();
    for (std::size_t t = 0; t < touched_count; ++t) {
      const int c = touched[t];
      Slot& s = slot[idx(c)];
      const Weight g = gain_of(s);
      s.links = -1;
      if (c != own && (g > best_gain || (g == best_gain && c < best))) {
        best = c;
        best_gain = g;
      }
    }
    if (best < 0 || best_gain <= stay) {
      slot[idx(own)].tot += k;
      continue;
    }
    gain += best_gain - stay;
    slot[idx(best)].tot += k;
    comm[idx(i)] = best;
    for (std::size_t e = row_begin; e < row_end; ++e) {
      const int j = lg.target[e];
      if (queued[idx(j)] || comm[idx(j)] == best) continue;
      queued[idx(j)] = 1;
      std::size_t tail = head + waiting;
      if (tail >= idx(n)) tail -= idx(n);
      queue[tail] = j;
      ++waiting;
    }
  }
  return comm;
}

// Renumbers `comm` to 0..k-1 by first appearance; returns k.
int renumber(std::vector<int>& comm) {
  std::vector<int> map(comm.size(), -1);
  int k = 0;
  for (int& c : comm) {
    if (map[idx(c)] < 0) map[idx(c)] = k++;
    c = map[idx(c)];
  }
  return k;
}

// The graph of communities: node C's row sums the rows of its members.
LevelGraph aggregate(const LevelGraph& lg, const std::vector<int>& comm, int k) {
  std::vector<int> members(idx(lg.n));
  std::vector<std::size_t> start(idx(k) + 1, 0);
  for (int c : comm) ++start[idx(c) + 1];
  for (int c = 0; c < k; ++c) start[idx(c) + 1] += start[idx(c)];
  {
    std::vector<std::size_t> fill(start.begin(), start.end() - 1);
    for (int i = 0; i < lg.n; ++i) members[fill[idx(comm[idx(i)])]++] = i;
  }
  LevelGraph next;
  next.n = k;
  next.offsets.assign(idx(k) + 1, 0);
  next.loop.assign(idx(k), 0);
  next.strength.assign(idx(k), 0);
  std::vector<EdgeWeight> links(idx(k), 0);
  std::vector<int> touched;
  const EdgeWeight* weight = lg.weight.empty() ? nullptr : lg.weight.data();
  for (int c = 0; c < k; ++c) {
    touched.clear();
    for (std::size_t a = start[idx(c)]; a < start[idx(c) + 1]; ++a) {
      const int i = members[a];
      next.loop[idx(c)] += lg.loop[idx(i)];
      next.strength[idx(c)] += lg.strength[idx(i)];
      for (std::size_t e = lg.offsets[idx(i)]; e < lg.offsets[idx(i) + 1]; ++e) {
        const int d = comm[idx(lg.target[e])];
        const EdgeWeight w = weight ? weight[e] : 1;
        if (d == c) {
          next.loop[idx(c)] += w;
          continue;
        }
        if (links[idx(d)] == 0) touched.push_back(d);
        links[idx(d)] += w;
      }
    }
    std::sort(touched.begin(), touched.end());
    for (int d : touched) {
      next.target.push_back(d);
      next.weight.push_back(links[idx(d)]);
      links[idx(d)] = 0;
    }
    next.offsets[idx(c) + 1] = next.target.size();
  }
  return next;
}

}  // namespace

double modularity(const Graph& g, const std::vector<int>& label) {
  const int n = g.node_count();
  if (label.size() != idx(n))
    throw std::invalid_argument("modularity: " + std::to_string(label.size()) + " labels for " +
                                std::to_string(n) + " nodes");
  int max_label = -1;
  for (int l : label) {
    if (l < 0) throw std::invalid_argument("modularity: negative label");
    max_label = std::max(max_label, l);
  }
  if (max_label < n) return modularity_contiguous(g, label, max_label + 1);
  // Sparse label values: compress them first.
  std::vector<int> values(label);
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  std::vector<int> compact(label.size());
  for (std::size_t i = 0; i < label.size(); ++i)
    compact[i] =
        static_cast<int>(std::lower_bound(values.begin(), values.end(), label[i]) - values.begin());
  return modularity_contiguous(g, compact, static_cast<int>(values.size()));
}

namespace {
Communities detect(const Graph& g, const std::vector<EdgeWeight>* arc_weight,
                   const RandomStreams& streams, int step) {
  const int n = g.node_count();
  std::vector<int> partition(idx(n));  // of the original nodes; singletons to start
  std::iota(partition.begin(), partition.end(), 0);
  const LevelGraph ground = level_zero(g, arc_weight);
  Weight two_m = 0;
  if (arc_weight) {
    for (EdgeWeight w : *arc_weight) two_m += w;
  } else {
    two_m = static_cast<Weight>(2 * g.edge_count());
  }
  if (two_m > std::numeric_limits<EdgeWeight>::max())
    throw std::length_error("detect_communities: total edge weight above 2^31");
  const double min_gain = kThreshold * static_cast<double>(two_m) * static_cast<double>(two_m);
  for (std::uint64_t iteration = 0; two_m > 0 && iteration < kMaxIterations; ++iteration) {
    LevelGraph lg = ground;
    std::vector<int> membership(idx(n));  // original node -> node of the current level
    std::iota(membership.begin(), membership.end(), 0);
    std::vector<int> start = partition;  // level 0 starts from the partition so far
    Weight total = 0;
    for (std::uint64_t level = 0;; ++level) {
      Weight gain = 0;
      const KeyedRng rng = streams.rng(Process::community_detection,
                                       static_cast<std::uint64_t>(step), level, iteration);
      std::vector<int> comm = lg.weight.empty()
                                  ? local_moving<true>(lg, std::move(start), two_m, rng, gain)
                                  : local_moving<false>(lg, std::move(start), two_m, rng, gain);
      total += gain;
      const int k = renumber(comm);
      for (int& m : membership) m = comm[idx(m)];
      const bool from_singletons = level > 0 || iteration == 0;
      if (k == lg.n || (from_singletons && 2.0 * static_cast<double>(gain) <= min_gain)) break;
      lg = aggregate(lg, comm, k);
      start.resize(idx(k));
      std::iota(start.begin(), start.end(), 0);
    }
    partition = std::move(membership);
    if (2.0 * static_cast<double>(total) <= min_gain) break;
  }
  Communities result;
  result.label = std::move(partition);
  result.count = renumber(result.label);
  result.modularity = arc_weight ? modularity_level(ground, result.label, result.count, two_m)
                                 : modularity_contiguous(g, result.label, result.count);
  return result;
}
}  // namespace

Communities detect_communities(const Graph& g, const RandomStreams& streams, int step) {
  return detect(g, nullptr, streams, step);
}

Communities detect_communities(const Graph& g, const std::vector<std::int32_t>& arc_weight,
                               const RandomStreams& streams, int step) {
  if (arc_weight.size() != 2 * g.edge_count())
    throw std::invalid_argument("detect_communities: " + std::to_string(arc_weight.size()) +
                                " arc weights for " + std::to_string(2 * g.edge_count()) + " arcs");
  for (std::int32_t w : arc_weight)
    if (w <= 0) throw std::invalid_argument("detect_communities: arc weights must be positive");
  return detect(g, &arc_weight, streams, step);
}

std::vector<int> match_labels(const std::vector<int>& previous, const std::vector<int>& current,
                              int& next_free_label) {
  int count = 0;
  for (int c : current) count = std::max(count, c + 1);
  for (int p : previous) next_free_label = std::max(next_free_label, p + 1);

  // Overlaps as (community, previous colour) pairs, counted by sorting.
  std::vector<std::pair<int, int>> pairs;
  for (std::size_t i = 0; i < current.size() && i < previous.size(); ++i)
    if (current[i] >= 0 && previous[i] >= 0) pairs.emplace_back(current[i], previous[i]);
  std::sort(pairs.begin(), pairs.end());
  struct Overlap {
    int shared, colour, community;
  };
  std::vector<Overlap> overlaps;
  for (std::size_t a = 0; a < pairs.size();) {
    std::size_t b = a;
    while (b < pairs.size() && pairs[b] == pairs[a]) ++b;
    overlaps.push_back({static_cast<int>(b - a), pairs[a].second, pairs[a].first});
    a = b;
  }
  std::sort(overlaps.begin(), overlaps.end(), [](const Overlap& x, const Overlap& y) {
    return std::tuple(-x.shared, x.colour, x.community) <
           std::tuple(-y.shared, y.colour, y.community);
  });

  std::vector<int> colours;  // previous colours, sorted, for "used" flags
  for (const auto& pr : pairs) colours.push_back(pr.second);
  std::sort(colours.begin(), colours.end());
  colours.erase(std::unique(colours.begin(), colours.end()), colours.end());
  std::vector<char> used(colours.size(), 0);

  std::vector<int> result(idx(count), -1);
  for (const Overlap& o : overlaps) {
    const auto u = static_cast<std::size_t>(
        std::lower_bound(colours.begin(), colours.end(), o.colour) - colours.begin());
    if (used[u] || result[idx(o.community)] >= 0) continue;
    used[u] = 1;
    result[idx(o.community)] = o.colour;
  }
  for (int& r : result)
    if (r < 0) r = next_free_label++;
  return result;
}

std::vector<char> joint_success_flags(const std::vector<int>& label, int count,
                                      const std::vector<std::vector<int>>& teams) {
  std::vector<char> flag(idx(std::max(count, 0)), 0);
  std::vector<int> seen;
  for (const auto& team : teams) {
    seen.clear();
    for (int member : team) {
      if (member < 0 || idx(member) >= label.size()) continue;
      const int c = label[idx(member)];
      if (c >= 0 && c < count) seen.push_back(c);
    }
    std::sort(seen.begin(), seen.end());
    for (std::size_t a = 1; a < seen.size(); ++a)
      if (seen[a] == seen[a - 1]) flag[idx(seen[a])] = 1;
  }
  return flag;
}

std::vector<Cluster> qualifying_clusters(const Graph& g, const std::vector<int>& label, int count,
                                         int min_size, double min_density,
                                         const std::vector<char>& has_joint_success) {
  if (label.size() != idx(g.node_count()))
    throw std::invalid_argument("qualifying_clusters: " + std::to_string(label.size()) +
                                " labels for " + std::to_string(g.node_count()) + " nodes");
  if (count < 0 || has_joint_success.size() != idx(count))
    throw std::invalid_argument("qualifying_clusters: " + std::to_string(has_joint_success.size()) +
                                " joint-success flags for " + std::to_string(count) +
                                " communities");
  std::vector<std::int64_t> size(idx(count), 0), inside(idx(count), 0);
  for (int u = 0; u < g.node_count(); ++u) {
    const int c = label[idx(u)];
    if (c < 0) continue;
    if (c >= count)
      throw std::invalid_argument("qualifying_clusters: label " + std::to_string(c) +
                                  " outside 0.." + std::to_string(count - 1));
    ++size[idx(c)];
    for (int v : g.neighbours(u)) inside[idx(c)] += label[idx(v)] == c ? 1 : 0;  // twice each
  }
  std::vector<Cluster> clusters;
  for (int c = 0; c < count; ++c) {
    const std::int64_t s = size[idx(c)];
    const double d = s < 2 ? 0.0
                           : static_cast<double>(inside[idx(c)]) /
                                 (static_cast<double>(s) * static_cast<double>(s - 1));
    if (s >= min_size && d >= min_density && has_joint_success[idx(c)])
      clusters.push_back({c, static_cast<int>(s), d});
  }
  std::sort(clusters.begin(), clusters.end(), [](const Cluster& a, const Cluster& b) {
    return a.size != b.size ? a.size > b.size : a.community < b.community;
  });
  return clusters;
}

}  // namespace klynge
