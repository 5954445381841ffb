"""CoordinateVNF over SSH and a real haproxy switch, through tacker-server.

The v1 sample is instantiated on the OpenStack test cloud. The test cloud
has no data plane, so the test gives each VNFC a test host of our own (a
network namespace with sshd and an HTTP server, see tacker.tests.test_hosts)
at the fixed IP Neutron gave the VNFC's port, and puts an haproxy load
balancer test host, at an address reserved as a Neutron port of the same
subnet, in front of the old VNFCs. Then a Blue-Green change to the v2
package runs the package's CoordinateVNF scripts, which log in to the new
VNFCs and to the load balancer and switch its backends, then drain and stop
the old VNFCs.

The new VNFCs' addresses exist only once Heat has created their ports. A
watcher thread stands in for the new servers booting (the fake Nova boots
nothing): it polls Heat and Neutron with a short backoff and brings up a
test host at each new port's fixed IP as soon as the port is there. The
new-VNF script waits for its VNFCs up to ``ready_timeout``, as it would for
a VM still booting.

Skipped, with the reason, where network namespaces, sshd or haproxy are
not available, where 198.51.100.0/24 is taken on this machine, or where
the test cloud cannot be had.
"""
import threading
import time

from heatclient import client as heat_client
from heatclient import exc as heat_exc
from keystoneauth1 import exceptions as ks_exc
from keystoneauth1 import session as ks_session

from tacker.tests.functional import openstack_base as ob
from tacker.tests import test_hosts

CPS = {'VDU1': 'VDU1_CP1', 'VDU2': 'VDU2_CP1'}
OLD_VERSION = 'sample VNF 1.0'
NEW_VERSION = 'sample VNF 2.0'
NEW_USER = 'vnfuser'
# Two stacks of two servers each on two cores, scripts included.
CHANGE_TIMEOUT = 600
# How long the new-VNF script waits for a new VNFC to become reachable.
READY_TIMEOUT = 120
DELETE_STACK = {'method': 'DELETE', 'path_regex': r'/stacks/[^/]+/[^/]+$'}
SCRIPTS = {
    'lcm-operation-coordinate-new-vnf': 'Scripts/coordinate_new_vnf.py',
    'lcm-operation-coordinate-new-vnf-class': 'CoordinateNewVnf',
    'lcm-operation-coordinate-old-vnf': 'Scripts/coordinate_old_vnf.py',
    'lcm-operation-coordinate-old-vnf-class': 'CoordinateOldVnf',
}


class NewVnfcWatcher(threading.Thread):
    """Brings up a test host at each port of the new stack, as it appears.

    The new stack is found by name in Heat; its ports (nested stacks
    included) are read in Neutron. Polled with a short growing pause that
    ends at once when the watcher is stopped.
    """

    def __init__(self, test, stack_name, password):
        super().__init__(name='new-vnfc-watcher', daemon=True)
        self.hosts = test.hosts
        self.stack_name = stack_name
        self.password = password
        self.region = test.region
        # A session and a Heat client of its own: the test's are used by
        # the test's thread.
        self.session = ks_session.Session(auth=test.session.auth,
                                          timeout=ob.HTTP_TIMEOUT)
        self.heat = heat_client.Client(
            '1', session=self.session, service_type='orchestration',
            interface='public', region_name=self.region)
        self.made = {}          # port id -> test host
        self.error = None
        self._halt = threading.Event()

    def run(self):
        delay = 0.1
        try:
            while not self._halt.is_set():
                if self._poll():
                    delay = 0.1
                self._halt.wait(delay)
                delay = min(delay * 1.5, 1)
        except Exception as e:
            self.error = '%s: %s' % (type(e).__name__, e)

    def _poll(self):
        try:
            stack = self.heat.stacks.get(self.stack_name)
        except heat_exc.HTTPNotFound:
            return False
        ports = [r.physical_resource_id for r in
                 self.heat.resources.list(stack.id, nested_depth=5)
                 if r.resource_type == 'OS::Neutron::Port' and
                 r.physical_resource_id and
                 r.physical_resource_id not in self.made]
        found = False
        for port_id in ports:
            try:
                port = self.session.get(
                    '/v2.0/ports/' + port_id, endpoint_filter={
                        'service_type': 'network', 'interface': 'public',
                        'region_name': self.region}).json()['port']
            except ks_exc.NotFound:
                continue
            v4 = [ip['ip_address'] for ip in port.get('fixed_ips') or []
                  if ':' not in ip['ip_address']]
            if not v4:
                continue
            self.made[port_id] = self.hosts.add_host(
                v4[0], NEW_VERSION, username=NEW_USER,
                password=self.password)
            found = True
        return found

    def stop(self):
        self._halt.set()
        self.join(60)


