"""Rolling update on OpenStack runs the scripts of each VNFC before the next.

The v1 sample is instantiated on the test cloud with two VNFCs of VDU1.
Each gets a test host at the fixed IP Neutron gave it (sshd and an HTTP
server, see tacker.tests.test_hosts) and an haproxy load balancer test
host serves them. A watcher thread stands in for the software of the VMs:
it reads in Nova the image each VDU1 server runs and has that VNFC's host
answer ``sample VNF <image>``. The package's new-VNF script logs in to the
VNFC just updated and wants ``image-v2`` in its answer.

With the watcher held, the first VNFC's script sees ``image-v1`` and
fails: the operation stops FAILED_TEMP with the first VNFC on image-v2 and
the second not yet touched, so the script ran between the two. Rolled
back, both are on image-v1 again. With the watcher running, the change
completes, every VNFC's script having logged in to it.

Skipped, with the reason, where network namespaces, sshd or haproxy are
not available, where 198.51.100.0/24 is taken on this machine, or where
the test cloud cannot be had.
"""
import os
import threading
import time

from keystoneauth1 import session as ks_session

from tacker.tests.functional import openstack_base as ob
from tacker.tests import test_hosts

CP = 'VDU1_CP1'
USER = 'vnfuser'
VDU1_COUNT = 2
CHANGE_TIMEOUT = 600
SCRIPTS = {
    'lcm-operation-coordinate-new-vnf': 'Scripts/coordinate_new_vnf.py',
    'lcm-operation-coordinate-new-vnf-class': 'CoordinateNewVnf',
    'lcm-operation-coordinate-old-vnf': 'Scripts/coordinate_old_vnf.py',
    'lcm-operation-coordinate-old-vnf-class': 'CoordinateOldVnf',
}


def answer(image):
    return 'sample VNF %s' % image


class SoftwareOfTheVms(threading.Thread):
    """Has each VNFC's test host answer with the image Nova says it runs.

    Polled with a short growing pause; ``hold`` stops the answers from
    following Nova (the software does not come up), ``follow`` lets them.
    """

    def __init__(self, test, hosts_by_server):
        super().__init__(name='vm-software', daemon=True)
        self.hosts = hosts_by_server
        self.region = test.region
        self.images = {v: k for k, v in test.images.items()}
        self.session = ks_session.Session(auth=test.session.auth,
                                          timeout=ob.HTTP_TIMEOUT)
        self.error = None
        self.following = threading.Event()
        self._halt = threading.Event()

    def _image(self, server_id):
        server = self.session.get('/servers/' + server_id, endpoint_filter={
            'service_type': 'compute', 'interface': 'public',
            'region_name': self.region}).json()['server']
        return self.images.get((server.get('image') or {}).get('id'))

    def run(self):
        delay = 0.1
        try:
            while not self._halt.is_set():
                if self.following.is_set():
                    for server_id, host in self.hosts.items():
                        text = answer(self._image(server_id))
                        if host.version != text:
                            with open(host.home + '/version', 'w') as f:
                                f.write(text + '\n')
                            host.version = text
                            delay = 0.1
                self._halt.wait(delay)
                delay = min(delay * 1.5, 1)
        except Exception as e:
            self.error = '%s: %s' % (type(e).__name__, e)

    def stop(self):
        self._halt.set()
        self.join(60)


