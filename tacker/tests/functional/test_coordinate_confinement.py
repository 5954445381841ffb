"""CoordinateVNF scripts that try to outlive their step, with real processes.

Each script starts a sleeper whose command line carries a marker of the
test: in a new session holding the script's stdout, through a double
fork, past the time limit, or while the conductor itself is killed. The
sleeper must be gone each time; a script that prints 100 MB must not
grow the conductor by 100 MB.
"""
import json
import os
import signal
import subprocess
import sys
import time
import uuid

import fixtures

from tacker.sol_refactored.common import coordinate
from tacker.tests import base

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))

# The sleeper says it started (a file named by the marker in the package
# root), and the script waits for that before going on.
SLEEPER = ('import sys, time; open(sys.argv[1], "w").close(); '
           'time.sleep(120)')
STARTED = '''
import os, time
def started(marker):
    for _n in range(400):
        if os.path.exists(marker):
            return
        time.sleep(0.025)
'''
SETSID_HOLDING_STDOUT = STARTED + '''
import subprocess, sys
class C:
    def coordinate(self, req):
        subprocess.Popen([sys.executable, '-c', SLEEPER_CODE,
                          req['marker']], start_new_session=True)
        started(req['marker'])
        if req.get('stay'):
            import time
            time.sleep(120)
        return {'started': True}
'''
DOUBLE_FORK = STARTED + '''
import os, sys
class C:
    def coordinate(self, req):
        pid = os.fork()
        if pid == 0:
            if os.fork() == 0:
                os.setsid()
                os.execv(sys.executable, [sys.executable, '-c',
                         SLEEPER_CODE, req['marker']])
            os._exit(0)
        os.waitpid(pid, 0)
        started(req['marker'])
        return {'forked': True}
'''
SETSID_HOLDING_STDOUT = SETSID_HOLDING_STDOUT.replace(
    'SLEEPER_CODE', repr(SLEEPER))
DOUBLE_FORK = DOUBLE_FORK.replace('SLEEPER_CODE', repr(SLEEPER))
LOUD = '''
import sys
class C:
    def coordinate(self, req):
        chunk = 'x' * (1024 * 1024) + '\\n'
        for _n in range(100):
            sys.stdout.write(chunk)
        sys.stdout.flush()
        return {'loud': True}
'''
# A conductor of its own, to be killed, or measured.
CONDUCTOR = '''
import json, resource, sys
from tacker.sol_refactored.common import config
config.CONF([], project='tacker', default_config_files=[])
config.CONF.set_override('pid_namespace', PID_NAMESPACE, 'coordinate_vnf')
from tacker.sol_refactored.common import coordinate
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
result = coordinate.run(sys.argv[1], sys.argv[2], 'C',
                        json.loads(sys.argv[3]), timeout=float(sys.argv[4]))
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({'result': result, 'grew_kib': after - before}))
'''


def running(marker):
    """Pids whose command line holds marker."""
    found = []
    for name in os.listdir('/proc'):
        if not name.isdigit():
            continue
        try:
            with open('/proc/%s/cmdline' % name, 'rb') as f:
                if marker.encode() in f.read():
                    found.append(int(name))
        except OSError:
            continue
    return found


class TestConfinement(base.TestCase):
    """In a PID namespace (the default)."""
    pid_namespace = True

    def setUp(self):
        super().setUp()
        self.conf.config(pid_namespace=self.pid_namespace,
                         group='coordinate_vnf')
        self.root = self.useFixture(fixtures.TempDir()).path
        self.marker = 'tacker-test-sleeper-%s' % uuid.uuid4()
        self.addCleanup(self._kill_left)

    def _kill_left(self):
        for pid in running(self.marker):
            os.kill(pid, signal.SIGKILL)

    def script(self, text):
        path = os.path.join(self.root, 'script.py')
        with open(path, 'w') as f:
            f.write(text)
        return path

    def wait_gone(self, what):
        deadline = time.monotonic() + 20
        pause = 0.05
        while running(self.marker):
            if time.monotonic() > deadline:
                self.fail('%s: %s still runs' % (what, running(
                    self.marker)))
            time.sleep(pause)
            pause = min(pause * 2, 0.5)

    def test_new_session_holding_stdout_ends_with_the_script(self):
        result = coordinate.run(self.root, self.script(SETSID_HOLDING_STDOUT),
                                'C', {'marker': self.marker}, timeout=60)
        self.assertEqual({'started': True}, result)
        self.assertTrue(os.path.exists(os.path.join(self.root, self.marker)))
        self.wait_gone('the sleeper in a new session')

    def test_double_fork_ends_with_the_script(self):
        result = coordinate.run(self.root, self.script(DOUBLE_FORK), 'C',
                                {'marker': self.marker}, timeout=60)
        self.assertEqual({'forked': True}, result)
        self.assertTrue(os.path.exists(os.path.join(self.root, self.marker)))
        self.wait_gone('the double-forked sleeper')

    def test_time_limit_ends_everything(self):
        e = self.assertRaises(
            coordinate.CoordinateFailed, coordinate.run, self.root,
            self.script(SETSID_HOLDING_STDOUT), 'C',
            {'marker': self.marker, 'stay': True}, timeout=1)
        self.assertIn('did not finish within 1 seconds', e.detail)
        self.assertTrue(os.path.exists(os.path.join(self.root, self.marker)))
        self.wait_gone('the sleeper past the time limit')

    def conductor(self, script, request, timeout):
        path = os.path.join(self.root, 'conductor.py')
        with open(path, 'w') as f:
            f.write(CONDUCTOR.replace('PID_NAMESPACE',
                                      repr(self.pid_namespace)))
        env = dict(os.environ, PYTHONPATH=REPO)
        return subprocess.Popen(
            [sys.executable, path, self.root, script, json.dumps(request),
             str(timeout)], env=env, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE)

    def test_killed_conductor_takes_the_script_with_it(self):
        proc = self.conductor(self.script(SETSID_HOLDING_STDOUT),
                              {'marker': self.marker, 'stay': True}, 600)
        self.addCleanup(proc.wait)
        self.addCleanup(proc.kill)
        deadline = time.monotonic() + 30
        started = os.path.join(self.root, self.marker)
        while not os.path.exists(started):
            if proc.poll() is not None:
                self.fail(proc.stderr.read())
            self.assertLess(time.monotonic(), deadline,
                            'the sleeper never started')
            time.sleep(0.05)
        self.assertTrue(running(self.marker))
        proc.kill()
        self.wait_gone('the sleeper of a killed conductor')

    def test_output_kept_is_bounded(self):
        proc = self.conductor(self.script(LOUD), {}, 120)
        out, err = proc.communicate(timeout=120)
        self.assertEqual(0, proc.returncode, err)
        answer = json.loads(out.decode().splitlines()[-1])
        self.assertEqual({'loud': True}, answer['result'])
        # 100 MiB went through; the conductor kept its last MiB.
        self.assertLess(answer['grew_kib'], 32 * 1024)


class TestSubreaperConfinement(TestConfinement):
    """Where PID namespaces are not to be had: a child subreaper.

    Everything but a SIGKILL of the conductor, which only the PID
    namespace covers (documented): that test is not one of this class.
    """
    pid_namespace = False
    test_killed_conductor_takes_the_script_with_it = None
