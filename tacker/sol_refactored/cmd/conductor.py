"""tacker-conductor: runs LCM operations cast by tacker-server."""
import signal
import sys
import threading

from oslo_log import log as logging

from tacker.sol_refactored.cmd import common
from tacker.sol_refactored.common import config
from tacker.sol_refactored.common import delivery
from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.conductor import rpc
from tacker.sol_refactored.conductor import service

LOG = logging.getLogger(__name__)
CONF = config.CONF


def main(argv=None):
    common.setup(argv or sys.argv, 'tacker-conductor')
    if not rpc.transport_configured():
        sys.exit('tacker-conductor needs [DEFAULT] transport_url (for '
                 'example rabbit://guest:guest@127.0.0.1:5672/); without '
                 'it tacker-server runs the conductor itself.')
    common.ensure_schema()
    conductor = service.ConductorService()
    try:
        conductor.start()
    except sol_ex.PluginLoadError as e:
        sys.exit(str(e))
    print('tacker-conductor %s running' % conductor.id, flush=True)

    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: done.set())
    signal.signal(signal.SIGINT, lambda *a: done.set())
    done.wait()
    conductor.stop()
    rpc.reset()
    # Give queued notifications a moment; what is left is logged.
    delivery.reset(timeout=5)
    return 0


if __name__ == '__main__':
    sys.exit(main())
