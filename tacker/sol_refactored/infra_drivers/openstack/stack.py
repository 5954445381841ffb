"""Heat stacks: create, update, delete, and waiting on their status.

Heat has no watch, so a wait reads the stack again and again with a pause
that starts short and grows by half each time (up to a maximum), until
the stack reaches the wanted status, fails, or the configured time is up.
"""
import json
import time

from oslo_log import log as logging

from tacker.sol_refactored.infra_drivers.openstack import vim as os_vim

LOG = logging.getLogger(__name__)
CONF = os_vim.CONF


class _Backoff:
    """Pauses between two reads of Heat, up to a deadline.

    Short at first, then half as long again each time up to
    ``poll_max_interval``; never past the deadline.
    """

    def __init__(self, timeout):
        self.deadline = time.monotonic() + timeout
        self.pause = CONF.openstack_vim.poll_initial_interval

    def expired(self):
        return time.monotonic() >= self.deadline

    def sleep(self):
        time.sleep(max(0.0, min(self.pause,
                                self.deadline - time.monotonic())))
        self.pause = min(self.pause * 1.5,
                         CONF.openstack_vim.poll_max_interval)


def _as_dict(stack):
    return stack.to_dict() if hasattr(stack, 'to_dict') else dict(stack)


def find(vim, name_or_id):
    """The stack as a dict, or None when Heat does not know it.

    A stack deleted earlier is still shown by id as DELETE_COMPLETE; it is
    reported as None too.
    """
    try:
        with os_vim.guard('read stack %s' % name_or_id, vim.endpoint):
            stack = _as_dict(vim.heat.stacks.get(name_or_id))
    except os_vim.VimError as e:
        if os_vim.is_not_found(e):
            return None
        raise
    if stack.get('stack_status') == 'DELETE_COMPLETE':
        return None
    return stack


def create(vim, name, template, files, nfv):
    """Create the stack unless one of that name exists; its id."""
    existing = find(vim, name)
    if existing is not None:
        LOG.info('Stack %s exists already (%s); not created again', name,
                 existing['stack_status'])
        return existing['id']
    with os_vim.guard('create stack %s' % name, vim.endpoint):
        answer = vim.heat.stacks.create(
            stack_name=name, template=template, files=files,
            parameters={'nfv': nfv}, disable_rollback=True)
    return answer['stack']['id']


def _busy(vim, stack_id):
    """Names of the stack's resources (nested ones too) still at work."""
    return ['%s (%s)' % (r['resource_name'], r['resource_status'])
            for r in resources(vim, stack_id)
            if r['resource_status'].endswith('_IN_PROGRESS')]


def settle(vim, stack_id, timeout):
    """Wait until nothing in a failed stack is still at work.

    Heat marks a stack FAILED as soon as one resource fails while its
    other resources (a nested stack creating servers, say) go on. An
    update sent then makes Heat cancel those nested stacks, and the
    update fails in turn ("Stack UPDATE cancelled"). So before a failed
    stack is updated, its resources are read, nested stacks included,
    until none is IN_PROGRESS. A stack that did not fail is left alone.
    """
    stack = find(vim, stack_id)
    if stack is None or not stack['stack_status'].endswith('_FAILED'):
        return
    backoff = _Backoff(timeout)
    while True:
        busy = _busy(vim, stack_id)
        if not busy:
            return
        if backoff.expired():
            raise os_vim.VimTimeout(
                'Stack %s is %s but %s still in progress after %d seconds; '
                'it cannot be updated until Heat has finished with them.' % (
                    stack_id, stack['stack_status'], ', '.join(busy),
                    int(timeout)))
        LOG.debug('Stack %s: waiting for %s before updating it', stack_id,
                  ', '.join(busy))
        backoff.sleep()


def update(vim, stack_id, nfv, template=None, files=None):
    """PATCH the stack: new nfv (and template, when given).

    A failed stack is first let settle (see settle()).
    """
    settle(vim, stack_id, CONF.openstack_vim.stack_update_timeout)
    fields = {'existing': True, 'parameters': {'nfv': nfv}}
    if template is not None:
        fields.update(template=template, files=files or {})
    with os_vim.guard('update stack %s' % stack_id, vim.endpoint):
        vim.heat.stacks.update(stack_id, **fields)


