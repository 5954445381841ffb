"""The record of an OpenStack change_vnfpkg given up with ``fail``.

Nothing is undone then, so the record is read again from Heat, Nova,
Neutron and Cinder, as the VIM holds the VNF now:

- Rolling update: the VNF's one stack; each VNFC's ``vnfdId`` says which
  package it runs (the images its server runs, or, where both packages
  use the same images, whether the step record says it was updated).
- Blue-Green: while the old stack stands, the record is the old stack's,
  and the new stack (if Heat still knows it) is named in
  ``metadata.otherStackIds``; once Heat has begun to delete the old
  stack, the record is the new stack's, with what is left of the old one
  in ``otherStackIds``. Terminate deletes every stack named there.

The whole read is bounded by ``[openstack_vim] fail_reread_timeout``.
When the VIM cannot be read in time (or at all), the former record is
kept, the stacks the step record names are still added to
``otherStackIds`` (no VIM call needed), and ``metadata`` says why the
record could not be re-read: ``fail`` is never blocked by the VIM.
"""
from oslo_log import log as logging

from tacker.sol_refactored.common import bounded_call
from tacker.sol_refactored.common import redact
from tacker.sol_refactored.infra_drivers.openstack import change_rolling
from tacker.sol_refactored.infra_drivers.openstack import context as osctx
from tacker.sol_refactored.infra_drivers.openstack import stack as os_stack
from tacker.sol_refactored.infra_drivers.openstack import vim as os_vim
from tacker.sol_refactored.infra_drivers.openstack import vnfc
from tacker.sol_refactored.lcm import change_vnfpkg

LOG = logging.getLogger(__name__)
CONF = os_vim.CONF

OTHER_STACKS = 'otherStackIds'
NOT_REREAD = 'notReReadAfterFail'


def other_stacks(info):
    """The stacks of the VNF besides metadata.stack_id (for terminate)."""
    return list((info.obj_get('metadata') or {}).get(OTHER_STACKS) or [])


def _with_metadata(info, **values):
    new = info.copy()
    meta = dict(new.obj_get('metadata') or {})
    for key, value in values.items():
        if value:
            meta[key] = value
        else:
            meta.pop(key, None)
    new.metadata = meta
    return new


def _new_stack(work):
    return (work.state.get('newStackId') or work.state.get('newStackName'))


def _runs_new(vim, data, item, old, new, info, state):
    """Whether a VNFC of a Rolling update runs the new package."""
    keys_old, keys_new = old.keys(item.vduId), new.keys(item.vduId)
    nfv_old, nfv_new = old.nfv_for(info), new.nfv_for(info)
    wanted_old = {(nfv_old['VDU'].get(k) or {}).get('vcImageId')
                  for k in keys_old} - {None}
    wanted_new = {(nfv_new['VDU'].get(k) or {}).get('vcImageId')
                  for k in keys_new} - {None}
    server_id = item.computeResource.resourceId
    if wanted_new and wanted_new != wanted_old:
        return change_rolling.server_images(vim, data, server_id,
                                            wanted_new) == wanted_new
    # Same images in both packages: the step record tells.
    member = (item.metadata or {}).get('member')
    phase = ((state.get('rolled') or {}).get(item.vduId) or {}).get(
        'phase') or {}
    return (server_id in (state.get('coordinated') or []) or
            phase.get(member) in ('updated', 'coordinated'))


class _Pkg:
    def __init__(self, work, vnfd_id, info):
        self.pkg = osctx.package_of(work.context, vnfd_id)
        self.flavour = osctx.flavour_of(self.pkg, info.flavourId)
        self.params = work.req.obj_get('additionalParams')

    def keys(self, vdu_id):
        return change_rolling.vdu_keys(self.flavour, vdu_id)

    def nfv_for(self, info):
        return osctx.stack_inputs(self.pkg, info.flavourId,
                                  osctx.ext_vls_of(info), self.params,
                                  osctx.vdu_counts(info))[2]


