"""CoordinateVNF for the new nginx VNF: point its Service at the new Pods.

The contract is in the user guide ("CoordinateVNF scripts"). Tacker calls
CoordinateNewVnf().coordinate(request) once the new Deployment is rolled
out; this moves the selector of every Service of the VNF to the labels
that select the new Pods.

When the change is rolled back, Tacker calls rollback(request) with the
same resources: the Services are pointed at the old workload's Pods
again (the labels its Deployment selects by). Doing so twice does no
harm.

The cluster is reached with everything vimConnectionInfo gives (its CA,
a bearer token or a client certificate): see kubernetes_access.py.
"""
import importlib.util
import os

import kubernetes


def _access():
    """This package's Scripts/kubernetes_access.py (the cluster's client)."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        'kubernetes_access.py')
    spec = importlib.util.spec_from_file_location('kubernetes_access', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


access = _access()


def workload_selector(apps, namespace, refs):
    for ref in refs:
        if ref['kind'] == 'Deployment':
            dep = apps.read_namespaced_deployment(
                ref['name'], namespace, _request_timeout=access.TIMEOUT)
            return dep.spec.selector.match_labels
    raise RuntimeError('no Deployment to point the Services at')


def _services(res, refs):
    return sorted({r['name'] for r in (res.get('oldResources') or []) + refs
                   if r['kind'] == 'Service'})


def _point_services(request, workloads_key):
    res = request['resources']
    namespace = res['namespace']
    new_refs = res.get('newResources') or res.get('resources') or []
    targets = res.get(workloads_key) or new_refs
    services = _services(res, new_refs)
    with access.api_client(request['vimConnectionInfo']) as client:
        core = kubernetes.client.CoreV1Api(client)
        apps = kubernetes.client.AppsV1Api(client)
        selector = workload_selector(apps, namespace, targets)
        for name in services:
            core.patch_namespaced_service(
                name, namespace, {'spec': {'selector': selector}},
                _request_timeout=access.TIMEOUT)
            print('Service %s now selects %s' % (name, selector))
    return {'services': services, 'selector': selector}


class CoordinateNewVnf:
    def coordinate(self, request):
        return _point_services(request, 'newResources')

    def rollback(self, request):
        # A Rolling update gives no oldResources: its Deployment kept its
        # name, and a Deployment's selector cannot change, so the
        # Services are patched with the selector they already have.
        return _point_services(request, 'oldResources')