def update_member(vim, stack_id, template, files, properties):
    """PATCH one member stack of a group: its template and properties.

    A member of an AutoScalingGroup or ResourceGroup is a nested stack
    whose parameters are the group's member properties; Heat lets it be
    updated on its own, which is how one VNFC is changed at a time.
    """
    settle(vim, stack_id, CONF.openstack_vim.stack_update_timeout)
    with os_vim.guard('update member stack %s' % stack_id, vim.endpoint):
        vim.heat.stacks.update(stack_id, existing=True, template=template,
                               files=files or {}, parameters=properties)


def template_of(vim, stack_id):
    """The template (a dict) and files the stack runs now."""
    with os_vim.guard('read template of stack %s' % stack_id,
                      vim.endpoint):
        template = vim.heat.stacks.template(stack_id)
        files = vim.heat.stacks.files(stack_id)
    return template, files


def delete(vim, stack_id):
    """Delete the stack and wait until it is gone (a no-op if it is)."""
    stack = find(vim, stack_id)
    if stack is None:
        return
    if stack['stack_status'] != 'DELETE_IN_PROGRESS':
        try:
            with os_vim.guard('delete stack %s' % stack_id, vim.endpoint):
                vim.heat.stacks.delete(stack['id'])
        except os_vim.VimError as e:
            if not os_vim.is_not_found(e):
                raise
    wait(vim, stack['id'], 'DELETE', CONF.openstack_vim.stack_delete_timeout)


def failure_reason(vim, stack):
    """The stack's status reason with its failed resources' reasons."""
    reasons = [stack.get('stack_status_reason') or 'no reason given']
    try:
        with os_vim.guard('list resources of %s' % stack['id'],
                          vim.endpoint):
            resources = vim.heat.resources.list(stack['id'], nested_depth=3)
        for res in resources:
            if res.resource_status.endswith('FAILED'):
                reason = '%s (%s) %s: %s' % (
                    res.resource_name, res.resource_type,
                    res.resource_status, res.resource_status_reason)
                if reason not in reasons:
                    reasons.append(reason)
    except os_vim.VimError:
        pass
    return '; '.join(reasons)


class StackFailed(os_vim.VimError):
    pass


def wait(vim, stack_id, action, timeout):
    """Poll until the stack's ``action`` (CREATE/UPDATE/DELETE) completes.

    Returns the stack dict (None after DELETE). Raises StackFailed on
    <action>_FAILED, VimTimeout at the deadline.
    """
    backoff = _Backoff(timeout)
    while True:
        stack = find(vim, stack_id)
        if stack is None:
            if action == 'DELETE':
                return None
            raise StackFailed('Stack %s disappeared while waiting for %s '
                              'to complete.' % (stack_id, action))
        status = stack['stack_status']
        if status == action + '_COMPLETE':
            return stack
        if status.endswith('_FAILED'):
            raise StackFailed('Stack %s (%s) is %s: %s' % (
                stack['stack_name'], stack['id'], status,
                failure_reason(vim, stack)))
        if backoff.expired():
            raise os_vim.VimTimeout(
                'Stack %s (%s) did not reach %s_COMPLETE within %d seconds; '
                'it is %s.' % (stack['stack_name'], stack['id'], action,
                               int(timeout), status))
        backoff.sleep()


def resources(vim, stack_id, depth=3):
    """Every resource of the stack and its nested stacks, as dicts."""
    with os_vim.guard('list resources of stack %s' % stack_id,
                      vim.endpoint):
        return [r.to_dict() for r in vim.heat.resources.list(
            stack_id, nested_depth=depth)]


def parameters(stack):
    """The nfv parameter a stack was created or last updated with."""
    value = (stack.get('parameters') or {}).get('nfv')
    if isinstance(value, str):
        return json.loads(value) if value else {}
    return value or {}
