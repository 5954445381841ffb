"""What requests and VNFDs may ask for that this tree does not run yet.

Refused by name with 422 at the API, before anything is written, rather
than accepted and silently ignored:

- ``lcm-operation-user-data`` / ``-class`` in ``additionalParams`` (the
  user-data classes that build a Heat stack's parameters in other Tacker
  releases);
- LCM interface operations of the VNFD's VNF node (``Vnflcm``
  ``instantiate_start``, ``change_current_package_end``, ... with an
  artifact, the "management driver" scripts): this tree runs the
  CoordinateVNF scripts a ChangeCurrentVNFPackage request names, not
  scripts the VNFD attaches to operations.
"""
from tacker.sol_refactored.common import exceptions as sol_ex

USER_DATA_PARAMS = ('lcm-operation-user-data',
                    'lcm-operation-user-data-class')


def refuse_user_data(req, operation):
    params = req.obj_get('additionalParams') or {}
    given = [p for p in USER_DATA_PARAMS if p in params]
    if given:
        raise sol_ex.UnprocessableEntity(
            'additionalParams %s of %s: this Tacker does not run user-data '
            'classes; send the request without them (the stack parameters '
            'come from the package\'s BaseHOT and the nfv parameter).' % (
                ' and '.join(given), operation))


def refuse_vnfd_scripts(pkg, flavour_id):
    """422 when the flavour's VNF node attaches scripts to operations."""
    flavour = ((pkg.obj_get('vnfdSummary') or {}).get('flavours') or
               {}).get(flavour_id) or {}
    scripts = flavour.get('lcmScripts') or {}
    if scripts:
        raise sol_ex.UnprocessableEntity(
            'The VNFD %s declares LCM interface scripts for flavour %s '
            '(%s); this Tacker does not run scripts attached to VNFD '
            'interface operations (management drivers) yet, so it refuses '
            'the package rather than skip them. Use a package without '
            'them; for ChangeCurrentVNFPackage give CoordinateVNF scripts '
            'in additionalParams.' % (
                pkg.vnfdId, flavour_id, ', '.join(
                    '%s: %s' % (op, path) for op, path in
                    sorted(scripts.items()))))
