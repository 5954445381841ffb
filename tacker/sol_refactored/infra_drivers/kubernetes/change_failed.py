"""The record of a Kubernetes change_vnfpkg given up with ``fail``.

Nothing is undone then. The record names every object the change
applied (``metadata.resources``, so that terminate deletes them), and
its VNFCs are read again from the cluster: one per live Pod of every
workload the record now names. A Pod of a workload the change applied
whose containers run the images of that workload's present Pod template
runs the new package: it is recorded with the new ``vnfdId`` and the VDU
the new VNFD gives its workload. Every other Pod keeps the old package.

The read is bounded by ``[kubernetes_vim] fail_reread_timeout``; when the
cluster cannot be read in time, the record still names the applied
objects (they come from the step record) and ``metadata`` says why its
Pods were not read again: ``fail`` is never blocked by the VIM.
"""
from oslo_log import log as logging

from tacker.sol_refactored.common import bounded_call
from tacker.sol_refactored.common import redact
from tacker.sol_refactored.infra_drivers.kubernetes import change_blue_green
from tacker.sol_refactored.infra_drivers.kubernetes import change_rolling
from tacker.sol_refactored.infra_drivers.kubernetes import context as kctx
from tacker.sol_refactored.infra_drivers.kubernetes import manifests
from tacker.sol_refactored.infra_drivers.kubernetes import resources
from tacker.sol_refactored.infra_drivers.kubernetes import vim as k8s_vim
from tacker.sol_refactored.infra_drivers.kubernetes import vnfc
from tacker.sol_refactored.lcm import change_vnfpkg

LOG = logging.getLogger(__name__)
CONF = k8s_vim.CONF
NOT_REREAD = 'notReReadAfterFail'


def _images(pod_spec):
    return sorted(c.get('image') or '' for c in
                  (pod_spec or {}).get('containers') or [])


def _pod(vim, namespace, name):
    try:
        return vim.call('read Pod %s' % name, 'GET',
                        '/api/v1/namespaces/%s/pods/%s' % (namespace, name))
    except k8s_vim.VimError as e:
        if k8s_vim.is_status(e, 404):
            return {}
        raise


def _summary(context, vnfd_id):
    pkg = kctx.package_of(context, vnfd_id)
    return (pkg.obj_get('vnfdSummary') or {}) if pkg else {}


def _applied_workloads(state):
    flow = (change_blue_green if state.get('upgradeType') ==
            change_vnfpkg.BLUE_GREEN else change_rolling)
    return {r['name'] for r in flow.applied(state)
            if r['kind'] in resources.WORKLOADS}


def _reread(work, recorded):
    old = work.old_inst
    namespace = (recorded.obj_get('metadata') or {}).get(
        'namespace') or kctx.DEFAULT_NAMESPACE
    applied = _applied_workloads(work.state)
    new_vdus = vnfc.vdu_of_workloads(
        _summary(work.context, work.req.vnfdId), recorded.flavourId)
    with kctx.connect(work) as vim:
        fresh = vnfc.info_as_now(vim, recorded, old.vnfdId,
                                 _summary(work.context, old.vnfdId))
        templates = {}
        new_vnfcs = {}
        for item in fresh.obj_get('vnfcResourceInfo') or []:
            kind = item.computeResource.vimLevelResourceType
            name = ((item.metadata or {}).get(kind) or {}).get('name')
            if name not in applied:
                continue
            if name not in templates:
                workload = manifests.read(vim, namespace, kind, name) or {}
                templates[name] = _images(
                    ((workload.get('spec') or {}).get('template') or
                     {}).get('spec'))
            pod = _pod(vim, namespace, item.computeResource.resourceId)
            if _images(pod.get('spec')) == templates[name]:
                item.vnfdId = work.req.vnfdId
                item.vduId = new_vdus.get(name, item.vduId)
                new_vnfcs[item.id] = item.vduId
    for info in fresh.obj_get('vnfcInfo') or []:
        if info.vnfcResourceInfoId in new_vnfcs:
            info.vduId = new_vnfcs[info.vnfcResourceInfoId]
    return fresh


def failed_info(driver, work, timeout=None):
    """InstantiatedVnfInfo after fail; never raises for the VIM."""
    timeout = timeout or CONF.kubernetes_vim.fail_reread_timeout
    old = work.old_inst.instantiatedVnfInfo
    recorded = driver.change_vnfpkg_failed_info(work.state, old) or old
    done, result = bounded_call.run(lambda: _reread(work, recorded),
                                    timeout, 'fail-reread')
    if done:
        return result
    why = redact.mask_text(str(result), work.secrets)
    LOG.warning('fail of %s: the Pods of VNF %s could not be read again '
                '(%s); the record names the applied objects only',
                work.lcmocc.id, work.old_inst.id, why)
    kept = recorded.copy()
    meta = dict(kept.obj_get('metadata') or {})
    meta[NOT_REREAD] = ('The Pods could not be read again from the cluster '
                        'when the change was given up (%s): the VNFCs are '
                        'those before the change; metadata.resources names '
                        'every object the change applied.' % why)
    kept.metadata = meta
    return kept
