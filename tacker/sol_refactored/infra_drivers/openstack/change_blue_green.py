"""Blue-Green change of package on OpenStack.

create_new_stack     a second stack from the new package's BaseHOT, with
                     the running VNF's networks and VNFC counts; undo
                     deletes it and waits until it is gone
wait_new_complete    the new stack CREATE_COMPLETE
coordinate_new       the new VNF's CoordinateVNF script (the sample points
                     the load balancer at the new VNFCs)
coordinate_old       the old VNF's script (drain, say)
delete_old_stack     delete the old stack and wait until it is gone; no
                     undo: once the old servers are deleted they cannot be
                     brought back as they were (a failure here stays
                     FAILED_TEMP; a retry deletes what is left)
"""
from tacker.sol_refactored.infra_drivers.openstack import context as osctx
from tacker.sol_refactored.infra_drivers.openstack import lifecycle
from tacker.sol_refactored.infra_drivers.openstack import stack as os_stack
from tacker.sol_refactored.infra_drivers.openstack import vnfc
from tacker.sol_refactored.lcm.base import Step
from tacker.sol_refactored.lcm import change_vnfpkg


def _script_resources(work):
    with osctx.connect(work) as vim:
        new = vnfc.read_vim(vim, work.state['newStackId'])
        old = vnfc.read_vim(vim, osctx.current_stack(work.old_inst))
    return {'newStackId': work.state['newStackId'],
            'oldStackId': osctx.current_stack(work.old_inst),
            'newVnfcs': vnfc.summary(new), 'oldVnfcs': vnfc.summary(old)}


def steps(work):
    info = work.old_inst.instantiatedVnfInfo

    def create_new(w):
        pkg = osctx.package_of(w.context, w.req.vnfdId)
        template, files, nfv = osctx.stack_inputs(
            pkg, info.flavourId, osctx.ext_vls_of(info),
            w.req.obj_get('additionalParams'), osctx.vdu_counts(info))
        lifecycle.create_stack(
            w, 'newStack', osctx.stack_name(w.old_inst.id, w.lcmocc.id[:8]),
            template, files, nfv)

    def coordinate_new(w):
        change_vnfpkg.run_script(w, 'new', _script_resources(w))

    def coordinate_old(w):
        change_vnfpkg.run_script(w, 'old', _script_resources(w))

    def delete_old(w):
        with osctx.connect(w) as vim:
            os_stack.delete(vim, osctx.current_stack(w.old_inst))

    return [Step('create_new_stack', create_new,
                 lambda w: lifecycle.delete_stack(w, 'newStack')),
            Step('wait_new_complete',
                 lambda w: lifecycle.wait_created(w, 'newStack')),
            Step('coordinate_new', coordinate_new),
            Step('coordinate_old', coordinate_old),
            Step('delete_old_stack', delete_old)]


def info(work):
    old = work.old_inst.instantiatedVnfInfo
    pkg = osctx.package_of(work.context, work.req.vnfdId)
    with osctx.connect(work) as vim:
        data = vnfc.read_vim(vim, work.state['newStackId'])
    return vnfc.build_info(data, old.flavourId,
                           osctx.flavour_of(pkg, old.flavourId),
                           work.req.vnfdId, osctx.ext_vls_of(old),
                           work.state['newStackNfv'])
