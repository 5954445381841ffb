"""Which VIM an operation acts on."""
from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.common import plugins


def merged(inst_vims, req_vims):
    """The instance's vimConnectionInfo with the request's entries on top."""
    result = dict(inst_vims or {})
    result.update(req_vims or {})
    return result


def single_vim(vims, field='vimConnectionInfo'):
    """(key, VimConnectionInfo dict) of the one VIM the VNF runs on."""
    if not vims:
        raise sol_ex.UnprocessableEntity(
            'No VIM is given: put one entry in %s.' % field)
    if len(vims) > 1:
        raise sol_ex.UnprocessableEntity(
            '%s has %d entries; a VNF here runs on exactly one VIM.' % (
                field, len(vims)))
    key, vim = next(iter(vims.items()))
    # Refuses an unknown vimType with 422 and the list of installed ones.
    plugins.infra_driver(vim['vimType'])
    return key, vim


def of_work(work):
    """The VimConnectionInfo dict an operation acts on.

    The instance's, with the request's entries on top when the request
    type carries vimConnectionInfo (instantiate does).
    """
    req_vims = (work.req.obj_get('vimConnectionInfo')
                if 'vimConnectionInfo' in work.req.fields else None)
    vims = merged(work.old_inst.obj_get('vimConnectionInfo'), req_vims)
    return single_vim(vims)[1]
