"""Blue-Green change of package on OpenStack.

upload_images        the new package's image files into Glance (see
                     ``images``); undo deletes the images it uploaded
create_new_stack     a second stack from the new package's BaseHOT, with
                     the running VNF's networks and VNFC counts; undo
                     deletes it and waits until it is gone
wait_new_complete    the new stack CREATE_COMPLETE
coordinate_new       the new VNF's CoordinateVNF script (the sample points
                     the load balancer at the new VNFCs); undo calls the
                     same script class's ``rollback`` (the sample points
                     the load balancer back at the old VNFCs), when the
                     class has one
coordinate_old       the old VNF's script (drain, say); undo likewise
                     calls its ``rollback`` (the sample restarts what it
                     stopped)
delete_old_stack     delete the old stack and wait until it is gone. Once
                     Heat has begun to delete it, the old servers cannot be
                     brought back as they were: the undo then refuses, and
                     the rollback stays FAILED_TEMP with the stacks as
                     they are (a retry deletes what is left). A delete that
                     Heat never started (the old stack is still whole) is
                     nothing to undo.
delete_old_images    the images of the old record that the new one does
                     not name, when no other VNF uses them; no undo (the
                     old stack is gone by then, nothing can be rolled
                     back)
"""
from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.infra_drivers.openstack import context as osctx
from tacker.sol_refactored.infra_drivers.openstack import images
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


def _coordinate(work, side, method='coordinate'):
    if not work.state.get('scripts', {}).get(side):
        return
    change_vnfpkg.run_script(work, side, _script_resources(work),
                             method=method)


class OldStackGone(sol_ex.Conflict):
    title = 'Rollback not possible'


def check_old_stack_whole(old_id, stack):
    """Raise OldStackGone unless Heat never began to delete the stack.

    ``stack`` is what os_stack.find answered (None: gone).
    """
    status = stack['stack_status'] if stack else 'DELETE_COMPLETE'
    if status.startswith('DELETE'):
        raise OldStackGone(
            'The old stack %s is %s: the old VNF cannot be brought back, '
            'so the change cannot be rolled back. Retry the operation to '
            'finish it on the new VNF, or fail it.' % (old_id, status))


def _refuse_undo_of_delete(work):
    """Undo of delete_old_stack: only a delete Heat never started."""
    old_id = osctx.current_stack(work.old_inst)
    with osctx.connect(work) as vim:
        check_old_stack_whole(old_id, os_stack.find(vim, old_id))


def steps(work):
    info = work.old_inst.instantiatedVnfInfo

    def create_new(w):
        pkg = osctx.package_of(w.context, w.req.vnfdId)
        template, files, nfv = osctx.stack_inputs(
            pkg, info.flavourId, osctx.ext_vls_of(info),
            w.req.obj_get('additionalParams'), osctx.vdu_counts(info),
            images.image_ids(w, 'newImages'))
        lifecycle.create_stack(
            w, 'newStack', osctx.stack_name(w.old_inst.id, w.lcmocc.id[:8]),
            template, files, nfv)

    def delete_old(w):
        with osctx.connect(w) as vim:
            os_stack.delete(vim, osctx.current_stack(w.old_inst))

    def delete_old_images(w):
        old = [i.get('imageId') for i in images.of_record(info)]
        with osctx.connect(w) as vim:
            images.release(w, vim, old,
                           keep=images.image_ids(w, 'newImages').values())

    return [Step('upload_images',
                 lambda w: images.upload_step(w, 'newImages', w.req.vnfdId,
                                              info.flavourId),
                 lambda w: images.undo_step(w, 'newImages')),
            Step('create_new_stack', create_new,
                 lambda w: lifecycle.delete_stack(w, 'newStack')),
            Step('wait_new_complete',
                 lambda w: lifecycle.wait_created(w, 'newStack')),
            Step('coordinate_new', lambda w: _coordinate(w, 'new'),
                 lambda w: _coordinate(w, 'new', 'rollback')),
            Step('coordinate_old', lambda w: _coordinate(w, 'old'),
                 lambda w: _coordinate(w, 'old', 'rollback')),
            Step('delete_old_stack', delete_old, _refuse_undo_of_delete),
            Step('delete_old_images', delete_old_images)]


def info(work):
    old = work.old_inst.instantiatedVnfInfo
    pkg = osctx.package_of(work.context, work.req.vnfdId)
    with osctx.connect(work) as vim:
        data = vnfc.read_vim(vim, work.state['newStackId'],
                             osctx.ext_vls_of(old))
    new = vnfc.build_info(data, old.flavourId,
                          osctx.flavour_of(pkg, old.flavourId),
                          work.req.vnfdId, osctx.ext_vls_of(old),
                          work.state['newStackNfv'])
    return images.with_images(
        new, images.recorded(work.state.get('newImages')))
