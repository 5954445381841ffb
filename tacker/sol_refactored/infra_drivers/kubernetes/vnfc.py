"""instantiatedVnfInfo of a Kubernetes VNF, from what the cluster holds."""
import uuid

from tacker.sol_refactored.infra_drivers.kubernetes import context
from tacker.sol_refactored.infra_drivers.kubernetes import owned
from tacker.sol_refactored.infra_drivers.kubernetes import resources
from tacker.sol_refactored import objects


def vdu_of_workloads(vnfd_summary, flavour_id):
    """{workload name: VDU id} of a flavour.

    A VDU's ``name`` property names its Deployment (or StatefulSet ...).
    """
    flavour = (vnfd_summary.get('flavours') or {}).get(flavour_id) or {}
    return {(vdu.get('name') or vdu_id): vdu_id
            for vdu_id, vdu in (flavour.get('vdus') or {}).items()}


def ready(pod):
    for cond in (pod.get('status') or {}).get('conditions') or []:
        if cond.get('type') == 'Ready':
            return cond.get('status') == 'True'
    return False


def live_pods(vim, namespace, workload):
    """Pods the workload owns that are not on their way out, by name."""
    found = [p for p in owned.pods(vim, namespace, workload)
             if not p['metadata'].get('deletionTimestamp')]
    return sorted(found, key=lambda p: p['metadata']['name'])


def pod_owner(pod):
    for ref in pod['metadata'].get('ownerReferences') or []:
        return ref.get('kind'), ref.get('name')
    return None, None


def build_vnfc(pod, vdu_id, vnfd_id, workload, vnfc_id=None):
    kind, owner = pod_owner(pod)
    metadata = {workload['kind']: {
        'name': workload['metadata']['name'],
        'namespace': workload['metadata'].get('namespace')}}
    if kind:
        metadata[kind] = {'name': owner}
    vnfc_id = vnfc_id or str(uuid.uuid4())
    return objects.VnfcResourceInfo(
        id=vnfc_id, vduId=vdu_id, vnfdId=vnfd_id,
        computeResource=objects.ResourceHandle(
            resourceId=pod['metadata']['name'],
            vimLevelResourceType=workload['kind']),
        # The Pod's network interface.
        vnfcCpInfo=[objects.VnfcCpInfo(id='cp-' + vnfc_id,
                                       cpdId='pod-network')],
        metadata=metadata)


def _selects(selector, labels):
    return bool(selector) and all(labels.get(k) == v
                                  for k, v in selector.items())


def service_cps(vim, namespace, applied, vnfcs, pods):
    """A CNF is reached through its Services.

    Each Service is a virtual IP CP over the CPs of the Pods it selects,
    and an external CP of the VNF. ``pods`` maps Pod names to Pods.
    Returns (extCpInfo, vipCpInfo).
    """
    ext_cps, vip_cps = [], []
    for ref in applied:
        if ref['kind'] != 'Service':
            continue
        svc = vim.call('read Service %s' % ref['name'], 'GET',
                       resources.object_path('Service', namespace,
                                             ref['name']))
        spec = svc.get('spec') or {}
        address = spec.get('clusterIP')
        protocol = {'layerProtocol': 'IP_OVER_ETHERNET'}
        if address and address != 'None':
            protocol['ipOverEthernet'] = {'ipAddresses': [{
                'type': 'IPV6' if ':' in address else 'IPV4',
                'addresses': [address], 'isDynamic': True}]}
        vip_id = 'vip-%s' % ref['name']
        ext_id = 'service-%s' % ref['name']
        selected = [
            vnfc.vnfcCpInfo[0].id for vnfc in vnfcs
            if _selects(spec.get('selector'), pods[
                vnfc.computeResource.resourceId]['metadata'].get(
                    'labels') or {})]
        vip_cps.append({'cpInstanceId': vip_id, 'cpdId': ref['name'],
                        'vnfExtCpId': ext_id,
                        'associatedVnfcCpIds': selected})
        ext_cps.append(objects.VnfExtCpInfo(
            id=ext_id, cpdId=ref['name'], cpConfigId=ref['name'],
            cpProtocolInfo=[protocol], associatedVipCpId=vip_id,
            metadata={'Service': {'name': ref['name'],
                                  'namespace': namespace}}))
    return ext_cps, vip_cps


def workload_refs(applied):
    return [r for r in applied if r['kind'] in resources.WORKLOADS]


