"""The `wegokg` command: it parses arguments and calls the library (`wegokg.cli.main`)."""
