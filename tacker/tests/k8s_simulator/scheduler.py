"""The scheduler of a one-node cluster.

A new Pod is bound to the node ``sim-node-1`` when its ``nodeSelector``
matches the node's labels (those the kubelet sets on every node:
hostname, os and arch). Otherwise it stays Pending without a nodeName,
with condition PodScheduled False, reason Unschedulable and the message
kube-scheduler writes; node labels never change here, so it stays so.
Pods that name another ``schedulerName`` are left to that scheduler.
"""
from tacker.tests.k8s_simulator import api_resources as ar
from tacker.tests.k8s_simulator import kubelet
from tacker.tests.k8s_simulator import store as store_mod

NODE_LABELS = {
    'kubernetes.io/hostname': kubelet.NODE_NAME,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
}
DEFAULT_SCHEDULER = 'default-scheduler'
NO_NODE_MATCHES = (
    "0/1 nodes are available: 1 node(s) didn't match Pod's node "
    "affinity/selector. preemption: 0/1 nodes are available: 1 Preemption "
    "is not helpful for scheduling.")


def node_fits(pod):
    """Does the Pod's nodeSelector match the node's labels?"""
    wanted = pod['spec'].get('nodeSelector') or {}
    return all(NODE_LABELS.get(key) == value
               for key, value in wanted.items())


class Scheduler:

    def __init__(self, store):
        self.store = store

    def sync(self):
        for pod in self.store.list(ar.PODS)[0]:
            spec = pod['spec']
            if spec.get('nodeName') or \
                    pod['metadata'].get('deletionTimestamp') or \
                    spec.get('schedulerName',
                             DEFAULT_SCHEDULER) != DEFAULT_SCHEDULER:
                continue
            stamp = store_mod.now_rfc3339()
            if node_fits(pod):
                spec['nodeName'] = kubelet.NODE_NAME
                kubelet.set_conditions(
                    pod, {'PodScheduled': ('True', None, None)}, stamp)
            else:
                kubelet.set_conditions(pod, {'PodScheduled': (
                    'False', 'Unschedulable', NO_NODE_MATCHES)}, stamp)
            self.store.update(ar.PODS, pod)  # no-op when already so
