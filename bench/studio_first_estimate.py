"""Time to first estimate of `klynge studio` (docs/workshop.md, docs/performance.md): starts the
studio (on SCENARIO, or without one on the built-in workshop scenario, written to a temporary
folder), then switches each activity of the default variant off in turn, one edit at a time, and
measures from sending the edit to the first status that holds an estimate with a 95% CI (two
replicate pairs), and to the final estimate (every replicate). Stdlib only.

usage: /usr/bin/python3 bench/studio_first_estimate.py --klynge build/klynge [--scenario S.yaml]
       [--threads 2] [--replicates R]
"""
import argparse
import json
import os
import signal
import statistics
import subprocess
import tempfile
import time
import urllib.request


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--klynge", required=True)
    parser.add_argument("--scenario")
    parser.add_argument("--threads", default="2")
    parser.add_argument("--replicates")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="klynge-studio-bench-")
    command = [args.klynge, "studio", "--port", "0", "--threads", args.threads]
    command += [args.scenario] if args.scenario else ["-o", tmp]
    if args.replicates:
        command += ["--replicates", args.replicates]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    url = None
    while url is None:
        line = server.stdout.readline()
        if not line:
            raise SystemExit("klynge studio did not start")
        if "http://" in line:
            url = line.split("http://", 1)[1].split()[0].rstrip("/")
    base = "http://" + url

    def get(path):
        with urllib.request.urlopen(base + path, timeout=30) as r:
            return json.loads(r.read())

    def post(path, body):
        request = urllib.request.Request(base + path, data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as r:
            return json.loads(r.read())

    state = get("/api/state")
    variant = [v for v in state["variants"] if v["name"] == state["default_variant"]][0]
    first, full, server_first = [], [], []
    for activity in variant["activities"]:
        t0 = time.perf_counter()
        run = post("/api/run", {"variant": variant["name"], "label": "without " + activity["id"],
                                "activities": [{"id": activity["id"], "on": "false"}]})
        seen_first = None
        while True:
            latest = get("/api/status")["latest"]
            if latest and latest["id"] == run["id"]:
                if seen_first is None and latest["pairs"] >= 2:
                    seen_first = time.perf_counter() - t0
                if latest["state"] in ("done", "error", "cancelled"):
                    break
            time.sleep(0.01)
        first.append(seen_first)
        full.append(time.perf_counter() - t0)
        server_first.append(latest["first_estimate_seconds"])
        print("without %-20s first estimate %.3f s (server %.3f s), all %d replicates %.2f s"
              % (activity["id"], seen_first, latest["first_estimate_seconds"],
                 latest["replicates"], full[-1]))
    print("median: first estimate %.3f s (max %.3f s), final %.2f s; %s replicates, --threads %s, "
          "load average %.1f" % (statistics.median(first), max(first), statistics.median(full),
                                 state["replicates"], args.threads, os.getloadavg()[0]))
    server.send_signal(signal.SIGINT)
    server.wait(timeout=30)


if __name__ == "__main__":
    main()
