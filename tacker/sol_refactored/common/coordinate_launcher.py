"""Child process side of CoordinateVNF (see common/coordinate.py).

    python -m tacker.sol_refactored.common.coordinate_launcher \
        SCRIPT CLASS [METHOD]

Reads the request as JSON on stdin, loads SCRIPT by path, calls
``CLASS().METHOD(request)`` (METHOD is ``coordinate`` unless given) and
prints its JSON result on a marked line. An exception ends with exit
status 2 and a marked message on stderr. A METHOD other than
``coordinate`` that the class does not have is not an error: a marked
line says so and the exit status is 0 (a script need not undo anything).
"""
import importlib.util
import json
import sys

RESULT_MARK = 'TACKER-COORDINATE-RESULT: '
ERROR_MARK = 'TACKER-COORDINATE-ERROR: '
ABSENT_MARK = 'TACKER-COORDINATE-ABSENT: '


def main(argv):
    script, class_name = argv[1], argv[2]
    method = argv[3] if len(argv) > 3 else 'coordinate'
    request = json.load(sys.stdin)
    try:
        spec = importlib.util.spec_from_file_location(
            'coordinate_script', script)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        obj = getattr(module, class_name)()
        if method != 'coordinate' and not hasattr(obj, method):
            sys.stdout.write('\n%s%s\n' % (ABSENT_MARK, method))
            sys.stdout.flush()
            return 0
        result = getattr(obj, method)(request)
        text = json.dumps(result if result is not None else {})
    except Exception as e:
        message = ' '.join(str(e).split()) or type(e).__name__
        sys.stderr.write('%s%s: %s\n' % (
            ERROR_MARK, type(e).__name__, message))
        sys.stderr.flush()
        return 2
    sys.stdout.write('\n%s%s\n' % (RESULT_MARK, text))
    sys.stdout.flush()
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
