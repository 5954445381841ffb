"""Stack steps shared by instantiate and the Blue-Green flow."""
from tacker.sol_refactored.infra_drivers.openstack import context as osctx
from tacker.sol_refactored.infra_drivers.openstack import stack as os_stack
from tacker.sol_refactored.infra_drivers.openstack import vim as os_vim

CONF = os_vim.CONF


def create_stack(work, key, name, template, files, nfv):
    """Create (or find) stack ``name``; its id in work.state[key + 'Id']."""
    work.state[key + 'Name'] = name
    work.state[key + 'Nfv'] = nfv
    work.save_progress()
    with osctx.connect(work) as vim:
        work.state[key + 'Id'] = os_stack.create(vim, name, template, files,
                                                 nfv)
    work.save_progress()


def delete_stack(work, key):
    target = work.state.get(key + 'Id') or work.state.get(key + 'Name')
    if not target:
        return
    with osctx.connect(work) as vim:
        os_stack.delete(vim, target)


def wait_created(work, key):
    """Wait for CREATE_COMPLETE of work.state[key + 'Id'].

    When a former attempt saw the stack fail (the operation is being
    retried), the stack is updated with the same template and parameters
    first: Heat then creates again what failed.
    """
    stack_id = work.state[key + 'Id']
    flag = key + 'Failed'
    with osctx.connect(work) as vim:
        try:
            stack = os_stack.find(vim, stack_id)
            if (work.state.get(flag) and stack is not None and
                    stack['stack_status'].endswith('_FAILED')):
                os_stack.update(vim, stack_id, work.state[key + 'Nfv'])
                os_stack.wait(vim, stack_id, 'UPDATE',
                              CONF.openstack_vim.stack_update_timeout)
            elif (stack is None or
                  stack['stack_status'] != 'UPDATE_COMPLETE'):
                os_stack.wait(vim, stack_id, 'CREATE',
                              CONF.openstack_vim.stack_create_timeout)
        except os_stack.StackFailed:
            work.state[flag] = True
            work.save_progress()
            raise
