"""oslo.messaging plumbing between tacker-server and the conductors."""
import threading

from oslo_config import cfg
import oslo_messaging

from tacker.sol_refactored.api import context as sol_context
from tacker.sol_refactored.common import config

CONF = config.CONF
RPC_VERSION = '1.0'
# Used when no transport_url is configured: the server then runs the
# conductor itself, and both ends must share this one in-process transport.
IN_PROCESS_URL = 'fake:///'

_lock = threading.Lock()
_transport = None


def transport_configured():
    """Whether the operator set transport_url (its default is not None)."""
    if not CONF.transport_url:
        return False
    location = CONF.get_location('transport_url')
    return location.location != cfg.Locations.opt_default


def in_process():
    if CONF.conductor.in_process is not None:
        return CONF.conductor.in_process
    return not transport_configured()


def get_transport():
    global _transport
    with _lock:
        if _transport is None:
            url = None if transport_configured() else IN_PROCESS_URL
            _transport = oslo_messaging.get_rpc_transport(CONF, url=url)
        return _transport


def reset():
    global _transport
    with _lock:
        if _transport is not None:
            _transport.cleanup()
        _transport = None


class ContextSerializer(oslo_messaging.NoOpSerializer):
    def serialize_context(self, context):
        return context.to_dict()

    def deserialize_context(self, context):
        return sol_context.Context.from_dict(context)


def target(server=None):
    return oslo_messaging.Target(topic=CONF.conductor.topic,
                                 version=RPC_VERSION, server=server)


class ConductorClient:
    """What the API asks of the conductors; every call is a cast."""

    def __init__(self):
        self._client = oslo_messaging.get_rpc_client(
            get_transport(), target(), serializer=ContextSerializer())

    def _cast(self, context, method, **kwargs):
        self._client.prepare().cast(context, method, **kwargs)

    def start_lcm_op(self, context, lcmocc_id):
        self._cast(context, 'start_lcm_op', lcmocc_id=lcmocc_id)

    def retry_lcm_op(self, context, lcmocc_id):
        self._cast(context, 'retry_lcm_op', lcmocc_id=lcmocc_id)

    def rollback_lcm_op(self, context, lcmocc_id):
        self._cast(context, 'rollback_lcm_op', lcmocc_id=lcmocc_id)


class UsesConductor:
    """Controllers that cast to the conductors (client made on first use)."""

    def __init__(self, conductor=None):
        self._conductor = conductor

    @property
    def conductor(self):
        if self._conductor is None:
            self._conductor = ConductorClient()
        return self._conductor


def get_rpc_server(endpoint, server_name):
    return oslo_messaging.get_rpc_server(
        get_transport(), target(server=server_name), [endpoint],
        executor='threading', serializer=ContextSerializer())


__all__ = ['cfg', 'ConductorClient', 'get_rpc_server']
