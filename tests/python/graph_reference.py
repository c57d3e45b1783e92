"""networkx reference figures for the C++ graph tests (tests/models/test_graph.cpp,
tests/models/test_communities.cpp). Not a test itself: the C++ tests run it with Debian's
interpreter and compare.

usage: /usr/bin/python3 graph_reference.py --edges FILE [--labels FILE] [--members FILE]

FILE formats (whitespace separated integers):
  edges    first the node count n, then one "u v" pair per line (nodes 0..n-1)
  labels   one community label per node (the C++ partition to evaluate)
  members  one 0/1 flag per node (a subset for the induced-subgraph metrics)

Prints one flat JSON object of numbers. Exits 3 with a message on stderr when networkx is
missing (install python3-networkx).
"""
import argparse
import json
import sys

try:
    import networkx as nx
except ImportError:
    sys.stderr.write(
        "graph_reference.py: networkx is not importable by %s; install python3-networkx "
        "(scripts/setup.sh does)\n" % sys.executable
    )
    sys.exit(3)


def read_ints(path):
    with open(path) as f:
        return [int(x) for x in f.read().split()]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--edges", required=True)
    parser.add_argument("--labels")
    parser.add_argument("--members")
    args = parser.parse_args()

    numbers = read_ints(args.edges)
    n = numbers[0]
    g = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_edges_from(zip(numbers[1::2], numbers[2::2]))
    g.remove_edges_from(list(nx.selfloop_edges(g)))

    out = {
        "nodes": g.number_of_nodes(),
        "edges": g.number_of_edges(),
        "density": nx.density(g),
        "transitivity": nx.transitivity(g),
        "triangles": sum(nx.triangles(g).values()) // 3,
        "components": nx.number_connected_components(g),
        "largest_component": max((len(c) for c in nx.connected_components(g)), default=0),
    }
    if g.number_of_edges() > 0:
        louvain = nx.community.louvain_communities(g, seed=1)
        out["louvain_modularity"] = nx.community.modularity(g, louvain)
        out["louvain_count"] = len(louvain)
    if args.labels:
        labels = read_ints(args.labels)
        groups = {}
        for node, label in enumerate(labels):
            groups.setdefault(label, set()).add(node)
        out["modularity"] = nx.community.modularity(g, list(groups.values()))
    if args.members:
        flags = read_ints(args.members)
        sub = g.subgraph([v for v, f in enumerate(flags) if f])
        k = sub.number_of_nodes()
        out["members"] = k
        out["density_among"] = nx.density(sub)
        largest = max((len(c) for c in nx.connected_components(sub)), default=0)
        out["largest_component_share_among"] = largest / k if k else 0.0
        degrees = [d for _, d in sub.degree()]
        mean = sum(degrees) / k if k else 0.0
        if mean > 0:
            var = sum((d - mean) ** 2 for d in degrees) / k
            out["degree_cv_among"] = var**0.5 / mean
        else:
            out["degree_cv_among"] = 0.0
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
