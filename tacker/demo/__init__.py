"""The job end to end: ``tox -e demo`` (``python -m tacker.demo``).

It starts the test VIMs (or takes real ones), tacker-server, on-boards the
sample packages and runs ChangeCurrentVNFPackage by Blue-Green and by
Rolling update on each VIM, every request through python-tackerclient's
``openstack`` command. See doc/source/user/demo.rst.
"""
