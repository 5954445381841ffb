"""The conductor's bound on operations run at once."""
import threading

import testtools

from tacker.sol_refactored.conductor import service


class TestWorkers(testtools.TestCase):

    def test_a_second_cast_of_the_same_operation_returns_at_once(self):
        workers = service.Workers(2, threading.Event())
        with workers.slot('op-1') as first:
            self.assertTrue(first)
            with workers.slot('op-1') as again:
                self.assertFalse(again)
            with workers.slot('op-2') as other:
                self.assertTrue(other)

    def test_waiting_operation_runs_when_a_worker_is_free(self):
        workers = service.Workers(1, threading.Event())
        ran = threading.Event()

        def second():
            with workers.slot('op-2') as mine:
                if mine:
                    ran.set()
        with workers.slot('op-1'):
            waiter = threading.Thread(target=second)
            waiter.start()
            self.assertFalse(ran.wait(0.2))
        waiter.join(10)
        self.assertTrue(ran.is_set())

    def test_stopping_lets_waiting_operations_go(self):
        stopping = threading.Event()
        workers = service.Workers(1, stopping)
        outcome = []

        def second():
            with workers.slot('op-2') as mine:
                outcome.append(mine)
        with workers.slot('op-1'):
            waiter = threading.Thread(target=second)
            waiter.start()
            stopping.set()
            waiter.join(10)
        self.assertEqual([False], outcome)