class LbSwitchTestCase(ob.OpenStackTestCase):

    def setUp(self):
        # Before the cloud: no reason to start it when this must skip.
        test_hosts.check_available(need_haproxy=True)
        super().setUp()
        self.hosts = self.useFixture(test_hosts.TestHosts())
        self.new_password = 'new-vnfc-%s' % time.monotonic_ns()
        self.v1 = self.onboard_sample('v1')
        self.v2 = self.onboard_sample('v2')
        self.inst = self.instantiated(self.v1)
        self.old_stack = self.inst['instantiatedVnfInfo']['metadata'][
            'stack_id']

        # The old VNFCs, where Neutron put them.
        self.old_ips = self.fixed_ips(self.inst)
        self.old_hosts = {
            vdu: self.hosts.add_host(ip, OLD_VERSION)
            for vdu, ip in self.old_ips.items()}
        lb_ip = self.reserve_address('tacker-test-lb')
        self.lb = self.hosts.add_lb(lb_ip,
                                    backends=sorted(self.old_ips.values()))
        self.assertEqual([OLD_VERSION] * 4, self.lb_answers(4))

    # -- the cloud ------------------------------------------------------------

    def _network(self, method, path, **kwargs):
        return getattr(self.session, method)(path, endpoint_filter={
            'service_type': 'network', 'interface': 'public',
            'region_name': self.region}, **kwargs)

    def fixed_ips(self, inst):
        """{VDU: the fixed IP Neutron gave its VNFC's port}, checked."""
        found = {}
        for vnfc in inst['instantiatedVnfInfo']['vnfcResourceInfo']:
            [port] = self.ports_of(vnfc['computeResource']['resourceId'])
            [ip] = port['fixed_ips']
            found[vnfc['vduId']] = ip['ip_address']
            # What Tacker recorded for the VNFC's CP is the same address.
            [cp] = vnfc['vnfcCpInfo']
            self.assertEqual(CPS[vnfc['vduId']], cp['cpdId'])
            ext = {c['id']: c for c in inst['instantiatedVnfInfo'][
                'extCpInfo']}[cp['vnfExtCpId']]
            self.assertEqual(
                [ip['ip_address']], ext['cpProtocolInfo'][0][
                    'ipOverEthernet']['ipAddresses'][0]['addresses'])
        self.assertEqual(sorted(CPS), sorted(found))
        return found

    # -- the hosts ---------------------------------------------------------

    def lb_answers(self, count):
        return [self.hosts.http_get(self.lb.address)[1].strip()
                for _ in range(count)]

    def assertAppStopped(self, host):
        # The host is there (its sshd answers), its application is not.
        self.assertRaises(ConnectionRefusedError, self.hosts.http_get,
                          host.address, timeout=5)

    def logins(self, host):
        return self.hosts.sshd_log(host).count(
            'Accepted password for %s' % host.username)

    # -- the operation -----------------------------------------------------

    def change_request(self):
        vdu_params = []
        for vdu, cp in sorted(CPS.items()):
            old = self.old_hosts[vdu]
            vdu_params.append({
                'vdu_id': vdu,
                # The new VMs' host keys are not known beforehand: the
                # script logs the key it accepted.
                'new_vnfc_param': {
                    'cp_name': cp, 'username': NEW_USER,
                    'password': self.new_password,
                    'expected_response': NEW_VERSION,
                    'ready_timeout': READY_TIMEOUT},
                'old_vnfc_param': old.ssh_param(
                    cp, stop_command='bin/app-stop',
                    start_command='bin/app-start')})
        params = dict(SCRIPTS, upgrade_type='BlueGreen',
                      vdu_params=vdu_params,
                      external_lb_param=self.lb.external_lb_param(
                          switch_timeout=60))
        return {'vnfdId': self.v2['vnfdId'], 'additionalParams': params}

    def start_change(self):
        occ_id = self.start_op(self.inst['id'], 'change_vnfpkg',
                               self.change_request())
        return occ_id, self.watch(occ_id)

    def watch(self, occ_id):
        watcher = NewVnfcWatcher(
            self, 'vnf-%s-%s' % (self.inst['id'], occ_id[:8]),
            self.new_password)
        watcher.start()
        self.addCleanup(watcher.stop)
        return watcher

    def settle(self, occ_id, state, watcher, timeout=CHANGE_TIMEOUT):
        occ = self.client.wait_op(
            occ_id, ['COMPLETED', 'FAILED_TEMP', 'ROLLED_BACK', 'FAILED'],
            timeout=timeout).body
        self.assertIsNone(watcher.error, 'the watcher failed')
        self.assertEqual(state, occ['operationState'],
                         occ.get('error') or occ)
        self.assertNoSecret(occ)
        return occ

    def secrets(self):
        return [self.new_password, self.lb.password] + [
            h.password for h in self.old_hosts.values()]

    def assertNoSecret(self, what):
        text = str(what)
        for secret in self.secrets():
            self.assertNotIn(secret, text)

    def assertSwitched(self, occ, watcher):
        """The new VNF serves through the LB; the old one is drained."""
        inst = self.show(self.inst['id'])
        self.assertEqual(self.v2['vnfdId'], inst['vnfdId'])
        info = inst['instantiatedVnfInfo']
        new_stack = info['metadata']['stack_id']
        self.assertNotEqual(self.old_stack, new_stack)
        self.assertIsNone(self.stack(self.old_stack))
        # The record names the new stack's servers, and only those.
        servers = sorted(v['computeResource']['resourceId']
                         for v in info['vnfcResourceInfo'])
        self.assertEqual(self.stack_servers(new_stack), servers)
        self.assertEqual(2, len(servers))
        old_servers = {v['computeResource']['resourceId'] for v in
                       self.inst['instantiatedVnfInfo']['vnfcResourceInfo']}
        self.assertFalse(old_servers & set(servers))

        # The LB's backends are the new VNFCs' fixed IPs (the script found
        # them by CP name), each a host the watcher brought up.
        new_ips = self.fixed_ips(inst)
        self.assertEqual(sorted(new_ips.values()),
                         sorted(self.hosts.backends()))
        self.assertEqual(sorted(new_ips.values()),
                         sorted(h.address for h in watcher.made.values()))
        self.assertFalse(set(new_ips.values()) & set(self.old_ips.values()))
        self.assertEqual([NEW_VERSION] * 4, self.lb_answers(4))
        for host in watcher.made.values():
            self.assertGreaterEqual(self.logins(host), 1, host.address)
        # Drained and stopped by the old VNF's script.
        for host in self.old_hosts.values():
            self.assertAppStopped(host)
        self.assertNoSecret(self.service.logs())
        return inst

    def assertRolledBack(self, watcher):
        """Only the old VNF is left, and it serves through the LB."""
        new_name = watcher.stack_name
        self.assertEqual([], self.live_stacks(new_name))
        for host in watcher.made.values():
            self.assertEqual([], self._network('get', '/v2.0/ports', params={
                'fixed_ips': 'ip_address=%s' % host.address}).json()[
                    'ports'], 'the new port is still there')
        inst = self.show(self.inst['id'])
        self.assertEqual(self.v1['vnfdId'], inst['vnfdId'])
        self.assertEqual(self.inst['instantiatedVnfInfo'],
                         inst['instantiatedVnfInfo'])
        self.assertIsNotNone(self.stack(self.old_stack))
        self.assertEqual(sorted(self.old_ips.values()),
                         sorted(self.hosts.backends()))
        self.assertEqual([OLD_VERSION] * 4, self.lb_answers(4))
        for host in self.old_hosts.values():
            self.assertEqual((200, OLD_VERSION + '\n'),
                             self.hosts.http_get(host.address))
        self.assertNoSecret(self.service.logs())
        # Their servers are gone: so are the hosts standing in for them.
        for host in watcher.made.values():
            self.hosts.remove_host(host)


