"""python -m tacker.tests.k8s_simulator --host 127.0.0.1 --port 0

Prints the base URL (https) on its first line, the bearer token on the
second (``token: ...``) and the path of its CA certificate on the third
(``ca: ...``; written to ``--ca-file`` when given, else to a directory of
its own removed at exit), and serves until SIGTERM or SIGINT.
``--plain-http`` serves HTTP instead (no third line).
"""
import argparse
import signal
import sys
import threading

from tacker.tests.k8s_simulator import simulator


def main(argv=None):
    parser = argparse.ArgumentParser(prog='k8s_simulator')
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=0)
    parser.add_argument('--token', help='bearer token (default: random)')
    parser.add_argument('--pod-ready-delay', type=float, default=0.2)
    parser.add_argument('--pod-terminate-delay', type=float, default=0.2)
    parser.add_argument('--history', type=int, default=1000)
    parser.add_argument('--verbose', action='store_true')
    parser.add_argument('--ca-file',
                        help='write the CA certificate (PEM) to this path')
    parser.add_argument('--plain-http', action='store_true',
                        help='serve HTTP instead of HTTPS')
    args = parser.parse_args(argv)
    sim = simulator.Simulator(
        host=args.host, port=args.port, token=args.token,
        pod_ready_delay=args.pod_ready_delay,
        pod_terminate_delay=args.pod_terminate_delay,
        history=args.history, verbose=args.verbose,
        tls=not args.plain_http)
    ca_file = sim.ca_file
    if sim.ca is not None and args.ca_file:
        with open(args.ca_file, 'w') as f:
            f.write(sim.ca_pem)
        ca_file = args.ca_file

    def stop(signum, frame):
        # shutdown() blocks until serve_forever returns: not on its thread.
        threading.Thread(target=sim.httpd.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(sim.base_url, flush=True)
    print('token: %s' % sim.token, flush=True)
    if ca_file:
        print('ca: %s' % ca_file, flush=True)
    sim.serve_forever()
    return 0


if __name__ == '__main__':
    sys.exit(main())
