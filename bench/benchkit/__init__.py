"""Shared pieces of the load benches (bench/peers, bench/compare): starting and pinning
processes, reading their CPU time and memory from /proc, running wrk, installing Debian
packages, describing the machine. Standard library only, so a fresh Debian 12 runs it."""
