"""A CoordinateVNF script of the test package: succeeds and says so."""
import sys

print('coordinated')
sys.exit(0)
