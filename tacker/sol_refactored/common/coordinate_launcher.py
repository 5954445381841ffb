"""Child process side of CoordinateVNF (see common/coordinate.py).

    python -m tacker.sol_refactored.common.coordinate_launcher SCRIPT CLASS

Reads the request as JSON on stdin, loads SCRIPT by path, calls
``CLASS().coordinate(request)`` and prints its JSON result on a marked
line. An exception ends with exit status 2 and a marked message on stderr.
"""
import importlib.util
import json
import sys

RESULT_MARK = 'TACKER-COORDINATE-RESULT: '
ERROR_MARK = 'TACKER-COORDINATE-ERROR: '


def main(argv):
    script, class_name = argv[1], argv[2]
    request = json.load(sys.stdin)
    try:
        spec = importlib.util.spec_from_file_location(
            'coordinate_script', script)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        cls = getattr(module, class_name)
        result = cls().coordinate(request)
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