def previous_vdus(info):
    """{workload name: VDU id} as a former instantiatedVnfInfo recorded."""
    found = {}
    for vnfc in (info.obj_get('vnfcResourceInfo') or []) if info else []:
        for kind in resources.WORKLOADS:
            workload = (vnfc.obj_get('metadata') or {}).get(kind)
            if workload:
                found[workload['name']] = vnfc.vduId
    return found


def build_info(vim, namespace, flavour_id, vnfd_id, vnfd_summary, applied,
               def_files, reuse_ids=None, previous=None):
    """InstantiatedVnfInfo with one vnfcResourceInfo per live Pod.

    A workload's VDU is the one whose ``name`` names it in the VNFD; a
    workload kept from ``previous`` (the info before a change) keeps its
    VDU. ``reuse_ids`` maps Pod names to the VNFC ids they had, so that a
    Pod that did not change keeps its VNFC id.
    """
    vdu_map = previous_vdus(previous)
    vdu_map.update(vdu_of_workloads(vnfd_summary, flavour_id))
    vnfcs = []
    pods_by_name = {}
    for ref in workload_refs(applied):
        workload = vim.call(
            'read %s %s' % (ref['kind'], ref['name']), 'GET',
            resources.object_path(ref['kind'], namespace, ref['name']))
        vdu_id = vdu_map.get(ref['name'], ref['name'])
        for pod in live_pods(vim, namespace, workload):
            pods_by_name[pod['metadata']['name']] = pod
            vnfc_id = (reuse_ids or {}).get(pod['metadata']['name'])
            vnfcs.append(build_vnfc(pod, vdu_id, vnfd_id, workload,
                                    vnfc_id))
    ext_cps, vip_cps = service_cps(vim, namespace, applied, vnfcs,
                                   pods_by_name)
    return objects.InstantiatedVnfInfo(
        flavourId=flavour_id, vnfState='STARTED',
        extCpInfo=ext_cps, vipCpInfo=vip_cps,
        vnfcResourceInfo=vnfcs,
        vnfcInfo=[objects.VnfcInfo(id='%s-%s' % (v.vduId, v.id),
                                   vduId=v.vduId, vnfcResourceInfoId=v.id,
                                   vnfcState='STARTED') for v in vnfcs],
        metadata={'namespace': namespace,
                  'lcm-kubernetes-def-files': list(def_files),
                  'resources': list(applied)})


def info_as_now(vim, info, vnfd_id, vnfd_summary):
    """A recorded InstantiatedVnfInfo read again from the cluster.

    The same workloads and other objects (``metadata.resources``), the same
    namespace and manifests; the Pods as the workloads now select them. A
    Pod the record names keeps its VNFC id, one it does not know (its
    workload made it since) gets a new id.
    """
    meta = dict(info.obj_get('metadata') or {})
    known = {v.computeResource.resourceId: v.id
             for v in info.obj_get('vnfcResourceInfo') or []}
    fresh = build_info(
        vim, meta.get('namespace') or context.DEFAULT_NAMESPACE,
        info.flavourId, vnfd_id, vnfd_summary, meta.get('resources') or [],
        meta.get('lcm-kubernetes-def-files') or [], reuse_ids=known,
        previous=info)
    # Anything else the record kept about the VNF stays as it was.
    meta.update(fresh.metadata)
    fresh.metadata = meta
    if info.obj_get('vnfState'):
        fresh.vnfState = info.vnfState
    return fresh


def info_after_change(work, applied):
    """instantiatedVnfInfo after change_vnfpkg, and the instance metadata.

    ``applied`` are the objects the VNF now has. When the request named
    new lcm-kubernetes-def-files, the instance's metadata records them.
    """
    pkg = context.package_of(work.context, work.req.vnfdId)
    flavour_id = work.old_inst.instantiatedVnfInfo.flavourId
    with context.connect(work) as vim:
        new_info = build_info(
            vim, context.namespace(work), flavour_id, work.req.vnfdId,
            pkg.vnfdSummary, resources.ordered(applied),
            work.state['defFiles'],
            previous=work.old_inst.instantiatedVnfInfo)
    if work.state.get('defFilesChanged'):
        meta = dict(work.old_inst.obj_get('metadata') or {})
        meta['lcm-kubernetes-def-files'] = work.state['defFiles']
        work.state['newMetadata'] = meta
    return new_info
