"""Issue 4: /metrics of a real agent in a 3-agent cluster passes `promtool check metrics` and carries
the families the issue names. Run: ROLLCALL_BIN=... python3 -m unittest -v test_metrics"""
import re
import shutil
import subprocess
import unittest

import harness
from harness import Cluster, wait_until


class MetricsTest(unittest.TestCase):
    def setUp(self):
        harness.require_binary(self)
        self.c = Cluster(3)
        self.c.wait_http()
        self.c.wait_converged(timeout=30)

    def tearDown(self):
        self.c.close(failed=harness.test_failed(self))

    def metrics(self, agent):
        status, headers, body = agent.request("GET", "/metrics")
        self.assertEqual(status, 200)
        self.assertTrue(headers.get("content-type", "").startswith("text/plain"), headers)
        return body.decode()

    def test_promtool_accepts_the_metrics_of_every_agent(self):
        promtool = shutil.which("promtool")
        self.assertIsNotNone(promtool, "promtool (Debian package prometheus) is installed by scripts/bootstrap")
        for a in self.c.agents:
            text = self.metrics(a)
            r = subprocess.run([promtool, "check", "metrics"], input=text, capture_output=True, text=True, timeout=30)
            self.assertEqual(r.returncode, 0, "promtool on %s:\n%s%s" % (a.name, r.stdout, r.stderr))
            self.assertEqual(r.stdout.strip() + r.stderr.strip(), "", "no lint warnings: %s%s" % (r.stdout, r.stderr))

    def test_the_families_the_issue_names_are_there_and_move(self):
        a = self.c.agents[0]
        text = self.metrics(a)
        for family in ("rollcall_members", "rollcall_probes_sent_total", "rollcall_probes_failed_total",
                       "rollcall_suspicions_raised_total", "rollcall_refutations_total", "rollcall_health_multiplier",
                       "rollcall_packets_in_total", "rollcall_packets_out_total", "rollcall_bytes_in_total",
                       "rollcall_bytes_out_total", "rollcall_decrypt_failures_total", "rollcall_broadcast_queue_depth",
                       "rollcall_anti_entropy_rounds_total", "rollcall_http_requests_total"):
            self.assertRegex(text, r"(?m)^# TYPE %s (counter|gauge)$" % family)
        self.assertRegex(text, r'(?m)^rollcall_members\{state="alive"\} 3$')

        def value(name, t):
            m = re.search(r"(?m)^%s ([0-9.e+]+)$" % name, t)
            return float(m.group(1)) if m else None

        first = value("rollcall_probes_sent_total", text)
        wait_until(lambda: value("rollcall_probes_sent_total", self.metrics(a)) > first, 5,
                   "probes_sent_total to grow")
        self.assertGreater(value("rollcall_http_requests_total", self.metrics(a)), 0)
        self.assertNotIn(self.c.token, text)
        self.assertNotIn(self.c.key, text)


if __name__ == "__main__":
    unittest.main()
