#!/usr/bin/python3
"""Times python3-igraph on the graph graph_bench wrote and compares it with klynge's figures.

    /usr/bin/python3 bench/igraph_compare.py EDGES [--labels LABELS] [--klynge KEYVALUES]
                                               [--repeats 5]

EDGES is graph_bench's edge list ("# nodes N", then "u v" per line), LABELS its community per
node, KEYVALUES its "key value" output. Prints "key value" lines: igraph's median seconds for
community_multilevel (Louvain) and for the metrics klynge's summarize() computes (density,
transitivity, connected components), igraph's modularity of its own partition and of klynge's,
and, given --klynge, the ratios klynge / igraph and the modularity difference.

Needs Debian's python3-igraph (0.10), which belongs to /usr/bin/python3.
"""

import argparse
import statistics
import sys
import time

try:
    import igraph
except ImportError:  # pragma: no cover - depends on the machine
    sys.exit("igraph_compare: python3-igraph is not installed (apt-get install python3-igraph); "
             "run with /usr/bin/python3")


def read_edges(path):
    with open(path, encoding="ascii") as handle:
        header = handle.readline().split()
        if header[:2] != ["#", "nodes"]:
            sys.exit(f"igraph_compare: {path}: expected '# nodes N' on the first line")
        n = int(header[2])
        edges = []
        for line in handle:
            u, v = line.split()
            edges.append((int(u), int(v)))
    return n, edges


def read_key_values(path):
    values = {}
    with open(path, encoding="ascii") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) == 2:
                values[parts[0]] = parts[1]
    return values


def timed(repeats, function):
    """Median wall and CPU seconds of `repeats` calls, and every call's result."""
    walls, cpus, results = [], [], []
    for _ in range(repeats):
        cpu_start, start = time.process_time(), time.perf_counter()
        results.append(function())
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu_start)
    return statistics.median(walls), statistics.median(cpus), results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("edges")
    parser.add_argument("--labels")
    parser.add_argument("--klynge", help="graph_bench's key-value output")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    n, edges = read_edges(args.edges)
    start = time.perf_counter()
    graph = igraph.Graph(n=n, edges=edges, directed=False)
    build = time.perf_counter() - start
    # igraph's multilevel visits nodes in a random order. python-igraph draws through Python's
    # `random` module by default, a callback per number that would slow igraph down: use
    # igraph's own C generator, as a C program would (runs then differ in modularity by about
    # 0.02; the median over the repeats is reported).
    igraph.set_random_number_generator(None)
    out = {
        "igraph_version": igraph.__version__,
        "igraph_nodes": graph.vcount(),
        "igraph_edges": graph.ecount(),
        "igraph_build_seconds": build,
    }

    def metrics():
        components = graph.connected_components()
        return (graph.density(), graph.transitivity_undirected(mode="zero"), len(components),
                max(components.sizes()) / graph.vcount())

    metrics_seconds, metrics_cpu, results = timed(args.repeats, metrics)
    density, transitivity, components, largest_share = results[-1]
    out.update({
        "igraph_metrics_seconds": metrics_seconds,
        "igraph_metrics_cpu_seconds": metrics_cpu,
        "igraph_density": density,
        "igraph_transitivity": transitivity,
        "igraph_components": components,
        "igraph_largest_component_share": largest_share,
    })

    multilevel_seconds, multilevel_cpu, partitions = timed(args.repeats,
                                                           graph.community_multilevel)
    modularities = [graph.modularity(p.membership) for p in partitions]
    out.update({
        "igraph_multilevel_seconds": multilevel_seconds,
        "igraph_multilevel_cpu_seconds": multilevel_cpu,
        "igraph_communities": statistics.median(len(p) for p in partitions),
        "igraph_modularity": statistics.median(modularities),
        "igraph_modularity_min": min(modularities),
        "igraph_modularity_max": max(modularities),
    })

    if args.labels:
        with open(args.labels, encoding="ascii") as handle:
            labels = [int(line) for line in handle]
        out["igraph_modularity_of_klynge_partition"] = graph.modularity(labels)

    if args.klynge:
        ours = read_key_values(args.klynge)
        # Ratios of CPU seconds: both sides are single-threaded, and CPU time is the steadier
        # figure on a busy machine (wall-clock ratios are printed too).
        out["ratio_metrics_klynge_over_igraph"] = (float(ours["summarize_cpu_seconds"]) /
                                                   metrics_cpu)
        out["ratio_louvain_klynge_over_igraph"] = (float(ours["communities_cpu_seconds"]) /
                                                   multilevel_cpu)
        out["ratio_metrics_wall_klynge_over_igraph"] = (float(ours["summarize_seconds"]) /
                                                        metrics_seconds)
        out["ratio_louvain_wall_klynge_over_igraph"] = (float(ours["communities_seconds"]) /
                                                        multilevel_seconds)
        out["modularity_klynge_minus_igraph"] = float(ours["modularity"]) - out["igraph_modularity"]
        # The same graph and the same definitions: the metrics must agree.
        checks = [("transitivity", transitivity), ("components", components),
                  ("largest_component_share", largest_share), ("density", density)]
        for key, theirs in checks:
            mine = float(ours[key])
            if abs(mine - theirs) > 1e-6 * max(1.0, abs(theirs)):
                print(f"igraph_compare: {key} differs: klynge {mine}, igraph {theirs}",
                      file=sys.stderr)
                out["metrics_agree"] = 0
        out.setdefault("metrics_agree", 1)
        if "igraph_modularity_of_klynge_partition" in out:
            out["modularity_definition_agrees"] = int(
                abs(out["igraph_modularity_of_klynge_partition"] - float(ours["modularity"])) < 1e-9)

    for key, value in out.items():
        print(f"{key} {value:.10g}" if isinstance(value, float) else f"{key} {value}")


if __name__ == "__main__":
    main()
