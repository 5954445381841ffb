"""Plugins installed into the OpenStack test cloud's own venv.

They run inside Neutron and Cinder, never inside Tacker: this package is
built from a temporary copy and installed next to those services.
"""
