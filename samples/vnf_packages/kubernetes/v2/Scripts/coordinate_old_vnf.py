"""CoordinateVNF for the old nginx VNF: check that it is drained.

Before the old Deployment is deleted, no Service of the VNF may still
select one of its Pods.
"""
import kubernetes

CONNECT_TIMEOUT = 10
READ_TIMEOUT = 30


class CoordinateOldVnf:
    def coordinate(self, request):
        res = request['resources']
        namespace = res['namespace']
        vim = next(iter(request['vimConnectionInfo'].values()))
        conf = kubernetes.client.Configuration()
        conf.host = vim['interfaceInfo']['endpoint']
        token = (vim.get('accessInfo') or {}).get('bearer_token')
        if token:
            conf.api_key = {'authorization': 'Bearer ' + token}
        conf.retries = False
        old_pods = set()
        with kubernetes.client.ApiClient(conf) as client:
            core = kubernetes.client.CoreV1Api(client)
            for vnfc in (request['vnfInstance'].get('instantiatedVnfInfo')
                         or {}).get('vnfcResourceInfo') or []:
                old_pods.add(vnfc['computeResource']['resourceId'])
            for ref in res.get('oldResources') or []:
                if ref['kind'] != 'Service':
                    continue
                svc = core.read_namespaced_service(
                    ref['name'], namespace,
                    _request_timeout=(CONNECT_TIMEOUT, READ_TIMEOUT))
                selector = ','.join('%s=%s' % kv for kv in sorted(
                    (svc.spec.selector or {}).items()))
                pods = core.list_namespaced_pod(
                    namespace, label_selector=selector,
                    _request_timeout=(CONNECT_TIMEOUT, READ_TIMEOUT))
                still = old_pods & {p.metadata.name for p in pods.items}
                if still:
                    raise RuntimeError(
                        'Service %s still selects old Pods %s' % (
                            ref['name'], ', '.join(sorted(still))))
                print('Service %s no longer selects the old Pods' %
                      ref['name'])
        return {'drained': sorted(old_pods)}
