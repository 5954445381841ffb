"""The conductor: RPC endpoint, heartbeat, and recovery of stray ops.

Every conductor writes a heartbeat row. An operation in PROCESSING or
ROLLING_BACK whose owner's heartbeat is older than the lease is moved to
FAILED_TEMP (its step record intact) by whichever conductor notices, so
the operator can retry or roll it back. Operations waiting for a conductor
(STARTING, or a retry/rollback nobody took) are cast again.
"""
import contextlib
import datetime
import socket
import threading
import uuid

from oslo_log import log as logging
import sqlalchemy as sa

from tacker.sol_refactored.api import context as sol_context
from tacker.sol_refactored.common import config
from tacker.sol_refactored.common import notification
from tacker.sol_refactored.common import plugins
from tacker.sol_refactored.common import timeutil
from tacker.sol_refactored.conductor import frame
from tacker.sol_refactored.conductor import rpc
from tacker.sol_refactored.db import api as db_api
from tacker.sol_refactored.db import models
from tacker.sol_refactored import objects
from tacker.sol_refactored.objects import fields

LOG = logging.getLogger(__name__)
CONF = config.CONF
S = fields.LcmOperationStateField


class Workers:
    """``[conductor] workers``: how many operations run here at once.

    An operation beyond that waits, in the state it was cast in
    (STARTING for a new one), until a worker is free; a second cast of an
    operation already waiting or running here (the recovery casts again
    what waits too long) returns at once. A conductor being stopped lets
    its waiting operations go, for another conductor to take.
    """

    def __init__(self, count, stopping):
        self._free = threading.BoundedSemaphore(count)
        self.count = count
        self._stopping = stopping
        self._lock = threading.Lock()
        self._here = set()

    @contextlib.contextmanager
    def slot(self, lcmocc_id):
        """Yields True with a worker held, False when not to run."""
        with self._lock:
            if lcmocc_id in self._here:
                yield False
                return
            self._here.add(lcmocc_id)
        try:
            got = self._free.acquire(blocking=False)
            if not got:
                LOG.info('Operation %s waits for one of the %d workers of '
                         'this conductor', lcmocc_id, self.count)
                while not got and not self._stopping.is_set():
                    got = self._free.acquire(timeout=0.5)
            if not got:
                yield False
                return
            try:
                yield True
            finally:
                self._free.release()
        finally:
            with self._lock:
                self._here.discard(lcmocc_id)


class ConductorEndpoint:
    target = rpc.target()

    def __init__(self, service):
        self.service = service

    def _run(self, lcmocc_id, action):
        with self.service.workers.slot(lcmocc_id) as mine:
            if mine:
                action()

    def start_lcm_op(self, context, lcmocc_id):
        self._run(lcmocc_id, lambda: frame.run(
            context, lcmocc_id, self.service.id, S.STARTING))

    def retry_lcm_op(self, context, lcmocc_id):
        self._run(lcmocc_id, lambda: frame.run(
            context, lcmocc_id, self.service.id, S.PROCESSING))

    def rollback_lcm_op(self, context, lcmocc_id):
        self._run(lcmocc_id, lambda: frame.rollback(
            context, lcmocc_id, self.service.id))


class ConductorService:
    def __init__(self, host=None):
        self.id = str(uuid.uuid4())
        self.host = host or socket.gethostname()
        self.context = sol_context.Context.admin()
        self._stop = threading.Event()
        self.workers = Workers(CONF.conductor.workers, self._stop)
        self._heartbeat_thread = None
        self._server = None

    # -- lifecycle -------------------------------------------------------

    def start(self):
        plugins.load_all()
        now = timeutil.utcnow().replace(tzinfo=None)
        with db_api.writer(self.context) as session:
            session.add(models.Conductor(id=self.id, host=self.host,
                                         startedAt=now, heartbeatAt=now))
        self.recover()
        self._server = rpc.get_rpc_server(ConductorEndpoint(self), self.id)
        self._server.start()
        self._heartbeat_thread = threading.Thread(
            target=self._heartbeat_loop, name='conductor-heartbeat',
            daemon=True)
        self._heartbeat_thread.start()
        LOG.info('Conductor %s started on %s', self.id, self.host)

    def stop(self):
        self._stop.set()
        if self._server is not None:
            self._server.stop()
            self._server.wait()
        if self._heartbeat_thread is not None:
            self._heartbeat_thread.join()
        with db_api.writer(self.context) as session:
            session.execute(sa.delete(models.Conductor).where(
                models.Conductor.id == self.id))
        LOG.info('Conductor %s stopped', self.id)

    def _heartbeat_loop(self):
        while not self._stop.wait(CONF.conductor.heartbeat_interval):
            try:
                self.heartbeat()
                self.recover()
            except Exception:
                LOG.exception('Conductor heartbeat failed')

    def heartbeat(self):
        now = timeutil.utcnow().replace(tzinfo=None)
        with db_api.writer(self.context) as session:
            session.execute(sa.update(models.Conductor).where(
                models.Conductor.id == self.id).values(heartbeatAt=now))

    # -- recovery --------------------------------------------------------

    def recover(self):
        """Fail ops of dead conductors; cast again ops nobody took."""
        now = timeutil.utcnow()
        limit = now - datetime.timedelta(seconds=CONF.conductor.lease_timeout)
        with db_api.reader(self.context) as session:
            alive = set(session.execute(
                sa.select(models.Conductor.id).where(
                    models.Conductor.heartbeatAt >=
                    limit.replace(tzinfo=None))).scalars())
        alive.add(self.id)
        waiting = objects.VnfLcmOpOcc.get_all(
            self.context, operationState=[S.STARTING, S.PROCESSING,
                                          S.ROLLING_BACK])
        client = rpc.ConductorClient()
        for lcmocc in waiting:
            owner = lcmocc.ownerConductorId
            if owner is not None and owner not in alive:
                self._fail_orphan(lcmocc)
            elif owner is None and lcmocc.stateEnteredTime < limit:
                LOG.info('Operation %s waited in %s for a conductor; '
                         'casting it again', lcmocc.id,
                         lcmocc.operationState)
                method = {S.STARTING: client.start_lcm_op,
                          S.PROCESSING: client.retry_lcm_op,
                          S.ROLLING_BACK: client.rollback_lcm_op}
                method[lcmocc.operationState](self.context, lcmocc.id)

    def _fail_orphan(self, lcmocc):
        owner = lcmocc.ownerConductorId
        expect = {'operationState': lcmocc.operationState,
                  'ownerConductorId': owner}
        lcmocc.operationState = S.FAILED_TEMP
        lcmocc.stateEnteredTime = timeutil.utcnow()
        lcmocc.ownerConductorId = None
        lcmocc.error = objects.ProblemDetails(
            status=503, title='Service Unavailable',
            detail='The conductor %s running this operation stopped '
                   'responding; steps completed so far: %s. Retry, roll '
                   'back or fail the operation.' % (
                       owner,
                       ', '.join((lcmocc.stepRecord or {}).get('done', []))
                       or 'none'))
        with db_api.writer(self.context) as session:
            if not lcmocc.update(session, expect=expect):
                return
        LOG.warning('Operation %s of dead conductor %s moved to FAILED_TEMP',
                    lcmocc.id, owner)
        inst = objects.VnfInstance.get_by_id(self.context,
                                             lcmocc.vnfInstanceId)
        try:
            notification.notify_lcmocc(self.context, lcmocc, inst)
        except Exception:
            LOG.exception('Notification for %s could not be queued',
                          lcmocc.id)
