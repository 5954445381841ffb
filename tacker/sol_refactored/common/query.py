"""SOL013 query parameters: attribute filters, selectors and paging.

list_response(request, bodies, page_size, default_excluded) is what the
list controllers call with the API bodies of every resource, in a stable
order.
"""
from tacker.sol_refactored.api import wsgi


def list_response(request, bodies, page_size, default_excluded=()):
    # TODO(query): filter, attribute selectors and paging (SOL013 5.2-5.4).
    return wsgi.SolResponse(200, list(bodies))
