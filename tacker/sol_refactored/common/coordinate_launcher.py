"""Child process side of CoordinateVNF (see common/coordinate.py).

    python .../coordinate_launcher.py SCRIPT CLASS [METHOD]

Run by its file path (not ``-m``), so the launcher is always the one of
the tree that started it, whatever tacker the interpreter would import.
It imports nothing of the tree. Reads the request as JSON on stdin, loads
SCRIPT by path, calls ``CLASS().METHOD(request)`` (METHOD is
``coordinate`` unless given) and prints its JSON result on a marked line.
An exception ends with exit status 2 and a marked message on stderr that
says where it happened: loading the script, the class's constructor, or
the method. A METHOD other than ``coordinate`` that the class does not
have is not an error: a marked line says so and the exit status is 0 (a
script need not undo anything).
"""
import importlib.util
import json
import os
import sys

RESULT_MARK = 'TACKER-COORDINATE-RESULT: '
ERROR_MARK = 'TACKER-COORDINATE-ERROR: '
ABSENT_MARK = 'TACKER-COORDINATE-ABSENT: '


def _one_line(exc):
    message = ' '.join(str(exc).split()) or type(exc).__name__
    return '%s: %s' % (type(exc).__name__, message)


def main(argv):
    # Started by path, Python put this file's directory first on sys.path,
    # where it would shadow the script's own imports (config, redact ...);
    # the script sees the package root instead, as it always has.
    sys.path[0] = os.getcwd()
    script, class_name = argv[1], argv[2]
    method = argv[3] if len(argv) > 3 else 'coordinate'
    request = json.load(sys.stdin)
    where = 'loading the script'
    try:
        spec = importlib.util.spec_from_file_location(
            'coordinate_script', script)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        cls = getattr(module, class_name)
        where = 'the constructor %s()' % class_name
        obj = cls()
        if method != 'coordinate' and not hasattr(obj, method):
            sys.stdout.write('\n%s%s\n' % (ABSENT_MARK, method))
            sys.stdout.flush()
            return 0
        where = None
        result = getattr(obj, method)(request)
        text = json.dumps(result if result is not None else {})
    except Exception as e:
        prefix = '%s raised ' % where if where else ''
        sys.stderr.write('%s%s%s\n' % (ERROR_MARK, prefix, _one_line(e)))
        sys.stderr.flush()
        return 2
    sys.stdout.write('\n%s%s\n' % (RESULT_MARK, text))
    sys.stdout.flush()
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