def _rolling(work, vim):
    old_info = work.old_inst.instantiatedVnfInfo
    stack_id = osctx.current_stack(work.old_inst)
    old = _Pkg(work, work.old_inst.vnfdId, old_info)
    new = _Pkg(work, work.req.vnfdId, old_info)
    data = vnfc.read_vim(vim, stack_id)
    nfv = os_stack.parameters(os_stack.find(vim, stack_id))
    info = vnfc.build_info(data, old_info.flavourId, old.flavour,
                           work.old_inst.vnfdId, osctx.ext_vls_of(old_info),
                           nfv)
    for item in info.obj_get('vnfcResourceInfo') or []:
        if _runs_new(vim, data, item, old, new, old_info, work.state):
            item.vnfdId = work.req.vnfdId
    return _with_metadata(info, **{OTHER_STACKS: other_stacks(old_info)})


def _blue_green(work, vim):
    old_info = work.old_inst.instantiatedVnfInfo
    old_id = osctx.current_stack(work.old_inst)
    old_stack = os_stack.find(vim, old_id)
    target = _new_stack(work)
    new_stack = os_stack.find(vim, target) if target else None
    others = [s for s in other_stacks(old_info)
              if s not in (old_id, (new_stack or {}).get('id'))]
    if old_stack is not None and not old_stack[
            'stack_status'].startswith('DELETE'):
        pkg = _Pkg(work, work.old_inst.vnfdId, old_info)
        info = vnfc.build_info(
            vnfc.read_vim(vim, old_id), old_info.flavourId, pkg.flavour,
            work.old_inst.vnfdId, osctx.ext_vls_of(old_info),
            os_stack.parameters(old_stack))
        if new_stack is not None:
            others.append(new_stack['id'])
    elif new_stack is not None:
        pkg = _Pkg(work, work.req.vnfdId, old_info)
        info = vnfc.build_info(
            vnfc.read_vim(vim, new_stack['id']), old_info.flavourId,
            pkg.flavour, work.req.vnfdId, osctx.ext_vls_of(old_info),
            os_stack.parameters(new_stack))
        if old_stack is not None:
            others.append(old_id)
    else:
        # Neither stack is left: nothing runs; say so in the record.
        return _with_metadata(old_info, **{
            NOT_REREAD: 'neither the old stack %s nor the new one is on '
                        'the VIM any more' % old_id})
    return _with_metadata(info, **{OTHER_STACKS: others})


def _known_stacks(work):
    """What the step record alone says was made: for terminate."""
    info = work.old_inst.instantiatedVnfInfo
    others = other_stacks(info)
    target = _new_stack(work)
    if (work.state.get('upgradeType') == change_vnfpkg.BLUE_GREEN and
            target and target not in others):
        others.append(target)
    return others


def failed_info(work, timeout=None):
    """InstantiatedVnfInfo as the VIM holds it; never raises for the VIM."""
    timeout = timeout or CONF.openstack_vim.fail_reread_timeout
    flow = (_blue_green if work.state.get('upgradeType') ==
            change_vnfpkg.BLUE_GREEN else _rolling)

    def read():
        with osctx.connect(work) as vim:
            return flow(work, vim)

    done, result = bounded_call.run(read, timeout, 'fail-reread')
    if done:
        return result
    why = redact.mask_text(str(result), work.secrets)
    LOG.warning('fail of %s: the record of VNF %s could not be re-read '
                'from the VIM (%s); the former record is kept',
                work.lcmocc.id, work.old_inst.id, why)
    return _with_metadata(work.old_inst.instantiatedVnfInfo, **{
        OTHER_STACKS: _known_stacks(work),
        NOT_REREAD: 'The record could not be re-read from the VIM when '
                    'the change was given up (%s): it shows the VNF as '
                    'before the change.' % why})
