"""A Kubernetes API simulator for tests: the real wire protocol (REST,
watch, Status errors) over HTTP, with a scheduler, a kubelet and the
Deployment, ReplicaSet, StatefulSet, Endpoints, EndpointSlice, garbage
collection and root CA ConfigMap controllers, so that the official
kubernetes client can drive it.

    sim = Simulator().start()
    apps = kubernetes.client.AppsV1Api(sim.api_client())
    ...
    sim.stop()

or ``python -m tacker.tests.k8s_simulator --port 0``.
"""
from tacker.tests.k8s_simulator.fixture import SimulatorFixture  # noqa
from tacker.tests.k8s_simulator.simulator import Simulator  # noqa
