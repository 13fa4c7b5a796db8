"""The `graphsvc` subcommands, one module each; graphsvc.cli registers them."""
