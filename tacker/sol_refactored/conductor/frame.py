"""The frame every LCM operation runs in.

preamble   take the occurrence (STARTING or retried -> PROCESSING, owner =
           this conductor) and notify;
process    run the plugin's steps that are not done yet, recording each
           one as it completes, so a retry or another conductor resumes at
           the first step not done;
postamble  in ONE transaction write the instance as the plugin left it,
           the occurrence COMPLETED, release the instance, and the plugin's
           own writes; or FAILED_TEMP with a ProblemDetails.

Rollback runs the ``undo`` of the failed step and of the completed ones in
reverse order and ends in ROLLED_BACK or FAILED_TEMP. The instance record
stays as it was, unless the plugin's ``rollback_result`` says what the VIM
holds now (an undo that had to make new resources).

The instance row and the occurrence row are only ever changed with
conditional UPDATEs, so two conductors never both own one operation.
"""
from oslo_log import log as logging

from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.common import notification
from tacker.sol_refactored.common import plugins
from tacker.sol_refactored.common import redact
from tacker.sol_refactored.common import timeutil
from tacker.sol_refactored.db import api as db_api
from tacker.sol_refactored import objects
from tacker.sol_refactored.objects import fields

LOG = logging.getLogger(__name__)
S = fields.LcmOperationStateField


class LostOwnership(Exception):
    """Another conductor took the operation (our lease had expired)."""


class Work:
    """What the steps of one operation share."""

    def __init__(self, context, lcmocc, inst, plugin, conductor_id):
        self.context = context
        self.lcmocc = lcmocc
        self.plugin = plugin
        self.conductor_id = conductor_id
        self.old_inst = inst
        self.inst = inst.copy()
        self.req = plugin.request_class.from_dict(
            lcmocc.operationParams or {})
        record = lcmocc.stepRecord or {}
        self.done = list(record.get('done', []))
        # The step that failed last, if any: it may have done part of its
        # work, so a rollback undoes it too (undo steps tolerate that).
        self.failed = record.get('failed')
        self.state = dict(record.get('state', {}))
        self.secrets = (redact.collect_secrets(lcmocc.operationParams) |
                        redact.collect_secrets(
                            inst.obj_get('vimConnectionInfo')))

    def infra_driver(self, vim_type):
        return plugins.infra_driver(vim_type)

    def record(self):
        record = {'done': list(self.done), 'state': dict(self.state)}
        if self.failed:
            record['failed'] = self.failed
        return record

    def save_progress(self):
        """Persist the step record; stop if we no longer own the op."""
        with db_api.writer(self.context) as session:
            self.lcmocc.stepRecord = self.record()
            if not self.lcmocc.update(session, expect={
                    'ownerConductorId': self.conductor_id}):
                raise LostOwnership(self.lcmocc.id)

    def problem(self, exc, step_name, rolling_back=False):
        if isinstance(exc, sol_ex.SolException):
            status, title, detail = exc.status, exc.title, exc.detail
        else:
            status, title = 500, 'Internal Server Error'
            detail = '%s: %s' % (type(exc).__name__, exc)
        what = 'rollback of step' if rolling_back else 'step'
        detail = redact.mask_text('%s %s failed: %s' % (
            what, step_name, detail), self.secrets)
        return objects.ProblemDetails(status=status, title=title,
                                      detail=detail)


def _load(context, lcmocc_id, session=None):
    lcmocc = objects.VnfLcmOpOcc.get_by_id(context, lcmocc_id,
                                           session=session)
    if lcmocc is None:
        raise sol_ex.LcmOpOccNotFound(lcmocc_id=lcmocc_id)
    inst = objects.VnfInstance.get_by_id(context, lcmocc.vnfInstanceId,
                                         session=session)
    if inst is None:
        raise sol_ex.VnfInstanceNotFound(inst_id=lcmocc.vnfInstanceId)
    return lcmocc, inst


def _take(context, lcmocc_id, from_state, to_state, conductor_id):
    """Conditional UPDATE making this conductor the owner; None if not."""
    with db_api.writer(context) as session:
        lcmocc, inst = _load(context, lcmocc_id, session)
        if (lcmocc.operationState != from_state or
                lcmocc.ownerConductorId is not None):
            return None, None
        expect = {'operationState': from_state, 'ownerConductorId': None}
        if from_state != to_state:
            lcmocc.operationState = to_state
            lcmocc.stateEnteredTime = timeutil.utcnow()
        lcmocc.ownerConductorId = conductor_id
        if not lcmocc.update(session, expect=expect):
            return None, None
        return lcmocc, inst


def _notify(context, lcmocc, inst):
    try:
        notification.notify_lcmocc(context, lcmocc, inst)
    except Exception:
        # Delivery never decides the outcome of an operation.
        LOG.exception('Notification for %s could not be queued', lcmocc.id)


