"""The control loop: wakes on every change (or when a timer is due) and
runs the scheduler, kubelet, garbage collector and workload controllers
until the cluster settles."""
import logging
import threading
import time

from tacker.tests.k8s_simulator import deployments
from tacker.tests.k8s_simulator import endpointslices
from tacker.tests.k8s_simulator import garbage
from tacker.tests.k8s_simulator import kubelet
from tacker.tests.k8s_simulator import replicasets
from tacker.tests.k8s_simulator import rootca
from tacker.tests.k8s_simulator import scheduler
from tacker.tests.k8s_simulator import services
from tacker.tests.k8s_simulator import statefulsets

LOG = logging.getLogger(__name__)


class ControllerManager(threading.Thread):
    """Every control loop, on a thread of its own.

    ``root_ca_pem``: the CA bundle published as ``ca.crt`` in each
    Namespace's ``kube-root-ca.crt`` ConfigMap (empty when None).
    """

    def __init__(self, store, api, pod_ready_delay, pod_terminate_delay,
                 root_ca_pem=None):
        super().__init__(name='k8s-simulator-controllers', daemon=True)
        self.store = store
        self.kubelet = kubelet.Kubelet(store, api, pod_ready_delay,
                                       pod_terminate_delay)
        self.deployments = deployments.DeploymentController(store, api)
        self.loops = [scheduler.Scheduler(store), self.kubelet,
                      garbage.GarbageCollector(store, api),
                      replicasets.ReplicaSetController(store, api),
                      self.deployments,
                      statefulsets.StatefulSetController(store, api),
                      services.EndpointsController(store, api),
                      endpointslices.EndpointSliceController(store, api),
                      rootca.RootCAPublisher(store, api, root_ca_pem)]

    def start(self):
        """Run the loops once now, then on the thread.

        So the cluster as created (e.g. the system Namespaces' ConfigMaps)
        is settled before the API answers anybody.
        """
        with self.store.cond:
            self._sync_all()
        super().start()

    def run(self):
        seen = None
        wait = 0
        while True:
            with self.store.cond:
                deadline = time.monotonic() + wait
                while seen == self.store.generation and \
                        not self.store.closed:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        break
                    self.store.cond.wait(remaining)
                if self.store.closed:
                    return
                seen = self.store.generation
                wait = self._sync_all()

    def _sync_all(self):
        due = 3600
        for loop in self.loops:
            try:
                result = loop.sync()
            except Exception:  # keep the cluster running; show the bug
                LOG.exception('simulator controller %s failed',
                              type(loop).__name__)
                continue
            if isinstance(result, (int, float)):
                due = min(due, result)
        return min(due, self.deployments.next_due())
