"""The OpenStack v2 sample package's CoordinateVNF scripts, for real.

They run through ``coordinate.run`` (a child process, as the conductor
runs them) against test hosts in network namespaces: an old VNFC answering
"1.0", a new one answering "2.0" and an haproxy load balancer, all reached
over SSH with passwords and pinned host keys.  Skipped, with the reason,
when test hosts cannot be made here (not root, no ``ip``, no sshd or
haproxy).
"""
import importlib.util
import os
import threading
import time

import testtools

from tacker.sol_refactored.common import coordinate
from tacker.tests import test_hosts

PACKAGE = os.path.join(os.path.dirname(__file__), '..', '..', '..',
                       'samples', 'vnf_packages', 'openstack', 'v2')
OLD = '198.51.100.11'
NEW = '198.51.100.21'
LB = '198.51.100.5'
SILENT = '198.51.100.99'   # on the test bridge, but no host there
LB_OTHER = '198.51.100.31'  # a backend that is no VNFC of this VNF
CP = 'VDU1_CP1'
RUN_TIMEOUT = 120


class TestOpenStackCoordinateScripts(testtools.TestCase):

    def setUp(self):
        super().setUp()
        test_hosts.check_available(need_haproxy=True)
        self.hosts = self.useFixture(test_hosts.TestHosts())
        self.old = self.hosts.add_host(OLD, 'sample nginx VNF 1.0')
        self.new = self.hosts.add_host(NEW, 'sample nginx VNF 2.0')
        self.lb = self.hosts.add_lb(LB, backends=[OLD])
        for address in (OLD, NEW, LB, SILENT):
            self.hosts.check_route(address)
        self.root = os.path.realpath(PACKAGE)

    def request(self, side, new_param=None, old_param=None):
        new_param = new_param or self.new.ssh_param(CP)
        old_param = old_param or self.old.ssh_param(
            CP, stop_command='bin/app-stop')
        return {
            'lcmOpOccId': 'op-test', 'operation': 'CHANGE_VNFPKG',
            'side': side, 'upgradeType': 'BlueGreen',
            'vnfInstance': {'id': 'inst-test'}, 'vimConnectionInfo': {},
            'newVnfdId': 'vnfd-new',
            'vduParams': [{'vdu_id': 'VDU1', 'new_vnfc_param': new_param,
                           'old_vnfc_param': old_param}],
            'externalLbParam': self.lb.external_lb_param(
                connect_timeout=5, switch_timeout=20),
            'resources': {
                'newVnfcs': [{'vduId': 'VDU1', 'serverId': 'server-new',
                              'addresses': {CP: new_param.get(
                                  'test_address', NEW)}}],
                'oldVnfcs': [{'vduId': 'VDU1', 'serverId': 'server-old',
                              'addresses': {CP: OLD}}]},
        }

    def run_script(self, side, request, method='coordinate'):
        name = 'coordinate_%s_vnf' % side
        cls = 'Coordinate%sVnf' % side.capitalize()
        path = coordinate.resolve_script(
            self.root, 'Scripts/%s.py' % name, 'test')
        coordinate.check_class(path, cls, name, 'test')
        request = dict(request, action=method)
        return coordinate.run(self.root, path, cls, request,
                              timeout=RUN_TIMEOUT, method=method)

    def lb_answers(self):
        return self.hosts.http_get(LB)[1].strip()

    def test_blue_green_moves_traffic_then_drains(self):
        self.assertEqual(['sample nginx VNF 1.0'] * 3,
                         [self.lb_answers() for _ in range(3)])

        result = self.run_script('new', self.request('new'))

        self.assertEqual(['%s:80' % NEW], result['backends'])
        self.assertEqual([NEW], self.hosts.backends())
        self.assertEqual(['sample nginx VNF 2.0'] * 3,
                         [self.lb_answers() for _ in range(3)])

        result = self.run_script('old', self.request('old'))

        self.assertEqual([], result['drained'])  # already switched
        self.assertEqual(['server-old'], result['stopped'])
        status, body = self.hosts.wait_http(
            OLD, lambda s, b: s is None, timeout=10)
        self.assertIsNone(status, 'the old VNFC still answers: %s' % body)
        self.assertEqual('sample nginx VNF 2.0', self.lb_answers())

        # Twice does no harm.
        result = self.run_script('new', self.request('new'))
        self.assertEqual(['%s:80' % NEW], result['backends'])
        self.assertEqual('sample nginx VNF 2.0', self.lb_answers())

    def test_old_script_drains_an_old_backend(self):
        self.hosts.set_backends([OLD, NEW])
        result = self.run_script('old', self.request('old'))
        self.assertEqual(['%s:80' % OLD], result['drained'])
        self.assertEqual([NEW], self.hosts.backends())
        self.assertEqual(['sample nginx VNF 2.0'] * 3,
                         [self.lb_answers() for _ in range(3)])

    def test_old_script_will_not_empty_the_lb(self):
        e = self.assertRaises(coordinate.CoordinateFailed, self.run_script,
                              'old', self.request('old'))
        self.assertIn('without any backend', str(e))
        self.assertEqual([OLD], self.hosts.backends())

    def test_wrong_password_fails_clearly_without_the_password(self):
        wrong = 'Wr0ng-' + self.new.password
        param = self.new.ssh_param(CP)
        param['password'] = wrong
        e = self.assertRaises(coordinate.CoordinateFailed, self.run_script,
                              'new', self.request('new', new_param=param))
        message = str(e)
        self.assertIn('SSH authentication failed', message)
        self.assertIn('vnfuser@%s:22' % NEW, message)
        for secret in (wrong, self.new.password, self.lb.password):
            self.assertNotIn(secret, message)
        self.assertEqual([OLD], self.hosts.backends())
        self.assertEqual('sample nginx VNF 1.0', self.lb_answers())

        # The script's own message, before the runner masks anything.
        script = _load(os.path.join(self.root, 'Scripts',
                                    'coordinate_new_vnf.py'))
        try:
            script.CoordinateNewVnf().coordinate(
                self.request('new', new_param=param))
        except Exception as e:
            error = e
        else:
            self.fail('the script accepted a wrong password')
        self.assertEqual('ScriptError', type(error).__name__)
        self.assertIn('SSH authentication failed', str(error))
        self.assertNotIn(wrong, str(error))

    def test_unexpected_host_key_is_refused(self):
        param = self.new.ssh_param(CP, host_key=self.old.host_key)
        e = self.assertRaises(coordinate.CoordinateFailed, self.run_script,
                              'new', self.request('new', new_param=param))
        self.assertIn('not the expected %s' % self.old.host_key, str(e))
        self.assertEqual([OLD], self.hosts.backends())

    def test_silent_host_fails_at_the_connect_timeout(self):
        param = self.new.ssh_param(CP, connect_timeout=2,
                                   test_address=SILENT)
        started = time.monotonic()
        e = self.assertRaises(coordinate.CoordinateFailed, self.run_script,
                              'new', self.request('new', new_param=param))
        elapsed = time.monotonic() - started
        self.assertIn('vnfuser@%s:22: no answer within the connect timeout '
                      '(2.0s)' % SILENT, str(e))
        self.assertGreaterEqual(elapsed, 2)
        self.assertLess(elapsed, 15)
        self.assertEqual([OLD], self.hosts.backends())

    def test_cp_addresses_are_preferred(self):
        # As Tacker gives them: per CP, IPv6 first; the flat list would
        # name the wrong host first.
        request = self.request('new')
        request['resources']['newVnfcs'] = [{
            'vduId': 'VDU1', 'serverId': 'server-new',
            'cpAddresses': {CP: ['2001:db8::21', NEW],
                            'VDU1_CP2': [SILENT]},
            'addresses': [SILENT, NEW]}]
        result = self.run_script('new', request)
        self.assertEqual(['%s:80' % NEW], result['backends'])
        self.assertEqual([NEW], self.hosts.backends())
        self.assertEqual('sample nginx VNF 2.0', self.lb_answers())

    def test_rollback_puts_the_old_vnfcs_back(self):
        self.run_script('new', self.request('new'))
        self.assertEqual('sample nginx VNF 2.0', self.lb_answers())
        # The old VNFC's login is not needed to put it back.
        request = self.request('new', old_param={
            'cp_name': CP, 'username': 'nobody', 'password': 'wrong'})

        result = self.run_script('new', request, method='rollback')

        self.assertEqual(['%s:80' % OLD], result['backends'])
        self.assertEqual([OLD], self.hosts.backends())
        self.assertEqual(['sample nginx VNF 1.0'] * 3,
                         [self.lb_answers() for _ in range(3)])
        # Twice, or before any switch: nothing to write.
        with open(os.path.join(self.lb.home, self.lb.backends_file)) as f:
            before = f.read()
        result = self.run_script('new', request, method='rollback')
        self.assertEqual(['%s:80' % OLD], result['backends'])
        with open(os.path.join(self.lb.home, self.lb.backends_file)) as f:
            self.assertEqual(before, f.read())

    def test_rollback_keeps_others_and_refuses_a_dead_old_vnfc(self):
        self.hosts.set_backends([NEW, LB_OTHER])
        self.hosts.add_host(LB_OTHER, 'sample nginx VNF 1.0')
        self.assertEqual(0, self.hosts.run_as_user(self.old,
                                                   'bin/app-stop')[0])
        self.hosts.wait_http(OLD, lambda s, b: s is None)
        e = self.assertRaises(coordinate.CoordinateFailed, self.run_script,
                              'new', self.request('new'), method='rollback')
        self.assertIn('backend %s:80' % OLD, str(e))
        # Not pointed at a VNFC that does not answer.
        self.assertEqual([NEW, LB_OTHER], self.hosts.backends())

        self.assertEqual(0, self.hosts.run_as_user(self.old,
                                                   'bin/app-start')[0])
        result = self.run_script('new', self.request('new'),
                                 method='rollback')
        self.assertEqual(['%s:80' % LB_OTHER, '%s:80' % OLD],
                         result['backends'])
        self.assertEqual({'sample nginx VNF 1.0'},
                         {self.lb_answers() for _ in range(4)})

    def test_old_rollback_starts_what_was_stopped(self):
        self.hosts.set_backends([NEW])
        param = self.old.ssh_param(CP, stop_command='bin/app-stop',
                                   start_command='bin/app-start')
        request = self.request('old', old_param=param)
        self.assertEqual(['server-old'],
                         self.run_script('old', request)['stopped'])
        status, _ = self.hosts.wait_http(OLD, lambda s, b: s is None)
        self.assertIsNone(status)

        result = self.run_script('old', request, method='rollback')

        self.assertEqual(['server-old'], result['started'])
        self.assertEqual((200, 'sample nginx VNF 1.0\n'),
                         self.hosts.http_get(OLD))
        # Without start_command nothing is logged in to.
        logins = self.hosts.sshd_log(self.old).count('Accepted password')
        result = self.run_script('old', self.request('old'),
                                 method='rollback')
        self.assertEqual([], result['started'])
        self.assertEqual(logins, self.hosts.sshd_log(self.old).count(
            'Accepted password'))

    def test_new_vnfc_still_booting_is_waited_for(self):
        # Its sshd answers, its application not yet: as a VM whose
        # services start one after the other.
        self.assertEqual(0, self.hosts.run_as_user(self.new,
                                                   'bin/app-stop')[0])
        self.hosts.wait_http(NEW, lambda s, b: s is None)
        logins = self.hosts.sshd_log(self.new).count('Accepted password')
        param = self.new.ssh_param(CP, ready_timeout=60)
        outcome = {}

        def run():
            try:
                outcome['result'] = self.run_script(
                    'new', self.request('new', new_param=param))
            except Exception as e:
                outcome['error'] = e
        worker = threading.Thread(target=run)
        worker.start()
        self.addCleanup(worker.join, RUN_TIMEOUT)
        # Once the script has logged in (and found no application), the
        # application starts.
        deadline = time.monotonic() + 30
        delay = 0.02
        while self.hosts.sshd_log(self.new).count(
                'Accepted password') == logins:
            self.assertLess(time.monotonic(), deadline,
                            'the script never logged in')
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
        self.assertEqual(0, self.hosts.run_as_user(self.new,
                                                   'bin/app-start')[0])
        worker.join(RUN_TIMEOUT)
        self.assertNotIn('error', outcome)
        self.assertEqual(['%s:80' % NEW], outcome['result']['backends'])
        self.assertEqual('sample nginx VNF 2.0', self.lb_answers())

    def test_unreachable_new_vnfc_is_retried_until_ready_timeout(self):
        param = self.new.ssh_param(CP, connect_timeout=1, ready_timeout=3,
                                   test_address=SILENT)
        started = time.monotonic()
        e = self.assertRaises(coordinate.CoordinateFailed, self.run_script,
                              'new', self.request('new', new_param=param))
        elapsed = time.monotonic() - started
        self.assertIn('vnfuser@%s:22' % SILENT, str(e))
        self.assertRegex(str(e), r'tried \d+ times in 3.0s')
        self.assertGreaterEqual(elapsed, 3)
        self.assertLess(elapsed, 15)
        self.assertEqual([OLD], self.hosts.backends())


def _load(path):
    spec = importlib.util.spec_from_file_location('sample_script', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