class TestRollingScripts(ob.OpenStackTestCase):

    def setUp(self):
        test_hosts.check_available(need_haproxy=True)
        super().setUp()
        self.hosts = self.useFixture(test_hosts.TestHosts())
        self.password = 'vnfc-%s' % time.monotonic_ns()
        self.v1 = self.onboard_sample('v1')
        self.v2 = self.onboard_sample('v2')
        self.images = self.image_ids()
        self.inst = self.instantiated(self.v1, VDU1_COUNT)

        self.vnfc_hosts = {}
        for vnfc in self.vdu1_vnfcs(self.inst):
            server_id = vnfc['computeResource']['resourceId']
            [port] = self.ports_of(server_id)
            [ip] = port['fixed_ips']
            self.hosts.check_route(ip['ip_address'])
            self.vnfc_hosts[server_id] = self.hosts.add_host(
                ip['ip_address'], answer('image-v1'), username=USER,
                password=self.password)
        lb_ip = self.reserve_address()
        self.hosts.check_route(lb_ip)
        self.lb = self.hosts.add_lb(lb_ip, backends=sorted(
            h.address for h in self.vnfc_hosts.values()))
        self.software = SoftwareOfTheVms(self, self.vnfc_hosts)
        self.software.start()
        self.addCleanup(self.software.stop)

    @staticmethod
    def vdu1_vnfcs(inst):
        vnfcs = [v for v in inst['instantiatedVnfInfo']['vnfcResourceInfo']
                 if v['vduId'] == 'VDU1']
        return sorted(vnfcs, key=lambda v: v['id'])

    def running(self):
        """{server id: image name} of VDU1's servers, from Nova."""
        by_id = {v: k for k, v in self.images.items()}
        return {sid: by_id[self.get('compute', '/servers/' + sid)[
            'server']['image']['id']] for sid in self.vnfc_hosts}

    def change(self, ready_timeout):
        params = dict(
            SCRIPTS, upgrade_type='RollingUpdate',
            vdu_params=[{'vdu_id': 'VDU1', 'new_vnfc_param': {
                'cp_name': CP, 'username': USER, 'password': self.password,
                'expected_response': answer('image-v2'),
                'ready_timeout': ready_timeout, 'connect_timeout': 5}}],
            external_lb_param=self.lb.external_lb_param(switch_timeout=30))
        return self.start_op(self.inst['id'], 'change_vnfpkg', {
            'vnfdId': self.v2['vnfdId'], 'additionalParams': params})

    def conductor_log(self):
        """Every log line the service wrote (its conductor included)."""
        text = []
        for name in sorted(os.listdir(self.service.state_dir)):
            if name.endswith('.log'):
                with open(os.path.join(self.service.state_dir, name)) as f:
                    text.append(f.read())
        return '\n'.join(text)

    def logins(self, host):
        return self.hosts.sshd_log(host).count(
            'Accepted password for %s' % USER)

    def test_script_between_vnfcs_failure_rollback_then_success(self):
        # The software does not follow the new image: the first VNFC's
        # check fails once its server is rebuilt.
        occ_id = self.change(ready_timeout=3)
        occ = self.wait_op(occ_id, 'FAILED_TEMP', CHANGE_TIMEOUT)
        self.assertIn('update_VDU1', occ['error']['detail'])
        self.assertIn('CoordinateNewVnf', occ['error']['detail'])
        self.assertIn('image-v2', occ['error']['detail'])
        self.assertNotIn(self.password, str(occ))
        self.assertEqual(['image-v1', 'image-v2'],
                         sorted(self.running().values()))
        first = [sid for sid, img in self.running().items()
                 if img == 'image-v2']
        self.assertEqual(1, len(first))
        self.assertGreater(self.logins(self.vnfc_hosts[first[0]]), 0)
        [second] = [h for sid, h in self.vnfc_hosts.items()
                    if sid not in first]
        self.assertEqual(0, self.logins(second))

        self.op_action(occ_id, 'rollback')
        self.wait_op(occ_id, 'ROLLED_BACK', CHANGE_TIMEOUT)
        self.assertEqual({'image-v1'}, set(self.running().values()))
        self.assertEqual(self.inst, self.show(self.inst['id']))
        # The scripts' rollback ran for the VNFC they were called for (the
        # first), not for the one never reached; the samples have nothing
        # to undo in a Rolling update and say so.
        for cls in ('CoordinateOldVnf', 'CoordinateNewVnf'):
            self.assertEqual(1, self.conductor_log().count(
                '%s.rollback starting' % cls), cls)
        self.assertIn('nothing of the load balancer to undo',
                      self.conductor_log())

        # Now the software follows: every VNFC is checked after its own
        # update, and the load balancer keeps serving both.
        self.software.following.set()
        occ_id = self.change(ready_timeout=60)
        occ = self.wait_op(occ_id, 'COMPLETED', CHANGE_TIMEOUT)
        self.assertIsNone(self.software.error)
        self.assertEqual({'image-v2'}, set(self.running().values()))
        for host in self.vnfc_hosts.values():
            self.assertGreater(self.logins(host), 0, host.address)
            self.assertEqual(answer('image-v2'), self.hosts.http_get(
                host.address)[1].strip())
        self.assertEqual(sorted(h.address for h in self.vnfc_hosts.values()),
                         sorted(self.hosts.backends()))
        inst = self.show(self.inst['id'])
        self.assertEqual(self.v2['vnfdId'], inst['vnfdId'])
        self.assertEqual(sorted(self.vnfc_hosts), sorted(
            v['computeResource']['resourceId']
            for v in self.vdu1_vnfcs(inst)))
