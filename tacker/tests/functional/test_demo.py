"""The demo (``tox -e demo -- kubernetes``) as a user runs it.

A subprocess, judged by its exit status, its summary and what it leaves
behind.
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys

import fixtures
import testtools

from tacker.demo import vims

# Two VNFs instantiated, changed, terminated, through ~40 CLI calls of a
# few seconds each on a busy 2-core machine.
DEMO_TIMEOUT = 900
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))


def _vnfd_id(version):
    path = os.path.join(REPO, 'samples', 'vnf_packages', 'kubernetes',
                        version, 'Definitions', 'nginx_top.vnfd.yaml')
    with open(path) as f:
        return re.search(r"descriptor_id:\s*'?([0-9a-f-]{36})",
                         f.read()).group(1)


def _free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class TestDemo(testtools.TestCase):
    def run_demo(self, *args, env=None):
        environ = {k: v for k, v in os.environ.items()
                   if not k.startswith('TACKER_DEMO_')}
        environ.update(env or {})
        done = subprocess.run([sys.executable, '-m', 'tacker.demo'] +
                              list(args), capture_output=True, text=True,
                              timeout=DEMO_TIMEOUT, env=environ, cwd=REPO)
        out = done.stdout + done.stderr
        self.addDetail('demo-output', testtools.content.text_content(out))
        run_dir = re.search(r'run directory \(logs, SQLite\): (\S+)',
                            out).group(1)
        self.addCleanup(shutil.rmtree, run_dir, ignore_errors=True)
        return done.returncode, out, run_dir

    def assertNothingLeftRunning(self, out):
        started = re.findall(r'started (.+?) \(pid (\d+),', out)
        self.assertTrue(started)
        for name, pid in started:
            self.assertFalse(os.path.exists('/proc/%s' % pid),
                             '%s (pid %s) still runs' % (name, pid))
            self.assertIn('stopped %s (pid %s)' % (name, pid), out)

    def test_kubernetes_demo_completes(self):
        status, out, run_dir = self.run_demo('kubernetes')
        self.assertEqual(0, status)
        self.assertIn('started Kubernetes API simulator', out)
        self.assertNothingLeftRunning(out)
        self.assertFalse(os.path.exists(run_dir))
        # Every request went through the CLI, and was shown.
        for command in ('vnf package create', 'vnf package upload',
                        'vnf package show',
                        'vnflcm create', 'vnflcm instantiate',
                        'vnflcm change-vnfpkg', 'vnflcm terminate',
                        'vnflcm delete'):
            self.assertIn('$ openstack %s' % command, out)
        # Progress: the steps of both flows as they ran.
        for step in ('apply_new', 'wait_new_ready', 'coordinate_new',
                     'coordinate_old', 'delete_old', 'update_workloads',
                     'wait_rollout', 'coordinate'):
            self.assertRegex(out, r'running %s\b' % step)

        summary = out.split('== Summary ==', 1)[1]
        v1, v2 = _vnfd_id('v1'), _vnfd_id('v2')
        runs = re.split(r'\n(?=\S)', summary.strip())
        self.assertEqual(3, len(runs), summary)
        blue_green, rolling, total = runs
        self.assertRegex(blue_green,
                         r'^Blue-Green on kubernetes: COMPLETED in [\d.]+ s')
        self.assertRegex(rolling,
                         r'^Rolling update on kubernetes: COMPLETED in '
                         r'[\d.]+ s')
        for run in (blue_green, rolling):
            self.assertIn('vnfdId    %s (1.0) -> %s (2.0)' % (v1, v2), run)
            self.assertIn('2 of 2 VNFC resources replaced', run)
            removed = re.search(r'VDU1 +removed +(.+)', run).group(1)
            added = re.search(r'added +(.+)', run).group(1)
            self.assertEqual(2, len(removed.split(', ')))
            self.assertFalse(set(removed.split(', ')) &
                             set(added.split(', ')))
        # Blue-Green brings up the new Deployment's Pods; Rolling update
        # replaces the Pods of the same Deployment.
        self.assertRegex(blue_green, r'added +nginx-v2-')
        self.assertRegex(rolling, r'added +nginx-(?!v2)')
        self.assertIn('coordinate_old_vnf.py', blue_green)
        self.assertEqual('2 of 2 changes of package COMPLETED', total)

    def test_given_vim_that_fails_is_a_failure(self):
        # A vimConnectionInfo for a cluster that is not there: the
        # simulator is not started, the instantiation fails, the demo
        # says so and exits non-zero, having stopped what it started.
        vim_file = os.path.join(self.useFixture(fixtures.TempDir()).path,
                                'vim.json')
        with open(vim_file, 'w') as f:
            json.dump({'vimId': 'nowhere', 'vimType': 'kubernetes',
                       'interfaceInfo': {
                           'endpoint': 'http://127.0.0.1:%d' % _free_port()},
                       'accessInfo': {'bearer_token': 'not-a-token'}}, f)
        status, out, run_dir = self.run_demo(
            'kubernetes', '--timeout', '300',
            env={vims.ENV[vims.KUBERNETES]: vim_file})
        self.assertEqual(1, status)
        self.assertNotIn('Kubernetes API simulator', out)
        self.assertIn('VIM: the cluster of $TACKER_DEMO_KUBERNETES_VIM', out)
        self.assertNothingLeftRunning(out)
        summary = out.split('== Summary ==', 1)[1]
        self.assertRegex(summary, r'Blue-Green on kubernetes: ERROR\n')
        self.assertRegex(summary, r'error +instantiate \S+ ended '
                                  r'FAILED_TEMP: ')
        self.assertIn('0 of 2 changes of package COMPLETED', summary)
        # Each instance is cleaned up: the failed instantiation rolled
        # back (or, when the rollback cannot reach the VIM either, marked
        # FAILED), and the instance deleted.
        for command in ('vnflcm op rollback', 'vnflcm delete'):
            self.assertEqual(2, out.count('$ openstack %s ' % command),
                             command)
        self.assertNotIn('problem: cleaning up', out)
        self.assertNotIn('not-a-token', out)
        self.assertIn('logs kept in %s' % run_dir, out)
        self.assertTrue(os.path.exists(
            os.path.join(run_dir, 'tacker-server.log')))
