"""CoordinateVNF script of the test package.

It follows the contract of doc/source/user/coordinate_vnf.rst: it answers
what it was given, and fails when the flow asks it to.
"""


class CoordinateVnf:
    def coordinate(self, request):
        if request['resources'].get('fail'):
            raise RuntimeError(request['resources']['fail'])
        return {'coordinated': request['side'],
                'lcmOpOccId': request['lcmOpOccId'],
                'newVnfdId': request['newVnfdId'],
                'sawPassword': bool(request['vimConnectionInfo'])}
