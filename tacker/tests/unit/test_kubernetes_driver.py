"""Pieces of the Kubernetes infra driver, against the simulator.

The flows themselves are driven end to end by the functional tests; here
the record read again after a rollback and the undo of a delete that the
cluster is still carrying out.
"""
import os
import uuid

from kubernetes import client

from tacker.sol_refactored.infra_drivers.kubernetes import lifecycle
from tacker.sol_refactored.infra_drivers.kubernetes import manifests
from tacker.sol_refactored.infra_drivers.kubernetes import vim as k8s_vim
from tacker.sol_refactored.infra_drivers.kubernetes import vnfc
from tacker.tests.k8s_simulator import testcase

V1 = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__))))),
    'samples', 'vnf_packages', 'kubernetes', 'v1')
FILES = ['Files/kubernetes/configmap.yaml', 'Files/kubernetes/service.yaml',
         'Files/kubernetes/deployment.yaml']
SUMMARY = {'flavours': {'simple': {'vdus': {'VDU1': {'name': 'nginx'}}}}}
NS = 'default'


class _ClusterCase(testcase.SimulatorTestCase):
    sim_kwargs = {'pod_ready_delay': 0.02, 'pod_terminate_delay': 0.02}

    def setUp(self):
        super().setUp()
        self.vim = k8s_vim.KubernetesVim({
            'interfaceInfo': {'endpoint': self.fx.base_url},
            'accessInfo': {'bearer_token': self.fx.token}})
        self.addCleanup(self.vim.close)
        objs = manifests.load(V1, FILES)
        self.refs = lifecycle.apply_all(self.vim, NS, objs)
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
