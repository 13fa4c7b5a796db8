"""`python -m graphsvc`: the same command as `graphsvc`."""

from graphsvc.cli import main

main(prog_name="graphsvc")
