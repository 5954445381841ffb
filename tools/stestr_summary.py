"""Print the last stestr run as one plain line: 'tests: N passed, N failed'.

stestr's own totals are a table; CI and people skimming a log want one line.
"""
import subprocess
import sys

import subunit
import testtools


def main():
    stream = subprocess.run(['stestr', 'last', '--subunit'],
                            capture_output=True, check=True).stdout
    import io
    case = subunit.ByteStreamToStreamResult(io.BytesIO(stream),
                                            non_subunit_name='stdout')
    summary = testtools.StreamSummary()
    summary.startTestRun()
    case.run(summary)
    summary.stopTestRun()
    failed = len(summary.errors) + len(summary.failures)
    skipped = len(summary.skipped)
    passed = summary.testsRun - failed - skipped
    print('tests: %d passed, %d failed, %d skipped' % (passed, failed,
                                                       skipped))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
