"""Test hosts in network namespaces: VNFCs and a load balancer to SSH into.

The OpenStack test cloud has no data plane: a VNFC's fixed IP is a record.
A test that must reach a VNFC (SSH, HTTP through a load balancer) asks this
package for a test host at that address: a network namespace of its own,
joined to a bridge in the root namespace, running a real sshd and a tiny
HTTP server (or haproxy, for the load balancer).  See ``fixture``.
"""
from tacker.tests.test_hosts.fixture import check_available  # noqa: F401
from tacker.tests.test_hosts.fixture import Host  # noqa: F401
from tacker.tests.test_hosts.fixture import LbHost  # noqa: F401
from tacker.tests.test_hosts.fixture import TestHosts  # noqa: F401
