"""The VNFC count of a VDU as its workload's replicas."""
import testtools

from tacker.sol_refactored.infra_drivers.kubernetes import replicas


def _workload(kind, name, count=None):
    obj = {'kind': kind, 'metadata': {'name': name}, 'spec': {}}
    if count is not None:
        obj['spec']['replicas'] = count
    return obj


class TestApplyCounts(testtools.TestCase):
    def test_level_count_for_its_vdu_only(self):
        objs = [_workload('Deployment', 'web', 2),
                _workload('Deployment', 'db', 1),
                {'kind': 'Service', 'metadata': {'name': 'web'}}]
        replicas.apply_counts(objs, {'web': 'VDU1', 'db': 'VDU2'},
                              {'VDU1': 3})
        self.assertEqual([3, 1], [o['spec']['replicas'] for o in objs[:2]])
        self.assertNotIn('spec', objs[2])

    def test_daemonset_with_a_count_is_refused(self):
        objs = [_workload('DaemonSet', 'agent')]
        e = self.assertRaises(ValueError, replicas.apply_counts, objs,
                              {'agent': 'VDU3'}, {'VDU3': 2})
        self.assertIn('VDU3 is a DaemonSet', str(e))


class TestOfWorkloads(testtools.TestCase):
    def test_replicas_by_name_without_daemonsets(self):
        self.assertEqual(
            {'web': 3, 'db': 1, 'zero': 0},
            replicas.of_workloads([
                _workload('Deployment', 'web', 3),
                # The API's default when a manifest leaves it out.
                _workload('StatefulSet', 'db'),
                _workload('Deployment', 'zero', 0),
                _workload('DaemonSet', 'agent')]))


class TestPerVdu(testtools.TestCase):
    def test_workloads_of_one_vdu_add_up_unknown_left_out(self):
        self.assertEqual(
            {'VDU1': 5, 'VDU2': 1},
            replicas.per_vdu({'web': 3, 'web-old': 2, 'db': 1, 'x': 4},
                             {'web': 'VDU1', 'web-old': 'VDU1',
                              'db': 'VDU2'}))

    def test_nothing(self):
        self.assertEqual({}, replicas.per_vdu({}, {'web': 'VDU1'}))


class TestKeepCounts(testtools.TestCase):
    def test_by_vdu_through_the_new_names(self):
        objs = [_workload('Deployment', 'web-v2', 1),
                _workload('StatefulSet', 'db-v2'),
                _workload('Deployment', 'cache-v2', 2)]
        replicas.keep_counts(objs, {'VDU1': 3, 'VDU2': 2},
                             {'web-v2': 'VDU1', 'db-v2': 'VDU2',
                              'cache-v2': 'VDU9'})
        self.assertEqual([3, 2, 2],
                         [o['spec']['replicas'] for o in objs])

    def test_by_name(self):
        objs = [_workload('Deployment', 'web', 1),
                _workload('Deployment', 'other', 2)]
        replicas.keep_counts(objs, {'web': 4})
        self.assertEqual([4, 2], [o['spec']['replicas'] for o in objs])

    def test_daemonset_left_as_its_manifest_says(self):
        objs = [_workload('DaemonSet', 'agent')]
        replicas.keep_counts(objs, {'VDU3': 2}, {'agent': 'VDU3'})
        self.assertNotIn('replicas', objs[0]['spec'])
        replicas.keep_counts(objs, {'agent': 2})
        self.assertNotIn('replicas', objs[0]['spec'])

    def test_workload_without_spec(self):
        objs = [{'kind': 'Deployment', 'metadata': {'name': 'web'}}]
        replicas.keep_counts(objs, {'web': 3})
        self.assertEqual(3, objs[0]['spec']['replicas'])
