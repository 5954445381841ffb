"""A real OpenStack test cloud on 127.0.0.1 (fake hypervisor and storage).

Keystone, Heat, Nova (fake virt driver), Placement, Neutron (an agentless
ML2 driver), Glance (file store) and Cinder (fake volume driver) are
installed from PyPI into a venv of their own and run as local processes
on the machine's MariaDB and RabbitMQ.  See ``cloud.Cloud`` for the life
cycle, ``python -m tacker.tests.openstack_cloud --help`` for the command
line and ``fixture.OpenStackCloudFixture`` for tests.
"""