class TestLbSwitch(LbSwitchTestCase):

    def test_blue_green_switches_the_lb_through_the_service(self):
        occ_id, watcher = self.start_change()
        occ = self.settle(occ_id, 'COMPLETED', watcher)
        watcher.stop()
        self.assertEqual(2, len(watcher.made))
        self.assertSwitched(occ, watcher)

    def test_old_script_fails_rollback_then_retry(self):
        old1, old2 = self.old_hosts['VDU1'], self.old_hosts['VDU2']
        restore = self.hosts.fail_command(old2, 'app-stop',
                                          'stop refused by the test')
        occ_id, watcher = self.start_change()
        occ = self.settle(occ_id, 'FAILED_TEMP', watcher)
        detail = occ['error']['detail']
        self.assertIn('coordinate_old', detail)
        self.assertIn('stop refused by the test', detail)
        # Half way: the LB on the new VNF, one old VNFC stopped.
        self.assertEqual([NEW_VERSION] * 4, self.lb_answers(4))
        self.assertAppStopped(old1)
        self.assertEqual(200, self.hosts.http_get(old2.address)[0])

        self.op_action(occ_id, 'rollback')
        self.settle(occ_id, 'ROLLED_BACK', watcher)
        watcher.stop()
        self.assertRolledBack(watcher)

        # Once more, failing the same way; then the cause goes and a
        # retry finishes the change.
        occ_id, watcher = self.start_change()
        occ = self.settle(occ_id, 'FAILED_TEMP', watcher)
        self.assertIn('coordinate_old', occ['error']['detail'])
        restore()
        self.op_action(occ_id, 'retry')
        occ = self.settle(occ_id, 'COMPLETED', watcher)
        watcher.stop()
        self.assertSwitched(occ, watcher)

    def test_old_stack_delete_fails_then_rollback(self):
        # Heat refuses the delete before it begins: the old VNF is whole,
        # so the whole change can still be undone, scripts included.
        self.proxy.fail(500, body=ob.heat_error('delete refused (injected)'),
                        nth=1, **DELETE_STACK)
        occ_id, watcher = self.start_change()
        occ = self.settle(occ_id, 'FAILED_TEMP', watcher)
        self.assertIn('delete_old_stack', occ['error']['detail'])
        self.assertEqual([NEW_VERSION] * 4, self.lb_answers(4))
        for host in self.old_hosts.values():
            self.assertAppStopped(host)

        self.op_action(occ_id, 'rollback')
        self.settle(occ_id, 'ROLLED_BACK', watcher)
        watcher.stop()
        self.assertRolledBack(watcher)
