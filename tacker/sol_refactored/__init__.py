import sys

# No eventlet anywhere. It is installed as a dependency of oslo.service, and
# futurist imports it just to find out whether it is there; tell them all it
# is not, so that no library switches to green threads behind our back.
sys.modules.setdefault('eventlet', None)

# oslo.messaging pulls in oslo.service, whose default backend is eventlet:
# choose the threading one before anything asks.
from oslo_service import backend as _oslo_service_backend  # noqa: E402

_oslo_service_backend.init_backend(_oslo_service_backend.BackendType.THREADING)
