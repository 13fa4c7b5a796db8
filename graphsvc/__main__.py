"""`python -m graphsvc` runs the same command as `graphsvc`."""

from .cli import main

main()
