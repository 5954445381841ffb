# No eventlet anywhere: oslo.messaging pulls in oslo.service, whose default
# backend is eventlet, so choose the threading one before anything asks.
from oslo_service import backend as _oslo_service_backend

_oslo_service_backend.init_backend(_oslo_service_backend.BackendType.THREADING)
