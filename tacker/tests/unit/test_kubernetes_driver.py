"""Pieces of the Kubernetes infra driver, against the simulator.

The flows themselves are driven end to end by the functional tests; here
the record read again after a rollback, the record of a change given up
with ``fail`` (no VIM there) and deletes of objects that are gone already.
"""
import os
import uuid

from kubernetes import client
import testtools

from tacker.sol_refactored.infra_drivers.kubernetes import driver
from tacker.sol_refactored.infra_drivers.kubernetes import lifecycle
from tacker.sol_refactored.infra_drivers.kubernetes import manifests
from tacker.sol_refactored.infra_drivers.kubernetes import vim as k8s_vim
from tacker.sol_refactored.infra_drivers.kubernetes import vnfc
from tacker.sol_refactored.lcm import change_vnfpkg
from tacker.sol_refactored import objects
from tacker.tests.k8s_simulator import testcase

V1 = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__))))),
    'samples', 'vnf_packages', 'kubernetes', 'v1')
FILES = ['Files/kubernetes/configmap.yaml', 'Files/kubernetes/service.yaml',
         'Files/kubernetes/deployment.yaml']
SUMMARY = {'flavours': {'simple': {'vdus': {'VDU1': {'name': 'nginx'}}}}}
NS = 'default'
OWNER = 'vnf-instance-1'


def _recorded(resources):
    return objects.InstantiatedVnfInfo(
        flavourId='simple', vnfState='STARTED', vnfcResourceInfo=[],
        metadata={'namespace': NS, 'lcm-kubernetes-def-files': FILES,
                  'resources': resources})


class TestFailedInfo(testtools.TestCase):
    """What ``fail`` adds to the record: from the step state alone."""

    OLD = [{'kind': 'ConfigMap', 'name': 'nginx-config-v1'},
           {'kind': 'Service', 'name': 'nginx'},
           {'kind': 'Deployment', 'name': 'nginx'}]

    def setUp(self):
        super().setUp()
        self.driver = driver.KubernetesDriver()

    def test_blue_green_adds_the_new_objects(self):
        info = _recorded(self.OLD)
        state = {'upgradeType': change_vnfpkg.BLUE_GREEN, 'newApplied': [
            {'kind': 'ConfigMap', 'name': 'nginx-config-v2'},
            {'kind': 'Deployment', 'name': 'nginx-v2'}]}
        new = self.driver.change_vnfpkg_failed_info(state, info)
        self.assertEqual(
            [('ConfigMap', 'nginx-config-v1'),
             ('ConfigMap', 'nginx-config-v2'), ('Service', 'nginx'),
             ('Deployment', 'nginx'), ('Deployment', 'nginx-v2')],
            [(r['kind'], r['name']) for r in new.metadata['resources']])
        # The rest of the record and the record given are untouched.
        self.assertEqual(NS, new.metadata['namespace'])
        self.assertEqual(FILES, new.metadata['lcm-kubernetes-def-files'])
        self.assertEqual(3, len(info.metadata['resources']))

    def test_rolling_adds_what_it_applied_once(self):
        state = {'upgradeType': change_vnfpkg.ROLLING_UPDATE, 'applied': [
            {'kind': 'ConfigMap', 'name': 'nginx-config-v2'},
            {'kind': 'Service', 'name': 'nginx'},
            {'kind': 'Deployment', 'name': 'nginx'}]}
        new = self.driver.change_vnfpkg_failed_info(state,
                                                    _recorded(self.OLD))
        self.assertEqual(
            ['nginx-config-v1', 'nginx-config-v2', 'nginx', 'nginx'],
            [r['name'] for r in new.metadata['resources']])

    def test_nothing_applied_or_nothing_new_is_none(self):
        for state in ({'upgradeType': change_vnfpkg.BLUE_GREEN},
                      {'upgradeType': change_vnfpkg.ROLLING_UPDATE},
                      {'upgradeType': change_vnfpkg.ROLLING_UPDATE,
                       'applied': [{'kind': 'Deployment',
                                    'name': 'nginx'}]}):
            self.assertIsNone(self.driver.change_vnfpkg_failed_info(
                state, _recorded(self.OLD)))


