"""`klynge studio` driven by a real browser: the test starts the studio on a copy of the workshop
scenario (on a free port), drives headless Chromium (Debian's `chromium`) over the DevTools
protocol through --remote-debugging-pipe (no extra package: the protocol is NUL-separated JSON on
file descriptors 3 and 4), and checks:

- switching an activity off gives, once all replicates have finished, exactly the numbers of
  `klynge run` + `klynge compare --format json` for the same programme written by hand as a
  variant of the scenario, with the same replicate count (common random numbers: same seed);
- an invalid value shows the scenario loader's message (file:line:column, key, expected form)
  and marks the field;
- a save to a path outside the scenario's folder is refused (in the page and over HTTP);
- "save scenario" writes YAML that `klynge validate` accepts;
- the network panel shows the edited programme's replicate 0: one circle per firm and one line per
  tie at the month the slider chooses, as many as GET /api/network and the `klynge run` results
  file of the same programme (detail replicate 0) have, with no script errors;
- at 1024x768 the page's labels, cells and buttons do not overlap (bounding boxes);
- SIGINT stops the server cleanly (exit 0).

usage: /usr/bin/python3 test_studio_browser.py --klynge BINARY --source REPO [--keep DIR]

Fails (never skips) when /usr/bin/chromium is missing: run scripts/setup.sh.
"""
import argparse
import base64
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

CHROMIUM = "/usr/bin/chromium"
ARGS = None
REPLICATES = 12
# The programme the test makes in the page, written by hand: full_plus_training without
# matchmaking (remove, then add, as the loader applies a variant's operations).
HAND_VARIANT = """  hand_no_matchmaking:
    remove_interventions: [matchmaking]
    add_interventions:
      - {id: staff_training, type: staff_training, at: [1, 7]}
"""
OUTCOMES = ["participant_revenue_growth", "participant_revenue_mdkk", "value_added_dkk",
            "incremental_cost_dkk", "value_added_per_dkk", "ties_partner", "clusters"]


class Browser:
    """Headless Chromium over --remote-debugging-pipe."""

    def __init__(self, profile, env):
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()

        def fds():
            a, b = os.dup(to_child_r), os.dup(from_child_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-extensions", "--user-data-dir=" + profile, "--remote-debugging-pipe",
             "--window-size=1024,768", "about:blank"],
            preexec_fn=fds, pass_fds=(3, 4), stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, env=env)
        os.close(to_child_r)
        os.close(from_child_w)
        self.buffer = b""
        self.next_id = 0
        self.session = None
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget",
                                 {"targetId": target, "flatten": True})["sessionId"]
        self.call("Page.enable")
        self.call("Runtime.enable")
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": 1024, "height": 768, "deviceScaleFactor": 1, "mobile": False})

    def call(self, method, params=None, timeout=60):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if self.session and not method.startswith("Target."):
            message["sessionId"] = self.session
        os.write(self.to_child, json.dumps(message).encode() + b"\0")
        deadline = time.time() + timeout
        while time.time() < deadline:
            while b"\0" in self.buffer:
                raw, self.buffer = self.buffer.split(b"\0", 1)
                reply = json.loads(raw)
                if reply.get("id") == self.next_id:
                    if "error" in reply:
                        raise AssertionError("%s: %s" % (method, reply["error"]))
                    return reply.get("result", {})
            chunk = os.read(self.from_child, 1 << 16)
            if not chunk:
                raise AssertionError("chromium closed the pipe")
            self.buffer += chunk
        raise AssertionError("%s: no answer in %d s" % (method, timeout))

    def js(self, expression):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True})
        if "exceptionDetails" in result:
            raise AssertionError("script failed: %s" % result["exceptionDetails"])
        return result["result"].get("value")

    def wait_for(self, expression, timeout=60, what=""):
        deadline = time.time() + timeout
        while time.time() < deadline:
            value = self.js(expression)
            if value:
                return value
            time.sleep(0.05)
        raise AssertionError("timed out waiting for %s (%s)" % (what or expression, self.js(
            "document.getElementById('progress').textContent + ' | ' + "
            "document.getElementById('error').textContent")))

    def close(self):
        try:
            self.call("Browser.close", timeout=10)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.to_child)
        os.close(self.from_child)


