"""CoordinateVNF for the old nginx VNF: check that it is drained.

Before the old Deployment is deleted, no Service of the VNF may still
select one of its Pods. The cluster is reached as kubernetes_access.py
says (its CA, a bearer token or a client certificate).
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


class CoordinateOldVnf:
    def coordinate(self, request):
        res = request['resources']
        namespace = res['namespace']
        old_pods = set()
        with access.api_client(request['vimConnectionInfo']) as client:
            core = kubernetes.client.CoreV1Api(client)
            for vnfc in (request['vnfInstance'].get('instantiatedVnfInfo')
                         or {}).get('vnfcResourceInfo') or []:
                old_pods.add(vnfc['computeResource']['resourceId'])
            for ref in res.get('oldResources') or []:
                if ref['kind'] != 'Service':
                    continue
                svc = core.read_namespaced_service(
                    ref['name'], namespace,
                    _request_timeout=access.TIMEOUT)
                selector = ','.join('%s=%s' % kv for kv in sorted(
                    (svc.spec.selector or {}).items()))
                pods = core.list_namespaced_pod(
                    namespace, label_selector=selector,
                    _request_timeout=access.TIMEOUT)
                still = old_pods & {p.metadata.name for p in pods.items}
                if still:
                    raise RuntimeError(
                        'Service %s still selects old Pods %s' % (
                            ref['name'], ', '.join(sorted(still))))
                print('Service %s no longer selects the old Pods' %
                      ref['name'])
        return {'drained': sorted(old_pods)}
