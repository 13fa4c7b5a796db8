"""`python -m graphsvc`: the same command as `graphsvc`."""

from .cli import main

main(prog_name="graphsvc")