class StudioInBrowser(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.path.exists(CHROMIUM):
            raise AssertionError(
                "%s is missing: the studio's browser test needs Debian's chromium package; "
                "run scripts/setup.sh (as root) to install it" % CHROMIUM)
        cls.tmp = ARGS.keep or tempfile.mkdtemp(prefix="klynge-studio-browser-")
        os.makedirs(cls.tmp, exist_ok=True)
        cls.folder = os.path.join(cls.tmp, "workshop")
        shutil.rmtree(cls.folder, ignore_errors=True)
        shutil.copytree(os.path.join(ARGS.source, "scenarios", "data"),
                        os.path.join(cls.folder, "data"))
        cls.scenario = os.path.join(cls.folder, "midtjylland.yaml")
        shutil.copy(os.path.join(ARGS.source, "scenarios", "midtjylland.yaml"), cls.scenario)
        cls.env = dict(os.environ, HOME=cls.tmp)
        # --port 0: the system picks a free port, and the studio prints its address.
        cls.server = subprocess.Popen(
            [ARGS.klynge, "studio", cls.scenario, "--port", "0",
             "--replicates", str(REPLICATES), "--threads", "2"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = cls.server.stdout.readline()
        if "http://127.0.0.1:" not in line:
            raise AssertionError("klynge studio did not start: %r %s" %
                                 (line, cls.server.communicate(timeout=10)))
        cls.url = "http://" + line.split("http://", 1)[1].split()[0]
        cls.port = int(cls.url.rsplit(":", 1)[1].strip("/"))
        urllib.request.urlopen(cls.url + "api/state", timeout=30).read()
        profile = tempfile.mkdtemp(prefix="profile-", dir=cls.tmp)
        cls.browser = Browser(profile, cls.env)
        cls.browser.call("Page.navigate", {"url": cls.url})
        cls.browser.wait_for("document.body && document.body.dataset.ready === 'true'",
                             what="the page")

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        if cls.server.poll() is None:
            cls.server.kill()
            cls.server.wait()
        if not ARGS.keep:
            shutil.rmtree(cls.tmp, ignore_errors=True)

    def post(self, path, body):
        request = urllib.request.Request(self.url + path, data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    def run_klynge(self, *args):
        done = subprocess.run([ARGS.klynge] + list(args), capture_output=True, text=True,
                              timeout=600)
        self.assertEqual(done.returncode, 0, "klynge %s: %s%s" % (args, done.stdout, done.stderr))
        return done.stdout

    def test_1_switch_off_equals_run_and_compare(self):
        b = self.browser
        self.assertEqual(b.js("document.getElementById('variant').value"), "full_plus_training")
        b.js("document.getElementById('label').value = 'no_matchmaking'")
        b.js("document.querySelector('.activity[data-id=\"matchmaking\"] "
             "[data-field=\"on\"]').click()")
        clicked = time.perf_counter()
        b.wait_for("(() => { const p = document.getElementById('progress');"
                   " return p.textContent.includes('no_matchmaking') &&"
                   " Number(p.dataset.pairs) >= 2; })()", what="the first estimate")
        # Printed, not asserted (shared machines): docs/workshop.md records measured figures.
        sys.stderr.write("\n  click to first estimate on the page: %.3f s\n"
                         % (time.perf_counter() - clicked))
        b.wait_for("(() => { const p = document.getElementById('progress');"
                   " return p.dataset.state === 'done' && p.textContent.includes('no_matchmaking')"
                   " && Number(p.dataset.pairs) === %d; })()" % REPLICATES,
                   what="the final estimate")
        shown = b.js("Object.fromEntries([...document.querySelectorAll('#effects tr[data-outcome]')]"
                     ".map(tr => [tr.dataset.outcome, {mean: tr.dataset.mean, low: tr.dataset.low,"
                     " high: tr.dataset.high, n: tr.dataset.n}]))")
        # The same programme by hand, run and compared by the command-line tools.
        with open(self.scenario) as f:
            text = f.read()
        hand = os.path.join(self.folder, "hand.yaml")
        with open(hand, "w") as f:
            f.write(text.replace("variants:\n", "variants:\n" + HAND_VARIANT, 1))
        results = os.path.join(self.tmp, "hand.h5")
        type(self).hand_results = results  # test_1b compares the network with its detail
        self.run_klynge("run", hand, "-o", results, "--force", "--quiet", "--replicates",
                        str(REPLICATES), "--variant", "baseline", "--variant",
                        "hand_no_matchmaking")
        compared = json.loads(self.run_klynge("compare", results, "--format", "json"))
        variant = [v for v in compared["variants"] if v["variant"] == "hand_no_matchmaking"][0]
        for name in OUTCOMES:
            expected = variant["outcomes"][name]
            got = shown[name]
            self.assertEqual(int(got["n"]), expected["n"], name)
            for key, field in (("mean", "mean"), ("low", "ci_low"), ("high", "ci_high")):
                value = None if got[key] in ("null", "NaN", "") else float(got[key])
                self.assertEqual(value, expected[field], "%s %s" % (name, field))
        # The effect is a real one (the programme does something), so equality is not 0 == 0.
        self.assertNotEqual(variant["outcomes"]["participant_revenue_growth"]["mean"], 0)
        # It is ranked.
        self.assertTrue(b.js("[...document.querySelectorAll('#ranking tr[data-name]')]"
                             ".some(tr => tr.dataset.name === 'no_matchmaking')"))

    def test_1b_network_panel(self):
        b = self.browser
        run_id = b.js("document.getElementById('progress').dataset.id")
        b.wait_for("document.getElementById('network-view').dataset.id === '%s'" % run_id,
                   what="the network panel of the run")
        self.assertEqual(b.js("document.getElementById('network-view').dataset.panels"), "1")
        answer = json.loads(urllib.request.urlopen(self.url + "api/network", timeout=30).read())
        self.assertEqual(str(answer["id"]), run_id)
        self.assertEqual(answer["state"], "ready")
        self.assertEqual(answer["replicate"], 0)
        net = answer["network"]
        self.assertEqual(list(net["variants"]), ["no_matchmaking"])
        ties = net["variants"]["no_matchmaking"]["ties"]
        self.assertEqual(len(ties), 37)  # months 0..36
        import h5py  # Debian's python3-h5py
        with h5py.File(self.hand_results, "r") as f:
            detail = f["variants/hand_no_matchmaking/detail"]
            self.assertEqual(int(detail["detail_replicate"][0]), 0)
            steps = detail["ties/step"][()][detail["ties/detail_replicate"][()] == 0]
            firms = len(f["firm"])  # the firm axis: the pseudonyms
        # The slider, as a person would move it.
        shown = {}
        for month in (0, 12, 36):
            b.js("(() => { const s = document.getElementById('step-slider'); s.value = '%d';"
                 " s.dispatchEvent(new Event('input', {bubbles: true})); })()" % month)
            drawn = b.js("""(() => { const svg = document.querySelector('#network-view svg.network-svg');
              return {circles: svg.querySelectorAll('circle').length,
                      lines: svg.querySelectorAll('line.tie').length,
                      label: document.getElementById('step-label').textContent,
                      stats: document.querySelector('#network-view .stats').textContent}; })()""")
            shown[month] = drawn
            self.assertEqual(drawn["label"], "Month %d of 36" % month)
            self.assertEqual(drawn["circles"], len(net["firms"]))
            self.assertEqual(drawn["circles"], firms)
            self.assertEqual(drawn["lines"], len(ties[month]) // 4, "month %d" % month)
            # The same programme's replicate 0 written by `klynge run`: the same ties.
            self.assertEqual(drawn["lines"], int((steps == month).sum()), "month %d" % month)
            self.assertIn("One run (replicate 0 of %d)" % REPLICATES, drawn["stats"])
        sys.stderr.write("\n  network panel: %d firms; ties at months 0, 12, 36: %s\n" % (
            shown[0]["circles"], ", ".join(str(shown[m]["lines"]) for m in (0, 12, 36))))
        self.assertGreater(shown[36]["lines"], shown[0]["lines"], "no ties formed")
        self.assertIn("replicate 0 of %d" % REPLICATES,
                      b.js("document.getElementById('network-note').textContent"))
        self.assertIsNone(b.js("document.body.dataset.scriptErrors || null"))

    def test_2_invalid_value_gets_the_loaders_message(self):
        b = self.browser
        b.js("(() => { const i = document.querySelector('.activity[data-id=\"interviews\"] "
             "[data-field=\"end\"]'); i.value = '99';"
             " i.dispatchEvent(new Event('change', {bubbles: true})); })()")
        message = b.wait_for("document.getElementById('error').textContent", what="the message")
        self.assertIn("midtjylland.yaml", message)
        self.assertRegex(message, r":\d+:\d+: ")
        self.assertRegex(message, r"interventions\[\d+\]\.end: expected a step from 0 to 35")
        self.assertIn("99", message)
        self.assertTrue(b.js("document.querySelector('.activity[data-id=\"interviews\"] "
                             "[data-field=\"end\"]').classList.contains('bad')"))
        # Put it back: the message goes.
        b.js("(() => { const i = document.querySelector('.activity[data-id=\"interviews\"] "
             "[data-field=\"end\"]'); i.value = '3';"
             " i.dispatchEvent(new Event('change', {bubbles: true})); })()")
        b.wait_for("document.getElementById('error').textContent === ''", what="no message")
        # Over HTTP too: a text where a number belongs, and a non-JSON body.
        status, answer = self.post("api/run", {"variant": "full_programme",
                                               "activities": [{"id": "matchmaking",
                                                               "intensity": "lots"}]})
        self.assertEqual(status, 400)
        self.assertIn("introductions_per_month: expected", answer["error"])
        status, answer = self.post("api/run", {"variant": "nope"})
        self.assertEqual(status, 400)
        self.assertIn("expected one of", answer["error"])

    def test_3_saves_stay_in_the_folder(self):
        b = self.browser
        outside = os.path.join(self.tmp, "outside.yaml")
        b.js("document.getElementById('scenario-file').value = '../outside.yaml'")
        b.js("document.getElementById('save-scenario').click()")
        text = b.wait_for("document.getElementById('saved').dataset.ok &&"
                          " document.getElementById('saved').textContent", what="the refusal")
        self.assertIn("not saved", text)
        self.assertFalse(os.path.exists(outside))
        for name in ["/tmp/x.yaml", "..", "../x.yaml", "sub/x.yaml", ".hidden.yaml", "x.sh",
                     "midtjylland.yaml", "a\\b.yaml"]:
            status, answer = self.post("api/save-scenario",
                                       {"variant": "full_programme", "file": name})
            self.assertEqual(status, 400, name)
            self.assertFalse(answer["ok"], name)
        status, answer = self.post("api/save-report", {"file": "../report.html"})
        self.assertEqual(status, 400)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "report.html")))
        # A plain name is written in the folder, and the loader accepts it.
        b.js("document.getElementById('scenario-file').value = 'edited.yaml'")
        b.js("document.getElementById('saved').dataset.ok = ''")
        b.js("document.getElementById('save-scenario').click()")
        text = b.wait_for("document.getElementById('saved').dataset.ok &&"
                          " document.getElementById('saved').textContent", what="the save")
        self.assertIn("saved", text)
        saved = os.path.join(self.folder, "edited.yaml")
        self.assertTrue(os.path.exists(saved), text)
        self.run_klynge("validate", saved)
        # The session's report: its programmes run into an .h5 next to it, then the report.
        status, answer = self.post("api/save-report", {"file": "session.html"})
        self.assertEqual(status, 200, answer)
        self.assertTrue(os.path.exists(os.path.join(self.folder, "session.html")))
        import h5py  # Debian's python3-h5py
        with h5py.File(os.path.join(self.folder, "session.h5"), "r") as f:
            variants = [v.decode() if isinstance(v, bytes) else v for v in f.attrs["variants"]]
        self.assertEqual(variants[0], "baseline")
        self.assertIn("no_matchmaking", variants)
        status, answer = self.post("api/save-report", {"file": "session.html"})
        self.assertEqual(status, 400, "an existing report was overwritten")

    def test_3b_requests_are_bounded(self):
        def raw(method, path, body=b"", headers=None):
            request = urllib.request.Request(self.url + path, data=body or None, method=method,
                                             headers=headers or {})
            try:
                with urllib.request.urlopen(request, timeout=30) as r:
                    return r.status
            except urllib.error.HTTPError as e:
                return e.code
        self.assertEqual(raw("GET", "api/state", headers={"Host": "evil.example:%d" % self.port}),
                         403)
        self.assertEqual(raw("POST", "api/run", b"{}", {"Content-Type": "text/plain"}), 415)
        try:  # the server may close before the client has sent all of it: a refusal too
            too_large = raw("POST", "api/run", b" " * (65 * 1024),
                            {"Content-Type": "application/json"})
        except (ConnectionError, urllib.error.URLError):
            too_large = 413
        self.assertEqual(too_large, 413)
        self.assertEqual(raw("PUT", "api/run", b"{}", {"Content-Type": "application/json"}), 405)
        self.assertEqual(raw("GET", "../../etc/passwd"), 404)
        self.assertEqual(raw("GET", "api/state"), 200)

    def test_4_layout_at_1024x768(self):
        b = self.browser
        # The network panel is drawn (the check below covers its controls and legend too).
        b.wait_for("document.getElementById('network-view').dataset.id !== undefined &&"
                   " document.querySelectorAll('#network-view circle').length > 0",
                   what="the network panel")
        overlaps = b.js("""(() => {
          const els = [...document.querySelectorAll('label, th, td, button, h2, select')]
            .filter(e => e.getClientRects().length);
          const boxes = els.map(e => e.getBoundingClientRect());
          const out = [];
          for (let i = 0; i < els.length; i++)
            for (let j = i + 1; j < els.length; j++) {
              if (els[i].contains(els[j]) || els[j].contains(els[i])) continue;
              const a = boxes[i], c = boxes[j];
              const w = Math.min(a.right, c.right) - Math.max(a.left, c.left);
              const h = Math.min(a.bottom, c.bottom) - Math.max(a.top, c.top);
              if (w > 1 && h > 1) out.push(els[i].textContent.slice(0, 30) + ' / ' +
                                           els[j].textContent.slice(0, 30));
            }
          return out; })()""")
        self.assertEqual(overlaps, [])
        # Nothing sticks out of its panel (clipped cells, charts cut off).
        clipped = b.js("""(() => [...document.querySelectorAll('section')].flatMap(s => {
          const box = s.getBoundingClientRect();
          return [...s.querySelectorAll('label, th, td, button, svg, input, select')]
            .filter(e => e.getClientRects().length)
            .filter(e => e.getBoundingClientRect().right > box.right + 1 ||
                         e.getBoundingClientRect().left < box.left - 1)
            .map(e => s.id + ': ' + e.tagName + ' ' + e.textContent.slice(0, 30));
          }))()""")
        self.assertEqual(clipped, [])
        self.assertLessEqual(b.js("document.documentElement.scrollWidth"), 1024)
        if ARGS.keep:
            shot = b.call("Page.captureScreenshot", {"format": "png"})
            with open(os.path.join(self.tmp, "studio.png"), "wb") as f:
                f.write(base64.b64decode(shot["data"]))
            b.js("document.getElementById('network').scrollIntoView()")
            shot = b.call("Page.captureScreenshot", {"format": "png"})
            with open(os.path.join(self.tmp, "studio-network.png"), "wb") as f:
                f.write(base64.b64decode(shot["data"]))

    def test_5_sigint_stops_the_server(self):
        self.server.send_signal(signal.SIGINT)
        out, err = self.server.communicate(timeout=30)
        self.assertIsNone(self.browser.js("document.body.dataset.scriptErrors || null"))
        self.assertEqual(self.server.returncode, 0, err)
        self.assertIn("stopped", out)


class StudioWithoutScenario(unittest.TestCase):
    def test_opens_the_built_in_workshop_scenario(self):
        tmp = tempfile.mkdtemp(prefix="klynge-studio-builtin-")
        try:
            server = subprocess.Popen([ARGS.klynge, "studio", "-o", tmp, "--port", "0",
                                       "--threads", "1"],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            lines = []
            while not any("http://" in l for l in lines):
                line = server.stdout.readline()
                self.assertTrue(line, "no address printed: %s" % lines)
                lines.append(line)
            url = [l for l in lines if "http://" in l][0].split("http://", 1)[1].split()[0]
            state = json.loads(urllib.request.urlopen("http://" + url + "api/state",
                                                      timeout=30).read())
            self.assertEqual(state["name"], "midtjylland-workshop")
            self.assertEqual(state["replicates"], 40)  # the demo copy's count
            self.assertTrue(os.path.exists(os.path.join(tmp, "scenario", "midtjylland.yaml")))
            server.send_signal(signal.SIGINT)
            out, err = server.communicate(timeout=30)
            self.assertEqual(server.returncode, 0, err)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--klynge", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--keep", help="work in this folder and keep it (screenshot)")
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


if __name__ == "__main__":
    main()
