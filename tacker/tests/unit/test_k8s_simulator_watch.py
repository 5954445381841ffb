"""Watch through kubernetes.watch.Watch: resume from a resourceVersion,
410 for a forgotten one, selectors and timeouts."""
from kubernetes import client
from kubernetes import watch

from tacker.tests.k8s_simulator import testcase as h


def cm(name, **labels):
    return {'metadata': {'name': name, 'labels': labels},
            'data': {'v': '1'}}


class TestWatch(h.SimulatorTestCase):

    def collect(self, **kwargs):
        w = watch.Watch()
        return [(e['type'], e['object'].metadata.name)
                for e in w.stream(self.core.list_namespaced_config_map,
                                  self.ns, timeout_seconds=1, **kwargs)]

    def test_watch_from_resource_version_gets_exactly_later_events(self):
        self.core.create_namespaced_config_map(self.ns, cm('before'))
        rv = self.core.list_namespaced_config_map(
            self.ns).metadata.resource_version
        self.core.create_namespaced_config_map(self.ns, cm('a'))
        self.core.patch_namespaced_config_map('a', self.ns,
                                              {'data': {'v': '2'}})
        self.core.delete_namespaced_config_map('a', self.ns)
        self.core.create_namespaced_service(
            self.ns, {'metadata': {'name': 'other-kind'},
                      'spec': {'ports': [{'port': 1}]}})
        self.assertEqual(
            [('ADDED', 'a'), ('MODIFIED', 'a'), ('DELETED', 'a')],
            self.collect(resource_version=rv))

    def test_watch_without_resource_version_starts_with_state(self):
        self.core.create_namespaced_config_map(self.ns, cm('x'))
        # kube-root-ca.crt is in every namespace, as on a cluster.
        self.assertEqual([('ADDED', 'kube-root-ca.crt'), ('ADDED', 'x')],
                         self.collect())

    def test_events_carry_increasing_resource_versions(self):
        rv = self.core.list_namespaced_config_map(
            self.ns).metadata.resource_version
        for name in ('p', 'q'):
            self.core.create_namespaced_config_map(self.ns, cm(name))
        w = watch.Watch()
        versions = [int(e['object'].metadata.resource_version)
                    for e in w.stream(self.core.list_namespaced_config_map,
                                      self.ns, resource_version=rv,
                                      timeout_seconds=1)]
        self.assertEqual(2, len(versions))
        self.assertLess(int(rv), versions[0])
        self.assertLess(versions[0], versions[1])

    def test_expired_resource_version_is_410(self):
        self.core.create_namespaced_config_map(self.ns, cm('old'))
        rv = self.core.list_namespaced_config_map(
            self.ns).metadata.resource_version
        self.core.create_namespaced_config_map(self.ns, cm('new'))
        self.sim.compact()
        w = watch.Watch()
        exc = self.assertRaises(
            client.ApiException, list,
            w.stream(self.core.list_namespaced_config_map, self.ns,
                     resource_version=rv, timeout_seconds=1))
        self.assertEqual(410, exc.status)
        self.assertIn('Expired: too old resource version', exc.reason)

    def test_label_selector_watch_sees_objects_leave_and_enter(self):
        self.core.create_namespaced_config_map(self.ns, cm('s', app='x'))
        rv = self.core.list_namespaced_config_map(
            self.ns).metadata.resource_version
        self.core.patch_namespaced_config_map(
            's', self.ns, {'metadata': {'labels': {'app': 'y'}}})
        self.core.patch_namespaced_config_map(
            's', self.ns, {'metadata': {'labels': {'app': 'x'}}})
        self.core.create_namespaced_config_map(self.ns, cm('t', app='y'))
        self.assertEqual([('DELETED', 's'), ('ADDED', 's')],
                         self.collect(resource_version=rv,
                                      label_selector='app=x'))

    def test_watch_stream_delivers_live_events(self):
        w = watch.Watch()
        rv = self.core.list_namespaced_config_map(
            self.ns).metadata.resource_version
        stream = w.stream(self.core.list_namespaced_config_map, self.ns,
                          resource_version=rv, timeout_seconds=10)
        self.core.create_namespaced_config_map(self.ns, cm('live'))
        event = next(stream)
        w.stop()
        self.assertEqual(('ADDED', 'live'),
                         (event['type'], event['object'].metadata.name))


class TestWatchHistory(h.SimulatorTestCase):

    sim_kwargs = {'history': 20}

    def test_history_limit_expires_old_versions(self):
        rv = self.core.list_namespaced_config_map(
            self.ns).metadata.resource_version
        self.core.create_namespaced_config_map(self.ns, cm('c0'))
        for i in range(20):
            self.core.patch_namespaced_config_map(
                'c0', self.ns, {'data': {'v': str(i)}})
        code, body = self.raw(
            'GET', '/api/v1/namespaces/default/configmaps?watch=true&'
            'timeoutSeconds=1&resourceVersion=' + rv, None)
        self.assertEqual(200, code)
        self.assertEqual('ERROR', body['type'])
        self.assertEqual({'kind': 'Status', 'apiVersion': 'v1',
                          'metadata': {}, 'status': 'Failure',
                          'reason': 'Expired', 'code': 410},
                         {k: v for k, v in body['object'].items()
                          if k != 'message'})
