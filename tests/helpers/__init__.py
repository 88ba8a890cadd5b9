"""Helpers shared by the test suites: real ``ceder`` processes in pipes, a pseudo-terminal, a server."""