def run(context, lcmocc_id, conductor_id, from_state=S.STARTING):
    """Start (from STARTING) or retry (from PROCESSING, owner none)."""
    lcmocc, inst = _take(context, lcmocc_id, from_state, S.PROCESSING,
                         conductor_id)
    if lcmocc is None:
        LOG.info('Operation %s is not waiting in %s; nothing to do',
                 lcmocc_id, from_state)
        return
    _notify(context, lcmocc, inst)
    plugin = plugins.lcm_operation_by_type(lcmocc.operation)
    work = Work(context, lcmocc, inst, plugin, conductor_id)
    step_name = '(preparing)'
    steps = None
    try:
        steps = plugin.steps(work)
        for step in steps:
            step_name = step.name
            if step.name in work.done:
                continue
            LOG.info('%s %s: step %s', lcmocc.operation, lcmocc.id,
                     step.name)
            step.do(work)
            work.done.append(step.name)
            work.failed = None
            work.save_progress()
        step_name = '(recording the result)'
        plugin.result(work)
        _complete(work)
    except LostOwnership:
        LOG.warning('Operation %s was taken over by another conductor',
                    lcmocc_id)
    except Exception as exc:
        LOG.warning('%s %s failed in step %s: %s', lcmocc.operation,
                    lcmocc.id, step_name,
                    redact.mask_text(str(exc), work.secrets))
        if step_name in [s.name for s in steps or []]:
            work.failed = step_name
        _fail_temp(work, work.problem(exc, step_name))


def _finish(work, inst, from_state, to_state, plugin_postamble):
    """The postamble: one transaction ends the occurrence.

    It writes ``inst`` (the new instance, or the untouched one with only
    its reservation released), the occurrence in its final state and the
    plugin's own writes; nothing of it is visible unless all of it is.
    """
    lcmocc = work.lcmocc
    with db_api.writer(work.context) as session:
        inst.busyLcmOpOccId = None
        if not inst.update(session, expect={'busyLcmOpOccId': lcmocc.id}):
            raise LostOwnership(lcmocc.id)
        lcmocc.operationState = to_state
        lcmocc.stateEnteredTime = timeutil.utcnow()
        lcmocc.error = None
        lcmocc.ownerConductorId = None
        lcmocc.stepRecord = work.record()
        if not lcmocc.update(session, expect={
                'ownerConductorId': work.conductor_id,
                'operationState': from_state}):
            raise LostOwnership(lcmocc.id)
        plugin_postamble(work, session)
    LOG.info('%s %s %s', lcmocc.operation, lcmocc.id, to_state)
    _notify(work.context, lcmocc, inst)


def _complete(work):
    _finish(work, work.inst, S.PROCESSING, S.COMPLETED,
            work.plugin.postamble)


def _fail_temp(work, problem):
    lcmocc = objects.VnfLcmOpOcc.get_by_id(work.context, work.lcmocc.id)
    with db_api.writer(work.context) as session:
        expect = {'ownerConductorId': work.conductor_id,
                  'operationState': lcmocc.operationState}
        lcmocc.operationState = S.FAILED_TEMP
        lcmocc.stateEnteredTime = timeutil.utcnow()
        lcmocc.ownerConductorId = None
        lcmocc.error = problem
        lcmocc.stepRecord = work.record()
        if not lcmocc.update(session, expect=expect):
            LOG.warning('Operation %s changed hands; FAILED_TEMP not '
                        'recorded by this conductor', lcmocc.id)
            return
    LOG.info('%s %s FAILED_TEMP: %s', lcmocc.operation, lcmocc.id,
             problem.detail)
    _notify(work.context, lcmocc, work.old_inst)


def rollback(context, lcmocc_id, conductor_id):
    """Undo the failed step and the completed ones, newest first.

    The controller has set ROLLING_BACK.
    """
    lcmocc, inst = _take(context, lcmocc_id, S.ROLLING_BACK,
                         S.ROLLING_BACK, conductor_id)
    if lcmocc is None:
        LOG.info('Operation %s is not waiting for a rollback', lcmocc_id)
        return
    _notify(context, lcmocc, inst)
    plugin = plugins.lcm_operation_by_type(lcmocc.operation)
    work = Work(context, lcmocc, inst, plugin, conductor_id)
    step_name = '(preparing)'
    try:
        steps = {step.name: step for step in plugin.steps(work)}
        pending = list(reversed(work.done))
        if work.failed and work.failed not in work.done:
            pending.insert(0, work.failed)
        for name in pending:
            step_name = name
            step = steps.get(name)
            if step is not None and step.undo is not None:
                LOG.info('%s %s: undo %s', lcmocc.operation, lcmocc.id,
                         name)
                step.undo(work)
            if name in work.done:
                work.done.remove(name)
            else:
                work.failed = None
            work.save_progress()
        step_name = '(reading what the rollback left)'
        _rolled_back(work)
    except LostOwnership:
        LOG.warning('Operation %s was taken over by another conductor',
                    lcmocc_id)
    except Exception as exc:
        LOG.warning('Rollback of %s failed at %s: %s', lcmocc.id, step_name,
                    redact.mask_text(str(exc), work.secrets))
        _fail_temp(work, work.problem(exc, step_name, rolling_back=True))


def _rolled_back(work):
    inst = objects.VnfInstance.get_by_id(work.context,
                                         work.lcmocc.vnfInstanceId)
    work.plugin.rollback_result(work, inst)
    _finish(work, inst, S.ROLLING_BACK, S.ROLLED_BACK,
            work.plugin.rollback_postamble)
