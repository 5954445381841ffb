"""Deployments behave as on a cluster: ReplicaSets per template, Pods,
rolling updates within maxSurge/maxUnavailable, Recreate, cascading
delete and Pods that never become ready."""
import re
import threading

from kubernetes import client
from kubernetes import watch

from tacker.tests.k8s_simulator import testcase as h


def owner(obj):
    refs = obj.metadata.owner_references
    assert len(refs) == 1
    return refs[0]


class TestDeployment(h.SimulatorTestCase):

    sim_kwargs = {'pod_ready_delay': 0.05, 'pod_terminate_delay': 0.05}

    def replica_sets(self, app):
        return {rs.metadata.name: rs for rs in
                self.apps.list_namespaced_replica_set(
                    self.ns, label_selector='app=' + app).items}

    def test_names_owners_and_labels(self):
        d = self.apps.create_namespaced_deployment(self.ns,
                                                   h.deployment('web'))
        d = self.wait_rolled_out('web', 3)
        [rs] = self.replica_sets('web').values()
        digest = rs.metadata.labels['pod-template-hash']
        self.assertEqual('web-' + digest, rs.metadata.name)
        ref = owner(rs)
        self.assertEqual(('apps/v1', 'Deployment', 'web', d.metadata.uid,
                          True, True),
                         (ref.api_version, ref.kind, ref.name, ref.uid,
                          ref.controller, ref.block_owner_deletion))
        self.assertEqual(digest,
                         rs.spec.selector.match_labels['pod-template-hash'])
        self.assertEqual(3, rs.status.ready_replicas)
        pods = self.pods('app=web')
        self.assertEqual(3, len(pods))
        for pod in pods:
            self.assertRegex(pod.metadata.name,
                             '^%s-[a-z0-9]{5}$' % re.escape(
                                 rs.metadata.name))
            ref = owner(pod)
            self.assertEqual(('ReplicaSet', rs.metadata.name,
                              rs.metadata.uid),
                             (ref.kind, ref.name, ref.uid))
            self.assertEqual({'app': 'web', 'pod-template-hash': digest},
                             pod.metadata.labels)
            self.assertEqual('Running', pod.status.phase)
            ready = {c.type: c.status for c in pod.status.conditions}
            self.assertEqual('True', ready['Ready'])
            self.assertTrue(pod.status.container_statuses[0].ready)
            self.assertTrue(pod.status.pod_ip)
        self.assertEqual('1', d.metadata.annotations[
            'deployment.kubernetes.io/revision'])

    def test_pods_start_pending(self):
        w = watch.Watch()
        rv = self.core.list_namespaced_pod(
            self.ns).metadata.resource_version
        self.apps.create_namespaced_deployment(
            self.ns, h.deployment('slow', replicas=1))
        phases = []
        for event in w.stream(self.core.list_namespaced_pod, self.ns,
                              resource_version=rv, timeout_seconds=10):
            phases.append(event['object'].status.phase)
            if phases[-1] == 'Running':
                w.stop()
        self.assertEqual('Pending', phases[0])
        self.assertEqual('Running', phases[-1])

    def test_rolling_update_and_back(self):
        self.apps.create_namespaced_deployment(self.ns, h.deployment('web'))
        self.wait_rolled_out('web', 3)
        [first] = self.replica_sets('web')
        self.apps.patch_namespaced_deployment('web', self.ns, {
            'spec': {'template': {'spec': {'containers': [
                {'name': 'app', 'image': 'nginx:1.26'}]}}}})
        d = self.wait_rolled_out('web', 3)
        sets = self.replica_sets('web')
        self.assertEqual(2, len(sets))
        [second] = set(sets) - {first}
        self.assertEqual(0, sets[first].spec.replicas)
        self.assertEqual(3, sets[second].spec.replicas)
        s = d.status
        self.assertEqual((2, 3, 3, 3, 3, None),
                         (s.observed_generation, s.replicas,
                          s.updated_replicas, s.ready_replicas,
                          s.available_replicas, s.unavailable_replicas))
        conditions = {c.type: c for c in s.conditions}
        self.assertEqual('True', conditions['Available'].status)
        self.assertEqual('MinimumReplicasAvailable',
                         conditions['Available'].reason)
        self.assertEqual('ReplicaSet "%s" has successfully progressed.'
                         % second, conditions['Progressing'].message)
        self.assertEqual('2', d.metadata.annotations[
            'deployment.kubernetes.io/revision'])
        images = {p.spec.containers[0].image for p in self.pods('app=web')
                  if p.metadata.deletion_timestamp is None}
        self.assertEqual({'nginx:1.26'}, images)

        self.apps.patch_namespaced_deployment('web', self.ns, {
            'spec': {'template': {'spec': {'containers': [
                {'name': 'app', 'image': 'nginx:1.25'}]}}}})
        d = self.wait_rolled_out('web', 3)
        sets = self.replica_sets('web')
        self.assertEqual({first, second}, set(sets))
        self.assertEqual(3, sets[first].spec.replicas)
        self.assertEqual(0, sets[second].spec.replicas)
        self.assertEqual('3', sets[first].metadata.annotations[
            'deployment.kubernetes.io/revision'])
        self.assertIn(first, {c.message for c in d.status.conditions
                              if c.type == 'Progressing'}.pop())

    def _observe_rollout(self, name, replicas, rolling):
        """Roll out a new image, recording Pod counts at every event."""
        self.apps.create_namespaced_deployment(
            self.ns, h.deployment(name, replicas=replicas, strategy={
                'type': 'RollingUpdate', 'rollingUpdate': rolling}))
        self.wait_rolled_out(name, replicas)
        pods = {p.metadata.name: p for p in self.pods('app=' + name)}
        rv = self.core.list_namespaced_pod(
            self.ns).metadata.resource_version
        samples = []
        done = threading.Event()

        def observe():
            w = watch.Watch()
            for event in w.stream(self.core.list_namespaced_pod, self.ns,
                                  label_selector='app=' + name,
                                  resource_version=rv, timeout_seconds=30):
                pod = event['object']
                if event['type'] == 'DELETED':
                    pods.pop(pod.metadata.name, None)
                else:
                    pods[pod.metadata.name] = pod
                live = [p for p in pods.values()
                        if p.metadata.deletion_timestamp is None]
                ready = [p for p in live if any(
                    c.type == 'Ready' and c.status == 'True'
                    for c in p.status.conditions or [])]
                new = [p for p in ready
                       if p.spec.containers[0].image == 'new:2']
                samples.append((len(live), len(ready)))
                if len(new) == replicas and len(live) == replicas:
                    w.stop()
            done.set()

        thread = threading.Thread(target=observe)
        thread.start()
        self.apps.patch_namespaced_deployment(name, self.ns, {
            'spec': {'template': {'spec': {'containers': [
                {'name': 'app', 'image': 'new:2'}]}}}})
        thread.join(40)
        self.assertTrue(done.is_set())
        self.wait_rolled_out(name, replicas)
        return samples

    def test_rollout_respects_max_surge_and_max_unavailable(self):
        samples = self._observe_rollout(
            'surge', 4, {'maxSurge': 1, 'maxUnavailable': 1})
        self.assertGreater(len(samples), 4)
        self.assertLessEqual(max(live for live, _ in samples), 5)
        self.assertGreaterEqual(min(ready for _, ready in samples), 3)
        self.assertEqual(5, max(live for live, _ in samples))

    def test_rollout_percentages_and_no_unavailability(self):
        # 25% of 4 rounds up to 1 extra Pod; 0 unavailable allowed.
        samples = self._observe_rollout(
            'pct', 4, {'maxSurge': '25%', 'maxUnavailable': 0})
        self.assertLessEqual(max(live for live, _ in samples), 5)
        self.assertGreaterEqual(min(ready for _, ready in samples), 4)

    def test_recreate(self):
        self.apps.create_namespaced_deployment(
            self.ns, h.deployment('rec', replicas=2,
                                  strategy={'type': 'Recreate'}))
        self.wait_rolled_out('rec', 2)
        rv = self.core.list_namespaced_pod(
            self.ns).metadata.resource_version
        self.apps.patch_namespaced_deployment('rec', self.ns, {
            'spec': {'template': {'spec': {'containers': [
                {'name': 'app', 'image': 'new:2'}]}}}})
        self.wait_rolled_out('rec', 2)
        w = watch.Watch()
        events = [(e['type'], e['object'].spec.containers[0].image)
                  for e in w.stream(self.core.list_namespaced_pod, self.ns,
                                    resource_version=rv, timeout_seconds=1)]
        first_new = events.index(('ADDED', 'new:2'))
        old_deleted = [i for i, e in enumerate(events)
                       if e == ('DELETED', 'nginx:1.25')]
        self.assertEqual(2, len(old_deleted))
        self.assertLess(max(old_deleted), first_new)

    def test_scale(self):
        self.apps.create_namespaced_deployment(self.ns,
                                               h.deployment('sc', 2))
        self.wait_rolled_out('sc', 2)
        self.apps.patch_namespaced_deployment_scale(
            'sc', self.ns, {'spec': {'replicas': 4}})
        self.wait_rolled_out('sc', 4)
        self.assertEqual(1, len(self.replica_sets('sc')))
        self.apps.patch_namespaced_deployment_scale(
            'sc', self.ns, {'spec': {'replicas': 1}})
        self.wait_rolled_out('sc', 1)
        self.wait_for(lambda: len(self.pods('app=sc')) == 1,
                      what='terminated pods to go')

    def _assert_all_gone(self, app):
        self.wait_for(lambda: not self.pods('app=' + app),
                      what='pods to be deleted')
        self.assertEqual({}, self.replica_sets(app))

    def test_background_delete_cascades(self):
        self.apps.create_namespaced_deployment(self.ns, h.deployment('bg'))
        self.wait_rolled_out('bg', 3)
        rv = self.core.list_namespaced_pod(
            self.ns).metadata.resource_version
        self.apps.delete_namespaced_deployment(
            'bg', self.ns, propagation_policy='Background')
        exc = self.assertRaises(client.ApiException,
                                self.apps.read_namespaced_deployment,
                                'bg', self.ns)
        self.assertEqual(404, exc.status)
        self._assert_all_gone('bg')
        w = watch.Watch()
        events = [(e['type'], e['object'].metadata.deletion_timestamp
                   is not None)
                  for e in w.stream(self.core.list_namespaced_pod, self.ns,
                                    resource_version=rv, timeout_seconds=1)]
        # Each Pod went through terminating before it disappeared.
        self.assertEqual(3, events.count(('DELETED', True)))
        self.assertIn(('MODIFIED', True), events)

    def test_foreground_delete_cascades(self):
        self.apps.create_namespaced_deployment(self.ns, h.deployment('fg'))
        self.wait_rolled_out('fg', 3)
        d = self.apps.delete_namespaced_deployment(
            'fg', self.ns, propagation_policy='Foreground')
        self.assertIsNotNone(d)

        def deployment_gone():
            try:
                self.apps.read_namespaced_deployment('fg', self.ns)
            except client.ApiException as exc:
                return exc.status == 404
        self.wait_for(deployment_gone, what='deployment removal')
        self._assert_all_gone('fg')

    def test_never_ready_image(self):
        self.apps.create_namespaced_deployment(
            self.ns, h.deployment('bad', replicas=2,
                                  image='example/never-ready:1',
                                  progressDeadlineSeconds=1))

        def timed_out(d):
            return any(c.type == 'Progressing'
                       and c.reason == 'ProgressDeadlineExceeded'
                       for c in d.status.conditions or [])
        d = self.watch_deployment('bad', timed_out)
        s = d.status
        self.assertEqual((2, 2, None, None, 2),
                         (s.replicas, s.updated_replicas, s.ready_replicas,
                          s.available_replicas, s.unavailable_replicas))
        conditions = {c.type: c for c in s.conditions}
        self.assertEqual(('False', 'MinimumReplicasUnavailable'),
                         (conditions['Available'].status,
                          conditions['Available'].reason))
        self.assertEqual('False', conditions['Progressing'].status)
        for pod in self.pods('app=bad'):
            self.assertEqual('Running', pod.status.phase)
            self.assertFalse(pod.status.container_statuses[0].ready)

    def test_update_to_never_ready_image_keeps_old_pods(self):
        self.sim.set_image_behaviour('broken', 'crash')
        self.apps.create_namespaced_deployment(self.ns, h.deployment('ru'))
        self.wait_rolled_out('ru', 3)
        self.apps.patch_namespaced_deployment('ru', self.ns, {
            'spec': {'template': {'spec': {'containers': [
                {'name': 'app', 'image': 'broken:2'}]}}}})

        def stuck(d):
            return d.status.updated_replicas == 1 and \
                d.status.observed_generation == 2

        d = self.watch_deployment('ru', stuck)
        self.wait_for(lambda: any(
            p.status.container_statuses and
            p.status.container_statuses[0].state.waiting and
            p.status.container_statuses[0].state.waiting.reason ==
            'CrashLoopBackOff' for p in self.pods('app=ru')),
            what='the new pod to crash')
        d = self.apps.read_namespaced_deployment('ru', self.ns)
        # 25% of 3: one Pod of surge, none unavailable (rounded down).
        self.assertEqual((4, 1, 3, 3), (
            d.status.replicas, d.status.updated_replicas,
            d.status.ready_replicas, d.status.available_replicas))


class TestPodsAndEndpoints(h.SimulatorTestCase):

    def test_endpoints_follow_ready_pods_and_deletes_answer_objects(self):
        self.core.create_namespaced_pod(self.ns, {
            'metadata': {'name': 'p1', 'labels': {'a': 'b'}},
            'spec': {'containers': [{'name': 'c', 'image': 'x:1'}]}})
        self.core.create_namespaced_service(self.ns, {
            'metadata': {'name': 's'},
            'spec': {'selector': {'a': 'b'},
                     'ports': [{'port': 80, 'targetPort': 8080}]}})

        def ready_address():
            ep = self.core.read_namespaced_endpoints('s', self.ns)
            return ep.subsets and ep.subsets[0].addresses
        [address] = self.wait_for(ready_address, what='endpoints')
        self.assertEqual('p1', address.target_ref.name)
        pod = self.core.delete_namespaced_pod('p1', self.ns)
        self.assertIsNotNone(pod.metadata.deletion_timestamp)
        svc = self.core.delete_namespaced_service('s', self.ns)
        self.assertEqual('s', svc.metadata.name)
        self.wait_for(lambda: not self.core.list_namespaced_endpoints(
            self.ns).items, what='endpoints removal')
