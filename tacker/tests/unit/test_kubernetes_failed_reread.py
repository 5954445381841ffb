"""fail of a Kubernetes change_vnfpkg when the cluster does not answer.

The record still names every object the change applied (from the step
record, for terminate) and says why its Pods were not read again; fail
is not held up. A real socket that never answers, no client mocked.
"""
import socket

from tacker.sol_refactored.api import context as sol_context
from tacker.sol_refactored.infra_drivers.kubernetes import change_failed
from tacker.sol_refactored.infra_drivers.kubernetes import driver
from tacker.sol_refactored.lcm import change_vnfpkg
from tacker.sol_refactored import objects
from tacker.tests import base

TOKEN = 'k8s-bearer-t0ken-42'


class TestFailedReread(base.TestCase):

    def test_silent_cluster_keeps_the_objects_with_a_note(self):
        listener = socket.socket()
        self.addCleanup(listener.close)
        listener.bind(('127.0.0.1', 0))
        listener.listen(8)
        inst = objects.VnfInstance(
            id='inst-1', vnfdId='vnfd-old',
            vimConnectionInfo={'vim1': {
                'vimType': 'ETSINFV.KUBERNETES.V_1',
                'interfaceInfo': {'endpoint': 'http://127.0.0.1:%d' %
                                  listener.getsockname()[1]},
                'accessInfo': {'bearer_token': TOKEN}}},
            instantiatedVnfInfo=objects.InstantiatedVnfInfo(
                flavourId='simple', vnfState='STARTED',
                metadata={'namespace': 'ns1', 'resources': [
                    {'kind': 'Deployment', 'name': 'nginx'}]}))
        lcmocc = objects.VnfLcmOpOcc(
            id='occ-1', operation='CHANGE_VNFPKG',
            operationParams={'vnfdId': 'vnfd-new', 'additionalParams': {
                'upgrade_type': 'BlueGreen'}})
        state = {'upgradeType': 'BlueGreen', 'newApplied': [
            {'kind': 'Deployment', 'name': 'nginx-v2'}]}
        work = change_vnfpkg.GivenUp(sol_context.Context.admin(), lcmocc,
                                     inst,
                                     change_vnfpkg.ChangeVnfPkgOperation(),
                                     state)
        info = change_failed.failed_info(driver.KubernetesDriver(), work,
                                         timeout=0.5)
        meta = info.metadata
        self.assertEqual(['nginx', 'nginx-v2'],
                         sorted(r['name'] for r in meta['resources']))
        self.assertIn('did not answer within 0.5s',
                      meta['notReReadAfterFail'])
        self.assertNotIn(TOKEN, meta['notReReadAfterFail'])
        # The recorded instance itself is left as it was.
        self.assertEqual(['nginx'], [r['name'] for r in
                                     inst.instantiatedVnfInfo.metadata[
                                         'resources']])
