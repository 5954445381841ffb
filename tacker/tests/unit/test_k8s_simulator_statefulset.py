"""StatefulSets: ordered Pods <name>-<ordinal> and rolling update."""
from tacker.tests.k8s_simulator import testcase as h


def statefulset(name, replicas=3, image='db:1'):
    body = h.deployment(name, replicas=replicas, image=image)
    body['kind'] = 'StatefulSet'
    body['spec']['serviceName'] = name
    return body


class TestStatefulSet(h.SimulatorTestCase):

    sim_kwargs = {'pod_ready_delay': 0.05, 'pod_terminate_delay': 0.05}

    def wait_sts(self, name, replicas, image):
        def done():
            sts = self.apps.read_namespaced_stateful_set(name, self.ns)
            s = sts.status
            pods = [p for p in self.pods('app=' + name)
                    if p.metadata.deletion_timestamp is None]
            return (s.ready_replicas == replicas
                    and s.updated_replicas == replicas
                    and s.current_revision == s.update_revision
                    and len(pods) == replicas
                    and {p.spec.containers[0].image for p in pods} ==
                    {image}) and sts
        return self.wait_for(done, what='statefulset %s' % name)

    def test_ordered_pods_and_update(self):
        self.apps.create_namespaced_stateful_set(self.ns, statefulset('db'))
        sts = self.wait_sts('db', 3, 'db:1')
        pods = sorted(self.pods('app=db'),
                      key=lambda p: p.metadata.creation_timestamp)
        self.assertEqual(['db-0', 'db-1', 'db-2'],
                         sorted(p.metadata.name for p in pods))
        for pod in pods:
            ref = pod.metadata.owner_references[0]
            self.assertEqual(('StatefulSet', sts.metadata.uid),
                             (ref.kind, ref.uid))
            self.assertEqual(pod.metadata.name, pod.metadata.labels[
                'statefulset.kubernetes.io/pod-name'])
        self.apps.patch_namespaced_stateful_set('db', self.ns, {
            'spec': {'template': {'spec': {'containers': [
                {'name': 'app', 'image': 'db:2'}]}}}})
        self.wait_sts('db', 3, 'db:2')
        self.apps.patch_namespaced_stateful_set(
            'db', self.ns, {'spec': {'replicas': 1}})
        self.wait_sts('db', 1, 'db:2')
        self.assertEqual(['db-0'], [p.metadata.name
                                    for p in self.pods('app=db')])