class _ClusterCase(testcase.SimulatorTestCase):
    sim_kwargs = {'pod_ready_delay': 0.02, 'pod_terminate_delay': 0.02}

    def setUp(self):
        super().setUp()
        self.vim = k8s_vim.KubernetesVim(self.fx.vim_info())
        self.addCleanup(self.vim.close)
        objs = manifests.load(V1, FILES)
        self.refs = lifecycle.apply_all(self.vim, NS, objs, OWNER)
        lifecycle.wait_workloads(self.vim, NS, self.refs)

    def live(self):
        return sorted(p.metadata.name for p in self.core.list_namespaced_pod(
            NS, label_selector='app=nginx,version=v1').items
            if not p.metadata.deletion_timestamp)


class TestInfoAsNow(_ClusterCase):
    def test_surviving_pods_keep_their_vnfc_new_ones_get_one(self):
        vnfd_id = str(uuid.uuid4())
        before = vnfc.build_info(self.vim, NS, 'simple', vnfd_id, SUMMARY,
                                 self.refs, FILES)
        ids = {v.computeResource.resourceId: v.id
               for v in before.vnfcResourceInfo}
        self.assertEqual(self.live(), sorted(ids))
        gone, kept = sorted(ids)
        self.core.delete_namespaced_pod(gone, NS)
        self.wait_for(lambda: len(self.live()) == 2 and
                      gone not in self.live(), what='a replacement Pod')

        after = vnfc.info_as_now(self.vim, before, vnfd_id, SUMMARY)
        by_pod = {v.computeResource.resourceId: v
                  for v in after.vnfcResourceInfo}
        self.assertEqual(self.live(), sorted(by_pod))
        self.assertEqual(ids[kept], by_pod[kept].id)
        [new_pod] = set(by_pod) - {kept}
        self.assertNotIn(by_pod[new_pod].id, ids.values())
        for v in after.vnfcResourceInfo:
            self.assertEqual('VDU1', v.vduId)
            self.assertEqual(vnfd_id, v.vnfdId)
        self.assertEqual(before.metadata, after.metadata)
        self.assertEqual(sorted(v.vnfcCpInfo[0].id
                                for v in after.vnfcResourceInfo),
                         sorted(after.vipCpInfo[0]['associatedVnfcCpIds']))

    def test_unchanged_cluster_gives_the_same_record(self):
        before = vnfc.build_info(self.vim, NS, 'simple', 'vnfd-1', SUMMARY,
                                 self.refs, FILES)
        after = vnfc.info_as_now(self.vim, before, 'vnfd-1', SUMMARY)
        self.assertEqual(before.to_dict(), after.to_dict())


class TestDeleteWhatIsGone(_ClusterCase):
    def test_objects_deleted_already_are_fine(self):
        # A record that names more than the cluster holds (a given-up
        # change's objects, deleted by hand ...): terminate still ends.
        self.apps.delete_namespaced_deployment(
            'nginx', NS, body=client.V1DeleteOptions(
                propagation_policy='Foreground'))
        self.wait_for(lambda: not self.live(), what='the Pods gone')
        refs = self.refs + [{'kind': 'Deployment', 'name': 'nginx-v2'},
                            {'kind': 'ConfigMap', 'name': 'nginx-config-v2'}]
        lifecycle.delete_all(self.vim, NS, refs, OWNER)
        self.assertEqual([], [c.metadata.name for c in
                              self.core.list_namespaced_config_map(NS).items
                              if c.metadata.name.startswith('nginx')])
        self.assertEqual([], self.apps.list_namespaced_deployment(NS).items)


class TestUndoAfterDelete(_ClusterCase):
    # Pods that take a while to terminate, as on a cluster.
    sim_kwargs = {'pod_ready_delay': 0.02, 'pod_terminate_delay': 0.5}

    def test_waits_for_a_deletion_under_way(self):
        # Foreground deletion: the Deployment stays until its Pods are
        # gone; re-creating it meanwhile would lose it.
        self.apps.delete_namespaced_deployment(
            'nginx', NS, body=client.V1DeleteOptions(
                propagation_policy='Foreground'))
        self.assertIsNotNone(self.apps.read_namespaced_deployment(
            'nginx', NS).metadata.deletion_timestamp)
        lifecycle.wait_deleting_gone(self.vim, NS, self.refs)
        self.assertIsNone(manifests.read(self.vim, NS, 'Deployment',
                                         'nginx'))
