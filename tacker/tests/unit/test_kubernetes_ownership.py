"""The label naming the VNF instance an object belongs to."""
import testtools

from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.infra_drivers.kubernetes import lifecycle
from tacker.sol_refactored.infra_drivers.kubernetes import manifests
from tacker.sol_refactored.infra_drivers.kubernetes import ownership
from tacker.tests.unit import test_kubernetes_driver as base

LABEL = ownership.LABEL
NS = base.NS


def _deployment():
    return {'kind': 'Deployment', 'metadata': {'name': 'web'},
            'spec': {'selector': {'matchLabels': {'app': 'web'}},
                     'template': {'metadata': {'labels': {'app': 'web'}}}}}


class TestLabel(testtools.TestCase):
    def test_object_and_pod_template_labelled_selector_untouched(self):
        given = _deployment()
        body = ownership.stamped(given, 'inst-1')
        self.assertEqual('inst-1', body['metadata']['labels'][LABEL])
        self.assertEqual({'app': 'web', LABEL: 'inst-1'},
                         body['spec']['template']['metadata']['labels'])
        self.assertEqual({'app': 'web'},
                         body['spec']['selector']['matchLabels'])
        # The manifest as loaded is left as it was.
        self.assertEqual(_deployment(), given)

    def test_other_kinds_get_the_label_only(self):
        body = ownership.stamped({'kind': 'ConfigMap',
                                  'metadata': {'name': 'c'}, 'data': {}},
                                 'inst-1')
        self.assertEqual({LABEL: 'inst-1'}, body['metadata']['labels'])
        self.assertNotIn('spec', body)

    def test_refusal_is_409_naming_objects_and_owners(self):
        theirs = ownership.stamped(_deployment(), 'inst-2')
        nobody = {'kind': 'ConfigMap', 'metadata': {'name': 'c'}}
        e = ownership.refusal([('Deployment', 'web', theirs),
                               ('ConfigMap', 'c', nobody)], 'ns1')
        self.assertIsInstance(e, sol_ex.Conflict)
        self.assertEqual(409, e.problem_details()['status'])
        self.assertIn('Deployment web (owned by VNF instance inst-2)',
                      e.detail)
        self.assertIn('ConfigMap c (owned by no VNF instance', e.detail)
        self.assertIn('ns1', e.detail)


class TestOnCluster(base._ClusterCase):
    def test_objects_and_pods_carry_the_label(self):
        dep = self.apps.read_namespaced_deployment('nginx', NS)
        self.assertEqual(base.OWNER, dep.metadata.labels[LABEL])
        self.assertNotIn(LABEL, dep.spec.selector.match_labels)
        pods = self.core.list_namespaced_pod(
            NS, label_selector='%s=%s' % (LABEL, base.OWNER)).items
        self.assertEqual(2, len(pods))

    def test_another_instance_is_refused_and_changes_nothing(self):
        objs = manifests.load(base.V1, base.FILES)
        before = self.apps.read_namespaced_deployment('nginx', NS)
        e = self.assertRaises(ownership.OwnedElsewhere,
                              manifests.check_free, self.vim, NS, objs,
                              'inst-2')
        self.assertIn('Deployment nginx (owned by VNF instance %s)' %
                      base.OWNER, e.detail)
        self.assertRaises(ownership.OwnedElsewhere, manifests.apply,
                          self.vim, NS, objs[-1], 'inst-2')
        after = self.apps.read_namespaced_deployment('nginx', NS)
        self.assertEqual(before.metadata.resource_version,
                         after.metadata.resource_version)

    def test_delete_leaves_what_is_not_ours(self):
        lifecycle.delete_all(self.vim, NS, self.refs, 'inst-2')
        self.assertIsNotNone(manifests.read(self.vim, NS, 'Deployment',
                                            'nginx'))
        self.assertEqual(2, len(self.live()))
        lifecycle.delete_all(self.vim, NS, self.refs, base.OWNER)
        self.assertIsNone(manifests.read(self.vim, NS, 'Deployment',
                                         'nginx'))
        self.assertEqual([], self.live())
