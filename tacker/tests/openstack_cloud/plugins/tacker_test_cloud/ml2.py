"""An ML2 mechanism driver that binds ports without any agent.

Neutron's own ``test`` driver binds a port whose host is
``host-ovs-filter-active``.  It remembers bound ports in memory only, so
after a restart of neutron an unbind (Heat deleting or updating a port)
would fail with a KeyError and the port would stay bound.  This subclass
forgets a port it never knew without complaint.
"""
from neutron.tests.unit.plugins.ml2.drivers import mechanism_test


class TolerantTestMechanismDriver(mechanism_test.TestMechanismDriver):

    def update_port_precommit(self, context):
        unbinding = (context.original_top_bound_segment and
                     not context.top_bound_segment)
        if unbinding or context.host == 'host-fail':
            self.bound_ports.discard((context.original['id'],
                                      context.original_host))
        self._check_port_context(context, True)
